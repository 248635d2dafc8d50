"""What workers tell the app: posted from their threads, handled on the UI thread."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.message import Message

from workbench.errors import UnmappedColumns
from workbench.live import Portfolio, PortfolioRef, Tuner, View
from workbench.text import Text


class LoadStep(Message):
    """Loading reached step ``step`` (0: reading, 1: metrics, 2: classifying)."""

    def __init__(self, step: int, rows: int, ref: PortfolioRef, note: str = "") -> None:
        super().__init__()
        self.step, self.rows, self.ref, self.note = step, rows, ref, note  # note: a cluster's progress


class Loaded(Message):
    def __init__(self, portfolio: Portfolio, ref: PortfolioRef, elapsed: float) -> None:
        super().__init__()
        self.portfolio, self.ref, self.elapsed = portfolio, ref, elapsed


class LoadFailed(Message):
    def __init__(self, message: str) -> None:
        super().__init__()
        self.message = message


class MappingNeeded(Message):
    """The file's headers do not hold a column the scheme needs."""

    def __init__(self, ref: PortfolioRef, base_dir: Path | None, error: UnmappedColumns) -> None:
        super().__init__()
        self.ref, self.base_dir, self.error = ref, base_dir, error


class ViewReady(Message):
    def __init__(self, view: View) -> None:
        super().__init__()
        self.view = view


class SimulationFailed(Message):
    def __init__(self, seq: int, message: str) -> None:
        super().__init__()
        self.seq, self.message = seq, message


class Preparing(Message):
    """Preparation of instant tuning: ``done`` of ``total`` steps, or finished (``took``)."""

    def __init__(self, tuner: Tuner, done: int, total: int, took: float | None = None) -> None:
        super().__init__()
        self.tuner, self.done, self.total, self.took = tuner, done, total, took


class PrepareFailed(Message):
    def __init__(self, message: str) -> None:
        super().__init__()
        self.message = message


class PlannerDone(Message):
    """A planner tool finished: ``kind`` is ``sweep``, ``solve``, ``explain`` or ``compare``."""

    def __init__(self, kind: str, outcome: Any, request: Any = None) -> None:
        super().__init__()
        self.kind, self.outcome, self.request = kind, outcome, request


class PlannerFailed(Message):
    def __init__(self, kind: str, message: str) -> None:
        super().__init__()
        self.kind, self.message = kind, message


class Exporting(Message):
    """A report is being written to ``path``."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path


class Exported(Message):
    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path


class ExportFailed(Message):
    def __init__(self, path: Path, message: str) -> None:
        super().__init__()
        self.path, self.message = path, message


class Confirmed(Message):
    """The full book's exact figures are in (``error``: why not)."""

    def __init__(self, error: str | None = None) -> None:
        super().__init__()
        self.error = error


class RestRead(Message):
    """The rest of the shown portfolio's file was read: ``count`` columns, with ``notes``."""

    def __init__(self, portfolio: Portfolio | None, count: int, notes: list[Text], elapsed: float) -> None:
        super().__init__()
        self.portfolio, self.count, self.notes, self.elapsed = portfolio, count, notes, elapsed


class RestFailed(Message):
    def __init__(self, portfolio: Portfolio | None, message: str) -> None:
        super().__init__()
        self.portfolio, self.message = portfolio, message
