"""The preprocess stage on a generated corpus: contract of the outputs, determinism across threads.

Runtime: ~20 s (three runs of the stage on 600 documents, one with two worker processes).
"""

import filecmp

import pandas as pd
import pytest
from gensim.corpora import Dictionary, MmCorpus

from scripts.preprocess import pipeline as preprocess
from scripts.settings import section
from scripts.preprocess.pipeline import run_preprocess

NAMES = ("tokens.parquet", "dictionary.gensim", "train.mm", "heldout.mm", "vocabulary.csv", "seed_words.csv", "phrases.csv",
         "surface_forms.csv", "name_forms.csv")
THEMES = {
    "seguridad": ["operativos", "Guardia Nacional", "inteligencia"],
    "fentanilo": ["fentanilo", "sobredosis"],
    "vacio": ["dijo", "palabrainexistente"],
}


@pytest.fixture(scope="module")
def documents_path(tmp_path_factory, small_articles):
    articles, _ = small_articles
    frame = articles[["doc_id", "date", "title", "text"]].copy()
    frame["date"] = pd.to_datetime(frame["date"])
    frame.loc[3, "text"] += " La Guardia Nacional y EE.UU. acordaron con AMLO. Estados Unidos presiona."
    path = tmp_path_factory.mktemp("ingest") / "documents.parquet"
    frame.to_parquet(path, index=False)
    return path


def run(folder, documents_path, threads=1, **settings):
    outputs = {name.split(".")[0]: folder / name for name in NAMES}
    base = {"no_below": 3, "phrases": {"min_count": 10}}
    summary = run_preprocess(documents_path, outputs, section("preprocess", {**base, **settings}), THEMES, threads=threads)
    return outputs, summary


@pytest.fixture(scope="module")
def single(tmp_path_factory, documents_path):
    preprocess.BATCH_SIZE = 128  # several batches, so worker order matters
    try:
        return run(tmp_path_factory.mktemp("threads1"), documents_path, threads=1)
    finally:
        preprocess.BATCH_SIZE = 1000


def test_two_threads_are_byte_identical_to_one(tmp_path, documents_path, single, monkeypatch):
    monkeypatch.setattr(preprocess, "BATCH_SIZE", 128)
    outputs, _ = run(tmp_path, documents_path, threads=2)
    for name, path in outputs.items():
        assert filecmp.cmp(path, single[0][name], shallow=False), name


def test_other_batch_and_lemmatizing_splits_give_the_same_bytes(tmp_path, documents_path, single, monkeypatch):
    # several tokenizing batches per worker, one lemmatizing share per worker (forms and name
    # readings come back from the workers in another order and grouping)
    monkeypatch.setattr(preprocess, "BATCH_SIZE", 128)
    monkeypatch.setattr(preprocess, "FORM_CHUNKS_PER_THREAD", 1)
    outputs, summary = run(tmp_path, documents_path, threads=2)
    assert summary["n_documents"] > 2 * 128  # more batches than workers
    for name, path in outputs.items():
        assert filecmp.cmp(path, single[0][name], shallow=False), name


def test_tokens_table_follows_the_contract(single, documents_path):
    outputs, summary = single
    documents = pd.read_parquet(documents_path)
    tokens = pd.read_parquet(outputs["tokens"])
    assert list(tokens.columns) == ["doc_id", "date", "split", "tokens", "n_tokens"]
    assert tokens["doc_id"].tolist() == documents["doc_id"].tolist()
    assert (tokens["date"] == documents["date"]).all()
    assert set(tokens["split"]) == {"train", "heldout"}
    assert (tokens["split"] == "heldout").sum() == summary["n_heldout"] == 60
    dictionary = Dictionary.load(str(outputs["dictionary"]))
    assert all(t in dictionary.token2id for doc in tokens["tokens"] for t in doc)
    assert (tokens["n_tokens"] == tokens["tokens"].map(len)).all()
    row = tokens.loc[3, "tokens"].tolist()
    assert {"guardia_nacional", "estados_unidos"} <= set(row) or "guardia_nacional" in row


def test_matrix_market_rows_match_tokens(single):
    outputs, _ = single
    tokens = pd.read_parquet(outputs["tokens"])
    dictionary = Dictionary.load(str(outputs["dictionary"]))
    for split in ("train", "heldout"):
        corpus = list(MmCorpus(str(outputs[split])))
        expected = [sorted(dictionary.doc2bow(list(t))) for t in tokens.loc[tokens["split"] == split, "tokens"]]
        assert [sorted((int(i), int(c)) for i, c in doc) for doc in corpus] == expected


def test_vocabulary_and_seed_words_say_what_was_cut(single):
    outputs, _ = single
    vocabulary = pd.read_csv(outputs["vocabulary"], keep_default_na=False)
    assert {"term", "doc_freq", "kept", "reason"} <= set(vocabulary.columns)
    assert (vocabulary.loc[~vocabulary["kept"], "reason"] != "").all()
    assert (vocabulary.loc[vocabulary["kept"], "reason"] == "").all()
    assert not vocabulary["term"].isin(["decir", "explicar", "según", "semana"]).any()
    seeds = pd.read_csv(outputs["seed_words"], keep_default_na=False)
    assert list(seeds.columns[:4]) == ["theme", "seed_word", "term", "in_vocabulary"]
    by_word = seeds.groupby("seed_word")
    assert set(by_word.get_group("operativos")["term"]) <= {"operativo"} | {t for t in seeds["term"] if "operativo" in t}
    assert by_word.get_group("Guardia Nacional")["term"].tolist() == ["guardia_nacional"]
    assert not by_word.get_group("dijo")["in_vocabulary"].any()
    assert not by_word.get_group("palabrainexistente")["in_vocabulary"].any()
    phrases = pd.read_csv(outputs["phrases"])
    assert len(phrases) > 0 and (phrases["phrase"].str.contains("_")).all()


def test_phrases_off_and_everything_cut(tmp_path, documents_path):
    outputs, summary = run(tmp_path / "off", documents_path, phrases={"enabled": False})
    assert summary["n_phrases"] == 0 and len(pd.read_csv(outputs["phrases"])) == 0
    tokens = pd.read_parquet(outputs["tokens"])
    assert not any("_" in t and t not in ("guardia_nacional", "estados_unidos", "lopez_obrador") for doc in tokens["tokens"] for t in doc)
    from scripts.logs import UserInputError
    with pytest.raises(UserInputError, match="no_below"):
        run(tmp_path / "cut", documents_path, no_below=10_000)
