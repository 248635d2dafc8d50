"""Errors a user can act on. The command line prints their message, never a traceback."""

from __future__ import annotations


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

    def __init__(self, message: str, headers: list[str], mapping: dict[str, str], missing: list[str]) -> None:
        super().__init__(message)
        self.headers = headers
        self.mapping = mapping
        self.missing = missing
