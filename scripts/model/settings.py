"""Typed settings of the model stage, built from the validated ``model`` config section.

The Snakefile validates the config and fills in every default of
``workflow/schemas/config.schema.yaml``; these classes only give the already-complete values
names and types, so they have no defaults of their own. This module imports no gensim, so the
rules can use :func:`lda_options` to pick the keys a fit depends on.

Example
-------
>>> from scripts.settings import section
>>> LdaSettings(**lda_options(section("model"))).passes
10
>>> SelectionRule(**section("model")["selection"]).metric
'npmi'
"""


from dataclasses import asdict, dataclass, fields


@dataclass(frozen=True)
class LdaSettings:
    """gensim ``LdaModel`` options of every fit (``model.*`` keys of the same names).

    Parameters
    ----------
    passes, iterations, chunksize, update_every : int
        Passes over the corpus, variational iterations per document and training pass,
        documents per update, chunks per update.
    inference_iterations : int
        Variational iterations per document of every inference with the fitted model (the
        saved model's ``iterations``).
    alpha, eta : str or float
        Document-topic and topic-word priors.
    warm_start : bool
        Start each pass's E-step from the previous pass's document weights
        (:class:`scripts.model.estep.BatchedLdaModel`).
    engine : {"gensim", "tomotopy"}
        Online variational Bayes (gensim) or collapsed Gibbs sampling (tomotopy,
        :mod:`scripts.model.gibbs`).
    gibbs_iterations : int
        Gibbs sweeps of the tomotopy engine (``passes`` is gensim's).
    early_stop : float or None
        gensim engine: end the fit when a pass lowers the held-out perplexity by less than this
        fraction (None: always ``passes``).
    """

    passes: int
    iterations: int
    inference_iterations: int
    alpha: str | float
    eta: str | float
    chunksize: int
    update_every: int
    warm_start: bool
    engine: str
    gibbs_iterations: int
    early_stop: float | None

    def options(self) -> dict:
        """The gensim settings of the training as ``LdaModel`` keyword arguments
        (``inference_iterations``, ``warm_start``, ``engine``, ``gibbs_iterations`` and
        ``early_stop`` are not)."""
        options = asdict(self)
        for key in ("inference_iterations", "warm_start", "engine", "gibbs_iterations", "early_stop"):
            options.pop(key)
        return options


def lda_options(model: dict) -> dict:
    """The keys of the ``model`` section that :class:`LdaSettings` holds (the ``fit_lda`` params)."""
    return {field.name: model[field.name] for field in fields(LdaSettings)}


@dataclass(frozen=True)
class SeededPrior:
    """``model.seeded``: flat prior of non-seed pairs and the boost of seed terms in their topic."""

    base: float
    boost: float


@dataclass(frozen=True)
class SelectionRule:
    """``model.selection``: the rule that picks K and the seed (see :mod:`scripts.model.selection`).

    Parameters
    ----------
    metric : str
        Measure whose mean over seeds is optimised.
    min_stability : float
        K with a lower mean stability are set aside.
    tolerance : float
        K within this of the best mean metric count as tied.
    seed_by : {"stability", "metric"}
        How the seed within the chosen K is picked.
    """

    metric: str
    min_stability: float
    tolerance: float
    seed_by: str


def uses_seeded_prior(theme_method: str, k: int, n_themes: int) -> bool:
    """Whether a K-topic fit gets the keyword-assisted prior.

    ``seeded`` always (K below the number of themes is a config error, caught earlier);
    ``guided`` when every theme can have its own topic (``k >= n_themes``), else a plain fit;
    ``mapped`` never.

    Example
    -------
    >>> [uses_seeded_prior(m, 4, 6) for m in ("mapped", "seeded", "guided")], uses_seeded_prior("guided", 6, 6)
    ([False, True, False], True)
    """
    return theme_method == "seeded" or (theme_method == "guided" and k >= n_themes)
