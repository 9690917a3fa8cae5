"""Words of the figures in each language (``figures.language``: ``es`` or ``en``): labels and titles.

Month names are in :data:`scripts.text.display.MONTHS` (shared with the report).

Example
-------
>>> sorted(LABELS["es"]) == sorted(LABELS["en"])
True
"""

LABELS = {
    "es": {
        "prevalence": "Prevalencia",
        "period": "Periodo",
        "weight": "Peso",
        "documents": "Documentos",
        "k": "Número de temas (K)",
        "topic": "Tema",
        "term": "Término",
        "kept": "Conservados",
        "rejected": "Descartados",
        "undated_rejected": "descartados sin fecha legible: {n}",
        "corpus_title": "Documentos por periodo: conservados y descartados",
        "prevalence_title": "Prevalencia de cada eje temático (media e intervalo del {level:.0%})",
        "theme_title": "{theme}: prevalencia (media e intervalo del {level:.0%})",
        "interval": "intervalo del {level:.0%}",
        "low_n": "pocos documentos",
        "unreliable": "no fiable: ningún tema del modelo lleva sus palabras semilla",
        "change_point": "punto de cambio",
        "event": "evento",
        "selection_title": "Medidas de calidad por K (media ± desv. estándar entre semillas)",
        "chosen": "K elegido ({k})",
        "higher": "más alto es mejor",
        "lower": "más bajo es mejor",
        "front": "frente de Pareto",
        "front_title": "{metric} frente a exclusividad",
        "topics_title": "Términos principales de cada tema (K={k}, semilla {seed})",
        "topic_heatmap_title": "Prevalencia de cada tema por periodo",
        "theme_heatmap_title": "Prevalencia de cada eje temático por periodo",
        "drift_title": "Deriva del vocabulario: términos que sostienen cada eje en cada periodo",
        "group_title": "Prevalencia por {column}",
    },
    "en": {
        "prevalence": "Prevalence",
        "period": "Period",
        "weight": "Weight",
        "documents": "Documents",
        "k": "Number of topics (K)",
        "topic": "Topic",
        "term": "Term",
        "kept": "Kept",
        "rejected": "Set aside",
        "undated_rejected": "set aside without a readable date: {n}",
        "corpus_title": "Documents per period: kept and set aside",
        "prevalence_title": "Prevalence of each theme (mean and {level:.0%} interval)",
        "theme_title": "{theme}: prevalence (mean and {level:.0%} interval)",
        "interval": "{level:.0%} interval",
        "low_n": "few documents",
        "unreliable": "unreliable: no topic of the model carries its seed words",
        "change_point": "change point",
        "event": "event",
        "selection_title": "Quality measures by K (mean ± s.d. over seeds)",
        "chosen": "chosen K ({k})",
        "higher": "higher is better",
        "lower": "lower is better",
        "front": "Pareto front",
        "front_title": "{metric} against exclusivity",
        "topics_title": "Top terms per topic (K={k}, seed {seed})",
        "topic_heatmap_title": "Prevalence of each topic per period",
        "theme_heatmap_title": "Prevalence of each theme per period",
        "drift_title": "Vocabulary drift: terms that carry each theme in each period",
        "group_title": "Prevalence by {column}",
    },
}
