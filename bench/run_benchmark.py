"""Benchmark the whole workflow on a real corpus: per-rule wall time and peak memory, reruns, 10×.

Runs the real workflow (Snakemake as a subprocess) in a run directory outside the repository and
reads the rules' ``benchmark:`` files. Measures, on the machine it runs on:

- the whole workflow raw → report (wall time) and each rule's wall time and peak RSS;
- preprocessing throughput (documents per second);
- a no-op rerun (nothing to do) and a figures-only rerun (only ``figures.*`` changed);
- that changing only ``model.k`` schedules no ingest/preprocess job (``snakemake -n``);
- optionally the same on a ``--scale``× corpus (the articles repeated with shuffled dates and new
  ids, generated here from the 1× ``documents.parquet``, never committed).

Run folders go under ``--out`` (default ``/tmp/topic-bench``); the summaries ``benchmark.csv`` (one row
per rule job) and ``benchmark.md`` go to ``--results`` (default ``bench/results/``, committed).

Usage::

    .venv/bin/python bench/run_benchmark.py                       # jornada_zacatecas, K 10-40 × 3 seeds
    .venv/bin/python bench/run_benchmark.py --scale 10 --k 20 --seeds 1   # plus a 10× corpus
    .venv/bin/python bench/run_benchmark.py --summarise RUN_DIR   # tables from an existing run
"""

import argparse
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

REPO = Path(__file__).resolve().parent.parent
CORPUS_CONFIG = REPO / "config" / "corpora" / "jornada_zacatecas.yaml"
SHARED = REPO.parent / "shared" / "corpora"


def snakemake(run_dir: Path, *extra: str, cores: int = 2) -> tuple[float, subprocess.CompletedProcess]:
    """Run Snakemake in ``run_dir`` with its ``config.yaml``; return (wall seconds, process)."""
    command = [
        sys.executable, "-m", "snakemake", "-s", str(REPO / "Snakefile"), "--directory", str(run_dir),
        "--configfile", str(run_dir / "config.yaml"), "--cores", str(cores), *extra,
    ]
    start = time.perf_counter()
    process = subprocess.run(command, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if process.returncode != 0:
        sys.stderr.write(process.stderr[-5000:])
        raise SystemExit(f"snakemake failed in {run_dir}")
    return elapsed, process


def write_config(run_dir: Path, config: dict) -> None:
    """Write ``config`` as the run directory's ``config.yaml``."""
    run_dir.mkdir(parents=True, exist_ok=True)
    (run_dir / "config.yaml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")


def rule_benchmarks(run_dir: Path) -> pd.DataFrame:
    """One row per benchmarked job: ``rule, job, seconds, max_rss_mb, max_pss_mb``.

    RSS of a job is summed over its processes, so pages that forked workers share with their
    parent are counted once per process; PSS splits shared pages between the processes and is
    the fair measure of what a multi-process job really holds.
    """
    rows = []
    for path in sorted((run_dir / "benchmarks").glob("*/*.tsv")):
        table = pd.read_csv(path, sep="\t")
        rows.append(
            {
                "rule": path.parent.name,
                "job": path.stem,
                "seconds": float(table["s"].iloc[-1]),
                "max_rss_mb": float(pd.to_numeric(table["max_rss"], errors="coerce").iloc[-1]),
                "max_pss_mb": float(pd.to_numeric(table["max_pss"], errors="coerce").iloc[-1]),
            }
        )
    return pd.DataFrame(rows, columns=["rule", "job", "seconds", "max_rss_mb", "max_pss_mb"])


def scheduled_rules(dry_run_stdout: str) -> set[str]:
    """Rule names in the job-stats table of a ``snakemake -n`` run."""
    rules, in_table = set(), False
    for line in dry_run_stdout.splitlines():
        if line.startswith("job ") and "count" in line:
            in_table = True
            continue
        if in_table:
            parts = line.split()
            if not parts or parts[0] == "total":
                break
            if not set(parts[0]) <= {"-"}:
                rules.add(parts[0])
    return rules


def scaled_corpus(documents: pd.DataFrame, scale: int, seed: int, out_path: Path) -> Path:
    """The corpus repeated ``scale`` times with shuffled dates and fresh ids, as Parquet."""
    rng = np.random.default_rng(seed)
    copies = []
    for copy in range(scale):
        block = documents[["doc_id", "date", "title", "text", "source"]].copy()
        block["doc_id"] = block["doc_id"].astype(str) + f"-x{copy}"
        block["date"] = block["date"].to_numpy()[rng.permutation(len(block))]
        copies.append(block)
    pd.concat(copies, ignore_index=True).to_parquet(out_path, index=False)
    return out_path


def measure(run_dir: Path, config: dict, label: str, reruns: bool) -> tuple[pd.DataFrame, dict]:
    """Run the workflow once in ``run_dir`` and collect timings (plus reruns when asked)."""
    write_config(run_dir, config)
    total, _ = snakemake(run_dir)
    facts = {"label": label, "total_seconds": round(total, 1)}
    documents = pd.read_parquet(run_dir / "results/ingest/documents.parquet", columns=["doc_id"])
    jobs = rule_benchmarks(run_dir)
    preprocess_seconds = jobs.loc[jobs["rule"] == "preprocess_corpus", "seconds"].sum()
    facts["documents"] = len(documents)
    facts["preprocess_docs_per_s"] = round(len(documents) / preprocess_seconds, 0) if preprocess_seconds else None
    facts["peak_rss_mb"] = round(jobs["max_rss_mb"].max(), 0)
    facts["peak_pss_mb"] = round(jobs["max_pss_mb"].max(), 0)
    if reruns:
        noop, _ = snakemake(run_dir)
        facts["noop_rerun_seconds"] = round(noop, 1)
        restyled = {**config, "figures": {**config.get("figures", {}), "dpi": 150}}
        write_config(run_dir, restyled)
        _, dry = snakemake(run_dir, "-n")
        facts["figures_change_schedules"] = ", ".join(sorted(scheduled_rules(dry.stdout)))
        figures_only, _ = snakemake(run_dir)
        facts["figures_only_rerun_seconds"] = round(figures_only, 1)
        more_k = {**restyled, "model": {**config["model"], "k": sorted(set(config["model"]["k"]) | {5})}}
        write_config(run_dir, more_k)
        _, dry = snakemake(run_dir, "-n")
        scheduled = scheduled_rules(dry.stdout)
        facts["k_change_schedules_ingest_or_preprocess"] = bool({"ingest_corpus", "preprocess_corpus"} & scheduled)
        write_config(run_dir, restyled)
    return jobs.assign(corpus=label), facts


def markdown(jobs: pd.DataFrame, facts: list[dict]) -> str:
    """The per-rule summary (sum and max over jobs) and the run facts as Markdown tables."""
    summary = jobs.groupby(["corpus", "rule"]).agg(
        jobs=("job", "count"), total_s=("seconds", "sum"), max_s=("seconds", "max"),
        peak_rss_mb=("max_rss_mb", "max"), peak_pss_mb=("max_pss_mb", "max"),
    ).reset_index()
    lines = [
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
        f"run {time.strftime('%Y-%m-%d')}.",
        "",
        "| corpus | rule | jobs | total s | max s | peak RSS MB | peak PSS MB |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in summary.itertuples():
        lines.append(
            f"| {row.corpus} | {row.rule} | {row.jobs} | {row.total_s:.1f} | {row.max_s:.1f} "
            f"| {row.peak_rss_mb:.0f} | {row.peak_pss_mb:.0f} |"
        )
    lines += ["", "| " + " | ".join(facts[0]) + " |", "|" + "---|" * len(facts[0])]
    for fact in facts:
        lines.append("| " + " | ".join(str(fact.get(key, "")) for key in facts[0]) + " |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description="Benchmark the workflow on jornada_zacatecas.")
    parser.add_argument("--out", type=Path, default=Path("/tmp/topic-bench"))
    parser.add_argument("--k", type=int, nargs="+", default=[10, 20, 30, 40])
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--scale", type=int, default=0, help="also run a SCALE× corpus (0: skip)")
    parser.add_argument("--scale-k", type=int, nargs="+", default=[20])
    parser.add_argument("--scale-seeds", type=int, nargs="+", default=[1])
    parser.add_argument("--summarise", type=Path, help="only summarise an existing run directory")
    parser.add_argument("--results", type=Path, default=REPO / "bench" / "results",
                        help="where benchmark.csv and benchmark.md go (default: bench/results)")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    if args.summarise:
        jobs, facts = rule_benchmarks(args.summarise).assign(corpus="1x"), [{"label": str(args.summarise)}]
    else:
        if not (SHARED / "jornada_zacatecas").exists():
            raise SystemExit(f"{SHARED / 'jornada_zacatecas'} is absent")
        config = yaml.safe_load(CORPUS_CONFIG.read_text(encoding="utf-8"))
        config["corpus"]["path"] = str(SHARED / "jornada_zacatecas")
        config["model"].update({"k": args.k, "seeds": args.seeds})
        jobs, fact = measure(args.out / "x1", config, "1x", reruns=True)
        facts = [fact]
        if args.scale:
            documents = pd.read_parquet(args.out / "x1" / "results/ingest/documents.parquet")
            scaled_dir = args.out / f"x{args.scale}"
            scaled_dir.mkdir(parents=True, exist_ok=True)
            corpus = scaled_corpus(documents, args.scale, seed=1, out_path=scaled_dir / "corpus.parquet")
            scaled_config = {
                **config,
                # copies are duplicates by construction: the duplicate filters must not remove them
                "corpus": {
                    "path": str(corpus),
                    "format": "parquet",
                    "duplicates": {"exact": False, "near": False},
                    "language": {"check": False},
                },
                "model": {**config["model"], "k": args.scale_k, "seeds": args.scale_seeds},
            }
            scaled_jobs, scaled_fact = measure(scaled_dir, scaled_config, f"{args.scale}x", reruns=False)
            jobs = pd.concat([jobs, scaled_jobs], ignore_index=True)
            facts.append(scaled_fact)
    args.results.mkdir(parents=True, exist_ok=True)
    jobs.to_csv(args.results / "benchmark.csv", index=False)
    text = markdown(jobs, facts)
    (args.results / "benchmark.md").write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
