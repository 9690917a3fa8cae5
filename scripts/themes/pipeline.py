"""Themes stage: tie seed-word themes to topics, then track them over time.

For every seed model of the chosen K the themes are linked to topics (:mod:`linking`: by seed
density over chance, or by construction for fits with the keyword prior, ``seeded``/``guided``),
and each document's theme share is its topics split per document by its own seed words
(:mod:`scripts.themes.shares`).
From the chosen model's shares and the other seeds' (model uncertainty) come:

* ``prevalence.csv`` (and ``prevalence_by_<column>.csv`` for ``time.by``): mean share per period
  with a two-level bootstrap interval (:mod:`prevalence`; parent documents are resampled when
  the corpus is segmented, ``parent_id`` of documents.parquet);
* ``change_points.csv``: breaks in each theme's series (:mod:`changepoints`);
* ``drift.csv``: the terms that carry each theme in each period (:mod:`drift`);
* ``topic_prevalence.csv``, ``doc_themes.parquet`` (and every seed model's shares in
  ``doc_themes_by_seed.parquet``, for :mod:`effects`), ``theme_topics.csv`` and, when
  ``time.events`` is set, a validated copy of the events in ``events.csv``.

Example
-------
>>> grid = [{"k": 4, "seed": 1}, {"k": 6, "seed": 2}, {"k": 6, "seed": 1}]
>>> seed_models(grid, 6)
{1: {'k': 6, 'seed': 1}, 2: {'k': 6, 'seed': 2}}
"""


import json
import logging
from pathlib import Path

import numpy as np
import pandas as pd

from scripts.themes.changepoints import change_point_table
from scripts.themes.drift import count_matrix, drift_table, theme_term_counts
from scripts.themes.linking import link_diagnostics, link_topics, seed_term_ids, seeded_links
from scripts.themes.shares import expanded_lexicon, guided_shares, theme_profile
from scripts.themes.prevalence import period_start, prevalence_table, topic_prevalence_table
from scripts.model.settings import uses_seeded_prior
from scripts.themes.settings import LinkingSettings, TimeSettings
from scripts.logs import UserInputError

logger = logging.getLogger(__name__)


def seed_models(models: list, k: int) -> dict:
    """Seed → model entry for the models of one K, by seed.

    Parameters
    ----------
    models : list of dict
        The grid as the rule passes it (``params.models``): ``k``, ``seed`` and file paths.
    k : int
        The chosen number of topics.
    """
    return {entry["seed"]: entry for entry in sorted(models, key=lambda entry: entry["seed"]) if entry["k"] == k}


def read_events(path: str) -> pd.DataFrame:
    """Read and check the ``time.events`` CSV (``date, label``); return it sorted with ISO dates.

    Example
    -------
    >>> import tempfile, os
    >>> with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as f:
    ...     _ = f.write("date,label\\n2025-02-03,Pausa de aranceles\\n")
    >>> read_events(f.name).values.tolist()
    [['2025-02-03', 'Pausa de aranceles']]
    >>> os.unlink(f.name)
    """
    if not Path(path).is_file():
        raise UserInputError(f"time.events: {path} does not exist (a CSV with columns date,label)")
    try:
        events = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, UnicodeDecodeError) as error:
        raise UserInputError(f"time.events: {path} is not a readable CSV ({error})") from None
    missing = {"date", "label"} - set(events.columns)
    if missing:
        raise UserInputError(f"time.events: {path} lacks column(s) {', '.join(sorted(missing))}; expected date,label")
    dates = pd.to_datetime(events["date"].str.strip(), format="%Y-%m-%d", errors="coerce")
    bad = events.index[dates.isna()]
    if len(bad):
        row = int(bad[0])
        raise UserInputError(
            f"time.events: {path} row {row + 2}: date {events['date'].iloc[row]!r} is not YYYY-MM-DD"
        )
    table = pd.DataFrame({"date": dates.dt.date.astype(str), "label": events["label"].str.strip()})
    return table.sort_values(["date", "label"]).reset_index(drop=True)


def read_documents(path, doc_ids, columns: list) -> pd.DataFrame | None:
    """``parent_id`` and ``columns`` of documents.parquet, rows in the order of ``doc_ids``.

    Only those columns are read (not the texts). Columns the file lacks are absent from the
    result (the caller checks ``time.by``); the file's other columns are in ``attrs["available"]``.
    ``None`` when there is no such input.
    """
    if not path or not Path(str(path)).exists():
        return None
    import pyarrow.parquet as pq

    available = list(pq.read_schema(str(path)).names)
    if "doc_id" not in available:
        return None
    wanted = ["doc_id", *[c for c in dict.fromkeys(["parent_id", *columns]) if c in available and c != "doc_id"]]
    documents = pd.read_parquet(path, columns=wanted).set_index("doc_id").reindex(pd.Index(doc_ids))
    documents.attrs["available"] = available
    return documents


def parent_clusters(documents: pd.DataFrame | None) -> pd.Series | None:
    """``parent_id`` of each document when some parent has several segments, else ``None``.

    Example
    -------
    >>> parent_clusters(pd.DataFrame({"parent_id": ["a", "a", "b"]})).tolist()
    ['a', 'a', 'b']
    >>> parent_clusters(pd.DataFrame({"parent_id": ["a", "b"]})) is None
    True
    """
    if documents is None or "parent_id" not in documents.columns:
        return None
    parents = documents["parent_id"].astype(object)
    parents = parents.where(parents.notna(), pd.Series(documents.index, index=documents.index).astype(str))
    parents = parents.astype(str).reset_index(drop=True)
    return parents if parents.duplicated().any() else None


def load_model_shares(model_path: str, doc_topics_path: str, method: str, term_ids: dict, themes: list,
                      doc_weight: np.ndarray, linking: LinkingSettings, keep: np.ndarray, counts, lexicon: np.ndarray):
    """One model's theme links, document shares and topic proportions (documents in ``keep``).

    Links (which topics carry each theme; diagnostics) come from :mod:`linking` (``seeded_links``
    for a fit with the keyword prior, else ``link_topics``); shares from the per-document split of
    :func:`scripts.themes.shares.guided_shares` (every method) with the corpus's ``lexicon``
    (:func:`scripts.themes.shares.expanded_lexicon`, computed once for all seed models); the links'
    ``fraction`` column is the prior of the split.
    """
    from gensim.models import LdaModel

    topic_term = LdaModel.load(model_path).get_topics()
    doc_topics = pd.read_parquet(doc_topics_path)
    doc_topic = doc_topics[[c for c in doc_topics.columns if c.startswith("topic_")]].to_numpy()[keep]
    topic_share = doc_weight @ doc_topic
    seeded = uses_seeded_prior(method, doc_topic.shape[1], len(themes))
    link = seeded_links if seeded else link_topics
    min_lift, min_relative = linking.min_lift, linking.min_relative
    links = link(topic_term, term_ids, topic_share, min_lift, min_relative)
    profile = theme_profile(topic_term, term_ids, themes, topic_share, min_relative, lexicon)
    shares = guided_shares(counts, doc_topic, topic_term, term_ids, themes, topic_share, min_relative, weights=lexicon)
    return links, shares, doc_topic, topic_term, doc_topics["doc_id"].to_numpy()[keep], profile["fraction"]


def run_track_themes(smk) -> None:
    """Snakemake entry point."""
    from gensim.corpora import Dictionary

    logging.getLogger("gensim").setLevel(logging.WARNING)
    selection = json.loads(Path(smk.input.selection).read_text(encoding="utf-8"))
    k, chosen_seed = int(selection["k"]), int(selection["seed"])
    themes, method = list(smk.params.themes), smk.params.theme_method
    time, linking = TimeSettings.from_config(smk.params.time), LinkingSettings(**smk.params.linking)
    dictionary = Dictionary.load(smk.input.dictionary)
    seed_words = pd.read_csv(smk.input.seed_words)
    term_ids = seed_term_ids(seed_words, dictionary.token2id, themes)
    missing = [theme for theme in themes if not term_ids[theme]]
    for theme in missing:
        logger.warning("theme %s has no seed word in the vocabulary; it is left out of the tables", theme)

    tokens = pd.read_parquet(smk.input.tokens, columns=["doc_id", "date", "tokens"])
    n_tokens = tokens["tokens"].map(len).to_numpy()
    keep = n_tokens > 0
    logger.info("%d documents, %d without tokens left out of the theme tables", keep.size, int((~keep).sum()))
    doc_weight = n_tokens[keep] / n_tokens[keep].sum()
    counts = count_matrix(tokens["tokens"].to_numpy()[keep], dictionary.token2id)
    lexicon = expanded_lexicon(counts, term_ids, themes)  # the corpus's, the same for every seed model
    models = seed_models(smk.params.models, k)
    seeds = list(models)

    shares_by_seed, chosen = [], seeds.index(chosen_seed)
    for seed in seeds:
        links, shares, doc_topic, topic_term, doc_ids, fraction = load_model_shares(
            models[seed]["model"], models[seed]["doc_topics"], method, term_ids, themes, doc_weight, linking, keep,
            counts, lexicon,
        )
        if not np.array_equal(doc_ids, tokens["doc_id"].to_numpy()[keep]):
            raise UserInputError(f"{models[seed]['doc_topics']}: documents differ from tokens.parquet; rerun the fits")
        logger.info("K=%d seed %d: %d theme-topic links", k, seed, len(links))
        shares_by_seed.append(shares)
        if seed == chosen_seed:
            chosen_links, chosen_shares, chosen_doc_topic, chosen_topic_term = links, shares, doc_topic, topic_term
            chosen_fraction = fraction

    tracked = [theme for theme in themes if theme not in missing]
    columns = [themes.index(theme) for theme in tracked]
    shares_by_seed = [shares[:, columns] for shares in shares_by_seed]
    table = link_diagnostics(chosen_links, themes, term_ids, seed_words, chosen_fraction)
    for theme in table.loc[~table["reliable"], "theme"].unique():
        logger.warning("theme %s: no topic passed the link test at K=%d; its curve is unreliable", theme, k)
    table.round(10).to_csv(smk.output.theme_topics, index=False)
    dates = pd.to_datetime(tokens["date"]).to_numpy()[keep]
    doc_themes = pd.DataFrame(np.round(chosen_shares[:, columns], 10), columns=tracked)
    doc_themes.insert(0, "date", dates)
    doc_themes.insert(0, "doc_id", tokens["doc_id"].to_numpy()[keep])
    metadata = [column for column in smk.params.metadata if column not in doc_themes.columns]
    if metadata:  # title, source and the kept columns, appended for notebooks
        carried = pd.read_parquet(smk.input.documents, columns=["doc_id", *metadata]).drop_duplicates("doc_id")
        doc_themes = doc_themes.merge(carried, on="doc_id", how="left", validate="one_to_one")
    doc_themes.to_parquet(smk.output.doc_themes, index=False)
    by_seed = [doc_themes.assign(**dict(zip(tracked, np.round(shares, 10).T))).assign(seed=seed)
               for seed, shares in zip(seeds, shares_by_seed)]  # every seed model's shares, for estimate_effects
    # shares only: the metadata columns stay in doc_themes.parquet (one copy, not one per seed)
    by_seed_columns = ["seed", "doc_id", "date", *tracked]
    pd.concat(by_seed, ignore_index=True)[by_seed_columns].to_parquet(smk.output.doc_themes_by_seed, index=False)

    periods = period_start(pd.Series(dates), time.freq)
    by = time.group_columns
    documents = read_documents(smk.input.get("documents"), doc_themes["doc_id"], by)
    clusters = parent_clusters(documents)
    if clusters is not None:
        logger.info("segmented corpus: the bootstrap resamples %d parent documents", clusters.nunique())
    boot = dict(n_boot=time.n_boot, level=time.ci_level, seed=time.seed, min_docs=time.min_docs,
                clusters=clusters, method=time.interval)
    prevalence = prevalence_table(periods, shares_by_seed, chosen, tracked, **boot)
    prevalence.to_csv(smk.output.prevalence, index=False)
    topic_prevalence_table(periods, chosen_doc_topic).to_csv(smk.output.topic_prevalence, index=False)

    if by:
        if documents is None:
            raise UserInputError("time.by needs results/ingest/documents.parquet with a doc_id column")
        unknown = [column for column in by if column not in documents.columns]
        if unknown:
            raise UserInputError(
                f"time.by: column(s) {', '.join(unknown)} not in documents.parquet; available: "
                f"{', '.join(c for c in documents.attrs['available'] if c not in ('text', 'title'))}"
            )
        for column, path in zip(by, smk.output.by_group):
            table = prevalence_table(periods, shares_by_seed, chosen, tracked, groups=documents[column], **boot)
            table.to_csv(path, index=False)

    points = time.change_points
    change_point_table(
        prevalence, points.penalty, points.min_size, points.method, points.penalty_factor, points.n_boot,
        points.familywise, seed=time.seed,
    ).to_csv(smk.output.change_points, index=False)

    labels = sorted(set(periods.dt.date.astype(str)))
    doc_period = np.searchsorted(labels, periods.dt.date.astype(str).to_numpy())
    weights = chosen_fraction[:, columns]
    carried = theme_term_counts(counts, chosen_doc_topic, chosen_topic_term, weights, doc_period, len(labels))
    id2term = {i: t for t, i in dictionary.token2id.items()}
    drift_table(carried, tracked, labels, id2term, time.drift_terms).to_csv(smk.output.drift, index=False)

    if time.events:
        read_events(smk.input.events).to_csv(smk.output.events, index=False)

