"""Segmentation: paragraphs, speaker turns (transcripts), word windows."""

import pytest
from hypothesis import given, strategies as st

from scripts.ingest.segment import split_document, split_paragraphs, split_speaker_turns, split_window

TRANSCRIPT = """Versión estenográfica. Conferencia de prensa del 3 de febrero de 2025
Presidencia de la República
03 de febrero de 2025
---
PRESIDENTA DE MÉXICO, CLAUDIA SHEINBAUM PARDO
Buenos días a todos.
Vamos a iniciar.
---
PREGUNTA
¿Qué pasará con los aranceles?
---
INTERLOCUTORA
"""


def test_speaker_turns_of_a_transcript():
    turns = split_speaker_turns(TRANSCRIPT)
    assert turns == [
        ("PRESIDENTA DE MÉXICO, CLAUDIA SHEINBAUM PARDO", "Buenos días a todos.\nVamos a iniciar."),
        ("PREGUNTA", "¿Qué pasará con los aranceles?"),
        ("INTERLOCUTORA", ""),
    ]


def test_turns_without_a_label_and_inline_labels():
    assert split_speaker_turns("cabecera\n---\nsolo texto en minúsculas") == [("", "solo texto en minúsculas")]
    assert split_speaker_turns("sin turnos") == [("", "sin turnos")]


def test_paragraphs_and_windows():
    assert [t for _, t in split_paragraphs("Uno.\n\n\nDos.\n\nTres.")] == ["Uno.", "Dos.", "Tres."]
    windows = split_window(" ".join(f"w{i}" for i in range(450)), 200)
    assert [len(t.split()) for _, t in windows] == [200, 250]
    assert split_document("a b", "none", 200) == [("", "a b")]
    with pytest.raises(ValueError, match="unknown segment mode"):
        split_document("a", "sentences", 200)


@given(st.text(max_size=400), st.sampled_from(["paragraphs", "speaker_turns", "window"]))
def test_segmentation_loses_no_word(body, mode):
    segments = split_document(body, mode, 10)
    words = [w for _, text in segments for w in text.split()]
    labels = [w for speaker, _ in segments for w in speaker.split()]
    source = [w for w in body.split() if set(w) != {"-"} or len(w) < 3]
    if mode != "speaker_turns":
        assert words == [w for w in source if not (len(w) >= 3 and set(w) == {"-"})]
    else:
        assert len(words) + len(labels) <= len(source) + body.count(":")
