"""The report's effects section: one plain sentence per effect whose interval excludes zero.

Reads ``results/themes/effects.csv`` (:mod:`scripts.themes.effects`); the words are in
:data:`scripts.report.text.TEXT` (``effect_*`` keys), numbers in the report's language
(``4,1`` in Spanish). Spline terms get no sentence (their coefficients are not contrasts).

Example
-------
>>> row = {"effect": "e", "theme": "fentanilo", "term": "section=nacional:post_event", "variables": "section:post_event",
...        "reference": "section=estados", "event": "Arancel", "event_date": "2025-02-03",
...        "estimate": 4.1, "ci_low": 2.04, "ci_high": 6.2}
>>> effect_sentence(row, {"section:post_event", "section", "post_event"}, "es", "month", 0.95, {"section": "estados"})
'Con «Arancel» (2025-02-03), section «nacional» pasó a dedicar 4,1 puntos más a fentanilo que «estados», respecto de antes (IC 95 %: 2,0–6,2).'
"""


import pandas as pd

from scripts.report.text import TEXT
from scripts.text.display import pretty_term
from scripts.text.numbers import format_number
from scripts.themes.labels import theme_label


def format_points(value: float, language: str) -> str:
    """One decimal, a decimal comma in Spanish, a true minus sign (``−2,5``)."""
    return format_number(value, ".1f", language).replace("-", "\u2212")


def format_interval(low: float, high: float, language: str) -> str:
    """``2,0–6,2``, or ``−6,2 a −2,0`` when a bound is negative (a dash beside a minus misreads)."""
    separator = "–" if low >= 0 else TEXT[language]["effect_to"]
    return f"{format_points(low, language)}{separator}{format_points(high, language)}"


def effect_sentence(row, terms: set, language: str, freq: str, level: float, references: dict,
                    theme_labels: dict | None = None) -> str:
    """One sentence for one effects.csv row.

    Parameters
    ----------
    row : mapping
        An effects.csv row.
    terms : set of str
        The ``variables`` of every term of the same effect (to say what a main effect is conditional on).
    language : {"es", "en"}
    freq : str
        ``time.freq`` (the unit of a trend).
    level : float
        Interval level.
    references : dict
        Reference level of each metadata variable of the effect (``section`` -> ``estados``).
    theme_labels : dict, optional
        Theme key -> the label readers see (``theme_labels.csv``); the key with spaces otherwise.
    """
    t = TEXT[language]
    values = {
        "theme": theme_label(row["theme"], theme_labels),
        "amount": format_points(abs(row["estimate"]), language),
        "direction": t["effect_more"] if row["estimate"] >= 0 else t["effect_less"],
        "change": t["effect_rose"] if row["estimate"] >= 0 else t["effect_fell"],
        "interval": t["effect_interval"].format(level=f"{level:.0%}".replace("%", t["percent"]),
                                                bounds=format_interval(row["ci_low"], row["ci_high"], language)),
        "event": row.get("event") or "", "date": row.get("event_date") or "",
        "period": t["effect_period"][freq],
    }
    pieces = str(row["term"]).split(":")
    levels = [piece.split("=", 1) for piece in pieces if "=" in piece]
    if levels:
        variable, level_name = levels[0]
        values.update(variable=pretty_term(variable), level=level_name, reference=references.get(variable, ""))
    kind = row["variables"]
    if kind == "time":
        return t["effect_trend"].format(**values)
    if kind == "post_event":
        others = [term for term in terms if "post_event" in term.split(":") and term != "post_event"]
        grouped = [part for term in others for part in term.split(":") if part not in ("post_event", "time")]
        values["group"] = t["effect_in_reference"].format(variable=pretty_term(grouped[0]),
                                                          reference=references.get(grouped[0], "")) if grouped else ""
        return t["effect_after"].format(**values)
    if len(pieces) == 1 and levels:
        before = f"{kind}:post_event" in terms or f"post_event:{kind}" in terms
        values["context"] = t["effect_before"].format(event=values["event"]) if before else ""
        sentence = t["effect_level"].format(**values)
        return sentence[0].upper() + sentence[1:]
    if len(pieces) == 2 and levels and "post_event" in pieces:
        return t["effect_level_event"].format(**values)
    return t["effect_other"].format(term=row["term"], **values)


def effect_sentences(effects: pd.DataFrame, language: str, freq: str, level: float,
                     theme_labels: dict | None = None) -> list[dict]:
    """Sentences for the rows whose interval excludes zero, grouped by effect (themes shown by their
    ``theme_labels``).

    Returns
    -------
    list of dict
        ``{"name", "formula", "sentences"}`` per effect, in the table's order.
    """
    sections = []
    text_columns = ["reference", "event", "event_date"]
    effects = effects.assign(**{column: effects[column].fillna("").astype(str) for column in text_columns})
    for name, rows in effects.groupby("effect", sort=False):
        terms = set(rows["variables"].astype(str))
        references = dict(part.split("=", 1) for text in rows["reference"] for part in text.split("; ") if "=" in part)
        shown = rows[~rows["term"].astype(str).str.startswith("spline(")]
        significant = shown[(shown["ci_low"] > 0) | (shown["ci_high"] < 0)]
        significant = significant.reindex(significant["estimate"].abs().sort_values(ascending=False).index)
        sentences = [effect_sentence(row, terms, language, freq, level, references, theme_labels)
                     for row in significant.to_dict("records")]
        sections.append({"name": name, "formula": rows["formula"].iloc[0], "sentences": sentences})
    return sections
