"""CPU seconds of one LDA fit with the compiled E-step, and the topics it gives (issue 19).

Fits :class:`scripts.model.estep.BatchedLdaModel` on a run's ``results/corpus/train.mm`` with
the workflow's ``model`` defaults (alpha and eta auto, 100 iterations, chunks of 2,000, cold
start) for each ``--k``, ``--passes`` passes, in this one process, and records the process CPU
seconds of the fit (corpus loading excluded, numba compilation included unless cached), the
document-iterations spent, and the workflow's quality measures of the topics: mean NPMI of the
top 10 terms on the training texts (:func:`scripts.model.scores.coherence_per_topic`) and mean
exclusivity (:func:`scripts.model.distinctiveness.topic_exclusivity`).

Run it once per code version, with that version's ``scripts`` package first on ``PYTHONPATH``
(the label says which), to compare before and after::

    PYTHONPATH=../main nice -n 19 .venv/bin/python bench/bench_estep.py --run-dir RUN --label before
    PYTHONPATH=. nice -n 19 .venv/bin/python bench/bench_estep.py --run-dir RUN --label after

Appends rows to ``bench/results/estep.csv``; the topic-term matrices go to ``bench/out/``.
"""

import argparse
import os
import time
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from bench_engines import training_data  # noqa: E402  (bench/ is the script's folder)
from scripts.model.distinctiveness import topic_exclusivity  # noqa: E402
from scripts.model.estep import BatchedLdaModel  # noqa: E402
from scripts.model.scores import coherence_per_topic, top_terms  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results"
OUT = Path(__file__).resolve().parent / "out"  # git-ignored
TOP_N = 10


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--run-dir", type=Path, required=True)
    parser.add_argument("--label", required=True, help="code version, e.g. before / after")
    parser.add_argument("--k", default="20,40")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--passes", type=int, default=5)
    parser.add_argument("--out", type=Path, default=RESULTS / "estep.csv")
    args = parser.parse_args()
    dictionary, train, texts = training_data(args.run_dir)
    rows = []
    OUT.mkdir(exist_ok=True)
    for k in (int(value) for value in args.k.split(",")):
        started = time.process_time()
        model = BatchedLdaModel(train, id2word=dictionary, num_topics=k, random_state=args.seed, passes=args.passes,
                                iterations=100, alpha="auto", eta="auto", chunksize=2000, update_every=1,
                                eval_every=None, dtype=np.float64)
        cpu = time.process_time() - started
        topic_term = model.get_topics()
        npmi = coherence_per_topic(top_terms(topic_term, dictionary, TOP_N), texts, dictionary, "c_npmi").mean()
        rows.append({"label": args.label, "k": k, "seed": args.seed, "passes": args.passes, "cpu_s": round(cpu, 1),
                     "doc_iterations": int(model.doc_iterations), "npmi": round(float(npmi), 4),
                     "exclusivity": round(float(topic_exclusivity(topic_term, TOP_N).mean()), 4)})
        print(rows[-1], flush=True)
        np.save(OUT / f"estep_{args.label}_k{k}.npy", topic_term)  # to compare the topics themselves
    table = pd.DataFrame(rows)
    table.to_csv(args.out, mode="a", header=not args.out.exists(), index=False)
    print(table.to_string(index=False))


if __name__ == "__main__":
    main()
