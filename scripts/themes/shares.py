"""Document theme shares that use the topic model *and* each document's own seed words (``guided``).

The ``mapped`` rule gives a document ``doc_topic @ weights`` with one fixed weight per
topic-theme pair, so a topic shared by several themes (or a broad topic that only sometimes is
about a theme) is split the same way in every document. ``guided`` splits every topic of every
document by that document's evidence:

0. **Expanded lexicon** (keyword-assisted, as in keyATM; :func:`expanded_lexicon`): a theme's
   evidence is its seed words (weight 1) *and* the words the corpus ties to them: each word's
   lift in the documents holding the theme's seed words (shrunk towards 1), less its largest
   lift for another theme, so a word used with several themes' seed words about equally
   (``frontera``, general vocabulary) carries little. Seed words are rare (a short document about
   a theme often holds none), their companions are not; with fewer topics than themes this is
   what splits a topic that blends several themes. "Seed" below means these weighted words.
1. **Theme profile** (per theme ``t``, from the topic-word matrix): the seed density of each topic
   ``m[k] = sum of phi[k, seeds]``; the theme's seed rate in its own text ``q = max_k m[k]``
   (its densest topic taken as wholly about it); the background rate ``b`` (the size-weighted
   density of the topics below ``min_relative`` of ``q``, as in :mod:`linking`); and the fraction
   of topic ``k`` about the theme, ``a[k] = (m[k] - b) / (q - b)`` clipped to ``[0, 1]`` (seed
   density above the background, so a seed word common everywhere does not pull a topic in),
   capped by the topic's **seed votes**: the mean over seed words of ``phi[k, w] / max_j phi[j, w]``
   relative to the best topic's, so one frequent seed word that another theme uses as much
   (``frontera`` in migration and security) cannot make that theme's topic this theme's.
2. **Seed hits per topic**: each seed token of document ``d`` is given to the topics in
   proportion to ``theta[d, k] * phi[k, w]`` (LDA's own token posterior), so ``s[d, k, t]`` counts
   the seed hits of theme ``t`` that topic ``k`` explains in ``d``.
3. **Per-document split** (Gamma–Poisson): the topic's fraction ``a[k, t]`` is scaled by the
   document's seed rate in that topic over the topic's own average ``m[k, t]``, with a prior worth
   ``strength`` seed hits::

       g[d, k, t] = a[k, t] * (strength + s[d, k, t]) / (strength + m[k, t] * n[d, k])

   (``n[d, k] = n_tokens[d] * theta[d, k]``), clipped to 1 and scaled so the themes of one topic
   in one document sum to at most 1. A shared or blended topic thus goes to the theme whose
   seed words the document uses; a topic with no fraction of the theme never gets it, however
   many seed words it shares with another theme (``rule="additive"`` instead counts every seed
   hit above background wherever it falls: ``(strength * a + max(s - b n, 0)) / (strength + (q - b) n)``).
4. ``share[d, t] = sum_k theta[d, k] * tied[d, k] * g[d, k, t]``, where ``tied[d, k]``
   (:func:`tied_fraction`) is the weighted fraction of the document's tokens in topic ``k`` that
   belong to some theme's lexicon: general vocabulary that LDA folds into a theme's topic is
   about no theme (without it every document's shares sum to about 1 and levels are inflated).

A short document (little evidence) gets the topic model's split ``theta @ a``; in a long one the
document's own seed rate decides how much of each carrying topic is the theme's, so the share
uses the topic model where counting has nothing to go on (documents without seed words,
co-occurring vocabulary) and the document's own words where a topic is shared. Chosen by
measurement (bench/validate_themes.py, README "Validating themes"; the hard generated corpus of
tests/test_theme_recovery.py). ``expand=False`` in :func:`guided_shares` gives the rule before
the expanded lexicon (seed words only, step 0 and ``tied`` left out).

Example
-------
>>> from scipy import sparse
>>> phi = np.array([[0.5, 0.0, 0.5], [0.0, 0.5, 0.5]])        # topic 0 carries seed term 0
>>> theta = np.array([[1.0, 0.0], [0.0, 1.0]])
>>> counts = sparse.csr_matrix(np.array([[5, 0, 5], [0, 5, 5]]))
>>> shares = guided_shares(counts, theta, phi, {"a": [0]}, ["a"], np.array([0.5, 0.5]), 0.25)
>>> shares.round(2).tolist()
[[1.0], [0.0]]
"""

import numpy as np
from scipy import sparse

DEFAULT_STRENGTH = 1.0
DEFAULT_PRIOR = 5.0
RULES = ("ratio", "additive", "posterior")


def seed_hits(counts: sparse.csr_matrix, term_ids: dict, themes: list) -> np.ndarray:
    """``(n_documents, n_themes)`` seed-term counts of every document.

    Parameters
    ----------
    counts : scipy.sparse.csr_matrix
        Documents × vocabulary term counts.
    term_ids : dict
        Theme → vocabulary ids of its seed terms.
    themes : list of str
        Column order.

    Example
    -------
    >>> seed_hits(sparse.csr_matrix(np.array([[2, 1, 0]])), {"a": [0, 1], "b": []}, ["a", "b"]).tolist()
    [[3.0, 0.0]]
    """
    hits = np.zeros((counts.shape[0], len(themes)))
    for j, theme in enumerate(themes):
        ids = term_ids.get(theme, [])
        if ids:
            hits[:, j] = np.asarray(counts[:, ids].sum(axis=1)).ravel()
    return hits


def keyword_rate(counts: sparse.csr_matrix, term_ids: dict, themes: list, n_tokens: np.ndarray) -> np.ndarray:
    """The keyword counter: seed-word hits per token of every document (0 for empty documents).

    Example
    -------
    >>> keyword_rate(sparse.csr_matrix(np.array([[2, 2]])), {"a": [0]}, ["a"], np.array([4])).tolist()
    [[0.5]]
    """
    n_tokens = np.asarray(n_tokens, dtype=float)
    return seed_hits(counts, term_ids, themes) / np.maximum(n_tokens, 1.0)[:, None]


def seed_weights(term_ids: dict, themes: list, n_terms: int) -> np.ndarray:
    """``(n_themes, n_terms)`` weight 1 on each theme's seed terms, 0 elsewhere.

    Example
    -------
    >>> seed_weights({"a": [0, 2]}, ["a", "b"], 3).tolist()
    [[1.0, 0.0, 1.0], [0.0, 0.0, 0.0]]
    """
    weights = np.zeros((len(themes), n_terms))
    for j, theme in enumerate(themes):
        weights[j, list(term_ids.get(theme, []))] = 1.0
    return weights


def expanded_lexicon(counts: sparse.csr_matrix, term_ids: dict, themes: list,
                     prior: float = DEFAULT_PRIOR) -> np.ndarray:
    """``(n_themes, n_terms)`` weights of the words the corpus ties to each theme's seed words.

    Keyword-assisted evidence (as in keyATM): a theme is recognised by its seed words *and* by the
    words that co-occur with them. For theme ``t`` and term ``w``:

    1. **lift** over the documents that hold any seed term of ``t``: ``(A + prior) / (N p + prior)``,
       ``A`` the tokens of ``w`` in those documents, ``N`` all their tokens (the theme's own seed
       tokens left out of both), ``p`` the corpus rate of ``w``; ``prior`` pseudo-tokens shrink
       the lift of rare words to 1;
    2. **exclusivity**: ``e[t, w] = max(log lift, 0)`` minus the largest ``e`` of the other themes
       (clipped at 0), so a word that co-occurs with the seed words of several themes about
       equally (a shared word such as ``frontera``, general vocabulary) carries little;
    3. scaled so the theme's strongest word weighs 1; the seed terms themselves weigh 1.

    Parameters
    ----------
    counts : scipy.sparse.csr_matrix
        ``(D, V)`` term counts.
    term_ids : dict
        Theme → seed-term ids.
    themes : list of str
        Row order.
    prior : float
        Shrinkage of the lift, in expected tokens.

    Returns
    -------
    numpy.ndarray
        ``(T, V)`` weights in ``[0, 1]``; a theme without seed terms has a row of zeros.

    Example
    -------
    >>> counts = sparse.csr_matrix(np.array([[1, 4, 0, 0, 2], [1, 4, 0, 0, 2], [0, 0, 1, 4, 2],
    ...                                      [0, 0, 1, 4, 2], [0, 0, 0, 0, 4]]))
    >>> expanded_lexicon(counts, {"a": [0], "b": [2]}, ["a", "b"], prior=1.0).round(2).tolist()
    [[1.0, 1.0, 0.0, 0.0, 0.0], [0.0, 0.0, 1.0, 1.0, 0.0]]
    """
    counts = sparse.csr_matrix(counts, dtype=float)
    total = np.asarray(counts.sum(axis=0)).ravel()
    rate = total / max(total.sum(), 1e-300)
    hits = seed_hits(counts, term_ids, themes)
    evidence = np.zeros((len(themes), counts.shape[1]))
    for j, theme in enumerate(themes):
        ids = list(term_ids.get(theme, []))
        if not ids:
            continue
        together = np.asarray(counts.T @ (hits[:, j] > 0).astype(float)).ravel()
        together[ids] = 0.0
        evidence[j] = np.maximum(np.log((together + prior) / (together.sum() * rate + prior)), 0.0)
    weights = np.zeros_like(evidence)
    for j, theme in enumerate(themes):
        ids = list(term_ids.get(theme, []))
        if not ids:
            continue
        others = np.delete(evidence, j, axis=0)
        weights[j] = np.maximum(evidence[j] - (others.max(axis=0) if others.size else 0.0), 0.0)
        weights[j] /= max(weights[j].max(), 1e-300)
        weights[j, ids] = 1.0
    return weights


def theme_profile(topic_term: np.ndarray, term_ids: dict, themes: list, topic_share: np.ndarray,
                  min_relative: float, weights: np.ndarray | None = None) -> dict:
    """Seed rates of each theme and the fraction of every topic about it (step 1 of the module doc).

    Parameters
    ----------
    topic_term : numpy.ndarray
        ``(K, V)`` topic-word distributions.
    term_ids : dict
        Theme → seed-term ids.
    themes : list of str
        Column order.
    topic_share : numpy.ndarray
        ``(K,)`` share of the corpus's tokens in each topic (weights of the background rate).
    min_relative : float
        Topics with a density below this fraction of ``q`` make up the background.
    weights : numpy.ndarray, optional
        ``(T, V)`` term weights of each theme (:func:`expanded_lexicon`); densities and seed votes
        are then weighted by them. Default: weight 1 on each theme's seed terms.

    Returns
    -------
    dict
        ``mass`` ``(K, T)`` seed densities, ``q`` and ``b`` ``(T,)`` theme and background seed
        rates, ``fraction`` ``(K, T)`` topic fractions about each theme (rows sum to at most 1).

    Example
    -------
    >>> phi = np.array([[0.2, 0.8], [0.02, 0.98], [0.0, 1.0]])
    >>> p = theme_profile(phi, {"a": [0]}, ["a"], np.array([0.2, 0.4, 0.4]), 0.25)
    >>> round(float(p["q"][0]), 3), round(float(p["b"][0]), 3), p["fraction"][:, 0].round(2).tolist()
    (0.2, 0.01, [1.0, 0.05, 0.0])
    """
    topic_share = np.asarray(topic_share, dtype=float)
    topic_share = topic_share / max(topic_share.sum(), 1e-300)
    n_topics = topic_term.shape[0]
    mass = np.zeros((n_topics, len(themes)))
    q, b = np.zeros(len(themes)), np.zeros(len(themes))
    votes = np.zeros_like(mass)
    if weights is None:
        weights = seed_weights(term_ids, themes, topic_term.shape[1])
    for j in range(len(themes)):
        ids = np.flatnonzero(weights[j] > 0)
        if ids.size == 0:
            continue
        w = weights[j, ids]
        mass[:, j] = topic_term[:, ids] @ w
        per_term = topic_term[:, ids] / np.maximum(topic_term[:, ids].max(axis=0, keepdims=True), 1e-300)
        votes[:, j] = per_term @ w / w.sum()
        q[j] = mass[:, j].max()
        rest = mass[:, j] < min_relative * q[j]
        if rest.any() and topic_share[rest].sum() > 0:
            b[j] = float(np.average(mass[rest, j], weights=topic_share[rest]))
        else:
            b[j] = float(topic_share @ mass[:, j])
        b[j] = min(b[j], 0.5 * q[j])
    span = np.maximum(q - b, 1e-12)
    fraction = np.clip((mass - b) / span, 0.0, 1.0)
    fraction = np.minimum(fraction, votes / np.maximum(votes.max(axis=0, keepdims=True), 1e-300))
    fraction[:, q <= 0] = 0.0
    total = fraction.sum(axis=1, keepdims=True)
    fraction = fraction / np.maximum(total, 1.0)
    return {"mass": mass, "q": q, "b": b, "fraction": fraction}


def topic_seed_hits(counts: sparse.csr_matrix, doc_topic: np.ndarray, topic_term: np.ndarray,
                    term_ids: dict, themes: list, weights: np.ndarray | None = None,
                    posteriors: tuple | None = None) -> np.ndarray:
    """``(n_documents, K, n_themes)`` seed hits of each theme explained by each topic (step 2).

    A seed token ``w`` of document ``d`` is shared among the topics in proportion to
    ``doc_topic[d, k] * topic_term[k, w]``. With ``weights`` (``(T, V)``, :func:`expanded_lexicon`)
    every token of a weighted term counts ``weights[t, w]`` hits of theme ``t``; default weight 1
    on the seed terms. ``posteriors``: :func:`token_posteriors` of the weighted terms, when the
    caller has them already.

    Example
    -------
    >>> hits = topic_seed_hits(sparse.csr_matrix(np.array([[4, 0]])), np.array([[0.5, 0.5]]),
    ...                        np.array([[0.3, 0.7], [0.1, 0.9]]), {"a": [0]}, ["a"])
    >>> hits[0, :, 0].round(2).tolist()
    [3.0, 1.0]
    """
    if weights is None:
        weights = seed_weights(term_ids, themes, topic_term.shape[1])
    if posteriors is None:
        posteriors = token_posteriors(counts, doc_topic, topic_term, weighted_terms(weights))
    docs, terms, values, posterior = posteriors
    # one contiguous (D, K) block per theme: np.add.at into a strided view is several times slower
    hits = np.zeros((len(themes), doc_topic.shape[0], doc_topic.shape[1]))
    for j in range(len(themes)):
        value = values * weights[j, terms]
        used = value > 0
        np.add.at(hits[j], docs[used], value[used, None] * posterior[used])
    return np.ascontiguousarray(np.moveaxis(hits, 0, 2))


def weighted_terms(weights: np.ndarray) -> np.ndarray:
    """Ids of the terms with a positive weight for some theme (``weights`` is ``(T, V)``)."""
    return np.flatnonzero((weights > 0).any(axis=0)) if weights.size else np.array([], dtype=np.int64)


def token_posteriors(counts: sparse.csr_matrix, doc_topic: np.ndarray, topic_term: np.ndarray,
                     terms: np.ndarray) -> tuple:
    """Documents, terms, counts and ``(n, K)`` topic posteriors of the non-zero entries on ``terms``.

    Example
    -------
    >>> docs, cols, values, posterior = token_posteriors(
    ...     sparse.csr_matrix(np.array([[4, 1]])), np.array([[0.5, 0.5]]), np.array([[0.3, 0.7], [0.1, 0.9]]), [0])
    >>> docs.tolist(), cols.tolist(), values.tolist(), posterior.round(2).tolist()
    ([0], [0], [4.0], [[0.75, 0.25]])
    """
    entries = sparse.coo_matrix(counts)
    keep = np.isin(entries.col, terms)
    docs, cols, values = entries.row[keep], entries.col[keep], entries.data[keep].astype(float)
    posterior = doc_topic[docs] * np.ascontiguousarray(topic_term.T)[cols]  # rows gathered, not columns
    posterior /= np.maximum(posterior.sum(axis=1, keepdims=True), 1e-300)
    return docs, cols, values, posterior


def tied_fraction(counts: sparse.csr_matrix, doc_topic: np.ndarray, topic_term: np.ndarray,
                  weights: np.ndarray, strength: float = DEFAULT_STRENGTH, posteriors: tuple | None = None) -> np.ndarray:
    """``(D, K)`` fraction of each document's tokens in each topic that are tied to some theme.

    A token of term ``w`` counts ``max_t weights[t, w]`` (1 for a seed term or a theme's strongest
    co-occurring word, 0 for a word tied to no theme) and is shared among the topics as LDA
    assigns it (``doc_topic[d, k] * topic_term[k, w]``). With a prior worth ``strength`` tokens at
    the topic's own tied rate ``topic_term[k] @ max_t weights[t]``::

        tied[d, k] = (strength * topic_rate[k] + tied_tokens[d, k]) / (strength + n[d, k])

    Scaling a topic's share by it keeps general vocabulary that LDA folds into a theme's topic
    (the words of no theme) out of the theme's share.

    Parameters
    ----------
    counts : scipy.sparse.csr_matrix
        ``(D, V)`` term counts.
    doc_topic, topic_term : numpy.ndarray
        ``(D, K)`` and ``(K, V)`` of the fitted model.
    weights : numpy.ndarray
        ``(T, V)`` from :func:`expanded_lexicon`.
    strength : float
        Prior weight of the topic's tied rate, in tokens.
    posteriors : tuple, optional
        :func:`token_posteriors` of the terms tied to some theme (:func:`weighted_terms`), when
        the caller has them already (:func:`topic_seed_hits` uses the same).

    Returns
    -------
    numpy.ndarray
        ``(D, K)`` in ``[0, 1]``.

    Example
    -------
    >>> phi = np.array([[0.5, 0.5]])
    >>> counts = sparse.csr_matrix(np.array([[3, 1], [0, 4]]))
    >>> tied_fraction(counts, np.ones((2, 1)), phi, np.array([[1.0, 0.0]]), strength=0.0).ravel().tolist()
    [0.75, 0.0]
    """
    tied = weights.max(axis=0) if weights.size else np.zeros(topic_term.shape[1])
    n_tokens = np.asarray(counts.sum(axis=1)).ravel().astype(float)
    tokens = np.zeros_like(doc_topic, dtype=float)
    if posteriors is None:
        posteriors = token_posteriors(counts, doc_topic, topic_term, np.flatnonzero(tied > 0))
    docs, cols, values, posterior = posteriors
    np.add.at(tokens, docs, (values * tied[cols])[:, None] * posterior)
    n_dk = n_tokens[:, None] * doc_topic
    rate = (topic_term @ tied)[None, :]
    return np.clip((strength * rate + tokens) / np.maximum(strength + n_dk, 1e-300), 0.0, 1.0)


def split_shares(doc_topic: np.ndarray, n_tokens: np.ndarray, hits: np.ndarray, profile: dict,
                 strength: float = DEFAULT_STRENGTH, rule: str = "ratio",
                 tied: np.ndarray | None = None) -> np.ndarray:
    """Theme shares from the per-document Gamma–Poisson split of every topic (steps 3–4).

    Parameters
    ----------
    doc_topic : numpy.ndarray
        ``(D, K)`` topic proportions.
    n_tokens : numpy.ndarray
        ``(D,)`` tokens of each document.
    hits : numpy.ndarray
        ``(D, K, T)`` from :func:`topic_seed_hits`.
    profile : dict
        From :func:`theme_profile`.
    strength : float
        Prior weight of the topic's fraction, in expected seed hits (0: counting alone decides
        wherever there is text; large: ``doc_topic @ fraction``).
    rule : {"ratio", "additive"}
        ``ratio`` (default): ``fraction[k, t] * (strength + s) / (strength + m[k, t] * n[d, k])``,
        the topic's fraction scaled by the document's seed rate over the topic's own (a topic
        with no fraction of the theme never gets it, whatever seed words shared with another
        theme it holds); ``additive``: the Gamma–Poisson posterior of the module doc (seed hits
        above background count wherever they fall).
    tied : numpy.ndarray, optional
        ``(D, K)`` from :func:`tied_fraction`: each topic's share of a document is scaled by it
        before the split (default: not scaled).

    Returns
    -------
    numpy.ndarray
        ``(D, T)`` shares in ``[0, 1]``; a document's shares sum to at most 1.
    """
    q, b, fraction = profile["q"], profile["b"], profile["fraction"]
    n_dk = np.asarray(n_tokens, dtype=float)[:, None] * doc_topic          # (D, K)
    if rule not in RULES:
        raise ValueError(f"rule must be one of {RULES}, not {rule!r}")
    weight_dk = doc_topic if tied is None else doc_topic * tied
    if rule == "posterior":
        expected = profile["mass"][None, :, :] * n_dk[:, :, None]
        weight = fraction[None, :, :] * (strength + hits) / (strength + expected)
        weight[:, :, q <= 0] = 0.0
        rest = np.clip(1.0 - fraction.sum(axis=1), 0.0, 1.0)[None, :, None]
        split = weight / np.maximum(weight.sum(axis=2, keepdims=True) + rest, 1e-300)
        return np.einsum("dk,dkt->dt", weight_dk, split)
    if rule == "ratio":
        expected = profile["mass"][None, :, :] * n_dk[:, :, None]
        split = fraction[None, :, :] * (strength + hits) / (strength + expected)
        split[:, :, q <= 0] = 0.0
        split = np.minimum(split, 1.0)
        split = split / np.maximum(split.sum(axis=2, keepdims=True), 1.0)
        return np.einsum("dk,dkt->dt", weight_dk, split)
    excess = np.maximum(hits - b[None, None, :] * n_dk[:, :, None], 0.0)  # (D, K, T)
    exposure = (q - b)[None, None, :] * n_dk[:, :, None]
    split = (strength * fraction[None, :, :] + excess) / np.maximum(strength + exposure, 1e-12)
    split[:, :, q <= 0] = 0.0
    split = np.minimum(split, 1.0)
    total = split.sum(axis=2, keepdims=True)
    split = split / np.maximum(total, 1.0)
    return np.einsum("dk,dkt->dt", weight_dk, split)


def guided_shares(counts: sparse.csr_matrix, doc_topic: np.ndarray, topic_term: np.ndarray, term_ids: dict,
                  themes: list, topic_share: np.ndarray, min_relative: float,
                  strength: float = DEFAULT_STRENGTH, rule: str = "ratio", expand: bool = True,
                  prior: float = DEFAULT_PRIOR, weights: np.ndarray | None = None) -> np.ndarray:
    """``(D, T)`` guided theme shares of every document (the whole recipe of the module doc).

    Parameters
    ----------
    counts : scipy.sparse.csr_matrix
        ``(D, V)`` term counts of the documents (rows aligned with ``doc_topic``).
    doc_topic, topic_term : numpy.ndarray
        ``(D, K)`` and ``(K, V)`` of the fitted model.
    term_ids : dict
        Theme → seed-term ids.
    themes : list of str
        Column order.
    topic_share : numpy.ndarray
        ``(K,)`` token share of each topic.
    min_relative, strength, rule
        See :func:`theme_profile` and :func:`split_shares`.
    expand : bool
        Evidence from the seed words and the words the corpus ties to them
        (:func:`expanded_lexicon`), and each topic's share scaled by the document's tokens tied to
        some theme (:func:`tied_fraction`) (default); ``False``: the seed words alone, unscaled
        (the rule before).
    prior : float
        Shrinkage of :func:`expanded_lexicon`.
    weights : numpy.ndarray, optional
        The evidence weights when already computed: :func:`expanded_lexicon` of ``counts`` with
        ``prior`` (``expand``) or :func:`seed_weights`. They depend on the corpus only, so a caller
        scoring several models of one corpus computes them once.
    """
    if weights is None:
        weights = (expanded_lexicon(counts, term_ids, themes, prior) if expand
                   else seed_weights(term_ids, themes, topic_term.shape[1]))
    profile = theme_profile(topic_term, term_ids, themes, topic_share, min_relative, weights)
    n_tokens = np.asarray(counts.sum(axis=1)).ravel()
    # the terms with some theme weight are the terms tied to some theme: one set of posteriors serves both
    posteriors = token_posteriors(counts, doc_topic, topic_term, weighted_terms(weights))
    hits = topic_seed_hits(counts, doc_topic, topic_term, term_ids, themes, weights, posteriors)
    tied = tied_fraction(counts, doc_topic, topic_term, weights, strength, posteriors) if expand else None
    return split_shares(doc_topic, n_tokens, hits, profile, strength, rule, tied)
