"""The report as a reader sees it: index.html opened in headless Chromium (Debian's ``chromium``)."""

import html
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

SECTIONS = ["corpus", "model-selection", "topics", "themes", "effects", "provenance"]  # effects: the shared run sets them
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--hide-scrollbars", "--disable-extensions", "--mute-audio",
]
# Runs at the page's load event: counts images that did not decode and lists the sections.
CHECK_SCRIPT = """<script>
window.addEventListener("load", function () {
  var images = Array.prototype.slice.call(document.images);
  var broken = images.filter(function (img) { return !img.complete || img.naturalWidth === 0; })
                     .map(function (img) { return img.alt || img.src.slice(0, 40); });
  var sections = Array.prototype.map.call(document.querySelectorAll("section[id]"), function (s) { return s.id; });
  var out = document.createElement("pre");
  out.id = "browser-check";
  out.textContent = JSON.stringify({images: images.length, broken: broken, sections: sections,
                                    topics: document.querySelectorAll("[id^=topic-]").length,
                                    themes: document.querySelectorAll("[id^=theme-]").length});
  document.body.appendChild(out);
});
</script>"""


def chromium() -> str:
    path = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
    if path is None:
        pytest.skip("Debian's chromium is not installed (apt-get install -y chromium; .ci/run installs it)")
    return path


def run_chromium(browser: str, profile: Path, *args: str) -> subprocess.CompletedProcess:
    command = [browser, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=180)


@pytest.mark.e2e
def test_report_opens_in_chromium_with_every_section_and_image(small_grid_run, tmp_path):
    browser = chromium()
    run_dir, config = small_grid_run
    index = run_dir / "results" / "report" / "index.html"
    page = index.read_text(encoding="utf-8")
    checked = tmp_path / "checked.html"
    checked.write_text(page.replace("</body>", CHECK_SCRIPT + "\n</body>"), encoding="utf-8")

    dump = run_chromium(browser, tmp_path / "profile-dom", "--virtual-time-budget=10000", "--dump-dom", checked.as_uri())
    match = re.search(r'<pre id="browser-check">(.*?)</pre>', dump.stdout, re.S)
    assert match, f"the check script did not run:\n{dump.stdout[-2000:]}\n{dump.stderr[-2000:]}"
    result = json.loads(html.unescape(match.group(1)))
    assert result["sections"] == SECTIONS
    assert result["broken"] == []
    assert result["images"] >= 7 + len(config["themes"])
    assert result["themes"] == len(config["themes"])
    assert result["topics"] >= 2

    screenshot = tmp_path / "report.png"
    shot = run_chromium(browser, tmp_path / "profile-shot", "--window-size=1280,4000", f"--screenshot={screenshot}", index.as_uri())
    assert screenshot.exists(), shot.stderr[-2000:]
    assert screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and screenshot.stat().st_size > 50_000
    print(f"screenshot: {screenshot}")  # pytest keeps recent tmp dirs: look at it with -s
