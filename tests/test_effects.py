"""Effects: formula grammar, design matrices, the two-level bootstrap on planted corpora, config checks,
and the shared workflow run's effects.csv and figure."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

from scripts.demo.generate import THEMES
from scripts.demo.planted import EVENT_DATE, planted_corpus, seed_model_shares
from scripts.settings import defaults
from scripts.settings.validation import ConfigError, check_config, cross_key_problems
from scripts.themes.effects import (
    EFFECT_COLUMNS, bootstrap_coefficients, effect_table, effect_variables, event_date_of, period_index,
)
from scripts.settings.formula import FormulaError, parse_formula
from scripts.themes.design import design_matrix, spline_basis
from scripts.themes.settings import EffectSettings

from conftest import REPO


# ---- Formula grammar --------------------------------------------------------------------------


@pytest.mark.parametrize("text, terms", [
    ("theme ~ section", ["section"]),
    ("theme~section+post_event", ["section", "post_event"]),
    ("theme ~ section * post_event", ["section", "post_event", "section:post_event"]),
    ("theme ~ section:post_event", ["section:post_event"]),
    ("theme ~ section + section", ["section"]),
    ("theme ~ section * post_event + section:post_event", ["section", "post_event", "section:post_event"]),
    ("theme ~ spline( time ) + source", ["spline(time)", "source"]),
    ("theme ~ time * source * section", ["time", "source", "section", "time:source", "time:section",
                                         "source:section", "time:source:section"]),
])
def test_formulas_expand_to_terms_in_r_order(text, terms):
    assert [":".join(term) for term in parse_formula(text, ["section", "source"]).terms] == terms


@pytest.mark.parametrize("text, message", [
    ("theme ~ outlet", "unknown variable 'outlet' (allowed: time, spline(time), post_event, source, section)"),
    ("share ~ section", "left side of ~ must be theme"),
    ("section", "a formula reads theme ~ terms"),
    ("theme ~", "nothing right of ~"),
    ("theme ~ section +", "+ needs a variable on each side"),
    ("theme ~ * section", "* needs a variable on each side"),
    ("theme ~ (section + time)", "cannot read '(section + time)'"),
    ("theme ~ section - 1", "cannot read '- 1'"),
    ("theme ~ time + spline(time)", "use time or spline(time), not both"),
    ("theme ~ section ~ time", "more than one ~"),
    ("theme ~ spline(section)", "cannot read"),
])
def test_bad_formulas_say_what_is_allowed(text, message):
    with pytest.raises(FormulaError, match=None) as error:
        parse_formula(text, ["source", "section"])
    assert message in str(error.value)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("theme~ +*:()-_sectionpostvy1")), max_size=40))
def test_any_text_parses_or_fails_with_a_formula_error(text):
    try:
        formula = parse_formula(text, ["section"])
    except FormulaError:
        return
    assert formula.terms and all(name in ("time", "spline(time)", "post_event", "section") for name in formula.variables)


def test_design_matrix_codes_levels_against_the_first_and_crosses_interactions():
    data = pd.DataFrame({"time": [0, 1, 2, 3, 4, 5], "post_event": [0, 0, 0, 1, 1, 1],
                         "outlet": ["b", "a", "c", "a", None, "c"]})
    matrix, columns = design_matrix(parse_formula("theme ~ outlet * post_event", ["outlet"]), data, 4)
    names = [c.name for c in columns]
    assert names == ["outlet=b", "outlet=c", "outlet=missing", "post_event", "outlet=b:post_event",
                     "outlet=c:post_event", "outlet=missing:post_event"]
    assert matrix[:, 0].tolist() == [1.0] * 6
    assert matrix[:, names.index("outlet=c:post_event") + 1].tolist() == [0, 0, 0, 0, 0, 1]
    assert [c.levels for c in columns][0] == (("outlet", "b", "a"),)
    assert [c.n_nonzero for c in columns][:3] == [1, 2, 1]


def test_spline_basis_spans_a_linear_trend_with_the_intercept():
    x = np.arange(30.0)
    basis = np.column_stack([np.ones(30), spline_basis(x, 4)])
    fit = np.linalg.lstsq(basis, 2 + 0.5 * x, rcond=None)[0]
    assert np.allclose(basis @ fit, 2 + 0.5 * x)
    assert np.linalg.matrix_rank(basis) == 5


def test_period_index_and_event_split_follow_the_dates():
    dates = pd.Series(["2024-01-05", "2024-03-31", "2024-04-01", "2025-01-01"])
    assert period_index(dates, "quarter").tolist() == [0, 0, 1, 4]
    variables = effect_variables(dates, "month", pd.DataFrame({"s": list("abab")}), "2024-04-01")
    assert variables["post_event"].tolist() == [0, 0, 1, 1] and variables["time"].tolist() == [0, 2, 3, 12]


def test_event_date_is_looked_up_by_label_with_clear_errors():
    events = pd.DataFrame({"date": ["2024-07-15", "2024-01-01", "2024-02-01"], "label": ["Paso", "Doble", "Doble"]})
    assert event_date_of(events, "Paso", "e") == "2024-07-15"
    with pytest.raises(Exception, match="'Otro' is not in time.events \\(labels: 'Paso', 'Doble'\\)"):
        event_date_of(events, "Otro", "e")
    with pytest.raises(Exception, match="several dates"):
        event_date_of(events, "Doble", "e")


# ---- Config checks ----------------------------------------------------------------------------


def effects_config(effects, events="events.csv", keep=("section",)):
    config = defaults({"corpus": {"path": "x", "keep_columns": list(keep)}, "themes": {"a": ["b"]},
                       "time": {"events": events}, "effects": effects})
    return config


def test_config_effects_get_their_defaults_and_pass():
    config = check_config({"corpus": {"path": "x", "keep_columns": ["section"]}, "model": {}, "themes": {"a": ["b"]},
                           "effects": [{"name": "e", "formula": "theme ~ section + spline(time)"}]},
                          REPO / "workflow" / "schemas" / "config.schema.yaml")
    assert config["effects"] == [{"name": "e", "formula": "theme ~ section + spline(time)", "event": None, "spline_df": 4, "reference": {}}]
    assert defaults()["effects"] == []


@pytest.mark.parametrize("effects, events, expected", [
    ([{"name": "e", "formula": "theme ~ outlet"}], None,
     "config key effects[0].formula: unknown variable 'outlet' (allowed: time, spline(time), post_event, source, section)"),
    ([{"name": "e", "formula": "theme ~ post_event"}], "events.csv",
     "config key effects[0].event: missing; the formula uses post_event"),
    ([{"name": "e", "formula": "theme ~ section", "event": "Paso"}], "events.csv",
     "config key effects[0].event: \"Paso\" is set but the formula does not use post_event"),
    ([{"name": "e", "formula": "theme ~ post_event", "event": "Paso"}], None,
     "config key time.events: missing; effects[0] compares before and after the event \"Paso\""),
    ([{"name": "e", "formula": "theme ~ time"}, {"name": "e", "formula": "theme ~ source"}], None,
     "config key effects[1].name: \"e\" is used twice"),
    ([{"name": "e", "formula": "theme ~ section + time", "reference": {"outlet": "A"}}], None,
     "config key effects[0].reference.outlet: not a metadata variable of the formula (allowed: section)"),
])
def test_config_effect_problems_name_the_key(effects, events, expected):
    problems = cross_key_problems(effects_config(effects, events))
    assert len(problems) == 1 and problems[0].startswith(expected), problems


def test_config_schema_rejects_unknown_effect_keys():
    with pytest.raises(ConfigError, match=r"effects\[0\].evnt: unknown key \(did you mean \"event\"\?"):
        check_config({"corpus": {"path": "x"}, "model": {}, "themes": {"a": ["b"]},
                      "effects": [{"name": "e", "formula": "theme ~ time", "evnt": "x"}]},
                     REPO / "workflow" / "schemas" / "config.schema.yaml")


# ---- Estimation -------------------------------------------------------------------------------


def test_least_squares_point_matches_group_means_and_seeds_widen_the_interval():
    rng = np.random.default_rng(3)
    group = np.repeat([0.0, 1.0], 300)
    base = np.clip(0.2 + 0.1 * group + rng.normal(0, 0.1, 600), 0, 1)[:, None]
    matrix = np.column_stack([np.ones(600), group])
    point, reps, _, used = bootstrap_coefficients(matrix, [base], 0, 400, np.random.default_rng(1))
    assert point[1, 0] == pytest.approx(base[300:].mean() - base[:300].mean())
    shifted = [base, np.clip(base + 0.05 * group[:, None], 0, 1)]  # a second seed model that disagrees
    _, reps_two, _, _ = bootstrap_coefficients(matrix, shifted, 0, 400, np.random.default_rng(1))
    assert used == 400 and reps_two[:, 1, 0].std() > 2 * reps[:, 1, 0].std()


def test_cluster_bootstrap_resamples_parents():
    rng = np.random.default_rng(0)
    parents = np.repeat(np.arange(60), 5)
    group = (parents % 2).astype(float)
    shares = np.clip(0.3 + rng.normal(0, 0.15, 60)[parents] + rng.normal(0, 0.01, 300), 0, 1)[:, None]
    matrix = np.column_stack([np.ones(300), group])
    _, by_doc, n_docs, _ = bootstrap_coefficients(matrix, [shares], 0, 400, np.random.default_rng(1))
    _, by_parent, n_parents, _ = bootstrap_coefficients(matrix, [shares], 0, 400, np.random.default_rng(1), parents)
    assert (n_docs, n_parents) == (300, 60)
    assert by_parent[:, 1, 0].std() > 1.8 * by_doc[:, 1, 0].std()


def test_singular_replicates_are_left_out_and_counted():
    group = np.zeros(200)
    group[:2] = 1  # a level with 2 documents: some replicates draw neither
    matrix = np.column_stack([np.ones(200), group])
    shares = np.random.default_rng(0).uniform(size=(200, 1))
    _, reps, _, used = bootstrap_coefficients(matrix, [shares], 0, 300, np.random.default_rng(2))
    assert 0 < 300 - used < 100 and np.isnan(reps[:, 1, 0]).sum() == 300 - used


def test_intervals_cover_planted_effects_on_replicate_corpora():
    """A fast version of bench/bench_effects.py: 12 small corpora, every planted term of both themes."""
    effect = EffectSettings(name="planted", formula="theme ~ section * post_event", event="E", spline_df=4, reference={})
    covered, total, excluded = 0, 0, []
    for index in range(12):
        rng = np.random.default_rng([7, index])
        corpus = planted_corpus(rng, n_articles=800, with_text=False)
        variables = effect_variables(corpus.articles["date"], "month", corpus.articles[["section"]], EVENT_DATE)
        table = effect_table(effect, variables, seed_model_shares(corpus.fractions, rng), 0, list(THEMES), 150, 0.95,
                             index, "logit_t", columns=["section"])
        table = table.merge(corpus.truth, on=["theme", "term"])
        covered += ((table["ci_low"] <= table["planted"]) & (table["planted"] <= table["ci_high"])).sum()
        total += len(table)
        big = table[table["term"] == "section=sur"]  # 6 points, about 2.5 standard errors at this size
        excluded.append(bool((big["ci_low"] > 0).iloc[0]))
    assert covered / total >= 0.85, f"coverage {covered}/{total}"
    assert np.mean(excluded) >= 0.5


def test_effect_table_has_the_documented_columns_in_points():
    rng = np.random.default_rng(1)
    corpus = planted_corpus(rng, n_articles=300, with_text=False)
    variables = effect_variables(corpus.articles["date"], "month", corpus.articles[["section"]], None)
    effect = EffectSettings(name="trend", formula="theme ~ section + spline(time)", event=None, spline_df=3, reference={})
    table = effect_table(effect, variables, [corpus.fractions], 0, list(THEMES), 100, 0.9, 1, "percentile",
                         columns=["section"])
    assert list(table.columns) == EFFECT_COLUMNS
    assert table["term"].unique().tolist() == ["section=sur", "spline(time)[1]", "spline(time)[2]", "spline(time)[3]"]
    assert (table["reference"].iloc[0], table["n"].iloc[0], table["level"].iloc[0]) == ("section=norte", 300, 0.9)
    assert (table["ci_low"] <= table["ci_high"]).all() and table["estimate"].abs().max() > 1  # points, not shares


# ---- The shared workflow run --------------------------------------------------------------------


@pytest.mark.e2e
def test_shared_run_writes_effects_table_figure_and_report(small_grid_run):
    run_dir, config = small_grid_run
    effects = pd.read_csv(run_dir / "results" / "themes" / "effects.csv", keep_default_na=False)
    assert list(effects.columns) == EFFECT_COLUMNS
    assert effects["effect"].unique().tolist() == [e["name"] for e in config["effects"]]
    first = effects[effects["effect"] == "seccion_evento"]
    assert set(first["term"]) == {"section=nacional", "post_event", "section=nacional:post_event"}
    assert set(first["reference"]) == {"section=estados", ""}
    assert set(first["event_date"]) == {"2024-07-15"}
    second = effects[effects["effect"] == "tendencia"]  # reference: {section: nacional}, not the first in sorted order
    assert set(second.loc[~second["term"].str.startswith("spline("), "term"]) == {"section=estados"}
    assert set(second.loc[second["term"] == "section=estados", "reference"]) == {"section=nacional"}
    assert (first["ci_low"] <= first["estimate"]).all() and (first["estimate"] <= first["ci_high"]).all()
    assert (first["n_boot_used"] == config["time"]["n_boot"]).all()
    documents = pd.read_parquet(run_dir / "results" / "themes" / "doc_themes.parquet")
    assert (effects["n"] == len(documents)).all()
    metadata = {"title", "source", "section"}  # doc_themes.parquet carries them after the shares
    assert set(effects["theme"]) == set(documents.columns) - {"doc_id", "date"} - metadata
    # the post_event coefficient of a section-only regression is the difference of mean shares
    kept = pd.read_parquet(run_dir / "results" / "ingest" / "documents.parquet", columns=["doc_id", "section"])
    joined = documents.drop(columns=list(metadata)).merge(kept, on="doc_id")
    theme = first["theme"].iloc[0]
    after = pd.to_datetime(joined["date"]) >= "2024-07-15"
    reference = joined["section"] == "estados"
    expected = 100 * (joined.loc[after & reference, theme].mean() - joined.loc[~after & reference, theme].mean())
    got = first[(first["theme"] == theme) & (first["term"] == "post_event")]["estimate"].iloc[0]
    assert got == pytest.approx(expected, abs=1e-6)
    figure = run_dir / "results" / "figures" / "effects.png"
    drawn = pd.read_csv(run_dir / "results" / "figures" / "effects.csv")
    assert figure.stat().st_size > 10_000 and not drawn["term"].str.startswith("spline(").any()
    assert "Paso planeado" in drawn["label"].str.cat()
    report = (run_dir / "results" / "report" / "report.md").read_text(encoding="utf-8")
    assert "## Efectos" in report and "seccion_evento" in report


# ---- Report sentences ---------------------------------------------------------------------------


def report_rows():
    base = {"effect": "e", "formula": "theme ~ section * post_event + time", "event": "Arancel",
            "event_date": "2025-02-03", "level": 0.95}
    rows = [
        {"theme": "fentanilo", "term": "section=sur", "variables": "section", "reference": "section=norte",
         "estimate": 4.12, "ci_low": 2.0, "ci_high": 6.2},
        {"theme": "fentanilo", "term": "post_event", "variables": "post_event", "reference": "",
         "estimate": -3.0, "ci_low": -5.0, "ci_high": -1.0},
        {"theme": "fentanilo", "term": "section=sur:post_event", "variables": "section:post_event",
         "reference": "section=norte", "estimate": 1.0, "ci_low": -1.0, "ci_high": 3.0},
        {"theme": "soberanía", "term": "time", "variables": "time", "reference": "", "estimate": 0.25,
         "ci_low": 0.1, "ci_high": 0.4},
    ]
    return pd.DataFrame([{**base, **row} for row in rows])


def test_report_says_each_effect_whose_interval_excludes_zero_in_both_languages():
    from scripts.report.effects import effect_sentences

    es = effect_sentences(report_rows(), "es", "month", 0.95)[0]["sentences"]
    assert es == [
        "Antes de «Arancel», section «sur» dedicó 4,1 puntos más a fentanilo que «norte» (IC 95 %: 2,0–6,2).",
        "Después de «Arancel» (2025-02-03), el peso de fentanilo bajó 3,0 puntos en section «norte» (la referencia) "
        "(IC 95 %: −5,0 a −1,0).",
        "El peso de soberanía subió 0,2 puntos por mes (IC 95 %: 0,1–0,4).",
    ]
    en = effect_sentences(report_rows(), "en", "week", 0.9)[0]["sentences"]
    assert en[0] == "Before «Arancel», section «sur» gave fentanilo 4.1 points more than «norte» (90% CI: 2.0–6.2)."
    assert en[2] == "The share of soberanía rose 0.2 points per week (90% CI: 0.1–0.4)."



def test_a_configured_reference_level_flips_the_contrast_and_is_named():
    """With the reference set to the other section, the contrast is the same difference, negated
    (same bootstrap seed, so the same replicates: the interval is mirrored too)."""
    rng = np.random.default_rng(3)
    corpus = planted_corpus(rng, n_articles=300, with_text=False)
    variables = effect_variables(corpus.articles["date"], "month", corpus.articles[["section"]], None)
    tables = {}
    for reference in ({}, {"section": "sur"}):
        effect = EffectSettings(name="grupo", formula="theme ~ section", event=None, spline_df=4, reference=reference)
        tables[bool(reference)] = effect_table(effect, variables, [corpus.fractions], 0, list(THEMES), 100, 0.95, 1,
                                               "logit_t", columns=["section"])
    default, flipped = tables[False], tables[True]
    assert default["term"].unique().tolist() == ["section=sur"] and set(default["reference"]) == {"section=norte"}
    assert flipped["term"].unique().tolist() == ["section=norte"] and set(flipped["reference"]) == {"section=sur"}
    np.testing.assert_allclose(flipped["estimate"], -default["estimate"], atol=1e-6)
    np.testing.assert_allclose(flipped["ci_high"], -default["ci_low"], atol=1e-6)
    np.testing.assert_allclose(default["estimate"], 100 * (
        pd.DataFrame(corpus.fractions, columns=list(THEMES)).groupby(corpus.articles["section"].to_numpy()).mean()
        .pipe(lambda means: means.loc["sur"] - means.loc["norte"])).to_numpy(), atol=1e-6)  # the naive difference of means
    bad = EffectSettings(name="grupo", formula="theme ~ section", event=None, spline_df=4, reference={"section": "oeste"})
    with pytest.raises(Exception, match=r"config key effects \(name grupo\)\.reference\.section: 'oeste' is not a level "
                                        r"of section \(allowed: 'norte', 'sur'\)"):
        effect_table(bad, variables, [corpus.fractions], 0, list(THEMES), 10, 0.95, 1, "logit_t", columns=["section"])
