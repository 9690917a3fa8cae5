"""Ingest filters applied to each dated document: text checks as it is read, duplicates at the end.

A :class:`Ledger` counts every unit read and holds, for each, either a rejection (with its
reason) or a candidate document; :func:`kept_documents` then sorts the candidates by (date, id)
and sets aside exact and near duplicates, so the earliest copy is the one kept.

Example
-------
>>> from scripts.ingest.filters import kept_column
>>> kept_column(["Mundo", None]).isna().tolist()
[False, True]
>>> kept_column([3, 4]).dtype
dtype('int64')
"""


import pandas as pd
from scripts.text.cleaning import normalise_text, word_count
from scripts.ingest.dedupe import DuplicateFinder
from scripts.ingest.langcheck import LanguageCheck
from scripts.ingest.readers import Record
from scripts.ingest.settings import CorpusSettings

DOCUMENT_COLUMNS = ["doc_id", "date", "title", "text", "source", "parent_id"]


class Ledger:
    """Rejected units, and kept candidates waiting for the order-dependent duplicate checks.

    Parameters
    ----------
    settings : CorpusSettings
        The ``corpus`` config section (:class:`scripts.ingest.settings.CorpusSettings`).
    """

    def __init__(self, settings: CorpusSettings):
        self.settings = settings
        self.rejected: list[tuple] = []
        self.candidates: list[tuple] = []
        self.n_read = 0
        self.language = LanguageCheck(**{k: v for k, v in settings.language.items() if k != "check"}) \
            if settings.language["check"] else None

    def reject(self, source_file: str, row_or_id: str, reason: str, detail: str = "", date=None) -> None:
        """Count one unit read and set it aside with its reason (never empty)."""
        if not reason:
            raise ValueError(f"internal error: {source_file} {row_or_id} set aside without a reason ({detail})")
        self.n_read += 1
        self.rejected.append((source_file, row_or_id, reason, detail, date))

    def offer(self, record: Record, date, parent_id: str, title: str, segments: list[tuple[str, str]]) -> None:
        """Check each segment of a dated document; keep candidates, reject the others."""
        segmented = self.settings.segment != "none"
        if not segments:
            self.reject(record.source_file, record.row_or_id, "empty_text", "no text after cleaning", date)
            return
        width = max(4, len(str(len(segments))))
        for number, (speaker, body) in enumerate(segments, start=1):
            doc_id = f"{parent_id}#{number:0{width}d}" if segmented else parent_id
            label = f"{record.row_or_id}#{number:0{width}d}" if segmented else record.row_or_id
            text = normalise_text(body)
            words = word_count(text)
            if not text:
                self.reject(record.source_file, label, "empty_text", "no text after cleaning", date)
                continue
            if words < self.settings.min_words:
                self.reject(record.source_file, label, "too_short", f"{words} words < corpus.min_words {self.settings.min_words}", date)
                continue
            foreign = self.language.foreign_language(text) if self.language else None
            if foreign:
                self.reject(record.source_file, label, "not_spanish", f"detected {foreign[0]} (p={foreign[1]})", date)
                continue
            self.n_read += 1
            extra = tuple(record.extra.get(name) for name, _ in self.settings.keep)
            self.candidates.append((date, doc_id, title, text, record.source, parent_id, speaker, extra,
                                    record.source_file, label))


def kept_documents(ledger: Ledger, settings: CorpusSettings) -> pd.DataFrame:
    """Reject exact and near duplicates in (date, id) order; the remaining candidates as a DataFrame.

    Parameters
    ----------
    ledger : Ledger
        Candidates and rejections so far; duplicates are added to ``ledger.rejected``.
    settings : CorpusSettings
        The ``corpus`` config section with defaults.

    Returns
    -------
    pandas.DataFrame
        Kept documents sorted by date then id, with the kept columns.
    """
    duplicates = settings.duplicates
    finder = DuplicateFinder(duplicates["threshold"] if duplicates["near"] else None, duplicates["num_perm"],
                             duplicates["shingle_words"], duplicates["seed"]) if duplicates["exact"] or duplicates["near"] else None
    ledger.candidates.sort(key=lambda candidate: (candidate[0], candidate[1]))
    keep_names = [name for name, _ in settings.keep]
    columns = {name: [] for name in [*DOCUMENT_COLUMNS, "speaker", *keep_names]}
    candidates, ledger.candidates = ledger.candidates, []
    for index, (date, doc_id, title, text, source, parent_id, speaker, extra, source_file, label) in enumerate(candidates):
        candidates[index] = None
        repeat = finder.check(doc_id, text) if finder else None
        if repeat:
            ledger.rejected.append((source_file, label, repeat[0], f"copy of {repeat[1]}", date))
            continue
        for name, value in zip([*DOCUMENT_COLUMNS, "speaker"], (doc_id, date, title, text, source, parent_id, speaker)):
            columns[name].append(value)
        for name, value in zip(keep_names, extra):
            columns[name].append(value)
    if settings.segment != "speaker_turns":
        del columns["speaker"]
    documents = pd.DataFrame(columns)
    documents["date"] = pd.to_datetime(documents["date"]).astype("datetime64[ns]")
    for name in keep_names:
        documents[name] = kept_column(columns[name])
    return documents.reset_index(drop=True)


def kept_column(values: list) -> pd.Series:
    """A kept column: numbers stay numbers when every value is one, anything else becomes text."""
    present = [value for value in values if value is not None]
    if present and all(isinstance(value, (int, float)) and not isinstance(value, bool) for value in present):
        return pd.Series(values, dtype="float64" if any(isinstance(v, float) for v in present) or len(present) < len(values) else "int64")
    return pd.Series([None if value is None else str(value) for value in values], dtype="str")
