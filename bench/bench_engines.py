"""Coherence per CPU second of the fit engines on a preprocessed corpus (issue 19).

For every K and seed, the same ``results/corpus/`` of a run is fitted by

- ``gensim`` — the workflow's default engine (:class:`scripts.model.estep.BatchedLdaModel`) with
  the schema's ``model`` settings, once per ``--iterations`` value (``model.iterations``, the
  E-step's limit per document and pass; e.g. ``30 100``: the default and the former default);
- ``tomotopy`` — the ``model.engine: tomotopy`` path (:mod:`scripts.model.gibbs`, one worker).

Each fit is one process of a pool of ``--jobs`` processes (one per core, so every fit has a core
to itself) and is fitted once for its largest budget; its topics are taken after every pass
(gensim) or block of Gibbs sweeps (tomotopy) with the CPU seconds of the fit so far (corpus
loading excluded, tomotopy's loading of the documents included; a gensim model after p passes is
the p-pass model). The time axis is CPU seconds: with one fit per core they equal its wall
seconds on a quiet machine, and load from other processes inflates them far less. Every
snapshot is scored with the workflow's measures: NPMI of the top 10 terms on the training texts
(:func:`scripts.model.scores.coherence_per_topic`) and exclusivity
(:func:`scripts.model.distinctiveness.topic_exclusivity`).

"Equal time": for every gensim variant, K and budget, tomotopy's NPMI (and exclusivity) at the
same CPU seconds is read off its curve (linear interpolation between its snapshots, per seed and
for the mean over seeds); the ratios gensim / tomotopy are reported for the mean over seeds and,
as the spread, for each seed.

Usage::

    .venv/bin/python bench/bench_engines.py --run-dir ../runs/jornada_zacatecas --k 10 20 40 \\
        --seeds 1 2 3 --iterations 30 100 --passes 25 --out bench/results/engines_grid

Writes ``<out>.csv`` (every snapshot) and ``<out>_pairs.csv`` (the ratios) and prints both.
"""

import argparse
import multiprocessing
import os
import time
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from gensim.corpora import Dictionary, MmCorpus  # noqa: E402

from scripts.model.distinctiveness import topic_exclusivity  # noqa: E402
from scripts.model.estep import ArrayCorpus, BatchedLdaModel  # noqa: E402
from scripts.model.gibbs import gibbs_sampler, sampler_to_gensim, train_gibbs  # noqa: E402
from scripts.model.scores import coherence_per_topic, top_terms  # noqa: E402
from scripts.model.settings import LdaSettings, lda_options  # noqa: E402
from scripts.settings import section  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "bench" / "results"
TOP_N = 10


def training_data(run_dir: Path):
    """A run's dictionary, training bags of words (in memory) and training token lists."""
    corpus_dir = run_dir / "results" / "corpus"
    dictionary = Dictionary.load(str(corpus_dir / "dictionary.gensim"))
    train = ArrayCorpus.from_corpus(MmCorpus(str(corpus_dir / "train.mm")))
    tokens = pd.read_parquet(corpus_dir / "tokens.parquet", columns=["split", "tokens"])
    return dictionary, train, [list(t) for t in tokens.loc[tokens["split"] == "train", "tokens"]]


def gensim_snapshots(corpus, dictionary, k: int, seed: int, settings: LdaSettings, measure=None):
    """Fit ``settings.passes`` passes; return ``[(pass, cpu_s, topic_term, measured)]`` after every pass.

    ``measure(model)`` (optional, e.g. the held-out perplexity; ``measured`` is None without it)
    is taken after every pass; its CPU time, and that of reading the topics, is not fit time.
    """
    chunks_per_pass = -(-len(corpus) // settings.chunksize)
    snapshots, clock = [], {"start": time.process_time(), "excluded": 0.0}

    class Snapshot(BatchedLdaModel):
        updates = 0

        def do_mstep(self, rho, other, extra_pass=False):
            result = super().do_mstep(rho, other, extra_pass)
            self.updates += 1
            if self.updates % chunks_per_pass == 0:
                fit_cpu = time.process_time() - clock["start"] - clock["excluded"]
                measured_from = time.process_time()
                measured = None if measure is None else measure(self)
                snapshots.append((self.updates // chunks_per_pass, fit_cpu, self.get_topics(), measured))
                clock["excluded"] += time.process_time() - measured_from
            return result

    Snapshot(corpus, id2word=dictionary, num_topics=k, random_state=seed, eval_every=None, dtype=np.float64,
             **settings.options())
    return snapshots


def tomotopy_snapshots(corpus, dictionary, k, seed, steps):
    """Gibbs sweeps in blocks; return ``[(sweeps, cpu_s, topic_term)]`` after every block."""
    started = time.process_time()
    sampler, flat_eta, documents = gibbs_sampler(corpus, dictionary, k, seed, "auto", "auto")
    snapshots, done = [], 0
    for target in steps:
        train_gibbs(sampler, target - done)
        done = target
        spent = time.process_time() - started
        model, _ = sampler_to_gensim(sampler, dictionary, seed, flat_eta, documents)
        snapshots.append((done, spent, model.get_topics()))
        started += time.process_time() - started - spent  # conversion is not fit time
    return snapshots


_DATA = {}  # the corpus, loaded by the parent before the pool forks


def fit_job(job: dict) -> list[dict]:
    """One fit's snapshots as rows (engine, iterations, k, seed, budget, cpu_s, exclusivity, top terms)."""
    dictionary, train = _DATA["dictionary"], _DATA["train"]
    if job["engine"] == "tomotopy":
        snapshots = tomotopy_snapshots(train, dictionary, job["k"], job["seed"], job["sweeps"])
    else:
        settings = LdaSettings(**{**lda_options(section("model")), "passes": job["passes"],
                                  "iterations": job["iterations"]})
        snapshots = gensim_snapshots(train, dictionary, job["k"], job["seed"], settings)
    rows = [{"engine": job["engine"], "iterations": job.get("iterations", 0), "k": job["k"], "seed": job["seed"],
             "budget": budget, "cpu_s": round(cpu, 2),
             "exclusivity": float(topic_exclusivity(topic_term, TOP_N).mean()),
             "top_terms": top_terms(topic_term, dictionary, TOP_N)} for budget, cpu, topic_term, *_ in snapshots]
    print(f"{job['engine']} {job.get('iterations', '')} k={job['k']} seed={job['seed']}: "
          f"{rows[-1]['budget']} in {rows[-1]['cpu_s']:.1f} CPU s", flush=True)
    return rows


def equal_time_ratios(table: pd.DataFrame) -> pd.DataFrame:
    """gensim / tomotopy NPMI and exclusivity at the same CPU seconds, per variant, K and budget.

    tomotopy's value at a gensim snapshot's CPU time is interpolated linearly between its
    snapshots (NaN outside its range): on the mean-over-seeds curves for ``npmi_ratio`` and
    ``exclusivity_ratio``, and seed by seed for ``npmi_ratio_min``/``_max``.
    """
    rows = []
    gibbs = table[table["engine"] == "tomotopy"]
    for (iterations, k), runs in table[table["engine"] == "gensim"].groupby(["iterations", "k"]):
        curve = gibbs[gibbs["k"] == k].groupby("budget")[["cpu_s", "npmi", "exclusivity"]].mean()
        for budget, snaps in runs.groupby("budget"):
            cpu = snaps["cpu_s"].mean()
            inside = curve["cpu_s"].min() <= cpu <= curve["cpu_s"].max()
            gibbs_npmi = np.interp(cpu, curve["cpu_s"], curve["npmi"]) if inside else np.nan
            gibbs_excl = np.interp(cpu, curve["cpu_s"], curve["exclusivity"]) if inside else np.nan
            per_seed = []
            for _, snap in snaps.iterrows():
                own = gibbs[(gibbs["k"] == k) & (gibbs["seed"] == snap["seed"])].sort_values("budget")
                if own["cpu_s"].min() <= snap["cpu_s"] <= own["cpu_s"].max():
                    per_seed.append(snap["npmi"] / np.interp(snap["cpu_s"], own["cpu_s"], own["npmi"]))
            rows.append({"iterations": iterations, "k": k, "passes": budget, "cpu_s": round(cpu, 1),
                         "npmi": round(snaps["npmi"].mean(), 4), "tomotopy_npmi": round(gibbs_npmi, 4),
                         "npmi_ratio": round(snaps["npmi"].mean() / gibbs_npmi, 3),
                         "npmi_ratio_min": round(min(per_seed), 3) if per_seed else np.nan,
                         "npmi_ratio_max": round(max(per_seed), 3) if per_seed else np.nan,
                         "exclusivity_ratio": round(snaps["exclusivity"].mean() / gibbs_excl, 3)})
    return pd.DataFrame(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--run-dir", type=Path, required=True)
    parser.add_argument("--k", type=int, nargs="+", default=[20])
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--iterations", type=int, nargs="+", default=[section("model")["iterations"]],
                        help="gensim variants: model.iterations of each (default: the schema's)")
    parser.add_argument("--passes", type=int, default=25, help="largest gensim budget")
    parser.add_argument("--sweeps", default="50,100,150,200,300", help="tomotopy snapshots")
    parser.add_argument("--jobs", type=int, default=2, help="fits at a time (one per core)")
    parser.add_argument("--out", type=Path, default=RESULTS / "engines_grid")
    args = parser.parse_args()
    dictionary, train, texts = training_data(args.run_dir)
    _DATA.update(dictionary=dictionary, train=train)
    sweeps = [int(s) for s in args.sweeps.split(",")]
    jobs = [{"engine": "tomotopy", "k": k, "seed": seed, "sweeps": sweeps} for k in args.k for seed in args.seeds]
    jobs += [{"engine": "gensim", "iterations": it, "k": k, "seed": seed, "passes": args.passes}
             for k in args.k for seed in args.seeds for it in args.iterations]
    with multiprocessing.get_context("fork").Pool(args.jobs) as pool:
        rows = [row for fit in pool.imap(fit_job, jobs) for row in fit]
    topics = [terms for row in rows for terms in row.pop("top_terms")]
    npmi = coherence_per_topic(topics, texts, dictionary, "c_npmi")
    ends = np.cumsum([row["k"] for row in rows])
    table = pd.DataFrame(rows)
    table.insert(6, "npmi", [npmi[end - row["k"]:end].mean() for end, row in zip(ends, rows)])
    table = table.round({"npmi": 4, "exclusivity": 4})
    table.to_csv(args.out.with_suffix(".csv"), index=False)
    pairs = equal_time_ratios(table)
    pairs.to_csv(args.out.with_name(args.out.name + "_pairs.csv"), index=False)
    means = table.groupby(["engine", "iterations", "k", "budget"])[["cpu_s", "npmi", "exclusivity"]].mean()
    print(means.round(4).to_string())
    print(pairs.to_string(index=False))


if __name__ == "__main__":
    main()
