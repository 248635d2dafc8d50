"""Reports from the workbench: the scenario against its baseline, or scenarios compared,
written as the command line's ``compare --output`` writes them."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from workbench.files import confine
from workbench.files.scenarios import Scenario
from workbench.planning.runs import Run
from workbench.reports import COMPARE_FORMATS, write_comparison
from workbench.reports.options import ReportOptions
from workbench.text import Lang, Text

REPORT_FORMATS = COMPARE_FORMATS
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def against_baseline(current: Scenario, baseline: Scenario | None, defaults_name: str) -> list[Scenario]:
    """The two scenarios of the workbench's report: the baseline (A, the reference: the
    scheme's defaults when there is none of the current scheme) and the current one (B)."""
    if baseline is None or baseline.scheme != current.scheme:
        baseline = Scenario(scheme=current.scheme, name=defaults_name, portfolio=current.portfolio)
    return [replace(baseline, portfolio=current.portfolio), current]


def report_path(folder: Path, title: str, suffix: str = ".xlsx") -> Path:
    """``<folder>/<title>.xlsx``: the scenario's name made safe as a file name."""
    stem = " ".join(_UNSAFE.sub(" ", title).split()).strip(" .") or "report"
    return folder / f"{stem}{suffix}"


def write_report(runs: Sequence[Run], path: Path, lang: Lang) -> Path:
    """The comparison report of ``runs`` at ``path`` (its type by extension), atomically,
    with the report files' minimum cell size."""
    confine.check(path, Text("report", "报告"))
    return write_comparison(runs, path, ReportOptions(lang=lang))
