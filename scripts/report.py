"""Report stage: one self-contained HTML page (images embedded) and a Markdown summary.

Also home of :func:`provenance`, which records what a run was made from: corpus file hashes,
the config as run, package versions and the Snakemake version.

Example
-------
>>> data_uri(b"abc", "image/png")
'data:image/png;base64,YWJj'
"""


import base64
import hashlib
import json
import logging
import platform
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

import pandas as pd
import yaml
from jinja2 import Environment, FileSystemLoader, select_autoescape

logger = logging.getLogger(__name__)

TEMPLATES = Path(__file__).resolve().parent / "templates"
PACKAGES = ("snakemake", "gensim", "nltk", "simplemma", "numpy", "scipy", "pandas", "pyarrow", "matplotlib", "jinja2")

TEXT = {
    "es": {
        "corpus": "Corpus", "read": "Documentos leídos", "kept": "Conservados", "rejected": "Descartados",
        "date_range": "Periodo cubierto", "reason": "Motivo", "documents": "Documentos",
        "selection": "Selección del modelo", "seed": "semilla", "rule": "Regla",
        "topics": "Temas del modelo elegido", "topic": "Tema", "share": "Peso medio", "top_terms": "Términos principales",
        "themes": "Ejes temáticos en el tiempo", "theme": "Eje", "seed_words": "Palabras semilla",
        "linked_topics": "Temas vinculados (peso)", "mean_prevalence": "Prevalencia media",
        "provenance": "Procedencia", "run_date": "Fecha de ejecución", "corpus_hash": "Huella del corpus (SHA-256)",
        "files": "archivos", "packages": "Versiones de paquetes", "config": "Configuración usada",
    },
    "en": {
        "corpus": "Corpus", "read": "Documents read", "kept": "Kept", "rejected": "Set aside",
        "date_range": "Date range", "reason": "Reason", "documents": "Documents",
        "selection": "Model selection", "seed": "seed", "rule": "Rule",
        "topics": "Topics of the chosen model", "topic": "Topic", "share": "Mean share", "top_terms": "Top terms",
        "themes": "Themes over time", "theme": "Theme", "seed_words": "Seed words",
        "linked_topics": "Linked topics (weight)", "mean_prevalence": "Mean prevalence",
        "provenance": "Provenance", "run_date": "Run date", "corpus_hash": "Corpus fingerprint (SHA-256)",
        "files": "files", "packages": "Package versions", "config": "Config as run",
    },
}


def data_uri(content: bytes, mime: str) -> str:
    """Embed bytes as a ``data:`` URI."""
    return f"data:{mime};base64,{base64.b64encode(content).decode('ascii')}"


def corpus_fingerprint(path: Path) -> tuple[str, int]:
    """SHA-256 over the sorted relative paths and contents of a corpus file or folder.

    Returns
    -------
    tuple
        ``(hex digest, number of files)``.
    """
    path = Path(path)
    files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    digest = hashlib.sha256()
    for file in files:
        relative = file.relative_to(path).as_posix() if path.is_dir() else file.name
        digest.update(relative.encode("utf-8") + b"\0")
        digest.update(hashlib.sha256(file.read_bytes()).digest())
    return digest.hexdigest(), len(files)


def provenance(config: dict, corpus_path: Path) -> dict:
    """What a run was made from: config, corpus hash, package and Snakemake versions, date.

    The run date honours ``SOURCE_DATE_EPOCH`` when set, so reproducibility checks can pin it.
    """
    import os

    digest, n_files = corpus_fingerprint(corpus_path)
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    now = datetime.fromtimestamp(int(epoch), timezone.utc) if epoch else datetime.now(timezone.utc)
    packages = {}
    for name in PACKAGES:
        try:
            packages[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            packages[name] = "not installed"
    return {
        "run_date": now.replace(microsecond=0).isoformat(),
        "snakemake": packages["snakemake"],
        "python": platform.python_version(),
        "corpus_path": str(corpus_path),
        "corpus_sha256": digest,
        "corpus_files": n_files,
        "packages": packages,
        "config": config,
    }


def theme_rows(themes: dict, links: pd.DataFrame, prevalence: pd.DataFrame) -> list[dict]:
    """One summary row per theme for the report table."""
    rows = []
    for name, words in themes.items():
        linked = links[links["theme"] == name]
        series = prevalence[prevalence["theme"] == name]["prevalence"]
        rows.append(
            {
                "name": name,
                "seed_words": ", ".join(words),
                "topics": ", ".join(f"{int(r.topic)} ({r.weight:.2f})" for r in linked.itertuples()) or "—",
                "mean": f"{series.mean():.3f}" if len(series) else "—",
            }
        )
    return rows


def render_report(inputs: dict, config: dict, prov: dict) -> tuple[str, str]:
    """Render ``index.html`` and ``report.md`` from the stage tables and figures.

    Parameters
    ----------
    inputs : dict
        Paths: ``summary, selection, table, topic_terms, topic_sizes, theme_topics, prevalence``
        and figure PNGs ``fig_selection, fig_topics, fig_prevalence``.
    config : dict
        The config as run.
    prov : dict
        Output of :func:`provenance`.

    Returns
    -------
    tuple of str
        ``(html, markdown)``.
    """
    language = config.get("figures", {}).get("language", "es")
    summary = json.loads(Path(inputs["summary"]).read_text(encoding="utf-8"))
    selection = json.loads(Path(inputs["selection"]).read_text(encoding="utf-8"))
    table = pd.read_csv(inputs["table"]).round(4)
    topic_terms = pd.read_csv(inputs["topic_terms"])
    sizes = pd.read_csv(inputs["topic_sizes"])
    links = pd.read_csv(inputs["theme_topics"])
    prevalence = pd.read_csv(inputs["prevalence"])
    topics = [
        {
            "topic": int(row.topic),
            "share": float(row.share),
            "terms": ", ".join(topic_terms[(topic_terms["topic"] == row.topic) & (topic_terms["rank"] <= 10)]["term"]),
        }
        for row in sizes.itertuples()
    ]
    themes = theme_rows(dict(config.get("themes", {})), links, prevalence)
    images = {
        name: data_uri(Path(inputs[f"fig_{name}"]).read_bytes(), "image/png")
        for name in ("selection", "topics", "prevalence")
    }
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html", "j2"]))
    title = config.get("report", {}).get("title", "Topic report")
    subtitle = f"{summary['n_kept']} documents, {summary['date_min']} – {summary['date_max']}"
    html = env.get_template("report.html.j2").render(
        title=title, subtitle=subtitle, language=language, t=TEXT[language], summary=summary,
        selection=selection, selection_table=table, topics=topics, themes=themes, images=images,
        provenance={**prov, "config_yaml": yaml.safe_dump(prov["config"], allow_unicode=True, sort_keys=False)},
    )
    markdown = "\n".join(
        [
            f"# {title}",
            "",
            f"- Documents read: {summary['n_read']}; kept: {summary['n_kept']}; set aside: {summary['n_rejected']}",
            f"- Date range: {summary['date_min']} – {summary['date_max']}",
            f"- Chosen model: K = {selection['k']}, seed = {selection['seed']} ({selection['rule']})",
            "",
            "## Topics",
            "",
            *[f"- {t['topic']} ({t['share']:.3f}): {t['terms']}" for t in topics],
            "",
            "## Themes",
            "",
            "| theme | seed words | linked topics | mean prevalence |",
            "|---|---|---|---|",
            *[f"| {t['name']} | {t['seed_words']} | {t['topics']} | {t['mean']} |" for t in themes],
            "",
            f"Corpus SHA-256: `{prov['corpus_sha256']}`; Snakemake {prov['snakemake']}; run {prov['run_date']}.",
            "",
        ]
    )
    return html, markdown


def main(smk) -> None:
    """Snakemake entry point for the ``record_provenance`` and ``render_report`` rules."""
    config = json.loads(json.dumps(dict(smk.config), default=str))
    if smk.rule == "record_provenance":
        prov = provenance(config, Path(smk.params.corpus_path))
        Path(smk.output.provenance).write_text(json.dumps(prov, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        return
    prov = json.loads(Path(smk.input.provenance).read_text(encoding="utf-8"))
    html, markdown = render_report(dict(smk.input.items()), config, prov)
    Path(smk.output.html).write_text(html, encoding="utf-8")
    Path(smk.output.markdown).write_text(markdown, encoding="utf-8")


if __name__ == "__main__" and "snakemake" in globals():
    from stage_logging import run_stage

    run_stage(main, globals()["snakemake"])
