"""Ingest only (not the workflow) of the three shared corpora with their configs in config/corpora/.

Skipped when ../shared/corpora is absent. Timings are measured by bench/bench_ingest.py, not here.
"""

import re

import pandas as pd
import pytest
import yaml

from conftest import REPO, shared_corpus
from scripts.ingest.dates import make_date
from scripts.ingest.pipeline import ingest_corpus, summarise
from scripts.settings import section

pytestmark = pytest.mark.corpora
KNOWN_REASONS = {"unreadable", "binary_file", "malformed_row", "malformed_front_matter", "no_date", "bad_date",
                 "future_date", "out_of_date_range", "duplicate_id", "empty_text", "too_short", "not_spanish",
                 "exact_duplicate", "near_duplicate"}


def ingest_shared(name, **overrides):
    """Ingest a shared corpus with its config (corpus.path pointed at the shared copy)."""
    path = shared_corpus(name)
    corpus = yaml.safe_load((REPO / "config" / "corpora" / f"{name}.yaml").read_text(encoding="utf-8"))["corpus"]
    result = ingest_corpus(section("corpus", {**corpus, **overrides, "path": str(path)}))
    summary = summarise(result)
    assert summary["n_read"] == summary["n_kept"] + summary["n_rejected"]
    assert set(summary["rejected_by_reason"]) <= KNOWN_REASONS
    assert result.documents["doc_id"].is_unique
    return result, summary


@pytest.fixture(scope="module")
def jornada():
    return ingest_shared("jornada_zacatecas")


@pytest.fixture(scope="module")
def mananeras():
    return ingest_shared("mananeras_mx")


def test_jornada_zacatecas(jornada):
    result, summary = jornada
    docs = result.documents
    assert summary["n_read"] == 18419 and summary["date_sources"] == {"path": 18419}
    assert summary["n_kept"] >= 17500, summary["rejected_by_reason"]
    assert (summary["date_min"], summary["date_max"]) == ("2013-04-01", "2014-02-24")
    assert list(summary["documents_per_period"])[0] == "2013-04-01" and len(summary["documents_per_period"]) == 11
    assert {"section", "location"} <= set(docs.columns)
    assert docs["section"].notna().mean() > 0.99 and docs["location"].notna().sum() > 12000
    assert {"Mundo", "Deportes", "Opinión"} <= set(docs["section"])
    assert not docs["text"].str.contains(r"<p|<img|!\[\]|http://i\.imgur", regex=True).any()
    days = docs["doc_id"].str.extract(r"_posts/(\d{4})/(\d{2})/(\d{2})/").agg("-".join, axis=1)
    assert (pd.to_datetime(days) == docs["date"]).all()


def test_jornada_reader_keeps_every_article_when_filters_are_off():
    """Reading loses nothing: with the length and duplicate filters off, >= 18,300 articles are kept.

    The shipped config filters image-only posts (< 5 words) and reposts; those are set aside with
    their reason, which is why ``test_jornada_zacatecas`` expects fewer.
    """
    _, summary = ingest_shared("jornada_zacatecas", min_words=1, duplicates={"exact": False, "near": False})
    assert summary["n_kept"] >= 18300, summary["rejected_by_reason"]
    assert set(summary["rejected_by_reason"]) <= {"empty_text"}


def test_mananeras_speaker_turns(mananeras):
    result, summary = mananeras
    docs = result.documents
    assert summary["n_sources_read"] == 1170 and summary["date_sources"] == {"text": 1170}
    assert not {"no_date", "bad_date", "unreadable"} & set(summary["rejected_by_reason"])
    assert summary["n_read"] == 109433  # every turn of every transcript, kept or set aside
    assert docs["speaker"].ne("").mean() > 0.99 and docs["doc_id"].str.contains("#").all()
    assert docs["parent_id"].nunique() >= 1160
    top = docs["speaker"].value_counts().index[:3].tolist()
    assert "PREGUNTA" in top and "PRESIDENTE ANDRÉS MANUEL LÓPEZ OBRADOR" in top
    parts = docs["parent_id"].str.extract(r"articulos/(\d{4})/([a-z]+)/(\d{2})--")
    path_dates = [make_date(year, month, day) for year, month, day in parts.itertuples(index=False)]
    assert (pd.Series(path_dates, dtype="datetime64[ns]") == docs["date"]).all()
    assert (summary["date_min"], summary["date_max"]) == ("2022-01-03", "2026-08-21")


def test_fakenews_keeps_topic_labels():
    result, summary = ingest_shared("fakenews_es")
    docs = result.documents
    assert summary["n_read"] == 971 and summary["n_kept"] >= 950
    assert summary["date_sources"] == {"default": 971} and summary["date_min"] == summary["date_max"] == "2018-01-01"
    assert set(docs["topic"]) == {"Politics", "Entertainment", "Society", "Sport", "Science", "Health", "Economy",
                                  "Security", "Education"}
    assert set(docs["category"]) == {"True", "Fake"}
    assert docs["doc_id"].str.match(r"^(train|development):\d+$").all()
    assert not docs["text"].map(lambda text: bool(re.search(r"\*NUMBER\*", text))).any()
