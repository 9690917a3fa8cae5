"""What ``model.early_stop`` would save and cost, from one 10-pass fit per K (issue 19).

For each K, one gensim fit (the workflow's :class:`scripts.model.estep.BatchedLdaModel`, alpha and
eta auto, 100 iterations, chunks of 2,000) runs ``--passes`` passes; after every pass it records
the process CPU seconds of the fit so far, the held-out per-word perplexity that
``early_stop`` tests (:func:`scripts.model.scores.heldout_perplexity`, its CPU time excluded
from the fit's) and the topics. Because a fit stopped after ``p`` passes equals a ``p``-pass fit,
the pass at which each threshold would stop, its CPU seconds, NPMI (top 10 terms on the
training texts) and exclusivity follow from this one fit. The time axis is CPU seconds: the
machine is shared.

Usage::

    nice -n 10 .venv/bin/python bench/bench_early_stop.py --run-dir ../runs/jornada_zacatecas --k 20 40

Writes ``bench/results/early_stop.csv`` (per K and pass) and prints the table per threshold.
"""

import argparse
import os
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from bench_engines import gensim_snapshots, training_data  # noqa: E402
from gensim.corpora import MmCorpus  # noqa: E402

from scripts.model.distinctiveness import topic_exclusivity  # noqa: E402
from scripts.model.scores import coherence_per_topic, heldout_perplexity, top_terms  # noqa: E402
from scripts.model.settings import LdaSettings, lda_options  # noqa: E402
from scripts.settings import section  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
THRESHOLDS = [0.002, 0.005, 0.01, 0.02, 0.05]


def pass_snapshots(corpus, heldout, dictionary, k, seed, passes):
    """``[(pass, fit_cpu_s, perplexity, topic_term)]`` after every pass of one fit (100 E-step
    iterations, the default when these results were measured; the perplexity is not fit time)."""
    settings = LdaSettings(**{**lda_options(section("model")), "passes": passes, "iterations": 100})
    snapshots = gensim_snapshots(corpus, dictionary, k, seed, settings,
                                 measure=lambda model: heldout_perplexity(model, heldout))
    return [(done, cpu, perplexity, topic_term) for done, cpu, topic_term, perplexity in snapshots]


def stop_pass(perplexity: list, threshold: float) -> int:
    """The pass after which ``early_stop = threshold`` ends the fit (1-based; the last if never).

    >>> stop_pass([100.0, 90.0, 89.9, 80.0], 0.01)
    3
    """
    for index in range(1, len(perplexity)):
        if (perplexity[index - 1] - perplexity[index]) / perplexity[index - 1] < threshold:
            return index + 1
    return len(perplexity)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--run-dir", type=Path, required=True)
    parser.add_argument("--k", type=int, nargs="+", default=[20, 40])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--passes", type=int, default=10)
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "results" / "early_stop.csv")
    args = parser.parse_args()
    dictionary, train, texts = training_data(args.run_dir)
    heldout_mm = MmCorpus(str(args.run_dir / "results" / "corpus" / "heldout.mm"))
    heldout = [[(int(t), int(c)) for t, c in doc] for doc in heldout_mm]
    rows, topics = [], []
    for k in args.k:
        for done, cpu, perplexity, topic_term in pass_snapshots(train, heldout, dictionary, k, args.seed, args.passes):
            print(f"K={k} pass {done}: {cpu:.1f} CPU s, perplexity {perplexity:.1f}", flush=True)
            rows.append({"k": k, "pass": done, "fit_cpu_s": round(cpu, 1), "perplexity": round(perplexity, 2),
                         "exclusivity": round(float(topic_exclusivity(topic_term, 10).mean()), 4)})
            topics.extend(top_terms(topic_term, dictionary, 10))
    table = pd.DataFrame(rows)
    per_topic = coherence_per_topic(topics, texts, dictionary, "c_npmi")
    table["npmi"] = np.round([per_topic[start:start + k].mean() for start, k in
                              zip(np.cumsum([0, *table["k"][:-1]]), table["k"])], 4)
    table.to_csv(args.out, index=False)
    print(table.to_string(index=False))
    for k, group in table.groupby("k"):
        full = group.iloc[-1]
        for threshold in THRESHOLDS:
            chosen = group.iloc[stop_pass(group["perplexity"].tolist(), threshold) - 1]
            print(f"K={k} early_stop={threshold}: stops after pass {chosen['pass']}, CPU {chosen['fit_cpu_s']} "
                  f"({chosen['fit_cpu_s'] / full['fit_cpu_s']:.2f} of {args.passes} passes), "
                  f"NPMI {chosen['npmi']} vs {full['npmi']}, exclusivity {chosen['exclusivity']} vs {full['exclusivity']}")


if __name__ == "__main__":
    main()
