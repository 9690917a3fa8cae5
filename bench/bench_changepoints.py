"""Simulation benchmark of the change-point detectors (issue 15).

For every setting — series shape (``flat``, a ``step`` of 3 standard errors in the middle half,
a ``linear`` rise of 6 standard errors), AR(1) coefficient ``phi`` of the noise and number of
periods ``n`` — ``--reps`` series are drawn with :func:`changepoints.simulate_series` (uneven
per-period standard errors, as monthly news counts give) and run through

* ``calibrated``: :func:`changepoints.detect_changes` (the default of the workflow), given the
  per-period standard errors;
* ``pelt``: the former detector, :func:`changepoints.change_points` (ruptures PELT, ``l2``,
  penalty 10, ``min_size`` 2, series scaled by its robust noise scale).

Columns of ``bench/results/changepoints.csv``: ``method, kind, phi, n, reps, any_change`` (the
false-positive rate for ``flat``), ``found`` (power for ``step``: a change within 2 periods of
the planted one), ``mean_changes``, ``seconds``.

Usage::

    nice -n 10 /work/main/.venv/bin/python bench/bench_changepoints.py --reps 400 --pelt-reps 100

(about 15 min on 2 shared cores; the former detector, ruptures PELT, is slow, so it runs on
fewer series and only at the lengths ``--pelt-n``).
"""

import argparse
import time
from pathlib import Path

import numpy as np
import pandas as pd

from scripts.settings import section
from scripts.themes.changepoints import change_points, detect_changes, simulate_series

REPO = Path(__file__).resolve().parent.parent
#: ``time.change_points`` as the schema fills it in (the workflow's defaults)
POINTS = section("time")["change_points"]
MIN_SIZE = POINTS["min_size"]

SEEDS = {"flat": 1, "step": 2, "linear": 3}


def run_setting(method: str, kind: str, phi: float, n: int, reps: int) -> dict:
    """Rates of one method on one simulated setting."""
    values, se, step_at = simulate_series(kind, phi, n, reps, np.random.default_rng([SEEDS[kind], n, int(phi * 100)]))
    start = time.perf_counter()
    if method == "calibrated":
        found = [detect_changes(v, s, MIN_SIZE)["starts"] for v, s in zip(values, se)]
    else:
        found = [change_points(v, penalty=POINTS["penalty"], min_size=MIN_SIZE) for v in values]
    seconds = time.perf_counter() - start
    hit = [any(abs(point - at) <= 2 for point in points) for points, at in zip(found, step_at)]
    return dict(method=method, kind=kind, phi=phi, n=n, reps=reps,
                any_change=float(np.mean([len(points) > 0 for points in found])),
                found=float(np.mean(hit)) if kind == "step" else np.nan,
                mean_changes=float(np.mean([len(points) for points in found])), seconds=round(seconds, 2))


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=400)
    parser.add_argument("--pelt-reps", type=int, default=100, help="series per setting for the (slow) former detector")
    parser.add_argument("--pelt-n", type=int, nargs="+", default=[24, 60], help="lengths run with the former detector")
    parser.add_argument("--n", type=int, nargs="+", default=[24, 36, 60, 120, 200])
    parser.add_argument("--phi", type=float, nargs="+", default=[0.0, 0.25, 0.5])
    parser.add_argument("--out", default=str(REPO / "bench" / "results" / "changepoints.csv"))
    args = parser.parse_args(argv)
    rows = []
    for kind in ("flat", "step", "linear"):
        for phi in args.phi:
            for n in args.n:
                for method in ("calibrated", "pelt") if n in args.pelt_n else ("calibrated",):
                    reps = args.reps if method == "calibrated" else args.pelt_reps
                    rows.append(run_setting(method, kind, phi, n, reps))
                    print(rows[-1], flush=True)
    table = pd.DataFrame(rows)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(args.out, index=False)
    print(table.to_string(index=False))


if __name__ == "__main__":
    main()
