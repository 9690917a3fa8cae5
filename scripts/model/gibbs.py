"""The optional ``tomotopy`` engine: collapsed Gibbs sampling, returned as a gensim LDA model.

``model.engine: tomotopy`` fits each (K, seed) with tomotopy's ``LDAModel`` (one worker, no
parallel scheme, ``seed`` from the config: the same config gives the same samples) and turns
the last sample into a :class:`scripts.model.estep.BatchedLdaModel`: its sufficient statistics
are the sampled topic-word counts, so ``lambda = eta + counts`` is the topic-word posterior of
the sample, and every later stage (document inference, scores, themes, monitor, explorer) reads
an ordinary gensim model. The training documents' starting ``gamma`` for the inference after the
fit is ``alpha`` plus their sampled topic counts.

Priors: a numeric ``alpha`` is the symmetric start; ``auto``/``asymmetric`` start at 0.1 and are
re-estimated every 10 iterations (tomotopy's asymmetric optimisation), ``symmetric`` stays at 1/K.
``eta`` is a fixed symmetric prior: a number, or 0.01 for ``auto``/``symmetric`` (Gibbs sampling
does not learn it). A seeded prior (``eta`` matrix) is set word by word for the words whose
prior differs from the flat base.

Example
-------
>>> from gensim.corpora import Dictionary
>>> docs = [["gol", "estadio", "torneo"], ["fentanilo", "sobredosis", "droga"]] * 20
>>> dictionary = Dictionary(docs)
>>> corpus = [dictionary.doc2bow(d) for d in docs]
>>> model, start = fit_tomotopy(corpus, dictionary, k=2, seed=1, alpha="auto", eta="auto", iterations=50)
>>> model.num_topics, start.shape
(2, (40, 2))
"""

import logging

import numpy as np
from gensim.corpora import Dictionary

from scripts.model.estep import BatchedLdaModel

logger = logging.getLogger(__name__)

GIBBS_ETA = 0.01  # tomotopy's default topic-word prior, used for eta auto/symmetric
GIBBS_ALPHA = 0.1  # tomotopy's default starting document-topic prior
OPTIMISE_EVERY = 10  # iterations between re-estimates of an asymmetric alpha


def gibbs_priors(alpha, eta, k: int) -> tuple[float, int, float]:
    """tomotopy's starting ``alpha``, ``optim_interval`` and ``eta`` for the config's priors.

    >>> gibbs_priors("auto", "auto", 20), gibbs_priors("symmetric", 0.05, 20)
    ((0.1, 10, 0.01), (0.05, 0, 0.05))
    """
    if isinstance(alpha, str):
        start, interval = (1.0 / k, 0) if alpha == "symmetric" else (GIBBS_ALPHA, OPTIMISE_EVERY)
    else:
        start, interval = float(alpha), 0
    return start, interval, GIBBS_ETA if isinstance(eta, str) else float(eta)


def gibbs_sampler(corpus, dictionary: Dictionary, k: int, seed: int, alpha, eta,
                  eta_matrix: np.ndarray | None = None):
    """An untrained tomotopy ``LDAModel`` holding the corpus (arguments as :func:`fit_tomotopy`).

    Returns the sampler, the flat ``eta`` and ``(positions of the documents that have words,
    corpus length)`` (tomotopy keeps no empty documents).
    """
    import tomotopy

    alpha_start, interval, flat_eta = gibbs_priors(alpha, eta, k)
    if eta_matrix is not None:
        values, counts = np.unique(eta_matrix, return_counts=True)
        flat_eta = float(values[np.argmax(counts)])
    sampler = tomotopy.LDAModel(k=k, alpha=alpha_start, eta=flat_eta, seed=seed, min_cf=0, rm_top=0)
    sampler.optim_interval = interval
    n_docs, kept = 0, []
    for bow in corpus:
        words = [dictionary[int(term)] for term, count in bow for _ in range(int(count))]
        if words:
            sampler.add_doc(words)
            kept.append(n_docs)
        n_docs += 1
    if eta_matrix is not None:
        for term_id in np.flatnonzero((eta_matrix != flat_eta).any(axis=0)):
            if dictionary[int(term_id)] in sampler.vocabs:
                sampler.set_word_prior(dictionary[int(term_id)], eta_matrix[:, term_id].tolist())
    return sampler, flat_eta, (np.asarray(kept, dtype=np.int64), n_docs)


def train_gibbs(sampler, iterations: int) -> None:
    """``iterations`` more Gibbs sweeps, one worker and no parallel scheme (deterministic)."""
    import tomotopy

    sampler.train(iterations, workers=1, parallel=tomotopy.ParallelScheme.NONE)


def sampler_to_gensim(sampler, dictionary: Dictionary, seed: int, flat_eta: float, documents,
                      eta_matrix: np.ndarray | None = None) -> tuple[BatchedLdaModel, np.ndarray]:
    """The sampler's current sample as a gensim model and the documents' starting ``gamma``.

    ``documents`` is the third value of :func:`gibbs_sampler`; see :func:`fit_tomotopy`.
    """
    kept, n_docs = documents
    k = sampler.k
    to_gensim = np.array([dictionary.token2id[word] for word in sampler.vocabs], dtype=np.int64)
    topic_term = np.zeros((k, len(dictionary)), dtype=np.float64)
    doc_counts = np.zeros((len(kept), k), dtype=np.float64)
    for row, document in enumerate(sampler.docs):
        topics, words = np.asarray(document.topics, dtype=np.int64), np.asarray(document.words, dtype=np.int64)
        np.add.at(topic_term, (topics, to_gensim[words]), 1.0)
        doc_counts[row] = np.bincount(topics, minlength=k)
    model_alpha = np.asarray(sampler.alpha, dtype=np.float64)
    model = BatchedLdaModel(
        corpus=None, id2word=dictionary, num_topics=k, random_state=seed, eval_every=None, dtype=np.float64,
        alpha=model_alpha, eta=flat_eta if eta_matrix is None else eta_matrix,
    )
    model.state.sstats = topic_term
    model.sync_state()
    start = np.tile(model_alpha, (n_docs, 1))
    start[kept] += doc_counts
    return model, start


def fit_tomotopy(corpus, dictionary: Dictionary, k: int, seed: int, alpha, eta, iterations: int,
                 eta_matrix: np.ndarray | None = None) -> tuple[BatchedLdaModel, np.ndarray]:
    """Fit LDA by collapsed Gibbs sampling (tomotopy, one worker) and convert it to gensim.

    Parameters
    ----------
    corpus : iterable of list of (int, int)
        Training bag-of-words (documents without words are kept as rows of the start).
    dictionary : gensim.corpora.Dictionary
        Vocabulary; the model's topics are over its ids.
    k, seed : int
        Number of topics and tomotopy's ``seed``.
    alpha, eta : str or float
        The ``model.alpha`` and ``model.eta`` settings (see :func:`gibbs_priors`).
    iterations : int
        Gibbs sweeps over the corpus (``model.gibbs_iterations``).
    eta_matrix : numpy.ndarray, optional
        ``(k, V)`` seeded prior; its most common value is the flat ``eta``, the other columns
        are set per word.

    Returns
    -------
    model : scripts.model.estep.BatchedLdaModel
        gensim model whose ``lambda`` is ``eta`` plus the sampled topic-word counts.
    start : numpy.ndarray
        ``(n_documents, k)``: ``alpha`` plus each training document's sampled topic counts.
    """
    sampler, flat_eta, documents = gibbs_sampler(corpus, dictionary, k, seed, alpha, eta, eta_matrix)
    train_gibbs(sampler, iterations)
    logger.info("tomotopy: %d Gibbs iterations, log-likelihood per word %.4f", iterations, sampler.ll_per_word)
    return sampler_to_gensim(sampler, dictionary, seed, flat_eta, documents, eta_matrix)
