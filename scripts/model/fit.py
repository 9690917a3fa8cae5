"""Fit stage: one gensim LDA model per (K, seed), with its topic-term and document-topic tables.

Single-process :class:`gensim.models.LdaModel` is used on purpose: with a fixed
``random_state`` it is deterministic (``LdaMulticore`` with several workers is not), and the
workflow gets its speed from fitting grid models in parallel as separate jobs. The model is a
:class:`scripts.model.estep.BatchedLdaModel`: gensim's LDA with its E-step vectorised over the
documents of a chunk (same algorithm and random draws, several times faster on news articles);
the saved file loads with ``LdaModel.load``. With ``model.engine: tomotopy`` the fit is a
one-worker Gibbs sampler saved as the same kind of model (:mod:`scripts.model.gibbs`).

Example
-------
>>> from gensim.corpora import Dictionary
>>> docs = [["fentanilo", "sobredosis"], ["gol", "estadio"]] * 10
>>> dictionary = Dictionary(docs)
>>> from scripts.settings import section
>>> settings = LdaSettings(**{**lda_options(section("model")), "passes": 2})
>>> model = fit_lda([dictionary.doc2bow(d) for d in docs], dictionary, k=2, seed=1, settings=settings)
>>> model.num_topics
2
"""


import logging
import os
import time

# One BLAS thread per model: the grid's speed comes from one job per core, and a fixed thread
# count keeps the floating-point sums, hence the tables, identical on every machine. Takes
# effect when this module is the first to load numpy (as in a Snakemake job); an explicit
# setting in the environment wins.
for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from gensim.corpora import Dictionary, MmCorpus  # noqa: E402
from gensim.matutils import dirichlet_expectation  # noqa: E402
from gensim.models import LdaModel  # noqa: E402

from scripts.model.estep import ArrayCorpus, BatchedLdaModel, batched_inference  # noqa: E402
from scripts.model.scores import heldout_perplexity  # noqa: E402

from scripts.model.seeded import seeded_eta, seeded_start, theme_seed_ids  # noqa: E402
from scripts.model.settings import LdaSettings, SeededPrior, lda_options, uses_seeded_prior  # noqa: E402,F401

logger = logging.getLogger(__name__)



def fit_lda(corpus, dictionary: Dictionary, k: int, seed: int, settings: LdaSettings, eta=None,
            heldout=None) -> LdaModel:
    """Fit one deterministic LDA model.

    Parameters
    ----------
    corpus : iterable of list of (int, int)
        Training bag-of-words (a streamed ``MmCorpus`` is fine).
    dictionary : gensim.corpora.Dictionary
        Vocabulary.
    k : int
        Number of topics.
    seed : int
        ``random_state`` of the model.
    settings : LdaSettings
        ``passes, iterations, alpha, eta, chunksize, update_every, warm_start`` of the
        ``model`` section.
    eta : numpy.ndarray, optional
        Overrides ``settings.eta`` (used for seeded themes).
    heldout : list of list of (int, int), optional
        Held-out documents for ``settings.early_stop`` (without them every pass runs).

    Returns
    -------
    scripts.model.estep.BatchedLdaModel
        A gensim ``LdaModel`` with the batched E-step (``passes_done`` passes).
    """
    options = settings.options()
    if eta is not None:
        options["eta"] = eta
    model = BatchedLdaModel(
        corpus=None,
        id2word=dictionary,
        num_topics=k,
        random_state=seed,
        eval_every=None,
        dtype=np.float64,
        **options,
    )
    model.warm_start = settings.warm_start
    model.early_stop = settings.early_stop
    if corpus is not None:
        model.update(corpus, heldout_measure=heldout_measure(heldout, settings.inference_iterations))
    return model


def heldout_measure(heldout, iterations: int):
    """The held-out perplexity function ``model -> float`` of ``model.early_stop`` (None without documents).

    The measure infers the held-out documents with ``iterations`` per document
    (``model.inference_iterations``, as ``score_models`` scores the saved model), whatever the
    training E-step's limit, and leaves the model as it was.

    >>> heldout_measure([], 100) is None
    True
    """
    if not heldout:
        return None

    def measure(model) -> float:
        training = model.iterations
        model.iterations = iterations
        try:
            return heldout_perplexity(model, heldout)
        finally:
            model.iterations = training

    return measure


def fit_seeded_lda(
    corpus, dictionary: Dictionary, k: int, seed: int, settings: LdaSettings, eta: np.ndarray, seed_ids: list | None = None,
    heldout=None,
) -> LdaModel:
    """Fit LDA with a seeded prior that also shapes the starting topics.

    gensim starts its topics from random sufficient statistics and adds ``eta`` only from the
    first update on, so the first pass would cluster the documents at random and the prior
    could only relabel a seed word, not pull its context along. Here the starting topics are
    ``eta`` plus the random statistics (:func:`scripts.model.seeded.seeded_start`), so the first
    pass already groups each theme's documents around its seed words; everything else is
    :func:`fit_lda`.

    Parameters
    ----------
    corpus, dictionary, k, seed, settings, heldout
        As :func:`fit_lda`.
    eta : numpy.ndarray
        ``(k, V)`` prior from :func:`scripts.model.seeded.seeded_eta`.
    seed_ids : list of numpy.ndarray, optional
        Seed-term ids of each theme, in topic order (an empty array for a theme without seed terms
        in the vocabulary: its topic then starts at random); default
        :func:`scripts.model.seeded.theme_seed_ids` of ``eta``.

    Returns
    -------
    gensim.models.LdaModel
    """
    model = fit_lda(None, dictionary, k, seed, settings, eta=eta, heldout=heldout)
    seed_ids = theme_seed_ids(eta) if seed_ids is None else seed_ids
    model.state.sstats = seeded_start(corpus, seed_ids, model.state.sstats)
    model.expElogbeta = np.exp(dirichlet_expectation(model.state.get_lambda()))
    model.update(corpus, heldout_measure=heldout_measure(heldout, settings.inference_iterations))
    return model


def topic_term_table(model: LdaModel, top_n: int) -> pd.DataFrame:
    """Top ``top_n`` terms of every topic: columns ``topic, rank, term, weight``."""
    topic_term = model.get_topics()
    rows = []
    for topic in range(model.num_topics):
        order = np.lexsort((np.arange(topic_term.shape[1]), -topic_term[topic]))[:top_n]
        for rank, term_id in enumerate(order, start=1):
            rows.append((topic, rank, model.id2word[int(term_id)], round(float(topic_term[topic, term_id]), 10)))
    return pd.DataFrame(rows, columns=["topic", "rank", "term", "weight"])


def document_topics(model: LdaModel, corpus, seed: int, chunk: int = 2000, start=None) -> np.ndarray:
    """Topic proportions of each document (rows sum to 1), inferred with a reset random state.

    Parameters
    ----------
    model : gensim.models.LdaModel
        Fitted model.
    corpus : iterable of list of (int, int)
        Bag-of-words documents.
    seed : int
        Seed for the variational initialisation, so inference is repeatable.
    chunk : int
        Documents inferred at a time.
    start : numpy.ndarray, optional
        ``(n_documents, K)`` starting ``gamma`` (NaN rows: random start), e.g. the training
        documents' ``gamma`` of the fit's last pass: they are near the answer and converge in a
        few iterations.

    Returns
    -------
    numpy.ndarray
        Shape ``(n_documents, K)``.
    """
    model.random_state = np.random.RandomState(seed)
    blocks, batch = [], []

    def infer(batch):
        first = sum(len(block) for block in blocks)
        rows = None if start is None else start[first:first + len(batch)]
        blocks.append(batched_inference(model, batch, start=rows)[0])

    for bow in corpus:
        batch.append(bow)
        if len(batch) == chunk:
            infer(batch)
            batch = []
    if batch:
        infer(batch)
    if not blocks:
        return np.zeros((0, model.num_topics))
    gamma = np.vstack(blocks)
    return gamma / gamma.sum(axis=1, keepdims=True)


def inference_start(splits, train_gamma) -> np.ndarray | None:
    """Starting ``gamma`` of every document: its last-pass ``gamma`` if it was trained on, else NaN.

    ``splits`` gives each document's split in file order; the training corpus holds the
    ``train`` documents in the same order. None when the counts disagree (random starts then).

    >>> inference_start(["train", "heldout", "train"], np.array([[1.0, 2.0], [3.0, 4.0]])).tolist()
    [[1.0, 2.0], [nan, nan], [3.0, 4.0]]
    """
    is_train = np.asarray(splits) == "train"
    if train_gamma is None or int(is_train.sum()) != len(train_gamma):
        return None
    start = np.full((len(is_train), train_gamma.shape[1]), np.nan)
    start[is_train] = train_gamma
    return start


def doc_topic_frame(doc_ids, splits, doc_topic: np.ndarray) -> pd.DataFrame:
    """Document-topic table: ``doc_id, split, topic_0 … topic_{K-1}`` (rounded to 1e-10)."""
    frame = pd.DataFrame(np.round(doc_topic, 10), columns=[f"topic_{i}" for i in range(doc_topic.shape[1])])
    frame.insert(0, "split", list(splits))
    frame.insert(0, "doc_id", list(doc_ids))
    return frame


def stream_bows(tokens_path: str, dictionary: Dictionary, batch_size: int = 5000):
    """Bag-of-words of every document of ``tokens.parquet``, in file order, read in batches.

    Only one batch of token lists is in memory at a time, so inference memory does not grow
    with the corpus.
    """
    import pyarrow.parquet as pq

    for batch in pq.ParquetFile(tokens_path).iter_batches(batch_size=batch_size, columns=["tokens"]):
        for tokens in batch.column(0).to_pylist():
            yield dictionary.doc2bow(tokens or [])


def split_bows(splits, train, heldout):
    """Bag-of-words of every document in file order, taken from the split corpora.

    ``train`` and ``heldout`` hold their split's documents in file order (as the preprocessing
    writes them), so no document is tokenised again.

    >>> [list(map(tuple, doc)) for doc in split_bows(["train", "heldout", "train"], [[(0, 1)], [(2, 1)]], [[(1, 3)]])]
    [[(0, 1)], [(1, 3)], [(2, 1)]]
    """
    parts = {"train": iter(train), "heldout": iter(heldout)}
    for split in splits:
        yield next(parts[split])


def run_fit_lda(smk) -> None:
    """Snakemake entry point."""
    k, seed = int(smk.wildcards.k), int(smk.wildcards.seed)
    settings = LdaSettings(**smk.params.lda)
    dictionary = Dictionary.load(smk.input.dictionary)
    train = ArrayCorpus.from_corpus(MmCorpus(smk.input.train))  # parsed once, not once per pass
    eta, seed_ids = None, None
    if uses_seeded_prior(smk.params.theme_method, k, len(smk.params.themes)):
        seed_words = pd.read_csv(smk.input.seed_words)
        seed_words = seed_words[seed_words["in_vocabulary"].astype(bool)]
        theme_terms = {theme: list(group["term"]) for theme, group in seed_words.groupby("theme", sort=False)}
        theme_terms = {theme: theme_terms.get(theme, []) for theme in smk.params.themes}
        prior = SeededPrior(**smk.params.seeded)
        eta = seeded_eta(dictionary, k, theme_terms, prior.base, prior.boost)
        seed_ids = [np.array(sorted(dictionary.token2id[t] for t in terms if t in dictionary.token2id), dtype=np.int64)
                    for terms in theme_terms.values()]
    elif smk.params.theme_method == "guided":
        logger.info("K=%d is below the number of themes (%d): plain LDA fit (guided shares split its topics)",
                    k, len(smk.params.themes))
    heldout = ArrayCorpus.from_corpus(MmCorpus(smk.input.heldout))
    heldout_bows = [[(int(term), int(count)) for term, count in doc] for doc in heldout]
    logger.info("fitting LDA k=%d seed=%d on %d documents with %s", k, seed, len(train), settings)
    started = time.perf_counter()
    if settings.engine == "tomotopy":
        from scripts.model.gibbs import fit_tomotopy

        model, train_gamma = fit_tomotopy(train, dictionary, k, seed, settings.alpha, settings.eta,
                                          settings.gibbs_iterations, eta_matrix=eta)
    elif eta is None:
        model = fit_lda(train, dictionary, k, seed, settings, heldout=heldout_bows)
    else:
        model = fit_seeded_lda(train, dictionary, k, seed, settings, eta, seed_ids, heldout=heldout_bows)
    logger.info("fitted in %.1f s (%d passes; E-step: %d document-iterations)", time.perf_counter() - started,
                model.passes_done, model.doc_iterations)
    if settings.engine != "tomotopy":
        train_gamma = model.__dict__.pop("train_gamma", None)  # not part of the saved model
    model.iterations = settings.inference_iterations  # of the inference below and every later one
    model.save(smk.output.model)
    topic_term_table(model, smk.params.top_n).to_csv(smk.output.topic_terms, index=False)
    documents = pd.read_parquet(smk.input.tokens, columns=["doc_id", "split"])
    started = time.perf_counter()
    start = inference_start(documents["split"], train_gamma)
    doc_topic = document_topics(model, split_bows(documents["split"], train, heldout), seed, start=start)
    logger.info("inferred topics of %d documents in %.1f s", len(doc_topic), time.perf_counter() - started)
    doc_topic_frame(documents["doc_id"], documents["split"], doc_topic).to_parquet(smk.output.doc_topics, index=False)
    sizes = pd.DataFrame({"topic": range(k), "share": np.round(doc_topic.mean(axis=0), 10)})
    sizes.to_csv(smk.output.topic_sizes, index=False)

