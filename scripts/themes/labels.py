"""``results/themes/theme_labels.csv``: the label readers see for each theme, read by figures and report.

The labels come from :func:`scripts.settings.themes.theme_labels` (the configured label, else the
key with its accents restored from the seed words and the corpus vocabulary); every figure and the
report show a theme through :func:`read_theme_labels`, while file names and the ``theme`` columns of
the tables keep the key.

Example
-------
>>> labels_table({"economia": ["cosecha"]}, {}, ["economía"]).to_dict("records")
[{'theme': 'economia', 'label': 'Economía', 'configured': False}]
"""

import logging
from pathlib import Path

import pandas as pd

from scripts.settings.themes import theme_labels
from scripts.text.display import pretty_term

logger = logging.getLogger(__name__)


def labels_table(themes: dict, labels: dict, vocabulary) -> pd.DataFrame:
    """``theme, label, configured`` for every theme, in config order.

    Parameters
    ----------
    themes : dict
        Name -> seed words (``config["themes"]`` after the config check).
    labels : dict
        The labels written in the config (name -> label).
    vocabulary : iterable of str
        Terms of the corpus vocabulary.
    """
    shown = theme_labels(themes, labels, vocabulary)
    return pd.DataFrame({"theme": list(shown), "label": list(shown.values()),
                         "configured": [name in (labels or {}) for name in shown]})


def read_theme_labels(path) -> dict:
    """Theme key -> label from ``theme_labels.csv`` (empty when no path is given).

    Themes missing from the table keep their key; callers use ``labels.get(theme, theme)``.
    """
    if not path or not Path(path).exists():
        return {}
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    return dict(zip(table["theme"], table["label"]))


def run_label_themes(smk) -> None:
    """Snakemake entry point of ``label_themes``."""
    vocabulary = pd.read_csv(smk.input.vocabulary, usecols=["term"], dtype=str, keep_default_na=False)["term"]
    table = labels_table(dict(smk.params.themes), dict(smk.params.labels), vocabulary)
    Path(smk.output.labels).parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(smk.output.labels, index=False)
    logger.info("theme labels: %s", "; ".join(f"{row.theme} -> {row.label}" for row in table.itertuples()))


def theme_label(theme: str, labels: dict | None) -> str:
    """What a reader sees for ``theme``: its label (``theme_labels.csv``), else the key as words.

    >>> theme_label("economia", {"economia": "Economía"}), theme_label("guardia_nacional", None)
    ('Economía', 'guardia nacional')
    """
    return (labels or {}).get(theme) or pretty_term(theme)
