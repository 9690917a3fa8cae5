"""Benchmark the preprocess stage on a real corpus: documents per second, top terms, key checks.

Reads ``documents.parquet`` (``--documents``, e.g. the ingest stage's output) or builds one from
the Jekyll posts of ``../shared/corpora/jornada_zacatecas`` with a minimal reader (front matter
title, body, date from the path), then runs :func:`preprocess.run_preprocess` with 1 and/or 2
threads and reports, for each run, the wall time and documents per second (and, because a
shared machine's wall time says little, the CPU time of the main process and of the workers,
with the wall time they would take on idle cores), whether the outputs
are byte-identical across thread counts, the 30 most frequent kept terms (flagging stopwords and
reporting verbs), and whether ``estados_unidos`` is one token. Nothing is written to the
repository: outputs go to a temporary folder (or ``--out``).

With ``--workflow RUN_DIR`` it measures the rule as the workflow runs it instead: Snakemake
(``--cores`` = each ``--threads`` value) reruns only ``preprocess_corpus`` in ``RUN_DIR`` (a run
folder whose ``results/ingest/documents.parquet`` exists, and ``results/cache/lemmas_es.tsv``
for a checkout with rule ``cache_lemma_table``, e.g. from a first
``snakemake results/ingest/documents.parquet results/cache/lemmas_es.tsv``), and the rule's own ``benchmark:`` file gives the
wall time (interpreter start, imports and the simplemma dictionary included) and CPU time;
``--repeats`` runs alternate between this checkout and ``--baseline`` (another checkout, e.g. a
``git archive`` of the previous commit) so both see the same machine load. The load average is
printed with every run; ``--results`` appends the rows to a CSV.

Usage::

    nice -n 10 .venv/bin/python bench/bench_preprocess.py                 # jornada_zacatecas, 1 and 2 threads
    .venv/bin/python bench/bench_preprocess.py --threads 2 --documents results/ingest/documents.parquet
    .venv/bin/python bench/bench_preprocess.py --workflow ../runs/jornada_zacatecas --threads 2 1 \\
        --baseline /tmp/base --repeats 3 --results bench/results/preprocess_rule.csv
"""

import argparse
import filecmp
import logging
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd
import yaml

REPO = Path(__file__).resolve().parent.parent

from scripts.preprocess.pipeline import make_normaliser, normaliser_settings, run_preprocess  # noqa: E402
from scripts.settings import defaults  # noqa: E402
from scripts.settings.themes import theme_words  # noqa: E402
from scripts.preprocess.normalise import default_stopwords  # noqa: E402

JORNADA = REPO.parent / "shared" / "corpora" / "jornada_zacatecas"
OUTPUT_NAMES = ("tokens.parquet", "dictionary.gensim", "train.mm", "heldout.mm", "vocabulary.csv",
                "seed_words.csv", "phrases.csv", "surface_forms.csv", "name_forms.csv")
REPORTING_VERBS = ("dijo", "afirmó", "señaló", "explicó", "informó", "según", "indicó", "aseguró",
                   "agregó", "comentó", "declaró", "destacó", "expresó", "mencionó", "precisó", "manifestó")


def read_jekyll_posts(folder: Path) -> pd.DataFrame:
    """Minimal reader of the Jekyll posts: ``doc_id, date, title, text`` (date from the path)."""
    rows = []
    for path in sorted(folder.glob("_posts/*/*/*/*")):
        if path.suffix not in (".md", ".markdown"):
            continue
        raw = path.read_text(encoding="utf-8", errors="replace")
        title, body = "", raw
        if raw.startswith("---"):
            parts = raw.split("\n---", 1)
            if len(parts) == 2:
                front, body = parts[0], parts[1].lstrip("-\n")
                match = re.search(r"^title:\s*(.*)$", front, flags=re.M)
                title = match.group(1).strip().strip("'\"") if match else ""
        year, month, day = path.parts[-4:-1]
        rows.append((str(path.relative_to(folder)), pd.Timestamp(f"{year}-{month}-{day}"), title, body))
    return pd.DataFrame(rows, columns=["doc_id", "date", "title", "text"])


def cpu_seconds() -> tuple[float, float]:
    """User + system CPU time of this process, and of its finished children (the workers)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime


def run_once(documents: Path, out: Path, config: dict, threads: int) -> tuple[float, float, float]:
    """Run the stage once into ``out``; return wall time, main-process CPU and workers' CPU (s)."""
    out.mkdir(parents=True, exist_ok=True)
    outputs = {name.split(".")[0]: out / name for name in OUTPUT_NAMES}
    start, (own, children) = time.perf_counter(), cpu_seconds()
    run_preprocess(documents, outputs, config["preprocess"], theme_words(config["themes"]), threads=threads, base=REPO)
    own_end, children_end = cpu_seconds()
    return time.perf_counter() - start, own_end - own, children_end - children


def run_rule(repo: Path, run_dir: Path, threads: int) -> dict:
    """Rerun ``preprocess_corpus`` in ``run_dir`` with the workflow of ``repo`` on ``threads`` cores.

    Returns the rule's benchmark row (``s``, ``cpu_time``, ``max_pss``) and the load averages.
    """
    load_before = os.getloadavg()[0]
    command = [sys.executable, "-m", "snakemake", "-s", str(repo / "Snakefile"), "--directory", str(run_dir),
               "--configfile", str(run_dir / "config.yaml"), "--cores", str(threads), "--forcerun", "preprocess_corpus",
               "--allowed-rules", "preprocess_corpus", "--quiet", "all", "--", "results/corpus/tokens.parquet"]
    environment = {**os.environ, "PYTHONPATH": str(repo)}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    process = subprocess.run(command, capture_output=True, text=True, env=environment)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if process.returncode != 0:
        sys.stderr.write(process.stderr[-3000:])
        raise SystemExit(f"preprocess_corpus failed in {run_dir}")
    table = pd.read_csv(run_dir / "benchmarks/preprocess_corpus/preprocess_corpus.tsv", sep="\t")
    row = table.iloc[-1]
    # every process of the Snakemake invocation, the rule's workers included (Snakemake's own
    # cpu_time samples the job and misses short-lived workers)
    cpu_total = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return {"s": float(row["s"]), "cpu_time": float(row["cpu_time"]), "cpu_total": round(cpu_total, 2),
            "max_pss_mb": float(row["max_pss"]), "load_before": load_before, "load_after": os.getloadavg()[0]}


def bench_workflow(run_dir: Path, thread_counts: list[int], repeats: int, baseline: Path | None,
                   results: Path | None) -> None:
    """Time the workflow's rule in ``run_dir`` (see the module docstring); check thread-count invariance."""
    n_documents = len(pd.read_parquet(run_dir / "results/ingest/documents.parquet", columns=["doc_id"]))
    checkouts = [("this", REPO)] + ([("baseline", baseline)] if baseline else [])
    rows = []
    for repeat in range(repeats):
        for threads in thread_counts:
            for name, repo in checkouts:
                row = {"checkout": name, "threads": threads, "repeat": repeat, "n_documents": n_documents,
                       **run_rule(repo, run_dir, threads)}
                row["docs_per_s"] = round(n_documents / row["s"], 1)
                rows.append(row)
                print(f"{name:8s} threads={threads} run {repeat}: {row['s']:.2f} s = {row['docs_per_s']:,.0f} docs/s; "
                      f"CPU {row['cpu_time']:.1f} s (all processes of the invocation {row['cpu_total']:.1f} s); PSS {row['max_pss_mb']:.0f} MB; load average "
                      f"{row['load_before']:.1f} -> {row['load_after']:.1f} on {os.cpu_count()} cores", flush=True)
                if name == "this":
                    kept = run_dir / f".bench-threads{threads}"
                    shutil.rmtree(kept, ignore_errors=True)
                    shutil.copytree(run_dir / "results/corpus", kept)
    if len(thread_counts) > 1:
        first, *others = [run_dir / f".bench-threads{t}" for t in thread_counts]
        same = all(filecmp.cmp(first / n, other / n, shallow=False) for other in others for n in OUTPUT_NAMES)
        print(f"outputs byte-identical across threads {thread_counts}: {same}")
    if results:
        frame = pd.DataFrame(rows).assign(date=time.strftime("%Y-%m-%d %H:%M"), machine=f"{os.cpu_count()} cores")
        if results.exists():  # earlier rows may lack later columns (cpu_total)
            frame = pd.concat([pd.read_csv(results), frame], ignore_index=True)
        frame.to_csv(results, index=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=Path, help="documents.parquet (default: read jornada_zacatecas)")
    parser.add_argument("--config", type=Path, default=REPO / "config" / "config.yaml")
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--out", type=Path, help="keep the outputs here (default: a temporary folder)")
    parser.add_argument("--workflow", type=Path, metavar="RUN_DIR", help="time the workflow's rule in this run folder")
    parser.add_argument("--baseline", type=Path, help="with --workflow: another checkout, timed alternately")
    parser.add_argument("--repeats", type=int, default=1, help="with --workflow: runs per checkout and thread count")
    parser.add_argument("--results", type=Path, help="with --workflow: append the rows to this CSV")
    args = parser.parse_args()
    if args.workflow:
        bench_workflow(args.workflow, args.threads, args.repeats, args.baseline, args.results)
        return
    logging.basicConfig(level=logging.WARNING, format="  %(name)s: %(message)s", stream=sys.stdout)
    logging.getLogger("preprocess").setLevel(logging.INFO)  # pass timings
    config = defaults(yaml.safe_load(args.config.read_text(encoding="utf-8")))  # the schema's defaults filled in
    with tempfile.TemporaryDirectory(prefix="bench-preprocess-") as tmp:
        root = args.out or Path(tmp)
        root.mkdir(parents=True, exist_ok=True)
        documents = args.documents
        if documents is None:
            start = time.perf_counter()
            frame = read_jekyll_posts(JORNADA)
            documents = root / "documents.parquet"
            frame.to_parquet(documents, index=False)
            print(f"read {len(frame)} posts from {JORNADA} in {time.perf_counter() - start:.1f} s (not timed below)")
        n_documents = len(pd.read_parquet(documents, columns=["doc_id"]))
        for threads in args.threads:
            seconds, own, workers = run_once(documents, root / f"threads{threads}", config, threads)
            # on an idle machine the workers' CPU spreads over `threads` cores; the main process's
            # own work (reading, merging, writing) is counted as if it never overlapped them
            idle = own + workers / threads
            print(f"threads={threads}: {n_documents} documents in {seconds:.2f} s wall = {n_documents / seconds:,.0f} "
                  f"documents/s (load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores); CPU: main "
                  f"{own:.2f} s + workers {workers:.2f} s -> uncontended estimate {idle:.2f} s = "
                  f"{n_documents / idle:,.0f} documents/s")
        if len(args.threads) > 1:
            first, *others = [root / f"threads{t}" for t in args.threads]
            same = all(filecmp.cmp(first / n, other / n, shallow=False) for other in others for n in OUTPUT_NAMES)
            print(f"outputs byte-identical across threads {args.threads}: {same}")
        report(root / f"threads{args.threads[-1]}", config)


def report(out: Path, config: dict) -> None:
    """Print the top kept terms, stopword/reporting-verb checks, phrases and seed words."""
    vocabulary = pd.read_csv(out / "vocabulary.csv", keep_default_na=False)
    kept = vocabulary[vocabulary["kept"]].sort_values(["corpus_freq", "term"], ascending=[False, True])
    top = kept.head(30)
    normaliser = make_normaliser(normaliser_settings(config["preprocess"], REPO))
    banned = default_stopwords() | {t for verb in REPORTING_VERBS for t in normaliser.words(verb)}
    banned |= {normaliser._lemma_of[w] for w in list(banned)}
    print("\n30 most frequent kept terms (corpus frequency):")
    print(", ".join(f"{t} ({n})" for t, n in zip(top["term"], top["corpus_freq"])))
    print(f"stopwords or reporting verbs among them: {sorted(set(top['term']) & banned) or 'none'}")
    tokens = pd.read_parquet(out / "tokens.parquet", columns=["tokens"])
    n_with = int(tokens["tokens"].map(lambda t: "estados_unidos" in t).sum())
    split_forms = int(tokens["tokens"].map(lambda t: "unidos" in t or "unir" in t).sum())
    print(f"estados_unidos: one token in {n_with} documents; 'unidos'/'unir' left in {split_forms}")
    phrases = pd.read_csv(out / "phrases.csv")
    print(f"\n{len(phrases)} phrases learned; top 25 by count:")
    print(", ".join(phrases["phrase"].head(25)))
    seeds = pd.read_csv(out / "seed_words.csv", keep_default_na=False)
    print(f"\nseed words not in the vocabulary: {seeds.loc[~seeds['in_vocabulary'], 'seed_word'].tolist()}")


if __name__ == "__main__":
    main()
