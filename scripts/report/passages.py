"""The passage of a document shown in the explorer: a window of words around its seed words.

A document's text is cut to ``n_words`` words around the place where the theme's seed words are
densest, and the seed words inside it are marked as ``[start, end)`` character spans, so a page
can highlight them without parsing anything. Seed words are matched on the words of the text,
lowercased and without accents, with the common inflections of Spanish nouns and adjectives
(plural ``-s``/``-es``, ``z`` → ``-ces``, gender ``-o``/``-a``), so ``opioide`` marks
"opioides" and ``operativo`` marks "operativa".

Example
-------
>>> forms = seed_forms(["sobredosis", "opioide"])
>>> passage("Otra muerte por sobredosis de opioides en la ciudad", forms, n_words=5)
('…por sobredosis de opioides en…', [[5, 15], [19, 27]])
"""


import re

from scripts.text.accents import fold_accents

WORD = re.compile(r"\w+", re.UNICODE)


def _fold(word: str) -> str:
    return fold_accents(word.lower())


def word_forms(word: str) -> set[str]:
    """A seed word and its regular inflections, lowercased and without accents.

    >>> sorted(word_forms("Luz"))
    ['luces', 'luz', 'luzes', 'luzs']
    >>> {"operativa", "operativos"} <= word_forms("operativo")
    True
    """
    word = _fold(word)
    forms = {word, word + "s", word + "es"}
    if word.endswith("z"):
        forms.add(word[:-1] + "ces")
    if word[-1:] in ("o", "a"):
        stem = word[:-1]
        forms.update({stem + "o", stem + "a", stem + "os", stem + "as"})
    return forms


def seed_forms(seed_words) -> frozenset:
    """Every form that marks one of ``seed_words`` (terms, phrases with ``_`` or spaces).

    Words of phrases count one by one; words of three letters or fewer inside a phrase (``de``,
    ``la``) are left out.

    >>> sorted(seed_forms(["gol"]))
    ['gol', 'goles', 'gols']
    """
    forms = set()
    for seed in seed_words:
        parts = str(seed).replace("_", " ").split()
        for part in parts:
            if len(parts) == 1 or len(part) > 3:
                forms |= word_forms(part)
    return frozenset(forms)


def passage(text: str, forms, n_words: int) -> tuple[str, list]:
    """``n_words`` words of ``text`` around its densest seed words, and the seed spans in them.

    Parameters
    ----------
    text : str
        The document's text.
    forms : frozenset of str
        Output of :func:`seed_forms`.
    n_words : int
        Length of the passage in words.

    Returns
    -------
    tuple of (str, list)
        The passage (``…`` where text was cut) and ``[start, end)`` spans of the seed words in
        it. Without any seed word, the opening ``n_words`` words and no span.
    """
    text = str(text or "")
    words = list(WORD.finditer(text))
    if not words:
        return text[:200], []
    hits = [index for index, word in enumerate(words) if _fold(word.group()) in forms]
    first = 0
    if hits:
        best, left = 0, 0
        for right in range(len(hits)):  # the window of n_words with the most hits
            while hits[right] - hits[left] >= n_words:
                left += 1
            if right - left + 1 > best:
                best, first = right - left + 1, hits[left]
        first = max(0, min(first - n_words // 4, len(words) - n_words))
    last = min(len(words), first + n_words) - 1
    start = 0 if first == 0 else words[first].start()
    end = len(text) if last == len(words) - 1 else words[last].end()
    prefix = "" if start == 0 else "…"
    suffix = "" if end == len(text) else "…"
    body = " ".join(text[start:end].split())
    marks = []
    for match in WORD.finditer(body):
        if _fold(match.group()) in forms:
            marks.append([match.start() + len(prefix), match.end() + len(prefix)])
    return prefix + body + suffix, marks
