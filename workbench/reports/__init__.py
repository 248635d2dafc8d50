"""Reports a planner can mail as they are: Excel, HTML with charts, Markdown, CSV.

``write_comparison`` and ``write_sweep`` choose the format by the output
file's extension and write atomically.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from workbench.errors import WorkbenchError
from workbench.planning.runs import Run
from workbench.planning.sweep import Sweep
from workbench.reports.options import ReportOptions

COMPARE_FORMATS = (".xlsx", ".html", ".md", ".csv", ".json", ".txt")
SWEEP_FORMATS = (".xlsx", ".html", ".png", ".md", ".csv", ".json", ".txt")


def _check(path: Path, formats: Sequence[str]) -> str:
    suffix = path.suffix.lower()
    if suffix not in formats:
        raise WorkbenchError(
            f"unsupported report type {suffix or '(none)'}; use one of " + ", ".join(formats),
            field="output",
            value=str(path),
        )
    return suffix


def write_comparison(runs: Sequence[Run], path: str | Path, options: ReportOptions | None = None) -> Path:
    """Write a comparison of ``runs`` (the first is the reference) to ``path``; with
    ``options.per_customer`` (customer-level rows, only when the user asked) as a sheet
    of an Excel report."""
    options = options or ReportOptions()
    from workbench.reports import comparison as report

    path = Path(path)
    suffix = _check(path, COMPARE_FORMATS)
    if options.per_customer is not None:
        if suffix != ".xlsx":
            raise WorkbenchError(
                "customer-level rows go in an Excel report (.xlsx) as a sheet of their own; for other "
                "files, write each scenario's tiers with `workbench classify`",
                field="output",
                value=str(path),
            )
        report.excel(runs, path, options)
        return path
    writer = {
        ".xlsx": report.excel,
        ".html": report.html,
        ".md": report.markdown,
        ".csv": report.csv,
        ".json": report.json_text,
        ".txt": report.text,
    }[suffix]
    writer(runs, path, options)
    return path


def write_sweep(sweep: Sweep, path: str | Path, options: ReportOptions | None = None) -> Path:
    """Write a sweep to ``path``."""
    options = options or ReportOptions()
    from workbench.reports import sweeping as report

    path = Path(path)
    suffix = _check(path, SWEEP_FORMATS)
    writer = {
        ".xlsx": report.excel,
        ".html": report.html,
        ".png": report.png,
        ".md": report.markdown,
        ".csv": report.csv,
        ".json": report.json_text,
        ".txt": report.text,
    }[suffix]
    writer(sweep, path, options)
    return path
