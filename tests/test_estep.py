"""The batched E-step (scripts.model.estep) against gensim's per-document E-step."""

import numpy as np
import pytest
from gensim.corpora import Dictionary
from gensim.models import LdaModel

from scripts.demo.generate import generate_articles
from scripts.model.estep import BatchedLdaModel, batched_inference


@pytest.fixture(scope="module")
def news():
    """Bags of words of 300 generated articles (a news-like corpus, not the fit tests' toy)."""
    articles, _ = generate_articles(n_articles=300, n_months=12, seed=3)
    texts = [text.lower().split() for text in articles["text"]]
    dictionary = Dictionary(texts)
    dictionary.filter_extremes(no_below=2, no_above=0.5)
    return dictionary, [dictionary.doc2bow(t) for t in texts]


@pytest.fixture(scope="module")
def fitted(news):
    dictionary, bows = news
    return LdaModel(bows, id2word=dictionary, num_topics=6, random_state=2, passes=2, alpha="auto",
                    dtype=np.float64)


@pytest.mark.parametrize("iterations", [3, 100])
def test_batched_e_step_gives_gensims_gamma_and_statistics(news, fitted, iterations):
    _, bows = news
    documents = [*bows[:120], []]  # an empty document gets the prior
    fitted.iterations = iterations
    fitted.random_state = np.random.RandomState(5)
    gamma, sstats = LdaModel.inference(fitted, documents, collect_sstats=True)
    fitted.random_state = np.random.RandomState(5)
    batched_gamma, batched_sstats = batched_inference(fitted, documents, collect_sstats=True)
    assert np.allclose(batched_gamma, gamma, rtol=1e-9, atol=1e-9)
    assert np.allclose(batched_sstats, sstats, rtol=1e-9, atol=1e-9)
    assert np.allclose(batched_gamma[-1], fitted.alpha)


def test_batched_model_fits_gensims_topics_and_is_repeatable(news):
    dictionary, bows = news
    options = dict(id2word=dictionary, num_topics=6, random_state=4, passes=3, alpha="auto", chunksize=100,
                   dtype=np.float64)
    plain = LdaModel(bows, **options).get_topics()
    batched = BatchedLdaModel(bows, **options).get_topics()
    assert np.allclose(batched, plain, rtol=1e-6, atol=1e-9)
    assert batched.tobytes() == BatchedLdaModel(bows, **options).get_topics().tobytes()


def test_warm_start_needs_fewer_iterations_and_is_repeatable(news):
    dictionary, bows = news
    options = dict(id2word=dictionary, num_topics=6, random_state=4, passes=4, alpha="auto", chunksize=100,
                   dtype=np.float64)

    def fit(warm):
        model = BatchedLdaModel(None, **options)
        model.warm_start = warm
        model.update(bows[:200])
        return model

    cold, warm, again = fit(False), fit(True), fit(True)
    assert warm.get_topics().tobytes() == again.get_topics().tobytes()
    assert warm.doc_iterations < 0.95 * cold.doc_iterations
    # the cold fit is gensim's: its last pass's gamma is what gensim's E-step gives for that pass
    assert cold.train_gamma.shape == (200, 6) and not np.isnan(cold.train_gamma).any()


def test_document_topics_started_from_the_last_pass_agree_with_a_cold_start(news):
    from scripts.model.fit import document_topics, inference_start

    dictionary, bows = news
    model = BatchedLdaModel(None, id2word=dictionary, num_topics=6, random_state=4, passes=4, alpha="auto",
                            chunksize=100, dtype=np.float64)
    model.update(bows[:250])
    splits = ["train"] * 250 + ["heldout"] * 50
    start = inference_start(splits, model.train_gamma)
    assert np.isnan(start[250:]).all() and not np.isnan(start[:250]).any()
    model.doc_iterations = 0
    cold = document_topics(model, bows, seed=1, chunk=64)
    cold_cost, model.doc_iterations = model.doc_iterations, 0
    warm = document_topics(model, bows, seed=1, chunk=64, start=start)
    assert model.doc_iterations < cold_cost
    difference = np.abs(warm - cold).max(axis=1)
    assert np.quantile(difference, 0.99) < 0.02 and difference.mean() < 0.002
    assert warm.tobytes() == document_topics(model, bows, seed=1, chunk=64, start=start).tobytes()
    assert inference_start(splits[:-1], model.train_gamma) is not None  # fewer held-out rows: still aligned
    assert inference_start(["train"] * 3, model.train_gamma) is None  # counts disagree: cold start


def test_digamma_matches_scipy_over_a_wide_range():
    from scipy.special import psi

    from scripts.model.estep import digamma

    x = np.concatenate([np.logspace(-6, 8, 2001), np.linspace(0.05, 12, 2001)])
    mine = np.array([digamma(value) for value in x])
    assert np.all(np.abs(mine - psi(x)) <= 1e-12 * np.maximum(np.abs(psi(x)), 1.0))


def numpy_inference(model, documents, gamma):
    """The E-step written out with numpy, one document at a time (gensim's loop, in the model's dtype)."""
    from scipy.special import psi

    beta, alpha, epsilon = model.expElogbeta, model.alpha.astype(model.dtype), np.finfo(model.dtype).eps
    gamma, sstats = gamma.copy(), np.zeros_like(beta)
    for d, doc in enumerate(documents):
        ids, counts = [i for i, _ in doc], np.array([c for _, c in doc], dtype=model.dtype)
        gamma_d, beta_d = gamma[d], beta[:, ids]
        theta_d = np.exp(psi(gamma_d) - psi(gamma_d.sum()))
        phinorm = theta_d @ beta_d + epsilon
        for _ in range(model.iterations):
            last = gamma_d
            gamma_d = alpha + theta_d * ((counts / phinorm) @ beta_d.T)
            theta_d = np.exp(psi(gamma_d) - psi(gamma_d.sum()))
            phinorm = theta_d @ beta_d + epsilon
            if np.mean(np.abs(gamma_d - last)) < model.gamma_threshold:
                break
        gamma[d] = gamma_d
        sstats[:, ids] += np.outer(theta_d, counts / phinorm)
    return gamma, sstats * beta


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_compiled_e_step_equals_numpy_on_random_documents_and_repeats_bytes(dtype):
    rng = np.random.default_rng(11)
    n_topics, n_terms = 7, 300
    model = LdaModel(num_topics=n_topics, id2word={i: str(i) for i in range(n_terms)}, alpha="auto", dtype=dtype,
                     random_state=0, iterations=50)
    topics = rng.dirichlet(np.full(n_terms, 0.05), size=n_topics)
    model.expElogbeta = np.exp(np.log(topics) - 0.1 * rng.random((n_topics, n_terms))).astype(dtype)
    model.alpha = rng.uniform(0.05, 0.5, n_topics).astype(dtype)
    documents = []
    for _ in range(60):
        words = np.unique(rng.integers(0, n_terms, rng.integers(0, 40)))
        documents.append([(int(w), float(rng.integers(1, 5))) for w in words])
    results = []
    for _ in range(2):
        model.random_state = np.random.RandomState(3)
        results.append(batched_inference(model, documents, collect_sstats=True))
    start = np.random.RandomState(3).gamma(100.0, 1.0 / 100.0, (len(documents), n_topics)).astype(dtype)
    gamma, sstats = numpy_inference(model, documents, start)
    (compiled_gamma, compiled_sstats), (again_gamma, again_sstats) = results
    assert compiled_gamma.dtype == dtype and compiled_sstats.dtype == dtype
    assert np.allclose(compiled_gamma, gamma, rtol=1e-6, atol=1e-6)
    assert np.allclose(compiled_sstats, sstats, rtol=1e-6, atol=1e-6)
    assert compiled_gamma.tobytes() == again_gamma.tobytes() and compiled_sstats.tobytes() == again_sstats.tobytes()
