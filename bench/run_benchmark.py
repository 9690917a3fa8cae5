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

Two checkouts side by side (issue 19): ``--checkout old=/tmp/old --checkout new=.`` runs the grid
once per checkout, back to back in one invocation, each with its own ``Snakefile`` and its own
``scripts`` package (``PYTHONPATH``), and writes ``grid_comparison.md``/``.csv``: whole-run wall
time, CPU seconds of every rule (the ``cpu_time`` of Snakemake's benchmark files, which load
from other processes inflates far less than wall time), the load average before and after each
run, fit CPU seconds per (K, seed), ``score_models`` time, and the NPMI and exclusivity of the
chosen K. ``--reuse LABEL=RUN_DIR`` takes a finished run of a checkout instead of running it.

Usage::

    .venv/bin/python bench/run_benchmark.py                       # jornada_zacatecas, K 10-40 × 3 seeds
    .venv/bin/python bench/run_benchmark.py --scale 10 --k 20 --seeds 1   # plus a 10× corpus
    .venv/bin/python bench/run_benchmark.py --summarise RUN_DIR   # tables from an existing run
    git worktree add /tmp/old 5725f1c
    .venv/bin/python bench/run_benchmark.py --checkout old=/tmp/old --checkout new=.   # side by side
"""

import argparse
import json
import os
import platform
import re
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


def snakemake(run_dir: Path, *extra: str, cores: int = 2, checkout: Path = REPO) -> tuple[float, subprocess.CompletedProcess]:
    """Run Snakemake of ``checkout`` in ``run_dir`` with its ``config.yaml``; return (wall seconds, process).

    The checkout's own ``scripts`` package is imported by the jobs (``PYTHONPATH``).
    """
    command = [
        sys.executable, "-m", "snakemake", "-s", str(checkout / "Snakefile"), "--directory", str(run_dir),
        "--configfile", str(run_dir / "config.yaml"), "--cores", str(cores), *extra,
    ]
    environment = {**os.environ, "PYTHONPATH": str(checkout)}
    start = time.perf_counter()
    process = subprocess.run(command, capture_output=True, text=True, env=environment)
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
    """One row per benchmarked job: ``rule, job, seconds, cpu_seconds, mean_load, max_rss_mb, max_pss_mb``.

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
                "cpu_seconds": float(pd.to_numeric(table.get("cpu_time", pd.Series([np.nan])), errors="coerce").iloc[-1]),
                "mean_load": float(pd.to_numeric(table.get("mean_load", pd.Series([np.nan])), errors="coerce").iloc[-1]),
                "max_rss_mb": float(pd.to_numeric(table["max_rss"], errors="coerce").iloc[-1]),
                "max_pss_mb": float(pd.to_numeric(table["max_pss"], errors="coerce").iloc[-1]),
            }
        )
    return pd.DataFrame(rows, columns=["rule", "job", "seconds", "cpu_seconds", "mean_load", "max_rss_mb", "max_pss_mb"])


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


def measure(run_dir: Path, config: dict, label: str, reruns: bool, checkout: Path = REPO) -> tuple[pd.DataFrame, dict]:
    """Run the workflow of ``checkout`` once in ``run_dir`` and collect timings (plus reruns when asked)."""
    write_config(run_dir, config)
    load_before = os.getloadavg()[0]
    total, _ = snakemake(run_dir, checkout=checkout)
    facts = {"label": label, "total_seconds": round(total, 1), "load_before": round(load_before, 1),
             "load_after": round(os.getloadavg()[0], 1)}
    documents = pd.read_parquet(run_dir / "results/ingest/documents.parquet", columns=["doc_id"])
    jobs = rule_benchmarks(run_dir)
    preprocess_seconds = jobs.loc[jobs["rule"] == "preprocess_corpus", "seconds"].sum()
    facts["documents"] = len(documents)
    facts["preprocess_docs_per_s"] = round(len(documents) / preprocess_seconds, 0) if preprocess_seconds else None
    facts["peak_rss_mb"] = round(jobs["max_rss_mb"].max(), 0)
    facts["peak_pss_mb"] = round(jobs["max_pss_mb"].max(), 0)
    if reruns:
        noop, _ = snakemake(run_dir, checkout=checkout)
        facts["noop_rerun_seconds"] = round(noop, 1)
        restyled = {**config, "figures": {**config.get("figures", {}), "dpi": 150}}
        write_config(run_dir, restyled)
        _, dry = snakemake(run_dir, "-n", checkout=checkout)
        facts["figures_change_schedules"] = ", ".join(sorted(scheduled_rules(dry.stdout)))
        figures_only, _ = snakemake(run_dir, checkout=checkout)
        facts["figures_only_rerun_seconds"] = round(figures_only, 1)
        more_k = {**restyled, "model": {**config["model"], "k": sorted(set(config["model"]["k"]) | {5})}}
        write_config(run_dir, more_k)
        _, dry = snakemake(run_dir, "-n", checkout=checkout)
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


def log_wall_seconds(run_dir: Path) -> float:
    """Wall time of the first Snakemake run in ``run_dir``: first to last timestamp of its log."""
    logs = sorted((run_dir / ".snakemake" / "log").glob("*.snakemake.log"))
    stamps = re.findall(r"^\[(\w{3} \w{3} +\d+ [\d:]+ \d{4})\]", logs[0].read_text(encoding="utf-8"), re.M)
    parsed = [time.mktime(time.strptime(" ".join(stamp.split()), "%a %b %d %H:%M:%S %Y")) for stamp in stamps]
    return float(parsed[-1] - parsed[0])


def grid_facts(run_dir: Path, label: str, wall_seconds: float, load: tuple = (np.nan, np.nan)) -> tuple[dict, pd.DataFrame]:
    """What one run of the grid cost and what it chose (one row of the side-by-side comparison)."""
    jobs = rule_benchmarks(run_dir)
    evaluation = run_dir / "results/evaluation"
    if (evaluation / "selection.json").exists():  # a run stopped early has fits but no choice
        scores = pd.read_csv(evaluation / "model_scores.csv")
        chosen = json.loads((evaluation / "selection.json").read_text(encoding="utf-8"))
    else:
        scores, chosen = pd.DataFrame({"k": [], "npmi": [], "exclusivity": []}), {"k": -1}
    at_k = scores[scores["k"] == chosen["k"]]
    scoring = jobs[jobs["rule"] == "score_models"]
    documents_path = run_dir / "results/ingest/documents.parquet"
    n_documents = len(pd.read_parquet(documents_path, columns=["doc_id"])) if documents_path.exists() else 0
    preprocess_seconds = float(jobs.loc[jobs["rule"] == "preprocess_corpus", "seconds"].sum())
    facts = {
        "checkout": label,
        "finished": (evaluation / "selection.json").exists(),
        "fits_done": len(fits := jobs[jobs["rule"] == "fit_lda"]),
        "wall_s": round(wall_seconds, 1),
        "load_before": load[0],
        "load_after": load[1],
        "mean_load_in_jobs": round(float(jobs["mean_load"].mean()), 1),
        "cpu_s_all_jobs": round(float(jobs["cpu_seconds"].sum()), 1),
        "fit_cpu_s": round(float(fits["cpu_seconds"].sum()), 1),
        "fit_cpu_s_mean": round(float(fits["cpu_seconds"].mean()), 1),
        "score_models_s": round(float(scoring["seconds"].sum()), 1),
        "score_models_cpu_s": round(float(scoring["cpu_seconds"].sum()), 1),
        "preprocess_docs_per_s": round(n_documents / preprocess_seconds, 0) if preprocess_seconds else np.nan,
        "chosen_k": int(chosen["k"]),
        "npmi_chosen_k": round(float(at_k["npmi"].mean()), 4),
        "exclusivity_chosen_k": round(float(at_k["exclusivity"].mean()), 4),
        "npmi_all": round(float(scores["npmi"].mean()), 4),
    }
    per_job = jobs.assign(checkout=label)[["checkout", "rule", "job", "seconds", "cpu_seconds"]]
    return facts, per_job


def comparison_markdown(facts: list[dict], per_job: pd.DataFrame) -> str:
    """Side-by-side table of the checkouts, the new/old ratios, fit CPU seconds per (K, seed) and every rule's time."""
    per_fit = per_job[per_job["rule"] == "fit_lda"]
    lines = [
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
        f"run {time.strftime('%Y-%m-%d %H:%M')}. `wall_s`: raw → report; `cpu_s`: sum of the jobs' "
        "`cpu_time` (Snakemake benchmark files); load: 1-minute load average.",
        "",
        "| " + " | ".join(facts[0]) + " |",
        "|" + "---|" * len(facts[0]),
    ]
    lines += ["| " + " | ".join(str(fact[key]) for key in facts[0]) + " |" for fact in facts]
    if len(facts) == 2 and not all(fact["finished"] for fact in facts):
        lines += ["", "Not both runs finished: sums and wall times are not comparable; compare the fits "
                  "done in both (below)."]
    elif len(facts) == 2:
        old, new = facts
        ratios = {key: round(new[key] / old[key], 3) for key in old
                  if isinstance(old[key], float) and old[key] and key not in ("load_before", "load_after", "mean_load_in_jobs")}
        lines += ["", f"Ratios {new['checkout']} / {old['checkout']}: "
                  + ", ".join(f"{key} {value}" for key, value in ratios.items()) + "."]
    table = per_fit.pivot_table(index="job", columns="checkout", values="cpu_seconds")[[f["checkout"] for f in facts]]
    if len(facts) == 2:
        table["ratio"] = table.iloc[:, 1] / table.iloc[:, 0]
    lines += ["", "Fit CPU seconds per (K, seed) (empty: that job had not finished):", "",
              "| job | " + " | ".join(table.columns) + " |", "|---|" + "---|" * len(table.columns)]
    lines += [f"| {job} | " + " | ".join("" if np.isnan(value) else f"{value:.2f}" for value in row) + " |"
              for job, row in table.iterrows()]
    if len(facts) == 2 and table["ratio"].notna().any():
        lines += ["", f"Median ratio over the (K, seed) done in both: {table['ratio'].median():.2f}."]
    labels = [fact["checkout"] for fact in facts]
    rules = per_job.groupby(["rule", "checkout"])[["seconds", "cpu_seconds"]].sum().unstack("checkout")
    lines += ["", "Every rule, summed over its jobs (wall s / CPU s; empty: the checkout has no such rule):", "",
              "| rule | " + " | ".join(labels) + " |", "|---|" + "---|" * len(labels)]
    for rule, row in rules.iterrows():
        cells = ["" if np.isnan(row[("seconds", label)]) else f"{row[('seconds', label)]:.1f} / {row[('cpu_seconds', label)]:.1f}"
                 for label in labels]
        lines.append(f"| {rule} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def compare_checkouts(args, config: dict) -> None:
    """Run (or reuse) the grid of each checkout back to back and write ``grid_comparison.*``."""
    all_facts, per_job = [], []
    runs = [(label, "reuse", Path(path)) for label, path in (item.split("=", 1) for item in args.reuse)]
    runs += [(label, "run", Path(path).resolve()) for label, path in (item.split("=", 1) for item in args.checkout)]
    for label, how, path in runs:
        if how == "reuse":
            facts, jobs = grid_facts(path, label, log_wall_seconds(path))
        else:
            run_dir = args.out / label
            if (run_dir / "results").exists():
                raise SystemExit(f"{run_dir} holds an earlier run: remove it (or pass --reuse {label}={run_dir})")
            write_config(run_dir, config)
            load_before = os.getloadavg()[0]
            wall, _ = snakemake(run_dir, checkout=path)
            facts, jobs = grid_facts(run_dir, label, wall, (round(load_before, 1), round(os.getloadavg()[0], 1)))
        print(facts, flush=True)
        all_facts.append(facts)
        per_job.append(jobs)
    per_job = pd.concat(per_job, ignore_index=True)
    args.results.mkdir(parents=True, exist_ok=True)
    pd.DataFrame(all_facts).to_csv(args.results / "grid_comparison.csv", index=False)
    text = comparison_markdown(all_facts, per_job)
    (args.results / "grid_comparison.md").write_text(text, encoding="utf-8")
    print(text)


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
    parser.add_argument("--checkout", action="append", default=[], metavar="LABEL=PATH",
                        help="run the grid of this checkout (repeat: side by side, in the given order)")
    parser.add_argument("--reuse", action="append", default=[], metavar="LABEL=RUN_DIR",
                        help="a finished run of a checkout to compare instead of running it (listed first)")
    parser.add_argument("--results", type=Path, default=REPO / "bench" / "results",
                        help="where benchmark.csv and benchmark.md go (default: bench/results)")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    if args.checkout or args.reuse:
        config = yaml.safe_load(CORPUS_CONFIG.read_text(encoding="utf-8"))
        config["corpus"]["path"] = str(SHARED / "jornada_zacatecas")
        config["model"].update({"k": args.k, "seeds": args.seeds})
        compare_checkouts(args, config)
        return
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
