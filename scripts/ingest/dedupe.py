"""Exact and near-duplicate documents (syndicated copies), found in a fixed order.

Documents are offered in the order they are kept (date, then id), so the earliest copy stays
and later ones are set aside with the id of the copy they repeat. Near-duplicates are found
with MinHash over word shingles and locality-sensitive hashing (datasketch), with a fixed seed
and a deterministic hash function, so reruns set aside the same documents.

Example
-------
>>> from scripts.ingest.dedupe import DuplicateFinder
>>> finder = DuplicateFinder(near_threshold=0.8, num_perm=64, shingle_words=3, seed=1)
>>> base = "el gobierno anunció hoy un nuevo plan de seguridad para la frontera norte del país"
>>> finder.check("a", base) is None
True
>>> finder.check("b", base.upper() + "!")
('exact_duplicate', 'a')
>>> finder.check("c", base + " ayer")[0]
'near_duplicate'
"""


import hashlib
import re
import zlib

import numpy as np
from datasketch import MinHash, MinHashLSH

_WORD = re.compile(r"\w+")
_MULTIPLIER = np.uint64(1_000_003)
_MASK = np.uint64(0xFFFFFFFF)
_WORD_HASHES: dict[str, int] = {}


def text_words(text: str) -> list[str]:
    """Case-folded words of a text (punctuation and spacing ignored).

    Examples
    --------
    >>> text_words("¡Hola, MUNDO!")
    ['hola', 'mundo']
    """
    return _WORD.findall(text.casefold())


def exact_key(words: list[str]) -> bytes:
    """A digest of the normalised text: equal for texts that differ only in case/punctuation."""
    return hashlib.blake2b(" ".join(words).encode("utf-8"), digest_size=16).digest()


def shingle_hashes(words: list[str], size: int) -> np.ndarray:
    """Distinct 32-bit hashes of the word ``size``-grams (one hash when the text is shorter).

    Each word is hashed with CRC-32 (deterministic, unlike Python's ``hash``) and the hashes of
    consecutive words are combined by a polynomial rolling hash, all in numpy.

    Examples
    --------
    >>> len(shingle_hashes(["a", "b", "c", "a", "b"], 2))
    3
    """
    cache = _WORD_HASHES if len(_WORD_HASHES) < 2_000_000 else {}
    get = cache.get
    values = [get(word) for word in words]
    if None in values:
        for index, value in enumerate(values):
            if value is None:
                values[index] = cache[words[index]] = zlib.crc32(words[index].encode("utf-8"))
    word_hashes = np.array(values, dtype=np.uint64)
    size = min(size, len(words)) or 1
    if not len(word_hashes):
        return np.zeros(1, dtype=np.uint64)
    count = len(word_hashes) - size + 1
    combined = np.zeros(count, dtype=np.uint64)
    for offset in range(size):
        combined = (combined * _MULTIPLIER + word_hashes[offset:offset + count]) & _MASK
    return np.unique(combined)


class DuplicateFinder:
    """Remembers the documents kept so far and tells whether a new one repeats one of them.

    Parameters
    ----------
    near_threshold : float or None
        Estimated Jaccard similarity of word shingles at or above which a document is a
        near-duplicate; ``None`` checks exact duplicates only.
    num_perm : int
        MinHash permutations (more: more precise, slower).
    shingle_words : int
        Words per shingle.
    seed : int
        MinHash seed.
    """

    def __init__(self, near_threshold: float | None, num_perm: int, shingle_words: int, seed: int):
        self.near_threshold = near_threshold
        self.num_perm = num_perm
        self.shingle_words = shingle_words
        self.seed = seed
        self._exact: dict[bytes, str] = {}
        self._minhashes: dict[str, MinHash] = {}
        self._lsh = MinHashLSH(threshold=near_threshold, num_perm=num_perm) if near_threshold else None
        template = MinHash(num_perm=num_perm, seed=seed)
        self._permutations, self._scheme = template.permutations, template.scheme

    def _minhash(self, words: list[str]) -> MinHash:
        minhash = MinHash(num_perm=self.num_perm, seed=self.seed, hashfunc=int, permutations=self._permutations,
                          scheme=self._scheme)
        minhash.update_batch(shingle_hashes(words, self.shingle_words))
        return minhash

    def check(self, doc_id: str, text: str) -> tuple[str, str] | None:
        """``(reason, id of the earlier copy)`` when ``text`` repeats a kept document, else ``None``.

        A document that is not a duplicate is remembered (it is kept).

        Parameters
        ----------
        doc_id : str
            Id of the document offered.
        text : str
            Its cleaned text.

        Returns
        -------
        tuple of (str, str) or None
            ``("exact_duplicate", id)``, ``("near_duplicate", id)`` or ``None``.
        """
        words = text_words(text)
        key = exact_key(words)
        if key in self._exact:
            return "exact_duplicate", self._exact[key]
        if self._lsh is not None:
            minhash = self._minhash(words)
            candidates = sorted(self._lsh.query(minhash))
            best = max(candidates, key=lambda other: self._minhashes[other].jaccard(minhash), default=None)
            if best is not None and self._minhashes[best].jaccard(minhash) >= self.near_threshold:
                return "near_duplicate", best
            self._lsh.insert(doc_id, minhash)
            self._minhashes[doc_id] = minhash
        self._exact[key] = doc_id
        return None

    def similarity_to(self, doc_id: str, text: str) -> float:
        """Estimated Jaccard similarity between ``text`` and a kept document (for reports)."""
        return float(self._minhashes[doc_id].jaccard(self._minhash(text_words(text))))
