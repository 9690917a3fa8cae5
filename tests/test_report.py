"""Report: provenance, and index.html / report.md rendered from small synthetic stage tables."""

import base64
import json
import re
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from scripts.report.render import corpus_files, provenance, render, report_context  # noqa: E402
from scripts.settings import defaults, section  # noqa: E402

THEMES = {"soberania": ["soberanía", "injerencia"], "fentanilo": ["fentanilo", "opioide"]}
PERIODS = ["2024-01-01", "2024-02-01", "2024-03-01", "2024-04-01"]
SECTIONS = ("corpus", "model-selection", "topics", "themes", "provenance")
# the figures the templates embed by name (the workflow passes its list as the figure_names param)
FIGURES = ["corpus_over_time", "model_selection", "top_terms", "topic_heatmap", "prevalence", "theme_heatmap", "drift"]


def tiny_png(path: Path) -> str:
    fig, ax = plt.subplots(figsize=(1, 1))
    ax.plot([0, 1], [0, 1])
    fig.savefig(path, dpi=20)
    plt.close(fig)
    return str(path)


def write_inputs(root: Path) -> dict:
    """Every table and figure render_report reads, small and hand-made."""
    root.mkdir(parents=True, exist_ok=True)
    summary = {
        "n_read": 12, "n_kept": 10, "n_rejected": 2, "rejected_by_reason": {"no_date": 1, "duplicate_id": 1},
        "date_min": "2024-01-02", "date_max": "2024-04-28", "documents_per_period": dict.fromkeys(PERIODS, 2),
    }
    (root / "summary.json").write_text(json.dumps(summary), encoding="utf-8")
    selection = {"k": 2, "seed": 1, "metric": "npmi", "rule": "best mean npmi", "reasoning": ["K = 2 has the best npmi."]}
    (root / "selection.json").write_text(json.dumps(selection), encoding="utf-8")
    pd.DataFrame({"k": [2, 3], "seed": [1, 1], "npmi": [0.2, 0.1]}).to_csv(root / "model_selection.csv", index=False)
    pd.DataFrame({"topic": [0, 1], "share": [0.6, 0.4], "label": ["soberanía / injerencia", "fentanilo / opioide"],
                  "top_terms": ["soberanía, injerencia, estados unidos", "fentanilo, opioide"],
                  "frex_terms": ["injerencia, soberanía", "opioide, fentanilo"],
                  "relevance_terms": ["injerencia, soberanía", "fentanilo, opioide"],
                  "exclusivity": [0.71, 0.93]}).to_csv(root / "topics.csv", index=False)
    pd.DataFrame({"topic": [0, 0, 1], "rank": [1, 2, 1], "doc_id": ["a", "b", "c"], "date": ["2024-01-03", "2024-02-01", "2024-03-09"],
                  "title": ["Rechazan injerencia <b>extranjera</b>", "Defienden la soberanía", "Aseguran fentanilo"],
                  "weight": [0.9, 0.8, 0.7]}).to_csv(root / "documents.csv", index=False)
    pd.DataFrame({"topic": [0, 1], "rank": [1, 1], "term": ["soberanía", "fentanilo"], "weight": [0.1, 0.1]}).to_csv(root / "terms.csv", index=False)
    pd.DataFrame({"theme": ["soberania", "fentanilo"], "topic": [0, 1], "seed_mass": [0.2, 0.3], "lift": [9.0, 8.0],
                  "weight": [1.0, 1.0]}).to_csv(root / "theme_topics.csv", index=False)
    prevalence = pd.DataFrame(
        [(p, theme, 0.1 * (i + 1), 0.05 * (i + 1), 0.15 * (i + 1), 5, i == 0) for theme in THEMES for i, p in enumerate(PERIODS)],
        columns=["period", "theme", "prevalence", "ci_low", "ci_high", "n_docs", "low_n"],
    )
    prevalence.to_csv(root / "prevalence.csv", index=False)
    pd.DataFrame({"theme": ["fentanilo"], "period": ["2024-03-01"], "before": [0.15], "after": [0.35]}).to_csv(root / "change_points.csv", index=False)
    pd.DataFrame({"theme": ["fentanilo"] * 4, "period": PERIODS, "rank": [1] * 4, "term": ["fentanilo", "fentanilo", "estados_unidos", "opioide"],
                  "weight": [0.3, 0.2, 0.4, 0.1]}).to_csv(root / "drift.csv", index=False)
    inputs = {name: str(root / f"{name}.{ext}") for name, ext in [
        ("summary", "json"), ("selection", "json"), ("topics", "csv"), ("documents", "csv"), ("theme_topics", "csv"),
        ("prevalence", "csv"), ("change_points", "csv"), ("drift", "csv")]}
    inputs.update(table=str(root / "model_selection.csv"), topic_terms=str(root / "terms.csv"))
    (root / "explorer.json").write_text(json.dumps({"bytes": 1_234_567}), encoding="utf-8")
    inputs["explorer"] = str(root / "explorer.json")
    (root / "themes").mkdir(exist_ok=True)
    for name in FIGURES:
        inputs[f"fig_{name}"] = tiny_png(root / f"{name}.png")
    inputs["theme_figures"] = [tiny_png(root / "themes" / f"{theme}.png") for theme in THEMES]
    return inputs


@pytest.fixture
def rendered(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "b.txt").write_text(" date 2024-01-03 Título\nTexto con ñ.\n", encoding="utf-8")
    (corpus / "a.txt").write_text(" date 2024-02-03 Otro\nMás texto.\n", encoding="utf-8")
    config = {"corpus": {"path": str(corpus)}, "model": {"seeds": [1, 2]}, "preprocess": {"seed": 5}, "themes": THEMES,
              "time": {"seed": 9}, "figures": {"language": "es"}, "report": {"title": "Informe <de prueba>"}}
    config = defaults(config)
    prov = provenance({k: v for k, v in config.items() if k not in ("figures", "report")}, corpus)
    context = report_context(write_inputs(tmp_path / "inputs"), prov, FIGURES, config["figures"], config["report"],
                             THEMES, config["time"]["freq"])
    return render(context), prov, config


def test_provenance_hashes_each_corpus_file_and_honours_source_date_epoch(rendered):
    _, prov, _ = rendered
    assert [row["path"] for row in prov["corpus_files"]] == ["a.txt", "b.txt"]
    assert prov["run_date"] == "2026-01-01T00:00:00+00:00"
    assert prov["seeds"]["model.seeds"] == [1, 2] and prov["seeds"]["time.seed"] == 9
    assert prov["packages"]["snakemake"] == prov["snakemake"] != "not installed"
    assert "figures" not in prov["config"]


def test_corpus_hash_changes_when_any_file_does(tmp_path):
    (tmp_path / "a.txt").write_text("uno", encoding="utf-8")
    from scripts.report.render import corpus_fingerprint

    before = corpus_fingerprint(corpus_files(tmp_path))
    (tmp_path / "a.txt").write_text("dos", encoding="utf-8")
    assert corpus_fingerprint(corpus_files(tmp_path)) != before


def test_html_has_every_section_topic_and_theme(rendered):
    (html, _), _, _ = rendered
    for section in SECTIONS:
        assert f'<section id="{section}">' in html
    for anchor in ("topic-0", "topic-1", "theme-soberania", "theme-fentanilo", "rejected-by-reason", "corpus-files"):
        assert f'id="{anchor}"' in html
    # reason codes shown as phrases, corpus titles marked as text of any language
    assert "identificador repetido" in html and "duplicate_id" not in html.split("<pre")[0]
    assert '2024-01-03 — <span class="lang-neutral">Rechazan injerencia' in html
    assert "marzo" not in html and "mar 2024 (15,0% → 35,0%)" in html  # change point, dated like the figures
    assert "estados unidos" in html  # drift terms written as phrases
    assert "Un punto de cambio es un salto sostenido" in html and "El intervalo sombreado" in html


def test_html_is_self_contained_and_escapes_corpus_text(rendered):
    (html, _), _, _ = rendered
    references = re.findall(r'(?:src|href)="([^"]*)"', html)
    assert references and all(ref.startswith(("data:", "#")) or ref == "explorer.html" for ref in references)
    assert "explorer.html" in references and "1,2 MB" in html  # the explorer beside it, and its size
    assert "url(" not in html and "<script" not in html and "<link" not in html
    for uri in re.findall(r'src="(data:[^"]*)"', html):
        assert uri.startswith("data:image/png;base64,")
        assert base64.b64decode(uri.split(",", 1)[1]).startswith(b"\x89PNG")
    assert html.count("data:image/png;base64,") == len(FIGURES) + len(THEMES)
    assert "&lt;b&gt;extranjera&lt;/b&gt;" in html and "Informe &lt;de prueba&gt;" in html


def test_config_as_run_includes_the_figure_settings(rendered):
    (html, _), _, _ = rendered
    assert "language: es" in html and "title: Informe &lt;de prueba&gt;" in html


def test_markdown_summary_has_the_numbers(rendered):
    (_, markdown), prov, _ = rendered
    assert markdown.startswith("# Informe <de prueba>")
    assert "| Descartados: sin fecha | 1 |" in markdown
    assert "| 0 | 60,0% | soberanía / injerencia | soberanía, injerencia, estados unidos | injerencia, soberanía | 0,71 |" in markdown
    assert "La perplejidad mide" in markdown and "FREX" in markdown
    assert ("| fentanilo | 25,0% | 40,0% (abr 2024; 20,0% – 60,0%) | 1 (1,00; cociente sobre el azar 8,0 ✓) "
            "| mar 2024 (15,0% → 35,0%) |") in markdown
    assert prov["corpus_sha256"] in markdown


def test_english_report(tmp_path):
    corpus = tmp_path / "c.csv"
    corpus.write_text("id,date,text\n1,2024-01-01,x\n", encoding="utf-8")
    prov = provenance(defaults({"themes": THEMES}), corpus)
    html, markdown = render(report_context(write_inputs(tmp_path / "in"), prov, FIGURES, section("figures", {"language": "en"}),
                                           section("report", {"title": "T"}), THEMES, "month"))
    assert '<html lang="en">' in html and "Themes over time" in html and "Apr 2024" in markdown
    assert 'FREX terms (frequent and exclusive):</strong> <span class="lang-neutral">opioide, fentanilo' in html
    assert "Exclusivity: 0.93" in html and "(12.3%)" not in html and "60.0%" in markdown


def test_report_explains_intervals_and_change_points_and_shows_confidence(tmp_path):
    from scripts.report.render import change_point_summary, theme_sections
    from scripts.report.text import TEXT

    for language in ("es", "en"):
        assert TEXT[language]["intervals_method"] and TEXT[language]["change_points_method"]
    prevalence = pd.DataFrame({"period": PERIODS, "theme": "fentanilo", "prevalence": [0.1, 0.2, 0.3, 0.2],
                               "ci_low": 0.05, "ci_high": 0.4, "n_docs": 9, "low_n": False})
    points = pd.DataFrame({"theme": ["fentanilo"], "period": ["2024-03-01"], "before": [0.15], "after": [0.35],
                           "confidence": [0.82], "date_low": ["2024-02-01"], "date_high": ["2024-04-01"]})
    sections = theme_sections({"fentanilo": ["fentanilo"]}, "month", prevalence, pd.DataFrame(), pd.DataFrame(),
                              points, pd.DataFrame(), "es", {})
    assert sections[0]["change_points"] == [change_point_summary(points.iloc[0], "es", "month")]
    assert sections[0]["change_points"][0]["confidence"] == 0.82
    assert sections[0]["change_points"][0]["low"] == "feb 2024"
