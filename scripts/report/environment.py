"""The report's Jinja environment and ``data:`` URIs, shared by the report, the monitor report and
their common monitoring section (templates in ``templates/``).

Example
-------
>>> data_uri(b"abc", "image/png")
'data:image/png;base64,YWJj'
>>> report_environment("es").from_string("{{ 0.25|pct }} {{ 1.5|num(1) }}").render()
'25,0% 1,5'
"""

import base64
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from scripts.report.language import decimal, percent
from scripts.text.display import pretty_term

TEMPLATES = Path(__file__).resolve().parent / "templates"


def data_uri(content: bytes, mime: str) -> str:
    """Embed bytes as a ``data:`` URI."""
    return f"data:{mime};base64,{base64.b64encode(content).decode('ascii')}"


def report_environment(language: str) -> Environment:
    """The report's Jinja environment (``templates/``): HTML escaped, undefined names an error, and
    the filters ``pct``, ``num`` (numbers in ``language``: a decimal comma in Spanish) and ``term``.

    Shared by the report (:mod:`scripts.report.render`) and the monitor report (:mod:`scripts.monitor.report`).
    """
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(enabled_extensions=("html.j2",), default_for_string=False, default=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["pct"] = lambda value: percent(value, language)
    env.filters["num"] = lambda value, digits=3: decimal(value, language, digits)
    env.filters["term"] = pretty_term
    return env
