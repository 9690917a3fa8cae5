"""Time the ingest stage on a corpus config (the shared corpora by default) and print the counts.

Usage (from the repository root; run it with ``nice`` on a shared machine)::

    .venv/bin/python bench/bench_ingest.py                       # the three shared corpora
    .venv/bin/python bench/bench_ingest.py config/corpora/jornada_zacatecas.yaml --repeat 2

The corpus path of each config is read relative to ``../runs/<config name>/`` beside the repository (the run folder the
README recommends), so ``../../shared/corpora/...`` resolves to the shared corpora. Only
ingest runs (not the workflow); outputs go to a temporary folder.
"""

import argparse
import json
import os
import resource
import tempfile
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent

from scripts.ingest.pipeline import ingest_corpus, summarise, write_outputs  # noqa: E402
from scripts.settings import section  # noqa: E402

SHARED_CONFIGS = ["jornada_zacatecas", "mananeras_mx", "fakenews_es"]


def bench(config_path: Path, repeat: int) -> dict:
    """Ingest the corpus of ``config_path`` ``repeat`` times; the fastest wall time and the summary."""
    corpus = section("corpus", yaml.safe_load(config_path.read_text(encoding="utf-8"))["corpus"])
    run_dir = REPO.parent / "runs" / config_path.stem
    corpus["path"] = str((run_dir / corpus["path"]).resolve()) if not Path(corpus["path"]).is_absolute() else corpus["path"]
    if not Path(corpus["path"]).exists():
        return {"config": config_path.name, "skipped": f"{corpus['path']} is absent"}
    times, cpu_times = [], []
    for _ in range(repeat):
        start, cpu_start = time.perf_counter(), time.process_time()
        result = ingest_corpus(corpus)
        with tempfile.TemporaryDirectory() as out:
            write_outputs(result, Path(out, "documents.parquet"), Path(out, "rejected.csv"), Path(out, "summary.json"))
        times.append(time.perf_counter() - start)
        cpu_times.append(time.process_time() - cpu_start)
    summary = summarise(result)
    return {
        "config": config_path.name,
        "seconds_best": round(min(times), 2),
        "seconds_all": [round(t, 2) for t in times],
        "cpu_seconds_best": round(min(cpu_times), 2),
        "load_average_1min": round(os.getloadavg()[0], 2),
        "max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "cpu_count": os.cpu_count(),
        **{key: summary[key] for key in ("n_read", "n_kept", "n_rejected", "rejected_by_reason", "date_min", "date_max",
                                         "n_sources_read", "n_sources_with_kept_documents", "date_sources")},
        "columns": list(result.documents.columns),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("configs", nargs="*", type=Path,
                        default=[REPO / "config" / "corpora" / f"{name}.yaml" for name in SHARED_CONFIGS])
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    for config_path in args.configs:
        print(json.dumps(bench(config_path, args.repeat), ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
