"""Generate the built-in demo corpus: dated Spanish news-like articles with planted themes.

Every sentence is assembled from this module's own templates and word lists (no copied text).
Each planted theme follows a known prevalence curve over time (a rise, a spike, a step, a
season, a flat line); the true curves are written beside the corpus so the pipeline's recovered
prevalence can be checked against them.

The corpus is written in the scraped-news ``.txt`` format the ingest stage reads: one file per
article whose first line is `` date YYYY-MM-DD <title>`` followed by the body.

Example
-------
>>> from scripts.demo.generate import theme_curves
>>> curves = theme_curves(24)
>>> round(float(curves.sum(axis=1)[0]), 6)
1.0
"""


import argparse
import logging
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ThemeLexicon:
    """Words and sentence frames from which a theme's sentences are built."""

    subjects: tuple[str, ...]
    verbs: tuple[str, ...]
    objects: tuple[str, ...]
    complements: tuple[str, ...]
    titles: tuple[str, ...]


THEMES: dict[str, ThemeLexicon] = {
    "seguridad_cooperacion": ThemeLexicon(
        subjects=(
            "Las agencias de seguridad de ambos países",
            "El gabinete de seguridad",
            "Los mandos militares",
            "La Guardia Nacional",
            "Los agentes federales",
            "El grupo bilateral de cooperación",
        ),
        verbs=(
            "coordinaron", "reforzaron", "acordaron", "intercambiaron", "ampliaron",
            "coordinan", "refuerzan", "planean",
        ),
        objects=(
            "operativos conjuntos en la frontera",
            "la cooperación en seguridad",
            "un nuevo acuerdo de cooperación bilateral",
            "información de inteligencia sobre cárteles",
            "el operativo contra el tráfico de armas",
            "patrullajes coordinados",
            "la capacitación de policías",
        ),
        complements=(
            "para desarticular redes criminales",
            "tras la reunión del grupo de alto nivel",
            "como parte de la estrategia conjunta de seguridad",
            "con apoyo de inteligencia militar",
            "en los estados fronterizos",
        ),
        titles=(
            "Refuerzan cooperación en seguridad",
            "Acuerdan operativos conjuntos en la frontera",
            "Amplían intercambio de inteligencia",
        ),
    ),
    "fentanilo": ThemeLexicon(
        subjects=(
            "Las autoridades sanitarias",
            "Los laboratorios clandestinos",
            "Los médicos de urgencias",
            "La fiscalía antidrogas",
            "Los especialistas en adicciones",
        ),
        verbs=(
            "decomisaron", "alertaron sobre", "detectaron", "aseguraron", "reportaron",
            "decomisan", "detectan",
        ),
        objects=(
            "cargamentos de fentanilo",
            "pastillas de fentanilo",
            "precursores químicos del opioide",
            "nuevas muertes por sobredosis",
            "opioides sintéticos",
            "el consumo de fentanilo",
        ),
        complements=(
            "en laboratorios clandestinos",
            "por la crisis de opioides",
            "ante el aumento de sobredosis",
            "con precursores químicos importados",
            "en centros de tratamiento de adicciones",
        ),
        titles=(
            "Aseguran cargamento de fentanilo",
            "Alertan por sobredosis de opioides",
            "Desmantelan laboratorio de fentanilo",
        ),
    ),
    "soberania": ThemeLexicon(
        subjects=(
            "La cancillería",
            "Los legisladores",
            "El Senado",
            "La presidencia",
            "Los diplomáticos mexicanos",
        ),
        verbs=(
            "defendieron", "rechazaron", "reivindicaron", "condenaron", "defienden",
            "rechazan",
        ),
        objects=(
            "la soberanía nacional",
            "cualquier intervención extranjera",
            "la injerencia en asuntos internos",
            "la autodeterminación del país",
            "el principio de no intervención",
        ),
        complements=(
            "frente a las presiones del gobierno estadounidense",
            "en una nota diplomática",
            "ante la propuesta de intervención militar",
            "con base en la constitución",
            "como un asunto de soberanía",
        ),
        titles=(
            "Defienden la soberanía nacional",
            "Rechazan injerencia extranjera",
            "Cancillería condena propuesta de intervención",
        ),
    ),
    "deportes": ThemeLexicon(
        subjects=(
            "El equipo local",
            "Los aficionados",
            "El entrenador",
            "La selección nacional",
            "El delantero",
        ),
        verbs=("ganaron", "celebraron", "disputaron", "perdieron", "golearon", "entrenan"),
        objects=(
            "el partido de futbol",
            "el campeonato del torneo",
            "la final de la liga",
            "un gol en el estadio",
            "el clásico regional",
        ),
        complements=(
            "ante miles de aficionados en el estadio",
            "en la jornada del torneo",
            "con dos goles del delantero",
            "tras un entrenamiento intenso",
        ),
        titles=(
            "Gana el equipo local el clásico",
            "La selección se prepara para la final",
            "Celebran aficionados el campeonato",
        ),
    ),
    "economia": ThemeLexicon(
        subjects=(
            "Los productores agrícolas",
            "Las empresas exportadoras",
            "El banco central",
            "Los comerciantes",
            "Los inversionistas",
        ),
        verbs=("registraron", "reportaron", "estimaron", "exportaron", "vendieron", "cosechan"),
        objects=(
            "la cosecha de frijol y maíz",
            "las ventas de temporada",
            "el precio de la cosecha",
            "las exportaciones agrícolas",
            "el crecimiento del comercio",
        ),
        complements=(
            "durante la temporada de cosecha",
            "en los mercados regionales",
            "con precios al alza",
            "por la demanda de temporada",
        ),
        titles=(
            "Crecen las ventas de temporada",
            "Productores reportan buena cosecha",
            "Suben las exportaciones agrícolas",
        ),
    ),
    "cultura": ThemeLexicon(
        subjects=(
            "El museo de la ciudad",
            "Los artistas locales",
            "La orquesta sinfónica",
            "El festival de cine",
            "Los escritores invitados",
        ),
        verbs=("presentaron", "inauguraron", "exhibieron", "ofrecieron", "presentan"),
        objects=(
            "una exposición de pintura",
            "un concierto de música clásica",
            "la feria del libro",
            "una obra de teatro",
            "el festival cultural",
        ),
        complements=(
            "ante un público numeroso",
            "en el centro histórico",
            "con entrada libre",
            "como parte de la temporada artística",
        ),
        titles=(
            "Inauguran exposición de pintura",
            "Concierto de la orquesta sinfónica",
            "Arranca la feria del libro",
        ),
    ),
}

#: Shape of each planted theme's prevalence curve (written to ``truth.csv``).
THEME_SHAPES: dict[str, str] = {
    "seguridad_cooperacion": "rise",
    "fentanilo": "spike",
    "soberania": "step",
    "economia": "seasonal",
    "deportes": "flat",
    "cultura": "flat",
}

#: Generic news sentences with no theme content: reporting verbs, function words, places.
BACKGROUND_SENTENCES: tuple[str, ...] = (
    "Así lo informó el vocero en conferencia de prensa.",
    "Según explicó la dependencia, los detalles se darán a conocer la próxima semana.",
    "El funcionario señaló que el tema se revisará en los próximos días.",
    "De acuerdo con el comunicado, la reunión se llevó a cabo este lunes.",
    "Por su parte, el representante afirmó que habrá más información el martes.",
    "La información fue confirmada por fuentes oficiales, dijo el reportero.",
    "En entrevista, el director indicó que se trata de un tema prioritario.",
    "Hasta el momento no se ha dado a conocer más información al respecto.",
)


def theme_curves(n_months: int, step_month: int | None = None) -> np.ndarray:
    """True expected theme shares per month (rows sum to 1).

    Parameters
    ----------
    n_months : int
        Number of months in the corpus.
    step_month : int, optional
        Month index at which the ``step`` theme jumps; defaults to 60% of the span.

    Returns
    -------
    numpy.ndarray
        Array of shape ``(n_months, len(THEMES))`` in the order of :data:`THEMES`.
    """
    t = np.arange(n_months, dtype=float)
    step_month = int(0.6 * n_months) if step_month is None else step_month
    raw = {
        "rise": 0.05 + 0.45 * t / max(n_months - 1, 1),
        "spike": 0.05 + 0.45 * np.exp(-0.5 * ((t - 0.35 * n_months) / 1.6) ** 2),
        "step": np.where(t >= step_month, 0.40, 0.06),
        "seasonal": 0.20 + 0.15 * np.sin(2 * np.pi * t / 12.0),
        "flat": np.full(n_months, 0.18),
    }
    weights = np.column_stack([raw[THEME_SHAPES[name]] for name in THEMES])
    return weights / weights.sum(axis=1, keepdims=True)


def _sentence(lexicon: ThemeLexicon, rng: np.random.Generator) -> str:
    parts = [
        rng.choice(lexicon.subjects),
        rng.choice(lexicon.verbs),
        rng.choice(lexicon.objects),
        rng.choice(lexicon.complements),
    ]
    return " ".join(parts) + "."


def generate_articles(
    n_articles: int = 900,
    start: str = "2023-01-01",
    n_months: int = 30,
    seed: int = 42,
    doc_concentration: float = 0.3,
    sentences_per_article: tuple[int, int] = (8, 14),
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Draw a dated corpus whose theme prevalence follows :func:`theme_curves`.

    Each article draws its theme proportions from a Dirichlet centred on the month's true
    shares, then each sentence picks a theme from those proportions; two generic reporting
    sentences are mixed in so that stopword removal has work to do.

    Parameters
    ----------
    n_articles : int
        Number of articles.
    start : str
        First day of the first month (ISO date).
    n_months : int
        Number of months covered.
    seed : int
        Seed of the random generator; the same seed gives the same corpus.
    doc_concentration : float
        Dirichlet concentration; small values give articles dominated by one theme.
    sentences_per_article : tuple of int
        Inclusive range of theme sentences per article.

    Returns
    -------
    articles : pandas.DataFrame
        Columns ``doc_id, date, title, text, main_theme``.
    truth : pandas.DataFrame
        Columns ``period, theme, shape, prevalence, expected``: ``prevalence`` is the mean
        theme share actually drawn for the month's articles (the corpus's true prevalence),
        ``expected`` the curve it was drawn around.
    """
    rng = np.random.default_rng(seed)
    theme_names = list(THEMES)
    curves = theme_curves(n_months)
    month_starts = pd.date_range(start, periods=n_months, freq="MS")
    month_of_article = np.sort(rng.integers(0, n_months, size=n_articles))
    rows = []
    drawn_shares = np.zeros((n_articles, len(theme_names)))
    for i, month in enumerate(month_of_article):
        proportions = rng.dirichlet(doc_concentration * len(theme_names) * curves[month])
        drawn_shares[i] = proportions
        n_sentences = int(rng.integers(sentences_per_article[0], sentences_per_article[1] + 1))
        sentence_themes = rng.choice(len(theme_names), size=n_sentences, p=proportions)
        sentences = [_sentence(THEMES[theme_names[j]], rng) for j in sentence_themes]
        for _ in range(2):
            position = int(rng.integers(0, len(sentences) + 1))
            sentences.insert(position, str(rng.choice(BACKGROUND_SENTENCES)))
        main_theme = theme_names[int(np.argmax(proportions))]
        day = int(rng.integers(0, month_starts[month].days_in_month))
        date = (month_starts[month] + pd.Timedelta(days=day)).date().isoformat()
        rows.append(
            {
                "doc_id": f"art{i:05d}",
                "date": date,
                "title": str(rng.choice(THEMES[main_theme].titles)),
                "text": " ".join(sentences),
                "main_theme": main_theme,
            }
        )
    articles = pd.DataFrame(rows)
    truth_rows = []
    for m, period in enumerate(month_starts):
        in_month = month_of_article == m
        for j, name in enumerate(theme_names):
            empirical = float(drawn_shares[in_month, j].mean()) if in_month.any() else float("nan")
            truth_rows.append(
                {
                    "period": period.date().isoformat(),
                    "theme": name,
                    "shape": THEME_SHAPES[name],
                    "prevalence": round(empirical, 6),
                    "expected": round(float(curves[m, j]), 6),
                }
            )
    return articles, pd.DataFrame(truth_rows)


def write_txt_folder(articles: pd.DataFrame, out_dir: Path) -> None:
    """Write one ``.txt`` file per article in the `` date YYYY-MM-DD <title>`` format.

    Parameters
    ----------
    articles : pandas.DataFrame
        Output of :func:`generate_articles`.
    out_dir : pathlib.Path
        Folder to create (existing files with the same names are overwritten).
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    for article in articles.itertuples(index=False):
        body = f" date {article.date} {article.title}\n{article.text}\n"
        (out_dir / f"{article.doc_id}.txt").write_text(body, encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point: ``python scripts/generate_corpus.py --out DIR``."""
    parser = argparse.ArgumentParser(description="Generate the built-in demo corpus of dated Spanish news-like articles.")
    parser.add_argument("--out", type=Path, required=True, help="folder for the .txt articles")
    parser.add_argument("--truth", type=Path, help="CSV of true curves (default: OUT/../<name>_truth.csv)")
    parser.add_argument("--n-articles", type=int, default=900)
    parser.add_argument("--months", type=int, default=30)
    parser.add_argument("--start", default="2023-01-01")
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args(argv)
    articles, truth = generate_articles(args.n_articles, args.start, args.months, args.seed)
    write_txt_folder(articles, args.out)
    truth_path = args.truth or args.out.parent / f"{args.out.name}_truth.csv"
    truth.to_csv(truth_path, index=False)
    logger.info("wrote %d articles to %s and true curves to %s", len(articles), args.out, truth_path)


def run_generate_demo_corpus(smk) -> None:
    """Snakemake entry point of ``generate_demo_corpus``."""
    main(
        [
            "--out", smk.output.corpus,
            "--truth", smk.output.truth,
            "--n-articles", str(smk.params.n_articles),
            "--months", str(smk.params.months),
            "--seed", str(smk.params.seed),
        ]
    )


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    main()
