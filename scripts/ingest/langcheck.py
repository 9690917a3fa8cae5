"""Language check: documents confidently written in another language are set aside.

Uses py3langid, whose model ships inside the package (nothing is downloaded at run time).
Short texts are not judged (language identification is unreliable on a few words), and a
document is rejected only when another language wins with high confidence, so Spanish texts
full of names or English loanwords stay.

Example
-------
>>> from scripts.ingest.langcheck import LanguageCheck
>>> check = LanguageCheck(keep=("es",), min_words=5, min_confidence=0.9)
>>> check.foreign_language("El gobierno anunció hoy un nuevo programa de becas para estudiantes.")
>>> check.foreign_language("The government announced a new scholarship programme for students today.")[0]
'en'
"""


from functools import lru_cache

SPANISH_MARKERS = frozenset(
    "el la los las del y que en un una con por para se es al su sus lo más pero fue este esta como".split()
)


@lru_cache(maxsize=1)
def _identifier():
    """The packaged py3langid model, loaded once, with normalised probabilities."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


class LanguageCheck:
    """Decide whether a text is in a language to keep.

    Parameters
    ----------
    keep : sequence of str
        ISO 639-1 codes of the languages to keep (``("es",)``).
    min_words : int
        Texts with fewer words are not judged (always kept).
    min_confidence : float
        Probability the winning foreign language needs before a text is set aside.
    max_chars : int
        Only the first ``max_chars`` characters are looked at (speed on very long documents).
    marker_share : float
        When Spanish is kept, a text in which at least this share of the words are Spanish
        function words (``el, la, que, del, los`` ...; about 0.35 in Spanish prose, under 0.1 in
        English) is taken as Spanish without running the model (speed).
    """

    def __init__(self, keep, min_words: int, min_confidence: float, max_chars: int = 1500,
                 marker_share: float = 0.25):
        self.keep = set(keep)
        self.min_words = min_words
        self.min_confidence = min_confidence
        self.max_chars = max_chars
        self.marker_share = marker_share

    def foreign_language(self, text: str) -> tuple[str, float] | None:
        """``(language, probability)`` when the text is confidently in another language, else ``None``.

        Parameters
        ----------
        text : str
            Cleaned document text.

        Returns
        -------
        tuple of (str, float) or None
            The probability is rounded to 3 decimals.
        """
        sample = text[: self.max_chars]
        words = sample.lower().split()
        if len(words) < self.min_words:
            return None
        if "es" in self.keep and sum(word in SPANISH_MARKERS for word in words) >= self.marker_share * len(words):
            return None
        language, probability = _identifier().classify(sample)
        if language in self.keep or probability < self.min_confidence:
            return None
        return language, round(float(probability), 3)
