"""Split long documents into segments: paragraphs, speaker turns, or fixed word windows.

Each function takes a body whose markup is already stripped (paragraph breaks kept, see
:func:`cleaning.normalise_paragraphs`) and returns ``(speaker, text)`` pairs in reading order;
``speaker`` is ``""`` except for speaker turns.

Example
-------
>>> from scripts.ingest.segment import split_speaker_turns
>>> body = "Título\\n15 de marzo de 2025\\n---\\nPRESIDENTA\\nBuenos días.\\n---\\nPREGUNTA\\n¿Y el agua?"
>>> split_speaker_turns(body)
[('PRESIDENTA', 'Buenos días.'), ('PREGUNTA', '¿Y el agua?')]
"""


import re

SEGMENT_MODES = ("none", "paragraphs", "speaker_turns", "window")
_SEPARATOR = re.compile(r"(?m)^[ \t]*-{3,}[ \t]*$")
_INLINE_SPEAKER = re.compile(r"(?m)^[ \t]*([A-ZÁÉÍÓÚÜÑ][A-ZÁÉÍÓÚÜÑ0-9 .,'()\-]{1,100}?)[ \t]*:[ \t]*")
_MAX_LABEL_WORDS = 30


def split_paragraphs(body: str) -> list[tuple[str, str]]:
    """One segment per paragraph (blank-line separated; per line when there is no blank line).

    Examples
    --------
    >>> split_paragraphs("Uno.\\n\\nDos\\ntres.")
    [('', 'Uno.'), ('', 'Dos\\ntres.')]
    >>> split_paragraphs("Uno.\\nDos.")
    [('', 'Uno.'), ('', 'Dos.')]
    """
    body = _SEPARATOR.sub("\n\n", body)
    chunks = [chunk.strip() for chunk in re.split(r"\n\s*\n", body)]
    if len(chunks) == 1:
        chunks = [line.strip() for line in body.split("\n")]
    return [("", chunk) for chunk in chunks if chunk]


def _is_label(line: str) -> bool:
    """A speaker label: a short line written in capitals (``PRESIDENTE ANDRÉS MANUEL ...``)."""
    letters = [ch for ch in line if ch.isalpha()]
    return (
        bool(letters)
        and sum(ch.isupper() for ch in letters) >= 0.8 * len(letters)
        and len(line.split()) <= _MAX_LABEL_WORDS
    )


def split_speaker_turns(body: str) -> list[tuple[str, str]]:
    """One segment per speaker turn, with the speaker's label.

    Turns are separated by lines of ``---`` (the part before the first separator is the
    transcript's header: title, author, date, and is not a turn); the first line of a turn is
    the speaker label when written in capitals. Without separators, turns start at lines such
    as ``PREGUNTA: ...``. Without either, the whole body is one turn with speaker ``""``.

    Examples
    --------
    >>> split_speaker_turns("PRESIDENTE: Buenos días.\\nSigue.\\nPREGUNTA: ¿Y?")
    [('PRESIDENTE', 'Buenos días.\\nSigue.'), ('PREGUNTA', '¿Y?')]
    """
    pieces = _SEPARATOR.split(body)
    turns = []
    if len(pieces) > 1:
        for piece in pieces[1:]:
            lines = piece.strip().split("\n")
            if _is_label(lines[0].strip()):
                speaker, text = lines[0].strip(), "\n".join(lines[1:]).strip()
            else:
                speaker, text = "", piece.strip()
            if speaker or text:
                turns.append((speaker, text))
        return turns
    starts = list(_INLINE_SPEAKER.finditer(body))
    if not starts:
        return [("", body.strip())] if body.strip() else []
    if body[: starts[0].start()].strip():
        turns.append(("", body[: starts[0].start()].strip()))
    for match, following in zip(starts, starts[1:] + [None]):
        end = following.start() if following else len(body)
        turns.append((match.group(1).strip(), body[match.end():end].strip()))
    return turns


def split_window(body: str, window_words: int) -> list[tuple[str, str]]:
    """Consecutive windows of ``window_words`` words; a last window shorter than half is merged.

    Examples
    --------
    >>> [len(text.split()) for _, text in split_window(" ".join(["w"] * 24), 10)]
    [10, 14]
    """
    words = body.split()
    if not words:
        return []
    starts = list(range(0, len(words), window_words))
    if len(starts) > 1 and len(words) - starts[-1] < window_words / 2:
        starts.pop()
    ends = starts[1:] + [len(words)]
    return [("", " ".join(words[start:end])) for start, end in zip(starts, ends)]


def split_document(body: str, mode: str, window_words: int) -> list[tuple[str, str]]:
    """Segments of a body by ``corpus.segment`` mode (``none`` gives the whole body).

    Parameters
    ----------
    body : str
        Markup-free text with paragraph breaks.
    mode : str
        One of ``none``, ``paragraphs``, ``speaker_turns``, ``window``.
    window_words : int
        Window length for ``window``.

    Returns
    -------
    list of (str, str)
        ``(speaker, text)`` pairs.
    """
    if mode == "none":
        return [("", body)]
    if mode == "paragraphs":
        return split_paragraphs(body)
    if mode == "speaker_turns":
        return split_speaker_turns(body)
    if mode == "window":
        return split_window(body, window_words)
    raise ValueError(f"unknown segment mode {mode!r}; use one of {', '.join(SEGMENT_MODES)}")
