"""Preprocess stage: documents → tokens → phrases → gensim dictionary and streamed bag-of-words corpora.

Outputs (all under ``results/corpus/``): ``tokens.parquet`` (one row per document, in
``documents.parquet`` order: ``doc_id, date, split, tokens, n_tokens``; tokens are vocabulary
terms only), ``dictionary.gensim``, ``train.mm`` and ``heldout.mm`` (gensim Matrix Market
corpora, rows in ``tokens.parquet`` order within each split), ``vocabulary.csv`` (every term seen
in the training documents, with its frequencies and whether it was kept or why it was cut),
``seed_words.csv`` (each theme seed word, its normal form and whether it is in the vocabulary),
``phrases.csv`` (the learned phrases with counts and scores) and ``surface_forms.csv`` (each
kept term as the corpus most often writes it, :mod:`scripts.preprocess.surface`).
``name_forms.csv`` keeps the form of every capitalised token (:func:`~scripts.preprocess.names.name_form_table`).

Passes: (1) each batch is tokenized (raw tokens written to a file), its case evidence counted
and its new words lemmatized; the parent then decides the proper names on the whole corpus
(:mod:`scripts.preprocess.names`); (1b) raw tokens become streams with those decisions, and
phrase candidates are counted; (2) phrases are joined, terms counted and each phrase's original
words counted; (3) bag-of-words.

The corpus is never held whole in memory: documents are read from ``documents.parquet`` in
batches, each batch is normalised by a worker process and written to a temporary file, and the
later passes (phrases, counts, bag-of-words) stream those files. Batches are fixed-size and
results are combined in batch order, so the outputs are byte-identical whatever ``threads`` is.

Each distinct raw word is normalised (lemmatized) once per process. With several workers, pass 1
first normalises ``WARMUP_BATCHES_PER_THREAD`` batches per worker; the workers send back the
word forms they learned (every batch does, so the parent ends up knowing every word's form), the
parent adds them to its cache, and the workers forked for the remaining batches inherit them (with simplemma's dictionary, loaded before any fork) instead of
each lemmatizing the frequent words again. Forms are a pure function of the word, so this
changes the speed only, never the outputs.

Example
-------
>>> from scripts.settings import section
>>> settings = normaliser_settings(section("preprocess", {"normalize": "lemmatize"}))
>>> make_normaliser(settings).tokens("Los operativos presionan en Estados Unidos")
['operativo', 'presionar', 'estados_unidos']
"""


import gc
import logging
import tempfile
import time
from collections import Counter, deque
from itertools import chain, islice
from multiprocessing import get_context
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
from gensim.utils import prune_vocab

from scripts.preprocess import corpus_io
from scripts.preprocess.aliases import load_aliases
from scripts.preprocess.phrases import PhraseJoiner, count_phrase_vocab, final_tokens, freeze_phrases, merge_vocab, phrase_table
from scripts.preprocess.names import CaseEvidence, name_form_table, resolved_forms
from scripts.preprocess.normalise import Normaliser, default_stopwords
from scripts.preprocess.surface import alias_spellings, count_phrase_surfaces, surface_table, unigram_surfaces
from scripts.logs import UserInputError
from scripts.preprocess.vocabulary import build_dictionary, count_terms, seed_word_table

logger = logging.getLogger(__name__)

BATCH_SIZE = 1000  # documents per task; fixed so outputs do not depend on the number of workers
WARMUP_BATCHES_PER_THREAD = 2  # pass 1 batches normalised before the workers of the other batches fork
MAX_PHRASE_VOCAB = 20_000_000  # word and candidate-phrase counts kept in memory (gensim's default is 40M)


def normaliser_settings(settings: dict, base: Path | None = None) -> dict:
    """A copy of the ``preprocess`` config section (validated, every default filled in) with the aliases loaded."""
    return {**settings, "aliases": load_aliases(settings["aliases"], base)}


def make_normaliser(settings: dict) -> Normaliser:
    """The :class:`~scripts.preprocess.normalise.Normaliser` described by filled-in settings (see :func:`normaliser_settings`)."""
    phrases = settings["phrases"]
    return Normaliser(
        method=settings["normalize"],
        stopwords=default_stopwords() | {w.lower() for w in settings["extra_stopwords"]},
        min_token_len=settings["min_token_len"],
        keep_numbers=settings["keep_numbers"],
        accents=not settings["strip_accents"],
        aliases=settings["aliases"],
        connector_words=frozenset(phrases["connector_words"]) if phrases["enabled"] else frozenset(),
    )


def heldout_mask(n_documents: int, fraction: float, seed: int) -> np.ndarray:
    """Boolean mask of held-out documents: ``round(fraction * n)`` drawn with ``seed``.

    >>> heldout_mask(10, 0.2, seed=1).sum()
    np.int64(2)
    """
    mask = np.zeros(n_documents, dtype=bool)
    n_heldout = int(round(fraction * n_documents))
    if n_heldout and n_documents - n_heldout >= 1:
        mask[np.random.default_rng(seed).choice(n_documents, size=n_heldout, replace=False)] = True
    return mask


# ---- Worker tasks: module globals are set before the pool forks ------------------------------

_STATE: dict = {}


def _normalise_batch(task: tuple) -> tuple:
    """Pass 1: texts of a batch → raw tokens (written to a file), their case evidence, their forms.

    The stream forms this batch added to the worker's cache are returned (with workers), so the
    parent knows the form of every raw token of the corpus before it decides the names.
    """
    index, ids, texts = task
    normaliser = _STATE["normaliser"]
    if not isinstance(texts, list):  # an Arrow array from corpus_io.document_batches
        texts = texts.to_pylist()
    n_known = normaliser.n_known_forms
    raws = [" ".join(normaliser.words(text)) for text in texts]
    corpus_io.write_batch(_STATE["workdir"], "raw", index, ids, raws)
    evidence = CaseEvidence.from_token_strings(raws)
    knows = normaliser.knows
    new_tokens = [token for token in evidence.counts if not knows(token)]
    deque(map(normaliser.stream_form, new_tokens), maxlen=0)  # lemmatize each new word once
    return index, evidence, normaliser.forms_since(n_known) if _STATE["share_forms"] else []


def _stream_batch(task: tuple) -> tuple:
    """Pass 1b: raw tokens → streams with the corpus's name decisions; phrase counts if phrases are on."""
    index = task
    ids, raws = corpus_io.read_batch(_STATE["workdir"], "raw", index)
    form = _STATE["forms"].__getitem__
    streams = [" ".join(map(form, raw.split())) for raw in raws]
    corpus_io.write_batch(_STATE["workdir"], "stream", index, ids, streams)
    if _STATE["count_phrases"]:
        return (index, *count_phrase_vocab(streams, _STATE["connector_words"]))
    return index, {}, 0


def _phrase_batch(task: tuple) -> tuple:
    """Pass 2: apply one phrase model (or none); count the next model's vocabulary or the final terms.

    The final step also counts the original words of every joined phrase (:mod:`surface`).
    """
    index, source, target, model_index, is_heldout = task
    workdir = _STATE["workdir"]
    ids, streams = corpus_io.read_batch(workdir, source, index)
    joined = streams
    if model_index is not None:
        joiners = _STATE.setdefault("joiners", {})  # compiled once per worker process
        if model_index not in joiners:
            joiners[model_index] = PhraseJoiner(_STATE["models"][model_index])
        join = joiners[model_index].apply
        joined = [join(stream) for stream in streams]
    if target != "final":
        corpus_io.write_batch(workdir, target, index, ids, joined)
        return (index, *count_phrase_vocab(joined, _STATE["connector_words"]))
    token_lists = [final_tokens(stream, _STATE["connector_words"]) for stream in joined]
    corpus_io.write_batch(workdir, target, index, ids, [" ".join(t) for t in token_lists])
    surfaces = Counter(), Counter()
    if model_index is not None:
        originals = streams if source == "stream" else corpus_io.read_batch(workdir, "stream", index)[1]
        surfaces = count_phrase_surfaces(zip(originals, joined, corpus_io.read_batch(workdir, "raw", index)[1]))
    return (index, *count_terms(tokens for tokens, held in zip(token_lists, is_heldout) if not held), *surfaces)


def _bow_batch(task: tuple) -> tuple:
    """Pass 3: keep vocabulary terms; bag-of-words ids and counts."""
    index, is_heldout, first_docno = task
    return corpus_io.vocabulary_batch(_STATE["workdir"], index, _STATE["token2id"], is_heldout, first_docno)


def _summed_vocab(results) -> tuple[dict, int]:
    """Phrase counts of every batch, summed in batch order."""
    vocab: dict[str, int] = {}
    n_words, min_reduce = 0, 1
    for _, part, part_words in results:
        merge_vocab(vocab, part)
        n_words += part_words
        if len(vocab) > MAX_PHRASE_VOCAB:  # as gensim Phrases(max_vocab_size): drop the rarest
            prune_vocab(vocab, min_reduce)
            min_reduce += 1
    return vocab, n_words


def _map(function, tasks, threads: int):
    """``map`` over tasks in order, in ``threads`` forked processes when more than one."""
    if threads <= 1:
        yield from map(function, tasks)
        return
    with get_context("fork").Pool(threads) as pool:
        pending: deque = deque()  # at most 2 tasks per worker in flight: memory stays bounded
        for task in tasks:
            pending.append(pool.apply_async(function, (task,)))
            if len(pending) >= 2 * threads:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()


def run_preprocess(documents_path: Path, outputs: dict, settings: dict, themes: dict, threads: int = 1,
                   base: Path | None = None) -> dict:
    """Run the whole stage and write every output file.

    Parameters
    ----------
    documents_path : pathlib.Path
        ``documents.parquet`` from ingest (``doc_id, date, title, text``).
    outputs : dict
        Output paths keyed ``tokens, dictionary, train, heldout, vocabulary, seed_words, phrases``.
    settings : dict
        The ``preprocess`` config section, validated and with every schema default filled in
        (the rule's ``params.settings``; in Python, :func:`scripts.settings.section`).
    themes : dict
        Theme name → seed words.
    threads : int
        Worker processes.
    base : pathlib.Path, optional
        Directory a relative ``aliases`` path is read from first.

    Returns
    -------
    dict
        Counts for the log: ``n_documents, n_heldout, n_terms, n_kept, n_phrases``.
    """
    settings = normaliser_settings(settings, base)
    normaliser = make_normaliser(settings)
    # simplemma's dictionary (millions of objects) is neither scanned by the cycle collector
    # nor copied page by page into the forked workers when they touch it
    gc.freeze()
    try:
        return _run_passes(documents_path, outputs, settings, normaliser, themes, threads)
    finally:
        gc.unfreeze()


def _run_passes(documents_path: Path, outputs: dict, settings: dict, normaliser: Normaliser, themes: dict,
                threads: int) -> dict:
    """The passes of :func:`run_preprocess` with filled-in ``settings`` and their normaliser."""
    phrases = settings["phrases"]
    n_documents = pq.ParquetFile(documents_path).metadata.num_rows
    if n_documents == 0:
        raise UserInputError(f"{documents_path}: no documents to preprocess; check corpus.path")
    is_heldout = heldout_mask(n_documents, settings["heldout_fraction"], settings["seed"])
    n_batches = -(-n_documents // BATCH_SIZE)
    held = [is_heldout[i * BATCH_SIZE:(i + 1) * BATCH_SIZE] for i in range(n_batches)]
    workdir = Path(outputs["tokens"]).parent
    workdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=workdir, prefix=".preprocess-") as tmp:
        _STATE.update(normaliser=normaliser, workdir=Path(tmp), count_phrases=phrases["enabled"], share_forms=threads > 1,
                      connector_words=normaliser.connector_words, models=[], joiners={})
        clock = time.perf_counter()
        # With workers, a first round of a few batches teaches the parent the frequent words'
        # forms; the workers forked for the rest inherit them instead of each lemmatizing them.
        batches = corpus_io.document_batches(documents_path, BATCH_SIZE)
        first_round = islice(batches, WARMUP_BATCHES_PER_THREAD * threads if threads > 1 else 0)
        evidence = CaseEvidence()
        for _, part, learned in chain(_map(_normalise_batch, first_round, threads), _map(_normalise_batch, batches, threads)):
            normaliser.remember_forms(learned)
            evidence.update(part)
        forms = _STATE["forms"] = resolved_forms(normaliser, evidence)
        logger.info("pass 1 (normalise %d documents, %d threads): %.1f s; %d proper names kept out of lemmatisation",
                    n_documents, threads, time.perf_counter() - clock, len(evidence.proper_names()))
        vocab, n_words = _summed_vocab(_map(_stream_batch, range(n_batches), threads))
        vocabs, source, model_index = [], "stream", None
        if phrases["enabled"]:
            vocabs.append(vocab)
            _STATE["models"].append(freeze_phrases(vocab, n_words, phrases))
            model_index = 0
            if phrases["trigrams"]:
                tasks = [(i, source, "bigrams", 0, held[i]) for i in range(n_batches)]
                vocab, n_words = _summed_vocab(_map(_phrase_batch, tasks, threads))
                vocabs.append(vocab)
                _STATE["models"].append(freeze_phrases(vocab, n_words, phrases))
                source, model_index = "bigrams", 1
        doc_freq, corpus_freq, n_train = Counter(), Counter(), 0
        phrase_counts, phrase_mid = Counter(), Counter()
        tasks = [(i, source, "final", model_index, held[i]) for i in range(n_batches)]
        for _, part_df, part_cf, part_n, part_phrases, part_mid in _map(_phrase_batch, tasks, threads):
            merge_vocab(doc_freq, part_df)
            merge_vocab(corpus_freq, part_cf)
            n_train += part_n
            phrase_counts.update(part_phrases)
            phrase_mid.update(part_mid)
        logger.info("pass 2 (phrases, counts): %.1f s since start", time.perf_counter() - clock)
        dictionary, vocabulary = build_dictionary(
            doc_freq, corpus_freq, n_train, settings["no_below"], settings["no_above"], settings["keep_n"]
        )
        if len(dictionary) == 0:
            raise UserInputError(
                f"preprocess: every one of {len(vocabulary)} terms was cut from the vocabulary; lower "
                "preprocess.no_below or raise preprocess.no_above"
            )
        _STATE["token2id"] = dictionary.token2id
        n_heldout_before = np.concatenate([[0], np.cumsum([h.sum() for h in held])]).astype(int)
        tasks = [(i, held[i], {"train": i * BATCH_SIZE - int(n_heldout_before[i]), "heldout": int(n_heldout_before[i])})
                 for i in range(n_batches)]
        nnz = {"train": 0, "heldout": 0}
        for part in _map(_bow_batch, tasks, threads):
            nnz = {split: nnz[split] + part[split] for split in nnz}
        n_docs = {"train": n_documents - int(is_heldout.sum()), "heldout": int(is_heldout.sum())}
        corpus_io.write_corpus(Path(tmp), n_batches, outputs, n_docs, nnz, len(dictionary))
        logger.info("pass 3 (bag-of-words, outputs): %.1f s since start", time.perf_counter() - clock)
    dictionary.save(str(outputs["dictionary"]))
    vocabulary.to_csv(outputs["vocabulary"], index=False)
    surfaces = surface_table(dictionary.token2id, unigram_surfaces(evidence, forms, dictionary.token2id), phrase_counts,
                             phrase_mid, alias_spellings(settings["aliases"]))
    surfaces.to_csv(outputs["surface_forms"], index=False)
    phrase_table(_STATE["models"], vocabs).to_csv(outputs["phrases"], index=False)
    name_form_table(evidence, forms).to_csv(outputs["name_forms"], index=False)
    names = evidence.proper_names()
    to_tokens = lambda text: _seed_tokens(normaliser, names, text)  # noqa: E731
    seeds = seed_word_table(themes, to_tokens, dictionary, vocabulary)
    seeds.to_csv(outputs["seed_words"], index=False)
    for row in seeds.loc[~seeds["in_vocabulary"]].itertuples():
        logger.warning("theme %s: seed word %r (%s) is not in the vocabulary: %s", row.theme, row.seed_word, row.term, row.reason)
    return {"n_documents": n_documents, "n_heldout": int(is_heldout.sum()), "n_terms": len(vocabulary),
            "n_kept": len(dictionary), "n_phrases": sum(len(m) for m in _STATE["models"])}


def _seed_tokens(normaliser: Normaliser, names: frozenset[str], text: str) -> list[str]:
    """A seed word's terms: lowercased, a corpus name kept as written, else lemmatized like the corpus."""
    words = [word.lower() for word in normaliser.words(text)]
    stream = " ".join(normaliser.name_form(w) if w in names else normaliser.stream_form(w) for w in words)
    joiners = _STATE["joiners"]
    for index, model in enumerate(_STATE["models"]):
        if index not in joiners:
            joiners[index] = PhraseJoiner(model)
        stream = joiners[index].apply(stream)
    return final_tokens(stream, normaliser.connector_words)


def check_some_seed_word(seeds: pd.DataFrame) -> None:
    """Stop before any model is fitted when no seed word of any theme is in the vocabulary.

    Every theme would then be empty (no curve, no drift, nothing to report), which is a problem of
    the themes or of the corpus, so it is said in one line now rather than after the whole grid.

    Raises
    ------
    scripts.logs.UserInputError
        Naming the ``themes`` key and the themes.
    """
    if len(seeds) and not seeds["in_vocabulary"].any():
        names = ", ".join(dict.fromkeys(map(str, seeds["theme"])))
        raise UserInputError(f"themes: no seed word of any theme ({names[:200]}) is in the corpus vocabulary, so every"
                             f" theme would be empty; check the seed words against the corpus (the log lists each word"
                             f" and why it was left out) or corpus.path")


def run_preprocess_corpus(smk) -> None:
    """Snakemake entry point."""
    outputs = {name: Path(path) for name, path in smk.output.items()}
    settings = dict(smk.params.settings)
    if isinstance(settings["aliases"], str):
        settings["aliases"] = str(smk.input.aliases)  # resolved by the rule (run folder, then repository)
    summary = run_preprocess(Path(smk.input.documents), outputs, settings, dict(smk.params.themes), threads=smk.threads)
    logger.info("%s", summary)
    check_some_seed_word(pd.read_csv(outputs["seed_words"]))

