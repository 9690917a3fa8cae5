"""The ingest pipeline: filters in order, segmentation, summary and deterministic outputs."""

import json

import pandas as pd
import pytest

from scripts.ingest.pipeline import ingest, ingest_corpus, summarise, write_outputs
from scripts.settings import section
from scripts.logs import UserInputError

BODY = ("La secretaría de salud informó hoy sobre la campaña de vacunación en las escuelas primarias del estado "
        "y pidió a los padres de familia acudir a los centros de salud más cercanos")


def write(folder, name, date, body=BODY, title="Nota"):
    (folder / name).write_text(f" date {date} {title}\n{body}\n", encoding="utf-8")


def test_txt_corpus_from_the_generator(txt_corpus):
    folder, articles, _ = txt_corpus
    result = ingest(folder)
    assert len(result.documents) == len(articles) and result.rejected.empty
    assert list(result.documents.columns[:6]) == ["doc_id", "date", "title", "text", "source", "parent_id"]


def test_filters_and_summary(tmp_path):
    write(tmp_path, "a.txt", "2024-01-05")
    write(tmp_path, "b.txt", "2024-01-06", BODY.upper() + "!")  # exact copy, later: rejected
    write(tmp_path, "c.txt", "2024-02-01", BODY + " esta semana")  # near copy
    write(tmp_path, "d.txt", "2023-12-31", "Otra nota sobre el precio del frijol en los mercados de Fresnillo y Jerez")
    write(tmp_path, "e.txt", "2024-03-01", "Corta")
    write(tmp_path, "f.txt", "2024-03-02", "Una nota sobre el torneo de futbol local que ganó el equipo de la capital")
    result = ingest(tmp_path, date_range={"start": "2024-01-01", "end": "2024-12-31"}, min_words=3)
    by_id = dict(zip(result.rejected["row_or_id"], result.rejected["reason"]))
    assert by_id == {"b": "exact_duplicate", "c": "near_duplicate", "d": "out_of_date_range", "e": "too_short"}
    assert result.documents["doc_id"].tolist() == ["a", "f"]
    summary = summarise(result)
    assert summary["n_read"] == 6 == summary["n_kept"] + summary["n_rejected"]
    assert summary["rejected_by_reason"] == {"exact_duplicate": 1, "near_duplicate": 1, "out_of_date_range": 1, "too_short": 1}
    assert summary["documents_per_period"] == {"2024-01-01": 1, "2024-03-01": 1}
    assert summary["rejected_per_period"] == {"2023-12-01": 1, "2024-01-01": 1, "2024-02-01": 1, "2024-03-01": 1}
    assert (summary["date_min"], summary["date_max"]) == ("2024-01-05", "2024-03-02")
    detail = result.rejected.set_index("row_or_id")["detail"]
    assert detail["b"] == "copy of a" and detail["c"] == "copy of a"


def test_speaker_turns_segments(tmp_path):
    transcript = ("Versión estenográfica. Conferencia de prensa\nPresidencia de la República\n03 de febrero de 2025\n"
                  f"---\nPRESIDENTA CLAUDIA SHEINBAUM PARDO\n{BODY}\nSegundo párrafo del mensaje.\n"
                  "---\nPREGUNTA\nGracias.\n---\nINTERLOCUTOR\n¿Qué opina del acuerdo de seguridad con Estados Unidos y de los aranceles anunciados?\n")
    (tmp_path / "03--conferencia.txt").write_text(transcript, encoding="utf-8")
    result = ingest(tmp_path, date_from_text=3, segment="speaker_turns", min_words=3)
    docs = result.documents
    assert docs["doc_id"].tolist() == ["03--conferencia#0001", "03--conferencia#0003"]
    assert docs["speaker"].tolist() == ["PRESIDENTA CLAUDIA SHEINBAUM PARDO", "INTERLOCUTOR"]
    assert docs["parent_id"].eq("03--conferencia").all() and docs["date"].dt.day.eq(3).all()
    assert docs["title"].iloc[0] == "Versión estenográfica. Conferencia de prensa"
    assert result.rejected[["row_or_id", "reason"]].values.tolist() == [["03--conferencia#0002", "too_short"]]
    assert summarise(result)["read_unit"].startswith("segment")


def test_paragraphs_title_in_text_and_default_date(tmp_path):
    table = tmp_path / "t.csv"
    table.write_text(f'id,title,text\n7,Titular,"{BODY}\n\nSegundo párrafo con más palabras aquí."\n', encoding="utf-8")
    result = ingest(table, default_date="2018-01-01", segment="paragraphs", title_in_text=True)
    assert result.documents["text"].tolist() == [f"Titular {BODY}", "Segundo párrafo con más palabras aquí."]
    assert result.documents["doc_id"].tolist() == ["7#0001", "7#0002"]
    assert result.info["date_sources"] == {"default": 1}


def test_keep_column_cannot_overwrite_a_core_column(tmp_path):
    with pytest.raises(UserInputError, match="corpus.keep_columns: 'text' is a core column"):
        ingest_corpus(section("corpus", {"path": str(tmp_path), "keep_columns": ["text"]}))


def test_kept_front_matter_field_missing_everywhere_is_flagged(tmp_path, caplog):
    (tmp_path / "a.md").write_text(f"---\ntitle: A\ndate: 2024-01-02\ncategory: Mundo\n---\n{BODY}", encoding="utf-8")
    result = ingest_corpus(section("corpus", {"path": str(tmp_path), "keep_columns": ["categoria"]}))
    assert "field 'categoria' is in none of the 1 documents" in caplog.text
    assert summarise(result)["keep_columns_empty"] == ["categoria"]


def test_outputs_are_byte_identical_across_runs(tmp_path, txt_corpus):
    folder, _, _ = txt_corpus
    write(folder, "zz_bad.txt", "2024-99-01")
    contents = []
    for run in ("one", "two"):
        out = tmp_path / run
        out.mkdir()
        write_outputs(ingest(folder), out / "d.parquet", out / "r.csv", out / "s.json")
        contents.append([(out / name).read_bytes() for name in ("d.parquet", "r.csv", "s.json")])
    assert contents[0] == contents[1]
    summary = json.loads(contents[0][2])
    assert summary["n_read"] == summary["n_kept"] + summary["n_rejected"]
    assert pd.read_csv(tmp_path / "one" / "r.csv").columns.tolist() == ["source_file", "row_or_id", "reason", "detail", "date"]
