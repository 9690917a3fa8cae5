"""How the explorer writes a term: one function, so a better display form changes it in one place.

Themes are named by :func:`scripts.themes.labels.theme_label` (the same function as the figures
and the report).

Example
-------
>>> term_label("crisis_de_opioide")
'crisis de opioide'
"""


from scripts.text.display import pretty_term


def term_label(term: str) -> str:
    """A vocabulary term (lemma or phrase) as the reader sees it."""
    return pretty_term(term)
