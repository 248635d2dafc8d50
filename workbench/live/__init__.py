"""The headless session a front end drives, and the library types it handles.

A front end (the TUI) reaches the library through this package and the
public API (``workbench``): the ``LiveSession`` owns the tuning state, and the
names below are what its methods take and return. An import-linter contract
keeps ``workbench.tui`` from reaching further in.
"""

from __future__ import annotations

from workbench.core.portfolio import Portfolio
from workbench.core.results import Comparison, Result, breakdown_labels
from workbench.core.sampling import Interval
from workbench.core.tuning import Tuner
from workbench.files import confine
from workbench.files.portfolios import SUPPORTED_SUFFIXES
from workbench.files.scenarios import PortfolioRef, Scenario, load_scenario, user_path
from workbench.live.editing import EditSession, Snapshot
from workbench.live.exporting import REPORT_FORMATS, write_report
from workbench.live.session import LiveSession, Recovered, ScenarioFile
from workbench.live.view import Marker, View
from workbench.planning.estimates import TierIntervals
from workbench.planning.runs import Run
from workbench.planning.solve import Outcome
from workbench.planning.sweep import Sweep
from workbench.scheme import editing
from workbench.scheme.model import Scheme
from workbench.scheme.registry import Registry, default_registry
from workbench.scheme.scheme_files import is_scheme_file

__all__ = [
    "REPORT_FORMATS",
    "SUPPORTED_SUFFIXES",
    "Comparison",
    "EditSession",
    "Interval",
    "LiveSession",
    "Marker",
    "Outcome",
    "Portfolio",
    "PortfolioRef",
    "Recovered",
    "Registry",
    "Result",
    "Run",
    "Scenario",
    "ScenarioFile",
    "Scheme",
    "Snapshot",
    "Sweep",
    "TierIntervals",
    "Tuner",
    "View",
    "breakdown_labels",
    "confine",
    "default_registry",
    "editing",
    "is_scheme_file",
    "load_scenario",
    "user_path",
    "write_report",
]
