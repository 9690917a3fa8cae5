"""The monitor's words and tables, and its own report: ``results/monitor/report.md`` and ``report.html``.

:func:`monitor_context` turns the monitor's outputs into what a reader sees: which documents were
scored, each drift signal with its fit-period range, z-score and verdict, the fastest-rising terms,
numbers written by :mod:`scripts.text.numbers` (``0,1234`` in Spanish). The same context fills the
monitor's own report (``templates/monitor.html.j2``, ``monitor.md.j2``), the monitoring section of the
main report (``monitor_section.html.j2``, rule ``render_report``) and the explorer's
(:mod:`scripts.report.explorer`), all rendered with the report's Jinja environment
(:func:`scripts.report.environment.report_environment`). Words come from :data:`scripts.monitor.text.TEXT`
in ``figures.language``.

Example
-------
>>> signals = pd.DataFrame({"period": ["2025-01-01"], "signal": ["oov_rate"], "value": [0.3], "fit_mean": [0.1],
...                         "fit_sd": [0.01], "fit_min": [0.09], "fit_max": [0.11], "z": [20.0], "verdict": ["drift"]})
>>> print(summary_line(signals, "en"))
Drift: Out-of-vocabulary words (2025-01-01). The new documents no longer resemble the fit period's; consider refitting the model.
>>> report_tables(signals, signals.iloc[:0].assign(term=[], in_vocabulary=[], count_new=[], count_fit=[], log_ratio=[]),
...               "es", "month")[0][1][0][2:]
['0,3000', '0,1000 ± 0,0100; 0,0900–0,1100', '20,0', 'DERIVA']
"""

import json
from pathlib import Path

import pandas as pd

from scripts.monitor.text import TEXT
from scripts.report.environment import data_uri, report_environment
from scripts.text.display import period_label, pretty_term
from scripts.text.numbers import format_number


def summary_line(signals: pd.DataFrame, language: str) -> str:
    """One sentence: no drift, or which signals drifted in which periods."""
    words = TEXT[language]
    drifted = signals[signals["verdict"] == "drift"]
    if drifted.empty:
        return words["summary_ok"]
    named = ", ".join(f"{words[row.signal]} ({row.period})" for row in drifted.itertuples())
    return words["summary_drift"].format(signals=named)


def _number(value: float, language: str) -> str:
    """A signal's value: four decimals below 10, one above; ``—`` when missing."""
    if pd.isna(value):
        return "—"
    return format_number(value, ".4f" if abs(value) < 10 else ".1f", language)


def _z(value: float, language: str) -> str:
    """A z-score with one decimal; ``∞`` when the fit periods have no spread and the value rose."""
    if pd.isna(value):
        return "—"
    return ("\u2212" if value < 0 else "") + "∞" if abs(value) == float("inf") else format_number(value, ".1f", language)


def report_tables(signals: pd.DataFrame, rising: pd.DataFrame, language: str, freq: str) -> tuple:
    """``(headers, rows)`` of the signals table and of the rising-terms table, as text in ``language``."""
    words = TEXT[language]
    number = lambda value: _number(value, language)  # noqa: E731
    signal_rows = [[period_label(row.period, language, freq), words[row.signal], number(row.value),
                    f"{number(row.fit_mean)} ± {number(row.fit_sd)}; {number(row.fit_min)}–{number(row.fit_max)}",
                    _z(row.z, language), words[row.verdict]]
                   for row in signals.itertuples()]
    signal_headers = [words[key] for key in ("period", "signal", "value", "fit_range", "z", "verdict")]
    rising_rows = [[pretty_term(str(row.term)) + ("" if row.in_vocabulary else f" ({words['outside']})"),
                    str(row.count_new), str(row.count_fit), format_number(row.log_ratio, ".2f", language)]
                   for row in rising.itertuples()]
    rising_headers = [words[key] for key in ("term", "count_new", "count_fit", "log_ratio")]
    return (signal_headers, signal_rows), (rising_headers, rising_rows)


def counts_line(summary: dict, tokens: pd.DataFrame, language: str) -> str:
    """Documents read, kept, scored (and set aside as within the fit period)."""
    words = TEXT[language]
    scored = int((tokens["n_tokens"] > 0).sum())
    set_aside = int(summary.get("n_kept", 0)) - len(tokens)
    return (f"{words['documents']}: {summary.get('n_read', 0)} {words['read']}, {summary.get('n_kept', 0)} "
            f"{words['kept']}, {scored} {words['scored']}; {set_aside} {words['in_fit_period']}.")


def read_monitor_outputs(paths: dict) -> dict:
    """The monitor's tables: ``signals``, ``rising`` (terms), ``summary`` (ingest), ``tokens`` and
    ``prevalence`` (fit and new rows), from the paths of the same names."""
    rising = pd.read_csv(paths["rising_terms"], keep_default_na=False)
    rising["in_vocabulary"] = rising["in_vocabulary"].astype(str).str.lower() == "true"
    rising["log_ratio"] = rising["log_ratio"].astype(float)
    return {
        "signals": pd.read_csv(paths["signals"]),
        "rising": rising,
        "summary": json.loads(Path(paths["summary"]).read_text(encoding="utf-8")),
        "tokens": pd.read_parquet(paths["tokens"], columns=["doc_id", "period", "n_tokens"]),
        "prevalence": pd.read_csv(paths["prevalence"]) if "prevalence" in paths else None,
    }


def monitor_context(outputs: dict, selection: dict, language: str, freq: str, max_z: float) -> dict:
    """What the reader sees of a monitor run, as text in ``language``.

    Parameters
    ----------
    outputs : dict
        :func:`read_monitor_outputs`.
    selection : dict
        ``selection.json`` (the chosen K and seed).
    language, freq : str
        ``figures.language``, ``time.freq``.
    max_z : float
        ``monitor.max_z``.

    Returns
    -------
    dict
        ``words`` (:data:`TEXT`), ``intro``, ``counts``, ``new_periods``, ``verdict``, ``drift`` (bool),
        ``signals_intro`` and the tables ``signals``, ``rising`` as ``{"headers", "rows"}``.
    """
    words = TEXT[language]
    signals, tokens = outputs["signals"], outputs["tokens"]
    (signal_headers, signal_rows), (rising_headers, rising_rows) = report_tables(signals, outputs["rising"], language, freq)
    new_periods = ", ".join(period_label(p, language, freq) for p in sorted(set(tokens["period"])))
    return {
        "words": words,
        "intro": words["intro"].format(k=selection["k"], seed=selection["seed"]),
        "counts": counts_line(outputs["summary"], tokens, language),
        "new_periods": f"{words['new_periods']}: {new_periods}.",
        "verdict": summary_line(signals, language),
        "drift": bool((signals["verdict"] == "drift").any()),
        "signals_intro": words["signals_intro"].format(max_z=format_number(max_z, "g", language)),
        "signals": {"headers": signal_headers, "rows": signal_rows},
        "rising": {"headers": rising_headers, "rows": rising_rows},
    }


def render(context: dict, language: str, title: str, image: str) -> tuple:
    """``(markdown, html)`` of the monitor report: ``context`` from :func:`monitor_context`, ``image``
    the figure as a ``data:`` URI (the Markdown links ``prevalence.png`` beside it)."""
    env = report_environment(language)
    values = {"m": context, "language": language, "title": title, "image": image}
    return env.get_template("monitor.md.j2").render(**values), env.get_template("monitor.html.j2").render(**values)


def run_render_monitor_report(smk) -> None:
    """Rule ``render_monitor_report``."""
    language = smk.params.figures["language"]
    outputs = read_monitor_outputs({name: smk.input[name] for name in ("signals", "rising_terms", "summary", "tokens")})
    selection = json.loads(Path(smk.input.selection).read_text(encoding="utf-8"))
    context = monitor_context(outputs, selection, language, smk.params.freq, smk.params.monitor["max_z"])
    image = data_uri(Path(smk.input.figure).read_bytes(), "image/png")
    markdown, page = render(context, language, smk.params.report["title"], image)
    Path(smk.output.markdown).write_text(markdown, encoding="utf-8")
    Path(smk.output.html).write_text(page, encoding="utf-8")
