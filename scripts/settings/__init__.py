"""Config validation: the JSON schema is the one source of defaults and allowed values.

Reads ``config/config.yaml`` (merged by Snakemake) and ``workflow/schemas/config.schema.yaml``;
writes nothing: one-line problems and a config with every default filled.

:func:`defaults` fills a (partial) config from the schema, for tests and notebooks that call
the stage functions directly, so that no default is ever written down twice.

Example
-------
>>> defaults({"time": {"freq": "week"}})["time"]["freq"], defaults()["model"]["passes"]
('week', 10)
"""

from pathlib import Path

import yaml

from scripts.settings.validation import with_defaults

#: ``workflow/schemas/config.schema.yaml``: every config key, its allowed values and its default.
SCHEMA_PATH = Path(__file__).resolve().parents[2] / "workflow" / "schemas" / "config.schema.yaml"


def load_schema(path=SCHEMA_PATH) -> dict:
    """The config JSON schema (YAML file)."""
    return yaml.safe_load(Path(path).read_text(encoding="utf-8"))


def defaults(config: dict | None = None) -> dict:
    """A copy of ``config`` (default: empty) with every schema default filled in.

    Parameters
    ----------
    config : dict, optional
        A partial config; its values win over the defaults. It is not validated.

    Returns
    -------
    dict
        Sections without a schema default (``corpus``, ``themes``) are present only when given.
    """
    return with_defaults(config or {}, load_schema())


def section(name: str, values: dict | None = None) -> dict:
    """One config section with the schema defaults filled in, e.g. ``section("figures", {"dpi": 60})``."""
    return defaults({name: values or {}})[name]
