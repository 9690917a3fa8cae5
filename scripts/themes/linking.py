"""Tie seed-word themes to the topics of a fitted model.

The evidence is each topic's **seed density** ``m[k] = sum of topic k's probabilities of the
theme's seed terms``: the chance that a word drawn from topic ``k`` is one of the theme's seed
words. If seed words occur at a roughly fixed rate ``q`` within text about a theme, a topic that
is a fraction ``f`` about the theme has ``m ≈ f q``. So, per theme:

1. the **reference** is the theme's densest topic, ``m* = max m`` (taken as wholly about it);
2. ``relative[k] = m[k] / m*`` estimates the fraction of topic ``k`` that is about the theme;
3. the **chance level** is the seed density of the rest of the model: the size-weighted mean
   density of the topics whose ``relative`` is below ``min_relative`` (the corpus-wide seed share
   when every topic is a candidate); ``lift[k] = m[k] / chance``;
4. topic ``k`` is linked when ``relative[k] >= min_relative`` **and** ``lift[k] >= min_lift``:
   a theme that a larger K splits into several topics keeps all of them (each half has about the
   same density), a topic merely sprinkled with a seed word does not get in;
5. ``weight[k] = relative[k]`` (capped at 1) is the fraction of topic ``k`` given to the theme;
   when the weights of several themes on one topic add up to more than 1 they are scaled down
   to sum to 1 (a shared topic is split, never counted twice).

If no topic passes the lift test the densest topic is still linked (and ``passed`` is False) so a
theme is never silently lost; the log says so.

Seeded fits (``theme_method: seeded``, ``guided``) give topic ``i`` to the ``i``-th theme; the link
passes only when its seed density is ``min_lift`` times the chance level (the density of the other
themes' and the unlinked free topics), with weight 1, else its weight falls linearly to 0 at
chance and ``passed`` is False (the prior did not make the topic the theme's); any free topic that the rule above would also link (relative to the own topic) is
added, so a theme spilling into a free topic is not lost either.

A document's theme share is ``doc_topic @ weights``.

Example
-------
>>> topic_term = np.array([[0.5, 0.1, 0.4], [0.05, 0.9, 0.05]])
>>> link_topics(topic_term, {"a": [0]}, np.array([0.5, 0.5]))[["theme", "topic", "weight"]]
  theme  topic  weight
0     a      0     1.0
"""


import logging

import numpy as np
import pandas as pd

logger = logging.getLogger(__name__)

LINK_COLUMNS = ["theme", "topic", "seed_mass", "lift", "weight", "relative", "topic_share", "passed"]


def seed_term_ids(seed_words: pd.DataFrame, token2id: dict, themes: list) -> dict:
    """Vocabulary ids of each theme's seed terms.

    Parameters
    ----------
    seed_words : pandas.DataFrame
        ``seed_words.csv`` of the preprocess stage (``theme, seed_word, term, in_vocabulary``).
    token2id : dict
        Term → id of the dictionary.
    themes : list of str
        Theme names, in config order.

    Returns
    -------
    dict
        Theme → sorted list of ids (empty when no seed word is in the vocabulary).

    Example
    -------
    >>> table = pd.DataFrame({"theme": ["a", "a"], "term": ["x", "y"], "in_vocabulary": [True, False]})
    >>> seed_term_ids(table, {"x": 3}, ["a", "b"])
    {'a': [3], 'b': []}
    """
    usable = seed_words[seed_words["in_vocabulary"].astype(bool)]
    ids = {}
    for theme in themes:
        terms = usable.loc[usable["theme"] == theme, "term"]
        ids[theme] = sorted({int(token2id[t]) for t in terms if t in token2id})
    return ids


def _theme_evidence(mass: np.ndarray, topic_share: np.ndarray, min_relative: float, corpus_share: float):
    """Relative density and lift over chance of every topic for one theme."""
    reference = float(mass.max())
    relative = mass / reference if reference > 0 else np.zeros_like(mass)
    rest = relative < min_relative
    if rest.any() and topic_share[rest].sum() > 0:
        chance = float(np.average(mass[rest], weights=topic_share[rest]))
    else:
        chance = corpus_share
    lift = mass / max(chance, 1e-12)
    return relative, lift


def _finish(rows: list) -> pd.DataFrame:
    """Links table with shared topics' weights scaled to sum to at most 1."""
    links = pd.DataFrame(rows, columns=LINK_COLUMNS)
    if links.empty:
        return links
    total = links.groupby("topic")["weight"].transform("sum")
    links["weight"] = links["weight"] / np.maximum(total, 1.0)
    return links.sort_values(["theme", "topic"]).reset_index(drop=True)


def link_topics(
    topic_term: np.ndarray,
    term_ids: dict,
    topic_share: np.ndarray,
    min_lift: float = 3.0,
    min_relative: float = 0.25,
) -> pd.DataFrame:
    """Link each theme to every topic where its seed density is well above chance (mapped method).

    Parameters
    ----------
    topic_term : numpy.ndarray
        ``(K, V)`` topic-term distributions (rows sum to 1).
    term_ids : dict
        Theme → vocabulary ids of its seed terms (see :func:`seed_term_ids`).
    topic_share : numpy.ndarray
        ``(K,)`` share of the corpus's tokens in each topic (weights of the chance level).
    min_lift : float
        Minimum ratio of a topic's seed density to the chance level.
    min_relative : float
        Minimum seed density relative to the theme's densest topic.

    Returns
    -------
    pandas.DataFrame
        One row per link: ``theme, topic, seed_mass, lift, weight, relative, topic_share, passed``.
        Themes without any seed term in the vocabulary get no row.
    """
    topic_share = np.asarray(topic_share, dtype=float)
    topic_share = topic_share / topic_share.sum()
    rows = []
    for theme, ids in term_ids.items():
        if not ids:
            continue
        mass = topic_term[:, ids].sum(axis=1)
        corpus_share = float(topic_share @ mass)
        relative, lift = _theme_evidence(mass, topic_share, min_relative, corpus_share)
        linked = np.flatnonzero((relative >= min_relative) & (lift >= min_lift))
        passed = linked.size > 0
        if not passed:
            linked = np.array([int(np.argmax(mass))])
            logger.warning(
                "theme %s: no topic has seed density %.1f× chance (best lift %.2f); linked to its densest "
                "topic %d anyway",
                theme, min_lift, float(lift.max()), int(linked[0]),
            )
        for topic in linked:
            rows.append(
                (theme, int(topic), float(mass[topic]), float(lift[topic]), float(min(relative[topic], 1.0)),
                 float(relative[topic]), float(topic_share[topic]), bool(passed))
            )
    links = _finish(rows)
    blended = links[links["relative"] >= 0.5].groupby("topic")["theme"].agg(list)
    for topic, names in blended[blended.map(len) > 1].items():
        logger.warning(
            "themes %s share topic %d (each at least half as dense as in its densest topic): it is split "
            "between them per document by their seed words, their curves partly blend at this K; a larger K or "
            "theme_method: guided may separate them",
            ", ".join(names), topic,
        )
    return links


def seeded_links(
    topic_term: np.ndarray,
    term_ids: dict,
    topic_share: np.ndarray,
    min_lift: float = 3.0,
    min_relative: float = 0.25,
) -> pd.DataFrame:
    """Links of a seeded fit: topic ``i`` is the ``i``-th theme's own, plus free topics that qualify.

    Parameters are those of :func:`link_topics`; the theme order of ``term_ids`` is the order of
    the seeded topics. A free topic (index ``>= len(term_ids)``) joins a theme when its seed density
    relative to the theme's own topic and its lift pass the thresholds of the mapped rule.

    Returns
    -------
    pandas.DataFrame
        Columns as :func:`link_topics`; the own topic has weight 1 when its lift passes.

    Example
    -------
    >>> topic_term = np.array([[0.5, 0.5, 0.0], [0.0, 0.5, 0.5], [0.0, 0.0, 1.0]])
    >>> seeded_links(topic_term, {"a": [0], "b": [2]}, np.ones(3))[["theme", "topic", "weight"]]
      theme  topic  weight
    0     a      0     1.0
    1     b      1     1.0
    2     b      2     1.0
    """
    n_themes = len(term_ids)
    topic_share = np.asarray(topic_share, dtype=float)
    topic_share = topic_share / topic_share.sum()
    rows = []
    for own, (theme, ids) in enumerate(term_ids.items()):
        if not ids:  # no seed word in the vocabulary: its reserved topic is not the theme
            continue
        mass = topic_term[:, ids].sum(axis=1)
        reference = float(mass[own])
        relative = mass / reference if reference > 0 else np.zeros_like(mass)
        rest = relative < min_relative
        rest[:n_themes] = True
        rest[own] = False
        chance = float(np.average(mass[rest], weights=topic_share[rest])) if topic_share[rest].sum() > 0 else 0.0
        lift = mass / max(chance, 1e-12)
        passed = bool(lift[own] >= min_lift)
        weight = 1.0 if passed else float(np.clip((lift[own] - 1.0) / max(min_lift - 1.0, 1e-12), 0.0, 1.0))
        if not passed:
            logger.warning(
                "theme %s: its seeded topic %d has seed density only %.2f× chance (< %.1f): the prior did "
                "not give the theme a topic; link weight %.2f, the theme is unreliable", theme, own,
                float(lift[own]), min_lift, weight,
            )
        rows.append((theme, own, float(mass[own]), float(lift[own]), weight, 1.0, float(topic_share[own]), passed))
        free = np.arange(n_themes, topic_term.shape[0])
        for topic in free[(relative[free] >= min_relative) & (lift[free] >= min_lift)]:
            rows.append(
                (theme, int(topic), float(mass[topic]), float(lift[topic]), float(min(relative[topic], 1.0)),
                 float(relative[topic]), float(topic_share[topic]), True)
            )
    return _finish(rows)


def theme_weights(links: pd.DataFrame, themes: list, n_topics: int) -> np.ndarray:
    """``(K, n_themes)`` matrix of link weights (zero where a topic is not linked).

    Example
    -------
    >>> links = pd.DataFrame({"theme": ["a", "b"], "topic": [1, 1], "weight": [0.5, 0.5]})
    >>> theme_weights(links, ["a", "b"], 2).tolist()
    [[0.0, 0.0], [0.5, 0.5]]
    """
    weights = np.zeros((n_topics, len(themes)))
    for row in links.itertuples():
        weights[int(row.topic), themes.index(row.theme)] += float(row.weight)
    return weights


def link_diagnostics(links: pd.DataFrame, themes: list, term_ids: dict, seed_words: pd.DataFrame,
                     fraction: np.ndarray | None = None) -> pd.DataFrame:
    """The links table with per-theme diagnostics for ``theme_topics.csv`` and the report.

    Added columns: ``fraction`` (the topic's fraction about the theme used as the prior of the
    per-document split, :func:`scripts.themes.shares.theme_profile`), ``shared_with`` (other themes linked
    to the same topic, ``;``-separated), ``reliable`` (the theme has at least one passed link),
    ``seeds_missing`` (its seed words that are not in the vocabulary, ``;``-separated).
    Themes without any seed term in the vocabulary have no row (they are named in the log and in
    ``seed_words.csv``).

    Example
    -------
    >>> links = pd.DataFrame({"theme": ["a", "b"], "topic": [0, 0], "seed_mass": [0.1, 0.1], "lift": [5.0, 2.0],
    ...                       "weight": [0.5, 0.5], "relative": [1.0, 1.0], "topic_share": [1.0, 1.0],
    ...                       "passed": [True, False]})
    >>> words = pd.DataFrame({"theme": ["a", "b"], "seed_word": ["x", "y"], "in_vocabulary": [True, False]})
    >>> link_diagnostics(links, ["a", "b"], {"a": [0], "b": [1]}, words)[
    ...     ["theme", "shared_with", "reliable", "seeds_missing"]].values.tolist()
    [['a', 'b', True, ''], ['b', 'a', False, 'y']]
    """
    table = links.copy()
    if fraction is not None and len(table):
        table["fraction"] = [float(fraction[int(r.topic), themes.index(r.theme)]) for r in table.itertuples()]
    elif fraction is not None:
        table["fraction"] = pd.Series(dtype=float)
    members = table.groupby("topic")["theme"].agg(list) if len(table) else pd.Series(dtype=object)
    table["shared_with"] = [";".join(t for t in members[r.topic] if t != r.theme) for r in table.itertuples()]
    reliable = table.groupby("theme")["passed"].any() if len(table) else pd.Series(dtype=bool)
    table["reliable"] = table["theme"].map(reliable).fillna(False).astype(bool)
    absent = seed_words[~seed_words["in_vocabulary"].astype(bool)]
    missing = {theme: ";".join(absent.loc[absent["theme"] == theme, "seed_word"].astype(str)) for theme in themes}
    table["seeds_missing"] = table["theme"].map(missing).fillna("")
    order = {theme: i for i, theme in enumerate(themes)}
    table = table.sort_values(["theme", "topic"], key=lambda c: c.map(order) if c.name == "theme" else c)
    return table.reset_index(drop=True)


def unreliable_themes(theme_topics: pd.DataFrame) -> set:
    """Themes of ``theme_topics.csv`` none of whose links passed (``reliable`` false on every row).

    The figures draw them apart and the report marks them (a theme with no row at all has no
    vocabulary and no curve).

    Example
    -------
    >>> links = pd.DataFrame({"theme": ["a", "a", "b"], "reliable": [True, True, False]})
    >>> unreliable_themes(links)
    {'b'}
    """
    if theme_topics is None or not len(theme_topics) or "reliable" not in theme_topics:
        return set()
    reliable = theme_topics["reliable"].astype(str).str.lower().eq("true").groupby(theme_topics["theme"]).any()
    return set(reliable.index[~reliable])
