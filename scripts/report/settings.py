"""Typed settings of the explorer, built from the validated ``report.explorer`` config section.

The defaults live in ``workflow/schemas/config.schema.yaml`` only; this class gives the
already-complete values names and types.

Example
-------
>>> from scripts.settings import section
>>> ExplorerSettings(**section("report")["explorer"]).docs_per_period
20
"""


from dataclasses import dataclass


@dataclass(frozen=True)
class ExplorerSettings:
    """``report.explorer``: what ``results/report/explorer.html`` keeps of a run.

    Parameters
    ----------
    docs_per_period : int
        Documents kept per theme and period, those with the largest share of the theme.
    min_share : float
        Smallest share of the theme a listed document has.
    passage_words : int
        Words of the passage shown per document.
    terms_per_topic : int
        Terms listed per topic (and candidates per ranking for the relevance slider).
    """

    docs_per_period: int
    min_share: float
    passage_words: int
    terms_per_topic: int
