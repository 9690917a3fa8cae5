"""Design matrices of effect formulas: an intercept, then one column block per term.

The formula is parsed by :mod:`scripts.settings.formula` (checked with the config); here its
variables become columns: ``time`` as is, ``spline(time)`` as a cubic B-spline basis, ``post_event``
as 0/1 and each metadata column as one indicator per level except its reference (the configured
``reference`` level, else the first level in sorted order); an interaction multiplies the columns of its variables.

Example
-------
>>> data = pd.DataFrame({"time": [0, 1, 2], "post_event": [0, 1, 1], "section": ["a", "b", "b"]})
>>> matrix, columns = design_matrix(parse_formula("theme ~ section + time", ["section"]), data, 4)
>>> matrix.tolist()
[[1.0, 0.0, 0.0], [1.0, 1.0, 1.0], [1.0, 1.0, 2.0]]
"""


from dataclasses import dataclass

import numpy as np
import pandas as pd

from scripts.settings.formula import EVENT, SPLINE, TIME, Formula, parse_formula  # noqa: F401 (parse_formula: example)


def spline_basis(x: np.ndarray, df: int) -> np.ndarray:
    """Cubic B-spline basis of ``x`` with ``df`` columns (no intercept column), knots at quantiles.

    Example
    -------
    >>> basis = spline_basis(np.arange(24.0), 4)
    >>> basis.shape, bool(np.all(basis >= 0))
    ((24, 4), True)
    """
    from scipy.interpolate import BSpline

    x = np.asarray(x, dtype=float)
    low, high = float(x.min()), float(x.max())
    if high <= low:
        return np.zeros((x.size, df))
    n_inner = df - 3
    inner = np.quantile(x, np.linspace(0, 1, n_inner + 2)[1:-1]) if n_inner > 0 else np.array([])
    knots = np.concatenate([[low] * 4, inner, [high] * 4])
    basis = BSpline.design_matrix(np.clip(x, low, high), knots, 3).toarray()
    return basis[:, 1:]


@dataclass(frozen=True)
class Column:
    """One column of a design matrix: its name, the term it belongs to and, for a level of a
    metadata column, the level and the reference level it is compared with."""

    name: str
    term: str
    levels: tuple  # ((variable, level, reference), ...) for the categorical parts
    n_nonzero: int


class ReferenceLevelError(ValueError):
    """A configured reference level that the variable does not have; the message lists the levels."""


def design_matrix(formula: Formula, variables: pd.DataFrame, spline_df: int, references: dict | None = None) -> tuple:
    """The regression matrix of ``formula``: an intercept, then one column block per term.

    Parameters
    ----------
    formula : Formula
    variables : pandas.DataFrame
        One row per document with the formula's variables: ``time`` (period index, numeric),
        ``post_event`` (0/1) and the metadata columns (read as text; missing values become
        the level ``missing``). ``spline(time)`` is built from ``time``.
    spline_df : int
        Columns of the spline basis.
    references : dict, optional
        Reference level of a metadata variable (``{"section": "nacional"}``); the others use
        their first level in sorted order. :class:`ReferenceLevelError` when the level is not in the data.

    Returns
    -------
    tuple
        ``(matrix, columns)``: ``(n_documents, 1 + n_columns)`` float array and one :class:`Column`
        per column after the intercept. A categorical variable gets one column per level except its
        reference; an interaction multiplies the columns of its
        variables.

    Example
    -------
    >>> data = pd.DataFrame({"time": [0, 1, 2, 3], "post_event": [0, 0, 1, 1], "section": ["a", "b", "a", "b"]})
    >>> matrix, columns = design_matrix(parse_formula("theme ~ section * post_event", ["section"]), data, 4)
    >>> [c.name for c in columns], matrix[:, 3].tolist()
    (['section=b', 'post_event', 'section=b:post_event'], [0.0, 0.0, 0.0, 1.0])
    >>> [c.name for c in design_matrix(parse_formula("theme ~ section", ["section"]), data, 4, {"section": "b"})[1]]
    ['section=a']
    """
    references = references or {}
    blocks = {}
    for name in formula.variables:
        if name == TIME:
            blocks[name] = [(TIME, (), np.asarray(variables[TIME], dtype=float))]
        elif name == SPLINE:
            basis = spline_basis(np.asarray(variables[TIME], dtype=float), spline_df)
            blocks[name] = [(f"{SPLINE}[{j + 1}]", (), basis[:, j]) for j in range(basis.shape[1])]
        elif name == EVENT:
            blocks[name] = [(EVENT, (), np.asarray(variables[EVENT], dtype=float))]
        else:
            values = variables[name].astype(object).where(variables[name].notna(), "missing").astype(str)
            levels = sorted(values.unique())
            reference = references.get(name, levels[0])
            if reference not in levels:
                raise ReferenceLevelError(f"reference.{name}: {reference!r} is not a level of {name} "
                                     f"(allowed: {', '.join(map(repr, levels))})")
            blocks[name] = [
                (f"{name}={level}", ((name, level, reference),), (values == level).to_numpy(dtype=float))
                for level in levels if level != reference
            ]
    names, columns = [], [np.ones(len(variables))]
    for term in formula.terms:
        crossed = [("", (), np.ones(len(variables)))]
        for name in term:
            crossed = [
                (f"{left}:{right}" if left else right, (*left_levels, *right_levels), left_values * right_values)
                for left, left_levels, left_values in crossed
                for right, right_levels, right_values in blocks[name]
            ]
        for column_name, levels, values in crossed:
            names.append(Column(column_name, ":".join(term), levels, int(np.count_nonzero(values))))
            columns.append(values)
    return np.column_stack(columns), names
