"""Summary and output files of the ingest stage.

``summary.json`` reconciles the counts (``n_read = n_kept + n_rejected``), gives the counts per
reason, the date range, kept documents per month (``documents_per_period``) and rejected
units whose date could be read per month (``rejected_per_period``).

Example
-------
>>> from scripts.ingest.summary import natural_key
>>> sorted(["a.csv 10", "a.csv 9"], key=natural_key)
['a.csv 9', 'a.csv 10']
"""


import json
import re
from pathlib import Path

import pandas as pd

READ_UNIT = {
    "none": "document: a file, or a row of a table",
    "segmented": ("segment: one per segment of each file/row that passed the file-level checks, plus one per"
                  " file/row set aside before segmentation (unreadable, malformed, undated, out of range, duplicate id)"),
}


#: Skipped files listed by name in summary.json (all are counted in ``skipped_by_reason``).
MAX_SKIPPED_LISTED = 100


def _count_reasons(skipped: list) -> dict[str, int]:
    counts = {}
    for _, reason in skipped:
        counts[reason] = counts.get(reason, 0) + 1
    return dict(sorted(counts.items()))


def natural_key(text: str) -> tuple:
    """Sort key in which digit runs compare as numbers (row 9 before row 10)."""
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", str(text)))


def per_month(dates: pd.Series) -> dict[str, int]:
    """Counts per calendar month, keyed by the ISO first day of the month.

    Examples
    --------
    >>> per_month(pd.Series(pd.to_datetime(["2024-01-31", "2024-01-02", "2024-03-05"])))
    {'2024-01-01': 2, '2024-03-01': 1}
    """
    dates = pd.to_datetime(dates.dropna())
    if dates.empty:
        return {}
    months = dates.dt.to_period("M").dt.start_time.dt.strftime("%Y-%m-%d")
    return {key: int(value) for key, value in months.value_counts().sort_index().items()}


def summarise(result, freq: str = "MS") -> dict:
    """Counts per reason, date range and documents per period, for ``summary.json``.

    Parameters
    ----------
    result : ingest.IngestResult
        Output of :func:`ingest.ingest_corpus`.
    freq : str
        Kept for compatibility; periods are calendar months (``MS``).

    Returns
    -------
    dict
        JSON-serialisable summary; ``n_read == n_kept + n_rejected`` always holds.
    """
    dates = result.documents["date"]
    info = result.info or {}
    reasons = result.rejected["reason"].value_counts()
    summary = {
        "n_read": int(result.n_read),
        "n_kept": int(len(result.documents)),
        "n_rejected": int(len(result.rejected)),
        "rejected_by_reason": {reason: int(reasons[reason]) for reason in sorted(reasons.index)},
        "date_min": dates.min().date().isoformat() if len(dates) else None,
        "date_max": dates.max().date().isoformat() if len(dates) else None,
        "documents_per_period": per_month(dates),
        "rejected_per_period": per_month(result.rejected["date"]) if "date" in result.rejected else {},
        "read_unit": READ_UNIT["none" if info.get("segment", "none") == "none" else "segmented"],
    }
    if info:
        summary.update({
            "format": info["format"],
            "segment": info["segment"],
            "n_files": info["n_files"],
            "n_sources_read": info["n_sources_read"],
            "n_sources_with_kept_documents": int(result.documents["parent_id"].nunique()) if len(dates) else 0,
            "date_sources": dict(sorted(info["date_sources"].items())),
            "encodings": dict(sorted(info["encodings"].items())),
            "files_ignored": info["files_ignored"],
            "skipped_by_reason": _count_reasons(info.get("skipped", [])),
            "skipped_files": [{"file": name, "reason": reason} for name, reason in info.get("skipped", [])[:MAX_SKIPPED_LISTED]],
            "keep_columns_empty": info.get("keep_columns_empty", []),
        })
    return summary


def write_outputs(result, documents_path: Path, rejected_path: Path, summary_path: Path) -> None:
    """Write ``documents.parquet``, ``rejected.csv`` (sorted by file then row) and ``summary.json``."""
    result.documents.to_parquet(documents_path, index=False)
    rejected = result.rejected.copy()
    if "date" in rejected:
        rejected["date"] = rejected["date"].dt.strftime("%Y-%m-%d")
    order = sorted(range(len(rejected)), key=lambda i: (natural_key(rejected["source_file"].iat[i]),
                                                        natural_key(rejected["row_or_id"].iat[i]), rejected["reason"].iat[i]))
    rejected.iloc[order].to_csv(rejected_path, index=False)
    summary = summarise(result)
    Path(summary_path).write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
