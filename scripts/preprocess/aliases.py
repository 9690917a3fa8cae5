"""Entity aliases: several spellings of one actor become one canonical token before tokenization.

``EE.UU.``, ``EEUU`` and ``Estados Unidos`` all become ``estados_unidos``; ``AMLO`` and ``López
Obrador`` become ``lopez_obrador``. The mapping is ``canonical token → spellings`` (in config or a
YAML file; the default is ``resources/aliases_mx_us.yaml``). Spellings match whole tokens,
ignoring case and accents, right after tokenization and before any other normalisation.

Example
-------
>>> replacer = AliasReplacer({"lopez_obrador": ["amlo", "lópez obrador"]}, str.split)
>>> replacer.replace_tokens("Dijo AMLO y Lopez Obrador".split())
['Dijo', 'lopez_obrador', 'y', 'lopez_obrador']
"""


import re
import unicodedata
from pathlib import Path

import yaml

from scripts.logs import UserInputError
from scripts.text.accents import fold_accents

REPOSITORY = Path(__file__).resolve().parents[2]

#: A canonical token: lowercase letters (accents allowed) joined by underscores.
CANONICAL_PATTERN = re.compile(r"[^\W\d_]+(?:_[^\W\d_]+)*")


class AliasError(UserInputError):
    """The ``preprocess.aliases`` mapping or file cannot be used."""


_SEPARATORS = re.compile(r"[\s.,\-]+")


def _bare(text: str) -> str:
    """``text`` without accents (ñ kept, see :mod:`scripts.text.accents`), dots, commas, hyphens or whitespace."""
    return _SEPARATORS.sub("", fold_accents(text))


def resolve_alias_path(path: str, base: Path | None = None) -> Path:
    """The aliases file ``path``: relative to ``base`` (the run directory) first, then the repository."""
    candidates = [Path(path)] if Path(path).is_absolute() else [(base or Path.cwd()) / path, REPOSITORY / path]
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    raise AliasError(
        f"preprocess.aliases: file {path!r} not found (looked in {', '.join(str(c) for c in candidates)}); "
        "give an existing YAML file or a mapping canonical_token: [spellings]"
    )


def load_aliases(spec: str | dict | None, base: Path | None = None) -> dict[str, list[str]]:
    """The alias mapping from config: a mapping, a path to a YAML mapping, or ``None``/empty (none).

    Parameters
    ----------
    spec : str, dict or None
        ``preprocess.aliases``: ``canonical_token: [spelling, ...]`` or the path of a YAML file
        holding such a mapping.
    base : pathlib.Path, optional
        Directory relative paths are read from first (default: the working directory).

    Returns
    -------
    dict of str to list of str
        Canonical token → spellings (lowercased, NFC), in a deterministic (sorted) order.

    Examples
    --------
    >>> load_aliases({"Guardia_Nacional": "Guardia Nacional"})
    {'guardia_nacional': ['guardia nacional']}
    """
    source = "preprocess.aliases"
    if isinstance(spec, str):
        path = resolve_alias_path(spec, base)
        source = str(path)
        try:
            spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as error:
            raise AliasError(f"{path}: not valid YAML ({error}); fix the file") from None
    if not spec:
        return {}
    if not isinstance(spec, dict):
        raise AliasError(f"{source}: expected a mapping canonical_token: [spellings], got {type(spec).__name__}")
    aliases = {}
    for canonical, spellings in spec.items():
        token = unicodedata.normalize("NFC", str(canonical).strip().lower())
        if not CANONICAL_PATTERN.fullmatch(token):
            raise AliasError(
                f"{source}: canonical token {canonical!r} must be letters joined by '_' (e.g. estados_unidos)"
            )
        if isinstance(spellings, str):
            spellings = [spellings]
        if not isinstance(spellings, list) or not all(isinstance(s, str) and s.strip() for s in spellings):
            raise AliasError(f"{source}: {canonical!r} needs a list of non-empty spellings")
        aliases[token] = sorted({unicodedata.normalize("NFC", s.strip().lower()) for s in spellings})
    return dict(sorted(aliases.items()))


class AliasReplacer:
    """Replace every spelling of an alias by its canonical token, in a list of raw tokens.

    Spellings are tokenized like the text (``ee.uu.`` → ``ee . uu``; a final dot is left to the
    text) and compared without case or accents, longest spelling first. Only positions whose
    token can start a spelling (as written, folded, Capitalised or UPPER) are examined, so a
    document without aliases costs one set intersection.

    Parameters
    ----------
    aliases : dict of str to list of str
        Canonical token → spellings (see :func:`load_aliases`).
    tokenize : callable
        The text tokenizer (str → list of str) the spellings are split with.
    """

    def __init__(self, aliases: dict[str, list[str]], tokenize) -> None:
        aliases = load_aliases(aliases) if aliases else {}
        self.canonical_tokens = frozenset(aliases)
        self._spellings: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        owner_of: dict[tuple[str, ...], str] = {}
        triggers = set()
        for canonical, spellings in aliases.items():
            for spelling in spellings:
                raw = tokenize(spelling)
                parts = [_bare(t) or t for t in raw]
                while parts and parts[-1] == ".":
                    parts.pop()
                key = tuple(parts)
                if not key:
                    continue
                owner = owner_of.setdefault(key, canonical)
                if owner != canonical:
                    raise AliasError(f"preprocess.aliases: {spelling!r} is a spelling of both {owner} and {canonical}")
                self._spellings.setdefault(key[0], []).append((key, canonical))
                for first in {key[0], raw[0].lower()}:  # as written and folded, in the usual cases
                    triggers |= {first, first.capitalize(), first.upper()}
        for candidates in self._spellings.values():
            candidates.sort(key=lambda item: (-len(item[0]), item[0]))
        self._triggers = frozenset(triggers)  # first tokens, as written and folded: the fast test

    def replace_tokens(self, words: list[str]) -> list[str]:
        """``words`` with each alias spelling replaced by its canonical token.

        >>> split = lambda text: text.replace(".", " . ").split()
        >>> AliasReplacer({"estados_unidos": ["estados unidos", "ee.uu."]}, split).replace_tokens(
        ...     ["Los", "Estados", "Unidos", "y", "EE", ".", "UU", "."])
        ['Los', 'estados_unidos', 'y', 'estados_unidos', '.']
        """
        if not self._spellings:
            return words
        present = self._triggers.intersection(words)
        if not present:
            return words
        starts = []
        for trigger in present:  # positions by C-level list.index scans, not a Python loop per token
            i = words.index(trigger)
            while True:
                starts.append(i)
                try:
                    i = words.index(trigger, i + 1)
                except ValueError:
                    break
        out: list[str] = []
        done, n = 0, len(words)
        for i in sorted(starts):
            if i < done:
                continue
            for key, canonical in self._spellings.get(_fold(words[i]), ()):
                end = i + len(key)
                if end <= n and all(_fold(words[j]) == key[j - i] for j in range(i + 1, end)):
                    out.extend(words[done:i])
                    out.append(canonical)
                    done = end
                    break
        out.extend(words[done:])
        return out


def _fold(token: str) -> str:
    """Lowercase token without accents (ñ kept), as spellings are compared."""
    return _FOLDED.get(token) or _FOLDED.setdefault(token, _bare(token.lower()) or token)


_FOLDED: dict[str, str] = {}
