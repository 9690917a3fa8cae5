"""Coherence per CPU second of the fit engines on a preprocessed corpus (issue 19).

Three engines fit the same K on the same ``results/corpus/`` of a run, in this one process,
one after the other:

- ``gensim`` — the workflow's default (:class:`scripts.model.estep.BatchedLdaModel`, the
  ``model`` settings: alpha and eta auto, 100 iterations, chunks of 2,000);
- ``gensim plain`` — the library as-is (``gensim.models.LdaModel``, same settings);
- ``tomotopy`` — the ``model.engine: tomotopy`` path (:mod:`scripts.model.gibbs`, one worker).

Each engine is fitted once for its largest budget and its topics are taken after every pass
(gensim) or every block of Gibbs sweeps (tomotopy), with the process CPU seconds spent so far
(corpus loading excluded, tomotopy's loading of the documents included). The time axis is CPU
seconds, not wall seconds, because the machine is shared. Every snapshot's topics are scored
together with the workflow's own measures: NPMI of the top 10 terms on the training texts
(:func:`scripts.model.scores.coherence_per_topic`) and exclusivity
(:func:`scripts.model.distinctiveness.topic_exclusivity`). "Equal time" pairs each gensim
snapshot with the tomotopy snapshot of the nearest CPU time.

Usage::

    nice -n 10 .venv/bin/python bench/bench_engines.py --run-dir ../runs/jornada_zacatecas --k 20

Writes ``bench/results/engines.csv`` and ``bench/results/engines.md``.
"""

import argparse
import os
import time
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from gensim.corpora import Dictionary, MmCorpus  # noqa: E402
from gensim.models import LdaModel  # noqa: E402

from scripts.model.distinctiveness import topic_exclusivity  # noqa: E402
from scripts.model.estep import ArrayCorpus, BatchedLdaModel  # noqa: E402
from scripts.model.gibbs import gibbs_sampler, sampler_to_gensim, train_gibbs  # noqa: E402
from scripts.model.scores import coherence_per_topic, top_terms  # noqa: E402

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


def gensim_snapshots(model_class, corpus, dictionary, k, seed, passes):
    """Fit ``passes`` passes; return ``[(pass, cpu_s, topic_term)]`` after every pass."""
    chunks_per_pass = -(-len(corpus) // 2000)
    snapshots, started = [], time.process_time()

    class Snapshot(model_class):
        updates = 0

        def do_mstep(self, rho, other, extra_pass=False):
            result = super().do_mstep(rho, other, extra_pass)
            self.updates += 1
            if self.updates % chunks_per_pass == 0:
                spent = time.process_time() - started
                snapshots.append((self.updates // chunks_per_pass, spent, self.get_topics()))
            return result

    Snapshot(corpus, id2word=dictionary, num_topics=k, random_state=seed, passes=passes, iterations=100,
             alpha="auto", eta="auto", chunksize=2000, update_every=1, eval_every=None, dtype=np.float64)
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--run-dir", type=Path, required=True)
    parser.add_argument("--k", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--passes", type=int, default=10, help="largest gensim budget")
    parser.add_argument("--plain-passes", type=int, default=5, help="largest plain-gensim budget")
    parser.add_argument("--sweeps", default="50,100,200,300,500,800", help="tomotopy snapshots")
    parser.add_argument("--out", type=Path, default=RESULTS / "engines")
    args = parser.parse_args()
    corpus_dir = args.run_dir / "results" / "corpus"
    dictionary, train, texts = training_data(args.run_dir)
    rows, topic_terms = [], []
    runs = [
        ("gensim", lambda: gensim_snapshots(BatchedLdaModel, train, dictionary, args.k, args.seed, args.passes)),
        ("gensim plain", lambda: gensim_snapshots(LdaModel, MmCorpus(str(corpus_dir / "train.mm")), dictionary,
                                                  args.k, args.seed, args.plain_passes)),
        ("tomotopy", lambda: tomotopy_snapshots(train, dictionary, args.k, args.seed,
                                                [int(s) for s in args.sweeps.split(",")])),
    ]
    for engine, run in runs:
        for budget, cpu, topic_term in run():
            print(f"{engine} {budget} {cpu:.1f} CPU s", flush=True)
            rows.append({"engine": engine, "budget": budget, "cpu_s": round(cpu, 1),
                         "exclusivity": float(topic_exclusivity(topic_term, TOP_N).mean())})
            topic_terms.append(topic_term)
    topics = [terms for topic_term in topic_terms for terms in top_terms(topic_term, dictionary, TOP_N)]
    npmi = coherence_per_topic(topics, texts, dictionary, "c_npmi").reshape(len(rows), args.k).mean(axis=1)
    table = pd.DataFrame(rows)
    table.insert(3, "npmi", npmi)
    table = table.round({"npmi": 4, "exclusivity": 4})
    table.to_csv(args.out.with_suffix(".csv"), index=False)
    gibbs = table[table["engine"] == "tomotopy"]
    pairs = []
    for _, row in table[table["engine"] != "tomotopy"].iterrows():
        match = gibbs.iloc[int(np.argmin(np.abs(gibbs["cpu_s"].to_numpy() - row["cpu_s"])))]
        pairs.append({"engine": row["engine"], "passes": row["budget"], "cpu_s": row["cpu_s"],
                      "tomotopy sweeps": match["budget"], "tomotopy cpu_s": match["cpu_s"],
                      "npmi ratio": round(row["npmi"] / match["npmi"], 3),
                      "exclusivity ratio": round(row["exclusivity"] / match["exclusivity"], 3)})
    pairs = pd.DataFrame(pairs)
    pairs.to_csv(args.out.with_name(args.out.name + "_pairs.csv"), index=False)
    print(table.to_string(index=False))
    print(pairs.to_string(index=False))


if __name__ == "__main__":
    main()
