"""gensim's variational E-step as a compiled loop (numba).

:meth:`gensim.models.LdaModel.inference` updates one document at a time in a Python loop: for a
corpus of short news articles most of its time is numpy call overhead, not arithmetic.
:func:`batched_inference` runs the same per-document iteration in one ``numba`` kernel
(:func:`_infer_documents`, compiled once and cached next to this file), fusing for each document
the ``gamma`` update, ``digamma`` (:func:`digamma`, within ~1e-12 of scipy's), ``exp``, the
normaliser ``phinorm``, the stopping test and the sufficient statistics:

- the same random start (``random_state.gamma(100, 1/100, (D, K))``, drawn in the same order,
  so the model's random stream is unchanged);
- the same update ``gamma_d = alpha + exp(E[log theta_d]) * sum_w n_dw beta_w / phinorm_dw``;
- the same per-document stopping rule (mean absolute change of ``gamma_d`` below
  ``gamma_threshold``, at most ``iterations``);
- the same sufficient statistics for the M-step;
- the same dtype (``model.dtype``) for ``gamma``, ``exp(E[log theta])``, ``phinorm`` and the
  statistics; only sums over topics or words and ``digamma`` are carried in float64 before
  being stored, and the order of floating-point sums differs.

So the results agree with gensim's to rounding (``tests/test_estep.py``) and are deterministic
(one core, a fixed order of operations: the same chunk and model give the same bytes).
:class:`BatchedLdaModel` is a gensim ``LdaModel`` whose E-step is this function; everything else
(online M-step, ``alpha: auto``, passes, saving) is gensim's.

Example
-------
>>> from gensim.corpora import Dictionary
>>> docs = [["gol", "estadio", "torneo"], ["fentanilo", "sobredosis", "droga"]] * 20
>>> dictionary = Dictionary(docs)
>>> corpus = [dictionary.doc2bow(d) for d in docs]
>>> model = BatchedLdaModel(corpus, id2word=dictionary, num_topics=2, random_state=1, passes=2)
>>> gamma, _ = batched_inference(model, corpus[:2])
>>> gamma.shape
(2, 2)
"""


import logging

import numpy as np
from gensim.models import LdaModel
from numba import njit


logger = logging.getLogger(__name__)


def bow_arrays(chunk, dtype) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The documents of ``chunk`` as CSR arrays: ``indptr``, term ids and counts.

    >>> indptr, ids, counts = bow_arrays([[(0, 2), (3, 1)], [], [(1, 1)]], np.float64)
    >>> indptr.tolist(), ids.tolist(), counts.tolist()
    ([0, 2, 2, 3], [0, 3, 1], [2.0, 1.0, 1.0])
    """
    lengths = np.fromiter((len(doc) for doc in chunk), dtype=np.int64, count=len(chunk))
    indptr = np.zeros(len(chunk) + 1, dtype=np.int64)
    np.cumsum(lengths, out=indptr[1:])
    n_entries = int(indptr[-1])
    if chunk and all(isinstance(doc, np.ndarray) for doc in chunk):  # documents of an ArrayCorpus
        pairs = np.concatenate(chunk) if n_entries else np.zeros((0, 2))
        return indptr, pairs[:, 0].astype(np.int64), pairs[:, 1].astype(dtype)
    ids = np.fromiter((int(term) for doc in chunk for term, _ in doc), dtype=np.int64, count=n_entries)
    counts = np.fromiter((count for doc in chunk for _, count in doc), dtype=dtype, count=n_entries)
    return indptr, ids, counts


@njit(cache=True)
def digamma(x: float) -> float:
    """The digamma function ``psi(x)`` for ``x > 0`` (compiled; within ~1e-15 of scipy's ``psi``).

    The recurrence ``psi(x) = psi(x + 1) - 1/x`` moves ``x`` to at least 6, where the asymptotic
    series ``log x - 1/(2x) - sum_n B_2n / (2n x^2n)`` (seven terms) is accurate to ~2e-13 of
    ``1/x^16``, far below a double's rounding of ``psi(6) = 1.7``.

    >>> round(digamma(1.0), 12)  # minus the Euler-Mascheroni constant
    -0.577215664902
    """
    y, result = np.float64(x), 0.0
    while y < 6.0:
        result -= 1.0 / y
        y += 1.0
    inv2 = 1.0 / (y * y)
    series = inv2 * (1.0 / 12 - inv2 * (1.0 / 120 - inv2 * (1.0 / 252 - inv2 * (
        1.0 / 240 - inv2 * (1.0 / 132 - inv2 * (691.0 / 32760 - inv2 / 12))))))
    return result + np.log(y) - 0.5 / y - series


@njit(cache=True)
def _expected_theta(gamma_d, theta_d):
    """``theta_d = exp(E[log theta_d]) = exp(psi(gamma_d) - psi(sum(gamma_d)))`` in place."""
    total = 0.0
    for k in range(gamma_d.shape[0]):
        total += gamma_d[k]
    psi_total = digamma(total)
    for k in range(gamma_d.shape[0]):
        theta_d[k] = np.exp(digamma(gamma_d[k]) - psi_total)


@njit(cache=True)
def _phinorm(theta_d, beta_dt, n_words, epsilon, dot, phinorm_d):
    """``phinorm_d[j] = theta_d . beta_dt[:, j] + epsilon`` for the ``n_words`` words of a document.

    Topic by topic over all words (each sum still runs over the topics in order), so the inner
    loop runs over contiguous memory and compiles to vector instructions.
    """
    for j in range(n_words):
        dot[j] = 0.0
    for k in range(theta_d.shape[0]):
        weight, row = theta_d[k], beta_dt[k]
        for j in range(n_words):
            dot[j] += weight * row[j]
    for j in range(n_words):
        phinorm_d[j] = dot[j] + epsilon


@njit(cache=True)
def _infer_documents(gamma, indptr, ids, counts, beta_t, alpha, iterations, threshold, epsilon, sstats_t):
    """gensim's per-document E-step iteration for every document of a chunk, compiled.

    ``gamma`` ``(D, K)`` holds the starts and is updated in place; ``indptr, ids, counts`` are the
    documents as CSR arrays and ``beta_t`` the ``(V, K)`` ``exp(E[log beta])``. For each document:
    ``gamma_d = alpha + theta_d * sum_w n_dw beta_w / phinorm_dw`` until the mean absolute
    change of ``gamma_d`` is below ``threshold`` (at most ``iterations`` times), then
    ``sstats_t[w] += theta_d * n_dw / phinorm_dw`` when ``sstats_t`` has rows (the statistics
    before the final product with ``exp(E[log beta])``, transposed). The rows of ``beta_t`` of a
    document's words are copied once into two contiguous buffers (words by topics and topics by
    words) that its iterations then read. Returns the number of document-iterations spent.
    """
    n_docs, n_topics = gamma.shape
    max_words = 0
    for d in range(n_docs):
        max_words = max(max_words, indptr[d + 1] - indptr[d])
    beta_d = np.empty((max_words, n_topics), dtype=beta_t.dtype)
    beta_dt = np.empty((n_topics, max_words), dtype=beta_t.dtype)
    dot = np.empty(max_words, dtype=np.float64)
    phinorm_d = np.empty(max_words, dtype=gamma.dtype)
    theta_d = np.empty(n_topics, dtype=gamma.dtype)
    last_d = np.empty(n_topics, dtype=gamma.dtype)
    acc = np.empty(n_topics, dtype=np.float64)
    collect = sstats_t.shape[0] > 0
    spent = 0
    for d in range(n_docs):
        first, n_words = indptr[d], indptr[d + 1] - indptr[d]
        for j in range(n_words):
            row = beta_t[ids[first + j]]
            for k in range(n_topics):
                beta_d[j, k] = row[k]
                beta_dt[k, j] = row[k]
        gamma_d = gamma[d]
        _expected_theta(gamma_d, theta_d)
        _phinorm(theta_d, beta_dt, n_words, epsilon, dot, phinorm_d)
        for _ in range(iterations):
            spent += 1
            for k in range(n_topics):
                last_d[k] = gamma_d[k]
                acc[k] = 0.0
            for j in range(n_words):
                ratio, row = counts[first + j] / phinorm_d[j], beta_d[j]
                for k in range(n_topics):
                    acc[k] += ratio * row[k]
            change = 0.0
            for k in range(n_topics):
                gamma_d[k] = alpha[k] + theta_d[k] * acc[k]
                change += abs(gamma_d[k] - last_d[k])
            _expected_theta(gamma_d, theta_d)
            _phinorm(theta_d, beta_dt, n_words, epsilon, dot, phinorm_d)
            if change / n_topics < threshold:
                break
        if collect:
            for j in range(n_words):
                out = sstats_t[ids[first + j]]
                ratio = counts[first + j] / phinorm_d[j]
                for k in range(n_topics):
                    out[k] += theta_d[k] * ratio
    return spent


def batched_inference(model: LdaModel, chunk, collect_sstats: bool = False, start=None):
    """Variational E-step of ``model`` for the documents of ``chunk`` (a compiled loop).

    Same inputs, outputs and random draws as :meth:`gensim.models.LdaModel.inference`. Each
    document's numbers depend only on the document and the model.

    Parameters
    ----------
    model : gensim.models.LdaModel
        The model (its ``expElogbeta``, ``alpha``, ``iterations``, ``gamma_threshold``,
        ``random_state`` and ``dtype`` are used).
    chunk : iterable of list of (int, float)
        Bag-of-words documents.
    collect_sstats : bool
        Also return the sufficient statistics ``sstats[k, w] = sum_d n_dw phi_dwk``.
    start : numpy.ndarray, optional
        ``(D, K)`` starting ``gamma`` (a warm start); rows with NaN keep the random start, which
        is drawn in any case so the random stream does not depend on it.

    Returns
    -------
    gamma : numpy.ndarray
        ``(D, K)`` variational Dirichlet parameters.
    sstats : numpy.ndarray or None
        ``(K, V)`` when ``collect_sstats``.
    """
    chunk = chunk if isinstance(chunk, list) else list(chunk)
    dtype = model.dtype
    n_docs, n_topics = len(chunk), model.num_topics
    gamma = model.random_state.gamma(100.0, 1.0 / 100.0, (n_docs, n_topics)).astype(dtype, copy=False)
    if start is not None:
        known = ~np.isnan(start[:, 0])
        gamma[known] = start[known]
    gamma = np.ascontiguousarray(gamma, dtype=dtype)
    indptr, ids, counts = bow_arrays(chunk, dtype)
    alpha = np.ascontiguousarray(np.broadcast_to(np.asarray(model.alpha, dtype=dtype), (n_topics,)))
    beta_t = np.ascontiguousarray(model.expElogbeta.T, dtype=dtype)  # (V, K)
    sstats_t = np.zeros((beta_t.shape[0] if collect_sstats else 0, n_topics), dtype=dtype)
    spent = _infer_documents(gamma, indptr, ids, counts, beta_t, alpha, int(model.iterations),
                             float(model.gamma_threshold), float(np.finfo(dtype).eps), sstats_t)
    model.doc_iterations = getattr(model, "doc_iterations", 0) + spent
    if not collect_sstats:
        return gamma, None
    sstats = sstats_t.T * model.expElogbeta
    return gamma, sstats.astype(dtype, copy=False)


class _EarlyStop(Exception):
    """Raised at the end of a pass to end :meth:`BatchedLdaModel.update` (see ``early_stop``)."""


class ArrayCorpus:
    """Bag-of-words documents held in memory as two arrays, each document an ``(n, 2)`` view.

    A pass over a ``MmCorpus`` parses its text file again and builds a Python tuple per entry,
    which :func:`batched_inference` turns back into arrays; an ``ArrayCorpus`` is parsed once
    and hands out ``[term id, count]`` rows (16 bytes per entry: 28 MB for jornada's 1.8
    million). The documents iterate like gensim bags of words (``for term, count in doc``).

    Example
    -------
    >>> corpus = ArrayCorpus.from_corpus([[(0, 2), (3, 1)], [], [(1, 1)]])
    >>> len(corpus), [doc.tolist() for doc in corpus][0]
    (3, [[0.0, 2.0], [3.0, 1.0]])
    """

    def __init__(self, indptr: np.ndarray, pairs: np.ndarray):
        self.indptr, self.pairs = indptr, pairs

    @classmethod
    def from_corpus(cls, corpus, batch: int = 5000) -> "ArrayCorpus":
        """Read a corpus of bags of words (e.g. a ``MmCorpus``) once."""
        indptrs, pairs, batch_docs, offset = [np.zeros(1, dtype=np.int64)], [], [], 0
        for doc in corpus:
            batch_docs.append(doc)
            if len(batch_docs) == batch:
                indptr, ids, counts = bow_arrays(batch_docs, np.float64)
                indptrs.append(indptr[1:] + offset)
                pairs.append(np.column_stack([ids, counts]))
                offset += int(indptr[-1])
                batch_docs = []
        indptr, ids, counts = bow_arrays(batch_docs, np.float64)
        indptrs.append(indptr[1:] + offset)
        pairs.append(np.column_stack([ids.astype(np.float64), counts]))
        return cls(np.concatenate(indptrs), np.concatenate(pairs).reshape(-1, 2))

    def __len__(self) -> int:
        return len(self.indptr) - 1

    def __iter__(self):
        for first, last in zip(self.indptr[:-1], self.indptr[1:]):
            yield self.pairs[first:last]


class BatchedLdaModel(LdaModel):
    """gensim ``LdaModel`` whose E-step is :func:`batched_inference` (same algorithm, compiled).

    After :meth:`update`, ``train_gamma`` holds every training document's ``gamma`` of the last
    pass (in corpus order), which the document-topic inference after the fit uses as its start.
    With ``warm_start`` (set it before :meth:`update`), the training E-step of every pass from
    ``warm_from_pass`` (0-based) on also starts each document from its ``gamma`` of the previous
    pass instead of a random draw (the random draw is still made, so the random stream is the
    same), so documents whose topics hardly moved converge in a few iterations.
    """

    warm_start = False
    warm_from_pass = 1
    doc_iterations = 0  # document-iterations of every E-step so far (the fit's main cost)
    early_stop = None  # minimum relative drop of held-out perplexity per pass (None: all passes)
    passes_done = 0  # passes of the last update (fewer than passes when early_stop stopped it)

    def update(self, corpus, *args, heldout_measure=None, **kwargs):
        """gensim's ``update``, remembering each training document's ``gamma`` from pass to pass.

        With ``early_stop`` set and a ``heldout_measure`` (a function of the model returning the
        held-out per-word perplexity, e.g. :func:`scripts.model.scores.heldout_perplexity` on
        the held-out documents, which keeps its own random state), the measure is taken after
        every pass but the last, and training ends when it dropped by less than ``early_stop``
        (relative) since the previous pass. A model stopped after ``p`` passes is the model of a
        ``p``-pass fit as long as the measure draws nothing from the model's random stream.
        """
        self._measure = heldout_measure
        try:
            n_docs = len(corpus)
        except TypeError:
            n_docs = 0
        self._pass_gamma = np.full((n_docs, self.num_topics), np.nan) if n_docs else None
        self._cursor = 0
        self._perplexity = []
        try:
            result = super().update(corpus, *args, **kwargs)
        except _EarlyStop:
            result = None
        finally:
            self.train_gamma = self._pass_gamma
            self.passes_done = self._cursor // n_docs if n_docs else 0
            self.perplexity_by_pass = self._perplexity
            del self._pass_gamma, self._cursor, self._perplexity, self._measure
        return result

    def do_mstep(self, rho, other, extra_pass=False):
        """gensim's M-step; at the end of a pass, the ``early_stop`` test of :meth:`update`."""
        result = super().do_mstep(rho, other, extra_pass)
        memory = getattr(self, "_pass_gamma", None)
        measure = getattr(self, "_measure", None)
        if self.early_stop is None or measure is None or memory is None or self._cursor % len(memory):
            return result
        if self._cursor // len(memory) >= self.passes:  # the last pass: nothing left to save
            return result
        self._perplexity.append(measure(self))
        logger.info("pass %d: held-out perplexity %.2f", len(self._perplexity), self._perplexity[-1])
        if len(self._perplexity) >= 2:
            before, now = self._perplexity[-2:]
            if (before - now) / before < self.early_stop:
                logger.info("early stop after pass %d: perplexity fell %.4f (< %g) of its value", len(self._perplexity),
                            (before - now) / before, self.early_stop)
                raise _EarlyStop
        return result

    def do_estep(self, chunk, state=None):
        """gensim's ``do_estep`` with the per-document memory of :meth:`update` (see the class)."""
        state = self.state if state is None else state
        memory = getattr(self, "_pass_gamma", None)
        rows, start = None, None
        if memory is not None:
            rows = (self._cursor + np.arange(len(chunk))) % len(memory)
            if self.warm_start and self._cursor // len(memory) >= max(self.warm_from_pass, 1):
                start = memory[rows]
            self._cursor += len(chunk)
        gamma, sstats = batched_inference(self, chunk, collect_sstats=True, start=start)
        if rows is not None:
            memory[rows] = gamma
        state.sstats += sstats
        state.numdocs += gamma.shape[0]
        return gamma

    def inference(self, chunk, collect_sstats=False):
        """See :func:`batched_inference`."""
        return batched_inference(self, chunk, collect_sstats)
