"""Score a finished run's theme shares against a labelled corpus, beside a plain keyword counter.

For each theme matched to a label of ``--label-column`` (in ``documents.parquet``), "this document
carries the label" is scored from the document's theme share as ROC AUC and average precision
(AP); the keyword counter (the theme's seed-word hits per token, from the same documents' tokens)
is scored the same way. With ``--grid`` every fitted model of the run (every K and seed) is
scored with two share rules (``fixed``: one link weight per topic and theme, the rule before
issue 14; ``split``: the per-document split of :mod:`scripts.themes.shares`), each row named
``<theme_method of the fits>+<rule>``, beside the run's own ``doc_themes.parquet`` (``run:<method>``).

Themes are matched to labels by name, ignoring case, accents and punctuation
(``Covid`` ↔ ``Covid-19``, ``Politica`` ↔ ``Política``); ``--map theme=label`` overrides.

Usage::

    python bench/validate_themes.py /work/runs14/v1 --label-column topic --grid \\
        --out bench/results/themes_fakenews_v1.csv

Writes the per-theme table (``--out``) and a per-method summary beside it (``*_summary.csv``)
and prints both.

Example
-------
>>> roc_auc(np.array([0.1, 0.4, 0.35, 0.8]), np.array([0, 0, 1, 1]))
0.75
>>> roc_auc(np.array([0.0, 0.0, 1.0]), np.array([1, 0, 1]))
0.75
>>> round(average_precision(np.array([0.1, 0.4, 0.35, 0.8]), np.array([0, 0, 1, 1])), 4)
0.8333
"""

import argparse
import re
import unicodedata
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.stats import rankdata

from scripts.themes.drift import count_matrix
from scripts.themes.linking import link_topics, seed_term_ids, seeded_links, theme_weights
from scripts.model.settings import uses_seeded_prior
from scripts.settings import defaults
from scripts.themes.shares import DEFAULT_STRENGTH, guided_shares, keyword_rate


def roc_auc(score: np.ndarray, positive: np.ndarray) -> float:
    """ROC AUC (Mann–Whitney, ties count one half); NaN without both classes."""
    positive = np.asarray(positive, dtype=bool)
    n_pos, n_neg = int(positive.sum()), int((~positive).sum())
    if n_pos == 0 or n_neg == 0:
        return float("nan")
    ranks = rankdata(score)
    return float((ranks[positive].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def average_precision(score: np.ndarray, positive: np.ndarray) -> float:
    """Average precision over the distinct score thresholds (tied documents enter together)."""
    positive = np.asarray(positive, dtype=bool)
    if positive.sum() == 0:
        return float("nan")
    order = np.argsort(-np.asarray(score, dtype=float), kind="mergesort")
    score, positive = np.asarray(score, dtype=float)[order], positive[order]
    last = np.r_[np.flatnonzero(np.diff(score) != 0), score.size - 1]
    true_pos = np.cumsum(positive)[last]
    precision = true_pos / (last + 1)
    recall = true_pos / positive.sum()
    return float(np.sum(np.diff(np.r_[0.0, recall]) * precision))


def _key(name: str) -> str:
    text = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", text.lower())


def match_labels(themes: list, labels, overrides: dict) -> dict:
    """Theme → label (by normalised name, or ``overrides``); themes without a label are left out.

    Example
    -------
    >>> match_labels(["Covid", "Politica", "otro"], ["Covid-19", "Política"], {})
    {'Covid': 'Covid-19', 'Politica': 'Política'}
    """
    by_key = {}
    for label in labels:
        by_key.setdefault(_key(label), label)
    found = {}
    for theme in themes:
        if theme in overrides:
            found[theme] = overrides[theme]
        else:
            for key, label in by_key.items():
                if key == _key(theme) or (len(_key(theme)) >= 4 and key.startswith(_key(theme))):
                    found[theme] = label
                    break
    return found


def score_table(shares: np.ndarray, keyword: np.ndarray, labels: pd.Series, mapping: dict, themes: list) -> list:
    """Per theme: label, positives, AUC and AP of the shares and of the keyword counter."""
    rows = []
    for theme, label in mapping.items():
        j = themes.index(theme)
        positive = (labels == label).to_numpy()
        rows.append({
            "theme": theme, "label": label, "n_pos": int(positive.sum()), "n_docs": int(positive.size),
            "auc": roc_auc(shares[:, j], positive), "ap": average_precision(shares[:, j], positive),
            "keyword_auc": roc_auc(keyword[:, j], positive), "keyword_ap": average_precision(keyword[:, j], positive),
        })
    return rows


def grid_models(run: Path):
    """``(k, seed, model_dir)`` of every fitted model of the run, sorted."""
    for path in sorted(run.glob("results/models/k*/seed*/lda.gensim")):
        match = re.search(r"k(\d+)/seed(\d+)/", str(path))
        yield int(match.group(1)), int(match.group(2)), path.parent


def model_shares(model_dir: Path, counts, n_tokens, term_ids, themes, methods, keep, linking, theme_method) -> dict:
    """Share rule → ``(D, T)`` shares of one fitted model (documents in ``keep``).

    ``fixed``: ``doc_topic @`` link weights (the rule before issue 14, one weight per topic and
    theme); ``split`` (``split@s`` for prior strength ``s``): the per-document split of
    :func:`scripts.themes.shares.guided_shares`, the pipeline's rule.
    """
    from gensim.models import LdaModel

    topic_term = LdaModel.load(str(model_dir / "lda.gensim")).get_topics()
    frame = pd.read_parquet(model_dir / "doc_topics.parquet")
    doc_topic = frame.filter(like="topic_").to_numpy()[keep]
    topic_share = (n_tokens / n_tokens.sum()) @ doc_topic
    out = {}
    for method in methods:
        if method == "fixed":
            link = seeded_links if uses_seeded_prior(theme_method, doc_topic.shape[1], len(themes)) else link_topics
            links = link(topic_term, term_ids, topic_share, linking["min_lift"], linking["min_relative"])
            out[method] = doc_topic @ theme_weights(links, themes, doc_topic.shape[1])
        elif method.startswith("split"):
            rule = method.split("@")[0].split("_")[1] if "_" in method.split("@")[0] else "ratio"
            strength = float(method.split("@")[1]) if "@" in method else DEFAULT_STRENGTH
            out[method] = guided_shares(counts, doc_topic, topic_term, term_ids, themes, topic_share,
                                        linking["min_relative"], strength, rule)
    return out


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("run", type=Path, help="run folder (holds results/)")
    parser.add_argument("--label-column", default="topic")
    parser.add_argument("--map", action="append", default=[], help="theme=label (repeatable)")
    parser.add_argument("--grid", action="store_true", help="score every model of the grid with every method")
    parser.add_argument("--methods", default="", help="share rules for --grid: fixed, split, split_additive, split@<strength> (default: fixed,split,split_additive)")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)

    import yaml
    from gensim.corpora import Dictionary

    run = args.run
    config = yaml.safe_load((run / "config.yaml").read_text(encoding="utf-8")) if (run / "config.yaml").exists() else {}
    config = defaults(config)  # the run's config with the schema's defaults filled in, as the workflow ran it
    seed_words = pd.read_csv(run / "results/corpus/seed_words.csv")
    themes = list(dict.fromkeys(seed_words["theme"]))
    dictionary = Dictionary.load(str(run / "results/corpus/dictionary.gensim"))
    term_ids = seed_term_ids(seed_words, dictionary.token2id, themes)
    tokens = pd.read_parquet(run / "results/corpus/tokens.parquet", columns=["doc_id", "tokens"])
    n_all = tokens["tokens"].map(len).to_numpy()
    keep = n_all > 0
    documents = pd.read_parquet(run / "results/ingest/documents.parquet").set_index("doc_id")
    labels = documents.loc[tokens["doc_id"][keep], args.label_column].reset_index(drop=True)
    overrides = dict(item.split("=", 1) for item in args.map)
    mapping = match_labels(themes, labels.dropna().unique(), overrides)
    counts = count_matrix(tokens["tokens"].to_numpy()[keep], dictionary.token2id)
    n_tokens = n_all[keep].astype(float)
    keyword = keyword_rate(counts, term_ids, themes, n_tokens)

    rows = []
    run_shares = pd.read_parquet(run / "results/themes/doc_themes.parquet")
    if (run_shares["doc_id"].to_numpy() == tokens["doc_id"].to_numpy()[keep]).all():
        shares = np.column_stack([run_shares[t] if t in run_shares else np.zeros(len(run_shares)) for t in themes])
        method = f"run:{config['theme_method']}"
        rows += [{"k": "chosen", "seed": "chosen", "method": method, **row}
                 for row in score_table(shares, keyword, labels, mapping, themes)]
    if args.grid:
        methods = [m for m in args.methods.split(",") if m] or ["fixed", "split", "split_additive"]
        for k, seed, model_dir in grid_models(run):
            fitted = config["theme_method"]
            for rule, shares in model_shares(model_dir, counts, n_tokens, term_ids, themes, methods, keep,
                                             config["linking"], fitted).items():
                rows += [{"k": k, "seed": seed, "method": f"{fitted}+{rule}", **row}
                         for row in score_table(shares, keyword, labels, mapping, themes)]
    table = pd.DataFrame(rows)
    summary = table.groupby("method", sort=False).agg(
        models=("k", lambda s: len(set(zip(s, table.loc[s.index, "seed"])))),
        mean_auc=("auc", "mean"), keyword_mean_auc=("keyword_auc", "mean"),
        mean_ap=("ap", "mean"), keyword_mean_ap=("keyword_ap", "mean"),
    ).reset_index()
    per_theme = table.groupby(["method", "theme"], sort=False)[["auc", "keyword_auc", "ap", "keyword_ap"]].mean()
    worst = (per_theme["auc"] - per_theme["keyword_auc"]).groupby(level=0).min()
    summary["gain_auc"] = summary["mean_auc"] - summary["keyword_mean_auc"]
    summary["worst_theme_gap"] = summary["method"].map(worst)
    summary["min_theme_auc"] = summary["method"].map(per_theme["auc"].groupby(level=0).min())
    pd.set_option("display.width", 200)
    print(per_theme.round(3).to_string())
    print(summary.round(3).to_string(index=False))
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        table.round(4).to_csv(args.out, index=False)
        summary.round(4).to_csv(args.out.with_name(args.out.stem + "_summary.csv"), index=False)


if __name__ == "__main__":
    main()
