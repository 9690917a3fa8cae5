"""Dates as corpora write them: ISO, day-first, time zones, Spanish written dates; never a guess."""

import datetime as dt
import re

import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

from scripts.ingest.dates import date_from_path, date_in_lines, find_date, make_date, parse_date


@pytest.mark.parametrize("value, expected", [
    ("2025-02-03", "2025-02-03"),
    ("2025-2-3", "2025-02-03"),
    ("2025-02-03T23:10:00-06:00", "2025-02-03"),
    ("2025-02-03 08:00:00+01:00", "2025-02-03"),
    ("2025-02-03T08:00:00Z", "2025-02-03"),
    ("2025/02/03", "2025-02-03"),
    ("03/02/2025", "2025-02-03"),
    ("3-2-2025", "2025-02-03"),
    ("03.02.2025", "2025-02-03"),
    ("3 de febrero de 2025", "2025-02-03"),
    ("03 de febrero de 2025", "2025-02-03"),
    ("lunes 3 de febrero de 2025", "2025-02-03"),
    ("Lunes, 3 de Febrero del 2025", "2025-02-03"),
    ("MIÉRCOLES 1º DE ENERO DE 2025", "2025-01-01"),
    ("3 feb. 2025", "2025-02-03"),
    ("3-feb-2025", "2025-02-03"),
    ("15 de setiembre de 2024", "2024-09-15"),
    ("February 3, 2025", "2025-02-03"),
    (dt.date(2025, 2, 3), "2025-02-03"),
    (dt.datetime(2025, 2, 3, 23, 59), "2025-02-03"),
    (pd.Timestamp("2025-02-03T05:00", tz="America/Mexico_City"), "2025-02-03"),
])
def test_recognised_dates(value, expected):
    assert parse_date(value).date().isoformat() == expected


@pytest.mark.parametrize("value", [
    None, "", "   ", "mañana", "2024-13-45", "31/02/2024", "30 de febrero de 2024", "ayer por la tarde",
    "2024", "12/2024", float("nan"), 20240203, "3 de febrerito de 2025", "0000-00-00",
])
def test_unreadable_dates_give_none(value):
    assert parse_date(value) is None


def test_date_format_overrides_detection_and_reads_spanish_months():
    assert parse_date("02-03-2025", "%m-%d-%Y").date() == dt.date(2025, 2, 3)
    assert parse_date("3 Marzo 2025", "%d %B %Y").date() == dt.date(2025, 3, 3)
    assert parse_date("2025-02-03", "%d/%m/%Y") is None


def test_date_in_text_and_path():
    assert find_date("Versión estenográfica\nPresidencia\n03 de marzo de 2025").date() == dt.date(2025, 3, 3)
    assert find_date("sin fecha aquí") is None
    named = re.compile(r"_posts/(?P<year>\d{4})/(?P<month>\d{2})/(?P<day>\d{2})/")
    assert date_from_path("_posts/2013/04/01/1809-evo.md", named).date() == dt.date(2013, 4, 1)
    assert date_from_path("otros/1809-evo.md", named) is None
    assert date_from_path("2014-02-23_nota.txt", re.compile(r"^(\d{4}-\d{2}-\d{2})")).day == 23
    assert make_date("2025", "Diciembre", "31").month == 12


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=60), st.integers(), st.floats(), st.none(), st.binary(max_size=20)))
def test_parse_date_never_crashes_and_returns_a_day(value):
    result = parse_date(value)
    assert result is None or (isinstance(result, pd.Timestamp) and result == result.normalize())


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2099, 12, 31)))
def test_round_trip_of_every_written_form(day):
    months = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre",
              "octubre", "noviembre", "diciembre"]
    for text in (day.isoformat(), day.strftime("%d/%m/%Y"), f"{day.day} de {months[day.month - 1]} de {day.year}",
                 f"{day.day:02d} de {months[day.month - 1].upper()} de {day.year}"):
        assert parse_date(text).date() == day, text


def test_dateline_beats_a_date_inside_the_title():
    # a real mananeras header: the title carries a typo year, line 3 the true date
    header = ["Versión estenográfica. Conferencia de prensa del presidente Andrés Manuel López Obrador del 1º de agosto de 2021",
              "Presidencia de la República", "01 de agosto de 2022"]
    assert date_in_lines(header).date() == dt.date(2022, 8, 1)
    assert date_in_lines(["Sin fecha", "lunes 3 de febrero de 2025"]).date() == dt.date(2025, 2, 3)
