"""Entry points of the monitor rules: read new documents, score them, measure drift.

See :mod:`scripts.monitor` for what each rule reads and writes. Each function takes the
Snakemake object; the work is done by :mod:`tokens`, :mod:`scoring` and :mod:`signals`.
"""

import json
import logging
from pathlib import Path

import numpy as np
import pandas as pd

from scripts.ingest.pipeline import IngestError, ingest_corpus, write_outputs
from scripts.logs import UserInputError
from scripts.monitor.scoring import append_curves, fit_inputs, new_shares
from scripts.monitor.settings import MonitorSettings, monitor_corpus
from scripts.monitor.signals import (SIGNAL_COLUMNS, matched_divergence, period_signals, rising_terms, term_counts,
                                     verdicts)
from scripts.monitor.tokens import FrozenTokenizer, read_name_forms, tokenize_documents
from scripts.themes.drift import count_matrix
from scripts.themes.linking import seed_term_ids
from scripts.themes.pipeline import parent_clusters, read_documents, seed_models
from scripts.themes.prevalence import period_start, prevalence_table
from scripts.themes.settings import TimeSettings

logger = logging.getLogger(__name__)


def run_ingest_new_documents(smk) -> None:
    """Rule ``ingest_new_documents``: the ingest stage on ``monitor.path`` (:func:`monitor_corpus`)."""
    corpus = monitor_corpus(dict(smk.params.corpus), dict(smk.params.monitor))
    result = ingest_corpus(corpus)
    if result.documents.empty:
        reasons = ", ".join(f"{reason}: {n}" for reason, n in result.rejected["reason"].value_counts().items())
        raise IngestError(f"monitor.path: no usable document in {corpus['path']} ({result.n_read} read, "
                          f"all set aside: {reasons or 'none found'}); see monitor.corpus for how it is read")
    write_outputs(result, Path(smk.output.documents), Path(smk.output.rejected), Path(smk.output.summary))


def frozen_tokenizer(smk) -> FrozenTokenizer:
    """The run's tokenizer (``params.preprocess``, the aliases file the rule resolved, ``phrases.csv``, ``name_forms.csv``)."""
    preprocess = dict(smk.params.preprocess)
    if isinstance(preprocess["aliases"], str):
        preprocess["aliases"] = str(smk.input.aliases)
    return FrozenTokenizer(preprocess, pd.read_csv(smk.input.phrases, keep_default_na=False),
                           read_name_forms(smk.input.name_forms))


def period_labels(dates, freq: str) -> np.ndarray:
    """ISO first day of each date's period."""
    return period_start(pd.Series(pd.to_datetime(dates)), freq).dt.date.astype(str).to_numpy()


def run_score_new_documents(smk) -> None:
    """Rule ``score_new_documents``: frozen tokens, topic and theme shares, appended curves."""
    from gensim.corpora import Dictionary
    from gensim.models import LdaModel

    logging.getLogger("gensim").setLevel(logging.WARNING)
    time = TimeSettings.from_config(smk.params.time)
    selection = json.loads(Path(smk.input.selection).read_text(encoding="utf-8"))
    k, chosen_seed = int(selection["k"]), int(selection["seed"])
    themes = list(smk.params.themes)
    dictionary = Dictionary.load(smk.input.dictionary)
    term_ids = seed_term_ids(pd.read_csv(smk.input.seed_words), dictionary.token2id, themes)
    tracked = [theme for theme in themes if term_ids[theme]]

    fit_tokens = pd.read_parquet(smk.input.tokens, columns=["doc_id", "date", "tokens"])
    last_fit_period = period_labels(fit_tokens["date"], time.freq).max()
    new = tokenize_documents(smk.input.documents, frozen_tokenizer(smk))
    new["period"] = period_labels(new["date"], time.freq)
    in_fit = new["period"] <= last_fit_period
    if in_fit.any():
        logger.warning("%d new documents fall in or before the fit period's last period (%s): set aside",
                       int(in_fit.sum()), last_fit_period)
    new = new.loc[~in_fit].reset_index(drop=True)
    vocab_tokens = new["tokens"].map(lambda tokens: [t for t in tokens if t in dictionary.token2id])
    has_tokens = (vocab_tokens.map(len) > 0).to_numpy()
    if not has_tokens.any():
        raise UserInputError(f"monitor.path: none of the {len(new)} documents after {last_fit_period} has a word of "
                             "the run's vocabulary (nothing to score)")
    n_oov = [len(tokens) - len(kept) for tokens, kept in zip(new["tokens"], vocab_tokens)]
    table = new[["doc_id", "date", "period", "tokens"]].assign(n_tokens=vocab_tokens.map(len), n_oov=n_oov)
    table.to_parquet(smk.output.tokens, index=False)

    scored = new.loc[has_tokens].reset_index(drop=True)
    bows = [dictionary.doc2bow(tokens) for tokens in vocab_tokens[has_tokens]]
    counts = count_matrix(vocab_tokens[has_tokens].to_numpy(), dictionary.token2id)
    fit = fit_inputs(fit_tokens, dictionary.token2id, term_ids, themes)
    models = seed_models(smk.params.models, k)
    seeds = list(models)
    shares_by_seed = []
    for seed in seeds:
        model = LdaModel.load(models[seed]["model"])
        doc_topic, shares = new_shares(model, pd.read_parquet(models[seed]["doc_topics"]), seed, bows, counts,
                                       term_ids, themes, fit, float(smk.params.linking["min_relative"]))
        shares_by_seed.append(shares[:, [themes.index(theme) for theme in tracked]])
        if seed == chosen_seed:
            chosen_doc_topic = doc_topic
    frame = pd.DataFrame(chosen_doc_topic, columns=[f"topic_{i}" for i in range(k)])
    frame.insert(0, "doc_id", scored["doc_id"].to_numpy())
    frame.to_parquet(smk.output.doc_topics, index=False)
    chosen = seeds.index(chosen_seed)
    doc_themes = pd.DataFrame(np.round(shares_by_seed[chosen], 10), columns=tracked)
    doc_themes.insert(0, "date", pd.to_datetime(scored["date"]).to_numpy())
    doc_themes.insert(0, "doc_id", scored["doc_id"].to_numpy())
    doc_themes.to_parquet(smk.output.doc_themes, index=False)

    clusters = parent_clusters(read_documents(smk.input.documents, scored["doc_id"], []))
    periods = period_start(pd.Series(pd.to_datetime(scored["date"])), time.freq)
    curves = prevalence_table(periods, shares_by_seed, chosen, tracked, n_boot=time.n_boot, level=time.ci_level,
                              seed=time.seed, min_docs=time.min_docs, clusters=clusters, method=time.interval)
    old_text = Path(smk.input.prevalence).read_text(encoding="utf-8")
    Path(smk.output.prevalence).write_text(append_curves(old_text, curves), encoding="utf-8")
    logger.info("%d new documents scored in %d new period(s) (%d set aside in the fit period, %d without a "
                "vocabulary word)", len(scored), periods.nunique(), int(in_fit.sum()), int((~has_tokens).sum()))


def _chosen_model(smk):
    """The chosen model (``selection.json``) and its seed."""
    from gensim.models import LdaModel

    selection = json.loads(Path(smk.input.selection).read_text(encoding="utf-8"))
    seed = int(selection["seed"])
    models = seed_models(smk.params.models, int(selection["k"]))  # results/models/ paths (grid_models)
    return LdaModel.load(models[seed]["model"]), seed


def _fit_tokens(path, freq: str) -> pd.DataFrame:
    fit = pd.read_parquet(path, columns=["doc_id", "date", "split", "tokens"])
    fit["period"] = period_labels(fit["date"], freq)
    return fit


def run_measure_fit_baseline(smk) -> None:
    """Rule ``measure_fit_baseline``: the drift signals of every fit period (once per run)."""
    from gensim.corpora import Dictionary

    logging.getLogger("gensim").setLevel(logging.WARNING)
    time = TimeSettings.from_config(smk.params.time)
    model, seed = _chosen_model(smk)
    dictionary = Dictionary.load(smk.input.dictionary)
    token2id = dictionary.token2id
    fit = _fit_tokens(smk.input.tokens, time.freq)
    heldout = fit[fit["split"] == "heldout"]
    heldout_all = tokenize_documents(smk.input.fit_documents, frozen_tokenizer(smk), doc_ids=set(heldout["doc_id"]))
    heldout_all = heldout_all.set_index("doc_id").reindex(heldout["doc_id"])
    fit_counts = term_counts(fit["tokens"], token2id)
    baseline = []
    for period in sorted(set(fit["period"])):
        members = (fit["period"] == period).to_numpy()
        held = (heldout["period"] == period).to_numpy()
        rest = fit_counts - term_counts(fit.loc[members, "tokens"], token2id)
        baseline += period_signals(period, list(heldout_all["tokens"].to_numpy()[held]), None, token2id, model, seed, None)
        if held.any():
            bows = [dictionary.doc2bow(list(tokens)) for tokens in heldout["tokens"].to_numpy()[held]]
            baseline += period_signals(period, [], bows, token2id, model, seed, None, with_oov=False)
        baseline += period_signals(period, list(fit.loc[members, "tokens"]), None, token2id, model, seed, rest,
                                   with_oov=False)
    baseline = pd.DataFrame(baseline, columns=SIGNAL_COLUMNS)
    baseline = baseline[baseline["n_tokens"] > 0].sort_values(["signal", "period"]).reset_index(drop=True)
    baseline.to_csv(smk.output.baseline, index=False)


def run_measure_drift(smk) -> None:
    """Rule ``measure_drift``: drift signals of every new period against the fit periods, rising terms."""
    from gensim.corpora import Dictionary

    logging.getLogger("gensim").setLevel(logging.WARNING)
    time = TimeSettings.from_config(smk.params.time)
    settings = MonitorSettings.from_config(dict(smk.params.monitor))
    model, seed = _chosen_model(smk)
    dictionary = Dictionary.load(smk.input.dictionary)
    token2id = dictionary.token2id
    fit = _fit_tokens(smk.input.tokens, time.freq)
    fit_counts = term_counts(fit["tokens"], token2id)
    baseline = pd.read_csv(smk.input.baseline, dtype={"period": str})
    new = pd.read_parquet(smk.input.new_tokens, columns=["doc_id", "period", "tokens"])
    tables = []
    for period in sorted(set(new["period"])):
        tokens = [list(t) for t in new.loc[new["period"] == period, "tokens"]]
        bows = [dictionary.doc2bow([t for t in doc if t in token2id]) for doc in tokens]
        rows = pd.DataFrame(period_signals(period, tokens, bows, token2id, model, seed, fit_counts), columns=SIGNAL_COLUMNS)
        n_vocab = int(rows.loc[rows["signal"] == "term_divergence", "n_tokens"].iloc[0])
        matched = matched_divergence(fit, token2id, fit_counts, n_vocab, time.seed)
        reference = pd.concat([baseline[baseline["signal"] != "term_divergence"], matched], ignore_index=True)
        tables.append(verdicts(rows, reference, settings.max_z))
    signals = pd.concat(tables, ignore_index=True)
    signals.sort_values(["period", "signal"]).to_csv(smk.output.signals, index=False)
    for row in signals.itertuples():
        logger.info("%s %s = %s (fit %s ± %s, z %s): %s", row.period, row.signal, row.value, row.fit_mean,
                    row.fit_sd, row.z, row.verdict)

    vocabulary = pd.read_csv(smk.input.vocabulary, keep_default_na=False)
    fit_term_counts = dict(zip(vocabulary["term"].astype(str), vocabulary["corpus_freq"].astype(int)))
    new_term_counts: dict = {}
    for tokens in new["tokens"]:
        for token in tokens:
            new_term_counts[token] = new_term_counts.get(token, 0) + 1
    rising = rising_terms(new_term_counts, fit_term_counts, set(token2id), settings.smoothing, settings.min_count,
                          settings.rising_terms)
    rising.to_csv(smk.output.rising_terms, index=False)

