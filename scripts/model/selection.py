"""Selection stage: the grid's measures side by side, stability across seeds, the chosen K and seed.

Rule (``model.selection``), applied to the means over seeds of each K:

1. eligible K: mean ``stability`` (see :mod:`stability`) at least ``min_stability``; if no K
   qualifies, every K is eligible and the reasoning says so;
2. the best mean ``metric`` among eligible K; any eligible K within ``tolerance`` of the best
   counts as tied, and ties go to the smaller K (fewer topics are easier to read and to trust);
3. the seed: by default the most typical solution of that K (``seed_by: stability``, the seed
   whose topics best match the other seeds'), ties broken by ``metric``; or the best ``metric``
   (``seed_by: metric``).

``model.select_k`` / ``model.select_seed`` override steps 2 and 3. Every step is written as a
sentence into ``selection.json`` and ``selection.md``, together with the K each other measure
would have picked, since coherence, perplexity and stability often disagree.

Example
-------
>>> table = pd.DataFrame({"k": [4, 4, 8, 8], "seed": [1, 2, 1, 2], "npmi": [0.1, 0.2, 0.3, 0.3],
...                       "stability": [0.9, 0.9, 0.8, 0.8]})
>>> rule = SelectionRule(metric="npmi", min_stability=0.5, tolerance=0.0, seed_by="stability")
>>> choice = select(table, rule)
>>> choice["k"], choice["seed"]
(8, 1)
"""


import json
import logging
import shutil

import numpy as np
import pandas as pd

from scripts.logs import UserInputError
from scripts.model.settings import SelectionRule
from scripts.model.stability import stability_tables

logger = logging.getLogger(__name__)

HIGHER_IS_BETTER = {
    "npmi": True, "c_v": True, "umass": True, "perplexity": False, "diversity": True,
    "stability": True, "stability_jaccard": True,
}


def per_k_summary(table: pd.DataFrame) -> pd.DataFrame:
    """Mean and standard deviation over seeds of every measure, one row per K."""
    measures = [m for m in HIGHER_IS_BETTER if m in table.columns]
    summary = table.groupby("k")[measures].agg(["mean", "std"])
    summary.columns = [f"{measure}_{stat}" for measure, stat in summary.columns]
    return summary.reset_index()


def _best_k(summary: pd.DataFrame, measure: str) -> int | None:
    values = summary.set_index("k")[f"{measure}_mean"].dropna()
    if values.empty:
        return None
    return int((values if HIGHER_IS_BETTER[measure] else -values).idxmax())


def threshold_sensitivity(summary: pd.DataFrame, metric: str, tolerance: float = 0.0) -> list[tuple[float, int]]:
    """The K the rule picks at each ``min_stability`` where the eligible set changes.

    Returns ``(threshold, k)`` pairs, highest threshold first: K = ``k`` is chosen for every
    ``min_stability`` up to ``threshold`` (and above the next pair's threshold).

    >>> summary = pd.DataFrame({"k": [5, 10], "npmi_mean": [0.1, 0.2], "stability_mean": [0.6, 0.4]})
    >>> threshold_sensitivity(summary, "npmi")
    [(0.6, 5), (0.4, 10)]
    """
    sign = 1.0 if HIGHER_IS_BETTER[metric] else -1.0
    choices = []
    for threshold in sorted(summary["stability_mean"].dropna().unique(), reverse=True):
        eligible = summary[summary["stability_mean"] >= threshold].dropna(subset=[f"{metric}_mean"])
        if eligible.empty:
            continue
        scores = sign * eligible.set_index("k")[f"{metric}_mean"]
        k = min(int(kk) for kk in scores.index if scores[kk] >= scores.max() - tolerance)
        if not choices or choices[-1][1] != k:
            choices.append((round(float(threshold), 3), k))
    return choices


def select(table: pd.DataFrame, rule: SelectionRule, select_k: int | None = None,
           select_seed: int | None = None) -> dict:
    """Apply the selection rule to the model table.

    Parameters
    ----------
    table : pandas.DataFrame
        One row per model: ``k, seed``, the measures and ``stability``.
    rule : SelectionRule
        ``model.selection``: the ``metric`` to optimise (maximised; minimised for ``perplexity``),
        the eligibility threshold ``min_stability`` on the mean stability of a K, the
        ``tolerance`` within which K count as tied, and ``seed_by`` (how the seed is chosen).
    select_k, select_seed : int, optional
        Overrides (``model.select_k``, ``model.select_seed``).

    Returns
    -------
    dict
        ``k, seed, metric, rule, reasoning`` (a list of sentences) and the rule's settings.
    """
    metric, min_stability, tolerance, seed_by = rule.metric, rule.min_stability, rule.tolerance, rule.seed_by
    if table[metric].isna().all():
        hint = " (no held-out documents: raise preprocess.heldout_fraction)" if metric == "perplexity" else ""
        raise UserInputError(f"model.selection.metric: every model's {metric} is missing{hint}")
    sign = 1.0 if HIGHER_IS_BETTER[metric] else -1.0
    summary = per_k_summary(table)
    ks, seeds = sorted(set(table["k"])), sorted(set(table["seed"]))
    listed_ks, listed_seeds = ", ".join(map(str, ks)), ", ".join(map(str, seeds))
    reasoning = [f"{len(table)} models were fitted: K in {{{listed_ks}}} x seeds {{{listed_seeds}}}."]
    if summary["stability_mean"].isna().all():
        reasoning.append("With a single seed per K, stability cannot be measured; every K was considered.")
        eligible = summary
    else:
        eligible = summary[summary["stability_mean"] >= min_stability]
        dropped = summary[~summary["k"].isin(eligible["k"])]
        if eligible.empty:
            reasoning.append(f"No K reached mean stability {min_stability:g}; every K was considered.")
            eligible = summary
        elif not dropped.empty:
            listed = ", ".join(f"K = {r.k} ({r.stability_mean:.3f})" for r in dropped.itertuples())
            reasoning.append(f"Below mean stability {min_stability:g} across seeds, so set aside: {listed}.")
        else:
            reasoning.append(f"Every K reached mean stability {min_stability:g} across seeds.")
    eligible = eligible.dropna(subset=[f"{metric}_mean"])
    scores = sign * eligible.set_index("k")[f"{metric}_mean"]
    best_k = int(scores.idxmax())
    tied = sorted(int(k) for k in scores.index if scores[k] >= scores[best_k] - tolerance)
    chosen_k = tied[0]
    best = eligible.set_index("k").loc[best_k]
    runner_up = scores.drop(best_k).sort_values(ascending=False)
    sentence = (f"Among them, K = {best_k} has the best mean {metric} over seeds "
                f"({best[f'{metric}_mean']:.4f}, sd {np.nan_to_num(best[f'{metric}_std']):.4f}")
    if not runner_up.empty:
        sentence += f"; next K = {int(runner_up.index[0])} with {sign * runner_up.iloc[0]:.4f}"
    reasoning.append(sentence + ").")
    if chosen_k != best_k:
        reasoning.append(f"K = {chosen_k} is within the tolerance {tolerance:g} of it, and ties go to the smaller K.")
    sensitivity = threshold_sensitivity(summary, metric, tolerance)
    if len(sensitivity) > 1:
        reasoning.append("The choice depends on min_stability: " + "; ".join(
            f"K = {k} for min_stability up to {threshold:.3f}" for threshold, k in sensitivity) + ".")
    others = {m: _best_k(summary, m) for m in HIGHER_IS_BETTER if m != metric and f"{m}_mean" in summary}
    others = {m: k for m, k in others.items() if k is not None}
    if others:
        reasoning.append("For comparison, each other measure alone would pick: "
                         + ", ".join(f"{m} K = {k}" for m, k in others.items()) + ".")
    rule_text = (f"best mean {metric} among K with mean stability >= {min_stability:g}"
                 + (f" (within {tolerance:g} counts as tied)" if tolerance else "") + "; ties to the smaller K")
    if select_k is not None:  # checked against model.k with the config
        reasoning.append(f"The rule's choice (K = {chosen_k}) is overridden by model.select_k = {select_k}.")
        chosen_k, rule_text = int(select_k), f"model.select_k = {select_k} (rule: {rule_text})"
    at_k = table[table["k"] == chosen_k].assign(metric_score=lambda t: sign * t[metric])
    by_stability = seed_by == "stability" and at_k["stability"].notna().any()
    order = ["stability", "metric_score"] if by_stability else ["metric_score"]
    at_k = at_k.sort_values([*order, "seed"], ascending=[False] * len(order) + [True])
    chosen_seed = int(at_k.iloc[0]["seed"])
    row = at_k.iloc[0]
    if order[0] == "stability":
        reasoning.append(f"At K = {chosen_k}, seed {chosen_seed} is the most typical solution (mean match "
                         f"similarity to the other seeds {row['stability']:.3f}; {metric} {row[metric]:.4f}).")
    else:
        reasoning.append(f"At K = {chosen_k}, seed {chosen_seed} has the best {metric} ({row[metric]:.4f}).")
    if select_seed is not None:  # checked against model.seeds with the config
        reasoning.append(f"The seed is overridden by model.select_seed = {select_seed}.")
        chosen_seed = int(select_seed)
    return {
        "k": chosen_k, "seed": chosen_seed, "metric": metric, "rule": rule_text, "reasoning": reasoning,
        "min_stability": min_stability, "tolerance": tolerance, "seed_by": seed_by,
        "overridden": select_k is not None or select_seed is not None,
    }


def _cell(value: float) -> str:
    return "" if pd.isna(value) else f"{value:.4f}"


def selection_markdown(selection: dict, table: pd.DataFrame, chosen_topics: pd.DataFrame) -> str:
    """``selection.md``: the choice, the reasoning, the per-K table and the chosen model's topics."""
    summary = per_k_summary(table)
    measures = [m for m in HIGHER_IS_BETTER if f"{m}_mean" in summary]
    header = " | ".join(f"{m} ({'higher' if HIGHER_IS_BETTER[m] else 'lower'} is better)" for m in measures)
    lines = [
        "# Model selection", "",
        f"**Chosen: K = {selection['k']}, seed = {selection['seed']}.**", "",
        f"Rule: {selection['rule']}.", "",
        *[f"- {sentence}" for sentence in selection["reasoning"]], "",
        "## Measures per K (mean ± standard deviation over seeds)", "",
        f"| K | {header} |", "|---|" + "---|" * len(measures),
    ]
    for row in summary.itertuples(index=False):
        row = row._asdict()
        cells = " | ".join(f"{_cell(row[f'{m}_mean'])} ± {_cell(row[f'{m}_std'])}".rstrip(" ±") for m in measures)
        mark = " **(chosen)**" if row["k"] == selection["k"] else ""
        lines.append(f"| {row['k']}{mark} | {cells} |")
    lines += ["", f"## Topics of the chosen model (K = {selection['k']}, seed = {selection['seed']})", "",
              "`stability`: mean 1 - Jensen-Shannon distance to the matched topic of the other seeds; "
              "`jaccard`: their top-word overlap.", "",
              "| topic | share | npmi | stability | jaccard | top terms |", "|---|---|---|---|---|---|"]
    for row in chosen_topics.itertuples(index=False):
        lines.append(f"| {row.topic} | {row.share:.3f} | {_cell(row.npmi)} | {_cell(row.match_similarity)} | "
                     f"{_cell(row.match_jaccard)} | {row.terms} |")
    return "\n".join(lines) + "\n"


def chosen_topic_table(topic_terms: pd.DataFrame, topic_sizes: pd.DataFrame, topic_coherence: pd.DataFrame,
                       topic_stability: pd.DataFrame, n_terms: int = 8) -> pd.DataFrame:
    """One row per topic of the chosen model: share, npmi, stability and its top terms."""
    terms = (topic_terms[topic_terms["rank"] <= n_terms].sort_values(["topic", "rank"])
             .groupby("topic")["term"].agg(", ".join).rename("terms"))
    table = topic_sizes.merge(terms.reset_index(), on="topic")
    table = table.merge(topic_coherence[["topic", "npmi"]], on="topic", how="left")
    return table.merge(topic_stability[["topic", "match_similarity", "match_jaccard"]], on="topic", how="left")


def run_select_model(smk) -> None:
    """Snakemake entry point."""
    from gensim.models import LdaModel

    scores = pd.read_csv(smk.input.scores)
    models = {(entry["k"], entry["seed"]): entry for entry in smk.params.models}
    topic_term = {key: LdaModel.load(entry["model"]).get_topics() for key, entry in models.items()}
    per_model, per_topic = stability_tables(topic_term, top_n=smk.params.top_n)
    table = scores.merge(per_model, on=["k", "seed"], how="left").sort_values(["k", "seed"])
    table.to_csv(smk.output.table, index=False)
    per_topic.to_csv(smk.output.topic_stability, index=False)
    selection = select(table, SelectionRule(**smk.params.selection), smk.params.select_k, smk.params.select_seed)
    for sentence in selection["reasoning"]:
        logger.info("%s", sentence)
    chosen = models[(selection["k"], selection["seed"])]
    sources = {name: chosen[name] for name in ("topic_terms", "topic_sizes", "doc_topics")}
    coherence = pd.read_csv(smk.input.topic_coherence)
    at = lambda frame: frame[(frame["k"] == selection["k"]) & (frame["seed"] == selection["seed"])]  # noqa: E731
    topics = chosen_topic_table(pd.read_csv(sources["topic_terms"]), pd.read_csv(sources["topic_sizes"]),
                                at(coherence), at(per_topic))
    with open(smk.output.selection, "w", encoding="utf-8") as handle:
        json.dump(selection, handle, indent=2, ensure_ascii=False)
        handle.write("\n")
    with open(smk.output.markdown, "w", encoding="utf-8") as handle:
        handle.write(selection_markdown(selection, table, topics))
    for name, source in sources.items():
        shutil.copyfile(source, smk.output[f"selected_{name}"])

