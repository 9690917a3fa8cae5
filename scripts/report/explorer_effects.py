"""The explorer's effects view: per effect and theme, each term's estimate and interval, and its sentence.

Built from ``results/themes/effects.csv`` (:mod:`scripts.themes.effects`) when ``effects`` is
configured. Numbers are written here, as the report writes them (:func:`scripts.report.effects.format_points`,
a decimal comma in Spanish), so the page shows the report's numbers; the page draws the forest plot
from the raw values. Spline coefficients are left out (they are not contrasts; the report's figure
draws the trend), and a term whose interval excludes zero gets the report's sentence
(:func:`scripts.report.effects.effect_sentence`).

Example
-------
>>> table = pd.DataFrame({"effect": ["e"], "formula": ["theme ~ section"], "theme": ["fentanilo"],
...     "term": ["section=nacional"], "variables": ["section"], "reference": ["section=estados"], "event": [""],
...     "event_date": [""], "estimate": [4.1], "ci_low": [2.04], "ci_high": [6.2], "level": [0.95], "n_term": [30]})
>>> entry = effect_entries(table, "es", "month")[0]
>>> entry["reference"], entry["themes"][0]["terms"][0][4:6]
('section = «estados»', ['4,1', '2,0–6,2'])
"""


import pandas as pd

from scripts.report.effects import effect_sentence, format_interval, format_points
from scripts.text.display import pretty_term
from scripts.themes.labels import theme_label


def _references(rows: pd.DataFrame) -> dict:
    """Reference level of each metadata variable named in the ``reference`` column (``section`` -> ``estados``)."""
    return dict(part.split("=", 1) for text in rows["reference"] for part in str(text).split("; ") if "=" in part)


def effect_entries(effects: pd.DataFrame, language: str, freq: str, labels: dict | None = None) -> list[dict]:
    """One entry per effect: ``name``, ``formula``, ``reference`` (text naming each reference level) and
    ``themes``, each with its ``terms`` as ``[term, estimate, ci_low, ci_high, estimate text, interval
    text, sentence ("" when the interval includes zero), n_term]`` (texts as in the report).

    Parameters
    ----------
    effects : pandas.DataFrame
        effects.csv.
    language, freq : str
        ``figures.language``, ``time.freq``.
    labels : dict, optional
        Theme labels (``theme_labels.csv``).
    """
    entries = []
    text_columns = ["reference", "event", "event_date"]
    effects = effects.assign(**{column: effects[column].fillna("").astype(str) for column in text_columns})
    for name, rows in effects.groupby("effect", sort=False):
        terms = set(rows["variables"].astype(str))
        references = _references(rows)
        level = float(rows["level"].iloc[0])
        shown = rows[~rows["term"].astype(str).str.startswith("spline(")]
        themes = []
        for theme, theme_rows in shown.groupby("theme", sort=False):
            themes.append({"name": theme, "label": theme_label(theme, labels), "terms": [
                [str(row["term"]), round(float(row["estimate"]), 6), round(float(row["ci_low"]), 6),
                 round(float(row["ci_high"]), 6), format_points(row["estimate"], language),
                 format_interval(row["ci_low"], row["ci_high"], language),
                 effect_sentence(row, terms, language, freq, level, references, labels)
                 if row["ci_low"] > 0 or row["ci_high"] < 0 else "", int(row["n_term"])]
                for row in theme_rows.to_dict("records")]})
        entries.append({
            "name": str(name), "formula": str(rows["formula"].iloc[0]), "level": level,
            "reference": ", ".join(f"{pretty_term(variable)} = «{level_name}»" for variable, level_name in references.items()),
            "splines": int(len(rows) - len(shown)),
            "themes": themes,
        })
    return entries
