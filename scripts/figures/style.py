"""Shared look of every figure: style from config, localised labels, date axes, deterministic saving.

The ``figures_*`` modules draw from tables only; this module turns the ``figures`` config section
into a :class:`FigureStyle` and writes each figure to the files its rule declares (PNG, the vector
copies of ``figures.format`` and the CSV of exactly the numbers drawn), without timestamps, so equal
tables give equal files. Period labels follow ``time.freq``, passed by the rules, never guessed
from the spacing of the dates.

Example
-------
>>> style = FigureStyle(dpi=300, width=10.0, palette="tab10", language="en")
>>> style.label("prevalence")
'Prevalence'

How terms and periods are written (``pretty_term``, ``period_label``) is shared with the report:
see :mod:`scripts.text.display`.
"""


import logging
from dataclasses import dataclass
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.colors as mcolors  # noqa: E402
import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import matplotlib.ticker as mticker  # noqa: E402
import pandas as pd  # noqa: E402

from scripts.figures.text import LABELS  # noqa: E402
from scripts.logs import UserInputError  # noqa: E402
from scripts.text.display import MONTHS  # noqa: E402
from scripts.text.numbers import decimal_mark  # noqa: E402

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class FigureStyle:
    """Figure settings from the ``figures`` config section (built by :func:`style_from_config`).

    Which files are written (``figures.format``) is not part of the style: the rules declare them
    as outputs and pass them to :func:`save_figure`.

    Parameters
    ----------
    dpi : int
        PNG resolution.
    width : float
        Figure width in inches (heights follow the content).
    palette : str or tuple of str
        A matplotlib colormap name, or explicit colours.
    language : {"es", "en"}
        Language of labels, titles and month names.
    """

    dpi: int
    width: float
    palette: str | tuple
    language: str

    def label(self, key: str, **values) -> str:
        """Localised label ``key`` formatted with ``values``."""
        return LABELS[self.language][key].format(**values)

    def number(self, text: str) -> str:
        """A number already formatted (``f"{value:.2f}"``) with the decimal mark of the language.

        >>> FigureStyle(dpi=100, width=8.0, palette="tab10", language="es").number("0.25")
        '0,25'
        """
        return decimal_mark(text, self.language)

    def colors(self, n: int) -> list:
        """``n`` colours from the palette (cycled when the palette is shorter)."""
        if isinstance(self.palette, (tuple, list)):
            return [mcolors.to_rgba(self.palette[i % len(self.palette)]) for i in range(n)]
        cmap = plt.get_cmap(self.palette)
        if cmap.N >= 256:  # a continuous map: spread the colours over it
            return [cmap(0.1 + 0.8 * i / max(n - 1, 1)) for i in range(n)]
        return [cmap(i % cmap.N) for i in range(n)]


class LocalScalarFormatter(mticker.ScalarFormatter):
    """Matplotlib's default number ticks, written with the decimal mark of ``language``."""

    def __init__(self, language: str):
        super().__init__()
        self.language = language

    def __call__(self, value, pos=None):
        return decimal_mark(super().__call__(value, pos), self.language)

    def format_ticks(self, values):
        return [decimal_mark(label, self.language) for label in super().format_ticks(values)]

    def get_offset(self):
        return decimal_mark(super().get_offset(), self.language)


def localise_numbers(fig, style: "FigureStyle") -> None:
    """Give every default number axis of ``fig`` (colour bars too) the decimal mark of the language.

    Date and categorical axes keep their own formatters.
    """
    if style.language == "en":
        return
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            if type(axis.get_major_formatter()) is mticker.ScalarFormatter:
                axis.set_major_formatter(LocalScalarFormatter(style.language))


def style_from_config(figures: dict) -> FigureStyle:
    """Build a :class:`FigureStyle` from the (validated, filled-in) ``figures`` section, checking the palette.

    >>> from scripts.settings import section
    >>> style_from_config(section("figures", {"language": "en"})).language
    'en'
    """
    palette = figures["palette"]
    if isinstance(palette, (list, tuple)):
        bad = [color for color in palette if not mcolors.is_color_like(color)]
        if bad or not palette:
            raise UserInputError(f"figures.palette: {bad or palette} are not colours; use names like 'tab:blue' or '#1f77b4'")
        palette = tuple(palette)
    elif palette not in plt.colormaps():
        raise UserInputError(f"figures.palette: '{palette}' is not a matplotlib colormap; try tab10, Set2, Dark2 or viridis")
    return FigureStyle(dpi=int(figures["dpi"]), width=float(figures["width"]), palette=palette, language=figures["language"])


# fixed SVG element ids and embedded-font types, so the same figure gives the same bytes
DETERMINISTIC_RC = {"svg.hashsalt": "temas-en-la-prensa", "svg.fonttype": "path", "pdf.fonttype": 42}


def apply_rc() -> None:
    """Fonts with Spanish accents (DejaVu Sans ships with matplotlib), plain axes, fixed SVG ids."""
    plt.rcParams.update(
        {"font.family": "DejaVu Sans", "axes.spines.top": False, "axes.spines.right": False, **DETERMINISTIC_RC}
    )


class PeriodFormatter(mticker.Formatter):
    """Date ticks as a reader writes them: ``ene`` … ``dic``, the year under January and the first tick."""

    def __init__(self, language: str = "es"):
        self.months = MONTHS[language]

    def __call__(self, value, pos=None):
        return self.format_ticks([value])[0]

    def format_ticks(self, values):
        dates = [mdates.num2date(value) for value in values]
        if dates and all(d.month == 1 and d.day == 1 for d in dates):
            return [str(d.year) for d in dates]
        labels = []
        for i, d in enumerate(dates):
            label = self.months[d.month - 1] if d.day == 1 else f"{d.day} {self.months[d.month - 1]}"
            if i == 0 or d.year != dates[i - 1].year:
                label += f"\n{d.year}"
            labels.append(label)
        return labels


def date_axis(ax, style: FigureStyle) -> None:
    """Put readable date ticks on the x axis of ``ax``."""
    locator = mdates.AutoDateLocator(minticks=4, maxticks=9)
    locator.intervald[mdates.MONTHLY] = [1, 2, 3, 4, 6]
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(PeriodFormatter(style.language))


def round_table(table: pd.DataFrame) -> pd.DataFrame:
    """Floats rounded to 10 decimals (the project's convention for written tables)."""
    table = table.copy()
    for column in table.select_dtypes("float").columns:
        table[column] = table[column].round(10)
    return table


def save_figure(fig, drawn: pd.DataFrame, style: FigureStyle, png, csv, vectors=()) -> list[Path]:
    """Save ``fig`` as PNG and as each vector copy, and ``drawn`` (the numbers drawn) as CSV.

    Metadata that would embed a software version or a timestamp is removed, so the same tables
    give byte-identical files.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        Closed once saved.
    drawn : pandas.DataFrame
        The numbers drawn.
    style : FigureStyle
        Gives the PNG resolution.
    png, csv : str or pathlib.Path
        The declared PNG and CSV outputs of the rule.
    vectors : sequence of str or pathlib.Path
        The declared SVG/PDF outputs (``figures.format``); each file's format is its suffix.

    Returns
    -------
    list of pathlib.Path
        Every file written.
    """
    png_path = Path(png)
    png_path.parent.mkdir(parents=True, exist_ok=True)
    written = [png_path]
    metadata = {
        "svg": {"Date": None, "Creator": None},
        "pdf": {"CreationDate": None, "ModDate": None, "Creator": None, "Producer": None},
    }
    localise_numbers(fig, style)
    with plt.rc_context(DETERMINISTIC_RC):
        fig.savefig(png_path, dpi=style.dpi, bbox_inches="tight", metadata={"Software": None})
        for vector in vectors:
            path = Path(vector)
            path.parent.mkdir(parents=True, exist_ok=True)
            fig.savefig(path, bbox_inches="tight", metadata=metadata[path.suffix.lstrip(".")])
            written.append(path)
    plt.close(fig)
    csv_path = Path(csv)
    csv_path.parent.mkdir(parents=True, exist_ok=True)
    round_table(drawn).to_csv(csv_path, index=False)
    written.append(csv_path)
    logger.info("wrote %s", ", ".join(str(path) for path in written))
    return written


def hide_unused(axes, n_used: int) -> None:
    """Hide the panels after the first ``n_used`` and give x tick labels to the panels above them.

    With ``sharex=True`` only the bottom row has tick labels; a panel whose neighbour below is
    hidden would otherwise have none.
    """
    n_rows, n_cols = axes.shape
    for index, ax in enumerate(axes.flat):
        if index >= n_used:
            ax.set_visible(False)
        elif index + n_cols >= n_used:
            ax.xaxis.set_tick_params(labelbottom=True)


def figure_legend(fig, axes, n_cols: int = 4, bottom: float = 0.0) -> None:
    """One legend for the whole figure, gathering the distinct entries of every panel."""
    entries = {}
    for ax in axes.flat:
        for handle, label in zip(*ax.get_legend_handles_labels()):
            entries.setdefault(label, handle)
    if entries:
        fig.legend(list(entries.values()), list(entries), loc="lower center", bbox_to_anchor=(0.5, bottom),
                   ncol=min(n_cols, len(entries)), frameon=False, fontsize=8)
