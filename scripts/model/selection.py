"""Selection stage: the grid's measures side by side, stability across seeds, the chosen K and seed.

Rule (``model.selection``), applied to the means over seeds of each K, with no hard threshold:

1. three criteria per K: the coherence ``metric`` (``npmi`` by default; ``perplexity`` counts
   negated), ``exclusivity`` (mean share of a top word's weight held by its topic, see
   :mod:`distinctiveness`) and ``stability_above_null`` (stability across seeds corrected for the
   similarity unrelated topics reach by chance, see :mod:`stability`);
2. each criterion is standardised over the grid's K (z-score: minus its mean over K, divided by
   its standard deviation over K), and K's ``selection_score`` is their weighted sum (weights 1);
   the best score wins, any K within ``tolerance`` (in score units) counts as tied, and ties go to
   the smaller K (fewer topics are easier to read and to trust). A criterion missing for every
   model (a single seed: no stability) is left out and the reasoning says so;
3. the seed: by default the most typical solution of that K (``seed_by: stability``, the seed
   whose topics best match the other seeds'), ties broken by ``metric``; or the best ``metric``
   (``seed_by: metric``).

The score is continuous in every measure, so a small change in one K's stability moves the
choice only between K whose scores were nearly tied, never from the most to the least stable K
the way a threshold did. Beside it: the coherence–exclusivity Pareto front (``on_front``: no other
K is better on both, as stm's ``searchK`` shows them), and a robustness check written into
``selection.md``: the K chosen when each weight is halved or doubled, and the share of bootstrap
resamples of the seeds (within each K) that give the same K.

``model.select_k`` / ``model.select_seed`` override steps 2 and 3. ``min_stability`` is kept in
the config for compatibility but is no longer a threshold (it is reported, not applied). Every
step is written as a sentence into ``selection.json`` and ``selection.md``, together with the K
each other measure alone would pick, since coherence, perplexity and stability often disagree.

Example
-------
>>> table = pd.DataFrame({"k": [4, 4, 8, 8], "seed": [1, 2, 1, 2], "npmi": [0.1, 0.2, 0.3, 0.3],
...                       "exclusivity": [0.6, 0.6, 0.7, 0.7], "stability_above_null": [0.5, 0.5, 0.6, 0.6],
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
from scripts.model.reasoning import rule_text, sentence
from scripts.model.settings import SelectionRule
from scripts.model.stability import stability_tables
from scripts.settings import section

logger = logging.getLogger(__name__)

HIGHER_IS_BETTER = {
    "npmi": True, "c_v": True, "umass": True, "perplexity": False, "diversity": True, "exclusivity": True,
    "stability": True, "stability_jaccard": True, "stability_above_null": True,
}
CRITERIA = ("metric", "exclusivity", "stability_above_null")
WEIGHT_FACTORS = (0.5, 2.0)
N_BOOT = 200


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
    """The K the former threshold rule would pick at each ``min_stability`` where the eligible set changes.

    Kept to document the discontinuity of the threshold rule; :func:`select` no longer uses it.
    Returns ``(threshold, k)`` pairs, highest threshold first.

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


def standardise(values: pd.Series) -> pd.Series:
    """z-scores over the grid's K (population s.d.; all 0 when every K is equal).

    >>> standardise(pd.Series([1.0, 2.0, 3.0])).round(3).tolist()
    [-1.225, 0.0, 1.225]
    """
    values = values.astype(float)
    sd = values.std(ddof=0)
    if not np.isfinite(sd) or sd <= 1e-12:
        return values * 0.0
    return (values - values.mean()) / sd


def criterion_columns(metric: str, columns) -> dict:
    """Criterion name → ``(column, sign)`` for the criteria the table can supply.

    >>> criterion_columns("perplexity", ["perplexity", "exclusivity"])
    {'metric': ('perplexity', -1.0), 'exclusivity': ('exclusivity', 1.0)}
    """
    wanted = {"metric": metric, "exclusivity": "exclusivity", "stability_above_null": "stability_above_null"}
    return {name: (column, 1.0 if HIGHER_IS_BETTER[column] else -1.0)
            for name, column in wanted.items() if column in columns}


def selection_scores(means: pd.DataFrame, criteria: dict, weights: dict | None = None) -> pd.Series:
    """Each K's weighted sum of standardised criteria (higher is better).

    Parameters
    ----------
    means : pandas.DataFrame
        Index K, one column per measure (means over seeds).
    criteria : dict
        Criterion → ``(column, sign)`` (:func:`criterion_columns`); criteria whose column is
        missing for every K are skipped.
    weights : dict, optional
        Criterion → weight (1 when missing).

    Returns
    -------
    pandas.Series
        Score per K.

    Examples
    --------
    >>> means = pd.DataFrame({"npmi": [0.1, 0.3], "exclusivity": [0.8, 0.7]}, index=[4, 8])
    >>> criteria = {"metric": ("npmi", 1.0), "exclusivity": ("exclusivity", 1.0)}
    >>> selection_scores(means, criteria, {"exclusivity": 0.5}).round(3).tolist()
    [-0.5, 0.5]
    """
    weights = weights or {}
    score = pd.Series(0.0, index=means.index)
    for name, (column, sign) in criteria.items():
        values = means[column]
        if values.isna().all():
            continue
        score = score + weights.get(name, 1.0) * standardise(sign * values).fillna(0.0)
    return score


def choose_k(scores: pd.Series, tolerance: float = 0.0) -> int:
    """The best-scoring K; K within ``tolerance`` of it count as tied and ties go to the smaller K.

    >>> choose_k(pd.Series([1.0, 1.2, 0.3], index=[4, 6, 8]), tolerance=0.25)
    4
    """
    best = scores.max()
    return min(int(k) for k in scores.index if scores[k] >= best - tolerance)


def pareto_front(x: pd.Series, y: pd.Series) -> list[int]:
    """K not dominated on two higher-is-better criteria (no other K at least as good on both and better on one).

    >>> pareto_front(pd.Series([0.1, 0.2, 0.15], index=[4, 6, 8]), pd.Series([0.9, 0.8, 0.7], index=[4, 6, 8]))
    [4, 6]
    """
    frame = pd.DataFrame({"x": x, "y": y}).dropna()
    front = []
    for k, row in frame.iterrows():
        dominated = ((frame["x"] >= row["x"]) & (frame["y"] >= row["y"])
                     & ((frame["x"] > row["x"]) | (frame["y"] > row["y"]))).any()
        if not dominated:
            front.append(int(k))
    return sorted(front)


def weight_sensitivity(means: pd.DataFrame, criteria: dict, tolerance: float = 0.0,
                       factors=WEIGHT_FACTORS) -> list[dict]:
    """The K chosen when one criterion's weight is multiplied by each factor (the others stay 1).

    Returns
    -------
    list of dict
        ``criterion, factor, k``.
    """
    rows = []
    for name in criteria:
        for factor in factors:
            rows.append({"criterion": name, "factor": float(factor),
                         "k": choose_k(selection_scores(means, criteria, {name: factor}), tolerance)})
    return rows


def seed_bootstrap(table: pd.DataFrame, criteria: dict, tolerance: float = 0.0, n_boot: int = N_BOOT,
                   seed: int = 0) -> pd.Series:
    """Share of seed resamples that choose each K.

    Each resample draws, within every K, as many models as it has seeds, with replacement, and
    applies the rule to the resampled means.

    Returns
    -------
    pandas.Series
        K → share of the ``n_boot`` resamples (empty with a single seed per K).
    """
    columns = [column for column, _ in criteria.values()]
    groups = {int(k): group[columns].to_numpy(dtype=float) for k, group in table.groupby("k")}
    if n_boot <= 0 or max(len(values) for values in groups.values()) < 2:
        return pd.Series(dtype=float)
    rng = np.random.default_rng(seed)
    picks = []
    for _ in range(int(n_boot)):
        means = pd.DataFrame({k: np.nanmean(values[rng.integers(0, len(values), len(values))], axis=0)
                              if not np.isnan(values).all() else np.full(len(columns), np.nan)
                              for k, values in groups.items()}, index=columns).T
        picks.append(choose_k(selection_scores(means, criteria), tolerance))
    return pd.Series(picks).value_counts(normalize=True).sort_index()


def select(table: pd.DataFrame, rule: SelectionRule, select_k: int | None = None, select_seed: int | None = None,
           weights: dict | None = None, n_boot: int = N_BOOT) -> dict:
    """Apply the selection rule to the model table.

    Parameters
    ----------
    table : pandas.DataFrame
        One row per model: ``k, seed``, the measures, ``exclusivity``, ``stability`` and
        ``stability_above_null``.
    rule : SelectionRule
        ``model.selection``: the coherence ``metric`` of the score (maximised; minimised for
        ``perplexity``), ``min_stability`` (deprecated: accepted and reported, no longer a
        threshold), the ``tolerance`` within which K count as tied (in standard-deviation units of
        the score) and ``seed_by`` (how the seed is chosen within the chosen K).
    select_k, select_seed : int, optional
        Overrides (``model.select_k``, ``model.select_seed``).
    weights : dict, optional
        Criterion (``metric``, ``exclusivity``, ``stability_above_null``) → weight, 1 by default.
    n_boot : int
        Seed resamples of the robustness check.

    Returns
    -------
    dict
        ``k, seed, metric, rule, reasoning`` (a list of sentences), ``scores`` (K → score),
        ``front`` (K on the coherence–exclusivity front), ``robustness`` and the rule's settings.
    """
    metric, min_stability, tolerance, seed_by = rule.metric, rule.min_stability, rule.tolerance, rule.seed_by
    if table[metric].isna().all():
        hint = " (no held-out documents: raise preprocess.heldout_fraction)" if metric == "perplexity" else ""
        raise UserInputError(f"model.selection.metric: every model's {metric} is missing{hint}")
    sign = 1.0 if HIGHER_IS_BETTER[metric] else -1.0
    weights = {**{name: 1.0 for name in CRITERIA}, **(weights or {})}
    summary = per_k_summary(table)
    ks, seeds = sorted(set(table["k"])), sorted(set(table["seed"]))
    facts = [{"kind": "fitted", "n_models": int(len(table)), "ks": [int(k) for k in ks], "seeds": [int(s) for s in seeds]}]
    criteria = criterion_columns(metric, table.columns)
    criteria = {name: spec for name, spec in criteria.items() if table[spec[0]].notna().any()}
    if "stability_above_null" not in criteria:
        single = "stability" in table.columns and table["stability"].isna().all()
        facts.append({"kind": "single_seed" if single else "no_stability"})
    names = {"metric": metric, "exclusivity": "exclusivity", "stability_above_null": "stability above null"}
    means = table.groupby("k")[[column for column, _ in criteria.values()]].mean()
    scores = selection_scores(means, criteria, weights).round(10)
    chosen_k = choose_k(scores, tolerance)
    best_k = int(scores.idxmax())
    facts.append({"kind": "scored", "metric": metric, "criteria": list(criteria),
                  "per_k": [{"k": int(k), "score": float(scores[k]),
                             "values": {name: float(means.loc[k, column]) for name, (column, _) in criteria.items()}}
                            for k in scores.index]})
    ranked = scores.sort_values(ascending=False)
    facts.append({"kind": "best", "k": best_k, "score": float(ranked.iloc[0]),
                  "next_k": int(ranked.index[1]) if len(ranked) > 1 else None,
                  "next_score": float(ranked.iloc[1]) if len(ranked) > 1 else None})
    if chosen_k != best_k:
        facts.append({"kind": "tie", "k": int(chosen_k), "tolerance": float(tolerance)})
    x_column, x_sign = criteria.get("metric", (metric, sign))
    front = (pareto_front(x_sign * means[x_column], means["exclusivity"]) if "exclusivity" in means
             else sorted(int(k) for k in means.index))
    if "exclusivity" in means:
        facts.append({"kind": "front", "metric": metric, "front": [int(k) for k in front], "on_front": chosen_k in front})
    sensitivity = weight_sensitivity(means, criteria, tolerance)
    same = sum(row["k"] == chosen_k for row in sensitivity)
    changed = [row for row in sensitivity if row["k"] != chosen_k]
    robustness = {"weights": sensitivity, "weights_same_k": same / len(sensitivity) if sensitivity else np.nan}
    if sensitivity:
        facts.append({"kind": "robustness", "metric": metric, "k": int(chosen_k), "same": int(same),
                      "n": len(sensitivity), "changed": changed})
    boot = seed_bootstrap(table, criteria, tolerance, n_boot)
    if len(boot):
        share = float(boot.get(chosen_k, 0.0))
        robustness.update(seed_bootstrap_share=share, n_boot=int(n_boot),
                          seed_bootstrap={int(k): round(float(v), 4) for k, v in boot.items()})
        facts.append({"kind": "bootstrap", "k": int(chosen_k), "n_boot": int(n_boot), "share": share,
                      "others": [[int(k), float(v)] for k, v in boot.items() if int(k) != chosen_k]})
    if min_stability != section("model")["selection"]["min_stability"]:  # set by the user, not the schema
        facts.append({"kind": "deprecated", "min_stability": float(min_stability)})
    others = {m: _best_k(summary, m) for m in HIGHER_IS_BETTER if m != metric and f"{m}_mean" in summary}
    others = {m: k for m, k in others.items() if k is not None}
    if others:
        facts.append({"kind": "alone", "picks": [[m, int(k) if k is not None else None]
                                                 for m, k in {metric: _best_k(summary, metric), **others}.items()]})
    rule_facts = {"metric": metric, "weights": {name: float(weights[name]) for name in criteria},
                  "tolerance": float(tolerance), "select_k": None}
    if select_k is not None:  # checked against model.k with the config
        facts.append({"kind": "override_k", "rule_k": int(chosen_k), "k": int(select_k)})
        chosen_k = int(select_k)
        rule_facts["select_k"] = chosen_k
    at_k = table[table["k"] == chosen_k].assign(metric_score=lambda t: sign * t[metric])
    by_stability = seed_by == "stability" and "stability" in at_k and at_k["stability"].notna().any()
    order = ["stability", "metric_score"] if by_stability else ["metric_score"]
    at_k = at_k.sort_values([*order, "seed"], ascending=[False] * len(order) + [True])
    chosen_seed = int(at_k.iloc[0]["seed"])
    row = at_k.iloc[0]
    facts.append({"kind": "seed", "by": order[0] if order[0] == "stability" else "metric", "k": int(chosen_k),
                  "seed": chosen_seed, "metric": metric, "value": float(row[metric]),
                  "stability": float(row["stability"]) if order[0] == "stability" else None})
    if select_seed is not None:  # checked against model.seeds with the config
        facts.append({"kind": "override_seed", "seed": int(select_seed)})
        chosen_seed = int(select_seed)
    return {
        "k": chosen_k, "seed": chosen_seed, "metric": metric, "rule": rule_text(rule_facts, "en"),
        "reasoning": [sentence(fact, "en") for fact in facts],
        "facts": facts, "rule_facts": rule_facts,
        "scores": {int(k): float(v) for k, v in scores.items()}, "front": front,
        "criteria": [names[name] for name in criteria], "weights": {n: float(weights[n]) for n in criteria},
        "robustness": robustness,
        "min_stability": min_stability, "tolerance": tolerance, "seed_by": seed_by,
        "overridden": select_k is not None or select_seed is not None,
    }


def selection_columns(table: pd.DataFrame, selection: dict) -> pd.DataFrame:
    """The model table with ``selection_score`` and ``on_front`` of each model's K added.

    >>> selection_columns(pd.DataFrame({"k": [4, 8]}), {"scores": {4: 1.0, 8: -1.0}, "front": [4]}).values.tolist()
    [[4, 1.0, True], [8, -1.0, False]]
    """
    scores = {int(k): v for k, v in selection["scores"].items()}
    return table.assign(selection_score=table["k"].map(scores),
                        on_front=table["k"].isin([int(k) for k in selection["front"]]))


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
        f"| K | {header} | score | on front |", "|---|" + "---|" * (len(measures) + 2),
    ]
    scores = {int(k): v for k, v in selection.get("scores", {}).items()}
    front = {int(k) for k in selection.get("front", [])}
    for row in summary.itertuples(index=False):
        row = row._asdict()
        cells = " | ".join(f"{_cell(row[f'{m}_mean'])} ± {_cell(row[f'{m}_std'])}".rstrip(" ±") for m in measures)
        mark = " **(chosen)**" if row["k"] == selection["k"] else ""
        score = f"{scores[row['k']]:+.2f}" if row["k"] in scores else ""
        lines.append(f"| {row['k']}{mark} | {cells} | {score} | {'yes' if row['k'] in front else ''} |")
    lines += ["", "## How the measures read", "",
              "- `perplexity`: held-out per-word perplexity by document completion (topic shares inferred "
              "from half of each held-out document's words, the other half scored); lower means the topics "
              "predict unseen text better.",
              "- `exclusivity`: mean, over each topic's top words, of the share of the word's weight across "
              "topics held by that topic (1 = the word belongs to that topic only, 1/K = to all alike).",
              "- `stability_above_null`: stability across seeds corrected for chance, "
              "(stability - null) / (1 - null), the null being the same matching with one model's vocabulary "
              "shuffled; 0 = no better than unrelated topics.",
              "- `score`: sum of the criteria standardised over K; `on front`: no other K has both higher "
              f"{selection['metric']} and higher exclusivity."]
    robustness = selection.get("robustness", {})
    if robustness.get("weights"):
        lines += ["", "## Robustness", "", "| criterion | weight × | chosen K |", "|---|---|---|"]
        lines += [f"| {row['criterion']} | {row['factor']:g} | {row['k']} |" for row in robustness["weights"]]
        if "seed_bootstrap" in robustness:
            shares = ", ".join(f"K = {k}: {v:.0%}" for k, v in robustness["seed_bootstrap"].items())
            lines += ["", f"Seed bootstrap ({robustness['n_boot']} resamples of the seeds within each K): {shares}."]
    lines += ["", f"## Topics of the chosen model (K = {selection['k']}, seed = {selection['seed']})", "",
              "`stability`: mean 1 - Jensen-Shannon distance to the matched topic of the other seeds; "
              "`jaccard`: their top-word overlap.", "",
              "| topic | share | npmi | exclusivity | stability | jaccard | top terms |", "|---|---|---|---|---|---|---|"]
    for row in chosen_topics.itertuples(index=False):
        lines.append(f"| {row.topic} | {row.share:.3f} | {_cell(row.npmi)} | {_cell(getattr(row, 'exclusivity', np.nan))} | "
                     f"{_cell(row.match_similarity)} | {_cell(row.match_jaccard)} | {row.terms} |")
    return "\n".join(lines) + "\n"


def chosen_topic_table(topic_terms: pd.DataFrame, topic_sizes: pd.DataFrame, topic_coherence: pd.DataFrame,
                       topic_stability: pd.DataFrame, n_terms: int = 8) -> pd.DataFrame:
    """One row per topic of the chosen model: share, npmi, stability and its top terms."""
    terms = (topic_terms[topic_terms["rank"] <= n_terms].sort_values(["topic", "rank"])
             .groupby("topic")["term"].agg(", ".join).rename("terms"))
    table = topic_sizes.merge(terms.reset_index(), on="topic")
    table = table.merge(topic_coherence[["topic", *[c for c in ("npmi", "exclusivity") if c in topic_coherence]]],
                        on="topic", how="left")
    return table.merge(topic_stability[["topic", "match_similarity", "match_jaccard"]], on="topic", how="left")


def run_select_model(smk) -> None:
    """Snakemake entry point."""
    from gensim.models import LdaModel

    scores = pd.read_csv(smk.input.scores)
    models = {(entry["k"], entry["seed"]): entry for entry in smk.params.models}
    topic_term = {key: LdaModel.load(entry["model"]).get_topics() for key, entry in models.items()}
    per_model, per_topic = stability_tables(topic_term, top_n=smk.params.top_n)
    table = scores.merge(per_model, on=["k", "seed"], how="left").sort_values(["k", "seed"])
    per_topic.to_csv(smk.output.topic_stability, index=False)
    selection = select(table, SelectionRule(**smk.params.selection), smk.params.select_k, smk.params.select_seed)
    selection_columns(table, selection).to_csv(smk.output.table, index=False)
    for line in selection["reasoning"]:
        logger.info("%s", line)
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

