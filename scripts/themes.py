"""Themes stage: tie seed-word themes to topics and measure their prevalence per period.

Linking (``theme_method: mapped``): a topic is linked to a theme when the theme's seed terms carry
far more of the topic's probability mass than they carry in a typical topic or in the corpus
(``lift``), and
at least ``min_relative`` of the best topic's mass; a theme may span several topics. A topic linked
to several themes is shared between them in proportion to their lifts. With ``seeded`` fits,
topic ``i`` belongs to the ``i``-th theme by construction.

A document's theme share is ``sum_k weight[theme, k] * doc_topic[d, k]``; a period's prevalence is
the mean share of its documents, with a percentile bootstrap interval over documents.

Example
-------
>>> period_start(pd.Series(pd.to_datetime(["2024-02-14"])), "month").iloc[0].isoformat()
'2024-02-01T00:00:00'
"""


import json
import logging

import numpy as np
import pandas as pd

logger = logging.getLogger(__name__)

PERIOD_CODES = {"week": "W-SUN", "month": "M", "quarter": "Q", "year": "Y"}


def period_start(dates: pd.Series, freq: str) -> pd.Series:
    """First day of each date's period (weeks start on Monday).

    Parameters
    ----------
    dates : pandas.Series of datetime64
    freq : {"week", "month", "quarter", "year"}

    Returns
    -------
    pandas.Series of datetime64
    """
    if freq not in PERIOD_CODES:
        raise ValueError(f"time.freq must be one of {', '.join(PERIOD_CODES)}, not {freq!r}")
    return pd.to_datetime(dates).dt.to_period(PERIOD_CODES[freq]).dt.start_time


def link_topics(
    topic_term: np.ndarray,
    term_ids: dict[str, list[int]],
    corpus_term_share: np.ndarray,
    min_lift: float = 3.0,
    min_relative: float = 0.25,
) -> pd.DataFrame:
    """Link each theme to the topics where its seed terms are well above chance.

    Parameters
    ----------
    topic_term : numpy.ndarray
        ``(K, V)`` topic-term distributions.
    term_ids : dict
        Theme → vocabulary ids of its seed terms.
    corpus_term_share : numpy.ndarray
        ``(V,)`` share of each term in the training corpus (the chance level).
    min_lift : float
        Minimum ratio of a topic's seed mass to the corpus seed share.
    min_relative : float
        Minimum seed mass relative to the theme's best topic.

    Returns
    -------
    pandas.DataFrame
        ``theme, topic, seed_mass, lift, weight`` for linked pairs (weights in 0…1).
    """
    rows = []
    for theme, ids in term_ids.items():
        if not ids:
            continue
        mass = topic_term[:, ids].sum(axis=1)
        # chance: what the seed terms weigh in a typical topic (the median), or in the corpus,
        # whichever is lower, so a theme that dominates the corpus can still be linked
        chance = max(min(float(np.median(mass)), float(corpus_term_share[ids].sum())), 1e-12)
        lift = mass / chance
        linked = np.flatnonzero((lift >= min_lift) & (mass >= min_relative * mass.max()))
        if linked.size == 0:
            linked = np.array([int(np.argmax(mass))])
        rows.extend((theme, int(t), float(mass[t]), float(lift[t])) for t in linked)
    links = pd.DataFrame(rows, columns=["theme", "topic", "seed_mass", "lift"])
    if links.empty:
        return links.assign(weight=pd.Series(dtype=float))
    links["weight"] = links["lift"] / links.groupby("topic")["lift"].transform("sum")
    return links.sort_values(["theme", "topic"]).reset_index(drop=True)


def seeded_links(themes: list[str]) -> pd.DataFrame:
    """Links for a seeded fit: topic ``i`` is the ``i``-th theme's own topic, weight 1."""
    return pd.DataFrame(
        {"theme": themes, "topic": range(len(themes)), "seed_mass": np.nan, "lift": np.nan, "weight": 1.0}
    )


def document_theme_shares(doc_topic: np.ndarray, links: pd.DataFrame, themes: list[str]) -> np.ndarray:
    """``(n_documents, n_themes)`` theme shares from topic proportions and link weights."""
    weights = np.zeros((doc_topic.shape[1], len(themes)))
    for row in links.itertuples():
        weights[row.topic, themes.index(row.theme)] += row.weight
    return doc_topic @ weights


def bootstrap_mean_ci(values: np.ndarray, n_boot: int, level: float, rng: np.random.Generator) -> tuple[float, float]:
    """Percentile bootstrap interval of the mean of ``values`` (NaN for an empty array)."""
    if values.size == 0:
        return float("nan"), float("nan")
    if values.size == 1:
        return float(values[0]), float(values[0])
    samples = rng.choice(values, size=(n_boot, values.size), replace=True).mean(axis=1)
    tail = (1.0 - level) / 2.0
    return float(np.quantile(samples, tail)), float(np.quantile(samples, 1.0 - tail))


def prevalence_table(
    dates: pd.Series, shares: np.ndarray, themes: list[str], freq: str, n_boot: int, level: float, seed: int,
    min_docs: int = 5,
) -> pd.DataFrame:
    """Mean theme share per period with bootstrap intervals.

    Parameters
    ----------
    dates : pandas.Series
        Document dates, aligned with ``shares``.
    shares : numpy.ndarray
        ``(n_documents, n_themes)`` theme shares.
    themes : list of str
        Theme names (columns of ``shares``).
    freq : str
        ``week``, ``month``, ``quarter`` or ``year``.
    n_boot : int
        Bootstrap resamples.
    level : float
        Interval level (e.g. 0.95).
    seed : int
        Bootstrap seed.
    min_docs : int
        Periods with fewer documents are flagged ``low_n``.

    Returns
    -------
    pandas.DataFrame
        ``period, theme, prevalence, ci_low, ci_high, n_docs, low_n``.
    """
    rng = np.random.default_rng(seed)
    periods = period_start(dates.reset_index(drop=True), freq)
    rows = []
    for period, index in periods.groupby(periods).groups.items():
        block = shares[np.asarray(index)]
        for j, theme in enumerate(themes):
            low, high = bootstrap_mean_ci(block[:, j], n_boot, level, rng)
            rows.append((period.date().isoformat(), theme, float(block[:, j].mean()), low, high, len(index)))
    table = pd.DataFrame(rows, columns=["period", "theme", "prevalence", "ci_low", "ci_high", "n_docs"])
    table["low_n"] = table["n_docs"] < min_docs
    for column in ("prevalence", "ci_low", "ci_high"):
        table[column] = table[column].round(10)
    return table.sort_values(["theme", "period"]).reset_index(drop=True)


def main(smk) -> None:
    """Snakemake entry point."""
    from gensim.corpora import Dictionary
    from gensim.models import LdaModel

    selection = json.loads(open(smk.input.selection, encoding="utf-8").read())
    model_dir = f"results/models/k{selection['k']}/seed{selection['seed']}"
    themes = list(smk.params.themes)
    dictionary = Dictionary.load(smk.input.dictionary)
    model = LdaModel.load(f"{model_dir}/lda.gensim")
    doc_topics = pd.read_parquet(f"{model_dir}/doc_topics.parquet")
    tokens = pd.read_parquet(smk.input.tokens, columns=["doc_id", "date"])
    if smk.params.theme_method == "seeded":
        links = seeded_links(themes)
    else:
        seed_words = pd.read_csv(smk.input.seed_words)
        seed_words = seed_words[seed_words["in_vocabulary"]]
        term_ids = {
            theme: sorted({dictionary.token2id[t] for t in seed_words.loc[seed_words["theme"] == theme, "term"]})
            for theme in themes
        }
        cfs = np.array([dictionary.cfs.get(i, 0) for i in range(len(dictionary))], dtype=float)
        links = link_topics(model.get_topics(), term_ids, cfs / cfs.sum(), **smk.params.linking)
    missing = sorted(set(themes) - set(links["theme"]))
    for theme in missing:
        logger.warning("theme %s has no seed word in the vocabulary; it is reported as missing", theme)
    links.round(10).to_csv(smk.output.theme_topics, index=False)
    doc_topic = doc_topics[[c for c in doc_topics.columns if c.startswith("topic_")]].to_numpy()
    shares = document_theme_shares(doc_topic, links, themes)
    doc_themes = pd.DataFrame(np.round(shares, 10), columns=themes)
    doc_themes.insert(0, "date", tokens["date"].to_numpy())
    doc_themes.insert(0, "doc_id", doc_topics["doc_id"].to_numpy())
    doc_themes.to_parquet(smk.output.doc_themes, index=False)
    time = smk.params.time
    prevalence = prevalence_table(
        doc_themes["date"], shares, themes, time["freq"], time["n_boot"], time["ci_level"], time["seed"],
        time["min_docs"],
    )
    prevalence = prevalence[~prevalence["theme"].isin(missing)]
    prevalence.to_csv(smk.output.prevalence, index=False)


if __name__ == "__main__" and "snakemake" in globals():
    from stage_logging import run_stage

    run_stage(main, globals()["snakemake"])
