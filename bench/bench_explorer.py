"""Size and open time of ``explorer.html`` at 100,000 documents, or on a finished run (issue 17).

Without ``--run``, a synthetic run of ``--docs`` documents (default 100,000) over ``--months``
months, five themes, K = 40 topics over a 30,000-word vocabulary, ``source`` and ``section``
facets and 250-word texts is built in memory and goes through the same functions as the rules
``tabulate_explorer`` and ``render_explorer`` (:func:`theme_document_table`,
:func:`topic_term_table`, :func:`explorer_data`, :func:`render_explorer`). With ``--run DIR``, the
page ``DIR/results/report/explorer.html`` of a finished run is measured as it is.

The page is then opened ``--repeat`` times in headless Chromium as ``explorer.html#selftest``:
``ready_ms`` is the page's own ``performance.now()`` when the first topic and theme are drawn
(parsing the HTML and the JSON included); ``wall_s`` is the whole Chromium process (browser
start-up included). Results go to stdout and ``--out`` (Markdown, appended).

Usage::

    nice -n 10 /work/main/.venv/bin/python bench/bench_explorer.py --out bench/results/explorer.md
    nice -n 10 /work/main/.venv/bin/python bench/bench_explorer.py --run /tmp/jornada_run --out bench/results/explorer.md
"""

import argparse
import html
import json
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from scripts.report.explorer import explorer_data, render_explorer
from scripts.report.explorer_tables import theme_document_table, topic_term_table
from scripts.report.settings import ExplorerSettings
from scripts.settings import section

THEMES = {
    "seguridad": ["seguridad", "operativo", "patrullaje"],
    "fentanilo": ["fentanilo", "opioide", "sobredosis"],
    "soberania": ["soberanía", "injerencia"],
    "economia": ["cosecha", "exportación", "comercio"],
    "deportes": ["partido", "gol", "torneo"],
}
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run", "--disable-extensions", "--virtual-time-budget=20000", "--dump-dom"]


def synthetic_page(n_docs: int, n_months: int, seed: int = 1) -> tuple[str, dict]:
    """explorer.html of a synthetic run, and the seconds each step took."""
    rng = np.random.default_rng(seed)
    settings = ExplorerSettings(**section("report")["explorer"])
    filler = [f"palabra{i}" for i in range(2000)]
    seeds = [word for words in THEMES.values() for word in words]
    start = pd.Timestamp("2020-01-01")
    dates = start + pd.to_timedelta(rng.integers(0, n_months * 30, n_docs), unit="D")
    shares = rng.dirichlet(np.full(len(THEMES) + 1, 0.3), size=n_docs)
    doc_ids = [f"doc{i:06d}" for i in range(n_docs)]
    doc_themes = pd.DataFrame({"doc_id": doc_ids, "date": dates, **{t: shares[:, i] for i, t in enumerate(THEMES)}})
    words = rng.choice(filler + seeds * 5, size=(n_docs, 250))
    documents = pd.DataFrame({"doc_id": doc_ids, "date": dates, "title": [f"Titular {i}" for i in range(n_docs)],
                              "text": [" ".join(row) for row in words],
                              "source": rng.choice([f"Diario {i}" for i in range(12)], n_docs),
                              "section": rng.choice(["nacional", "estados", "economía", "deportes", "opinión"], n_docs)})
    timings = {}
    clock = time.perf_counter()
    table = theme_document_table(doc_themes, documents, THEMES, ["source", "section"], "month",
                                 settings.docs_per_period, settings.passage_words, settings.min_share)
    timings["theme_documents_s"] = time.perf_counter() - clock
    clock = time.perf_counter()
    k, vocabulary_size = 40, 30_000
    phi = rng.dirichlet(np.full(vocabulary_size, 0.02), size=k)
    terms = topic_term_table(phi, [f"término_{i}" for i in range(vocabulary_size)], rng.dirichlet(np.ones(k)),
                             settings.terms_per_topic)
    timings["topic_terms_s"] = time.perf_counter() - clock
    month = doc_themes["date"].dt.to_period("M").dt.start_time.dt.strftime("%Y-%m-%d")
    rows = []
    for theme in THEMES:
        mean = doc_themes.groupby(month)[theme].agg(["mean", "size"])
        for period, row in mean.iterrows():
            rows.append({"period": period, "theme": theme, "prevalence": row["mean"], "ci_low": row["mean"] * 0.9,
                         "ci_high": row["mean"] * 1.1, "n_docs": int(row["size"]), "low_n": False})
    prevalence = pd.DataFrame(rows)
    periods = sorted(prevalence["period"].unique())
    points = pd.DataFrame([{"theme": theme, "period": periods[len(periods) // 2], "before": 0.1, "after": 0.2,
                            "confidence": 0.8, "date_low": periods[len(periods) // 2 - 1],
                            "date_high": periods[len(periods) // 2]} for theme in THEMES])
    topics = pd.DataFrame({"topic": range(k), "label": [f"tema {i}" for i in range(k)], "share": 1 / k})
    links = pd.DataFrame({"theme": list(THEMES), "topic": range(len(THEMES)), "reliable": True})
    clock = time.perf_counter()
    data = explorer_data(terms, topics, table, prevalence, points, links, THEMES, ["source", "section"], settings, "es",
                         "month")
    page = render_explorer(data, "Corpus sintético")
    timings["render_s"] = time.perf_counter() - clock
    timings["passages"] = len(table)
    timings["candidate_terms"] = len(terms)
    return page, timings


def open_times(page: Path, repeat: int) -> list[dict]:
    """``ready_ms`` (the page's own) and ``wall_s`` (the Chromium process) of each opening."""
    browser = shutil.which("chromium") or "/usr/bin/chromium"
    results = []
    for attempt in range(repeat):
        with tempfile.TemporaryDirectory() as profile:
            clock = time.perf_counter()
            run = subprocess.run([browser, *FLAGS, f"--user-data-dir={profile}", page.as_uri() + "#selftest"],
                                 capture_output=True, text=True, timeout=300)
            wall = time.perf_counter() - clock
        match = re.search(r'<pre id="selftest">(.*?)</pre>', run.stdout, re.S)
        result = json.loads(html.unescape(match.group(1))) if match else {"readyMs": None, "errors": ["no self-test"]}
        ready = None if result["readyMs"] is None else round(result["readyMs"])
        results.append({"ready_ms": ready, "wall_s": round(wall, 2), "errors": result["errors"],
                        "period_documents": result.get("period", {}).get("documents")})
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--months", type=int, default=36)
    parser.add_argument("--run", type=Path, help="a finished run folder: measure its explorer.html as it is")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    if args.run:
        page = args.run / "results" / "report" / "explorer.html"
        label, timings = f"run {args.run}", {}
    else:
        text, timings = synthetic_page(args.docs, args.months)
        page = Path(tempfile.mkdtemp()) / "explorer.html"
        page.write_text(text, encoding="utf-8")
        label = f"synthetic, {args.docs:,} documents, {args.months} months, 5 themes, K = 40"
    size = page.stat().st_size
    opens = open_times(page, args.repeat)
    lines = [f"### {label}", "", f"- explorer.html: {size:,} bytes ({size / 1e6:.2f} MB)"]
    lines += [f"- {name}: {value:.2f}" if isinstance(value, float) else f"- {name}: {value}" for name, value in timings.items()]
    lines += [f"- open #{i + 1}: ready {o['ready_ms']} ms (page), Chromium process {o['wall_s']} s, "
              f"errors {o['errors']}, documents shown for the busiest period {o['period_documents']}"
              for i, o in enumerate(opens)]
    report = "\n".join(lines) + "\n"
    print(report)
    if args.out:
        with args.out.open("a", encoding="utf-8") as handle:
            handle.write("\n" + report)


if __name__ == "__main__":
    main()
