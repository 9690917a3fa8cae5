"""Report stage: provenance, one self-contained HTML page (images embedded) and a Markdown summary.

:func:`provenance` records what a run was made from (corpus file hashes, config, package and
Snakemake versions, seeds, run date); :func:`report_context` gathers the stage tables and figures
into what the templates in ``scripts/templates/`` render.

Example
-------
>>> data_uri(b"abc", "image/png")
'data:image/png;base64,YWJj'
"""


import hashlib
import json
import logging
import os
import platform
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from scripts.report.environment import data_uri, report_environment
from scripts.report.language import decimal, reason_phrase, selection_sentences, selection_table
from scripts.report.screen_images import screen_png
from scripts.report.effects import effect_sentences
from scripts.monitor.report import monitor_context, read_monitor_outputs
from scripts.report.text import TEXT
from scripts.themes.labels import read_theme_labels, theme_label
from scripts.themes.linking import unreliable_themes
from scripts.text.display import period_label, read_surface_forms, surface_term

logger = logging.getLogger(__name__)

#: The monitor outputs the report reads (``monitor_<name>`` inputs of ``render_report``).
MONITOR_INPUTS = ("signals", "rising_terms", "summary", "tokens")

PACKAGES = (
    "snakemake", "gensim", "nltk", "simplemma", "numpy", "scipy", "pandas", "pyarrow", "matplotlib",
    "jinja2", "pyyaml", "jsonschema", "ruptures", "py3langid", "openpyxl", "datasketch", "charset-normalizer",
)


def corpus_files(path: Path) -> list[dict]:
    """SHA-256 and size of every file of a corpus file or folder, by sorted relative path."""
    path = Path(path)
    files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    rows = []
    for file in files:
        content = file.read_bytes()
        relative = file.relative_to(path).as_posix() if path.is_dir() else file.name
        relative = relative.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
        rows.append({"path": relative, "sha256": hashlib.sha256(content).hexdigest(), "bytes": len(content)})
    return rows


def corpus_fingerprint(files: list[dict]) -> str:
    """One SHA-256 over the sorted relative paths and file hashes (changes when any file does).

    >>> corpus_fingerprint([]) == hashlib.sha256().hexdigest()
    True
    """
    digest = hashlib.sha256()
    for row in files:
        digest.update(row["path"].encode("utf-8") + b"\0" + bytes.fromhex(row["sha256"]))
    return digest.hexdigest()


def run_date() -> str:
    """Now in UTC, ISO format, or ``SOURCE_DATE_EPOCH`` when set (so reproducibility checks can pin it)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    now = datetime.fromtimestamp(int(epoch), timezone.utc) if epoch else datetime.now(timezone.utc)
    return now.replace(microsecond=0).isoformat()


def config_seeds(config: dict) -> dict:
    """Every seed of the (filled-in) config, by key, so a reader sees at once what fixes the randomness."""
    return {
        "preprocess.seed": config["preprocess"]["seed"],
        "model.seeds": config["model"]["seeds"],
        "model.select_seed": config["model"]["select_seed"],
        "time.seed": config["time"]["seed"],
    }


def provenance(config: dict, corpus_path: Path, files: list[dict] | None = None) -> dict:
    """What a run was made from: corpus file hashes, config, package and Snakemake versions, seeds, date.

    ``files`` are the rows (``path``, ``sha256``, ``bytes``) of the corpus manifest, i.e. the files ingest
    read; without them every file under ``corpus_path`` is hashed.
    """
    files = corpus_files(corpus_path) if files is None else files
    packages = {}
    for name in PACKAGES:
        try:
            packages[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            packages[name] = "not installed"
    return {
        "run_date": run_date(),
        "snakemake": packages["snakemake"],
        "python": platform.python_version(),
        "platform": platform.platform(terse=True),
        "corpus_path": str(corpus_path),
        "corpus_sha256": corpus_fingerprint(files),
        "corpus_n_files": len(files),
        "corpus_bytes": sum(row["bytes"] for row in files),
        "seeds": config_seeds(config),
        "packages": packages,
        "config": config,
        "corpus_files": files,
    }


def read_table(path) -> pd.DataFrame:
    """A CSV, or an empty frame when the file is empty."""
    return pd.read_csv(path) if Path(path).stat().st_size else pd.DataFrame()


def drift_summary(drift: pd.DataFrame, theme: str, language: str, freq: str, n_spans: int = 6, n_terms: int = 6,
                  forms: dict[str, str] | None = None) -> list[dict]:
    """The terms carrying ``theme`` over at most ``n_spans`` consecutive spans of periods (``freq``: ``time.freq``).

    Periods are written in ``language`` (``figures.language``) as on the figures; terms as the
    corpus writes them when ``forms`` (``surface_forms.csv``) is given.

    Returns
    -------
    list of dict
        ``{"span": "ene 2023 – jun 2023", "terms": "fentanilo, opioide, …"}`` in time order.
    """
    rows = drift[drift["theme"] == theme] if len(drift) else drift
    if not len(rows):
        return []
    periods = sorted(rows["period"].unique())
    spans = []
    for chunk in np.array_split(np.array(periods, dtype=object), min(n_spans, len(periods))):
        weights = rows[rows["period"].isin(chunk)].groupby("term")["weight"].sum()
        top = sorted(weights.index, key=lambda term: (-weights[term], term))[:n_terms]
        first, last = period_label(chunk[0], language, freq), period_label(chunk[-1], language, freq)
        spans.append({"span": first if first == last else f"{first} – {last}", "terms": ", ".join(surface_term(t, forms) for t in top)})
    return spans


def _text(value) -> str:
    """A CSV cell as text ('' for missing values)."""
    return "" if value is None or (isinstance(value, float) and np.isnan(value)) else str(value)


def change_point_summary(row, language: str, freq: str) -> dict:
    """One change point for the templates: period, levels before/after and, when the table has
    them, its confidence and the range of periods where it falls (``low``/``high``, ``None`` if equal).

    Example
    -------
    >>> row = pd.DataFrame({"period": ["2024-03-01"], "before": [0.1], "after": [0.3], "confidence": [0.9],
    ...                     "date_low": ["2024-02-01"], "date_high": ["2024-04-01"]}).iloc[0]
    >>> summary = change_point_summary(row, "en", "month")
    >>> summary["period"], summary["confidence"], summary["low"], summary["high"]
    ('Mar 2024', 0.9, 'Feb 2024', 'Apr 2024')
    """
    summary = {"period": period_label(row.period, language, freq), "before": float(row.before), "after": float(row.after),
               "confidence": None, "low": None, "high": None}
    confidence = getattr(row, "confidence", None)
    if confidence is not None and pd.notna(confidence):
        summary["confidence"] = float(confidence)
    low, high = getattr(row, "date_low", None), getattr(row, "date_high", None)
    if isinstance(low, str) and isinstance(high, str) and low < high:
        summary["low"], summary["high"] = period_label(low, language, freq), period_label(high, language, freq)
    return summary


def theme_sections(themes, freq, prevalence, links, topics, change_points, drift, language, images,
                   theme_labels=None, forms=None) -> list[dict]:
    """One entry per theme: curve summary, linked topics, change points, drift terms, its figure.

    ``themes`` is the ``themes`` config section (name → seed words), ``freq`` is ``time.freq``,
    ``language`` is ``figures.language``, ``theme_labels`` maps a theme to the label shown
    (``theme_labels.csv``), ``forms`` the surface forms of the terms.
    """
    labels = dict(zip(topics["topic"], topics["label"])) if len(topics) else {}
    unreliable = unreliable_themes(links)
    sections = []
    for name, words in themes.items():
        series = prevalence[prevalence["theme"] == name].sort_values("period")
        linked = links[links["theme"] == name].sort_values(["weight", "topic"], ascending=[False, True]) if len(links) else links
        points = change_points[change_points["theme"] == name].sort_values("period") if len(change_points) else change_points
        peak = series.loc[series["prevalence"].idxmax()] if len(series) else None
        sections.append(
            {
                "name": name,
                "title": theme_label(name, theme_labels),
                "seed_words": ", ".join(words),
                "mean": float(series["prevalence"].mean()) if len(series) else None,
                "peak": None if peak is None else {
                    "period": period_label(peak["period"], language, freq),
                    "value": float(peak["prevalence"]), "low": float(peak["ci_low"]), "high": float(peak["ci_high"]),
                },
                "low_n": int(series["low_n"].astype(str).str.lower().eq("true").sum()) if "low_n" in series else 0,
                "topics": [
                    {"topic": int(row.topic), "label": labels.get(row.topic, ""), "weight": float(row.weight),
                     "lift": float(getattr(row, "lift", float("nan"))),
                     "passed": str(getattr(row, "passed", True)).lower() == "true",
                     "shared_with": _text(getattr(row, "shared_with", ""))}
                    for row in linked.itertuples()
                ],
                "reliable": bool(len(linked)) and name not in unreliable,
                "seeds_missing": _text(linked["seeds_missing"].iloc[0]) if "seeds_missing" in linked and len(linked) else "",
                "shared_with": ", ".join(sorted({theme_label(t, theme_labels) for row in linked.itertuples()
                                                for t in _text(getattr(row, "shared_with", "")).split(";") if t})),
                "change_points": [change_point_summary(row, language, freq) for row in points.itertuples()],
                "drift": drift_summary(drift, name, language, freq, forms=forms),
                "image": images.get(f"themes/{name}"),
            }
        )
    return sections


def report_context(inputs: dict, prov: dict, figure_names, figures: dict, report: dict, themes: dict,
                   freq: str, monitor_max_z: float | None = None) -> dict:
    """Everything the templates need, read from the stage tables and figure files.

    Parameters
    ----------
    inputs : dict
        Paths by name, as in the ``render_report`` rule: the tables, a ``fig_<name>`` PNG per
        figure name, ``theme_figures`` (one PNG per theme, in ``themes`` order) and ``explorer``
        (explorer.html's ``summary.json``). Figures are embedded at ``report.figure_width`` pixels.
    prov : dict
        Output of :func:`provenance`.
    figure_names : sequence of str
        The figures of the run, in order (the rule's ``figure_names`` param).
    figures, report, themes : dict
        The ``figures``, ``report`` and ``themes`` config sections (validated, defaults filled in).
    freq : str
        ``time.freq``, the length of the periods (for their labels).
    monitor_max_z : float, optional
        ``monitor.max_z``, read when ``inputs`` hold the monitor's outputs (``monitor_signals``,
        ``monitor_rising_terms``, ``monitor_summary``, ``monitor_tokens``, ``monitor_figure``): the
        report then gets a monitoring section (:mod:`scripts.monitor.report`).
    """
    language = figures["language"]
    summary = json.loads(Path(inputs["summary"]).read_text(encoding="utf-8"))
    selection = json.loads(Path(inputs["selection"]).read_text(encoding="utf-8"))
    topics = display_columns(read_table(inputs["topics"]))
    theme_labels = read_theme_labels(inputs.get("theme_labels"))
    forms = read_surface_forms(inputs.get("surface_forms"))
    documents = read_table(inputs["documents"])
    width = report["figure_width"]
    images = {name: data_uri(screen_png(Path(inputs[f"fig_{name}"]).read_bytes(), width), "image/png")
              for name in figure_names}
    for theme, path in zip(themes, inputs["theme_figures"]):
        images[f"themes/{theme}"] = data_uri(screen_png(Path(path).read_bytes(), width), "image/png")
    topic_list = []
    for row in topics.itertuples():
        docs = documents[documents["topic"] == row.topic] if len(documents) else documents
        topic_list.append(
            {"topic": int(row.topic), "share": float(row.share), "label": row.label, "terms": row.top_terms,
             "frex": _text(getattr(row, "frex_terms", "")), "relevance": _text(getattr(row, "relevance_terms", "")),
             "exclusivity": _number(getattr(row, "exclusivity", None)),
             "documents": [{"date": d.date, "title": d.title, "weight": float(d.weight)} for d in docs.itertuples()]}
        )
    links = read_table(inputs["theme_topics"])
    for section in topic_list:
        linked = links[links["topic"] == section["topic"]] if len(links) else links
        section["themes"] = ", ".join(theme_label(theme, theme_labels) for theme in linked.get("theme", []))
    sections = theme_sections(
        themes, freq, read_table(inputs["prevalence"]), links, topics, read_table(inputs["change_points"]),
        read_table(inputs["drift"]), language, images, theme_labels, forms,
    )
    group_figures = [(name, images[name]) for name in figure_names if name.startswith("prevalence_by_")]
    effects = None
    if inputs.get("effects"):
        table = read_table(inputs["effects"])
        level = float(table["level"].iloc[0]) if len(table) else None  # no rows: no sentence uses it
        effects = {"sections": effect_sentences(table, language, freq, level, theme_labels),
                   "image": images.get("effects")}
    monitor = None
    if inputs.get("monitor_signals"):  # the monitor target ran (monitor.path): its section, in the same words
        outputs = read_monitor_outputs({name: inputs[f"monitor_{name}"] for name in MONITOR_INPUTS})
        monitor = {**monitor_context(outputs, selection, language, freq, monitor_max_z),
                   "image": data_uri(screen_png(Path(inputs["monitor_figure"]).read_bytes(), width), "image/png")}
    shown_config = {**prov["config"], "figures": figures, "report": report}
    return {
        "title": report["title"],
        "language": language,
        "t": TEXT[language],
        "summary": summary,
        "selection": selection,
        "selection_rule": selection_sentences(selection, language)[0],
        "selection_reasoning": selection_sentences(selection, language)[1],
        "selection_table": selection_table(pd.read_csv(inputs["table"]), language),
        "rejected": [(reason_phrase(code, language), n) for code, n in sorted(summary.get("rejected_by_reason", {}).items())],
        "topics": topic_list,
        "themes": sections,
        "images": images,
        "group_figures": group_figures,
        "effects": effects,
        "monitor": monitor,
        "provenance": prov,
        "config_yaml": yaml.safe_dump(shown_config, allow_unicode=True, sort_keys=False),
        "rendered": run_date(),
        "explorer_size": megabytes(json.loads(Path(inputs["explorer"]).read_text(encoding="utf-8"))["bytes"], language),
    }


def megabytes(size: int, language: str) -> str:
    """A size in bytes as megabytes with one decimal, in the report's language.

    >>> megabytes(1_250_000, "es"), megabytes(1_250_000, "en")
    ('1,2', '1.2')
    """
    return decimal(size / 1e6, language, digits=1)


#: topics.csv columns shown to a reader → their surface-form versions (``describe_topics``).
DISPLAY_COLUMNS = {"label": "label_display", "top_terms": "terms_display", "frex_terms": "frex_display",
                   "relevance_terms": "relevance_display"}


def display_columns(topics: pd.DataFrame) -> pd.DataFrame:
    """``topics`` with each shown column replaced by its surface-form version, where the table has one.

    >>> display_columns(pd.DataFrame({"label": ["crisis de opioide"], "label_display": ["crisis de opioides"]}))["label"][0]
    'crisis de opioides'
    """
    replaced = {shown: topics[display] for shown, display in DISPLAY_COLUMNS.items() if display in topics and shown in topics}
    return topics.assign(**replaced) if replaced else topics


def _number(value):
    """A table cell as a float (None when missing)."""
    return None if value is None or pd.isna(value) else float(value)


def render(context: dict) -> tuple[str, str]:
    """Render ``(index.html, report.md)`` from :func:`report_context`'s output."""
    env = report_environment(context["language"])
    html = env.get_template("report.html.j2").render(**context)
    markdown = env.get_template("report.md.j2").render(**context)
    return html, markdown


def run_record_provenance(smk) -> None:
    """Snakemake entry point of ``record_provenance``."""
    config = json.loads(json.dumps(dict(smk.params.config), default=str))
    manifest = json.loads(Path(smk.input.manifest).read_text(encoding="utf-8"))  # written by scripts.ingest.manifest
    files = [{"path": row["path"], "sha256": row["sha256"], "bytes": row["bytes"]} for row in manifest["files"]]
    prov = provenance(config, Path(smk.params.corpus_path), files)
    Path(smk.output.provenance).write_text(json.dumps(prov, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def run_render_report(smk) -> None:
    """Snakemake entry point of ``render_report``: reads its inputs and params only."""
    params = json.loads(json.dumps({name: value for name, value in smk.params.items()}, default=str))
    prov = json.loads(Path(smk.input.provenance).read_text(encoding="utf-8"))
    inputs = {name: value for name, value in smk.input.items()}
    context = report_context(inputs, prov, params["figure_names"], params["figures"], params["report"], params["themes"],
                             params["freq"], params["monitor"]["max_z"])
    html, markdown = render(context)
    Path(smk.output.html).write_text(html, encoding="utf-8")
    Path(smk.output.markdown).write_text(markdown, encoding="utf-8")
    logger.info("wrote %s (%d kB) and %s", smk.output.html, len(html) // 1024, smk.output.markdown)
