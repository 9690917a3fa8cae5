"""Coverage of the prevalence intervals (issue 15): percentile bootstrap against logit-t.

Two simulations, both against the generating mean share:

1. one period of ``n`` documents (the bootstrap part only: the Wilson floor needs the
   theme's dispersion over many periods) (n = 3, 5, 10, 20, 30, 60) with skewed shares
   (Beta(0.3, 1.5), mean 0.167; Beta(2, 8), mean 0.2), ``--reps`` periods each;
2. generated corpora as in ``scripts/demo/shares.py``: 30 months, documents per month drawn
   like news counts (negative binomial, mean 30), skewed Dirichlet shares around known curves,
   by document-count band.

Writes ``bench/results/intervals.csv`` (``setting, shares, n, method, coverage, mean_width, cells``).

Usage::

    nice -n 10 /work/main/.venv/bin/python bench/bench_intervals.py --reps 400
"""

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parent.parent
from scripts.demo.shares import synthetic_shares
from scripts.themes.prevalence import interval_from_replicates, period_start, prevalence_table, replicate_means

METHODS = ("percentile", "logit_t")


def single_period(reps: int, n_boot: int) -> list:
    rows = []
    for label, (a, b) in {"beta(0.3,1.5)": (0.3, 1.5), "beta(2,8)": (2.0, 8.0)}.items():
        truth = a / (a + b)
        for n in (3, 5, 10, 20, 30, 60):
            rng = np.random.default_rng([n, int(a * 10)])
            hits = {m: [] for m in METHODS}
            widths = {m: [] for m in METHODS}
            for _ in range(reps):
                shares = rng.beta(a, b, size=(n, 1))
                point, replicates, clusters = replicate_means([shares], 0, n_boot, rng)
                for method in METHODS:
                    low, high, _ = interval_from_replicates(point, replicates, clusters, 0.95, method)
                    hits[method].append(low[0] <= truth <= high[0])
                    widths[method].append(high[0] - low[0])
            for method in METHODS:
                rows.append(dict(setting="one period", shares=label, n=str(n),
                                 method=method if method == "percentile" else "logit_t (no Wilson floor)",
                                 coverage=float(np.mean(hits[method])), mean_width=float(np.mean(widths[method])), cells=reps))
    return rows


def generated_corpora(datasets: int, n_boot: int) -> list:

    parts = []
    for replicate in range(datasets):
        dates, shares, truth = synthetic_shares(np.random.default_rng(100 + replicate))
        periods = period_start(dates, "month")
        for method in METHODS:
            table = prevalence_table(periods, [shares], 0, ["t0", "t1", "t2", "t3"], n_boot, 0.95, replicate, 5, method=method)
            parts.append(table.merge(truth, on=["period", "theme"]).assign(method=method))
    merged = pd.concat(parts)
    merged["hit"] = (merged["ci_low"] <= merged["truth"]) & (merged["truth"] <= merged["ci_high"])
    merged["width"] = merged["ci_high"] - merged["ci_low"]
    merged["band"] = pd.cut(merged["n_docs"], [0, 4, 9, 19, 39, 10_000], labels=["1-4", "5-9", "10-19", "20-39", "40+"]).astype(str)
    rows = []
    for (method, band), block in list(merged.groupby(["method", "band"])) + [((m, "all"), merged[merged["method"] == m]) for m in METHODS]:
        rows.append(dict(setting=f"generated corpus ({datasets} datasets)", shares="dirichlet(1.2 × curve)", n=band,
                         method=method, coverage=float(block["hit"].mean()), mean_width=float(block["width"].mean()),
                         cells=int(len(block))))
    return rows


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=400)
    parser.add_argument("--datasets", type=int, default=20)
    parser.add_argument("--n-boot", type=int, default=1000)
    parser.add_argument("--out", default=str(REPO / "bench" / "results" / "intervals.csv"))
    args = parser.parse_args(argv)
    table = pd.DataFrame((single_period(args.reps, args.n_boot) if args.reps else []) + generated_corpora(args.datasets, args.n_boot))
    table["coverage"] = table["coverage"].round(4)
    table["mean_width"] = table["mean_width"].round(4)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(args.out, index=False)
    print(table.to_string(index=False))


if __name__ == "__main__":
    main()
