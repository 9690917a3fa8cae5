"""The explorer's tables and page (scripts.report.explorer*), results/model, and the lighter report."""

import io
import json
import re

import numpy as np
import pandas as pd
import pytest
from PIL import Image

from scripts.model.distinctiveness import frex_matrix, marginal_term_probability, relevance_matrix
from scripts.report.explorer import explorer_data, render_explorer
from scripts.report.explorer_tables import theme_document_table, top_documents, topic_term_table
from scripts.report.explorer_text import EFFECTS_TEXT, EXPLORER_TEXT
from scripts.report.model_export import attach_metadata
from scripts.report.passages import passage, seed_forms
from scripts.report.screen_images import screen_png
from scripts.report.settings import ExplorerSettings
from scripts.settings import section


# ---- Passages --------------------------------------------------------------------------------


def test_passage_is_cut_around_the_densest_seed_words_and_marks_their_inflections():
    forms = seed_forms(["sobredosis", "opioide", "crisis_de_opioide"])
    text = " ".join(["relleno"] * 80) + " La crisis de opioides dejó otra sobredosis. " + " ".join(["final"] * 80)
    cut, marks = passage(text, forms, n_words=12)
    assert cut.startswith("…") and cut.endswith("…")
    assert len(cut.strip("…").split()) == 12
    assert [cut[start:end] for start, end in marks] == ["crisis", "opioides", "sobredosis"]  # "de" is left out


def test_passage_without_seed_words_is_the_opening_and_marks_nothing():
    cut, marks = passage("Uno dos tres cuatro cinco seis", seed_forms(["fentanilo"]), n_words=3)
    assert (cut, marks) == ("Uno dos tres…", [])


def test_seed_forms_match_accents_and_gender_but_not_other_words():
    forms = seed_forms(["soberanía", "operativo"])
    assert {"soberania", "soberanias", "operativa", "operativos"} <= forms
    _, marks = passage("Soberanía y operativas, no soberano ni operar", forms, n_words=20)
    assert len(marks) == 2


# ---- Topic terms: candidates for any λ --------------------------------------------------------


def test_topic_term_candidates_hold_every_ranking_the_slider_can_show():
    rng = np.random.default_rng(3)
    phi = rng.dirichlet(np.full(400, 0.05), size=5)
    shares = rng.dirichlet(np.ones(5))
    vocabulary = [f"w{i}" for i in range(400)]
    n = 10
    table = topic_term_table(phi, vocabulary, shares, n)
    marginal = marginal_term_probability(phi, shares)
    for lam in (0.0, 0.3, 0.6, 1.0):
        truth = np.argsort(-relevance_matrix(phi, marginal, lam), axis=1, kind="stable")[:, :n]
        for topic in range(5):
            terms = table[table["topic"] == topic]
            score = lam * np.log(terms["probability"]) + (1 - lam) * np.log(terms["probability"] / terms["marginal"])
            page = terms.assign(score=score).sort_values("score", ascending=False)["term"].head(n).tolist()
            assert page == [vocabulary[i] for i in truth[topic]], (lam, topic)  # what the page computes = the full matrix
    frex = frex_matrix(phi)
    assert table.loc[table["topic"] == 2, "frex"].max() == pytest.approx(frex[2].max())
    assert set(table["term"]) != set(vocabulary)  # candidates, not the whole vocabulary


# ---- Documents behind a period -------------------------------------------------------------


def _doc_themes(n=400, seed=0):
    rng = np.random.default_rng(seed)
    dates = pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 180, n), unit="D")
    shares = rng.dirichlet(np.ones(3), size=n)
    return pd.DataFrame({"doc_id": [f"d{i:04d}" for i in range(n)], "date": dates, "a": shares[:, 0], "b": shares[:, 1]})


def test_top_documents_are_the_largest_shares_of_each_theme_and_month():
    doc_themes = _doc_themes()
    top = top_documents(doc_themes, ["a", "b", "not_tracked"], "month", 5)
    month = doc_themes["date"].dt.strftime("%Y-%m-01")
    for theme in ("a", "b"):  # naive baseline: sort each month on its own
        expected = {key: set(group.nlargest(5, theme)["doc_id"]) for key, group in doc_themes.assign(month=month).groupby("month")}
        got = top[top["theme"] == theme].groupby("period")["doc_id"].apply(set).to_dict()
        assert got == expected
    assert set(top["theme"]) == {"a", "b"}
    assert (top.groupby(["theme", "period"])["rank"].max() == 5).all()
    kept = top_documents(doc_themes, ["a"], "month", 5, min_share=0.8)
    assert kept["share"].min() >= 0.8 and len(kept) < len(top[top["theme"] == "a"])


def test_theme_document_table_carries_metadata_and_a_marked_passage():
    doc_themes = _doc_themes(60)
    documents = pd.DataFrame({"doc_id": doc_themes["doc_id"], "date": doc_themes["date"], "title": "Título",
                              "text": "Una cosecha récord y la exportación de aguacate " * 20,
                              "source": "La Jornada", "section": ["economía", None] * 30})
    table = theme_document_table(doc_themes, documents, {"a": ["cosecha", "exportación"]}, ["source", "section"], "month", 3, 20)
    assert set(table["theme"]) == {"a"} and len(table) == 3 * 6
    assert table["section"].isin(["economía", ""]).all()
    row = table.iloc[0]
    spans = json.loads(row["marks"])
    assert {row["passage"][s:e].lower() for s, e in spans} == {"cosecha", "exportación"}


# ---- The page's data and HTML -----------------------------------------------------------------


def test_both_languages_have_every_explorer_string():
    assert sorted(EXPLORER_TEXT["es"]) == sorted(EXPLORER_TEXT["en"])
    assert sorted(EFFECTS_TEXT["es"]) == sorted(EFFECTS_TEXT["en"])
    for key in EXPLORER_TEXT["es"]:
        assert EXPLORER_TEXT["es"][key] and EXPLORER_TEXT["en"][key]
        assert re.findall(r"\{\w+\}", EXPLORER_TEXT["es"][key]) == re.findall(r"\{\w+\}", EXPLORER_TEXT["en"][key]), key


def _page_inputs():
    topic_terms = topic_term_table(np.array([[0.5, 0.3, 0.2], [0.1, 0.1, 0.8]]), ["a", "b", "c_d"], None, 3)
    topics = pd.DataFrame({"topic": [0, 1], "label": ["a / b", "c d"], "share": [0.6, 0.4]})
    docs = pd.DataFrame({"theme": "t", "period": ["2024-01-01", "2024-02-01"], "rank": 1, "doc_id": ["x", "y"],
                         "share": [0.9, 0.8], "date": ["2024-01-03", "2024-02-05"],
                         "title": ["</script><script>alert(1)</script>", "Dos"], "source": ["s", "s"],
                         "passage": ["uno", "dos"], "marks": ["[[0,3]]", "[]"]})
    prevalence = pd.DataFrame({"period": ["2024-01-01", "2024-02-01"], "theme": "t", "prevalence": [0.2, 0.4],
                               "ci_low": [0.1, 0.3], "ci_high": [0.3, 0.5], "n_docs": [10, 12], "low_n": [False, True]})
    points = pd.DataFrame({"theme": ["t"], "period": ["2024-02-01"], "before": [0.2], "after": [0.4], "confidence": [0.9],
                           "date_low": ["2024-01-01"], "date_high": ["2024-02-01"]})
    links = pd.DataFrame({"theme": ["t"], "topic": [1], "reliable": [True]})
    return topic_terms, topics, docs, prevalence, points, links


def test_page_embeds_its_data_as_json_that_cannot_close_the_script():
    settings = ExplorerSettings(**section("report")["explorer"])
    data = explorer_data(*_page_inputs(), {"t": ["uno"]}, ["source"], settings, "en", "month")
    theme = data["themes"][0]
    assert theme["peak"] == 1 and theme["changes"] == [{"i": 1, "lo": 0, "hi": 1, "before": 0.2, "after": 0.4, "confidence": 0.9}]
    assert [doc[0] for doc in theme["docs"]] == [0, 1] and theme["periods"][1]["lowN"] is True
    assert data["topics"][1]["terms"][0][0] == "c d"  # terms as displayed
    page = render_explorer(data, "Título <b>")
    assert page.count("</script>") == 3  # the error catcher, the data, the script: the title's own tag is escaped
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)  # nothing to fetch
    payload = re.search(r'<script type="application/json" id="explorer-data">(.*?)</script>', page, re.S).group(1)
    assert json.loads(payload)["themes"][0]["docs"][0][4] == "</script><script>alert(1)</script>"
    assert "Título &lt;b&gt;" in page


# ---- Screen figures ----------------------------------------------------------------------------


def test_screen_png_is_narrower_smaller_and_keeps_the_picture():
    width, height = 3000, 1000
    image = Image.new("RGBA", (width, height), (255, 255, 255, 255))
    pixels = image.load()
    for x in range(width):  # a diagonal line and a coloured block
        pixels[x, x * height // width] = (31, 95, 153, 255)
    image.paste((200, 60, 40, 255), (1500, 300, 2400, 800))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    screen = screen_png(buffer.getvalue(), 1000)
    small = Image.open(io.BytesIO(screen)).convert("RGB")
    assert small.size == (1000, 333)
    assert small.getpixel((650, 180))[0] > 150 and small.getpixel((650, 180))[2] < 100  # the block, still red
    assert small.getpixel((100, 250)) == (255, 255, 255)
    assert len(screen) < len(buffer.getvalue())


def test_transparent_png_goes_on_white_not_black():
    buffer = io.BytesIO()
    Image.new("RGBA", (10, 10), (0, 0, 0, 0)).save(buffer, "PNG")
    assert Image.open(io.BytesIO(screen_png(buffer.getvalue(), 1000))).convert("RGB").getpixel((5, 5)) == (255, 255, 255)


def test_attach_metadata_keeps_rows_and_columns():
    table = pd.DataFrame({"doc_id": ["b", "a", "c"], "topic_0": [0.1, 0.2, 0.3], "date": ["kept", "kept", "kept"]})
    documents = pd.DataFrame({"doc_id": ["a", "b"], "date": ["x", "y"], "section": ["s1", "s2"]})
    out = attach_metadata(table, documents, ["date", "section"])
    assert out.columns.tolist() == ["doc_id", "topic_0", "date", "section"]
    assert out["section"].tolist()[:2] == ["s2", "s1"] and pd.isna(out["section"].iloc[2])
    assert out["date"].tolist() == ["kept"] * 3


# ---- On the shared workflow run ------------------------------------------------------------------


@pytest.mark.e2e
def test_results_model_holds_the_chosen_model_and_dated_doc_topics(small_grid_run):
    from gensim.models import LdaModel

    run_dir, config = small_grid_run
    results = run_dir / "results"
    selection = json.loads((results / "evaluation" / "selection.json").read_text(encoding="utf-8"))
    model = LdaModel.load(str(results / "model" / "lda.gensim"))
    chosen = LdaModel.load(str(results / "models" / f"k{selection['k']}" / f"seed{selection['seed']}" / "lda.gensim"))
    assert np.array_equal(model.get_topics(), chosen.get_topics())

    selected = pd.read_parquet(results / "evaluation" / "selected_doc_topics.parquet")
    doc_topics = pd.read_parquet(results / "model" / "doc_topics.parquet")
    assert doc_topics.columns.tolist()[: len(selected.columns)] == selected.columns.tolist()  # only columns added
    assert {"date", "title", "source", "section"} <= set(doc_topics.columns)
    pd.testing.assert_frame_equal(doc_topics[selected.columns], selected)
    documents = pd.read_parquet(results / "ingest" / "documents.parquet").set_index("doc_id")
    assert (doc_topics["section"].to_numpy() == documents.loc[doc_topics["doc_id"], "section"].to_numpy()).all()
    assert (doc_topics["date"].to_numpy() == documents.loc[doc_topics["doc_id"], "date"].to_numpy()).all()

    doc_themes = pd.read_parquet(results / "themes" / "doc_themes.parquet")
    assert doc_themes.columns[:2].tolist() == ["doc_id", "date"]
    assert doc_themes.columns[-3:].tolist() == ["title", "source", "section"]
    assert (doc_themes["section"].to_numpy() == documents.loc[doc_themes["doc_id"], "section"].to_numpy()).all()


@pytest.mark.e2e
def test_explorer_tables_and_page_of_the_shared_run(small_grid_run):
    run_dir, config = small_grid_run
    results = run_dir / "results"
    n, min_share = section("report")["explorer"]["docs_per_period"], section("report")["explorer"]["min_share"]
    documents = pd.read_parquet(results / "report" / "explorer" / "theme_documents.parquet")
    doc_themes = pd.read_parquet(results / "themes" / "doc_themes.parquet")
    tracked = [theme for theme in config["themes"] if theme in doc_themes]
    assert sorted(documents["theme"].unique()) == sorted(tracked)
    month = doc_themes["date"].dt.strftime("%Y-%m-01")
    for theme in tracked:  # each period's documents are its n largest shares (naive recount)
        largest = doc_themes.assign(period=month).groupby("period")[theme].apply(lambda s: sorted(s.nlargest(n), reverse=True))
        expected = {period: [x for x in shares if x >= min_share] for period, shares in largest.items()}
        got = documents[documents["theme"] == theme].groupby("period")["share"].apply(lambda s: sorted(s, reverse=True))
        assert sorted(got.index) == sorted(period for period, shares in expected.items() if shares), theme
        for period in got.index:
            assert np.allclose(got[period], expected[period]), (theme, period)
    assert documents["passage"].str.split().str.len().max() <= section("report")["explorer"]["passage_words"]
    marked = documents["marks"].map(json.loads).map(len).gt(0)
    assert marked[documents["share"] >= 0.5].mean() > 0.9  # documents mostly about a theme show its words

    page = results / "report" / "explorer.html"
    summary = json.loads((results / "report" / "explorer" / "summary.json").read_text(encoding="utf-8"))
    assert summary["bytes"] == page.stat().st_size and summary["documents"] == len(documents)
    index = (results / "report" / "index.html").read_text(encoding="utf-8")
    assert 'href="explorer.html"' in index and "explorer.html" in (results / "report" / "report.md").read_text(encoding="utf-8")
    log = (run_dir / "logs" / "render_explorer" / "render_explorer.log").read_text(encoding="utf-8")
    assert f"{summary['bytes']} bytes" in log


@pytest.mark.e2e
def test_report_embeds_figures_at_screen_width(small_grid_run):
    run_dir, config = small_grid_run
    index = (run_dir / "results" / "report" / "index.html").read_text(encoding="utf-8")
    import base64

    widths = [Image.open(io.BytesIO(base64.b64decode(uri))).size[0]
              for uri in re.findall(r'src="data:image/png;base64,([^"]+)"', index)]
    assert widths and max(widths) <= section("report")["figure_width"]
    on_disk = Image.open(run_dir / "results" / "figures" / "top_terms.png").size[0]
    assert on_disk >= max(widths)  # the file keeps figures.dpi


def test_page_without_effects_or_monitor_has_none_of_their_code():
    settings = ExplorerSettings(**section("report")["explorer"])
    data = explorer_data(*_page_inputs(), {"t": ["uno"]}, ["source"], settings, "es", "month")
    page = render_explorer(data, "T")
    for trace in ("drawFrozen", "selfTestEffects", "selfTestMonitor", 'id="effects"', 'id="monitoring"', "frozen", "{%", "%}"):
        assert trace not in page, trace


def test_monitor_periods_follow_the_fit_periods_marked_and_leave_the_peak_alone():
    settings = ExplorerSettings(**section("report")["explorer"])
    topic_terms, topics, docs, prevalence, points, links = _page_inputs()
    new = pd.DataFrame({"period": ["2024-03-01"], "theme": "t", "prevalence": [0.9], "ci_low": [0.8], "ci_high": [0.95],
                        "n_docs": [30], "low_n": [False]})
    curves = pd.concat([prevalence.assign(source="fit"), new.assign(source="monitor")], ignore_index=True)
    fit = explorer_data(topic_terms, topics, docs, prevalence, points, links, {"t": ["uno"]}, ["source"], settings, "es", "month")
    monitored = explorer_data(topic_terms, topics, docs, curves, points, links, {"t": ["uno"]}, ["source"], settings, "es",
                              "month")
    before, after = fit["themes"][0], monitored["themes"][0]
    assert after["periods"][:2] == before["periods"] and after["periods"][2]["frozen"] is True
    assert after["periods"][2]["label"] == "mar 2024" and after["peak"] == before["peak"] == 1
    assert after["docs"] == before["docs"] and after["changes"] == before["changes"]


def test_effects_view_data_names_the_reference_and_writes_numbers_as_the_report():
    effects = pd.DataFrame({
        "effect": "e", "formula": "theme ~ section * post_event", "theme": ["t", "t", "t", "t"],
        "term": ["section=b", "post_event", "section=b:post_event", "spline(time)[1]"],
        "variables": ["section", "post_event", "section:post_event", "spline(time)"],
        "reference": ["section=a", "", "section=a", ""], "event": "E", "event_date": "2024-02-01",
        "estimate": [-2.26, 5.0, 0.4, 1.0], "ci_low": [-4.0, 3.0, -1.0, 0.5], "ci_high": [-0.5, 7.0, 1.8, 1.5],
        "level": 0.95, "n_term": [10, 12, 5, 30]})
    settings = ExplorerSettings(**section("report")["explorer"])
    data = explorer_data(*_page_inputs(), {"t": ["uno"]}, ["source"], settings, "es", "month", effects=effects)
    entry = data["effects"][0]
    assert entry["reference"] == "section = «a»" and entry["splines"] == 1
    terms = entry["themes"][0]["terms"]
    assert [term[0] for term in terms] == ["section=b", "post_event", "section=b:post_event"]  # spline left out
    assert [term[4:6] for term in terms] == [["\u22122,3", "\u22124,0 a \u22120,5"], ["5,0", "3,0–7,0"], ["0,4", "\u22121,0 a 1,8"]]
    assert "«a»" in terms[0][6] and "IC 95 %: \u22124,0 a \u22120,5" in terms[0][6] and terms[2][6] == ""  # the report's sentence
    page = render_explorer(data, "T")
    assert 'id="effects"' in page and "selfTestEffects(result);" in page and "drawFrozen" not in page
