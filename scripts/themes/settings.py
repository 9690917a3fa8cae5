"""Typed settings of the themes stage, built from the validated ``time`` and ``linking`` sections.

The Snakefile validates the config and fills in every default of
``workflow/schemas/config.schema.yaml``; these classes only name and type the complete values,
so they have no defaults of their own.

Example
-------
>>> from scripts.settings import section
>>> time = TimeSettings.from_config(section("time"))
>>> time.freq, time.change_points.min_size, time.group_columns
('month', 2, [])
"""


from dataclasses import dataclass


@dataclass(frozen=True)
class LinkingSettings:
    """``linking``: when a topic is tied to a theme (see :mod:`scripts.themes.linking`)."""

    min_lift: float
    min_relative: float


@dataclass(frozen=True)
class ChangePointSettings:
    """``time.change_points`` (see :func:`scripts.themes.changepoints.change_point_table`).

    Parameters
    ----------
    method : {"calibrated", "pelt"}
        Detector.
    penalty : float
        ``pelt`` penalty per change, in noise variances.
    penalty_factor : float
        ``calibrated``: ``c`` of the penalty ``c log(n) (1 + phi) / (1 - phi)``.
    n_boot : int
        ``calibrated``: redrawn series for each change's confidence and date range.
    familywise : bool
        ``calibrated``: hold the false-alarm rate for all themes together.
    min_size : int
        Shortest segment, in periods.
    """

    method: str
    penalty: float
    penalty_factor: float
    n_boot: int
    familywise: bool
    min_size: int


@dataclass(frozen=True)
class TimeSettings:
    """``time``: periods, bootstrap intervals, groups, events, drift terms and change points.

    Parameters
    ----------
    freq : {"week", "month", "quarter", "year"}
        Period length.
    interval : {"logit_t", "percentile"}
        Kind of bootstrap interval (see :func:`scripts.themes.prevalence.interval_from_replicates`).
    ci_level : float
        Level of the bootstrap intervals.
    n_boot, min_docs, seed : int
        Bootstrap replicates, documents below which a period is flagged ``low_n``, bootstrap seed.
    by : str, list of str or None
        Metadata column(s) of the per-group tables.
    events : str or None
        The events CSV.
    drift_terms : int
        Terms per theme and period in ``drift.csv``.
    change_points : ChangePointSettings
    """

    freq: str
    interval: str
    ci_level: float
    n_boot: int
    min_docs: int
    seed: int
    by: str | list | None
    events: str | None
    drift_terms: int
    change_points: ChangePointSettings

    @classmethod
    def from_config(cls, time: dict) -> "TimeSettings":
        """From the (validated, filled-in) ``time`` section."""
        return cls(**{**time, "change_points": ChangePointSettings(**time["change_points"])})

    @property
    def group_columns(self) -> list:
        """``by`` as a list of column names (it may be empty, one name or a list)."""
        if not self.by:
            return []
        return [self.by] if isinstance(self.by, str) else list(self.by)


@dataclass(frozen=True)
class EffectSettings:
    """One entry of ``effects`` (see :mod:`scripts.themes.effects` and :mod:`scripts.settings.formula`).

    Parameters
    ----------
    name : str
        Name of the effect (the ``effect`` column of effects.csv).
    formula : str
        ``theme ~ terms``.
    event : str or None
        Label of the ``time.events`` row that ``post_event`` splits at.
    spline_df : int
        Columns of the spline basis of ``spline(time)``.
    reference : dict
        Reference level of a metadata variable (``{"source": "El Universal"}``); the others use
        their first level in sorted order.

    Example
    -------
    >>> from scripts.settings import defaults
    >>> EffectSettings.from_config(defaults({"effects": [{"name": "a", "formula": "theme ~ time"}]})["effects"])
    [EffectSettings(name='a', formula='theme ~ time', event=None, spline_df=4, reference={})]
    """

    name: str
    formula: str
    event: str | None
    spline_df: int
    reference: dict

    @classmethod
    def from_config(cls, effects: list) -> list:
        """One settings object per entry of the (validated, filled-in) ``effects`` list."""
        return [cls(**effect) for effect in effects]
