"""Accent folding: the one place where diacritics are removed from Spanish text.

Policy: **ñ and Ñ are letters, not accented n**, so they are always kept (``año`` and ``ano``
stay apart); every other combining mark goes (``acción`` → ``accion``, ``pingüino`` →
``pinguino``, ``ç`` → ``c``). Case is kept (callers lowercase first when they compare without
case). Input may be composed (NFC) or decomposed (NFD, e.g. ``"n\\u0303"`` for ñ): the result is
the same NFC text either way.

Used by ingest (month names in dates), preprocess (alias spellings compared without accents,
``preprocess.strip_accents``).

Example
-------
>>> fold_accents("Acción, PINGÜINO y Ñandú en España")
'Accion, PINGUINO y Ñandu en España'
"""


import unicodedata

_TILDE = "\u0303"  # combining tilde: kept after n/N (ñ/Ñ), dropped elsewhere (ã → a)


def fold_accents(text: str) -> str:
    """``text`` without accents and other combining marks; ñ and Ñ kept, case kept.

    Parameters
    ----------
    text : str
        Any text, composed (NFC) or decomposed (NFD).

    Returns
    -------
    str
        NFC text in which only ñ/Ñ carry a diacritic.

    Examples
    --------
    >>> fold_accents("Pingüino Ñandú")
    'Pinguino Ñandu'
    >>> fold_accents("Pen\\u0303a Nieto") == "Peña Nieto"  # decomposed ñ
    True
    >>> fold_accents("São Paulo")
    'Sao Paulo'
    """
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFD", text)
    kept = []
    previous = ""
    for char in decomposed:
        # in NFD a composed ñ/Ñ is exactly n/N followed at once by the combining tilde
        if unicodedata.category(char) != "Mn" or (char == _TILDE and previous in ("n", "N")):
            kept.append(char)
        previous = char
    return unicodedata.normalize("NFC", "".join(kept))
