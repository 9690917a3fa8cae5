"""Topic descriptions: label guesses from top terms and representative documents."""

import pandas as pd

from scripts.report.topic_labels import label_guesses, representative_documents


def test_label_skips_terms_every_topic_shares_and_writes_phrases_with_spaces():
    topic_terms = pd.DataFrame(
        {
            "topic": [0] * 4 + [1] * 4,
            "rank": [1, 2, 3, 4] * 2,
            "term": ["gobierno", "estados_unidos", "arancel", "comercio", "gobierno", "gol", "estadio", "torneo"],
            "weight": [0.12, 0.10, 0.09, 0.08, 0.12, 0.11, 0.09, 0.08],
        }
    )
    labels = label_guesses(topic_terms, pd.DataFrame({"topic": [0, 1], "share": [0.5, 0.5]}))
    assert labels["label"].tolist() == ["estados unidos / arancel / comercio", "gol / estadio / torneo"]
    assert labels.loc[0, "top_terms"] == "gobierno, estados unidos, arancel, comercio"
    assert labels["share"].tolist() == [0.5, 0.5]


def test_representative_documents_are_the_top_three_distinct_titles_with_dates():
    doc_topics = pd.DataFrame(
        {
            "doc_id": ["a", "b", "c", "d", "e"],
            "split": ["train"] * 4 + ["heldout"],
            "topic_0": [0.9, 0.8, 0.7, 0.2, 0.95],
            "topic_1": [0.1, 0.2, 0.3, 0.8, 0.05],
        }
    )
    documents = pd.DataFrame(
        {
            "doc_id": ["a", "b", "c", "d", "e"],
            "date": pd.to_datetime(["2024-01-03", "2024-02-01", "2024-03-01", "2024-04-01", "2024-05-09"]),
            "title": ["Uno", "Uno", "Tres", "Cuatro", "Cinco"],
        }
    )
    docs = representative_documents(doc_topics, documents)
    topic_0 = docs[docs["topic"] == 0]
    assert topic_0["doc_id"].tolist() == ["e", "a", "c"]  # "b" repeats the title of "a"
    assert topic_0["date"].tolist() == ["2024-05-09", "2024-01-03", "2024-03-01"]
    assert docs[docs["topic"] == 1]["doc_id"].tolist()[0] == "d"
