"""Bad input at ingest (issue 9): each case ends in kept + rejected-with-reason, or a short error
naming the file/row/key and the fix. No traceback reaches the user."""

import json
import time
from types import SimpleNamespace

import pandas as pd
import pytest

from conftest import demo_config, run_workflow
from scripts.ingest.pipeline import IngestError, ingest_corpus
from scripts.settings import section
from scripts.ingest.pipeline import run_ingest_corpus as main
from scripts.logs import UserInputError

BODY = ("El ayuntamiento de Zacatecas presentó hoy el programa de obras para la temporada de lluvias "
        "con recursos estatales y federales para los barrios del centro histórico.")


def article(date: str, body: str = BODY, title: str = "Nota") -> str:
    return f" date {date} {title}\n{body}\n"


def ingest(path, **corpus):
    result = ingest_corpus(section("corpus", {"path": str(path), **corpus}))
    assert result.n_read == len(result.documents) + len(result.rejected)
    return result


def reasons(result) -> dict:
    return dict(zip(result.rejected["source_file"] + "|" + result.rejected["row_or_id"].astype(str), result.rejected["reason"]))


def run_main(path, tmp_path, **corpus):
    out = tmp_path / "out"
    out.mkdir(exist_ok=True)
    smk = SimpleNamespace(params=SimpleNamespace(corpus=section("corpus", {"path": str(path), **corpus})),
                          output=SimpleNamespace(documents=out / "d.parquet", rejected=out / "r.csv", summary=out / "s.json"))
    main(smk)
    return json.loads((out / "s.json").read_text(encoding="utf-8")), pd.read_csv(out / "r.csv")


def test_non_utf8_and_mixed_encodings_are_decoded(tmp_path):
    (tmp_path / "latin.txt").write_bytes(article("2024-01-02", BODY + " Año de niños.").encode("cp1252"))
    mixed = article("2024-01-03", BODY).encode("utf-8") + "Señalización en Jerez y Fresnillo.\n".encode("cp1252")
    (tmp_path / "mixed.txt").write_bytes(mixed)
    result = ingest(tmp_path)
    texts = dict(zip(result.documents["doc_id"], result.documents["text"]))
    assert texts["latin"].endswith("Año de niños.")
    assert texts["mixed"].endswith("Señalización en Jerez y Fresnillo.")
    assert result.info["encodings"] == {"cp1252": 1, "mixed utf-8/cp1252": 1}


def test_configured_wrong_encoding_names_the_fix(tmp_path):
    (tmp_path / "a.txt").write_bytes(article("2024-01-02", BODY + " ñ").encode("cp1252"))
    result = ingest(tmp_path, encoding="utf-8")
    assert result.rejected["reason"].tolist() == ["unreadable"]
    assert "corpus.encoding" in result.rejected["detail"][0]


def test_binary_file_in_the_corpus_folder(tmp_path):
    (tmp_path / "ok.txt").write_text(article("2024-01-02"), encoding="utf-8")
    (tmp_path / "foto.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (tmp_path / "foto.jpg").write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF")
    result = ingest(tmp_path)
    assert reasons(result) == {"foto.txt|foto": "binary_file"}
    assert result.info["files_ignored"] == {".jpg": 1}


def test_missing_invalid_and_future_dates(tmp_path):
    (tmp_path / "sin_fecha.txt").write_text("Un titular sin cabecera\n" + BODY, encoding="utf-8")
    (tmp_path / "invalida.txt").write_text(article("2024-13-45"), encoding="utf-8")
    (tmp_path / "basura.txt").write_text(article("ayer"), encoding="utf-8")
    (tmp_path / "futura.txt").write_text(article("2150-01-01"), encoding="utf-8")
    (tmp_path / "ok.txt").write_text(article("2024-02-29"), encoding="utf-8")
    result = ingest(tmp_path)
    assert reasons(result) == {"sin_fecha.txt|sin_fecha": "no_date", "invalida.txt|invalida": "bad_date",
                               "basura.txt|basura": "bad_date", "futura.txt|futura": "future_date"}
    assert result.documents["doc_id"].tolist() == ["ok"]
    detail = dict(zip(result.rejected["row_or_id"], result.rejected["detail"]))
    assert "corpus.date_from_path" in detail["sin_fecha"] and "'2024-13-45'" in detail["invalida"]


def test_empty_and_whitespace_only_texts(tmp_path):
    (tmp_path / "vacio.txt").write_text(" date 2024-01-02 Titular\n", encoding="utf-8")
    (tmp_path / "blancos.txt").write_text(" date 2024-01-02 Titular\n \t\n\u00a0\n  \n", encoding="utf-8")
    (tmp_path / "cero.txt").write_bytes(b"")
    (tmp_path / "ok.txt").write_text(article("2024-01-02"), encoding="utf-8")
    result = ingest(tmp_path)
    assert reasons(result) == {"vacio.txt|vacio": "empty_text", "blancos.txt|blancos": "empty_text", "cero.txt|cero": "no_date"}
    table = tmp_path / "t.csv"
    table.write_text(f"id,date,text\n1,2024-01-02,\n2,2024-01-02,\"   \"\n3,2024-01-02,{BODY}\n", encoding="utf-8")
    assert set(ingest(table).rejected["reason"]) == {"empty_text"}


def test_duplicate_ids_keep_the_first(tmp_path):
    table = tmp_path / "t.csv"
    table.write_text(f"id,date,text\nA,2024-01-02,{BODY}\nA,2024-01-03,Otra nota distinta sobre el campo.\n", encoding="utf-8")
    result = ingest(table)
    assert result.documents["date"].dt.day.tolist() == [2]
    assert result.rejected[["row_or_id", "reason"]].values.tolist() == [["3", "duplicate_id"]]


def test_malformed_csv_rows_unbalanced_quote_and_wrong_counts(tmp_path):
    table = tmp_path / "t.csv"
    table.write_text(
        "id,date,text\n"
        f"1,2024-01-02,{BODY}\n"
        f'2,2024-01-03,"comillas sin cerrar, {BODY}\n'
        f"3,2024-01-04,{BODY} tres\n"
        f"4,2024-01-05,{BODY},columna,de más\n"
        "5,2024-01-06\n"
        f'6,2024-01-07,"{BODY} con ""comillas"" bien, y\nsalto de línea"\n',
        encoding="utf-8")
    result = ingest(table, duplicates={"near": False})
    assert result.documents["doc_id"].tolist() == ["1", "3", "6"]
    rejected = result.rejected.set_index("row_or_id")
    assert rejected["reason"].to_dict() == {"3": "malformed_row", "5": "malformed_row", "6": "malformed_row"}
    assert "unbalanced quote" in rejected.loc["3", "detail"] and "expected 3 fields, found 5" == rejected.loc["5", "detail"]


def test_missing_mapped_column_names_key_file_and_columns(tmp_path):
    table = tmp_path / "articles.csv"
    table.write_text(f"id,published,body\n1,2024-01-02,{BODY}\n", encoding="utf-8")
    with pytest.raises(UserInputError) as error:
        ingest(table, columns={"date": "fecha", "text": "body"})
    assert str(error.value).startswith("corpus.columns.date: no column 'fecha' in articles.csv; columns are id, published, body")
    with pytest.raises(UserInputError, match="corpus.keep_columns: no column 'seccion' in articles.csv"):
        ingest(table, columns={"date": "published", "text": "body"}, keep_columns=["seccion"])


def test_non_spanish_documents_are_set_aside(tmp_path):
    (tmp_path / "es.txt").write_text(article("2024-01-02"), encoding="utf-8")
    english = ("The city council of Zacatecas presented today the public works programme for the rainy season, "
               "with state and federal funds for the neighbourhoods of the historic centre.")
    (tmp_path / "en.txt").write_text(article("2024-01-02", english), encoding="utf-8")
    result = ingest(tmp_path)
    assert reasons(result) == {"en.txt|en": "not_spanish"}
    assert result.rejected["detail"][0].startswith("detected en")
    assert ingest(tmp_path, language={"check": False}).rejected.empty


def test_empty_corpus_is_a_clear_error(tmp_path):
    with pytest.raises(UserInputError, match="no corpus files in"):
        ingest(tmp_path)
    (tmp_path / "header_only.csv").write_text("id,date,text\n", encoding="utf-8")
    with pytest.raises(IngestError, match=r"no usable document in .*\(0 read"):
        run_main(tmp_path / "header_only.csv", tmp_path)
    with pytest.raises(IngestError, match="does not exist"):
        ingest(tmp_path / "nowhere")


def test_huge_single_document(tmp_path):
    sentence = "La comisión estatal revisó el contrato {} de obra pública del ejercicio anterior en la capital. "
    body = "".join(sentence.format(number) for number in range(5_200_000 // len(sentence)))
    (tmp_path / "enorme.txt").write_text(article("2024-03-01", body), encoding="utf-8")
    start = time.perf_counter()
    result = ingest(tmp_path)
    assert len(result.documents) == 1 and len(result.documents["text"][0]) >= 5_000_000
    windows = ingest(tmp_path, segment="window", window_words=2000)
    assert len(windows.documents) > 300 and windows.documents["parent_id"].eq("enorme").all()
    assert time.perf_counter() - start < 120


def test_every_document_rejected_is_a_clear_error(tmp_path):
    (tmp_path / "a.txt").write_text("sin cabecera\n" + BODY, encoding="utf-8")
    (tmp_path / "b.txt").write_text(article("hoy"), encoding="utf-8")
    with pytest.raises(IngestError) as error:
        run_main(tmp_path, tmp_path)
    message = str(error.value)
    assert "2 read, all set aside: no_date: 1, bad_date: 1" in message or "bad_date: 1, no_date: 1" in message
    assert "a.txt" in message


@pytest.mark.e2e
def test_input_problem_reaches_the_user_without_traceback(tmp_path):
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "a.csv").write_text(f"id,published,body\n1,2024-01-02,{BODY}\n", encoding="utf-8")
    config = demo_config("articles/a.csv")
    config["corpus"]["columns"] = {"date": "fecha", "text": "body"}
    process = run_workflow(tmp_path, config, "results/ingest/summary.json", check=False)
    assert process.returncode != 0
    assert "corpus.columns.date: no column 'fecha' in a.csv; columns are id, published, body" in process.stderr
    assert "Traceback" not in process.stderr
