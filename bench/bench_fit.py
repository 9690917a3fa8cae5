"""Benchmark of the fit stage on jornada_zacatecas (issue 5).

Three measurements at K = 20 on the preprocessed jornada_zacatecas corpus:

1. the pipeline's ``fit_lda`` job (wall time and peak memory from its Snakemake ``benchmark:``
   file) against plain gensim ``LdaModel`` with the same settings and passes, run in a fresh
   process the same way (fit only, and fit + document-topic inference of every document, which
   is the work the job does);
2. NPMI of the gensim model against tomotopy's LDA (``tomotopy.LDAModel``) trained for the same
   wall time, both scored with the same gensim ``CoherenceModel`` on the training texts;
3. coherence scoring: one window count per grid (``evaluate.grid_coherence``) against one
   ``CoherenceModel`` per model (the old way).

tomotopy is installed only in its own virtual environment, ``bench/out/.venv-tomotopy``
(created on first use, git-ignored), never in the workflow's requirements.

The corpus: when ``RUN_DIR/results/corpus/train.mm`` is missing, the script writes the jornada
Markdown posts as a ``.txt`` folder (minimal reader: front matter, HTML tags and image links
stripped; date from the folder path) and runs the workflow up to preprocessing.

Usage::

    nice -n 10 .venv/bin/python bench/bench_fit.py --run-dir /tmp/jornada_run

Results: ``bench/results/bench_fit.csv`` and ``bench/results/bench_fit.md`` (committed summaries);
raw files (the tomotopy environment, the training texts) stay in ``bench/out/`` (git-ignored).
"""

import argparse
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "corpora" / "jornada_zacatecas"
OUT = REPO / "bench" / "out"
RESULTS = REPO / "bench" / "results"
TOMOTOPY_VENV = OUT / ".venv-tomotopy"
TOMOTOPY_VERSION = "0.14.0"

FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.S)
TITLE = re.compile(r"^title:\s*(.*)$", re.M)
MARKUP = [
    (re.compile(r"!\[[^\]]*\]\([^)]*\)"), " "),  # Markdown images
    (re.compile(r"\[([^\]]*)\]\([^)]*\)"), r"\1"),  # Markdown links: keep the text
    (re.compile(r"<[^>]+>"), " "),  # HTML tags
    (re.compile(r"https?://\S+"), " "),  # bare URLs
    (re.compile(r"&[a-z]+;|&#\d+;"), " "),  # HTML entities
]


def clean_post(raw: str) -> tuple[str, str]:
    """Title and plain body of one Jekyll post (minimal reader used only by this benchmark).

    >>> clean_post("---\\ntitle: Hola\\n---\\n![](http://x/y.jpg)\\n<p>Texto</p>")
    ('Hola', 'Texto')
    """
    match = FRONT_MATTER.match(raw)
    header, body = (match.group(1), raw[match.end():]) if match else ("", raw)
    title_match = TITLE.search(header)
    title = title_match.group(1).strip().strip("'\"") if title_match else ""
    for pattern, replacement in MARKUP:
        body = pattern.sub(replacement, body)
    return title, " ".join(body.split())


def write_jornada_txt(corpus: Path, folder: Path) -> int:
    """Write every jornada post as ``folder/<n>.txt`` in the workflow's txt format; return the count."""
    folder.mkdir(parents=True, exist_ok=True)
    posts = sorted(p for p in (corpus / "_posts").rglob("*") if p.suffix in (".md", ".markdown"))
    written = 0
    for post in posts:
        year, month, day = post.relative_to(corpus / "_posts").parts[:3]
        title, body = clean_post(post.read_text(encoding="utf-8", errors="replace"))
        if not body:
            continue
        name = f"{year}{month}{day}_{post.stem}"
        (folder / f"{name}.txt").write_text(f" date {year}-{month}-{day} {title}\n{body}\n", encoding="utf-8")
        written += 1
    return written


# ---- the corpus ---------------------------------------------------------------------------------


def snakemake(run_dir: Path, *targets: str, cores: int = 2) -> None:
    """Run the workflow in ``run_dir`` (its ``config.yaml``) up to ``targets``."""
    command = [str(REPO / ".venv/bin/snakemake"), "-s", str(REPO / "Snakefile"), "--directory", str(run_dir),
               "--configfile", str(run_dir / "config.yaml"), "--cores", str(cores), *targets]
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)


def prepare_corpus(run_dir: Path, ks: list[int], seeds: list[int]) -> None:
    """Jornada as a txt folder and a config in ``run_dir``, preprocessed by the workflow."""
    import yaml

    if not (run_dir / "articles").exists():
        print(f"writing {write_jornada_txt(CORPUS, run_dir / 'articles')} articles", flush=True)
    if not (run_dir / "config.yaml").exists():
        config = yaml.safe_load((REPO / "config" / "config.yaml").read_text(encoding="utf-8"))
        config["corpus"] = {"path": "articles", "format": "txt"}
        config["model"].update({"k": ks, "seeds": seeds})
        config["report"]["title"] = "La Jornada Zacatecas 2013-2014"
        (run_dir / "config.yaml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False))
    snakemake(run_dir, "results/corpus/train.mm")


# ---- measurements -------------------------------------------------------------------------------


def run_measured(command: list[str], env: dict | None = None) -> tuple[float, float, float, str]:
    """Wall seconds, peak RSS (MB), CPU seconds (user + system) and stdout of a child process."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=env)
    stdout = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise RuntimeError(f"{command[:3]} failed with {process.returncode}")
    return time.perf_counter() - started, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime, stdout


PLAIN_GENSIM = """
import json, sys, time
import numpy as np
from gensim.corpora import Dictionary, MmCorpus
from gensim.models import LdaModel
corpus_dir, k, seed, settings, infer = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), json.loads(sys.argv[4]), sys.argv[5] == "1"
dictionary = Dictionary.load(corpus_dir + "/dictionary.gensim")
started = time.perf_counter()
model = LdaModel(corpus=MmCorpus(corpus_dir + "/train.mm"), id2word=dictionary, num_topics=k, random_state=seed,
                 eval_every=None, dtype=np.float64, **settings)
fit = time.perf_counter() - started
if infer:
    for corpus in ("train.mm", "heldout.mm"):
        bows = list(MmCorpus(corpus_dir + "/" + corpus))
        for start in range(0, len(bows), 2000):
            model.inference(bows[start:start + 2000])
top = [[dictionary[int(i)] for i in np.argsort(-row, kind="stable")[:10]] for row in model.get_topics()]
print(json.dumps({"fit_s": fit, "topics": top}))
"""

TOMOTOPY_FIT = """
import json, sys, time
import tomotopy as tp
texts_path, k, seed, budget, workers = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5])
model = tp.LDAModel(k=k, seed=seed)
for line in open(texts_path, encoding="utf-8"):
    words = line.split()
    if words:
        model.add_doc(words)
started, iterations = time.perf_counter(), 0
while time.perf_counter() - started < budget:
    model.train(10, workers=workers)
    iterations += 10
top = [[word for word, _ in model.get_topic_words(t, top_n=10)] for t in range(k)]
print(json.dumps({"fit_s": time.perf_counter() - started, "iterations": iterations, "topics": top}))
"""


def tomotopy_python() -> Path:
    """The benchmark's own environment with tomotopy (created on first use, never in requirements)."""
    python = TOMOTOPY_VENV / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(TOMOTOPY_VENV)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", f"tomotopy=={TOMOTOPY_VERSION}"], check=True)
    return python


def npmi_of(topics: list[list[str]], texts, dictionary, measure: str = "c_npmi") -> float:
    """Mean coherence of ``topics`` on the training texts, the way the workflow scores them."""
    from scripts.model.scores import coherence_per_topic

    known = [[w for w in topic if w in dictionary.token2id] for topic in topics]
    return float(coherence_per_topic(known, texts, dictionary, measure).mean())


def pipeline_benchmark(run_dir: Path, k: int, seed: int) -> tuple[float, float, float]:
    """Wall seconds, peak RSS (MB) and CPU seconds of the workflow's ``fit_lda`` job (its benchmark file)."""
    target = f"results/models/k{k}/seed{seed}/lda.gensim"
    snakemake(run_dir, target, cores=1)
    row = (run_dir / f"benchmarks/fit_lda/k{k}_seed{seed}.tsv").read_text().splitlines()[1].split("\t")
    return float(row[0]), float(row[2]), float(row[9])


def lda_settings(run_dir: Path) -> dict:
    """The run's LDA settings (config values over the schema's defaults)."""
    import yaml
    from scripts.model.settings import lda_options
    from scripts.settings import defaults

    config = yaml.safe_load((run_dir / "config.yaml").read_text(encoding="utf-8"))
    return lda_options(defaults(config)["model"])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--run-dir", type=Path, default=Path("/tmp/jornada_run"))
    parser.add_argument("--k", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--tomotopy-workers", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args(argv)
    import pandas as pd
    from gensim.corpora import Dictionary

    OUT.mkdir(parents=True, exist_ok=True)
    run_dir = args.run_dir.resolve()
    prepare_corpus(run_dir, [10, 20, 30, 40], [1, 2, 3])
    corpus_dir = run_dir / "results" / "corpus"
    settings = lda_settings(run_dir)
    rows = []

    wall, rss, cpu = pipeline_benchmark(run_dir, args.k, args.seed)
    rows.append({"measure": "fit", "tool": "pipeline fit_lda job (fit + infer all docs + tables)", "wall_s": wall,
                 "cpu_s": cpu, "peak_mb": rss})
    print(rows[-1], flush=True)
    pipeline_terms = pd.read_csv(run_dir / f"results/models/k{args.k}/seed{args.seed}/topic_terms.csv")
    topics = {"pipeline": [list(g.sort_values("rank")["term"][:10]) for _, g in pipeline_terms.groupby("topic")]}
    for infer, label in ((False, "plain gensim LdaModel (fit only)"), (True, "plain gensim LdaModel (fit + infer all docs)")):
        wall, rss, cpu, out = run_measured([str(REPO / ".venv/bin/python"), "-c", PLAIN_GENSIM, str(corpus_dir), str(args.k),
                                       str(args.seed), json.dumps(settings), "1" if infer else "0"])
        result = json.loads(out)
        rows.append({"measure": "fit", "tool": label, "wall_s": wall, "cpu_s": cpu, "peak_mb": rss, "fit_s": result["fit_s"]})
        if not infer:
            topics["gensim"], budget = result["topics"], result["fit_s"]
        print(rows[-1], flush=True)

    tokens = pd.read_parquet(corpus_dir / "tokens.parquet", columns=["split", "tokens"])
    texts = [list(t) for t in tokens.loc[tokens["split"] == "train", "tokens"]]
    texts_path = OUT / "jornada_train_texts.txt"
    texts_path.write_text("\n".join(" ".join(t) for t in texts) + "\n", encoding="utf-8")
    python = tomotopy_python()
    for workers in args.tomotopy_workers:
        wall, rss, cpu, out = run_measured([str(python), "-c", TOMOTOPY_FIT, str(texts_path), str(args.k), str(args.seed),
                                       str(budget), str(workers)])
        result = json.loads(out)
        topics[f"tomotopy_{workers}w"] = result["topics"]
        rows.append({"measure": "fit", "tool": f"tomotopy LDAModel, {workers} worker(s), {result['iterations']} iterations",
                     "wall_s": wall, "cpu_s": cpu, "peak_mb": rss, "fit_s": result["fit_s"]})
        print(rows[-1], flush=True)
    texts_path.unlink()

    dictionary = Dictionary.load(str(corpus_dir / "dictionary.gensim"))
    for measure in ("c_npmi", "c_v"):
        started = time.perf_counter()
        npmi_of(topics["gensim"], texts, dictionary, measure)
        rows.append({"measure": f"{measure} of one model (one CoherenceModel per model)", "tool": "gensim CoherenceModel",
                     "wall_s": time.perf_counter() - started})
        print(rows[-1], flush=True)
    for name, words in topics.items():
        rows.append({"measure": "npmi at equal wall time", "tool": name, "npmi": npmi_of(words, texts, dictionary)})
        print(rows[-1], flush=True)
    score_bench = run_dir / "benchmarks/score_models/score_models.tsv"
    if score_bench.exists():
        row = score_bench.read_text().splitlines()[1].split("\t")
        rows.append({"measure": "score_models job (whole grid, shared windows)", "tool": "pipeline",
                     "wall_s": float(row[0]), "peak_mb": float(row[2])})
    table = pd.DataFrame(rows).round(4)
    RESULTS.mkdir(parents=True, exist_ok=True)
    table.to_csv(RESULTS / "bench_fit.csv", index=False)
    (RESULTS / "bench_fit.md").write_text(
        f"K = {args.k}, seed {args.seed}, settings {settings}; machine: {os.cpu_count()} cores, load "
        f"{os.getloadavg()[0]:.1f} at the end\n\n" + table.to_markdown(index=False) + "\n", encoding="utf-8")
    print(table.to_string(index=False))


if __name__ == "__main__":
    main()
