"""explorer.html as a reader uses it, in headless Chromium (Debian's ``chromium``).

The page clicks through itself when opened as ``explorer.html#selftest`` (moves λ, clicks the
busiest period, the peak, a change point and a filter) and writes what it saw into
``<pre id="selftest">``, which ``--dump-dom`` prints. Console errors and blocked requests are read
twice: by the page (``error`` and ``securitypolicyviolation`` events) and from Chromium's log on
stderr. The page's Content-Security-Policy (``default-src 'none'``) blocks any request, and a
blocked one is logged, so a page that tries the network fails here; the last test checks that
these checks do fail on a page with an error and a request.
"""

import html
import json
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--hide-scrollbars", "--disable-extensions", "--mute-audio",
    "--enable-logging=stderr", "--v=0",
]
# Chromium's log lines for the page's console: uncaught errors and requests the CSP blocked
CONSOLE_PROBLEM = re.compile(r"CONSOLE.*(Uncaught|Content Security Policy|Refused to|Failed to load)")


def chromium() -> str:
    path = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
    if path is None:
        pytest.skip("Debian's chromium is not installed (apt-get install -y chromium; .ci/run installs it)")
    return path


def self_test(page: Path, profile: Path) -> tuple[dict, list]:
    """What the page's #selftest saw, and the console problems Chromium logged."""
    command = [chromium(), *FLAGS, f"--user-data-dir={profile}", "--virtual-time-budget=10000", "--dump-dom",
               page.as_uri() + "#selftest"]
    run = subprocess.run(command, capture_output=True, text=True, timeout=180)
    match = re.search(r'<pre id="selftest">(.*?)</pre>', run.stdout, re.S)
    assert match, f"the self-test did not run:\n{run.stdout[-2000:]}\n{run.stderr[-3000:]}"
    return json.loads(html.unescape(match.group(1))), [line for line in run.stderr.splitlines() if CONSOLE_PROBLEM.search(line)]


@pytest.mark.e2e
def test_explorer_clicks_through_in_chromium(small_grid_run, tmp_path):
    run_dir, config = small_grid_run
    page = run_dir / "results" / "report" / "explorer.html"
    result, console = self_test(page, tmp_path / "profile")
    assert result["errors"] == [] and console == []

    assert result["lambda"]["changed"], result["lambda"]  # moving λ from 1 to 0 re-orders the terms
    terms = pd.read_parquet(run_dir / "results" / "report" / "explorer" / "topic_terms.parquet")
    terms = terms[terms["topic"] == result["lambda"]["topic"]]  # the page's order = the table's, at λ = 1 and 0
    by_probability = terms.sort_values("probability", ascending=False, kind="stable")["label"].head(10).tolist()
    lift = np.log(terms["probability"] / terms["marginal"])
    by_lift = terms.assign(lift=lift).sort_values(["lift", "probability"], ascending=False, kind="stable")["label"].head(10).tolist()
    assert result["lambda"]["atOne"] == by_probability and result["lambda"]["atZero"] == by_lift

    period = result["period"]  # clicking the busiest period lists its documents, seed words marked
    assert 0 < period["documents"] <= 10 and period["marks"] > 0 and period["selected"] == 1
    assert period["label"] in period["heading"]
    assert result["peak"]["documents"] > 0

    assert result["filter"]["documents"] > 0 and result["filter"]["allMatch"], result["filter"]
    if (run_dir / "results" / "themes" / "change_points.csv").read_text(encoding="utf-8").count("\n") > 1:
        assert result["changePoint"]["documents"] > 0
    assert result["themes"] == len(config["themes"]) - 1  # the theme without vocabulary has no curve
    assert result["readyMs"] < 2000


def _points(text: str) -> float:
    """A number as the page writes it (``−10,7``) back to a float."""
    return float(text.replace("\u2212", "-").replace(",", "."))


@pytest.mark.e2e
def test_effects_view_shows_the_numbers_of_effects_csv(small_grid_run, tmp_path):
    """Every effect × theme of effects.csv (spline terms aside): the page's rows are its terms, with the
    estimate and interval to one decimal, a mark per term (hollow when the interval includes zero)
    and the reference level named."""
    run_dir, config = small_grid_run
    result, console = self_test(run_dir / "results" / "report" / "explorer.html", tmp_path / "profile")
    assert result["errors"] == [] and console == []
    effects = pd.read_csv(run_dir / "results" / "themes" / "effects.csv")
    shown = effects[~effects["term"].str.startswith("spline(")]
    seen = {(entry["effect"], entry["theme"]): entry for entry in result["effects"]}
    assert set(seen) == set(zip(shown["effect"], shown["theme"]))
    for (effect, theme), rows in shown.groupby(["effect", "theme"]):
        entry = seen[(effect, theme)]
        assert [row[0] for row in entry["rows"]] == rows["term"].tolist()
        np.testing.assert_allclose([_points(row[1]) for row in entry["rows"]], rows["estimate"], atol=0.051)
        bounds = [re.split(r"–| a | to ", row[2]) for row in entry["rows"]]
        np.testing.assert_allclose([[_points(low), _points(high)] for low, high in bounds],
                                   rows[["ci_low", "ci_high"]].to_numpy(), atol=0.051)
        assert [int(row[3]) for row in entry["rows"]] == rows["n_term"].tolist()
        significant = ((rows["ci_low"] > 0) | (rows["ci_high"] < 0)).to_numpy()
        assert entry["marks"] == len(rows) and entry["hollow"] == int((~significant).sum())
        sentences = [row[4] for row in entry["rows"]]
        assert all(("IC 95 %" in text) == bool(flag) for text, flag in zip(sentences, significant)), sentences
        reference = sorted({text for text in rows["reference"].dropna() if text})[0].replace("=", " = «") + "»"
        assert reference in entry["info"]  # the reference level named
    assert any(entry["hollow"] < entry["marks"] for entry in result["effects"])  # some effect is told from zero


@pytest.mark.e2e
def test_the_checks_fail_on_a_page_with_an_error_and_a_request(small_grid_run, tmp_path):
    run_dir, _ = small_grid_run
    page = (run_dir / "results" / "report" / "explorer.html").read_text(encoding="utf-8")
    broken = tmp_path / "broken.html"
    injected = '<img src="https://example.com/tracker.png"><script>fetch("https://example.com/data"); noSuchFunction();</script>'
    broken.write_text(page.replace('<script type="application/json"', injected + '<script type="application/json"', 1),
                      encoding="utf-8")
    result, console = self_test(broken, tmp_path / "profile")
    assert any("noSuchFunction" in error for error in result["errors"])
    assert any("example.com" in error for error in result["errors"])
    assert any("Uncaught" in line for line in console) and any("example.com" in line for line in console)
