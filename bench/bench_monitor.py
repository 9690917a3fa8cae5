"""Monitor target on real corpora: jornada's held-out last month (in distribution) and a month of
mañaneras turns (another register) scored with the jornada model; writes bench/results/monitor.md.

The jornada run must exist and be fitted with its last month held out (``corpus.date_range.end``
before it), e.g. config/corpora/jornada_zacatecas.yaml with ``corpus.date_range: {end: '2014-01-31'}``
and a small grid (this study: K = 20, seeds 1 and 2, 2 passes), run with
``snakemake ... results/themes/prevalence.csv``. Then::

    python bench/bench_monitor.py RUN_DIR [--month 2014-02] [--mananeras-month 2025/marzo] [--before-repo CHECKOUT]

Each monitor run is timed from the command line (wall clock, the monitor rules only: the fit is
already there); the signals of each are copied into the results file. With ``--before-repo``
(another checkout, e.g. ``main`` before a change of the monitor), the same two months are first
monitored by that checkout's workflow and ``scripts`` package in a copy of the run folder, and the
results file compares the out-of-vocabulary rate (and the verdicts) before and after.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd
import yaml

REPO = Path(__file__).resolve().parents[1]
CORPORA = REPO.parent / "shared" / "corpora"


def monitor(run_dir: Path, monitor_section: dict, keep_baseline: bool, repo: Path = REPO) -> tuple[float, pd.DataFrame, str]:
    """Run the monitor target with this ``monitor`` section; return the wall time, signals.csv and rule times.

    Without ``keep_baseline`` every monitor output is removed first, so the time includes the
    fit-period baseline (rule ``measure_fit_baseline``, computed once per run); with it, the
    baseline of an earlier monitor run is kept, as for every later batch of new documents.
    ``repo`` is the checkout whose ``Snakefile`` and ``scripts`` package run (default: this one).
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
    command = [sys.executable, "-m", "snakemake", "-s", str(repo / "Snakefile"), "--directory", str(run_dir),
               "--configfile", str(path), "--cores", "2", "monitor", "--rerun-triggers", "mtime"]
    # mtime only: another checkout resolves the aliases file to another path, which must not refit the run
    started, started_at = time.perf_counter(), time.time()
    process = subprocess.run(command, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(repo)})
    if process.returncode:
        sys.exit(f"{' '.join(command)} failed:\n{process.stderr[-3000:]}")
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


def round_trip(run_dir: Path) -> dict:
    """Re-tokenize every fit document with the frozen tokenizer of the ``scripts`` package on the path
    and compare with ``tokens.parquet``: documents that differ, and the OOV rate over all fit documents.

    Run in a subprocess per checkout (``--round-trip``); a checkout whose tokenizer predates
    ``name_forms.csv`` is called without it.
    """
    import inspect

    from gensim.corpora import Dictionary

    from scripts.monitor import tokens as frozen
    from scripts.settings import defaults

    config = defaults(yaml.safe_load((run_dir / "config.yaml").read_text(encoding="utf-8")))
    corpus = run_dir / "results" / "corpus"
    arguments = [config["preprocess"], pd.read_csv(corpus / "phrases.csv", keep_default_na=False)]
    if "name_forms" in inspect.signature(frozen.FrozenTokenizer).parameters:
        arguments.append(frozen.read_name_forms(corpus / "name_forms.csv"))
    tokenizer = frozen.FrozenTokenizer(*arguments, base=Path(frozen.__file__).resolve().parents[2])
    again = frozen.tokenize_documents(run_dir / "results" / "ingest" / "documents.parquet", tokenizer)
    token2id = Dictionary.load(str(corpus / "dictionary.gensim")).token2id
    fit = pd.read_parquet(corpus / "tokens.parquet", columns=["doc_id", "tokens"])
    assert again["doc_id"].tolist() == fit["doc_id"].tolist()
    known = [[token for token in tokens if token in token2id] for tokens in again["tokens"]]
    n_tokens = int(again["tokens"].map(len).sum())
    return {"n_documents": len(fit), "n_differ": sum(a != list(b) for a, b in zip(known, fit["tokens"])),
            "oov_rate": 1 - sum(map(len, known)) / n_tokens}


def round_trip_in(run_dir: Path, repo: Path) -> dict:
    """:func:`round_trip` with ``repo``'s ``scripts`` package (a subprocess)."""
    import json

    process = subprocess.run([sys.executable, __file__, str(run_dir), "--round-trip"], capture_output=True, text=True,
                             env={**os.environ, "PYTHONPATH": str(repo)})
    if process.returncode:
        sys.exit(f"round trip with {repo} failed:\n{process.stderr[-3000:]}")
    return json.loads(process.stdout.strip().splitlines()[-1])


def machine_load() -> str:
    """``uptime``'s load averages (1, 5, 15 minutes) now."""
    return " ".join(Path("/proc/loadavg").read_text().split()[:3]) if Path("/proc/loadavg").exists() else "?"


def before_after_lines(before: dict, after: dict) -> list[str]:
    """Out-of-vocabulary rate and every verdict of the same months, before and after (``{name: signals}``)."""
    lines = ["| new documents | signal | value before | z before | verdict before | value after | z after | "
             "verdict after |", "|---|---|---|---|---|---|---|---|"]
    for name, old in before.items():
        new = after[name].set_index(["period", "signal"])
        for row in old.itertuples():
            now = new.loc[(row.period, row.signal)]
            lines.append(f"| {name} | {row.signal} | {row.value:.4g} | {row.z:.1f} | {row.verdict} | {now['value']:.4g} "
                         f"| {now['z']:.1f} | **{now['verdict']}** |")
    name = next(iter(before))  # one fit-period baseline per run folder, shared by every batch of new documents
    oov_old = before[name].set_index("signal").loc["oov_rate"]
    oov_new = after[name].set_index("signal").loc["oov_rate"]
    return lines + ["", f"Fit-period OOV baseline (held-out documents of each fit month, mean ± sd): "
                        f"{oov_old['fit_mean']:.4g} ± {oov_old['fit_sd']:.3g} before, "
                        f"{oov_new['fit_mean']:.4g} ± {oov_new['fit_sd']:.3g} after."]


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
    parser.add_argument("--before-repo", type=Path, help="checkout to compare with (run in a copy of RUN_DIR)")
    parser.add_argument("--round-trip", action="store_true", help=argparse.SUPPRESS)  # one checkout's round trip
    args = parser.parse_args(argv)
    run_dir = args.run_dir.resolve()
    if args.round_trip:
        import json

        print(json.dumps(round_trip(run_dir)))
        return 0
    load_start = machine_load()
    jornada = {"path": str(CORPORA / "jornada_zacatecas"),
               "corpus": {"include": [f"_posts/{args.month}/**/*.md", f"_posts/{args.month}/**/*.markdown"]}}
    mananeras = {"path": str(CORPORA / "mananeras_mx"),
                 "corpus": {"format": "txt", "include": [f"articulos/{args.mananeras_month}/*.txt"],
                            "date_from_path": None, "date_from_text": 3, "segment": "speaker_turns",
                            "keep_columns": [], "title_in_text": False, "duplicates": {"near": False}}}
    before, trips = {}, {}
    if args.before_repo:
        trips = {"before": round_trip_in(run_dir, args.before_repo.resolve()), "after": round_trip_in(run_dir, REPO)}
        print(f"round trip: {trips}")
        with tempfile.TemporaryDirectory(dir=run_dir.parent, prefix=".bench-monitor-") as scratch:
            copy = Path(scratch) / run_dir.name
            shutil.copytree(run_dir, copy, symlinks=True)  # the fit's files, metadata and times: nothing refits
            for name, section, keep in (("jornada " + args.month, jornada, False),
                                        ("mañaneras " + args.mananeras_month, mananeras, True)):
                seconds, signals, _ = monitor(copy, section, keep, repo=args.before_repo.resolve())
                before[name] = signals
                print(f"before ({args.before_repo}), {name}: {seconds:.1f} s, verdicts {signals['verdict'].tolist()}")
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
    lines += [f"Load averages (1, 5, 15 min, as `uptime` gives them) at the start: {load_start}; when the file was "
              f"written: {machine_load()} (2 cores). Per-rule wall / CPU seconds are from Snakemake's benchmark "
              "files; wall time on a loaded machine is mostly waiting for a core.", ""]
    if before:
        after = {"jornada " + args.month: results[0][3], "mañaneras " + args.mananeras_month: results[2][3]}
        lines += ["## Before and after: " + str(args.before_repo), "",
                  f"The same run folder and months monitored first by `{args.before_repo}` (in a copy of the run "
                  "folder), then by this checkout; same fit, same dictionary.", "",
                  *before_after_lines(before, after), "",
                  "Round trip: every fit document re-tokenized by the frozen tokenizer against `tokens.parquet`:", "",
                  "| checkout | documents that differ | OOV rate over the fit documents |", "|---|---|---|",
                  *(f"| {label} | {trip['n_differ']:,} of {trip['n_documents']:,} | {trip['oov_rate']:.4f} |"
                    for label, trip in (("before: " + str(args.before_repo), trips["before"]),
                                        ("after: this checkout", trips["after"]))), ""]
    for name, seconds, n_docs, signals, rules in results:
        lines += [f"## {name}", "", f"Wall time {seconds:.1f} s (whole `snakemake monitor` call); up to {n_docs} "
                  f"documents per new period. Rules: {rules}.", "",
                  *signal_lines(signals), ""]
    args.out.write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
