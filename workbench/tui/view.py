"""What the screen shows after a simulation: results, comparison, distribution.

Built in a worker thread from the engine's output; widgets only read it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from workbench.distribution import Histogram, NearThreshold
from workbench.editing import Snapshot
from workbench.result import Comparison, Result


@dataclass(frozen=True)
class Marker:
    """A threshold drawn on the distribution."""

    param: str
    value: float
    label: str
    selected: bool


@dataclass(frozen=True)
class View:
    seq: int
    state: Snapshot
    result: Result
    comparison: Comparison
    baseline_name: str
    metric: str
    histogram: Histogram | None
    markers: tuple[Marker, ...] = ()
    near: NearThreshold | None = None
    elapsed_ms: float = 0.0
    notes: tuple[str, ...] = field(default_factory=tuple)
    path: str = "full"  # how the figures were brought up to date (see ``Tuner.path``)
    moved: int = 0  # customers reclassified with a different tier
