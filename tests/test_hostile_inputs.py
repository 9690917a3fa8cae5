"""Issue 16: seventeen hostile inputs, one test each (plus the symlink decision).

Each ends in a kept document, a rejection with a non-empty reason, or a one-line error that names
the file or the config key; never a traceback, lost text or a stale result. The stale-result case
runs the real workflow (ingest and provenance only) a few times; every other case is a unit test.
"""

import json
import os
import subprocess
import time
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest
import yaml

from conftest import REPO, SNAKEMAKE, demo_config
from scripts.ingest.manifest import update_manifest
from scripts.ingest.pipeline import ingest_corpus, write_outputs
from scripts.ingest.readers import list_corpus
from scripts.logs import UserInputError
from scripts.settings import SCHEMA_PATH, section
from scripts.settings.validation import ConfigError, check_config

SENTENCES = [
    "El gobierno estatal presentó hoy el programa de seguridad para los municipios de la región.",
    "La secretaría de salud informó que la campaña de vacunación llegará a todas las comunidades rurales.",
    "Los productores de frijol pidieron apoyo para enfrentar la sequía que afecta a la cosecha de este año.",
    "El congreso local aprobó la reforma educativa después de una larga discusión entre los diputados.",
    "Vecinos de la colonia centro denunciaron la falta de agua potable durante toda la semana pasada.",
    "La universidad anunció nuevas becas para los estudiantes de las carreras de ingeniería y medicina.",
]


def body(number: int) -> str:
    """A distinct Spanish article body (no two are near-duplicates)."""
    return " ".join(SENTENCES[(number + shift) % len(SENTENCES)] for shift in range(3)) + f" Nota número {number}."


def ingest_ok(path, **corpus):
    """Ingest with the schema defaults (near-duplicates kept); every unit kept or rejected with a non-empty reason."""
    result = ingest_corpus(section("corpus", {"path": str(path), "duplicates": {"near": False}, **corpus}))
    assert result.n_read == len(result.documents) + len(result.rejected)
    assert all(isinstance(reason, str) and reason for reason in result.rejected["reason"]), result.rejected
    return result


def config_error(config: dict, *files) -> str:
    """The message of the ConfigError that ``check_config`` raises."""
    with pytest.raises(ConfigError) as raised:
        check_config(config, SCHEMA_PATH, command_line_files=[str(f) for f in files])
    return str(raised.value)


def valid_config(**corpus) -> dict:
    config = demo_config("articles")
    config["corpus"].update(corpus)
    return config


# ---- 1. stale results: any corpus change reruns ingest and provenance, and only then -------------


def snakemake(run_dir: Path, *extra: str) -> str:
    command = [*SNAKEMAKE, "-s", str(REPO / "Snakefile"), "--directory", str(run_dir), "--configfile",
               str(run_dir / "config.yaml"), "--cores", "1", "results/ingest/summary.json", "results/provenance.json", *extra]
    process = subprocess.run(command, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(REPO)})
    assert process.returncode == 0, process.stdout[-3000:] + process.stderr[-3000:]
    return process.stdout + process.stderr


def scheduled(output: str) -> set[str]:
    return {line.split()[1].rstrip(":") for line in output.splitlines() if line.startswith("rule ")}


def test_stale_results_after_edit_in_place_add_in_subfolder_and_delete(tmp_path):
    """Four real snakemake runs (two dry): each kind of change alone is checked by the manifest test below."""
    corpus = tmp_path / "articles"
    (corpus / "sub").mkdir(parents=True)
    for number in range(4):
        (corpus / ("sub" if number % 2 else "") / f"a{number}.txt").write_text(
            f" date 2024-0{number + 1}-10 Título {number}\n{body(number)}\n", encoding="utf-8")
    (tmp_path / "config.yaml").write_text(yaml.safe_dump(demo_config("articles"), allow_unicode=True), encoding="utf-8")
    started = time.perf_counter()
    snakemake(tmp_path, "--quiet")
    before = json.loads((tmp_path / "results/provenance.json").read_text(encoding="utf-8"))
    (corpus / "sub" / "a1.txt").write_text(f" date 2024-02-10 Otro\n{body(9)}\n", encoding="utf-8")  # edit in place
    assert scheduled(snakemake(tmp_path, "-n")) == {"ingest_corpus", "record_provenance"}
    (corpus / "sub" / "new.txt").write_text(f" date 2024-05-10 N\n{body(7)}\n", encoding="utf-8")  # add in a subfolder
    (corpus / "sub" / "a3.txt").unlink()  # delete
    snakemake(tmp_path, "--quiet")
    after = json.loads((tmp_path / "results/provenance.json").read_text(encoding="utf-8"))
    assert after["corpus_sha256"] != before["corpus_sha256"]
    assert [row["path"] for row in after["corpus_files"]] == ["a0.txt", "a2.txt", "sub/a1.txt", "sub/new.txt"]
    documents = pd.read_parquet(tmp_path / "results/ingest/documents.parquet")
    assert sorted(documents["doc_id"]) == ["a0", "a2", "sub/a1", "sub/new"]
    assert documents.set_index("doc_id").loc["sub/a1", "title"] == "Otro"
    os.utime(corpus / "a0.txt")  # touched, not changed
    assert "Nothing to be done" in snakemake(tmp_path, "-n")
    print(f"stale-results test: {time.perf_counter() - started:.1f} s for 4 snakemake runs")


def test_manifest_changes_exactly_when_a_file_read_changes(tmp_path):
    corpus = {"path": str(tmp_path / "c"), "format": "txt", "include": []}
    (tmp_path / "c" / "sub").mkdir(parents=True)
    (tmp_path / "c" / "a.txt").write_text("uno", encoding="utf-8")
    manifest, cache = tmp_path / "m.json", tmp_path / "cache.json"
    assert update_manifest(corpus, manifest, cache)
    assert not update_manifest(corpus, manifest, cache)
    os.utime(tmp_path / "c" / "a.txt", ns=(1, 1))
    (tmp_path / "c" / ".hidden.txt").write_text("x", encoding="utf-8")
    assert not update_manifest(corpus, manifest, cache)  # timestamps and hidden files do not count
    (tmp_path / "c" / "a.txt").write_text("dos", encoding="utf-8")  # same size, new content
    assert update_manifest(corpus, manifest, cache)
    (tmp_path / "c" / "sub" / "b.txt").write_text("tres", encoding="utf-8")
    assert update_manifest(corpus, manifest, cache)
    (tmp_path / "c" / "sub" / "b.txt").unlink()
    assert update_manifest(corpus, manifest, cache)


# ---- 2-9. text lost or garbled ----------------------------------------------------------------


def test_csv_control_characters_inside_unquoted_fields(tmp_path):
    separators = ["\x0c", "\x0b", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"]
    lines = ["id,date,text"] + [f"{n},2024-01-{n + 1:02d},{body(n)[:60]}{sep}{body(n)[60:]}" for n, sep in enumerate(separators)]
    (tmp_path / "t.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = ingest_ok(tmp_path / "t.csv")
    assert result.rejected.empty, result.rejected
    assert len(result.documents) == len(separators)
    assert all(text.endswith(f"Nota número {n}.") for n, text in enumerate(result.documents.sort_values("doc_id")["text"]))


def test_tsv_field_beginning_with_a_quote(tmp_path):
    rows = ["id\tdate\ttext", f'1\t2024-01-01\t"Sin cambios", dijo el alcalde. {body(1)}',
            f"2\t2024-01-02\t{body(2)}", f'3\t2024-01-03\t"{body(3)}"']
    (tmp_path / "t.tsv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    result = ingest_ok(tmp_path / "t.tsv")
    assert result.rejected.empty, result.rejected
    texts = dict(zip(result.documents["doc_id"], result.documents["text"]))
    assert texts["1"].startswith('"Sin cambios", dijo el alcalde.')
    assert texts["3"] == body(3)  # a properly quoted field is still unquoted


def test_cr_only_old_mac_txt(tmp_path):
    for number in range(3):
        (tmp_path / f"a{number}.txt").write_bytes(f" date 2024-01-0{number + 1} Título {number}\r{body(number)}\r".encode())
    result = ingest_ok(tmp_path)
    assert result.rejected.empty, result.rejected
    assert result.documents["title"].tolist() == ["Título 0", "Título 1", "Título 2"]
    assert result.documents["text"].tolist() == [body(n) for n in range(3)]


def test_upper_case_suffixes_and_other_formats_in_a_mixed_folder(tmp_path):
    for number, name in enumerate(["a.txt", "b.TXT", "c.Txt"]):
        (tmp_path / name).write_text(f" date 2024-01-0{number + 1} T\n{body(number)}\n", encoding="utf-8")
    (tmp_path / "notas.csv").write_text("id,text\n1,hola\n", encoding="utf-8")
    (tmp_path / "foto.JPG").write_bytes(b"\xff\xd8")
    result = ingest_ok(tmp_path)
    assert sorted(result.documents["doc_id"]) == ["a", "b", "c"]
    out = tmp_path / "out"
    out.mkdir()
    write_outputs(result, out / "d.parquet", out / "r.csv", out / "s.json")
    summary = json.loads((out / "s.json").read_text(encoding="utf-8"))
    assert summary["files_ignored"] == {".csv": 1, ".jpg": 1}
    assert summary["skipped_by_reason"] == {"other_format": 2}
    assert summary["skipped_files"] == [{"file": "foto.JPG", "reason": "other_format"},
                                        {"file": "notas.csv", "reason": "other_format"}]


def test_excel_later_sheets_are_counted_as_skipped(tmp_path):
    path = tmp_path / "libro.xlsx"
    with pd.ExcelWriter(path) as writer:
        pd.DataFrame({"id": [1, 2], "date": ["2024-01-01", "2024-01-02"], "text": [body(1), body(2)]}).to_excel(
            writer, sheet_name="notas", index=False)
        pd.DataFrame({"id": [3], "date": ["2024-01-03"], "text": [body(3)]}).to_excel(writer, sheet_name="mas", index=False)
    result = ingest_ok(path)
    assert result.documents["doc_id"].tolist() == ["1", "2"]
    assert result.info["skipped"] == [("libro.xlsx#mas", "excel_sheet_not_read")]


def test_jsonl_first_object_without_title_or_id(tmp_path):
    rows = [{"date": "2024-01-01", "text": body(0)},
            {"id": "b", "title": "Segunda", "date": "2024-01-02", "text": body(1)},
            {"id": "c", "date": "2024-01-03", "text": body(2)}]
    (tmp_path / "t.jsonl").write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")
    result = ingest_ok(tmp_path / "t.jsonl")
    assert result.rejected.empty, result.rejected
    docs = result.documents.set_index("doc_id")
    assert list(docs.index) == ["t-1", "b", "c"]
    assert docs.loc["b", "title"] == "Segunda" and docs.loc["c", "title"] == ""


def test_parquet_binary_text_column(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.table({"id": ["1", "2"], "date": ["2024-01-01", "2024-01-02"],
                      "text": pa.array([body(1).encode("utf-8"), b"\xff\xfe no es texto"], type=pa.binary())})
    pq.write_table(table, tmp_path / "t.parquet")
    result = ingest_ok(tmp_path / "t.parquet")
    assert result.documents["text"].tolist() == [body(1)]
    assert result.rejected[["row_or_id", "reason"]].values.tolist() == [["2", "unreadable"]]
    assert "not UTF-8" in result.rejected["detail"].iloc[0]


def test_entity_escaped_markup_never_reaches_documents_or_vocabulary(tmp_path):
    from scripts.text.markup import blank_markup

    hostile = ("&lt;script&gt;alert('xss')&lt;/script&gt; &amp;lt;script&amp;gt;alert(2)&amp;lt;/script&amp;gt; "
               "&lt;img src=x onerror=alert(3)&gt;")
    (tmp_path / "a.txt").write_text(f" date 2024-01-01 T &lt;b&gt;x&lt;/b&gt;\n{hostile} {body(1)}\n", encoding="utf-8")
    result = ingest_ok(tmp_path)
    document = result.documents.iloc[0]
    for text in (document["text"], document["title"], blank_markup(document["text"])):
        assert "<" not in text and "alert" not in text and "xss" not in text, text
    assert document["text"].endswith(body(1))


def test_non_utf8_file_name(tmp_path):
    name = os.fsdecode(b"caf\xe9 \xff.txt")
    try:
        (tmp_path / name).write_text(f" date 2024-01-01 T\n{body(1)}\n", encoding="utf-8")
    except (OSError, UnicodeEncodeError):
        pytest.skip("this file system refuses non-UTF-8 names")
    (tmp_path / "ok.txt").write_text(f" date 2024-01-02 T\n{body(2)}\n", encoding="utf-8")
    result = ingest_ok(tmp_path)
    assert sorted(result.documents["source"]) == ["caf\\xe9 \\xff.txt", "ok.txt"]
    write_outputs(result, tmp_path / "d.parquet", tmp_path / "r.csv", tmp_path / "s.json")  # pyarrow accepts it
    assert sorted(pd.read_parquet(tmp_path / "d.parquet")["doc_id"]) == ["caf\\xe9 \\xff", "ok"]
    corpus = {"path": str(tmp_path), "format": "txt", "include": []}
    update_manifest(corpus, tmp_path / "m" / "manifest.json", tmp_path / "m" / "cache.json")
    manifest = json.loads((tmp_path / "m" / "manifest.json").read_text(encoding="utf-8"))
    assert [row["path"] for row in manifest["files"]] == ["caf\\xe9 \\xff.txt", "ok.txt"]


# ---- 10-14. a line instead of a traceback ------------------------------------------------------


def test_jsonl_line_nested_100k_deep(tmp_path):
    deep = '{"id": "x", "date": "2024-01-01", "text": ' + "[" * 100_000 + "]" * 100_000 + "}"
    good = json.dumps({"id": "y", "date": "2024-01-02", "text": body(1)}, ensure_ascii=False)
    (tmp_path / "t.jsonl").write_text(deep + "\n" + good + "\n", encoding="utf-8")
    result = ingest_ok(tmp_path / "t.jsonl")
    assert result.documents["doc_id"].tolist() == ["y"]
    assert result.rejected[["row_or_id", "reason"]].values.tolist() == [["1", "too_deep"]]


def test_date_range_start_february_30(tmp_path):
    message = config_error(valid_config(date_range={"start": "2025-02-30"}))
    assert 'config key corpus.date_range.start: "2025-02-30" is not a calendar date' in message
    assert len(message.splitlines()) == 2


def test_include_absolute_pattern_etc_conf(tmp_path):
    message = config_error(valid_config(include=["/etc/*.conf"]))
    assert 'config key corpus.include[0]: "/etc/*.conf" is an absolute path' in message
    with pytest.raises(UserInputError, match=r"corpus\.include"):  # the reader refuses it too, without a traceback
        list_corpus(tmp_path, ["/etc/*.conf"])
    assert "goes up out of the corpus folder" in config_error(valid_config(include=["../*.txt"]))


def test_no_theme_seed_word_in_the_corpus(tmp_path):
    """Stopped in one line before any fit (preprocess); a drift table without rows still draws a 'no data' figure."""
    from scripts.figures.themes import run_plot_drift
    from scripts.preprocess.pipeline import check_some_seed_word

    seeds = pd.DataFrame({"theme": ["inexistente", "inexistente", "otro"], "seed_word": ["zzqxw", "qqwpz", "xxyyzz"],
                          "in_vocabulary": [False, False, False]})
    with pytest.raises(UserInputError, match=r"^themes: no seed word of any theme \(inexistente, otro\)"):
        check_some_seed_word(seeds)
    check_some_seed_word(seeds.assign(in_vocabulary=[False, True, False]))  # one theme found: the run goes on

    drift = tmp_path / "drift.csv"
    drift.write_text("theme,period,rank,term,weight\n", encoding="utf-8")  # what track_themes writes then
    smk = SimpleNamespace(input=SimpleNamespace(drift=str(drift), labels=None), params=SimpleNamespace(figures=section("figures", {"dpi": 40}),
                          freq="month"), output=SimpleNamespace(png=str(tmp_path / "drift.png"), csv=str(tmp_path / "drift_fig.csv"),
                          vectors=[]))
    run_plot_drift(smk)
    assert (tmp_path / "drift.png").stat().st_size > 0
    assert pd.read_csv(tmp_path / "drift_fig.csv").empty


def test_front_matter_yaml_alias_bomb(tmp_path):
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level, name in enumerate("bcdefghi"):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{chr(ord(name) - 1)}"] * 9) + "]")
    bomb = "---\n" + "\n".join(lines) + "\ntitle: *i\ndate: 2024-01-01\n---\n" + body(1) + "\n"
    assert len(bomb) < 1500
    (tmp_path / "bomba.md").write_text(bomb, encoding="utf-8")
    (tmp_path / "bien.md").write_text(f"---\ntitle: Bien\ndate: 2024-01-02\n---\n{body(2)}\n", encoding="utf-8")
    started = time.perf_counter()
    result = ingest_ok(tmp_path)
    assert time.perf_counter() - started < 5
    assert result.documents["doc_id"].tolist() == ["bien"]
    rejected = result.rejected.iloc[0]
    assert (rejected["source_file"], rejected["reason"]) == ("bomba.md", "malformed_front_matter")
    assert "alias" in rejected["detail"] and len(rejected["detail"]) < 200


# ---- 15-18. the config: bombs, duplicates, tags, bad dates -----------------------------------------


def snakemake_config_error(tmp_path, text: str) -> str:
    config_path = tmp_path / "config.yaml"
    config_path.write_text(text, encoding="utf-8")
    process = subprocess.run([*SNAKEMAKE, "-s", str(REPO / "Snakefile"), "--directory", str(tmp_path), "--configfile",
                              str(config_path), "-n", "--quiet"], capture_output=True, text=True, timeout=120)
    output = process.stdout + process.stderr
    assert process.returncode == 1, output[-3000:]
    assert "Traceback" not in output and len(output) < 2000, output[-3000:]
    return output


def config_text() -> str:
    return yaml.safe_dump(demo_config("articles"), allow_unicode=True, sort_keys=False)


def test_config_yaml_alias_bomb(tmp_path):
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for name in "bcdefghi":
        lines.append(f"{name}: &{name} [" + ",".join([f"*{chr(ord(name) - 1)}"] * 9) + "]")
    text = config_text().replace("themes:", "\n".join(lines).replace("a: &a", "bomb_a: &a") + "\nthemes:", 1)
    started = time.perf_counter()
    output = snakemake_config_error(tmp_path, text)
    assert "config.yaml line" in output and "alias bomb" in output, output
    assert time.perf_counter() - started < 60


def test_duplicate_top_level_key_in_the_config(tmp_path):
    text = config_text() + "model:\n  k: [4]\n"
    (tmp_path / "config.yaml").write_text(text, encoding="utf-8")
    message = config_error(yaml.safe_load(text), tmp_path / "config.yaml")
    assert "key 'model' appears twice" in message and "config.yaml line" in message


def test_default_date_2025_13_45_has_a_key_error_and_never_an_empty_reason(tmp_path):
    message = config_error(valid_config(default_date="2025-13-45"))
    assert 'config key corpus.default_date: "2025-13-45" is not a calendar date' in message
    (tmp_path / "a.txt").write_text(f"{body(1)}\n", encoding="utf-8")  # undated
    result = ingest_ok(tmp_path, default_date="2025-13-45")  # even past the check: a reason that says why
    assert result.rejected[["reason"]].values.tolist() == [["bad_date"]]
    assert "corpus.default_date" in result.rejected["detail"].iloc[0]


def test_python_tags_in_the_config_are_refused_before_the_schema(tmp_path):
    output = snakemake_config_error(tmp_path, config_text() + "extra: !!python/name:os.system\n")
    assert "tag !!python/name:os.system is not allowed" in output, output
    assert "unknown key" not in output  # refused before the schema check


# ---- the decision: symlinks -----------------------------------------------------------------------


def test_symlink_to_a_file_outside_the_corpus_is_rejected_not_followed(tmp_path):
    corpus, outside = tmp_path / "corpus", tmp_path / "secret"
    corpus.mkdir()
    outside.mkdir()
    (outside / "passwd.txt").write_text("root:x:0:0:root:/root:/bin/bash\n", encoding="utf-8")
    (corpus / "a.txt").write_text(f" date 2024-01-01 T\n{body(1)}\n", encoding="utf-8")
    (corpus / "inside.txt").symlink_to(corpus / "a.txt")
    (corpus / "passwd.txt").symlink_to(outside / "passwd.txt")
    (corpus / "fuera").symlink_to(outside, target_is_directory=True)
    result = ingest_ok(corpus, default_date="2024-01-01", include=["**/*.txt", "fuera/*.txt"],
                       duplicates={"exact": False, "near": False})
    assert sorted(result.documents["doc_id"]) == ["a", "inside"]
    rejected = result.rejected.sort_values("source_file")
    assert rejected[["source_file", "reason"]].values.tolist() == [["fuera/passwd.txt", "symlink_outside_corpus"],
                                                                   ["passwd.txt", "symlink_outside_corpus"]]
    assert "root:x" not in " ".join(result.documents["text"])


# ---- properties: whatever the input, the readers and the strict loader keep their contract ----------

from hypothesis import HealthCheck, given, settings as hypothesis_settings, strategies as st  # noqa: E402

PROPERTY = hypothesis_settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
FIELD_TEXT = st.text(alphabet=st.sampled_from(list("abcñ é,\"'\t\n\r;") + ["\x0c", "\x0b", "\x1c", "\x1d", "\x1e", "\x85",
                                                                          "\u2028", "\u2029"]), max_size=30)


@hypothesis_settings(PROPERTY, max_examples=25)
@given(texts=st.lists(FIELD_TEXT, min_size=1, max_size=6))
def test_csv_fields_written_by_the_csv_module_are_read_back(tmp_path, texts):
    import csv
    import io

    from scripts.ingest.decoding import repair_c1
    from scripts.ingest.tables import read_delimited

    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)  # \r\n line ends: fields holding \r or \n are quoted
    writer.writerow(["id", "date", "text"])
    writer.writerows([str(number), "2024-01-01", text] for number, text in enumerate(texts, start=1))
    path = tmp_path / "p.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8", newline="")
    records = list(read_delimited(path, "p.csv", ingest_settings(delimiter=",")))
    assert [record.reason for record in records] == [""] * len(texts)
    assert [record.text for record in records] == [repair_c1(text).strip() for text in texts]  # \x85 is read as …


def ingest_settings(**corpus):
    from scripts.ingest.settings import CorpusSettings

    return CorpusSettings.from_config(section("corpus", {"path": "x", **corpus}))


@PROPERTY
@given(text=st.lists(st.sampled_from(list("ab:-&*[]{}!,\n #'\"") + ["!!python/name:os.system", "&a ", "*a", "a: "]),
                    max_size=40).map("".join))
def test_the_strict_loader_returns_or_says_why_in_one_line(text):
    from scripts.settings.strict_yaml import YAMLInputError, load_bounded

    try:
        load_bounded(text, "c.yaml", max_chars=500)
    except YAMLInputError as error:
        assert str(error).startswith("c.yaml") and "\n" not in str(error) and len(str(error)) < 300


def test_events_file_and_palette_are_checked_with_the_config(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # time.events is relative to the run folder
    config = valid_config()
    config["time"]["events"] = "eventos.csv"
    assert 'config key time.events: "eventos.csv" does not exist' in config_error(config)
    (tmp_path / "eventos.csv").write_text("date,label\n2024-02-30,Mal\n", encoding="utf-8")
    assert 'row 2: date "2024-02-30" is not a calendar date' in config_error(config)
    (tmp_path / "eventos.csv").write_text("date,label\n2024-02-29,Bien\n", encoding="utf-8")
    check_config(config, SCHEMA_PATH)
    config["figures"]["palette"] = "arcoiris"
    assert 'config key figures.palette: "arcoiris" is not a matplotlib colormap' in config_error(config)
    config["figures"]["palette"] = ["tab:blue", "no-es-color"]
    assert "config key figures.palette: [\"no-es-color\"] are not colours" in config_error(config)
