"""Decoding corpus files: UTF-8, byte-order marks, mixed UTF-8/cp1252 files, legacy encodings.

Researchers' folders mix encodings: a scraper saved some files in cp1252, an editor re-saved
others as UTF-8, a concatenation mixed both inside one file. :func:`decode_bytes` reads all of
them without losing a line, and says which encoding it used; binary files are named as such.

Example
-------
>>> from scripts.ingest.decoding import decode_bytes
>>> decode_bytes("Peña".encode("utf-8"))
('Peña', 'utf-8')
"""


import re
from pathlib import Path

from charset_normalizer import from_bytes

LEGACY_ENCODINGS = ["cp1252", "latin_1", "iso8859_15", "cp850", "mac_roman", "utf_16", "utf_32"]
_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))
_C1 = re.compile("[\x80-\x9f]")


class UnreadableFile(Exception):
    """A file that is not text in any encoding tried; ``reason`` is ``binary_file`` or ``unreadable``."""

    def __init__(self, reason: str, detail: str):
        super().__init__(detail)
        self.reason, self.detail = reason, detail


def decode_bytes(data: bytes, encoding: str = "auto") -> tuple[str, str]:
    """Decode a file's bytes; return ``(text, encoding used)``.

    With ``auto``: a byte-order mark wins; then UTF-8; then, for files that mix UTF-8 lines
    with legacy lines, each line is decoded on its own (UTF-8, else cp1252); then the best
    legacy encoding found by charset-normalizer. NUL bytes mean a binary file.

    Parameters
    ----------
    data : bytes
        File content.
    encoding : str
        ``auto`` or a Python codec name (then used strictly).

    Returns
    -------
    tuple of (str, str)

    Raises
    ------
    UnreadableFile
        When the bytes are binary or not valid in the configured encoding.

    Examples
    --------
    >>> decode_bytes("año".encode("cp1252"))
    ('año', 'cp1252')
    >>> decode_bytes("año\\n".encode("utf-8") + "niño".encode("cp1252"))
    ('año\\nniño', 'mixed utf-8/cp1252')
    """
    if encoding != "auto":
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError as error:
            raise UnreadableFile("unreadable", f"not valid {encoding} at byte {error.start}; fix corpus.encoding or use auto") from None
        except LookupError:
            raise UnreadableFile("unreadable", f"unknown encoding '{encoding}' in corpus.encoding") from None
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec), codec
            except UnicodeDecodeError:
                break
    if b"\x00" in data[:65536]:
        raise UnreadableFile("binary_file", "contains NUL bytes: not a text file")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    lines = data.split(b"\n")
    decoded, utf8_evidence = [], False
    for line in lines:
        try:
            text = line.decode("utf-8")
            utf8_evidence = utf8_evidence or not line.isascii()
        except UnicodeDecodeError:
            text = line.decode("cp1252", errors="replace")
        decoded.append(text)
    if utf8_evidence:
        return "\n".join(decoded), "mixed utf-8/cp1252"
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        pass
    best = from_bytes(data, cp_isolation=LEGACY_ENCODINGS).best()
    if best is None:
        raise UnreadableFile("binary_file", "not text in UTF-8 or any legacy encoding tried")
    return str(best), best.encoding


def repair_c1(text: str) -> str:
    """Replace C1 control characters (U+0080–U+009F) by the cp1252 characters they stand for.

    Text once decoded as Latin-1 instead of cp1252 carries its curly quotes and dashes as
    invisible control characters (YAML even refuses to parse them).

    Examples
    --------
    >>> repair_c1("por \x93complicado\x94 problema")
    'por “complicado” problema'
    """
    if not _C1.search(text):
        return text
    return _C1.sub(lambda m: m.group(0).encode("latin-1").decode("cp1252", errors="replace").replace("\ufffd", ""), text)


def read_file_text(path: Path, encoding: str = "auto") -> tuple[str, str]:
    """Read and decode a whole file (see :func:`decode_bytes`) and repair C1 characters.

    OS errors become :class:`UnreadableFile`.
    """
    try:
        data = path.read_bytes()
    except OSError as error:
        raise UnreadableFile("unreadable", f"{type(error).__name__}: {error.strerror or error}") from None
    text, used = decode_bytes(data, encoding)
    return repair_c1(text), used
