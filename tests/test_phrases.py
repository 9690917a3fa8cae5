"""Phrase counts and joining match gensim ``Phrases`` (runtime: < 2 s)."""

import random

from gensim.models.phrases import Phrases

from scripts.preprocess.phrases import PhraseJoiner, count_phrase_vocab, final_tokens, freeze_phrases, phrase_table, segments


def joined_tokens(stream, phrasegrams, connectors):
    """Content tokens of a stream with the phrases joined, as preprocess does."""
    return final_tokens(PhraseJoiner(phrasegrams).apply(stream), connectors)


def random_streams(seed: int, n: int = 200) -> list[str]:
    rng = random.Random(seed)
    words = ["guardia nacional", "crimen", "organizado", "de", "del", "salud", "secretaría de salud", "",
             "crimen organizado", "secretaría", "nacional", "tema"]
    return [" ".join(rng.choice(words) for _ in range(rng.randint(0, 30))) for _ in range(n)]


def test_counts_equal_gensims():
    connectors = frozenset({"de", "del"})
    streams = random_streams(1)
    vocab, n_words = count_phrase_vocab(streams, connectors)
    gensim = Phrases([s for stream in streams for s in segments(stream)], min_count=1, delimiter=" ",
                     connector_words=connectors)
    assert vocab == gensim.vocab
    assert n_words == gensim.corpus_word_count


def test_joining_equals_gensims():
    connectors = frozenset({"de", "del"})
    streams = random_streams(2)
    vocab, n_words = count_phrase_vocab(streams, connectors)
    settings = {"min_count": 5, "threshold": 0.05, "scoring": "npmi"}
    phrasegrams = freeze_phrases(vocab, n_words, settings)
    gensim = Phrases([s for stream in streams for s in segments(stream)], min_count=5, threshold=0.05,
                     scoring="npmi", delimiter=" ", connector_words=connectors).freeze()
    assert phrasegrams == gensim.phrasegrams and phrasegrams
    for stream in streams:
        expected = [t.replace(" ", "_") for seg in segments(stream) for t in gensim[seg] if t not in connectors]
        assert joined_tokens(stream, phrasegrams, connectors) == expected


def test_phrases_form_and_table_lists_them():
    streams = ["crimen organizado  derechos humanos  tema libre"] * 30 + ["crimen  humanos  tema"] * 3
    vocab, n_words = count_phrase_vocab(streams, frozenset())
    phrasegrams = freeze_phrases(vocab, n_words, {"min_count": 20, "threshold": 0.5, "scoring": "npmi"})
    assert joined_tokens(streams[0], phrasegrams, frozenset()) == ["crimen_organizado", "derechos_humanos", "tema_libre"]
    assert joined_tokens(streams[-1], phrasegrams, frozenset()) == ["crimen", "humanos", "tema"]
    table = phrase_table([phrasegrams], [vocab])
    assert list(table.columns) == ["phrase", "n_words", "count", "score", "model"]
    assert set(table["phrase"]) == {"crimen_organizado", "derechos_humanos", "tema_libre"}
    assert (table["count"] == 30).all()


def test_regex_joiner_equals_gensims_greedy_walk():
    from scripts.preprocess.phrases import apply_phrases

    connectors = frozenset({"de", "del"})
    streams = random_streams(3, n=500)
    vocab, n_words = count_phrase_vocab(streams, connectors)
    phrasegrams = freeze_phrases(vocab, n_words, {"min_count": 5, "threshold": -0.2, "scoring": "npmi"})
    assert len(phrasegrams) > 10
    joiner = PhraseJoiner(phrasegrams)
    for stream in streams:
        assert joiner.apply(stream) == apply_phrases(stream, phrasegrams, connectors)
