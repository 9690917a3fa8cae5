"""Replicate-corpus check of the effects estimates (issue 18's done-criterion), beside a naive baseline.

Each replicate corpus (:func:`scripts.demo.planted.planted_corpus`: 2,000 articles over 24 months,
two outlets ``norte``/``sur``, an event on 2024-01-15) has planted effects on the ``fentanilo``
theme (``sur`` +6 points before the event, +5 after the event for ``norte``, +8 more for ``sur``
after it) and none on ``soberania``. For ``theme ~ section * post_event``:

* **estimates** (``bootstrap_two_level``, the real estimation path, :func:`scripts.themes.effects.effect_table`: design
  matrix, least squares, two-level bootstrap, intervals) from the shares of three "seed models"
  (:func:`scripts.demo.planted.seed_model_shares`): each document's share of theme sentences
  (what a perfect model would find in its text) with per-seed theme scaling (sd 3%,
  ``seeds_agree``, or 15%, ``seeds_disagree``: seeds that split or merge themes) and per-document
  Dirichlet noise (concentration 30) - not a fitted LDA per replicate, which would
  cost minutes each; ``bootstrap_documents_only`` is the same with the chosen seed's shares only
  (no model level);
* **naive baseline**: the share of a document's seed-word hits that belong to the theme (a
  dictionary count with the config's seed words, hits drawn exactly as the generated text would
  contain them), regressed on the same design with classical OLS standard errors;
* with ``--gensim N``: N replicate corpora written as CSV and run end to end through the real
  workflow (ingest, preprocess, gensim LDA K=6 × 3 seeds, track_themes, estimate_effects).

Run::

    python bench/bench_effects.py --replicates 200 --articles 2000 --n-boot 400 --gensim 1
    # writes bench/results/effects.csv (and effects_gensim.csv); the text is in bench/results/effects.md
"""


import argparse
import re
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import yaml
from scipy import stats

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from scripts.demo.generate import THEMES  # noqa: E402
from scripts.demo.planted import EVENT_DATE, NULL, PLANTED, TARGET, planted_corpus, seed_model_shares  # noqa: E402
from scripts.themes.effects import effect_table, effect_variables  # noqa: E402
from scripts.settings.formula import parse_formula  # noqa: E402
from scripts.themes.design import design_matrix  # noqa: E402
from scripts.themes.settings import EffectSettings  # noqa: E402

FORMULA = "theme ~ section * post_event"
#: Seed-model disagreement: sd of each seed's scaling of every theme (close seeds; seeds that split themes).
SCENARIOS = {"seeds_agree": 0.03, "seeds_disagree": 0.15}
EVENT = "Evento planeado"
CONFIG_THEMES = yaml.safe_load((REPO / "config" / "config.yaml").read_text(encoding="utf-8"))["themes"]


def stem(word: str) -> str:
    """A crude prefix for a seed word (``adicción`` → ``adicci``), as a naive counter would use."""
    return word.lower()[: max(4, len(word) - 2)]


def hit_tables() -> dict:
    """Seed-word hits of every phrase of every theme's lexicon: theme -> part -> (n_phrases, n_themes) counts."""
    patterns = {theme: re.compile(r"\b(" + "|".join(stem(w) for w in words) + r")\w*", re.I)
                for theme, words in CONFIG_THEMES.items()}
    tables = {}
    for name, lexicon in THEMES.items():
        tables[name] = [np.array([[len(p.findall(phrase)) for p in patterns.values()] for phrase in part])
                        for part in (lexicon.subjects, lexicon.verbs, lexicon.objects, lexicon.complements)]
    return tables


def naive_shares(counts: np.ndarray, rng: np.random.Generator, tables: dict) -> np.ndarray:
    """Per document, the seed-word hits of each config theme over all hits (NaN without any hit).

    Each theme sentence picks one phrase per part uniformly (as :func:`scripts.demo.generate._sentence`),
    so the hits are drawn part by part from the lexicon's hit tables, exactly as the text would hold them.
    """
    names = list(THEMES)
    hits = np.zeros((counts.shape[0], len(CONFIG_THEMES)))
    for j, name in enumerate(names):
        for part in tables[name]:
            for i in np.flatnonzero(counts[:, j]):
                hits[i] += part[rng.integers(0, len(part), size=counts[i, j])].sum(axis=0)
    total = hits.sum(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, hits / total, np.nan)


def naive_effects(variables: pd.DataFrame, shares: np.ndarray, level: float) -> pd.DataFrame:
    """OLS of the naive shares on the design with classical standard errors (documents with hits only)."""
    formula = parse_formula(FORMULA, ["section"])
    matrix, columns = design_matrix(formula, variables, 4)
    rows = []
    for j, theme in enumerate(CONFIG_THEMES):
        use = np.isfinite(shares[:, j])
        x, y = matrix[use], shares[use, j]
        beta, *_ = np.linalg.lstsq(x, y, rcond=None)
        residual = y - x @ beta
        dof = len(y) - x.shape[1]
        cov = residual @ residual / dof * np.linalg.inv(x.T @ x)
        q = stats.t.ppf(0.5 + level / 2, dof)
        for i, column in enumerate(columns, start=1):
            se = np.sqrt(cov[i, i])
            rows.append((theme, column.name, 100 * beta[i], 100 * (beta[i] - q * se), 100 * (beta[i] + q * se), 100 * se))
    return pd.DataFrame(rows, columns=["theme", "term", "estimate", "ci_low", "ci_high", "se"])


def one_replicate(index: int, n_articles: int, n_boot: int, tables: dict, level: float = 0.95) -> pd.DataFrame:
    """Estimates of the planted terms by every method on one replicate corpus."""
    rng = np.random.default_rng([2026, index])
    corpus = planted_corpus(rng, n_articles=n_articles, with_text=False)
    themes = list(THEMES)
    variables = effect_variables(corpus.articles["date"], "month", corpus.articles[["section"]], EVENT_DATE)
    effect = EffectSettings(name="planted", formula=FORMULA, event=EVENT, spline_df=4, reference={})
    columns = ["scenario", "method", "theme", "term", "estimate", "ci_low", "ci_high", "se"]
    parts = []
    for scenario, seed_scale in SCENARIOS.items():
        shares = seed_model_shares(corpus.fractions, rng, seed_scale=seed_scale)
        table = effect_table(effect, variables, shares, 0, themes, n_boot, level, index, "logit_t", columns=["section"])
        parts.append(table.assign(scenario=scenario, method="bootstrap_two_level")[columns])
        one_seed = effect_table(effect, variables, shares[:1], 0, themes, n_boot, level, index, "logit_t",
                                columns=["section"])
        parts.append(one_seed.assign(scenario=scenario, method="bootstrap_documents_only")[columns])
    naive = naive_effects(variables, naive_shares(corpus.counts, rng, tables), level)
    parts.append(naive.assign(scenario="text", method="naive_seed_words")[columns])
    result = pd.concat(parts, ignore_index=True)
    result = result.merge(corpus.truth, on=["theme", "term"])
    result.insert(0, "replicate", index)
    return result


def summarise(results: pd.DataFrame) -> pd.DataFrame:
    """Coverage, bias, power and interval width per method and term."""
    results = results.assign(covered=(results["ci_low"] <= results["planted"]) & (results["planted"] <= results["ci_high"]),
                             excludes_zero=(results["ci_low"] > 0) | (results["ci_high"] < 0),
                             width=results["ci_high"] - results["ci_low"])
    grouped = results.groupby(["scenario", "method", "theme", "term"], sort=False)
    summary = grouped.agg(planted=("planted", "first"), replicates=("replicate", "nunique"),
                          mean_estimate=("estimate", "mean"), sd_estimate=("estimate", "std"),
                          mean_se=("se", "mean"), coverage=("covered", "mean"), excludes_zero=("excludes_zero", "mean"),
                          mean_width=("width", "mean")).reset_index()
    summary["planted_over_sd"] = summary["planted"] / summary["sd_estimate"]
    return summary.round(3)


def gensim_replicate(index: int, n_articles: int, out: Path) -> pd.DataFrame:
    """One replicate corpus run end to end through the real workflow; its effects.csv rows of the planted themes."""
    rng = np.random.default_rng([2026, 10_000 + index])
    corpus = planted_corpus(rng, n_articles=n_articles, with_text=True)
    run_dir = out / f"gensim_{index}"
    run_dir.mkdir(parents=True, exist_ok=True)
    corpus.articles.to_csv(run_dir / "articles.csv", index=False)
    (run_dir / "events.csv").write_text(f"date,label\n{EVENT_DATE},{EVENT}\n", encoding="utf-8")
    config = yaml.safe_load((REPO / "config" / "config.yaml").read_text(encoding="utf-8"))
    config["corpus"] = {"path": "articles.csv", "format": "csv", "keep_columns": ["section"]}
    config["model"].update({"k": [6], "seeds": [1, 2, 3]})
    config["time"].update({"events": "events.csv", "n_boot": 1000})
    config["effects"] = [{"name": "planted", "formula": FORMULA, "event": EVENT}]
    (run_dir / "config.yaml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    started = time.time()
    subprocess.run([sys.executable, "-m", "snakemake", "-s", str(REPO / "Snakefile"), "--directory", str(run_dir),
                    "--configfile", str(run_dir / "config.yaml"), "--cores", "2", "results/themes/effects.csv"],
                   check=True, capture_output=True)
    effects = pd.read_csv(run_dir / "results" / "themes" / "effects.csv")
    effects = effects.merge(corpus.truth, on=["theme", "term"])
    variables = effect_variables(corpus.articles["date"], "month", corpus.articles[["section"]], EVENT_DATE)
    matrix, columns = design_matrix(parse_formula(FORMULA, ["section"]), variables, 4)
    oracle = np.linalg.lstsq(matrix, corpus.fractions, rcond=None)[0]
    names = list(THEMES)
    effects["sentence_fraction_estimate"] = [
        100 * oracle[[c.name for c in columns].index(row.term) + 1, names.index(row.theme)] for row in effects.itertuples()]
    effects["seconds"] = round(time.time() - started)
    return effects[["theme", "term", "planted", "estimate", "ci_low", "ci_high", "se", "sentence_fraction_estimate", "seconds"]]


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replicates", type=int, default=200)
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--n-boot", type=int, default=400)
    parser.add_argument("--gensim", type=int, default=0, help="replicate corpora run through the real workflow")
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "results" / "effects")
    args = parser.parse_args(argv)
    tables = hit_tables()
    started = time.time()
    results = pd.concat([one_replicate(i, args.articles, args.n_boot, tables) for i in range(args.replicates)],
                        ignore_index=True)
    seconds = time.time() - started
    summary = summarise(results)
    summary.to_csv(args.out.with_suffix(".csv"), index=False)
    print(summary.to_string(index=False))
    print(f"{args.replicates} replicates in {seconds:.0f} s")
    if args.gensim:
        work = REPO / "bench" / "out" / "effects"
        gensim = pd.concat([gensim_replicate(i, args.articles, work).assign(replicate=i) for i in range(args.gensim)])
        gensim.round(3).to_csv(args.out.parent / "effects_gensim.csv", index=False)
        print(gensim.round(2).to_string(index=False))


if __name__ == "__main__":
    main()
