"""Time ``score_models`` of two checkouts on one finished grid and check that their outputs are identical.

Each checkout scores the run folder's models in its own interpreter (its ``scripts`` package on
``PYTHONPATH``), the way the rule calls :func:`scripts.model.scores.run_score_models`, and writes
``model_scores.csv`` and ``topic_coherence.csv`` under ``--out/LABEL``; the script prints the wall
and CPU seconds of each (CPU: the child process, all its threads) and whether the tables of the
checkouts are byte-identical. The grid is read from the run folder's ``config.yaml``.

Usage::

    git worktree add /tmp/old 5725f1c
    nice -n 10 .venv/bin/python bench/bench_score.py --run-dir /tmp/topic-bench/new \\
        --checkout old=/tmp/old --checkout new=. --threads 2
"""

import argparse
import filecmp
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import yaml

CHILD = """
import json, sys
from types import SimpleNamespace as NS
import scripts
from scripts.model.scores import run_score_models
print("scoring with", scripts.__file__, flush=True)
job = json.loads(sys.argv[1])
smk = NS(input=NS(**job["input"]), output=NS(**job["output"]), params=NS(**job["params"]), threads=job["threads"])
run_score_models(smk)
"""


def score_job(run_dir: Path, out_dir: Path, threads: int) -> dict:
    """The inputs, outputs and params ``score_models`` gets for the grid of ``run_dir``."""
    config = yaml.safe_load((run_dir / "config.yaml").read_text(encoding="utf-8"))
    models = [{"k": k, "seed": seed, "model": str(run_dir / f"results/models/k{k}/seed{seed}/lda.gensim")}
              for k in config["model"]["k"] for seed in config["model"]["seeds"]]
    corpus = run_dir / "results/corpus"
    return {
        "input": {"dictionary": str(corpus / "dictionary.gensim"), "tokens": str(corpus / "tokens.parquet"),
                  "train": str(corpus / "train.mm"), "heldout": str(corpus / "heldout.mm")},
        "output": {"scores": str(out_dir / "model_scores.csv"), "topic_coherence": str(out_dir / "topic_coherence.csv")},
        "params": {"models": models, "top_n": config["model"].get("top_n", 10)},
        "threads": threads,
    }


def run_checkout(label: str, checkout: Path, run_dir: Path, out: Path, threads: int) -> dict:
    """Score the grid with ``checkout``'s code in a fresh interpreter; wall and CPU seconds."""
    out_dir = out / label
    out_dir.mkdir(parents=True, exist_ok=True)
    job = score_job(run_dir, out_dir, threads)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", CHILD, json.dumps(job)], check=True, cwd=out_dir,  # not the repository: "-c" imports from the cwd first
                   env={**os.environ, "PYTHONPATH": str(checkout)})
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"checkout": label, "wall_s": round(wall, 1), "cpu_s": round(cpu, 1), "load_after": round(os.getloadavg()[0], 1)}


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--run-dir", type=Path, required=True, help="a finished grid (results/models, results/corpus)")
    parser.add_argument("--checkout", action="append", required=True, metavar="LABEL=PATH")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--out", type=Path, default=Path("/tmp/score-bench"))
    args = parser.parse_args(argv)
    rows = [run_checkout(label, Path(path).resolve(), args.run_dir, args.out, args.threads)
            for label, path in (item.split("=", 1) for item in args.checkout)]
    labels = [row["checkout"] for row in rows]
    for row in rows:
        print(row)
    for name in ("model_scores.csv", "topic_coherence.csv"):
        same = all(filecmp.cmp(args.out / labels[0] / name, args.out / label / name, shallow=False) for label in labels)
        print(f"{name}: {'identical' if same else 'DIFFERENT'} across {', '.join(labels)}")
    if len(rows) == 2:
        print(f"ratio {labels[1]} / {labels[0]}: wall {rows[1]['wall_s'] / rows[0]['wall_s']:.2f}, "
              f"CPU {rows[1]['cpu_s'] / rows[0]['cpu_s']:.2f}")


if __name__ == "__main__":
    main()
