"""The report speaks one language: no sentence of the other in its visible text.

The scan strips tags, style and images, skips elements marked ``lang-neutral`` (corpus titles,
terms, topic and theme labels, names, config values: any language may appear there) and looks
for frequent function words of the other language. The shared workflow run is in Spanish; the
same hand-made tables rendered in English are scanned for Spanish words.
"""

import json
import re
from html.parser import HTMLParser

import pandas as pd
import pytest

from scripts.model.selection import select
from scripts.model.settings import SelectionRule
from scripts.report.render import provenance, render, report_context
from scripts.settings import defaults, section
from test_report import FIGURES, THEMES, write_inputs

# frequent English words that are not also Spanish words (no "a", "no", "he", "me")
ENGLISH = {
    "the", "of", "and", "is", "are", "was", "were", "be", "been", "has", "have", "it", "its", "this", "that",
    "which", "with", "from", "for", "by", "not", "on", "at", "to", "in", "over", "than", "each", "among",
    "within", "best", "models", "fitted", "scores", "score", "seed", "seeds", "rule", "chosen", "higher",
    "lower", "better", "largest", "smaller", "ties", "threshold", "stability", "exclusivity", "robustness",
    "resampling", "halving", "doubling", "resamples", "cases", "choice", "front", "pick", "would", "alone",
    "mean", "share", "date", "set", "aside", "kept", "yes", "true", "false", "none", "installed", "unreadable",
}
# frequent Spanish words that are not also English words (no "a", "no", "son" is kept out too)
SPANISH = {
    "el", "la", "los", "las", "de", "del", "y", "que", "en", "se", "por", "con", "una", "un", "es", "para",
    "más", "entre", "cada", "sin", "semilla", "semillas", "modelos", "ajustaron", "regla", "elegido", "mejor",
    "puntuación", "fecha", "sí", "ningún", "está", "están", "según", "descartados", "temas", "ejes",
}


class VisibleText(HTMLParser):
    """Text a reader sees, without ``<style>``/``<script>`` and without ``lang-neutral`` elements.

    ``neutral`` collects the text of the skipped elements (to remove it from the Markdown twin).
    """

    VOID = {"img", "br", "hr", "meta", "link", "input", "source", "wbr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.parts, self.neutral = [], [], []

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        classes = (dict(attrs).get("class") or "").split()
        hidden = tag in ("style", "script", "title") or "lang-neutral" in classes
        self.stack.append((tag, hidden or any(h for _, h in self.stack[-1:])))

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        hidden = bool(self.stack) and self.stack[-1][1]
        (self.neutral if hidden else self.parts).append(data)


def visible_text(html: str) -> tuple[str, list[str]]:
    parser = VisibleText()
    parser.feed(html)
    return " ".join(parser.parts), [text.strip() for text in parser.neutral if text.strip()]


def foreign_words(text: str, words: set) -> dict:
    """Each word of ``words`` found in ``text`` (case-insensitive, whole words) with some context.

    Config keys (``model.select_k``) are names, not words of a language, and are skipped.
    """
    text = re.sub(r"\b[a-z_]+(?:\.[a-z_]+)+\b", " ", text)
    found = {}
    for match in re.finditer(r"[^\W\d_]+", text):
        word = match.group(0).lower()
        if word in words and word not in found:
            found[word] = text[max(0, match.start() - 60):match.end() + 60].replace("\n", " ")
    return found


def markdown_text(markdown: str, neutral: list[str]) -> str:
    """The Markdown report without the strings the HTML marks ``lang-neutral`` (titles, terms, labels)."""
    for text in sorted(set(neutral), key=len, reverse=True):
        markdown = markdown.replace(text, " ")
    return re.sub(r"`[^`]*`", " ", markdown)  # code spans: hashes, config keys


def test_scanner_sees_sentences_and_skips_neutral_elements():
    html = ('<p>Regla: best mean npmi among K</p><p class="lang-neutral">the title <b>of</b> an article</p>'
            '<style>.x { the: 1 }</style><p>fin</p>')
    text, neutral = visible_text(html)
    assert set(foreign_words(text, ENGLISH)) == {"best", "mean", "among"}
    assert "the title" in neutral and "of" in neutral


@pytest.mark.e2e
def test_workflow_report_has_no_english_sentence(small_grid_run):
    run_dir, config = small_grid_run
    assert config["figures"]["language"] == "es"
    html = (run_dir / "results" / "report" / "index.html").read_text(encoding="utf-8")
    markdown = (run_dir / "results" / "report" / "report.md").read_text(encoding="utf-8")
    text, neutral = visible_text(html)
    assert "Regla:" in text and "Se ajustaron" in text  # the selection reasoning is there, in Spanish
    assert foreign_words(text, ENGLISH) == {}
    assert foreign_words(markdown_text(markdown, neutral), ENGLISH) == {}
    # theme labels from the config, not keys
    assert "Seguridad y cooperación" in neutral and "seguridad cooperacion" not in html


def selection_inputs(root, language_free_reasons=("no_date", "near_duplicate")):
    """The hand-made report inputs, with a ``selection.json`` made by the real rule and theme labels."""
    inputs = write_inputs(root)
    table = pd.DataFrame({"k": [2, 2, 3, 3], "seed": [1, 2, 1, 2], "npmi": [0.2, 0.21, 0.1, 0.12],
                          "exclusivity": [0.8, 0.81, 0.7, 0.72], "stability": [0.9, 0.9, 0.5, 0.5],
                          "stability_above_null": [0.6, 0.6, 0.2, 0.2], "perplexity": [90.5, 91.0, 95.2, 96.1]})
    rule = SelectionRule(metric="npmi", min_stability=0.9, tolerance=0.5, seed_by="stability")
    selection = select(table, rule, n_boot=20)
    (root / "selection.json").write_text(json.dumps(selection), encoding="utf-8")
    table.assign(selection_score=table["k"].map(selection["scores"]), on_front=True).to_csv(inputs["table"], index=False)
    summary = json.loads((root / "summary.json").read_text(encoding="utf-8"))
    summary["rejected_by_reason"] = dict.fromkeys(language_free_reasons, 1)
    (root / "summary.json").write_text(json.dumps(summary), encoding="utf-8")
    pd.DataFrame({"theme": list(THEMES), "label": ["Soberanía", "Fentanilo"]}).to_csv(root / "labels.csv", index=False)
    inputs["theme_labels"] = str(root / "labels.csv")
    return inputs


@pytest.mark.parametrize("language, other", [("en", SPANISH), ("es", ENGLISH)])
def test_report_rendered_in_each_language_has_no_word_of_the_other(tmp_path, monkeypatch, language, other):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    corpus = tmp_path / "c.csv"
    corpus.write_text("id,date,text\n1,2024-01-01,x\n", encoding="utf-8")
    prov = provenance(defaults({"themes": THEMES}), corpus)
    context = report_context(selection_inputs(tmp_path / "in"), prov, FIGURES, section("figures", {"language": language}),
                             section("report", {"title": "Informe"}), THEMES, "month")
    html, markdown = render(context)
    text, neutral = visible_text(html)
    assert len(context["selection_reasoning"]) >= 6  # fitted, scored, best, tie, front, robustness, ...
    assert foreign_words(text, other) == {}
    assert foreign_words(markdown_text(markdown, neutral), other) == {}
    assert "Soberanía" in neutral  # the theme label, not the key


def test_selection_reasoning_has_the_same_numbers_in_both_languages(tmp_path):
    inputs = selection_inputs(tmp_path / "in")
    selection = json.loads(open(inputs["selection"], encoding="utf-8").read())
    from scripts.report.language import selection_sentences

    _, english = selection_sentences(selection, "en")
    _, spanish = selection_sentences(selection, "es")
    assert english == selection["reasoning"]  # selection.md / the logs keep these sentences
    digits = lambda text: re.findall(r"\d+", text)  # noqa: E731 (1,25 and 1.25 give the same digit runs)
    assert [digits(s) for s in english] == [digits(s) for s in spanish]
    assert any("0,9" in s for s in spanish) and not any(re.search(r"\d\.\d", s) for s in spanish)
