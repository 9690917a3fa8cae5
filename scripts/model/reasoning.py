"""The model-selection reasoning as facts, and those facts as sentences in each language.

:func:`scripts.model.selection.select` records each step of the choice as a fact (a ``kind`` and
its numbers) in ``selection.json`` (``facts``, ``rule_facts``); :func:`sentence` and
:func:`rule_text` write them in English (``reasoning``, ``rule`` and ``selection.md``) or in the
report's language (``figures.language``), with its decimal mark, so the report never shows the
English sentences of the machine artefacts.

Example
-------
>>> fact = {"kind": "fitted", "n_models": 4, "ks": [4, 6], "seeds": [1, 2]}
>>> sentence(fact, "en")
'4 models were fitted: K in {4, 6} x seeds {1, 2}.'
>>> sentence(fact, "es")
'Se ajustaron 4 modelos: K en {4, 6} × semillas {1, 2}.'
>>> number(0.25, ".4f", "es")
'0,2500'
"""

from scripts.text.numbers import format_number

#: How each criterion and measure is named, by language (unknown measures keep their key).
NAMES = {
    "en": {"exclusivity": "exclusivity", "stability_above_null": "stability above null"},
    "es": {"exclusivity": "exclusividad", "stability_above_null": "estabilidad sobre el azar", "npmi": "NPMI",
           "c_v": "c_v", "umass": "UMass", "perplexity": "perplejidad", "diversity": "diversidad",
           "stability": "estabilidad", "stability_jaccard": "estabilidad (Jaccard)"},
}


def number(value, spec: str, language: str) -> str:
    """``format(value, spec)`` with the decimal mark of ``language`` (a comma in Spanish).

    >>> number(0.5, ".0%", "es"), number(-3.0, "+.2f", "es"), number(2.0, "g", "en")
    ('50%', '-3,00', '2')
    """
    return format_number(value, spec, language)


def name(key: str, language: str, metric: str | None = None) -> str:
    """A criterion (``metric``, ``exclusivity``, ``stability_above_null``) or measure as a reader reads it.

    >>> name("metric", "es", metric="perplexity"), name("stability_above_null", "en")
    ('perplejidad', 'stability above null')
    """
    key = metric if key == "metric" and metric else key
    return NAMES[language].get(key, key)


def _listed(values, language: str) -> str:
    return ", ".join(map(str, values))


def _scored(fact: dict, language: str) -> str:
    metric, es = fact["metric"], language == "es"
    criteria = ", ".join(name(c, language, metric) for c in fact["criteria"])
    per_k = "; ".join(
        f"K = {row['k']}: " + ", ".join(f"{name(c, language, metric)} {number(row['values'][c], '.4f', language)}"
                                         for c in fact["criteria"])
        + (" → puntuación " if es else " → score ") + number(row["score"], "+.2f", language)
        for row in fact["per_k"]
    )
    if es:
        return (f"Cada K se puntúa con la suma de sus valores estandarizados (z entre los K) de {criteria}; "
                f"más alto es mejor: {per_k}.")
    return f"Each K is scored by the sum of its standardised (z-score over K) {criteria}, higher is better: {per_k}."


def _best(fact: dict, language: str) -> str:
    score = number(fact["score"], "+.2f", language)
    if language == "es":
        text = f"K = {fact['k']} obtiene la mejor puntuación ({score}"
        if fact.get("next_k") is not None:
            text += f"; le sigue K = {fact['next_k']} con {number(fact['next_score'], '+.2f', language)}"
        return text + ")."
    text = f"K = {fact['k']} scores best ({score}"
    if fact.get("next_k") is not None:
        text += f"; next K = {fact['next_k']} with {number(fact['next_score'], '+.2f', language)}"
    return text + ")."


def _robustness(fact: dict, language: str) -> str:
    metric, es = fact["metric"], language == "es"
    if es:
        text = (f"Solidez: reducir a la mitad o duplicar el peso de un criterio mantiene K = {fact['k']} "
                f"en {fact['same']} de {fact['n']} casos")
        changed = "; ".join(f"{name(r['criterion'], language, metric)} × {number(r['factor'], 'g', language)} "
                            f"da K = {r['k']}" for r in fact["changed"])
    else:
        text = (f"Robustness: halving or doubling one criterion's weight keeps K = {fact['k']} "
                f"in {fact['same']} of {fact['n']} cases")
        changed = "; ".join(f"{name(r['criterion'], language, metric)} × {number(r['factor'], 'g', language)} "
                            f"gives K = {r['k']}" for r in fact["changed"])
    return text + (f" ({changed})" if changed else "") + "."


def _bootstrap(fact: dict, language: str) -> str:
    share = number(fact["share"], ".0%", language)
    others = ", ".join(f"K = {k} {number(v, '.0%', language)}" for k, v in fact["others"])
    if language == "es":
        return (f"Remuestreando las semillas dentro de cada K ({fact['n_boot']} remuestras bootstrap) sale K = "
                f"{fact['k']} en el {share} de ellas" + (f" (si no, {others})" if others else "") + ".")
    return (f"Resampling the seeds within each K ({fact['n_boot']} bootstrap resamples) gives K = {fact['k']} "
            f"in {share} of them" + (f" (otherwise {others})" if others else "") + ".")


def _alone(fact: dict, language: str) -> str:
    picks = ", ".join(f"{name(m, language) if language == 'es' else m} K = {k}" for m, k in fact["picks"])
    if language == "es":
        return f"Para comparar, cada medida por sí sola elegiría: {picks}."
    return f"For comparison, each measure alone would pick: {picks}."


def _seed(fact: dict, language: str) -> str:
    metric, value = name("metric", language, fact["metric"]), number(fact["value"], ".4f", language)
    if fact["by"] == "stability":
        stability = number(fact["stability"], ".3f", language)
        if language == "es":
            return (f"Con K = {fact['k']}, la semilla {fact['seed']} da la solución más típica (similitud media "
                    f"con los temas emparejados de las otras semillas {stability}; {metric} {value}).")
        return (f"At K = {fact['k']}, seed {fact['seed']} is the most typical solution (mean match similarity "
                f"to the other seeds {stability}; {fact['metric']} {value}).")
    if language == "es":
        return f"Con K = {fact['k']}, la semilla {fact['seed']} tiene el mejor valor de {metric} ({value})."
    return f"At K = {fact['k']}, seed {fact['seed']} has the best {fact['metric']} ({value})."


SENTENCES = {
    "fitted": {
        "en": lambda f, lang: f"{f['n_models']} models were fitted: K in {{{_listed(f['ks'], lang)}}} x seeds "
                              f"{{{_listed(f['seeds'], lang)}}}.",
        "es": lambda f, lang: f"Se ajustaron {f['n_models']} modelos: K en {{{_listed(f['ks'], lang)}}} × semillas "
                              f"{{{_listed(f['seeds'], lang)}}}.",
    },
    "single_seed": {
        "en": lambda f, lang: "With a single seed per K, stability cannot be measured; K was chosen on the other criteria.",
        "es": lambda f, lang: "Con una sola semilla por K no se puede medir la estabilidad; K se eligió con los demás criterios.",
    },
    "no_stability": {
        "en": lambda f, lang: "Stability above its null is not available; K was chosen on the other criteria.",
        "es": lambda f, lang: "No se dispone de la estabilidad sobre el azar; K se eligió con los demás criterios.",
    },
    "scored": {"en": _scored, "es": _scored},
    "best": {"en": _best, "es": _best},
    "tie": {
        "en": lambda f, lang: f"K = {f['k']} is within the tolerance {number(f['tolerance'], 'g', lang)} of it, "
                              "and ties go to the smaller K.",
        "es": lambda f, lang: f"K = {f['k']} queda dentro de la tolerancia {number(f['tolerance'], 'g', lang)} y "
                              "los empates van al K menor.",
    },
    "front": {
        "en": lambda f, lang: f"On the {f['metric']}–exclusivity front (no other K better on both): K = "
                              f"{_listed(f['front'], lang)}; the choice is {'' if f['on_front'] else 'not '}on it.",
        "es": lambda f, lang: f"En el frente {name('metric', lang, f['metric'])}–exclusividad (ningún otro K es mejor "
                              f"en ambas): K = {_listed(f['front'], lang)}; la elección "
                              f"{'está' if f['on_front'] else 'no está'} en él.",
    },
    "robustness": {"en": _robustness, "es": _robustness},
    "bootstrap": {"en": _bootstrap, "es": _bootstrap},
    "deprecated": {
        "en": lambda f, lang: f"model.selection.min_stability = {number(f['min_stability'], 'g', lang)} is no longer "
                              "a threshold (deprecated): stability enters the score continuously, above its null.",
        "es": lambda f, lang: f"model.selection.min_stability = {number(f['min_stability'], 'g', lang)} ya no es un "
                              "umbral (obsoleto): la estabilidad entra en la puntuación de forma continua, sobre el azar.",
    },
    "alone": {"en": _alone, "es": _alone},
    "override_k": {
        "en": lambda f, lang: f"The rule's choice (K = {f['rule_k']}) is overridden by model.select_k = {f['k']}.",
        "es": lambda f, lang: f"La elección de la regla (K = {f['rule_k']}) se sustituye por model.select_k = {f['k']}.",
    },
    "seed": {"en": _seed, "es": _seed},
    "override_seed": {
        "en": lambda f, lang: f"The seed is overridden by model.select_seed = {f['seed']}.",
        "es": lambda f, lang: f"La semilla se sustituye por model.select_seed = {f['seed']}.",
    },
}


def sentence(fact: dict, language: str) -> str:
    """One fact of the reasoning as a sentence in ``language`` (``en`` or ``es``)."""
    return SENTENCES[fact["kind"]][language](fact, language)


def rule_text(facts: dict, language: str) -> str:
    """The selection rule in words, from ``rule_facts`` (weights, tolerance, ``select_k``).

    >>> facts = {"metric": "npmi", "weights": {"metric": 1.0, "exclusivity": 1.0}, "tolerance": 0.0, "select_k": None}
    >>> rule_text(facts, "en")
    'largest 1 × z(npmi), 1 × z(exclusivity) over K (no threshold); ties to the smaller K'
    >>> rule_text(facts, "es")
    'la mayor suma 1 × z(NPMI), 1 × z(exclusividad) entre los K (sin umbral); los empates van al K menor'
    """
    weights = ", ".join(f"{number(weight, 'g', language)} × z({name(criterion, language, facts['metric'])})"
                        for criterion, weight in facts["weights"].items())
    tolerance = number(facts["tolerance"], "g", language) if facts["tolerance"] else None
    if language == "es":
        text = (f"la mayor suma {weights} entre los K (sin umbral)"
                + (f"; a menos de {tolerance} cuenta como empate" if tolerance else "") + "; los empates van al K menor")
        return text if facts.get("select_k") is None else f"model.select_k = {facts['select_k']} (regla: {text})"
    text = (f"largest {weights} over K (no threshold)"
            + (f"; within {tolerance} counts as tied" if tolerance else "") + "; ties to the smaller K")
    return text if facts.get("select_k") is None else f"model.select_k = {facts['select_k']} (rule: {text})"
