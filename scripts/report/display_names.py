"""How the explorer names a theme and writes a term: one function each, so both can be swapped.

Every theme name and every term the explorer shows goes through :func:`theme_label` and
:func:`term_label` (and nothing else), so a better display form (a configured label, the
corpus's most frequent surface form) changes them in one place.

Example
-------
>>> theme_label("seguridad_cooperacion"), term_label("crisis_de_opioide")
('seguridad cooperacion', 'crisis de opioide')
"""


from scripts.text.display import pretty_term


def theme_label(name: str, labels: dict | None = None) -> str:
    """The name of theme ``name`` as the reader sees it.

    ``labels`` is ``results/themes/theme_labels.csv`` read by
    :func:`scripts.themes.labels.read_theme_labels` (the configured label, else the key with its
    accents restored); without it, or for a theme missing from it, the key with spaces.
    """
    return (labels or {}).get(name) or pretty_term(name)


def term_label(term: str) -> str:
    """A vocabulary term (lemma or phrase) as the reader sees it."""
    return pretty_term(term)
