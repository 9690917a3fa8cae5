"""Monitor target: new documents scored with the frozen model of the shared run, drift signals.

The end-to-end checks run ``snakemake monitor`` once in a copy of the shared run (the shared run
stays untouched) on generated documents dated after the fit period: January 2025 drawn like the
fit corpus (in distribution), February 2025 written in another register (cooking recipes) that
must be flagged; then once more with every monitor rule after ingest forced, which must give the same bytes;
then the default target without ``monitor.path``, which must give back the run's report and explorer.
"""

import json
import re
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from conftest import REPO, copy_run, run_workflow, snakemake_command
from scripts.demo.generate import BACKGROUND_SENTENCES, generate_articles
from scripts.monitor.scoring import append_curves
from scripts.monitor.settings import monitor_corpus
from scripts.monitor.signals import rising_terms, verdicts
from scripts.monitor.tokens import FrozenTokenizer, phrase_keys, read_name_forms, tokenize_documents
from scripts.logs import UserInputError
from scripts.preprocess.pipeline import run_preprocess
from scripts.settings import defaults, section

# rendered again by the monitor target with a monitoring section (provenance: the config now has monitor.path)
PAGES = [Path("results/report/index.html"), Path("results/report/explorer.html"), Path("results/report/report.md"),
         Path("results/report/explorer/summary.json"), Path("results/provenance.json")]
# forced on the second run (ingest_new_documents is the ingest stage, whose reruns are checked in test_reproducibility)
MONITOR_RULES = ["score_new_documents", "measure_drift", "plot_monitor", "render_monitor_report"]
MONITOR_OUTPUTS = ["results/monitor/report.md", "results/monitor/report.html", "results/monitor/prevalence.png"]
RECIPE_WORDS = {
    "subjects": ["La cocinera", "El panadero", "La abuela", "El chef del restaurante", "Los estudiantes de gastronomía"],
    "verbs": ["mezcla", "hornea", "amasa", "sazona", "tuesta", "licúa", "fríe"],
    "objects": ["la harina con mantequilla", "el pan de elote", "los chiles rellenos", "la masa de hojaldre",
                "el caldo de pollo con cilantro", "las galletas de canela", "el mole con ajonjolí"],
    "complements": ["a fuego lento", "durante veinte minutos", "con una pizca de sal", "en el horno precalentado",
                    "hasta que dore", "en una cazuela de barro"],
}


def recipe_articles(n: int, start: str, seed: int) -> pd.DataFrame:
    """Generated documents of an unrelated register (recipes) dated in the month of ``start``."""
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n):
        sentences = [" ".join(str(rng.choice(RECIPE_WORDS[part])) for part in RECIPE_WORDS) + "."
                     for _ in range(int(rng.integers(8, 14)))]
        sentences.append(str(rng.choice(BACKGROUND_SENTENCES)))  # a few words the model knows, so it is scored
        date = (pd.Timestamp(start) + pd.Timedelta(days=int(rng.integers(0, 28)))).date().isoformat()
        rows.append({"doc_id": f"receta{i:03d}", "date": date, "title": "Receta de la semana", "text": " ".join(sentences)})
    return pd.DataFrame(rows)


# ---- Units --------------------------------------------------------------------------------------


def test_phrase_keys_split_at_connectors_only():
    assert phrase_keys("apoyo_de_inteligencia", 3, frozenset({"de"})) == ["apoyo de inteligencia"]
    assert sorted(phrase_keys("estados_unidos_méxico", 2, frozenset())) == ["estados unidos_méxico",
                                                                            "estados_unidos méxico"]


def test_monitor_corpus_needs_a_path_and_opens_the_date_range():
    corpus = section("corpus", {"path": "a.csv", "format": "csv", "date_range": {"end": "2024-12-31"},
                                "duplicates": {"near": False}})
    with pytest.raises(UserInputError, match="monitor.path"):
        monitor_corpus(corpus, section("monitor"))
    merged = monitor_corpus(corpus, section("monitor", {"path": "n/", "corpus": {"duplicates": {"exact": False}}}))
    assert merged["path"] == "n/" and merged["format"] == "csv"
    assert merged["date_range"] == {"start": None, "end": None}
    assert merged["duplicates"]["near"] is False and merged["duplicates"]["exact"] is False


def test_appended_curves_keep_every_old_line():
    old = "period,theme,prevalence,low_n\n2024-01-01,a,0.1000000001,False\n2024-01-01,b,1e-05,True\n"
    new = pd.DataFrame({"period": ["2024-02-01", "2024-02-01"], "theme": ["b", "a"], "prevalence": [0.5, 0.25],
                        "low_n": [False, False]})
    lines = append_curves(old, new).splitlines()
    assert lines[0] == "period,theme,prevalence,low_n,source"
    assert [line.removesuffix(",fit") for line in lines if line.endswith(",fit")] == old.splitlines()[1:]
    assert lines[1:] == ["2024-01-01,a,0.1000000001,False,fit", "2024-02-01,a,0.25,False,monitor",
                         "2024-01-01,b,1e-05,True,fit", "2024-02-01,b,0.5,False,monitor"]


def test_verdict_is_calibrated_on_the_fit_spread_and_one_sided():
    baseline = pd.DataFrame({"signal": ["perplexity"] * 5, "value": [100.0, 120.0, 90.0, 110.0, 105.0]})
    new = pd.DataFrame({"period": ["a", "b", "c"], "signal": ["perplexity"] * 3, "value": [125.0, 200.0, 10.0]})
    table = verdicts(new, baseline, 3.0)
    assert table["verdict"].tolist() == ["ok", "drift", "ok"]  # within the spread; far above; far below is no drift
    few = verdicts(new.head(1), baseline.head(2), 3.0)
    assert few["verdict"].tolist() == ["unknown"]


def test_rising_terms_prefer_new_words_over_frequent_old_ones():
    table = rising_terms({"nuevo": 20, "viejo": 200, "raro": 2}, {"viejo": 2000, "otro": 500}, {"viejo"}, 0.5, 5, 10)
    assert table["term"].tolist() == ["nuevo", "viejo"]
    assert table["log_ratio"].iloc[0] > 2 > table["log_ratio"].iloc[1]  # unseen before vs. about as frequent
    assert not table["in_vocabulary"].iloc[0]


# ---- The frozen tokenizer on a corpus with proper names ------------------------------------------

PRESS_TEMPLATES = (
    "Ayer las Chivas {verb} ante el Santos en el estadio. {Verb} sin su portero. El senador Ricardo Monreal "
    "habló del partido con los reporteros.",
    "Los aficionados del Santos {verb} contra la directiva de las Chivas. Operativos de seguridad rodearon el "
    "estadio y la policía {verb} a dos personas. El senador Ricardo Monreal pidió calma.",
    "Chivas {verb} el clásico del domingo. La fiesta de todos los santos llenó las calles y los operativos "
    "siguieron en el centro. Ricardo Monreal presentó una iniciativa de seguridad.",
)
PRESS_VERBS = ("ganaron", "perdieron", "empataron", "jugaron", "viajaron", "entrenaron", "protestaron", "detuvieron")


def press_articles(n: int, seed: int) -> pd.DataFrame:
    """Generated sports and politics notes with capitalised names mid-sentence (Chivas, Santos, Monreal)
    and ordinary words capitalised at a sentence start (``Operativos``, the verb after a full stop)."""
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n):
        verbs = [str(rng.choice(PRESS_VERBS)) for _ in range(2)]
        template = PRESS_TEMPLATES[i % len(PRESS_TEMPLATES)]
        text = template.replace("{Verb}", verbs[1].capitalize()).replace("{verb}", verbs[0], 1).replace("{verb}", verbs[1])
        rows.append({"doc_id": f"n{i:03d}", "date": pd.Timestamp("2024-01-01") + pd.Timedelta(days=int(i)),
                     "title": f"Nota {i}", "text": text})
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def names_run(tmp_path_factory):
    """The preprocess stage (phrases on) on :func:`press_articles`; returns its outputs and settings."""
    folder = tmp_path_factory.mktemp("names")
    documents = folder / "documents.parquet"
    press_articles(60, seed=3).to_parquet(documents, index=False)
    outputs = {name.split(".")[0]: folder / name for name in (
        "tokens.parquet", "dictionary.gensim", "train.mm", "heldout.mm", "vocabulary.csv", "seed_words.csv",
        "phrases.csv", "surface_forms.csv", "name_forms.csv")}
    settings = section("preprocess", {"no_below": 1, "no_above": 1.0, "phrases": {"min_count": 5}})
    run_preprocess(documents, outputs, settings, {"futbol": ["Chivas", "estadio"]})
    return documents, outputs, settings


def test_frozen_tokenizer_gives_back_the_fit_tokens_of_a_corpus_with_names(names_run):
    from gensim.corpora import Dictionary

    documents, outputs, settings = names_run
    fit = pd.read_parquet(outputs["tokens"])
    fit_terms = set(fit["tokens"].explode())
    # the corpus exercises the name rule: names kept as written, their lemmas absent
    words = {part for term in fit_terms for part in term.split("_")}
    assert {"chivas", "santos", "monreal"} <= words and "chivar" not in words
    assert "santo" in words  # lowercase "todos los santos" keeps its lemma
    tokenizer = FrozenTokenizer(settings, pd.read_csv(outputs["phrases"], keep_default_na=False),
                                read_name_forms(outputs["name_forms"]), base=REPO)
    tokens = tokenize_documents(documents, tokenizer)
    token2id = Dictionary.load(str(outputs["dictionary"])).token2id
    assert tokens["doc_id"].tolist() == fit["doc_id"].tolist()
    assert [[t for t in doc if t in token2id] for doc in tokens["tokens"]] == [list(doc) for doc in fit["tokens"]]
    assert any("_" in t for doc in fit["tokens"] for t in doc)  # phrases were applied too


def test_name_forms_hold_the_fit_decision_of_every_capitalised_word(names_run):
    _, outputs, _ = names_run
    table = read_name_forms(outputs["name_forms"])
    assert table["form"].tolist() == sorted(table["form"]) and table["form"].is_unique
    assert table["form"].str[0].str.isupper().all()
    decided = table.set_index("form")
    assert decided.loc["Chivas"].tolist() == ["chivas", "name"]
    assert decided.loc["Santos"].tolist() == ["santos", "name"]
    assert decided.loc["Operativos"].tolist() == ["operativo", "lowercase"]  # a sentence start, lowercase elsewhere
    assert decided.loc["Los", "resolved"] == ""  # a stopword stays a break, read back as text


def test_new_capitalised_words_take_the_fit_reading_of_their_word(names_run):
    _, outputs, settings = names_run
    tokenizer = FrozenTokenizer(settings, pd.read_csv(outputs["phrases"], keep_default_na=False),
                                read_name_forms(outputs["name_forms"]), base=REPO)
    # not written this way in the fit: all capitals, a new sentence start; and a word the fit never saw
    assert tokenizer.forms["CHIVAS"] == "chivas" and tokenizer.forms["OPERATIVOS"] == "operativo"
    assert tokenizer.forms["chivas"] == tokenizer.normaliser.stream_form("chivas") == "chivar"  # lowercase: the lemma
    assert tokenizer.forms["Zacatecanos"] == tokenizer.normaliser.stream_form("Zacatecanos")  # no evidence


# ---- The frozen tokenizer on the shared run -----------------------------------------------------


@pytest.mark.e2e
def test_frozen_tokenizer_gives_back_the_fit_tokens(small_grid_run):
    run_dir, config = small_grid_run
    from gensim.corpora import Dictionary

    filled = defaults(config)
    tokenizer = FrozenTokenizer(filled["preprocess"], pd.read_csv(run_dir / "results/corpus/phrases.csv"),
                                read_name_forms(run_dir / "results/corpus/name_forms.csv"), base=REPO)
    tokens = tokenize_documents(run_dir / "results/ingest/documents.parquet", tokenizer)
    token2id = Dictionary.load(str(run_dir / "results/corpus/dictionary.gensim")).token2id
    fit = pd.read_parquet(run_dir / "results/corpus/tokens.parquet")
    assert tokens["doc_id"].tolist() == fit["doc_id"].tolist()
    assert [[t for t in doc if t in token2id] for doc in tokens["tokens"]] == [list(doc) for doc in fit["tokens"]]
    assert any("_" in t for doc in fit["tokens"] for t in doc)  # phrases were applied, not only words


# ---- The monitor target, end to end ------------------------------------------------------------


@pytest.fixture(scope="session")  # once per session: tests of the shared group may interleave modules
def monitored(small_grid_run, tmp_path_factory):
    """A copy of the shared run, monitored once, then once more with the monitor rules forced."""
    run_dir, config = small_grid_run
    copy = copy_run(run_dir, tmp_path_factory.mktemp("monitor") / "run")
    before = {path.relative_to(copy): path.read_bytes() for path in (copy / "results").rglob("*") if path.is_file()}
    inside, _ = generate_articles(n_articles=40, start="2025-01-01", n_months=1, seed=11)
    new = pd.concat([inside.drop(columns="main_theme"), recipe_articles(40, "2025-02-01", seed=5)])
    new.assign(section="nacional").to_csv(copy / "new.csv", index=False)
    monitored_config = {**config, "monitor": {"path": "new.csv"}}
    run_workflow(copy, monitored_config, "monitor")
    first = {path.relative_to(copy): path.read_bytes() for path in (copy / "results/monitor").rglob("*") if path.is_file()}
    pages = {path: (copy / path).read_bytes() for path in PAGES}
    (copy / "monitored_pages").mkdir()
    for path in PAGES[:3]:  # kept for the browser test: the last run renders them without the monitor
        (copy / "monitored_pages" / path.name).write_bytes(pages[path])
    # the monitor's own outputs only (the pages would be rendered again from the same bytes)
    run_workflow(copy, monitored_config, *MONITOR_OUTPUTS, "--forcerun", *MONITOR_RULES)
    second = {path.relative_to(copy): path.read_bytes() for path in (copy / "results/monitor").rglob("*") if path.is_file()}
    after = {path.relative_to(copy): path.read_bytes() for path in (copy / "results").rglob("*")
             if path.is_file() and "monitor" not in path.parts and path.relative_to(copy) not in PAGES}
    run_workflow(copy, config)  # monitor.path unset again: the pages as the run had them
    restored = {path: (copy / path).read_bytes() for path in PAGES}
    return copy, before, after, first, second, pages, restored


@pytest.mark.e2e
def test_monitor_leaves_the_run_and_the_old_rows_unchanged(monitored):
    copy, before, after = monitored[:3]
    assert after == {path: content for path, content in before.items() if path not in PAGES}  # all but its pages
    old = (copy / "results/themes/prevalence.csv").read_text(encoding="utf-8").splitlines()
    lines = (copy / "results/monitor/prevalence.csv").read_text(encoding="utf-8").splitlines()
    assert lines[0] == old[0] + ",source"
    assert [line.removesuffix(",fit") for line in lines[1:] if line.endswith(",fit")] == old[1:]


@pytest.mark.e2e
def test_new_periods_are_marked_and_scored(monitored):
    copy = monitored[0]
    curves = pd.read_csv(copy / "results/monitor/prevalence.csv")
    new = curves[curves["source"] == "monitor"]
    assert sorted(set(new["period"])) == ["2025-01-01", "2025-02-01"]
    assert set(new["theme"]) == set(curves.loc[curves["source"] == "fit", "theme"])
    assert set(curves["source"]) == {"fit", "monitor"}
    january = new[new["period"] == "2025-01-01"]
    assert (january["n_docs"] == 40).all() and (january["ci_low"] <= january["prevalence"]).all()
    report = (copy / "results/monitor/report.md").read_text(encoding="utf-8")
    assert "feb 2025" in report and "DERIVA" in report
    assert (copy / "results/monitor/report.html").read_text(encoding="utf-8").count("data:image/png;base64,") == 1


@pytest.mark.e2e
def test_drift_is_flagged_for_another_register_only(monitored):
    signals = pd.read_csv(monitored[0] / "results/monitor/signals.csv")
    verdict = signals.pivot(index="signal", columns="period", values="verdict")
    assert (verdict["2025-01-01"] == "ok").all(), signals.to_string()
    assert verdict.loc["oov_rate", "2025-02-01"] == "drift"
    assert verdict.loc["term_divergence", "2025-02-01"] == "drift"
    rising = pd.read_csv(monitored[0] / "results/monitor/rising_terms.csv")
    assert not rising["in_vocabulary"].head(5).any()  # the recipes' words lead, unknown to the model


@pytest.mark.e2e
def test_second_monitor_run_is_byte_identical(monitored):
    first, second = monitored[3:5]
    assert sorted(first) == sorted(second)
    assert [path for path in first if first[path] != second[path]] == []


def _explorer_data(page: str) -> dict:
    return json.loads(re.search(r'<script type="application/json" id="explorer-data">(.*?)</script>', page, re.S).group(1))


def _section(page: str, start: str, end: str) -> str:
    """``page`` from ``start`` to the next ``end`` (or its end)."""
    begin = page.index(start)
    stop = page.find(end, begin)
    return page[begin:stop if stop >= 0 else len(page)]


@pytest.mark.e2e
def test_report_and_explorer_show_the_monitor_and_come_back_without_it(monitored):
    copy, before, pages, restored = monitored[0], monitored[1], monitored[5], monitored[6]
    report = pages[PAGES[0]].decode("utf-8")
    assert 'href="#monitoring"' in report and 'id="monitoring"' in report
    assert report.count("data:image/png;base64,") == before[PAGES[0]].decode("utf-8").count("data:image/png;base64,") + 1
    signals = pd.read_csv(copy / "results/monitor/signals.csv")
    section = _section(report, 'id="monitoring"', 'id="provenance"')
    rows = re.findall(r"<tr><td>([^<]*)</td><td>([^<]*)</td>(?:<td[^>]*>[^<]*</td>){3}<td>([^<]*)</td></tr>", section)
    assert [verdict for _, _, verdict in rows] == signals["verdict"].map({"ok": "normal", "drift": "DERIVA"}).tolist()
    assert "## Seguimiento con el modelo congelado" in pages[PAGES[2]].decode("utf-8")

    # the explorer: the new periods follow the fit's, marked; the fit periods' numbers are the run's own
    data, original = _explorer_data(pages[PAGES[1]].decode("utf-8")), _explorer_data(before[PAGES[1]].decode("utf-8"))
    for theme, fit in zip(data["themes"], original["themes"]):
        assert theme["periods"][:len(fit["periods"])] == fit["periods"] and theme["peak"] == fit["peak"]
        assert [p["label"] for p in theme["periods"][len(fit["periods"]):] if p.get("frozen")] == ["ene 2025", "feb 2025"]
    assert "monitor" not in original and 'id="monitoring"' in pages[PAGES[1]].decode("utf-8")

    # monitor.path unset again: report, explorer and provenance are the run's, byte for byte
    assert [path for path in PAGES if restored[path] != before[path]] == []


@pytest.mark.e2e
def test_spanish_monitor_pages_write_decimal_commas(monitored):
    copy, pages = monitored[0], monitored[5]
    texts = {
        "monitor report.html": (copy / "results/monitor/report.html").read_text(encoding="utf-8"),
        "monitor report.md": (copy / "results/monitor/report.md").read_text(encoding="utf-8"),
        "report section": _section(pages[PAGES[0]].decode("utf-8"), 'id="monitoring"', 'id="provenance"'),
        "report.md section": _section(pages[PAGES[2]].decode("utf-8"), "## Seguimiento", "## Procedencia"),
        "explorer section": _section(pages[PAGES[1]].decode("utf-8"), 'id="monitoring"', "</section>"),
    }
    numbers = re.compile(r"\d[.,]\d")
    for name, text in texts.items():
        visible = re.sub(r"<style>.*?</style>|data:image/png;base64,[A-Za-z0-9+/=]+", "", text, flags=re.S)
        assert numbers.search(visible), name  # there are decimal numbers to check
        assert re.findall(r"\d\.\d", visible) == [], name


@pytest.mark.e2e
def test_monitored_explorer_marks_the_new_periods_in_chromium(monitored, tmp_path):
    from test_explorer_browser import self_test

    copy = monitored[0]
    result, console = self_test(copy / "monitored_pages" / "explorer.html", tmp_path / "profile")
    assert result["errors"] == [] and console == []
    monitor = result["monitor"]
    assert monitor["frozenPeriods"] == ["ene 2025", "feb 2025"] and monitor["frozenCircles"] == 2 and monitor["dashed"] == 1
    signals = pd.read_csv(copy / "results/monitor/signals.csv")
    assert [row[5] for row in monitor["signals"]] == signals["verdict"].map({"ok": "normal", "drift": "DERIVA"}).tolist()
    shown_z = [float(row[4].replace(",", ".").replace("∞", "inf")) for row in monitor["signals"]]
    assert np.allclose(shown_z, signals["z"].round(1), atol=0.051)
    assert monitor["rising"] == len(pd.read_csv(copy / "results/monitor/rising_terms.csv"))


@pytest.mark.e2e
def test_monitor_without_a_path_says_it_needs_the_key(small_grid_run):
    run_dir, _ = small_grid_run
    process = subprocess.run(snakemake_command(run_dir, run_dir / "config.yaml", "monitor", "--dry-run"),
                             capture_output=True, text=True)
    assert process.returncode != 0
    assert "monitor.path" in process.stdout + process.stderr


@pytest.mark.corpora
def test_monitor_corpus_reads_another_corpus_shape_with_the_fit_settings():
    """mañaneras transcripts read for a jornada run: monitor.corpus sets what differs (bench/bench_monitor.py)."""
    import yaml

    from conftest import shared_corpus
    from scripts.ingest.pipeline import ingest_corpus

    path = shared_corpus("mananeras_mx")
    jornada = yaml.safe_load((REPO / "config/corpora/jornada_zacatecas.yaml").read_text(encoding="utf-8"))
    corpus = section("corpus", {**jornada["corpus"], "date_range": {"end": "2014-01-31"}})
    overrides = {"format": "txt", "include": ["articulos/2025/marzo/*.txt"], "date_from_path": None,
                 "date_from_text": 3, "segment": "speaker_turns", "keep_columns": [], "title_in_text": False}
    result = ingest_corpus(monitor_corpus(corpus, section("monitor", {"path": str(path), "corpus": overrides})))
    assert len(result.documents) > 100
    assert result.documents["date"].dt.strftime("%Y-%m").eq("2025-03").all()  # the fit's date range is not applied
    assert result.documents["parent_id"].nunique() < len(result.documents)  # speaker turns of whole conferences
