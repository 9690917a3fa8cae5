"""Every reader: the formats it reads, and property tests feeding it malformed input.

Whatever the input, ingest either stops with a short ``UserInputError`` or accounts for every
unit it read: kept + rejected = read.
"""

import json
import shutil
import tempfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from scripts.ingest.pipeline import ingest_corpus
from scripts.settings import section
from scripts.ingest.decoding import decode_bytes
from scripts.ingest.readers import split_front_matter
from scripts.logs import UserInputError

BODY = "El gobierno estatal presentó hoy el programa de seguridad para los municipios de la región."
PROPERTY = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def ingest_ok(path, **corpus):
    """Ingest ``path``; check the accounting invariant; return the result."""
    result = ingest_corpus(section("corpus", {"path": str(path), **corpus}))
    assert result.n_read == len(result.documents) + len(result.rejected)
    assert result.documents["doc_id"].is_unique
    assert result.documents.equals(result.documents.sort_values(["date", "doc_id"], kind="stable"))
    assert not result.rejected["reason"].isna().any()
    return result


def test_txt_folder_with_header_lines(tmp_path):
    (tmp_path / "a.txt").write_text(f" date 2024-02-03 Título uno\n{BODY}\n", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.txt").write_text(f" date 2024-01-05 Título dos\n{BODY} Otra nota.\n", encoding="utf-8")
    result = ingest_ok(tmp_path)
    assert result.documents["doc_id"].tolist() == ["sub/b", "a"]
    assert result.documents["title"].tolist() == ["Título dos", "Título uno"]
    assert str(result.documents["date"].dtype) == "datetime64[ns]"


def test_markdown_front_matter_with_date_from_path_and_kept_fields(tmp_path):
    post = tmp_path / "_posts" / "2013" / "07" / "02"
    post.mkdir(parents=True)
    (post / "0930-nota.md").write_text(
        f'---\npublished: true\ntitle: "Nota <b>uno</b>"\ncategory: Mundo\nlocation: Local\n---\n\n'
        f"![](http://i.imgur.com/x.jpg)\n<p>{BODY}</p>\n", encoding="utf-8")
    (post / "0931-otra.markdown").write_text(f"---\ntitle: Dos\ncategory: Cultura\n---\n{BODY} Segunda.\n", encoding="utf-8")
    result = ingest_ok(tmp_path, date_from_path=r"(?P<year>\d{4})/(?P<month>\d{2})/(?P<day>\d{2})/",
                       keep_columns={"section": "category", "location": "location", "published": "published"})
    docs = result.documents
    assert docs["section"].tolist() == ["Mundo", "Cultura"]
    assert docs["location"].tolist()[0] == "Local" and pd.isna(docs["location"].tolist()[1])
    assert docs["published"].tolist()[0] == "true"
    assert docs["title"].tolist()[0] == "Nota uno" and docs["text"].tolist()[0] == BODY
    assert set(docs["date"].dt.date.astype(str)) == {"2013-07-02"}


def test_markdown_date_field_and_unclosed_quote(tmp_path):
    (tmp_path / "a.md").write_text(f'---\ntitle: "Sin cerrar\nfecha: 2024-03-01\n---\n{BODY}', encoding="utf-8")
    result = ingest_ok(tmp_path, date_field="fecha")
    assert result.documents["title"].tolist() == ["Sin cerrar"]
    assert split_front_matter("sin front matter") == ({}, "sin front matter")


@pytest.mark.parametrize("suffix, delimiter", [(".csv", ","), (".csv", ";"), (".tsv", "\t")])
def test_delimited_tables_detect_the_delimiter(tmp_path, suffix, delimiter):
    rows = [["id", "fecha", "titular", "cuerpo", "seccion"],
            ["n1", "03/02/2025", "Uno", BODY, "Mundo"],
            ["n2", "lunes 3 de febrero de 2025", "Dos", f'"{BODY}, con comas; y punto"', "Local"]]
    path = tmp_path / f"notas{suffix}"
    path.write_text("\n".join(delimiter.join(row) for row in rows) + "\n", encoding="utf-8")
    result = ingest_ok(path, columns={"date": "fecha", "title": "titular", "text": "cuerpo"},
                       keep_columns=["seccion"], duplicates={"near": False})
    assert result.documents["doc_id"].tolist() == ["n1", "n2"]
    assert result.documents["seccion"].tolist() == ["Mundo", "Local"]


def test_jsonl_parquet_and_excel(tmp_path):
    frame = pd.DataFrame({"ID": [1, 2], "Date": [pd.Timestamp("2024-05-01"), pd.Timestamp("2024-05-02")],
                          "Text": [BODY, BODY + " Más."], "Topic": ["Politics", "Sport"]})
    frame.to_parquet(tmp_path / "t.parquet")
    frame.to_excel(tmp_path / "t.xlsx", index=False)
    with open(tmp_path / "t.jsonl", "w", encoding="utf-8") as handle:
        for row in frame.assign(Date=frame["Date"].dt.strftime("%Y-%m-%d")).to_dict("records"):
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    for name in ("t.parquet", "t.xlsx", "t.jsonl"):
        result = ingest_ok(tmp_path / name, columns={"id": "id", "date": "date", "text": "text"}, keep_columns=["Topic"],
                           duplicates={"near": False})
        assert result.documents["doc_id"].tolist() == ["1", "2"], name
        assert result.documents["Topic"].tolist() == ["Politics", "Sport"], name


def test_folder_of_tables_prefixes_ids_with_the_file(tmp_path):
    for name in ("train", "dev"):
        pd.DataFrame({"id": [1], "text": [f"{BODY} {name}"]}).to_excel(tmp_path / f"{name}.xlsx", index=False)
    result = ingest_ok(tmp_path, default_date="2018-01-01", language={"check": False})
    assert sorted(result.documents["doc_id"]) == ["dev:1", "train:1"]
    assert result.info["date_sources"] == {"default": 2}


def test_decoding_utf8_cp1252_mixed_and_bom():
    assert decode_bytes("señal".encode("utf-8")) == ("señal", "utf-8")
    assert decode_bytes("\ufeffseñal".encode("utf-8"))[0] == "señal"
    assert decode_bytes("señal".encode("utf-16"))[0] == "señal"
    assert decode_bytes("año\n".encode("utf-8") + "niño".encode("cp1252"))[0] == "año\nniño"


# ---- property tests: malformed input never crashes, every unit is accounted for ---------------

junk_dates = st.one_of(st.sampled_from(["2024-01-31", "31/01/2024", "3 de enero de 2024", "", "2024-13-45",
                                        "hoy", "9999-01-01", "0001-01-01", "2099-12-31"]), st.text(max_size=12))
words = st.text(alphabet=st.sampled_from(list("abcdeñáé ,;\"'\t\n\\|{}[]:#-\x00\x85")), max_size=80)
encodings = st.sampled_from(["utf-8", "cp1252", "utf-16", "latin-1"])
printable = st.text(alphabet=st.sampled_from(list("abcñé ,;\"'-:0123456789/")), max_size=40)


def _fresh_dir():
    return Path(tempfile.mkdtemp(prefix="ingest_prop_"))


def _ingest_or_clear_error(path, **corpus):
    try:
        return ingest_ok(path, language={"check": False}, **corpus)
    except UserInputError as error:
        assert str(error) and "\n" not in str(error).strip()
        return None


@PROPERTY
@given(st.lists(st.tuples(junk_dates, words, encodings, st.booleans()), max_size=6), st.binary(max_size=40))
def test_txt_reader_property(files, junk):
    folder = _fresh_dir()
    try:
        for index, (date, text, encoding, header) in enumerate(files):
            content = (f" date {date} Título\n" if header else "") + text
            (folder / f"{index}.txt").write_bytes(content.encode(encoding, errors="replace"))
        (folder / "junk.txt").write_bytes(junk)
        result = _ingest_or_clear_error(folder)
        assert result is not None and result.n_read == len(files) + 1
    finally:
        shutil.rmtree(folder)


@PROPERTY
@given(st.lists(st.tuples(junk_dates, words, st.sampled_from(["title", "category", "x y", ":", "- a"])), max_size=6))
def test_markdown_reader_property(files):
    folder = _fresh_dir()
    try:
        for index, (date, text, key) in enumerate(files):
            (folder / f"{index}.md").write_text(f"---\n{key}: {text[:20]}\ndate: {date}\n---\n{text}", encoding="utf-8")
        result = _ingest_or_clear_error(folder, format="markdown")
        assert result is None or result.n_read == len(files)
    finally:
        shutil.rmtree(folder)


@PROPERTY
@given(st.lists(st.tuples(junk_dates, words, st.integers(0, 4)), max_size=8), st.sampled_from([",", ";", "\t"]), encodings)
def test_csv_reader_property(rows, delimiter, encoding):
    folder = _fresh_dir()
    try:
        lines = [delimiter.join(["id", "date", "text"])]
        for index, (date, text, extra_fields) in enumerate(rows):
            lines.append(delimiter.join([str(index), date, text] + ["x"] * extra_fields))
        (folder / "t.csv").write_bytes("\n".join(lines).encode(encoding, errors="replace"))
        result = _ingest_or_clear_error(folder / "t.csv", delimiter=delimiter)
        if result is not None:
            assert result.info["n_sources_read"] <= max(len(rows), 1) + "\n".join(lines).count("\n")
    finally:
        shutil.rmtree(folder)


@PROPERTY
@given(st.lists(st.one_of(st.fixed_dictionaries({"id": st.integers(), "date": junk_dates, "text": words}),
                          printable, st.integers(), st.lists(st.integers(), max_size=2)), max_size=8))
def test_jsonl_reader_property(items):
    folder = _fresh_dir()
    try:
        lines = [json.dumps(item) if not isinstance(item, str) else item.replace("\n", " ") for item in items]
        (folder / "t.jsonl").write_text("\n".join(lines), encoding="utf-8")
        result = _ingest_or_clear_error(folder / "t.jsonl")
        assert result is None or result.n_read == len([line for line in lines if line.strip()])
    finally:
        shutil.rmtree(folder)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.one_of(junk_dates.map(lambda d: "".join(c for c in d if c.isprintable())), st.none()),
                          st.one_of(printable, st.none()), st.one_of(st.none(), st.integers(-5, 5))),
                min_size=1, max_size=6),
       st.sampled_from(["parquet", "parquet", "xlsx"]))
def test_frame_readers_property(rows, kind):
    folder = _fresh_dir()
    try:
        frame = pd.DataFrame(rows, columns=["date", "text", "label"]).astype(object)
        path = folder / f"t.{kind}"
        frame.to_parquet(path) if kind == "parquet" else frame.to_excel(path, index=False)
        result = _ingest_or_clear_error(path, keep_columns=["label"])
        # a spreadsheet row with no value at all is not a row (Excel does not store it)
        expected = len(rows) if kind == "parquet" else len(pd.read_excel(path))
        assert result is not None and result.n_read == expected
    finally:
        shutil.rmtree(folder)
