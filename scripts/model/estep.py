"""gensim's variational E-step, vectorised over the documents of a chunk.

:meth:`gensim.models.LdaModel.inference` updates one document at a time in a Python loop: for a
corpus of short news articles most of its time is numpy call overhead, not arithmetic. The
update of every document is independent of the others, so :func:`batched_inference` runs the
same iteration for all documents of a chunk at once, with sparse matrix products:

- the same random start (``random_state.gamma(100, 1/100, (D, K))``, drawn in the same order,
  so the model's random stream is unchanged);
- the same update ``gamma_d = alpha + exp(E[log theta_d]) * sum_w n_dw beta_w / phinorm_dw``;
- the same per-document stopping rule (mean absolute change of ``gamma_d`` below
  ``gamma_threshold``, at most ``iterations``): a converged document leaves the batch, the
  others go on;
- the same sufficient statistics for the M-step.

Only the order of floating-point sums differs, so the results agree with gensim's to rounding
(``tests/test_estep.py``) and are deterministic: the same chunk and model give the same bytes.
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
from gensim.matutils import dirichlet_expectation
from gensim.models import LdaModel
from scipy.sparse import csr_matrix
from scipy.sparse._sparsetools import csr_matvecs


logger = logging.getLogger(__name__)

BLOCK = 128  # documents iterated together: their working arrays stay in the processor's cache


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


def _row_sums(values: np.ndarray, indptr: np.ndarray, dense: np.ndarray) -> np.ndarray:
    """``out[d] = sum_{j in row d} values[j] * dense[j]`` (a CSR product, empty rows give 0).

    Calls scipy's compiled CSR kernel directly: building a ``csr_matrix`` validates its arrays,
    which costs more than the product for a block of documents.
    """
    n_rows, n_entries = len(indptr) - 1, len(values)
    out = np.zeros((n_rows, dense.shape[1]), dtype=np.result_type(values, dense))
    csr_matvecs(n_rows, n_entries, dense.shape[1], indptr, np.arange(n_entries, dtype=indptr.dtype),
                values, np.ascontiguousarray(dense).ravel(), out.ravel())
    return out


def _infer_block(gamma, theta, indptr, ids, counts, beta_t, alpha, iterations, threshold, epsilon):
    """Iterate the documents of one block to convergence.

    ``gamma, theta`` are the block's ``(D, K)`` starts, ``indptr, ids, counts`` its documents as
    CSR arrays, ``beta_t`` the ``(V, K)`` ``exp(E[log beta])``. Returns the final ``gamma``,
    ``theta``, ``phinorm`` and the number of document-iterations spent.
    """
    n_docs = len(gamma)
    final_gamma, final_theta = gamma.copy(), theta.copy()
    final_phinorm = np.empty(len(ids), dtype=gamma.dtype)
    docs, entries, lengths = np.arange(n_docs), np.arange(len(ids)), np.diff(indptr)
    act_indptr, act_counts, act_beta = indptr - indptr[0], counts, beta_t[ids]
    act_row = np.repeat(np.arange(n_docs), lengths)
    phinorm = np.einsum("ij,ij->i", theta[act_row], act_beta) + epsilon
    spent = 0
    for _ in range(iterations):
        spent += len(docs)
        last_gamma = gamma
        gamma = alpha + theta * _row_sums(act_counts / phinorm, act_indptr, act_beta)
        theta = np.exp(dirichlet_expectation(gamma))
        phinorm = np.einsum("ij,ij->i", theta[act_row], act_beta) + epsilon
        done = np.mean(np.abs(gamma - last_gamma), axis=1) < threshold
        if done.all():
            docs_done, entries_done = docs, entries
        elif done.any():
            entry_done = np.repeat(done, lengths)
            docs_done, entries_done = docs[done], entries[entry_done]
        else:
            continue
        final_gamma[docs_done], final_theta[docs_done] = gamma[done], theta[done]
        if done.all():
            final_phinorm[entries_done] = phinorm
            return final_gamma, final_theta, final_phinorm, spent
        final_phinorm[entries_done] = phinorm[entry_done]
        keep, entry_keep = ~done, ~entry_done
        docs, entries, lengths = docs[keep], entries[entry_keep], lengths[keep]
        gamma, theta, phinorm = gamma[keep], theta[keep], phinorm[entry_keep]
        act_counts, act_beta = act_counts[entry_keep], act_beta[entry_keep]
        act_indptr = np.zeros(len(docs) + 1, dtype=np.int64)
        np.cumsum(lengths, out=act_indptr[1:])
        act_row = np.repeat(np.arange(len(docs)), lengths)
    # documents that used every iteration keep their last values
    final_gamma[docs], final_theta[docs], final_phinorm[entries] = gamma, theta, phinorm
    return final_gamma, final_theta, final_phinorm, spent


def batched_inference(model: LdaModel, chunk, collect_sstats: bool = False, block: int = BLOCK, start=None):
    """Variational E-step of ``model`` for the documents of ``chunk``, ``block`` at a time.

    Same inputs, outputs and random draws as :meth:`gensim.models.LdaModel.inference`. Each
    document's numbers depend only on the document and the model, not on the block size; blocks
    keep the working arrays in the processor's cache.

    Parameters
    ----------
    model : gensim.models.LdaModel
        The model (its ``expElogbeta``, ``alpha``, ``iterations``, ``gamma_threshold``,
        ``random_state`` and ``dtype`` are used).
    chunk : iterable of list of (int, float)
        Bag-of-words documents.
    collect_sstats : bool
        Also return the sufficient statistics ``sstats[k, w] = sum_d n_dw phi_dwk``.
    block : int
        Documents iterated together.
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
    theta = np.exp(dirichlet_expectation(gamma))
    indptr, ids, counts = bow_arrays(chunk, dtype)
    epsilon = np.finfo(dtype).eps
    alpha = np.asarray(model.alpha, dtype=dtype)
    beta_t = np.ascontiguousarray(model.expElogbeta.T)  # (V, K)
    phinorm = np.empty(len(ids), dtype=dtype)
    for first in range(0, n_docs, block):
        last = min(first + block, n_docs)
        span = slice(indptr[first], indptr[last])
        gamma[first:last], theta[first:last], phinorm[span], spent = _infer_block(
            gamma[first:last], theta[first:last], indptr[first:last + 1], ids[span], counts[span], beta_t, alpha,
            model.iterations, model.gamma_threshold, epsilon,
        )
        model.doc_iterations = getattr(model, "doc_iterations", 0) + spent
    if not collect_sstats:
        return gamma, None
    ratios = csr_matrix((counts / phinorm, ids, indptr), shape=(n_docs, beta_t.shape[0]))
    sstats = np.asarray((ratios.T @ theta).T, dtype=dtype)
    sstats *= model.expElogbeta
    return gamma, sstats


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
    """gensim ``LdaModel`` whose E-step is :func:`batched_inference` (same algorithm, faster).

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
