"""Figures in the run's language: theme labels instead of keys, and the decimal mark of the language."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from scripts.figures.style import localise_numbers, style_from_config  # noqa: E402
from scripts.figures.themes import plot_prevalence, plot_theme_heatmap  # noqa: E402
from scripts.settings import section  # noqa: E402

PERIODS = ["2024-01-01", "2024-02-01", "2024-03-01"]
PREVALENCE = pd.DataFrame(
    [(p, theme, 0.1 * (i + 1) + 0.05 * j, 0.05, 0.4, 20, False)
     for j, theme in enumerate(["economia", "seguridad_cooperacion"]) for i, p in enumerate(PERIODS)],
    columns=["period", "theme", "prevalence", "ci_low", "ci_high", "n_docs", "low_n"],
)
LABELS = {"economia": "Economía", "seguridad_cooperacion": "Seguridad y cooperación"}


def tick_texts(fig) -> list[str]:
    fig.canvas.draw()
    return [label.get_text() for ax in fig.axes for label in ax.get_yticklabels() if label.get_text()]


@pytest.mark.parametrize("language, mark, other", [("es", ",", "."), ("en", ".", ",")])
def test_heatmap_shows_labels_and_the_decimal_mark_of_the_language(language, mark, other):
    style = style_from_config(section("figures", {"language": language, "dpi": 50}))
    fig, drawn = plot_theme_heatmap(PREVALENCE, style, "month", labels=LABELS)
    localise_numbers(fig, style)  # what save_figure does before writing
    texts = tick_texts(fig)
    assert {"Economía", "Seguridad y cooperación"} <= set(texts) and "economia" not in texts
    numbers = [text for text in texts if any(ch.isdigit() for ch in text)]
    assert numbers and all(other not in text for text in numbers) and any(mark in text for text in numbers)
    cells = [text.get_text() for text in fig.axes[0].texts]
    assert cells and all(other not in cell for cell in cells)
    assert set(drawn["theme"]) == set(LABELS)  # the CSV keeps the keys
    plt.close(fig)


def test_one_theme_figure_is_titled_with_its_label():
    style = style_from_config(section("figures", {"language": "es", "dpi": 50}))
    fig, _ = plot_prevalence(PREVALENCE, None, None, style, 0.95, themes=["economia"], labels=LABELS)
    assert fig._suptitle.get_text().startswith("Economía: prevalencia")
    plt.close(fig)
