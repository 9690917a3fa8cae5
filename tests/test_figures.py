"""Figures: drawn from small synthetic tables; the CSV beside each holds exactly what is drawn."""

import hashlib

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib import font_manager
from matplotlib.ft2font import FT2Font

from scripts.figures.style import PeriodFormatter, save_figure, style_from_config
from scripts.text.display import period_label
from scripts.figures.corpus import corpus_counts, plot_corpus
from scripts.figures.models import plot_model_selection, plot_top_terms, plot_topic_heatmap, selection_summary
from scripts.figures.themes import plot_drift, plot_prevalence, plot_prevalence_by_group, plot_theme_heatmap
from scripts.settings import section
from scripts.logs import UserInputError

PERIODS = [f"2024-{month:02d}-01" for month in range(1, 13)] + ["2025-01-01", "2025-02-01"]
THEMES = ["soberania", "fentanilo", "seguridad_cooperacion"]


@pytest.fixture
def style():
    return style_from_config(section("figures", {"dpi": 60, "width": 8}))


@pytest.fixture
def prevalence():
    rng = np.random.default_rng(3)
    rows = []
    for theme in THEMES:
        for i, period in enumerate(PERIODS):
            value = 0.1 + 0.05 * np.sin(i) + rng.uniform(0, 0.02)
            rows.append((period, theme, value, value - 0.03, value + 0.04, 20 + i, i == 3))
    return pd.DataFrame(rows, columns=["period", "theme", "prevalence", "ci_low", "ci_high", "n_docs", "low_n"])


def tick_texts(ax) -> list[str]:
    ax.figure.canvas.draw()
    return [label.get_text() for label in ax.get_xticklabels() + ax.get_yticklabels()]


def test_dejavu_sans_has_every_spanish_letter():
    font = FT2Font(font_manager.findfont("DejaVu Sans", fallback_to_default=False))
    missing = [char for char in "áéíóúüñÁÉÍÓÚÜÑ¿¡«»–" if font.get_char_index(ord(char)) == 0]
    assert not missing


def test_style_checks_the_palette():
    assert style_from_config(section("figures", {"palette": ["#1f77b4", "tab:red"]})).colors(3)[2][:3] == pytest.approx((0.1216, 0.4667, 0.7059), abs=1e-3)
    with pytest.raises(UserInputError, match="figures.palette: 'nonsense'"):
        style_from_config(section("figures", {"palette": "nonsense"}))


def test_dates_read_as_spanish_or_english_months():
    ticks = [pd.Timestamp(p).toordinal() - pd.Timestamp("1970-01-01").toordinal() for p in ("2024-11-01", "2024-12-01", "2025-01-01")]
    assert PeriodFormatter("es").format_ticks(ticks) == ["nov\n2024", "dic", "ene\n2025"]
    assert PeriodFormatter("en").format_ticks(ticks) == ["Nov\n2024", "Dec", "Jan\n2025"]
    assert period_label("2024-08-01", "en", "month") == "Aug 2024"
    assert period_label("2024-07-01", "en", "quarter") == "Q3 2024"  # the freq is told, not guessed from the dates
    assert period_label("2024-08-05", "en", "week") == "5 Aug 2024" and period_label("2024-01-01", "en", "year") == "2024"


def test_corpus_figure_draws_kept_and_rejected_per_period(style):
    summary = {
        "documents_per_period": {"2024-01-01": 10, "2024-03-01": 7},
        "rejected_per_period": {"2024-02-01": 2, "2024-03-01": 1},
        "n_rejected": 5,
    }
    fig, drawn = plot_corpus(summary, style)
    assert drawn.to_dict("records") == [
        {"period": "2024-01-01", "kept": 10, "rejected": 0},
        {"period": "2024-02-01", "kept": 0, "rejected": 2},
        {"period": "2024-03-01", "kept": 7, "rejected": 1},
        {"period": "undated", "kept": 0, "rejected": 2},
    ]
    heights = sorted(round(patch.get_height()) for patch in fig.axes[0].patches)
    assert heights == sorted([10, 0, 7, 0, 2, 1])
    assert any("sin fecha legible: 2" in text.get_text() for text in fig.axes[0].get_legend().get_texts())
    assert corpus_counts({}).empty
    plt.close(fig)


def test_selection_figure_marks_the_chosen_k(style):
    table = pd.DataFrame({"k": [4, 4, 8, 8], "seed": [1, 2, 1, 2], "npmi": [0.1, 0.3, 0.2, 0.2], "perplexity": [30, 32, 25, 27.0]})
    fig, drawn = plot_model_selection(table, {"k": 8, "seed": 1}, style)
    npmi = drawn[drawn["measure"] == "npmi"].set_index("k")
    assert npmi.loc[4, "mean"] == pytest.approx(0.2) and npmi.loc[4, "sd"] == pytest.approx(np.std([0.1, 0.3], ddof=1))
    assert drawn.loc[drawn["chosen"], "k"].unique().tolist() == [8]
    assert fig.axes[1].get_title() == "perplejidad (más bajo es mejor)"
    assert selection_summary(table.iloc[:1], 4)["sd"].tolist() == [0.0, 0.0]
    plt.close(fig)


def test_top_terms_show_phrases_and_accents_as_written(style):
    topic_terms = pd.DataFrame(
        {"topic": [0, 0, 1, 1], "rank": [1, 2, 1, 2], "term": ["estados_unidos", "soberanía", "gol", "estadio"], "weight": [0.3, 0.2, 0.4, 0.1]}
    )
    topics = pd.DataFrame({"topic": [0, 1], "share": [0.6, 0.4], "label": ["estados unidos / soberanía", "gol / estadio"]})
    fig, drawn = plot_top_terms(topic_terms, topics, {"k": 2, "seed": 1}, style)
    labels = tick_texts(fig.axes[0])
    assert "estados unidos" in labels and "soberanía" in labels
    assert "estados unidos / soberanía" in fig.axes[0].get_title(loc="left")
    assert drawn["term"].tolist() == ["estados unidos", "soberanía", "gol", "estadio"]
    assert drawn["weight"].tolist() == topic_terms["weight"].tolist()
    plt.close(fig)


def test_topic_heatmap_draws_every_topic_and_period(style):
    rows = [(p, t, 0.1 * t + 0.01 * i) for i, p in enumerate(PERIODS) for t in range(3)]
    topic_prevalence = pd.DataFrame(rows, columns=["period", "topic", "prevalence"])
    topics = pd.DataFrame({"topic": [0, 1, 2], "share": [0.2, 0.3, 0.5], "label": ["a", "b", "c"]})
    fig, drawn = plot_topic_heatmap(topic_prevalence, topics, style)
    assert len(drawn) == 3 * len(PERIODS)
    assert np.allclose(fig.axes[0].collections[0].get_array().reshape(3, -1), topic_prevalence.pivot(index="topic", columns="period", values="prevalence").to_numpy())
    assert any("ene" in text for text in tick_texts(fig.axes[0]))
    plt.close(fig)


def test_prevalence_figure_draws_curves_change_points_and_events(style, prevalence):
    change_points = pd.DataFrame({"theme": ["fentanilo"], "period": ["2024-06-01"], "before": [0.1], "after": [0.2]})
    events = pd.DataFrame({"date": ["2025-02-01"], "label": ["Aranceles"]})
    fig, drawn = plot_prevalence(prevalence, change_points, events, style, 0.9)
    assert (drawn["element"] == "curve").sum() == len(prevalence)
    assert drawn[drawn["element"] == "change_point"][["theme", "period"]].values.tolist() == [["fentanilo", "2024-06-01"]]
    assert drawn[drawn["element"] == "event"]["label"].tolist() == ["Aranceles"]
    fentanilo = fig.axes[1]
    assert fentanilo.get_title(loc="left") == "fentanilo"
    assert len([line for line in fentanilo.lines if line.get_linestyle() == "--"]) == 1
    assert "intervalo del 90%" in [t.get_text() for t in fig.legends[0].get_texts()]
    assert tick_texts(fig.axes[2])[0].startswith("ene\n2024")  # the panel above an empty slot keeps its dates
    single, drawn_single = plot_prevalence(prevalence, change_points, None, style, 0.95, themes=["soberania"])
    assert set(drawn_single["theme"]) == {"soberania"} and len(single.axes) == 1
    plt.close("all")


def test_theme_heatmap_drift_and_groups(style, prevalence):
    fig, drawn = plot_theme_heatmap(prevalence, style, "month")
    assert drawn.set_index(["theme", "period"])["prevalence"].sort_index().equals(
        prevalence.set_index(["theme", "period"])["prevalence"].sort_index()
    )
    drift = pd.DataFrame(
        [(theme, period, rank, term, w) for theme in THEMES for period in PERIODS[:4]
         for rank, (term, w) in enumerate([("estados_unidos", 0.5), (f"{theme}_x", 0.3), ("otro", 0.05)], 1)],
        columns=["theme", "period", "rank", "term", "weight"],
    )
    fig, drawn = plot_drift(drift, style, "month", n_terms=2)
    assert set(drawn["term"]) == {"estados_unidos"} | {f"{theme}_x" for theme in THEMES}
    assert "estados unidos" in tick_texts(fig.axes[0])
    by_group = pd.concat([prevalence.assign(group="La Jornada"), prevalence.assign(group="Reforma")])
    fig, drawn = plot_prevalence_by_group(by_group, "source", style)
    assert set(drawn["group"]) == {"La Jornada", "Reforma"} and len(drawn) == len(by_group)
    assert fig._suptitle.get_text() == "Prevalencia por source"
    plt.close("all")


def test_saved_files_are_byte_identical_and_carry_no_timestamp(tmp_path, style, prevalence):
    digests = []
    for attempt in range(2):
        fig, drawn = plot_prevalence(prevalence, None, None, style, 0.95)
        folder = tmp_path / str(attempt)
        written = save_figure(fig, drawn, style, folder / "prevalence.png", folder / "prevalence.csv",
                              [folder / "prevalence.svg", folder / "prevalence.pdf"])
        assert sorted(path.suffix for path in written) == [".csv", ".pdf", ".png", ".svg"]
        digests.append([hashlib.sha256(path.read_bytes()).hexdigest() for path in written])
    assert digests[0] == digests[1]
    assert b"CreationDate" not in (tmp_path / "0/prevalence.pdf").read_bytes()
    assert b"<dc:date>" not in (tmp_path / "0/prevalence.svg").read_bytes()
    saved = pd.read_csv(tmp_path / "0/prevalence.csv")
    assert np.allclose(saved["prevalence"], drawn["prevalence"].round(10))


def test_selection_figure_draws_the_coherence_exclusivity_front_first(style):
    table = pd.DataFrame({"k": [4, 4, 8, 8, 12, 12], "seed": [1, 2] * 3, "npmi": [0.1, 0.12, 0.2, 0.22, 0.15, 0.15],
                          "exclusivity": [0.9, 0.9, 0.8, 0.8, 0.7, 0.7], "stability": [0.6, 0.6, 0.5, 0.5, 0.4, 0.4]})
    fig, drawn = plot_model_selection(table, {"k": 8, "seed": 1, "metric": "npmi"}, style)
    assert fig.axes[0].get_title() == "NPMI frente a exclusividad"
    assert sorted(drawn.loc[drawn["on_front"], "k"].unique()) == [4, 8]  # K = 12 is dominated by K = 8
    assert {t.get_text() for t in fig.axes[0].texts} == {"K=4", "K=8", "K=12"}
    plt.close(fig)


def test_low_count_periods_are_drawn_apart_and_change_points_carry_their_range(style, prevalence):
    change_points = pd.DataFrame({"theme": ["fentanilo"], "period": ["2024-06-01"], "before": [0.1], "after": [0.2],
                                  "confidence": [0.85], "date_low": ["2024-05-01"], "date_high": ["2024-08-01"]})
    fig, drawn = plot_prevalence(prevalence, change_points, None, style, 0.95, themes=["fentanilo"])
    ax = fig.axes[0]
    hollow = [line for line in ax.lines if line.get_markerfacecolor() == "white"]
    assert len(hollow) == 1 and len(hollow[0].get_xdata()) == int(prevalence.query("theme == 'fentanilo'")["low_n"].sum())
    filled = [line for line in ax.lines if line.get_marker() == "o" and line.get_markerfacecolor() != "white"]
    assert len(filled[0].get_xdata()) == len(PERIODS) - 1
    assert "85%" in [text.get_text() for text in ax.texts]
    assert len(ax.patches) == 1  # the date range of the change
    assert drawn.loc[drawn["element"] == "change_point", "confidence"].tolist() == [0.85]
    plt.close("all")


def test_a_theme_whose_link_failed_is_drawn_as_unreliable(style, prevalence):
    from scripts.figures.themes import UNRELIABLE_COLOR
    from scripts.themes.linking import unreliable_themes

    links = pd.DataFrame({"theme": ["fentanilo", "soberania"], "topic": [0, 1], "reliable": [False, True]})
    assert unreliable_themes(links) == {"fentanilo"}
    fig, _ = plot_prevalence(prevalence, None, None, style, 0.95, unreliable=unreliable_themes(links))
    titles = {ax.get_title(loc="left"): ax for ax in fig.axes if ax.get_title(loc="left")}
    flagged = [title for title in titles if title.endswith("⚠")]
    assert flagged == ["fentanilo ⚠"]
    ax = titles["fentanilo ⚠"]
    assert any(text.get_text().startswith("⚠ no fiable") for text in ax.texts)
    assert any(line.get_color() == UNRELIABLE_COLOR for line in ax.lines)
    others = [a for title, a in titles.items() if title != "fentanilo ⚠"]
    assert others and not any(line.get_color() == UNRELIABLE_COLOR for a in others for line in a.lines)
    plt.close("all")


def test_top_terms_are_drawn_as_the_corpus_writes_them(style):
    topic_terms = pd.DataFrame({"topic": [0, 0], "rank": [1, 2], "term": ["crisis_de_opioide", "chivas"], "weight": [0.3, 0.2]})
    topics = pd.DataFrame({"topic": [0], "share": [1.0], "label": ["crisis de opioide / chivas"],
                           "label_display": ["crisis de opioides / Chivas"]})
    forms = {"crisis_de_opioide": "crisis de opioides", "chivas": "Chivas"}
    fig, drawn = plot_top_terms(topic_terms, topics, {"k": 1, "seed": 1}, style, forms=forms)
    assert {"crisis de opioides", "Chivas"} <= set(tick_texts(fig.axes[0]))
    assert "crisis de opioides / Chivas" in fig.axes[0].get_title(loc="left")
    assert drawn["term"].tolist() == ["crisis de opioides", "Chivas"]
    plt.close(fig)
