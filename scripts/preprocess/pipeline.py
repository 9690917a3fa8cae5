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

Passes: (1) each batch is tokenized and its raw tokens stored as integer ids (a numpy array
per batch, :func:`scripts.preprocess.token_ids.encode_batch`), their occurrences and sentence
starts counted, and each distinct raw token lemmatized once; the parent then decides the proper names on the
whole corpus (:mod:`scripts.preprocess.names`) and gives every raw token its term id; (1b) the
raw ids become streams of term ids with those decisions, and phrase candidates are counted;
(2) phrases are joined, terms counted and each phrase's original words counted; (3)
bag-of-words in the workers, then the tables that do not need it (surface and name forms,
vocabulary, phrases), while this process writes the dictionary, the seed words and the corpora. After tokenization no pass touches a Python string per running word: streams,
candidate counts, phrase joining and bags of words are numpy operations on the id arrays
(:mod:`scripts.preprocess.token_ids`, which gives exactly the counts and joins of the string
functions in :mod:`scripts.preprocess.phrases` and :mod:`scripts.preprocess.surface`).

Pass 1 runs in two steps. The workers tokenize every batch (no lemmatizer needed), while the
parent loads simplemma's dictionary and imports gensim (:func:`load_lemmatizer`); then the
corpus's distinct raw tokens are split into interleaved shares, and workers forked after the
load (inheriting the dictionary) give each token's form once in the corpus, with the name
reading of each capitalised word. Forms are a pure function of the word, so how the work is
split changes the speed only, never the outputs.

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
from multiprocessing import get_context
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from scripts.preprocess import corpus_io, token_ids
from scripts.preprocess.aliases import load_aliases
from scripts.preprocess.phrases import apply_phrases, final_tokens, phrase_table
from scripts.preprocess.names import CaseEvidence, name_form_table, resolved_forms
from scripts.preprocess.normalise import Normaliser, default_stopwords
from scripts.preprocess.surface import alias_spellings, surface_table, unigram_surfaces
from scripts.logs import UserInputError
from scripts.preprocess.vocabulary import build_dictionary, seed_word_table

logger = logging.getLogger(__name__)

BATCH_SIZE = 1000  # documents per task; fixed so outputs do not depend on the number of workers
TOKENIZE_IN_FLIGHT_PER_THREAD = 6  # pass 1 batches queued per worker (about 2 s of tokenizing on jornada)
FORM_CHUNKS_PER_THREAD = 4  # pass 1 lemmatizing tasks per worker (interleaved shares of the distinct raw tokens)
MAX_PHRASE_VOCAB = 20_000_000  # word and candidate-phrase counts kept in memory (gensim's default is 40M)


def normaliser_settings(settings: dict, base: Path | None = None) -> dict:
    """A copy of the ``preprocess`` config section (validated, every default filled in) with the aliases loaded."""
    return {**settings, "aliases": load_aliases(settings["aliases"], base)}


def make_normaliser(settings: dict, load_now: bool = True, lemma_table: Path | None = None) -> Normaliser:
    """The :class:`~scripts.preprocess.normalise.Normaliser` described by filled-in settings (see :func:`normaliser_settings`).

    ``load_now=False`` leaves simplemma's dictionary to :meth:`~scripts.preprocess.normalise.Normaliser.load_dictionary`;
    ``lemma_table`` is the same dictionary as a faster file (:mod:`scripts.preprocess.lemma_table`).
    """
    phrases = settings["phrases"]
    return Normaliser(
        load_now=load_now,
        lemma_table=lemma_table,
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


def _tokenize_batch(task: tuple) -> tuple:
    """Pass 1: texts of a batch → raw token ids (written to a file) and their counts.

    Returns the batch's distinct raw tokens with their occurrences and sentence-start
    occurrences. Tokenizing needs no lemmatizer, so these workers start before simplemma's
    dictionary is loaded.
    """
    index, ids, texts = task
    normaliser = _STATE["normaliser"]
    if not isinstance(texts, list):  # an Arrow array from corpus_io.document_batches
        texts = texts.to_pylist()
    vocab, codes, offsets = token_ids.encode_batch([normaliser.words(text) for text in texts])
    corpus_io.write_arrays(_STATE["workdir"], "raw", index, ids, codes=codes, offsets=offsets)
    counts = np.bincount(codes, minlength=len(vocab))
    initial = np.bincount(codes[token_ids.sentence_initial(codes, offsets, token_ids.openers(vocab))], minlength=len(vocab))
    return index, pa.array(vocab, type=pa.string()), counts, initial


def _form_chunk(tokens: list[str]) -> tuple[list[str], list[tuple[str, str]]]:
    """Pass 1: the stream form of each of some distinct raw tokens (each lemmatized once in the corpus).

    With workers, also the name reading of every capitalised word (its dictionary lemma is
    cached by then), so the parent's name decisions find them instead of computing them serially.
    """
    normaliser = _STATE["normaliser"]
    forms = list(map(normaliser.stream_form, tokens))
    names = []
    if _STATE["share_forms"]:
        start = normaliser.n_known_names
        deque(map(normaliser.name_form, dict.fromkeys(token.lower() for token in tokens if token[:1].isupper())), maxlen=0)
        names = normaliser.name_forms_since(start)
    return forms, names


def _streams(index: int, levels: int) -> tuple:
    """A batch's stream of term ids after ``levels`` phrase models, its offsets and raw spans, and its raw ids."""
    stored = corpus_io.read_arrays(_STATE["workdir"], "raw", index)
    raw, offsets = _STATE["raw_ids"][index][stored["codes"]], stored["offsets"]
    stream = _STATE["raw_terms"][raw]
    spans = np.repeat(np.arange(len(stream), dtype=np.int64)[:, None], 2, axis=1)
    for model in _STATE["models"][:levels]:
        stream, offsets, spans = token_ids.join_phrases(_STATE["terms"], stream, offsets, spans, model)
    return stream, offsets, spans, raw, stored["offsets"]


def _count_batch(task: tuple) -> tuple:
    """Passes 1b and 2: phrase-candidate counts of a batch after ``levels`` phrase models."""
    index, levels = task
    stream, offsets, _, _, _ = _streams(index, levels)
    return index, token_ids.count_candidates(_STATE["terms"], stream, offsets)


def _final_batch(task: tuple) -> tuple:
    """Pass 2: join every phrase model; count the terms of the training documents and the original words of each phrase."""
    index, is_heldout = task
    table = _STATE["terms"]
    stream, offsets, spans, raw, raw_offsets = _streams(index, len(_STATE["models"]))
    positions, final_offsets = token_ids.final_positions(table, stream, offsets)
    terms = stream[positions]
    corpus_io.write_arrays(_STATE["workdir"], "final", index, terms=terms, offsets=final_offsets)
    surfaces = Counter(), Counter()
    if _STATE["models"]:
        is_initial = token_ids.sentence_initial(raw, raw_offsets, _STATE["raw_openers"])
        surfaces = token_ids.phrase_surfaces(table, stream, spans, raw, raw_offsets, _STATE["raw_vocab"], is_initial)
    return (index, token_ids.term_counts(terms, final_offsets, is_heldout, len(table.strings)), *surfaces)


def _write_table(name: str) -> None:
    """Pass 3: build one of the tables that need no bag-of-words and write its CSV."""
    _STATE["tables"][name]().to_csv(_STATE["outputs"][name], index=False)


def _pass3_task(task: tuple) -> dict:
    """Pass 3: a table (``("table", name)``: nothing to return) or a batch's bag-of-words (``("bow", ...)``)."""
    if task[0] == "table":
        _write_table(task[1])
        return {}
    return _bow_batch(task[1:])


def _bow_batch(task: tuple) -> dict:
    """Pass 3: keep vocabulary terms; ``tokens.parquet`` rows and Matrix Market lines of a batch."""
    index, is_heldout, first_docno = task
    workdir = _STATE["workdir"]
    stored = corpus_io.read_arrays(workdir, "final", index)
    dictionary_ids = _STATE["dictionary_ids"][stored["terms"]]
    keep = dictionary_ids >= 0
    kept_before = np.concatenate([[0], np.cumsum(keep)])
    offsets = kept_before[stored["offsets"]]
    tokens = pa.ListArray.from_arrays(pa.array(offsets, type=pa.int32()), _STATE["term_strings"].take(stored["terms"][keep]))
    corpus_io.write_tokens_batch(workdir, index, corpus_io.read_ids(workdir, "raw", index), is_heldout, tokens,
                                 np.diff(offsets))
    document, term, count = token_ids.bag_of_words(dictionary_ids[keep], offsets)
    nnz = {}
    for split, held in (("train", False), ("heldout", True)):
        in_split = is_heldout == held
        docno = np.cumsum(in_split) + first_docno[split]  # 1-based number of each document within its split
        rows = in_split[document]
        corpus_io.write_mm_part(workdir, split, index, token_ids.mm_text(docno[document[rows]], term[rows] + 1, count[rows]))
        nnz[split] = int(rows.sum())
    return nnz


def _map(function, tasks, threads: int, in_flight: int | None = None):
    """``map`` over tasks in order, in ``threads`` forked processes when more than one.

    At most ``in_flight`` tasks (default: 2 per worker, so memory stays bounded) are queued
    before the first result is awaited.
    """
    if threads <= 1:
        yield from map(function, tasks)
        return
    in_flight = in_flight or 2 * threads
    with get_context("fork").Pool(threads) as pool:
        pending: deque = deque()
        for task in tasks:
            pending.append(pool.apply_async(function, (task,)))
            if len(pending) >= in_flight:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()


def load_lemmatizer(normaliser: Normaliser) -> None:
    """Load simplemma's dictionary (0.35-0.75 s) and import gensim (about 1 s, only the later passes use it).

    Pass 1 calls this once its tokenizing workers are forked, so both overlap their work instead
    of delaying the first document; the workers forked later inherit the dictionary. simplemma's
    dictionary (millions of objects) is then frozen: neither scanned by the cycle collector nor
    copied page by page into the workers. Loading is all it does: outputs do not change.
    """
    normaliser.load_dictionary()
    import gensim.corpora  # noqa: F401
    import gensim.models.phrases  # noqa: F401

    gc.freeze()


def run_preprocess(documents_path: Path, outputs: dict, settings: dict, themes: dict, threads: int = 1,
                   base: Path | None = None, lemma_table: Path | None = None) -> dict:
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
    lemma_table : pathlib.Path, optional
        simplemma's Spanish dictionary as a faster file (:mod:`scripts.preprocess.lemma_table`; the
        rule's ``results/cache/lemmas_es.tsv``); default: simplemma's own. Outputs are the same.

    Returns
    -------
    dict
        Counts for the log: ``n_documents, n_heldout, n_terms, n_kept, n_phrases``.
    """
    settings = normaliser_settings(settings, base)
    normaliser = make_normaliser(settings, load_now=False, lemma_table=lemma_table)  # loaded by load_lemmatizer, then frozen
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
        _STATE.update(normaliser=normaliser, workdir=Path(tmp), share_forms=threads > 1, models=[], phrasegrams=[])
        models = _STATE["phrasegrams"]  # gensim's phrasegrams of each model (``_STATE["models"]``: the same in term ids)
        clock, cpu = time.perf_counter(), time.process_time()
        # enough batches are queued that the workers tokenize while this process loads
        # simplemma's dictionary and the modules of the later passes (a bounded number: memory)
        batch_vocabs, raw_counts = [], []
        tokenized = _map(_tokenize_batch, corpus_io.document_batches(documents_path, BATCH_SIZE), threads,
                         in_flight=TOKENIZE_IN_FLIGHT_PER_THREAD * threads)
        for done, (_, vocab, counts, initial) in enumerate(tokenized):
            if not done:
                load_lemmatizer(normaliser)
            batch_vocabs.append(vocab)
            raw_counts.append((counts, initial))
        raw_vocab, raw_ids = token_ids.global_ids(batch_vocabs)
        # each distinct raw token of the corpus is lemmatized once, in interleaved shares (the
        # workers fork now and inherit the dictionary)
        n_chunks = FORM_CHUNKS_PER_THREAD * threads
        chunks = [raw_vocab[i::n_chunks] for i in range(n_chunks)]
        for chunk, (chunk_forms, chunk_names) in zip(chunks, _map(_form_chunk, chunks, threads, in_flight=n_chunks)):
            normaliser.remember_forms(zip(chunk, chunk_forms))
            normaliser.remember_name_forms(chunk_names)
        total, total_initial = np.zeros(len(raw_vocab), dtype=np.int64), np.zeros(len(raw_vocab), dtype=np.int64)
        for ids, (counts, initial) in zip(raw_ids, raw_counts):
            total[ids] += counts
            total_initial[ids] += initial
        evidence = CaseEvidence(Counter(dict(zip(raw_vocab, total.tolist()))),
                                Counter({token: n for token, n in zip(raw_vocab, total_initial.tolist()) if n}))
        forms = resolved_forms(normaliser, evidence)
        table = token_ids.TermTable(forms.values(), normaliser.connector_words)
        _STATE.update(raw_ids=raw_ids, raw_vocab=raw_vocab, raw_openers=token_ids.openers(raw_vocab), terms=table,
                      raw_terms=np.fromiter((table.index[forms[token]] for token in raw_vocab), dtype=np.int64,
                                            count=len(raw_vocab)))
        logger.info("pass 1 (normalise %d documents, %d threads): %.1f s (this process: %.1f CPU-s); %d proper names kept"
                    " out of lemmatisation", n_documents, threads, time.perf_counter() - clock, time.process_time() - cpu,
                    len(evidence.proper_names()))
        vocabs = []
        for level in range(1 + phrases["trigrams"] if phrases["enabled"] else 0):
            counted = (part for _, part in _map(_count_batch, [(i, level) for i in range(n_batches)], threads))
            summed = token_ids.sum_candidates(counted, table, MAX_PHRASE_VOCAB)
            phrasegrams, counts, model = token_ids.learn_phrases(summed, table, phrases)
            _STATE["models"].append(model)
            models.append(phrasegrams)
            vocabs.append(counts)
        strings = table.strings
        doc_freq, corpus_freq, n_train = np.zeros(len(strings), dtype=np.int64), np.zeros(len(strings), dtype=np.int64), 0
        phrase_counts, phrase_mid = Counter(), Counter()
        for _, (terms, part_df, part_cf, part_n), part_phrases, part_mid in _map(
                _final_batch, [(i, held[i]) for i in range(n_batches)], threads):
            doc_freq[terms] += part_df
            corpus_freq[terms] += part_cf
            n_train += part_n
            phrase_counts.update(part_phrases)
            phrase_mid.update(part_mid)
        seen = np.flatnonzero(corpus_freq).tolist()
        doc_freq = dict(zip([strings[t] for t in seen], doc_freq[seen].tolist()))
        corpus_freq = dict(zip([strings[t] for t in seen], corpus_freq[seen].tolist()))
        logger.info("pass 2 (phrases, counts): %.1f s since start (this process: %.1f CPU-s)", time.perf_counter() - clock,
                    time.process_time() - cpu)
        dictionary, vocabulary = build_dictionary(
            doc_freq, corpus_freq, n_train, settings["no_below"], settings["no_above"], settings["keep_n"]
        )
        if len(dictionary) == 0:
            raise UserInputError(
                f"preprocess: every one of {len(vocabulary)} terms was cut from the vocabulary; lower "
                "preprocess.no_below or raise preprocess.no_above"
            )
        token2id = dictionary.token2id
        _STATE.update(term_strings=pa.array(strings, type=pa.string()),
                      dictionary_ids=np.fromiter((token2id.get(term, -1) for term in strings), dtype=np.int64,
                                                 count=len(strings)))
        n_heldout_before = np.concatenate([[0], np.cumsum([h.sum() for h in held])]).astype(int)
        bows = [("bow", i, held[i], {"train": i * BATCH_SIZE - int(n_heldout_before[i]),
                                     "heldout": int(n_heldout_before[i])}) for i in range(n_batches)]
        # the workers (forked with everything they read) make the bags of words, then build the
        # tables that do not need them, the longest first; meanwhile this process writes the
        # dictionary and the seed words, then tokens.parquet batch by batch as the bags are made,
        # then the Matrix Market corpora (their headers need every batch's count of non-zeros).
        # All is queued at once: the results are a few numbers.
        _STATE["outputs"], _STATE["tables"] = outputs, {
            "surface_forms": lambda: surface_table(token2id, unigram_surfaces(evidence, forms, token2id), phrase_counts,
                                                   phrase_mid, alias_spellings(settings["aliases"])),
            "name_forms": lambda: name_form_table(evidence, forms),
            "vocabulary": lambda: vocabulary,
            "phrases": lambda: phrase_table(models, vocabs),
        }
        tasks = bows + [("table", name) for name in _STATE["tables"]]
        done = _map(_pass3_task, tasks, threads, in_flight=len(tasks))
        nnz = next(done)  # the first batch's (the workers are forked by now)
        dictionary.save(str(outputs["dictionary"]))
        names = evidence.proper_names()
        to_tokens = lambda text: _seed_tokens(normaliser, names, text)  # noqa: E731

        def batches_done():
            """Each batch's index once its bag of words is made, in order, adding its non-zeros to ``nnz``."""
            yield 0
            for index in range(1, n_batches):
                part = next(done)
                for split in nnz:
                    nnz[split] += part[split]
                yield index

        seeds = seed_word_table(themes, to_tokens, dictionary, vocabulary)
        seeds.to_csv(outputs["seed_words"], index=False)
        n_rows = corpus_io.write_tokens(Path(tmp), batches_done(), outputs["tokens"])
        logger.info("wrote %s (%d rows)", outputs["tokens"], n_rows)
        n_docs = {"train": n_documents - int(is_heldout.sum()), "heldout": int(is_heldout.sum())}
        corpus_io.write_mm(Path(tmp), n_batches, outputs, n_docs, nnz, len(dictionary))
        deque(done, maxlen=0)  # the tables
        logger.info("pass 3 (bag-of-words, outputs): %.1f s since start (this process: %.1f CPU-s)",
                    time.perf_counter() - clock, time.process_time() - cpu)
    for row in seeds.loc[~seeds["in_vocabulary"]].itertuples():
        logger.warning("theme %s: seed word %r (%s) is not in the vocabulary: %s", row.theme, row.seed_word, row.term, row.reason)
    return {"n_documents": n_documents, "n_heldout": int(is_heldout.sum()), "n_terms": len(vocabulary),
            "n_kept": len(dictionary), "n_phrases": sum(len(m) for m in models)}


def _seed_tokens(normaliser: Normaliser, names: frozenset[str], text: str) -> list[str]:
    """A seed word's terms: lowercased, a corpus name kept as written, else lemmatized like the corpus."""
    words = [word.lower() for word in normaliser.words(text)]
    stream = " ".join(normaliser.name_form(w) if w in names else normaliser.stream_form(w) for w in words)
    for phrasegrams in _STATE["phrasegrams"]:  # a few words: the plain walk, no joiner to compile
        stream = apply_phrases(stream, phrasegrams, normaliser.connector_words)
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
    summary = run_preprocess(Path(smk.input.documents), outputs, settings, dict(smk.params.themes), threads=smk.threads,
                             lemma_table=Path(smk.input.lemma_table))
    logger.info("%s", summary)
    check_some_seed_word(pd.read_csv(outputs["seed_words"]))
    # the job's process ends here; Python's last cycle collection would walk every object left
    # (simplemma's dictionary and the stage's tables: 0.2-0.4 s) to free what exiting frees anyway
    gc.freeze()

