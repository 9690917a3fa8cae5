"""Monitor target on real corpora: jornada's held-out last month (in distribution) and a month of
mañaneras turns (another register) scored with the jornada model; writes bench/results/monitor.md.

The jornada run must exist and be fitted with its last month held out (``corpus.date_range.end``
before it), e.g. config/corpora/jornada_zacatecas.yaml with ``corpus.date_range: {end: '2014-01-31'}``
and a small grid (this study: K = 20, seeds 1 and 2, 2 passes), run with
``snakemake ... results/themes/prevalence.csv``. Then::

    python bench/bench_monitor.py RUN_DIR [--month 2014-02] [--mananeras-month 2025/marzo]

Each monitor run is timed from the command line (wall clock, the monitor rules only: the fit is
already there); the signals of each are copied into the results file.
"""

import argparse
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import yaml

REPO = Path(__file__).resolve().parents[1]
CORPORA = REPO.parent / "shared" / "corpora"


def monitor(run_dir: Path, monitor_section: dict, keep_baseline: bool) -> tuple[float, pd.DataFrame]:
    """Run the monitor target with this ``monitor`` section; return the wall time and signals.csv.

    Without ``keep_baseline`` every monitor output is removed first, so the time includes the
    fit-period baseline (rule ``measure_fit_baseline``, computed once per run); with it, the
    baseline of an earlier monitor run is kept, as for every later batch of new documents.
    """
    config = yaml.safe_load((run_dir / "config.yaml").read_text(encoding="utf-8"))
    config["monitor"] = monitor_section
    path = run_dir / "config.monitor.yaml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    folder = run_dir / "results" / "monitor"
    for output in sorted(folder.rglob("*"), reverse=True) if folder.exists() else []:
        if keep_baseline and output.name == "baseline.csv":
            continue
        output.unlink() if output.is_file() else shutil.rmtree(output, ignore_errors=True)
    command = [sys.executable, "-m", "snakemake", "-s", str(REPO / "Snakefile"), "--directory", str(run_dir),
               "--configfile", str(path), "--cores", "2", "monitor"]
    started, started_at = time.perf_counter(), time.time()
    subprocess.run(command, check=True, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    return seconds, pd.read_csv(run_dir / "results" / "monitor" / "signals.csv"), rule_times(run_dir, started_at)


MONITOR_RULES = ("ingest_new_documents", "score_new_documents", "measure_fit_baseline", "measure_drift",
                 "plot_monitor", "render_monitor_report")


def rule_times(run_dir: Path, since: float) -> str:
    """``rule wall s / CPU s`` of the monitor rules that ran in this call (Snakemake's benchmark files)."""
    parts = []
    for rule in MONITOR_RULES:
        for tsv in (run_dir / "benchmarks" / rule).glob("*.tsv"):
            if tsv.stat().st_mtime >= since:
                row = pd.read_csv(tsv, sep="\t").iloc[-1]
                parts.append(f"{rule} {row['s']:.1f} s / {row['cpu_time']:.1f} s CPU")
    return "; ".join(parts) or "no rule benchmark"


def signal_lines(signals: pd.DataFrame) -> list[str]:
    lines = ["| period | signal | value | fit mean ± sd | fit min–max | z | verdict |", "|---|---|---|---|---|---|---|"]
    for row in signals.itertuples():
        lines.append(f"| {row.period} | {row.signal} | {row.value:.4g} | {row.fit_mean:.4g} ± {row.fit_sd:.3g} | "
                     f"{row.fit_min:.4g}–{row.fit_max:.4g} | {row.z:.1f} | **{row.verdict}** |")
    return lines


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("run_dir", type=Path)
    parser.add_argument("--month", default="2014/02", help="jornada month held out of the fit (_posts/YYYY/MM)")
    parser.add_argument("--mananeras-month", default="2025/marzo", help="mañaneras folder articulos/YYYY/<mes>")
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "results" / "monitor.md")
    args = parser.parse_args(argv)
    run_dir = args.run_dir.resolve()
    jornada = {"path": str(CORPORA / "jornada_zacatecas"),
               "corpus": {"include": [f"_posts/{args.month}/**/*.md", f"_posts/{args.month}/**/*.markdown"]}}
    mananeras = {"path": str(CORPORA / "mananeras_mx"),
                 "corpus": {"format": "txt", "include": [f"articulos/{args.mananeras_month}/*.txt"],
                            "date_from_path": None, "date_from_text": 3, "segment": "speaker_turns",
                            "keep_columns": [], "title_in_text": False, "duplicates": {"near": False}}}
    results = []
    runs = (("jornada, held-out month " + args.month + ", first monitor run (fit baseline included)", jornada, False),
            ("jornada, held-out month " + args.month + ", again with the fit baseline kept", jornada, True),
            ("mañaneras " + args.mananeras_month + " (jornada model), fit baseline kept", mananeras, True))
    for name, section, keep in runs:
        seconds, signals, rules = monitor(run_dir, section, keep)
        n_docs = int(signals["n_docs"].max())
        results.append((name, seconds, n_docs, signals, rules))
        print(f"{name}: {seconds:.1f} s, verdicts {signals['verdict'].tolist()}")
    config = yaml.safe_load((run_dir / "config.yaml").read_text(encoding="utf-8"))
    lines = ["# Monitor target on real corpora", "",
             "Produced by `bench/bench_monitor.py` (numbers below are measured, not edited). Fit: "
             f"config/corpora/jornada_zacatecas.yaml with `corpus.date_range: {config['corpus'].get('date_range')}`, "
             f"a small grid for this study (`model.k: {config['model']['k']}`, `seeds: {config['model']['seeds']}`, "
             f"`passes: {config['model']['passes']}`), on 2 cores shared with other jobs (run with nice). "
             "Wall time is the monitor target alone (ingest, frozen tokens, inference, signals, figure, report).", ""]
    load = Path("/proc/loadavg").read_text().split()[0] if Path("/proc/loadavg").exists() else "?"
    lines += [f"Load average when the file was written: {load} (2 cores). Per-rule wall / CPU seconds are from "
              "Snakemake's benchmark files; wall time on a loaded machine is mostly waiting for a core.", ""]
    for name, seconds, n_docs, signals, rules in results:
        lines += [f"## {name}", "", f"Wall time {seconds:.1f} s (whole `snakemake monitor` call); up to {n_docs} "
                  f"documents per new period. Rules: {rules}.", "",
                  *signal_lines(signals), ""]
    args.out.write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
