"""Config checks: every schema problem as one short line, plus the checks a schema cannot express.

Snakemake's ``validate()`` stops at the first schema error and prints the whole sub-schema and
config section with it (about 90 lines for one misspelt key under ``model``). :func:`check_config`
validates the same config against the same schema first, collects *every* problem, and stops the
run with one line per problem that names the key, what is wrong and what is allowed, e.g.::

    config key model.k[0]: 1 is less than the minimum of 2 (allowed: an integer >= 2)
    config key model.pases: unknown key (did you mean "passes"? allowed keys in model: k, seeds, ...)

It then checks what JSON schema cannot say: ``model.select_k``/``select_seed`` must be in the grid
and, with ``theme_method: seeded``, every K must leave each theme a topic (otherwise the whole grid
would be fitted before a later step failed); every ``effects`` formula must parse over the
allowed variables and name an event when it uses ``post_event``; config values that become parts of output file names
(``time.by``) must be plain names, so no config value can make the workflow write outside the run
directory; and themes must not be merged in silently from a second config file. Before the schema,
each config file is read again with a strict, bounded YAML loader (:mod:`scripts.settings.strict_yaml`:
no duplicate keys, no Python or other tags, no alias bombs), because Snakemake reads it with PyYAML's
``FullLoader``. After it, values are checked that a schema cannot check (:func:`value_problems`):
calendar dates, include patterns that stay inside the corpus, the ``time.events`` file, the palette. This is the one
validation of the config: :func:`check_config` returns it with every schema default filled in, and
the stage scripts receive sections of that filled config, never checking or defaulting it again.

Example
-------
>>> schema = {"type": "object", "additionalProperties": False,
...           "properties": {"k": {"type": "array", "items": {"type": "integer", "minimum": 2}}}}
>>> config_problems({"k": [1, 4]}, schema)
['config key k[0]: 1 is less than the minimum of 2 (allowed: an integer >= 2)']
>>> config_problems({"kk": [4]}, schema)
['config key kk: unknown key (did you mean "k"? allowed keys at the top level: k)']
"""


import copy
import csv
import datetime as dt
import difflib
import json
import re
import sys
from pathlib import Path, PurePosixPath, PureWindowsPath

import yaml
from jsonschema import Draft202012Validator, validators

from scripts.settings.themes import theme_words
from scripts.settings.formula import EVENT, FormulaError, parse_formula
from scripts.settings.strict_yaml import YAMLInputError, load_bounded

# Config keys whose value (a string or a list of strings) becomes part of an output file name.
OUTPUT_NAME_KEYS = (("time", "by"),)

# JSON schema counts 4.0 as an integer; the workflow would then look for results/models/k4.0/.
_TYPE_CHECKER = Draft202012Validator.TYPE_CHECKER.redefine(
    "integer", lambda checker, value: isinstance(value, int) and not isinstance(value, bool)
)
StrictValidator = validators.extend(Draft202012Validator, type_checker=_TYPE_CHECKER)

_TYPE_NAMES = {
    "integer": "an integer", "number": "a number", "string": "a string", "boolean": "true or false",
    "array": "a list", "object": "a mapping (key: value)", "null": "null",
}


class ConfigError(ValueError):
    """The config breaks the schema or a cross-key rule; the message has one line per problem."""


def key_path(path) -> str:
    """Dotted config key for a JSON path, with list positions in brackets.

    >>> key_path(["model", "k", 0])
    'model.k[0]'
    >>> key_path(["themes", "mal nombre"])
    'themes["mal nombre"]'
    >>> key_path([])
    'the top level'
    """
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        elif not re.fullmatch(r"[A-Za-z0-9_-]+", str(part)):
            text += f"[{json.dumps(str(part), ensure_ascii=False)}]"
        else:
            text += f".{part}" if text else str(part)
    return text or "the top level"


def _json_pieces(value, limit: int, depth: int = 0):
    """JSON text of ``value`` piece by piece (strings cut to ``limit``), so that a huge value is never written out."""
    if depth > 20:
        yield "..."
    elif isinstance(value, dict):
        yield "{"
        for position, (key, item) in enumerate(value.items()):
            yield (", " if position else "") + json.dumps(str(key)[:limit], ensure_ascii=False) + ": "
            yield from _json_pieces(item, limit, depth + 1)
        yield "}"
    elif isinstance(value, (list, tuple)):
        yield "["
        for position, item in enumerate(value):
            yield ", " if position else ""
            yield from _json_pieces(item, limit, depth + 1)
        yield "]"
    elif isinstance(value, (str, int, float, bool)) or value is None:
        yield json.dumps(value[: limit + 1] if isinstance(value, str) else value, ensure_ascii=False)
    else:
        yield json.dumps(str(value)[: limit + 1], ensure_ascii=False)


def _short(value, limit: int = 60) -> str:
    """A config value written as in YAML/JSON (``null``, ``true``, ``"monht"``), cut to ``limit`` characters.

    Only the first ``limit`` characters are ever produced, however large the value.

    >>> _short({"a": [1, None, True]}), _short([["x" * 10] * 10**4] * 10**4, limit=20)
    ('{"a": [1, null, true]}', '[["xxxxxxxxxx", "...')
    """
    text = ""
    for piece in _json_pieces(value, limit):
        text += piece
        if len(text) > limit:
            break
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _bounds(schema: dict) -> list[str]:
    """Numeric bounds of a schema as ``>= 2``, ``< 1``."""
    bounds = []
    for keyword, sign in (("minimum", ">="), ("exclusiveMinimum", ">"), ("maximum", "<="), ("exclusiveMaximum", "<")):
        if keyword in schema:
            bounds.append(f"{sign} {schema[keyword]}")
    return bounds


def describe(schema: dict) -> str:
    """What a (sub-)schema allows, in a few words.

    >>> describe({"type": "integer", "minimum": 2})
    'an integer >= 2'
    >>> describe({"type": "string", "enum": ["week", "month"]})
    'one of week, month'
    >>> describe({"type": "array", "minItems": 1, "items": {"type": "integer", "minimum": 0}})
    'a non-empty list of: an integer >= 0'
    """
    if "enum" in schema:
        return "one of " + ", ".join(str(v) for v in schema["enum"])
    for combinator in ("oneOf", "anyOf"):
        if combinator in schema:
            return " or ".join(describe(option) for option in schema[combinator])
    kind = schema.get("type")
    if isinstance(kind, list):
        return " or ".join(describe({**schema, "type": single}) for single in kind)
    if kind in ("integer", "number"):
        bounds = _bounds(schema)
        return " and ".join([f"{_TYPE_NAMES[kind]} {bounds[0]}" if bounds else _TYPE_NAMES[kind], *bounds[1:]])
    if "pattern" in schema:
        return f"a name matching {schema['pattern']}"
    if kind == "string":
        return "a non-empty string" if schema.get("minLength", 0) >= 1 else "a string"
    if kind == "array":
        head = "a non-empty list" if schema.get("minItems", 0) >= 1 else "a list"
        if schema.get("uniqueItems"):
            head += " without repeats"
        return head + (f" of: {describe(schema['items'])}" if isinstance(schema.get("items"), dict) else "")
    if kind == "object":
        if schema.get("properties"):
            return "a mapping with keys " + ", ".join(schema["properties"])
        if isinstance(schema.get("additionalProperties"), dict):
            head = "a non-empty mapping" if schema.get("minProperties", 0) >= 1 else "a mapping"
            return f"{head} of name: {describe(schema['additionalProperties'])}"
        return "a mapping"
    return _TYPE_NAMES.get(kind, "see workflow/schemas/config.schema.yaml")


_CONTAINER_TYPES = {"array": list, "object": dict}


def _matching_branch(error):
    """The errors of the one ``oneOf``/``anyOf`` list or mapping option that fits the value, or ``None``.

    A theme written as a mapping is then told what is wrong with the mapping (a missing ``words``,
    an unknown key) instead of that it matches neither form. Scalars keep the combined message,
    which lists every form allowed.
    """
    options = error.validator_value if isinstance(error.validator_value, list) else []
    fitting = [index for index, option in enumerate(options)
               if isinstance(error.instance, _CONTAINER_TYPES.get(option.get("type"), ()))]
    if len(fitting) != 1:
        return None
    branch = [sub for sub in error.context if list(sub.relative_schema_path)[:1] == [fitting[0]]]
    return branch or None


def _error_lines(error) -> list[str]:
    """One or more problem lines for one jsonschema error."""
    where = key_path(error.absolute_path)
    instance = error.instance
    if error.validator in ("oneOf", "anyOf"):
        branch = _matching_branch(error)
        if branch:
            return [line for sub in branch for line in _error_lines(sub)]
    if error.validator == "additionalProperties" and error.validator_value is False:
        known = list(error.schema.get("properties", {}))
        section = f"in {where}" if error.absolute_path else "at the top level"
        lines = []
        for key in sorted(set(instance) - set(known), key=str):
            guess = difflib.get_close_matches(str(key), known, n=1, cutoff=0.6)
            hint = f"did you mean {_short(guess[0])}? " if guess else ""
            lines.append(f"config key {key_path([*error.absolute_path, key])}: unknown key "
                         f"({hint}allowed keys {section}: {', '.join(known) or 'none'})")
        return lines
    if error.validator == "required":
        missing = [key for key in error.validator_value if key not in instance]
        properties = error.schema.get("properties", {})
        return [f"config key {key_path([*error.absolute_path, key])}: missing, it is required "
                f"(allowed: {describe(properties.get(key, {}))})" for key in missing]
    if error.validator == "enum":
        guess = difflib.get_close_matches(str(instance), [str(v) for v in error.validator_value], n=1, cutoff=0.5)
        hint = f"; did you mean {_short(guess[0])}?" if guess else ""
        return [f"config key {where}: {_short(instance)} is not an allowed value "
                f"(allowed: {', '.join(str(v) for v in error.validator_value)}{hint})"]
    if list(error.schema_path)[-2:-1] == ["propertyNames"]:
        return [f"config key {key_path([*error.absolute_path, instance])}: {_short(instance)} is not a valid name "
                f"(allowed: {describe(error.schema)})"]
    if error.validator == "type":
        what = f"{_short(instance)} is not {describe({'type': error.validator_value})}"
    elif error.validator in ("oneOf", "anyOf"):
        what = f"{_short(instance)} is not valid"
    else:
        what = error.message if len(error.message) <= 100 else error.message[:97] + "..."
    return [f"config key {where}: {what} (allowed: {describe(error.schema)})"]


def config_problems(config: dict, schema: dict) -> list[str]:
    """Every schema problem of ``config`` as one line each (empty when the config is valid).

    Parameters
    ----------
    config : dict
        The config as read by Snakemake (defaults not yet filled in).
    schema : dict
        The JSON schema (``workflow/schemas/config.schema.yaml``).

    Returns
    -------
    list of str
        Sorted, one line per problem: ``config key <key>: <what is wrong> (allowed: <what is>)``.
    """
    lines = []
    for error in StrictValidator(schema).iter_errors(config):
        lines.extend(_error_lines(error))
    return sorted(dict.fromkeys(lines))


def with_defaults(config: dict, schema: dict) -> dict:
    """A copy of ``config`` with the schema's ``default:`` values filled in (the input is untouched).

    Items of a list whose schema has ``items`` with properties get their defaults too.

    >>> with_defaults({}, {"properties": {"time": {"default": {}, "properties": {"freq": {"default": "month"}}}}})
    {'time': {'freq': 'month'}}
    >>> with_defaults({"e": [{}]}, {"properties": {"e": {"items": {"properties": {"df": {"default": 4}}}}}})
    {'e': [{'df': 4}]}
    """
    filled = copy.deepcopy(config)

    def fill(instance, subschema):
        if isinstance(instance, list) and isinstance(subschema.get("items"), dict):
            for item in instance:
                fill(item, subschema["items"])
            return
        if not isinstance(instance, dict):
            return
        for key, property_schema in subschema.get("properties", {}).items():
            if key not in instance and "default" in property_schema:
                instance[key] = copy.deepcopy(property_schema["default"])
            if key in instance:
                fill(instance[key], property_schema)

    fill(filled, schema)
    return filled


def unsafe_name_reason(value) -> str | None:
    """Why ``value`` cannot be part of an output file name, or ``None`` when it can.

    >>> unsafe_name_reason("source") is None
    True
    >>> unsafe_name_reason("../../etc")
    'contains a path separator or ..'
    """
    text = str(value)
    if not text.strip():
        return "is empty"
    if "\0" in text:
        return "contains a NUL character"
    if PurePosixPath(text).is_absolute() or PureWindowsPath(text).is_absolute() or PureWindowsPath(text).drive:
        return "is an absolute path"
    if "/" in text or "\\" in text or text in (".", "..") or ".." in text:
        return "contains a path separator or .."
    return None


def cross_key_problems(config: dict) -> list[str]:
    """Problems the schema cannot express, on a config with defaults filled in.

    >>> cross_key_problems({"model": {"k": [4, 6], "seeds": [1], "select_k": 5, "select_seed": None}})
    ['config key model.select_k: 5 is not in model.k (allowed: one of 4, 6, or null to let the selection rule choose)']
    """
    lines = []
    model = config.get("model", {})
    for override, grid_key in (("select_k", "k"), ("select_seed", "seeds")):
        value = model.get(override)
        if value is not None and value not in model.get(grid_key, []):
            allowed = ", ".join(str(v) for v in model.get(grid_key, []))
            lines.append(f"config key model.{override}: {value} is not in model.{grid_key} "
                         f"(allowed: one of {allowed}, or null to let the selection rule choose)")
    themes = config.get("themes") or {}
    too_small = [k for k in model.get("k", []) if k < len(themes)]
    if config.get("theme_method") == "seeded" and too_small:
        lines.append(f"config key model.k: K = {', '.join(map(str, too_small))} is smaller than the number of themes "
                     f"({len(themes)}), and theme_method: seeded gives every theme its own topic "
                     f"(allowed: every K >= {len(themes)}, or theme_method: guided or mapped)")
    lines.extend(effect_problems(config))
    for path in OUTPUT_NAME_KEYS:
        section = config
        for part in path[:-1]:
            section = section.get(part, {}) if isinstance(section, dict) else {}
        value = section.get(path[-1]) if isinstance(section, dict) else None
        for position, name in enumerate(value if isinstance(value, list) else [value]):
            reason = None if name is None else unsafe_name_reason(name)
            if reason:
                where = key_path(list(path) + ([position] if isinstance(value, list) else []))
                lines.append(f"config key {where}: {_short(name)} {reason}; it becomes part of an output "
                             f"file name (allowed: a plain column name such as source)")
    return lines


def metadata_columns(corpus: dict) -> list[str]:
    """Metadata columns of ``documents.parquet``: ``source`` and the names of ``corpus.keep_columns``
    (a list of fields, or a mapping name -> field).

    Read by the effects formulas (config check), the explorer's filters and the metadata carried to
    ``doc_topics``/``doc_themes`` (``common.smk``).

    >>> metadata_columns({"keep_columns": {"section": "category"}}), metadata_columns({})
    (['source', 'section'], ['source'])
    """
    keep = corpus.get("keep_columns") or []
    return ["source", *(keep if isinstance(keep, list) else list(keep))]


def effect_problems(config: dict) -> list[str]:
    """Problems of ``effects`` (defaults filled in): repeated names, formulas the grammar refuses
    (:func:`scripts.settings.formula.parse_formula`, naming the allowed variables) and events.

    >>> effect_problems({"corpus": {"keep_columns": ["section"]}, "time": {"events": None},
    ...                  "effects": [{"name": "a", "formula": "theme ~ outlet", "event": None}]})
    ["config key effects[0].formula: unknown variable 'outlet' (allowed: time, spline(time), post_event, source, section)"]
    """
    columns = metadata_columns(config.get("corpus") or {})
    events = (config.get("time") or {}).get("events")
    lines, seen = [], set()
    for index, effect in enumerate(config.get("effects") or []):
        if not isinstance(effect, dict):
            continue
        if effect.get("name") in seen:
            lines.append(f"config key effects[{index}].name: {_short(effect['name'])} is used twice "
                         f"(allowed: a name not used by another effect)")
        seen.add(effect.get("name"))
        try:
            formula = parse_formula(str(effect.get("formula", "")), columns)
        except FormulaError as error:
            lines.append(f"config key effects[{index}].formula: {error}")
            continue
        categorical = [name for name in formula.variables if name in columns]
        for variable in effect.get("reference") or {}:
            if variable not in categorical:
                lines.append(f"config key effects[{index}].reference.{variable}: not a metadata variable of the formula "
                             f"(allowed: {', '.join(categorical) or 'none, the formula has no metadata variable'})")
        uses_event, event = EVENT in formula.variables, effect.get("event")
        if uses_event and not event:
            lines.append(f"config key effects[{index}].event: missing; the formula uses {EVENT} "
                         f"(allowed: a label of the time.events CSV)")
        elif event and not uses_event:
            lines.append(f"config key effects[{index}].event: {_short(event)} is set but the formula does not use "
                         f"{EVENT} (allowed: null, or add {EVENT} to the formula)")
        elif uses_event and not events:
            lines.append(f"config key time.events: missing; effects[{index}] compares before and after the event "
                         f"{_short(event)} (allowed: a CSV with columns date,label)")
    return lines


def config_file_problems(paths) -> list[str]:
    """Problems of the config files themselves, read strictly (:func:`~scripts.settings.strict_yaml.load_bounded`).

    Snakemake has already read them with a loader that keeps the last of two equal keys, builds
    Python objects for ``!!python/name:`` tags and shares aliased values (which the schema check
    would then walk, expanded); this second reading refuses all three with one line per file.

    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "c.yaml"
    >>> _ = path.write_text("model: {}\\nmodel: {}\\n")
    >>> [line.split(": ", 1)[1] for line in config_file_problems([path])]
    ["c.yaml line 2: key 'model' appears twice (first on line 1)"]
    """
    lines = []
    for path in dict.fromkeys(map(str, paths)):
        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue  # Snakemake has read it already, or says why it cannot
        try:
            load_bounded(text, Path(path).name)
        except YAMLInputError as error:
            lines.append(f"config file {path}: {error}")
    return lines


def config_size_problems(config, limit: int = 200_000) -> list[str]:
    """A config that holds more than ``limit`` values once shared (aliased) values are counted each time.

    >>> shared = ["x"] * 1000
    >>> config_size_problems({"a": [shared] * 1000})
    ['config key a: holds more than 200,000 values once YAML aliases are expanded (allowed: a plain config)']
    """
    for key, value in (config.items() if isinstance(config, dict) else []):
        count, stack = 0, [value]
        while stack and count <= limit:
            item = stack.pop()
            count += 1
            if isinstance(item, dict):
                stack.extend(item.values())
            elif isinstance(item, (list, tuple)):
                stack.extend(item)
        if count > limit:
            return [f"config key {key_path([key])}: holds more than {limit:,} values once YAML aliases are expanded"
                    f" (allowed: a plain config)"]
    return []


def calendar_date_reason(value) -> str | None:
    """Why ``value`` is not a calendar date ``YYYY-MM-DD``, or ``None`` when it is one (or is null).

    >>> calendar_date_reason("2025-02-30")
    'is not a calendar date (day is out of range for month)'
    >>> calendar_date_reason("2024-02-29") is None
    True
    """
    if value is None:
        return None
    try:
        dt.date.fromisoformat(str(value))
    except ValueError as error:
        return f"is not a calendar date ({error})"
    return None


def include_pattern_reason(pattern: str) -> str | None:
    """Why a ``corpus.include`` glob pattern could reach outside the corpus, or ``None``.

    >>> include_pattern_reason("/etc/*.conf"), include_pattern_reason("../*.txt"), include_pattern_reason("**/*.txt")
    ('is an absolute path', 'goes up out of the corpus folder (..)', None)
    """
    text = str(pattern)
    if PurePosixPath(text).is_absolute() or PureWindowsPath(text).is_absolute() or PureWindowsPath(text).drive or text.startswith("~"):
        return "is an absolute path"
    if ".." in PurePosixPath(text.replace("\\", "/")).parts:
        return "goes up out of the corpus folder (..)"
    return None


def events_file_reason(path: str) -> str | None:
    """Why the ``time.events`` CSV cannot be used (missing, no ``date``/``label`` columns, a bad date), or ``None``."""
    file = Path(path)
    if not file.is_file():
        return "does not exist (paths are relative to the run folder)"
    try:
        with file.open(encoding="utf-8-sig", newline="") as handle:
            rows = csv.DictReader(handle)
            missing = {"date", "label"} - {name.strip() for name in rows.fieldnames or []}
            if missing:
                return f"lacks column(s) {', '.join(sorted(missing))} (expected date,label)"
            for number, row in enumerate(rows, start=2):
                value = str(row.get("date") or "").strip()
                reason = calendar_date_reason(value) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) else "is not YYYY-MM-DD"
                if reason:
                    return f"row {number}: date {_short(value)} {reason}"
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        return f"is not a readable UTF-8 CSV ({type(error).__name__})"
    return None


def palette_reason(palette) -> str | None:
    """Why ``figures.palette`` is not a matplotlib colormap name or a list of colours, or ``None``."""
    import matplotlib
    from matplotlib import colors

    if isinstance(palette, list):
        bad = [color for color in palette if not colors.is_color_like(color)]
        return f"{_short(bad)} are not colours (use names like tab:blue or #1f77b4)" if bad else None
    if isinstance(palette, str) and palette not in matplotlib.colormaps:
        return f"{_short(palette)} is not a matplotlib colormap (try tab10, Set2, Dark2 or viridis)"
    return None


def value_problems(config: dict, given: dict) -> list[str]:
    """Values a schema cannot check, on the filled config (``given``: the config as written, for the palette).

    Calendar dates (``corpus.default_date``, ``corpus.date_range``), ``corpus.include`` patterns
    that stay inside the corpus, the ``time.events`` file, and a palette given in the config.

    >>> value_problems({"corpus": {"date_range": {"start": "2025-02-30"}, "include": ["/etc/*.conf"]}}, {})[0]
    'config key corpus.date_range.start: "2025-02-30" is not a calendar date (day is out of range for month) (allowed: a real date YYYY-MM-DD)'
    """
    lines = []
    corpus = config.get("corpus") if isinstance(config.get("corpus"), dict) else {}
    date_range = corpus.get("date_range") or {}
    for path, value in ((["corpus", "default_date"], corpus.get("default_date")),
                        (["corpus", "date_range", "start"], date_range.get("start")),
                        (["corpus", "date_range", "end"], date_range.get("end"))):
        reason = calendar_date_reason(value)
        if reason:
            lines.append(f"config key {key_path(path)}: {_short(value)} {reason} (allowed: a real date YYYY-MM-DD)")
    start, end = date_range.get("start"), date_range.get("end")
    if start and end and not calendar_date_reason(start) and not calendar_date_reason(end) and start > end:
        lines.append(f"config key corpus.date_range: start {start} is after end {end} (allowed: start <= end)")
    for position, pattern in enumerate(corpus.get("include") or []):
        reason = include_pattern_reason(pattern)
        if reason:
            lines.append(f"config key corpus.include[{position}]: {_short(pattern)} {reason}"
                         f" (allowed: a glob pattern relative to corpus.path, such as **/*.txt)")
    events = (config.get("time") or {}).get("events")
    if events:
        reason = events_file_reason(events)
        if reason:
            lines.append(f"config key time.events: {_short(events)} {reason}")
    palette = (given.get("figures") or {}).get("palette") if isinstance(given.get("figures"), dict) else None
    if palette is not None:
        reason = palette_reason(palette)
        if reason:
            lines.append(f"config key figures.palette: {reason}")
    return lines


def merged_theme_problems(themes, command_line_files, workflow_files) -> list[str]:
    """Themes that reached the config only from the workflow's ``configfile:``, not from ``--configfile``.

    Snakemake merges ``--configfile`` files into the ``configfile:`` of the workflow key by key, so
    a run directory that has its own ``config/config.yaml`` would silently add that file's themes
    to the ones the user asked for.

    Parameters
    ----------
    themes : dict
        ``config["themes"]`` after the merge.
    command_line_files : list of str
        Files given with ``--configfile``.
    workflow_files : list of str
        Files read by the ``configfile:`` directive (and merged under the command-line ones).

    Returns
    -------
    list of str
        One problem line, or nothing.
    """
    if not command_line_files or not workflow_files or not isinstance(themes, dict):
        return []
    declared, any_declared = set(), False
    for path in command_line_files:
        loaded = load_bounded(Path(path).read_text(encoding="utf-8"), Path(path).name) or {}
        if isinstance(loaded, dict) and isinstance(loaded.get("themes"), dict):
            any_declared = True
            declared |= set(loaded["themes"])
    extra = [name for name in themes if name not in declared]
    if not any_declared or not extra:
        return []
    return [f"config key themes: {', '.join(extra)} come only from {', '.join(map(str, workflow_files))}, which "
            f"Snakemake merged with --configfile {', '.join(map(str, command_line_files))} key by key (allowed: "
            f"add --replace-workflow-config to use only your config file, or run where there is no config/config.yaml)"]


def check_config(config: dict, schema_path, command_line_files=(), workflow_files=()) -> dict:
    """Stop the run with a short message naming every bad key, or return the config with its defaults.

    Parameters
    ----------
    config : dict
        Snakemake's ``config``.
    schema_path : str or pathlib.Path
        The JSON schema file (YAML).
    command_line_files, workflow_files : sequence of str, optional
        Config files from ``--configfile`` and from the ``configfile:`` directive
        (see :func:`merged_theme_problems`).

    Returns
    -------
    dict
        A copy of ``config`` with every schema ``default:`` filled in (:func:`with_defaults`) and
        ``themes`` as name -> seed words whichever form it was written in (the labels are read
        apart with :func:`scripts.settings.themes.split_themes`).

    Raises
    ------
    ConfigError
        One line per problem, plus where the keys are documented.
    """
    schema = yaml.safe_load(Path(schema_path).read_text(encoding="utf-8"))
    problems = config_file_problems([*command_line_files, *workflow_files]) or config_size_problems(config)
    if problems:
        raise ConfigError("Invalid config file; fix it (plain YAML: no repeated keys, tags or alias bombs):\n  "
                          + "\n  ".join(problems))
    filled = with_defaults(config, schema)
    problems = config_problems(config, schema) or cross_key_problems(filled) + value_problems(filled, config)
    problems = problems or merged_theme_problems(config.get("themes"), list(command_line_files), list(workflow_files))
    if problems:
        count = f"{len(problems)} problem{'s' if len(problems) > 1 else ''}"
        raise ConfigError(
            f"Invalid config ({count}); fix the config file (every key is described in "
            f"workflow/schemas/config.schema.yaml):\n  " + "\n  ".join(problems)
        )
    if "themes" in filled:
        filled["themes"] = theme_words(filled["themes"])
    return filled


def check_config_or_exit(config: dict, schema_path, command_line_files=(), workflow_files=()) -> dict:
    """:func:`check_config` for the Snakefile: the filled config, or print the problems and exit 1.

    Snakemake prints a traceback for any exception raised while it reads the Snakefile, so the
    message goes to stderr and the process exits (nothing has run or been locked yet).
    """
    try:
        return check_config(config, schema_path, command_line_files, workflow_files)
    except ConfigError as error:
        print(f"\n{error}\n", file=sys.stderr)
        sys.exit(1)
