"""``results/report/explorer.html``: one offline page to browse topics, theme curves and the documents behind them.

:func:`explorer_data` turns the explorer tables (:mod:`scripts.report.explorer_tables`) and the
theme tables into the page's data; :func:`render_explorer` embeds it as JSON in
``templates/explorer.html.j2`` with the page's hand-written script and style (no library, no
network: a Content-Security-Policy forbids every request). The page draws only what is asked
for (one topic, one theme's curve, the first documents of one period), so it stays quick when
the run has 100,000 documents; its size is logged and written to ``explorer/summary.json``.

Opened as ``explorer.html#selftest``, the page clicks through itself (moves λ, clicks the busiest
period, the peak, a change point, a filter) and writes what it saw into ``<pre id="selftest">``,
which ``chromium --headless --dump-dom`` prints (``tests/test_explorer_browser.py``).
"""


import json
import logging
from pathlib import Path

import numpy as np
import pandas as pd

from scripts.report.explorer_tables import theme_document_table, topic_term_table
from scripts.report.environment import report_environment
from scripts.report.explorer_effects import effect_entries
from scripts.report.explorer_text import EFFECTS_TEXT, EXPLORER_TEXT
from scripts.monitor.report import monitor_context, read_monitor_outputs
from scripts.report.settings import ExplorerSettings
from scripts.text.display import period_label, read_surface_forms
from scripts.themes.labels import read_theme_labels, theme_label
from scripts.themes.linking import unreliable_themes

logger = logging.getLogger(__name__)


def _round(value, digits: int = 5):
    return None if value is None or pd.isna(value) else round(float(value), digits)


def _table(path) -> pd.DataFrame:
    return pd.read_csv(path) if Path(path).stat().st_size else pd.DataFrame()


def topic_entries(topic_terms: pd.DataFrame, topics: pd.DataFrame) -> list[dict]:
    """One entry per topic: id, label, share and its candidate terms ``[label, p(w|k), p(w), frex]``."""
    entries = []
    for row in topics.sort_values("topic").itertuples():
        terms = topic_terms[topic_terms["topic"] == row.topic]
        entries.append({
            "id": int(row.topic), "label": str(row.label), "share": _round(row.share),
            "terms": [[term.label, float(f"{term.probability:.4g}"), float(f"{term.marginal:.4g}"), _round(term.frex, 4)]
                      for term in terms.itertuples()],
        })
    return entries


def theme_entries(themes: dict, prevalence: pd.DataFrame, change_points: pd.DataFrame, theme_documents: pd.DataFrame,
                  unreliable, facets, language: str, freq: str, labels: dict | None = None) -> list[dict]:
    """One entry per theme with a curve: periods, peak, change points and documents per period.

    Documents are ``[period index, rank, share, date, title, [facet values], passage, marks]``.
    With the monitor's curves (``prevalence`` with a ``source`` column), the new periods follow the
    fit's with ``"frozen": true`` (inferred with the frozen model); the peak is the fit period's.
    """
    entries = []
    for name, words in themes.items():
        series = prevalence[prevalence["theme"] == name].sort_values("period") if len(prevalence) else prevalence
        if not len(series):
            continue
        frozen = (series["source"] == "monitor").to_numpy() if "source" in series else np.zeros(len(series), bool)
        keys = series["period"].astype(str).tolist()
        index = {key: i for i, key in enumerate(keys)}
        points = change_points[change_points["theme"] == name] if len(change_points) else change_points
        changes = []
        for point in points.sort_values("period").itertuples() if len(points) else []:
            at = index.get(str(point.period))
            if at is None:
                continue
            low, high = getattr(point, "date_low", None), getattr(point, "date_high", None)
            changes.append({"i": at, "lo": index.get(str(low), at), "hi": index.get(str(high), at),
                            "before": _round(point.before), "after": _round(point.after),
                            "confidence": _round(getattr(point, "confidence", None), 3)})
        docs = theme_documents[theme_documents["theme"] == name]
        entries.append({
            "name": name, "label": theme_label(name, labels), "seeds": ", ".join(map(str, words)), "reliable": name not in unreliable,
            "periods": [{"label": period_label(row.period, language, freq), "value": _round(row.prevalence),
                         "low": _round(row.ci_low), "high": _round(row.ci_high), "n": int(row.n_docs),
                         "lowN": str(getattr(row, "low_n", False)).lower() == "true", **({"frozen": True} if new else {})}
                        for row, new in zip(series.itertuples(), frozen)],
            "peak": int(np.argmax(np.where(frozen, -np.inf, series["prevalence"].to_numpy()))),
            "changes": changes,
            "docs": [[index[doc.period], int(doc.rank), _round(doc.share, 4), doc.date, doc.title,
                      [str(getattr(doc, facet)) for facet in facets], doc.passage, json.loads(doc.marks)]
                     for doc in docs.itertuples() if doc.period in index],
        })
    return entries


def explorer_data(topic_terms, topics, theme_documents, prevalence, change_points, theme_topics, themes: dict,
                  facets, settings: ExplorerSettings, language: str, freq: str, labels: dict | None = None,
                  effects: pd.DataFrame | None = None, monitor: dict | None = None) -> dict:
    """Everything the page shows, as one JSON-ready dict (tables in, no file read).

    ``effects`` (effects.csv) adds the effects view (:mod:`scripts.report.explorer_effects`);
    ``monitor`` (:func:`scripts.monitor.report.monitor_context`, with ``prevalence`` the monitor's
    curves, passed as ``prevalence`` too) adds the monitoring panel. Without them the data is as before.
    """
    unreliable = unreliable_themes(theme_topics)
    data = {
        "lang": language,
        "t": EXPLORER_TEXT[language],
        "nTerms": settings.terms_per_topic,
        "docsPerPeriod": settings.docs_per_period,
        "minShare": settings.min_share,
        "facets": list(facets),
        "topics": topic_entries(topic_terms, topics),
        "themes": theme_entries(themes, prevalence, change_points, theme_documents, unreliable, facets, language, freq,
                                labels),
    }
    if effects is not None:
        data["effects"] = effect_entries(effects, language, freq, labels)
        data["t"] = {**data["t"], **EFFECTS_TEXT[language]}
    if monitor is not None:
        data["monitor"] = {key: monitor[key] for key in ("intro", "counts", "new_periods", "verdict", "drift", "signals_intro",
                                                         "signals", "rising")}
        words = monitor["words"]
        data["t"] = {**data["t"], "monitoring": words["title"], "signals_heading": words["signals"],
                     "rising_heading": words["rising"], "curves_note": words["curves_note"], "frozen": words["monitor"]}
    return data


def render_explorer(data: dict, title: str) -> str:
    """The page: template, inline script and style, and ``data`` as JSON (``<`` escaped).

    The effects view and the monitoring panel (their markup, script and style) are in the page only
    when ``data`` has ``effects`` or ``monitor``: without them the page is the same, byte for byte.
    """
    env = report_environment(data["lang"])
    shown = {key: value for key, value in data.items() if key != "monitor"}  # the panel is drawn here, not by the script
    payload = json.dumps(shown, ensure_ascii=False, separators=(",", ":"), allow_nan=False).replace("<", "\\u003c")
    return env.get_template("explorer.html.j2").render(title=title, lang=data["lang"], t=data["t"], payload=payload,
                                                       effects="effects" in data, monitor=data.get("monitor"))


def run_tabulate_explorer(smk) -> None:
    """Snakemake entry point of ``tabulate_explorer``: the explorer's tables."""
    from gensim.models import LdaModel

    settings = ExplorerSettings(**smk.params.explorer)
    selection = json.loads(Path(smk.input.selection).read_text(encoding="utf-8"))
    chosen = next(entry for entry in smk.params.models if (entry["k"], entry["seed"]) == (selection["k"], selection["seed"]))
    model = LdaModel.load(chosen["model"])
    phi = model.get_topics()
    sizes = pd.read_csv(smk.input.topic_sizes).set_index("topic")["share"].reindex(range(len(phi))).fillna(0.0).to_numpy()
    vocabulary = [model.id2word[i] for i in range(phi.shape[1])]
    terms = topic_term_table(phi, vocabulary, sizes if sizes.sum() > 0 else None, settings.terms_per_topic,
                             read_surface_forms(smk.input.surface_forms))
    terms.to_parquet(smk.output.topic_terms, index=False)

    seeds = pd.read_csv(smk.input.seed_words)
    seed_words = {theme: [*seeds.loc[seeds["theme"] == theme, "seed_word"].dropna(), *seeds.loc[seeds["theme"] == theme, "term"].dropna()]
                  for theme in smk.params.themes}
    doc_themes = pd.read_parquet(smk.input.doc_themes)
    documents = pd.read_parquet(smk.input.documents, columns=["doc_id", "date", "title", "text", *smk.params.facets])
    table = theme_document_table(doc_themes, documents, seed_words, smk.params.facets, smk.params.freq,
                                 settings.docs_per_period, settings.passage_words, settings.min_share)
    table.to_parquet(smk.output.theme_documents, index=False)
    logger.info("%d candidate terms for %d topics; %d documents for %d themes", len(terms), len(phi), len(table),
                table["theme"].nunique())


def run_render_explorer(smk) -> None:
    """Snakemake entry point of ``render_explorer``: the page and its size."""
    settings = ExplorerSettings(**smk.params.explorer)
    themes = dict(smk.params.themes)
    language = smk.params.language
    prevalence, monitor = _table(smk.input.prevalence), None
    if smk.input.get("monitor_signals"):  # monitor.path is set: the new periods and the drift signals
        outputs = read_monitor_outputs({name: smk.input[f"monitor_{name}"] for name in ("signals", "rising_terms", "summary",
                                                                                         "tokens", "prevalence")})
        selection = json.loads(Path(smk.input.selection).read_text(encoding="utf-8"))
        monitor = monitor_context(outputs, selection, language, smk.params.freq, smk.params.monitor["max_z"])
        prevalence = outputs["prevalence"]
    effects = _table(smk.input.effects) if smk.input.get("effects") else None
    data = explorer_data(
        pd.read_parquet(smk.input.topic_terms), pd.read_csv(smk.input.topics), pd.read_parquet(smk.input.theme_documents),
        prevalence, _table(smk.input.change_points), _table(smk.input.theme_topics), themes,
        smk.params.facets, settings, language, smk.params.freq, read_theme_labels(smk.input.theme_labels),
        effects=effects, monitor=monitor,
    )
    page = render_explorer(data, smk.params.title)
    Path(smk.output.html).write_text(page, encoding="utf-8")
    size = Path(smk.output.html).stat().st_size
    summary = {"bytes": size, "documents": sum(len(theme["docs"]) for theme in data["themes"]),
               "distinct_documents": int(pd.read_parquet(smk.input.theme_documents, columns=["doc_id"])["doc_id"].nunique()),
               "topics": len(data["topics"]), "themes": len(data["themes"]),
               "terms": sum(len(topic["terms"]) for topic in data["topics"]),
               "docs_per_period": settings.docs_per_period, "min_share": settings.min_share,
               "passage_words": settings.passage_words}
    Path(smk.output.summary).write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    logger.info("wrote %s: %d bytes (%.1f MB), %d document passages", smk.output.html, size, size / 1e6, summary["documents"])
