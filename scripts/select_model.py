"""Selection stage: gather the grid's measures, add stability across seeds, choose K and seed.

Stability: for each K, every pair of seeds has its topics matched one-to-one (Hungarian
assignment on Jensen–Shannon distance between topic-term distributions); a matched pair's
similarity is ``1 - JS`` (base 2, so 0…1). A model's ``stability`` is the mean similarity of its
matched topics over the other seeds.

Rule (``model.selection``): among K whose mean stability is at least ``min_stability``, take the
K with the highest mean of ``metric`` over seeds (ties to the smaller K); within it, the seed with
the highest ``metric``. If no K reaches the threshold, all K are eligible and the reasoning says so.
``model.select_k`` / ``model.select_seed`` override the rule.

Example
-------
>>> import numpy as np
>>> a = np.array([[0.9, 0.1], [0.1, 0.9]])
>>> match_topics(a, a[::-1])[1].round(3).tolist()
[1.0, 1.0]
"""


import itertools
import json
import logging
import shutil

import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment
from scipy.spatial.distance import jensenshannon

logger = logging.getLogger(__name__)

HIGHER_IS_BETTER = {"npmi": True, "c_v": True, "umass": True, "perplexity": False, "diversity": True, "stability": True}


def match_topics(topic_term_a: np.ndarray, topic_term_b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Match topics of two models one-to-one by minimum Jensen–Shannon distance.

    Parameters
    ----------
    topic_term_a, topic_term_b : numpy.ndarray
        Topic-term distributions of the same shape ``(K, V)``.

    Returns
    -------
    partner : numpy.ndarray
        ``partner[i]`` is the topic of ``b`` matched to topic ``i`` of ``a``.
    similarity : numpy.ndarray
        ``1 - JS`` of each matched pair.
    """
    distance = np.array([[jensenshannon(p, q, base=2) for q in topic_term_b] for p in topic_term_a])
    rows, cols = linear_sum_assignment(distance)
    partner = np.empty(len(rows), dtype=int)
    partner[rows] = cols
    return partner, 1.0 - distance[rows, cols]


def stability_table(topic_terms: dict[tuple[int, int], np.ndarray]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per-model and per-topic stability across seeds of the same K.

    Parameters
    ----------
    topic_terms : dict
        ``(k, seed)`` → topic-term matrix.

    Returns
    -------
    per_model : pandas.DataFrame
        ``k, seed, stability``.
    per_topic : pandas.DataFrame
        ``k, seed, topic, match_similarity`` (mean over the other seeds).
    """
    per_topic_rows, per_model_rows = [], []
    for k in sorted({key[0] for key in topic_terms}):
        seeds = sorted(seed for kk, seed in topic_terms if kk == k)
        sims = {seed: [] for seed in seeds}
        for seed_a, seed_b in itertools.permutations(seeds, 2):
            sims[seed_a].append(match_topics(topic_terms[(k, seed_a)], topic_terms[(k, seed_b)])[1])
        for seed in seeds:
            topic_sim = np.mean(sims[seed], axis=0) if sims[seed] else np.full(k, np.nan)
            per_model_rows.append((k, seed, round(float(np.mean(topic_sim)), 10)))
            per_topic_rows.extend((k, seed, t, round(float(s), 10)) for t, s in enumerate(topic_sim))
    return (
        pd.DataFrame(per_model_rows, columns=["k", "seed", "stability"]),
        pd.DataFrame(per_topic_rows, columns=["k", "seed", "topic", "match_similarity"]),
    )


def select(table: pd.DataFrame, metric: str = "npmi", min_stability: float = 0.5,
           select_k: int | None = None, select_seed: int | None = None) -> dict:
    """Apply the selection rule to the model table.

    Parameters
    ----------
    table : pandas.DataFrame
        ``model_selection.csv`` rows (``k, seed`` and measures including ``stability``).
    metric : str
        Measure to maximise (or minimise, for perplexity).
    min_stability : float
        Eligibility threshold on mean stability per K.
    select_k, select_seed : int, optional
        Overrides.

    Returns
    -------
    dict
        ``k, seed, rule, reasoning`` (a list of sentences).
    """
    sign = 1.0 if HIGHER_IS_BETTER.get(metric, True) else -1.0
    by_k = table.groupby("k").agg(metric_mean=(metric, "mean"), stability_mean=("stability", "mean")).reset_index()
    reasoning = []
    eligible = by_k[by_k["stability_mean"].fillna(1.0) >= min_stability]
    if eligible.empty:
        reasoning.append(f"No K reached mean stability {min_stability:g}; every K was considered.")
        eligible = by_k
    else:
        dropped = sorted(set(by_k["k"]) - set(eligible["k"]))
        if dropped:
            reasoning.append(f"K = {', '.join(map(str, dropped))} fell below mean stability {min_stability:g}.")
    best = eligible.assign(score=sign * eligible["metric_mean"]).sort_values(["score", "k"], ascending=[False, True])
    chosen_k = int(best.iloc[0]["k"])
    reasoning.append(
        f"Among eligible K, K = {chosen_k} has the best mean {metric} over seeds "
        f"({best.iloc[0]['metric_mean']:.4f}; stability {best.iloc[0]['stability_mean']:.3f})."
    )
    rule = f"best mean {metric} among K with mean stability >= {min_stability:g}; ties to smaller K"
    if select_k is not None:
        if select_k not in set(table["k"]):
            raise ValueError(f"model.select_k: {select_k} is not in model.k ({sorted(set(table['k']))})")
        reasoning.append(f"Overridden by model.select_k = {select_k}.")
        chosen_k, rule = int(select_k), "model.select_k"
    at_k = table[table["k"] == chosen_k].assign(score=lambda t: sign * t[metric]).sort_values(["score", "seed"], ascending=[False, True])
    chosen_seed = int(at_k.iloc[0]["seed"])
    reasoning.append(f"At K = {chosen_k}, seed {chosen_seed} has the best {metric}.")
    if select_seed is not None:
        if select_seed not in set(at_k["seed"]):
            raise ValueError(f"model.select_seed: {select_seed} is not in model.seeds ({sorted(set(at_k['seed']))})")
        reasoning.append(f"Overridden by model.select_seed = {select_seed}.")
        chosen_seed = int(select_seed)
    return {"k": chosen_k, "seed": chosen_seed, "metric": metric, "rule": rule, "reasoning": reasoning}


def selection_markdown(selection: dict, table: pd.DataFrame) -> str:
    """``selection.md``: the rule, the reasoning and the per-K summary table."""
    summary = table.groupby("k").agg(["mean", "std"]).drop(columns="seed", level=0)
    lines = [
        "# Model selection",
        "",
        f"**Chosen: K = {selection['k']}, seed = {selection['seed']}.**",
        "",
        f"Rule: {selection['rule']}.",
        "",
        *[f"- {sentence}" for sentence in selection["reasoning"]],
        "",
        "## Measures per K (mean and standard deviation over seeds)",
        "",
        "| K | " + " | ".join(f"{m} mean | {m} sd" for m in summary.columns.levels[0] if m in HIGHER_IS_BETTER) + " |",
    ]
    metrics = [m for m in summary.columns.levels[0] if m in HIGHER_IS_BETTER]
    lines.append("|---|" + "---|---|" * len(metrics))
    for k, row in summary.iterrows():
        cells = " | ".join(f"{row[(m, 'mean')]:.4f} | {row[(m, 'std')]:.4f}" for m in metrics)
        lines.append(f"| {k} | {cells} |")
    return "\n".join(lines) + "\n"


def main(smk) -> None:
    """Snakemake entry point."""
    from gensim.models import LdaModel

    rows = [json.loads(open(path, encoding="utf-8").read()) for path in smk.input.scores]
    table = pd.DataFrame(rows).sort_values(["k", "seed"]).reset_index(drop=True)
    topic_terms = {}
    for path in smk.input.models:
        model = LdaModel.load(path)
        key = (int(model.num_topics), int(path.split("seed")[-1].split("/")[0]))
        topic_terms[key] = model.get_topics()
    per_model, per_topic = stability_table(topic_terms)
    table = table.merge(per_model, on=["k", "seed"], how="left")
    table.to_csv(smk.output.table, index=False)
    per_topic.to_csv(smk.output.topic_stability, index=False)
    rule = smk.params.selection
    selection = select(table, rule["metric"], rule["min_stability"], smk.params.select_k, smk.params.select_seed)
    with open(smk.output.selection, "w", encoding="utf-8") as handle:
        json.dump(selection, handle, indent=2, ensure_ascii=False)
        handle.write("\n")
    with open(smk.output.markdown, "w", encoding="utf-8") as handle:
        handle.write(selection_markdown(selection, table))
    chosen_dir = f"results/models/k{selection['k']}/seed{selection['seed']}/"
    for name in ("topic_terms", "topic_sizes"):
        (source,) = [path for path in smk.input[name] if path.startswith(chosen_dir)]
        shutil.copyfile(source, smk.output[f"selected_{name}"])


if __name__ == "__main__" and "snakemake" in globals():
    from stage_logging import run_stage

    run_stage(main, globals()["snakemake"])
