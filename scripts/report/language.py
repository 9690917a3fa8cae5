"""The report in one language: machine codes and English artefacts turned into the reader's words.

``selection.json`` keeps English sentences for ``selection.md`` and the logs; the report writes the
same reasoning from its ``facts`` (:mod:`scripts.model.reasoning`) in ``figures.language``.
Rejection reasons and table columns stay codes in the CSVs and are shown through
:data:`scripts.report.text.REASONS` and :data:`~scripts.report.text.COLUMNS`; numbers get the
language's decimal mark.

Example
-------
>>> reason_phrase("no_date", "es"), reason_phrase("new_code", "es")
('sin fecha', 'new_code')
>>> percent(0.253, "es"), percent(None, "es")
('25,3%', '—')
"""

import pandas as pd

from scripts.model.reasoning import rule_text, sentence
from scripts.report.text import COLUMNS, REASONS, TEXT
from scripts.text.numbers import decimal_mark, format_number


def reason_phrase(code: str, language: str) -> str:
    """What a rejection reason code means, in ``language`` (an unknown code is shown as is)."""
    return REASONS[language].get(code, code)


def percent(value, language: str, digits: int = 1) -> str:
    """A share as a percentage with the language's decimal mark (``—`` when missing)."""
    return "—" if value is None or pd.isna(value) else format_number(value, f".{digits}%", language)


def decimal(value, language: str, digits: int = 3) -> str:
    """A number with ``digits`` decimals and the language's decimal mark (``—`` when missing)."""
    return "—" if value is None or pd.isna(value) else format_number(value, f".{digits}f", language)


def selection_sentences(selection: dict, language: str) -> tuple[str, list[str]]:
    """The rule and the reasoning of ``selection.json`` in ``language``.

    Returns
    -------
    rule : str
    reasoning : list of str
        One sentence per fact. A ``selection.json`` without ``facts`` (written before they were
        recorded) gives its English texts, so an old run still renders.
    """
    if "facts" not in selection:
        return selection.get("rule", ""), list(selection.get("reasoning", []))
    return rule_text(selection["rule_facts"], language), [sentence(fact, language) for fact in selection["facts"]]


def selection_table(table: pd.DataFrame, language: str) -> dict:
    """``model_selection.csv`` as headers and text cells in ``language`` (yes/no, decimal mark).

    >>> view = selection_table(pd.DataFrame({"k": [4], "npmi": [0.12345], "on_front": [True]}), "es")
    >>> view["headers"], view["rows"]
    (['K', 'NPMI', 'En el frente'], [['4', '0,1235', 'sí']])
    """
    words = TEXT[language]

    def cell(value) -> str:
        if str(value) in ("True", "False"):
            return words["yes"] if str(value) == "True" else words["no"]
        if isinstance(value, float):
            return "" if pd.isna(value) else decimal_mark(repr(round(value, 4)), language)
        return str(value)

    return {"headers": [COLUMNS[language].get(column, column) for column in table.columns],
            "rows": [[cell(value) for value in row] for row in table.itertuples(index=False)]}
