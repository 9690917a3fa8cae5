"""Vocabulary filtering and the seed-word table (runtime: < 1 s)."""

from collections import Counter

from scripts.preprocess.vocabulary import build_dictionary, count_terms, seed_word_table


def test_filter_extremes_reasons_and_sorted_ids():
    docs = [["paz", "guerra", "común"], ["paz", "común"], ["paz", "tregua", "común"], ["común", "guerra"]]
    dictionary, vocabulary = build_dictionary(*count_terms(docs), no_below=2, no_above=0.9, keep_n=10)
    assert list(dictionary.token2id) == ["guerra", "paz"] and dictionary.token2id["guerra"] == 0
    reasons = dict(zip(vocabulary["term"], vocabulary["reason"]))
    assert reasons["común"].startswith("doc_freq > no_above")
    assert reasons["tregua"].startswith("doc_freq < no_below")
    assert reasons["paz"] == "" and dictionary.dfs[dictionary.token2id["paz"]] == 3
    _, capped = build_dictionary(*count_terms(docs), no_below=1, no_above=1.0, keep_n=1)
    assert capped.loc[capped["term"] == "guerra", "reason"].item().startswith("beyond keep_n")


def test_seed_words_map_to_terms_phrases_or_reasons():
    docs = [["guardia_nacional", "soberanía_nacional", "paz"]] * 3 + [["raro"]]
    dictionary, vocabulary = build_dictionary(*count_terms(docs), no_below=2, no_above=1.0, keep_n=None)
    to_tokens = {"Guardia Nacional": ["guardia_nacional"], "soberanía": ["soberanía"], "raro": ["raro"],
                 "dijo": [], "paz social": ["paz", "social"]}.__getitem__
    table = seed_word_table({"t": list(["Guardia Nacional", "soberanía", "raro", "dijo", "paz social"])},
                            to_tokens, dictionary, vocabulary)
    rows = {(r.seed_word, r.term): (r.in_vocabulary, r.reason) for r in table.itertuples()}
    assert rows[("Guardia Nacional", "guardia_nacional")] == (True, "")
    assert rows[("soberanía", "soberanía_nacional")][0] is True  # only inside a learned phrase
    assert rows[("raro", "raro")] == (False, "doc_freq < no_below (2)")
    assert rows[("dijo", "")][0] is False
    assert rows[("paz social", "paz")] == (True, "") and rows[("paz social", "social")][0] is False
    assert Counter(table["seed_word"])["paz social"] == 2
