"""Shared entry-point plumbing for stage scripts run by Snakemake's ``script:`` directive.

:func:`run_stage` sends the stage's log records to the rule's ``log:`` file and turns input
problems (:class:`UserInputError` and its subclasses) into a one-line message instead of a
traceback.
"""


import logging
import sys
from typing import Callable


class UserInputError(ValueError):
    """A problem in the user's corpus or config; the message names the file/key and the fix."""


def configure_logging(log_path: str | None) -> None:
    """Log INFO and above to ``log_path`` (or stderr when ``None``)."""
    handlers: list[logging.Handler] = [logging.StreamHandler(sys.stderr)]
    if log_path:
        handlers.append(logging.FileHandler(log_path, mode="w", encoding="utf-8"))
    logging.basicConfig(
        level=logging.INFO,
        format="%(asctime)s %(name)s %(levelname)s %(message)s",
        handlers=handlers,
        force=True,
    )


def run_stage(main: Callable, smk) -> None:
    """Run a stage's ``main(snakemake)`` with logging; exit 1 with a short message on bad input.

    Parameters
    ----------
    main : callable
        The stage entry point, called with the Snakemake object.
    smk : snakemake.script.Snakemake
        The object Snakemake injects into scripts.
    """
    configure_logging(smk.log[0] if len(smk.log) else None)
    try:
        main(smk)
    except UserInputError as error:
        logging.getLogger(main.__module__).error("%s", error)
        print(f"\nERROR in rule {smk.rule}: {error}\n", file=sys.stderr)
        sys.exit(1)
