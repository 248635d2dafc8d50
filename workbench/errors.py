"""Errors a user can act on. The command line prints their message, never a traceback."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def did_you_mean(name: str, valid: Iterable[str]) -> str:
    """`` (did you mean X?)`` when a valid name is close to a mistyped one, else empty."""
    close = difflib.get_close_matches(name, list(valid), n=1, cutoff=0.75)
    if not close:
        close = [v for v in valid if name and (v.startswith(name) or name.startswith(v))][:1]
    return f" (did you mean {close[0]!r}?)" if close else ""


def number_kind(found: object) -> str:
    """What was expected where a number was not found: "a finite number" for NaN and
    infinities, else "a number"."""
    return "a finite number" if isinstance(found, float) else "a number"


class WorkbenchError(Exception):
    """A mistake in the user's input, with a message that says what and where."""


class PortfolioError(WorkbenchError):
    """A portfolio file cannot be read or does not hold what a scheme needs."""


class ScenarioError(WorkbenchError):
    """A scenario file or a parameter, option or cost assumption is invalid."""


class SchemeError(WorkbenchError):
    """A scheme declaration is invalid, or a scheme failed while classifying."""


class PluginError(WorkbenchError):
    """A plugin failed to load or registered something invalid."""


class UnmappedColumns(PortfolioError):
    """Columns a scheme needs were not found; carries what is needed to map them by hand."""

    def __init__(
        self,
        message: str,
        headers: list[str],
        mapping: dict[str, str],
        missing: list[str],
        suggested: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.headers = headers
        self.mapping = mapping
        self.missing = missing
        self.suggested = suggested or {}  # header -> column: unrecognised headers most like the missing
