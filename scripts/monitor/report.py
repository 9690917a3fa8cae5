"""The monitor report: ``results/monitor/report.md`` and a self-contained ``report.html``.

Both say which documents were scored, each drift signal with its fit-period range and verdict,
the fastest-rising terms, and show the figure (embedded in the HTML). Words come from
:data:`scripts.monitor.text.TEXT` in ``figures.language``.

Example
-------
>>> signals = pd.DataFrame({"period": ["2025-01-01"], "signal": ["oov_rate"], "value": [0.3], "fit_mean": [0.1],
...                         "fit_sd": [0.01], "fit_min": [0.09], "fit_max": [0.11], "z": [20.0], "verdict": ["drift"]})
>>> print(summary_line(signals, "en"))
Drift: Out-of-vocabulary words (2025-01-01). The new documents no longer resemble the fit period's; consider refitting the model.
"""

import base64
import html
import json
from pathlib import Path

import pandas as pd

from scripts.monitor.text import TEXT
from scripts.text.display import period_label, pretty_term


def summary_line(signals: pd.DataFrame, language: str) -> str:
    """One sentence: no drift, or which signals drifted in which periods."""
    words = TEXT[language]
    drifted = signals[signals["verdict"] == "drift"]
    if drifted.empty:
        return words["summary_ok"]
    named = ", ".join(f"{words[row.signal]} ({row.period})" for row in drifted.itertuples())
    return words["summary_drift"].format(signals=named)


def _number(value: float) -> str:
    if pd.isna(value):
        return "—"
    return f"{value:.4f}" if abs(value) < 10 else f"{value:.1f}"


def report_tables(signals: pd.DataFrame, rising: pd.DataFrame, language: str, freq: str) -> tuple:
    """``(headers, rows)`` of the signals table and of the rising-terms table, as text."""
    words = TEXT[language]
    signal_rows = [[period_label(row.period, language, freq), words[row.signal], _number(row.value),
                    f"{_number(row.fit_mean)} ± {_number(row.fit_sd)}; {_number(row.fit_min)}–{_number(row.fit_max)}",
                    "—" if pd.isna(row.z) else f"{row.z:.1f}", words[row.verdict]]
                   for row in signals.itertuples()]
    signal_headers = [words[key] for key in ("period", "signal", "value", "fit_range", "z", "verdict")]
    rising_rows = [[pretty_term(str(row.term)) + ("" if row.in_vocabulary else f" ({words['outside']})"),
                    str(row.count_new), str(row.count_fit), f"{row.log_ratio:.2f}"] for row in rising.itertuples()]
    rising_headers = [words[key] for key in ("term", "count_new", "count_fit", "log_ratio")]
    return (signal_headers, signal_rows), (rising_headers, rising_rows)


def counts_line(summary: dict, tokens: pd.DataFrame, language: str) -> str:
    """Documents read, kept, scored (and set aside as within the fit period)."""
    words = TEXT[language]
    scored = int((tokens["n_tokens"] > 0).sum())
    set_aside = int(summary.get("n_kept", 0)) - len(tokens)
    return (f"{words['documents']}: {summary.get('n_read', 0)} {words['read']}, {summary.get('n_kept', 0)} "
            f"{words['kept']}, {scored} {words['scored']}; {set_aside} {words['in_fit_period']}.")


def markdown_table(headers: list, rows: list) -> list:
    """Lines of a Markdown table (pipes escaped)."""
    escape = lambda text: str(text).replace("|", "\\|")  # noqa: E731
    return ["| " + " | ".join(map(escape, headers)) + " |", "|" + "---|" * len(headers),
            *["| " + " | ".join(map(escape, row)) + " |" for row in rows]]


def html_table(headers: list, rows: list) -> str:
    """An HTML table (text escaped)."""
    head = "".join(f"<th>{html.escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def render(signals, rising, summary, tokens, selection, language, freq, max_z, title, figure_png) -> tuple:
    """``(markdown, html)`` texts of the report."""
    words = TEXT[language]
    (sh, sr), (rh, rr) = report_tables(signals, rising, language, freq)
    new_periods = ", ".join(period_label(p, language, freq) for p in sorted(set(tokens["period"])))
    intro = words["intro"].format(k=selection["k"], seed=selection["seed"])
    verdict = summary_line(signals, language)
    parts = [("h1", f"{title}: {words['title']}"), ("p", intro), ("p", counts_line(summary, tokens, language)),
             ("p", f"{words['new_periods']}: {new_periods}."), ("strong", verdict), ("h2", words["signals"]),
             ("p", words["signals_intro"].format(max_z=max_z)), ("table", (sh, sr)), ("p", words["signals_explain"]),
             ("h2", words["figure"]), ("figure", None), ("p", words["curves_note"]), ("h2", words["rising"]),
             ("p", words["rising_intro"]), ("table", (rh, rr))]
    md, page = [], []
    for kind, content in parts:
        if kind == "h1":
            md.append(f"# {content}")
            page.append(f"<h1>{html.escape(content)}</h1>")
        elif kind == "h2":
            md.append(f"## {content}")
            page.append(f"<h2>{html.escape(content)}</h2>")
        elif kind == "strong":
            md.append(f"**{content}**")
            page.append(f"<p><strong>{html.escape(content)}</strong></p>")
        elif kind == "table":
            md.extend(markdown_table(*content))
            page.append(html_table(*content))
        elif kind == "figure":
            md.append("![](prevalence.png)")
            encoded = base64.b64encode(Path(figure_png).read_bytes()).decode("ascii")
            page.append(f'<img alt="{html.escape(words["figure"])}" src="data:image/png;base64,{encoded}">')
        else:
            md.append(content)
            page.append(f"<p>{html.escape(content)}</p>")
        md.append("")
    style = ("body{font-family:sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.45}"
             "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.25rem .5rem}img{max-width:100%}")
    document = (f'<!DOCTYPE html>\n<html lang="{language}">\n<head>\n<meta charset="utf-8">\n'
                f"<title>{html.escape(words['title'])}</title>\n<style>{style}</style>\n</head>\n<body>\n"
                + "\n".join(page) + "\n</body>\n</html>\n")
    return "\n".join(md).rstrip() + "\n", document


def run_render_monitor_report(smk) -> None:
    """Rule ``render_monitor_report``."""
    language = smk.params.figures["language"]
    signals = pd.read_csv(smk.input.signals)
    rising = pd.read_csv(smk.input.rising_terms, keep_default_na=False)
    rising["in_vocabulary"] = rising["in_vocabulary"].astype(str).str.lower() == "true"
    rising["log_ratio"] = rising["log_ratio"].astype(float)
    summary = json.loads(Path(smk.input.summary).read_text(encoding="utf-8"))
    tokens = pd.read_parquet(smk.input.tokens, columns=["doc_id", "period", "n_tokens"])
    selection = json.loads(Path(smk.input.selection).read_text(encoding="utf-8"))
    markdown, page = render(signals, rising, summary, tokens, selection, language, smk.params.freq,
                            smk.params.monitor["max_z"], smk.params.report["title"], smk.input.figure)
    Path(smk.output.markdown).write_text(markdown, encoding="utf-8")
    Path(smk.output.html).write_text(page, encoding="utf-8")
