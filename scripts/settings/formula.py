"""Effect formulas (``effects[].formula``): a small grammar, checked with the config.

A formula reads ``theme ~ <terms>``: the left side is always ``theme`` (every theme is estimated,
one regression each); the right side is terms joined by ``+``, a term being variables joined by
``:`` (their interaction) or ``*`` (``a * b`` is ``a + b + a:b``). The variables are

* ``time``: the period (``time.freq``) as a linear trend, counted from the corpus's first period;
* ``spline(time)``: a cubic B-spline of the period (``spline_df`` columns), for a smooth trend;
* ``post_event``: 1 for documents dated on or after the effect's ``event`` (a label of
  ``time.events``), else 0;
* a metadata column of documents.parquet (``source``, or a column kept by ``corpus.keep_columns``):
  categorical, coded against its first level in sorted order (the reference).

An intercept is always included. Parentheses, ``-``, ``1``/``0`` and numbers are not part of the
grammar; anything else is an error that names the allowed variables. The design matrix a formula
describes is built by :mod:`scripts.themes.design`.

Example
-------
>>> formula = parse_formula("theme ~ section * post_event", ["section"])
>>> [":".join(term) for term in formula.terms]
['section', 'post_event', 'section:post_event']
"""


import re
from dataclasses import dataclass
from itertools import combinations

TIME, SPLINE, EVENT = "time", "spline(time)", "post_event"
BUILT_IN = (TIME, SPLINE, EVENT)
_TOKEN = re.compile(r"\s*(?:(?P<spline>spline\s*\(\s*time\s*\))|(?P<name>[A-Za-z_][A-Za-z0-9_]*)|(?P<op>[+*:~]))")


class FormulaError(ValueError):
    """A formula that the grammar does not accept; the message says what is allowed."""


@dataclass(frozen=True)
class Formula:
    """A parsed formula: its text and its terms (tuples of variable names, no repeats, R's order)."""

    text: str
    terms: tuple

    @property
    def variables(self) -> list:
        """Every variable used, in order of first use."""
        return list(dict.fromkeys(name for term in self.terms for name in term))


def allowed_variables(columns) -> list:
    """The variables a formula may use: the built-in ones, then the metadata ``columns``."""
    return [*BUILT_IN, *[column for column in columns if column not in BUILT_IN]]


def _tokens(text: str) -> list:
    """``(kind, value)`` tokens of a formula; :class:`FormulaError` at the first character not understood."""
    tokens, position = [], 0
    stripped = text.rstrip()
    while position < len(stripped):
        match = _TOKEN.match(stripped, position)
        if not match:
            rest = stripped[position:].strip()
            raise FormulaError(f"cannot read {rest[:20]!r} (a formula is theme ~ terms joined by +, * and :)")
        kind = match.lastgroup
        tokens.append((kind, re.sub(r"\s+", "", match.group(kind))))
        position = match.end()
    return tokens


def parse_formula(text: str, columns) -> Formula:
    """Parse ``theme ~ <terms>`` over the built-in variables and the metadata ``columns``.

    Parameters
    ----------
    text : str
        The formula.
    columns : sequence of str
        Metadata columns the formula may use (``source`` and ``corpus.keep_columns``).

    Returns
    -------
    Formula

    Raises
    ------
    FormulaError
        With a message that names the problem and the allowed variables.

    Example
    -------
    >>> [":".join(t) for t in parse_formula("theme ~ a*b*time", ["a", "b"]).terms]
    ['a', 'b', 'time', 'a:b', 'a:time', 'b:time', 'a:b:time']
    >>> parse_formula("theme ~ outlet", ["section"])
    Traceback (most recent call last):
    ...
    scripts.settings.formula.FormulaError: unknown variable 'outlet' (allowed: time, spline(time), post_event, section)
    """
    allowed = allowed_variables(columns)
    tokens = _tokens(text)
    if [kind for kind, _ in tokens].count("op") == 0 or ("op", "~") not in tokens:
        raise FormulaError("a formula reads theme ~ terms, e.g. theme ~ section * post_event")
    tilde = tokens.index(("op", "~"))
    if tokens[:tilde] != [("name", "theme")]:
        raise FormulaError("the left side of ~ must be theme (every theme is estimated)")
    right = tokens[tilde + 1:]
    if not right:
        raise FormulaError("nothing right of ~ (allowed variables: " + ", ".join(allowed) + ")")
    if ("op", "~") in right:
        raise FormulaError("more than one ~")
    terms = []
    for group in _split(right, "+"):
        factors = []  # each factor: a list of alternatives to cross (``*``) or join (``:``)
        for product in _split(group, "*"):
            names = []
            for piece in _split(product, ":"):
                if len(piece) != 1 or piece[0][0] == "op":
                    raise FormulaError("an operator (+, *, :) needs a variable on each side")
                name = piece[0][1]
                if name not in allowed:
                    raise FormulaError(f"unknown variable {name!r} (allowed: {', '.join(allowed)})")
                names.append(name)
            factors.append(tuple(dict.fromkeys(names)))
        for size in range(1, len(factors) + 1):
            for chosen in combinations(factors, size):
                terms.append(tuple(dict.fromkeys(name for factor in chosen for name in factor)))
    if {TIME, SPLINE} <= {name for term in terms for name in term}:
        raise FormulaError("use time or spline(time), not both (the spline already holds the linear trend)")
    order = list(dict.fromkeys(name for kind, name in right if kind != "op"))  # order of first use
    unique = list(dict.fromkeys(tuple(sorted(term, key=order.index)) for term in terms))
    unique.sort(key=len)  # stable: main effects first, then two-way interactions, ...
    return Formula(text=text, terms=tuple(unique))


def _split(tokens: list, operator: str) -> list:
    """Split a token list at ``operator``; an empty side is an error."""
    parts, current = [], []
    for token in tokens:
        if token == ("op", operator):
            if not current:
                raise FormulaError(f"{operator} needs a variable on each side")
            parts.append(current)
            current = []
        else:
            current.append(token)
    if not current:
        raise FormulaError(f"{operator} needs a variable on each side")
    parts.append(current)
    return parts
