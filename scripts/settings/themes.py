"""The ``themes`` config section: seed words, and the label a reader sees for each theme.

A theme is written either as a plain list of seed words or as ``{label: ..., words: [...]}``.
:func:`split_themes` turns both forms into ``name -> words`` (what every stage reads as
``config["themes"]``, normalised once by the config check) and ``name -> label`` (only the
labels written in the config). :func:`theme_labels` gives the label of every theme, and is the
one place a theme's display name comes from (figures, report): the configured label, else the
key with underscores as spaces, each word written with its accents when a seed word of the theme
or a term of the corpus vocabulary has the same accent-folded form, the first letter capitalised.
File names and the ``theme`` columns of the tables keep the keys.

Example
-------
>>> words, labels = split_themes({"fentanilo": {"label": "Fentanilo", "words": ["fentanilo"]},
...                               "soberania": ["soberanía", "injerencia"]})
>>> words
{'fentanilo': ['fentanilo'], 'soberania': ['soberanía', 'injerencia']}
>>> theme_labels(words, labels, vocabulary=["economía"])
{'fentanilo': 'Fentanilo', 'soberania': 'Soberanía'}
>>> display_label("seguridad_cooperacion", ["seguridad", "cooperación"])
'Seguridad cooperación'
"""

from collections.abc import Iterable

from scripts.text.accents import fold_accents


def split_themes(themes: dict) -> tuple[dict, dict]:
    """Seed words and configured labels of every theme, from either config form.

    Parameters
    ----------
    themes : dict
        The ``themes`` config section: name -> list of seed words, or name ->
        ``{"label": str, "words": list}`` (``label`` optional).

    Returns
    -------
    words : dict
        Name -> list of seed words, in config order.
    labels : dict
        Name -> label, only for the themes whose label is written in the config.
    """
    words, labels = {}, {}
    for name, spec in (themes or {}).items():
        if isinstance(spec, dict):
            words[name] = list(spec.get("words", []))
            if spec.get("label"):
                labels[name] = str(spec["label"])
        else:
            words[name] = list(spec)
    return words, labels


def theme_words(themes: dict) -> dict:
    """Name -> seed words of a ``themes`` section in either form (see :func:`split_themes`).

    >>> theme_words({"deportes": {"words": ["gol"]}})
    {'deportes': ['gol']}
    """
    return split_themes(themes)[0]


def _accented_forms(words: Iterable[str]) -> dict:
    """Lower-case accent-folded form -> the first accented spelling among ``words`` (single words only)."""
    forms = {}
    for word in words:
        text = str(word).strip().lower()
        if text and " " not in text and "_" not in text and fold_accents(text) != text:
            forms.setdefault(fold_accents(text), text)
    return forms


def display_label(name: str, seed_words: Iterable[str] = (), vocabulary: Iterable[str] = ()) -> str:
    """The label of a theme without a configured one, derived from its key.

    Parameters
    ----------
    name : str
        The theme's key (``[A-Za-z0-9_]+``).
    seed_words : iterable of str
        The theme's seed words; their accents win over the vocabulary's.
    vocabulary : iterable of str
        Terms of the corpus vocabulary (``results/corpus/vocabulary.csv``), or nothing.

    Returns
    -------
    str
        Underscores as spaces, each word with its accents restored when a seed word or a
        vocabulary term folds to it, the first letter capitalised.

    Examples
    --------
    >>> display_label("economia", ["cosecha"], ["economía", "comercio"])
    'Economía'
    >>> display_label("sin_vocabulario")
    'Sin vocabulario'
    """
    forms = {**_accented_forms(vocabulary), **_accented_forms(seed_words)}
    parts = [forms.get(fold_accents(part.lower()), part) for part in str(name).split("_") if part]
    text = " ".join(parts)
    return text[:1].upper() + text[1:]


def theme_labels(themes: dict, labels: dict | None = None, vocabulary: Iterable[str] = ()) -> dict:
    """Name -> display label of every theme: the configured label, else :func:`display_label`.

    Parameters
    ----------
    themes : dict
        The ``themes`` section in either form.
    labels : dict, optional
        Configured labels (name -> label), when ``themes`` is already name -> words.
    vocabulary : iterable of str
        Terms of the corpus vocabulary.

    Returns
    -------
    dict
        One label per theme, in ``themes`` order.
    """
    words, declared = split_themes(themes)
    declared = {**declared, **(labels or {})}
    vocabulary = list(vocabulary)
    return {name: declared.get(name) or display_label(name, seeds, vocabulary) for name, seeds in words.items()}
