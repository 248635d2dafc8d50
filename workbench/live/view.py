"""What the screen shows after a simulation: results, comparison, distribution.

Built in a worker thread from the engine's output; widgets only read it.
Names are ``Text`` so that a view can be shown in either language.
"""

from __future__ import annotations

from dataclasses import dataclass

from workbench.core.distribution import Histogram, NearThreshold
from workbench.core.results import Comparison, Figures
from workbench.live.editing import Snapshot
from workbench.planning.estimates import Estimates
from workbench.text import Text


@dataclass(frozen=True)
class Marker:
    """A threshold drawn on the distribution: its parameter (or tier, when fixed), value,
    the tier it opens, and whether it is the parameter selected."""

    param: str
    value: float
    label: Text
    selected: bool


@dataclass(frozen=True)
class View:
    seq: int
    state: Snapshot
    result: Figures  # of the portfolio tuned (or, on a sample, the book's estimates)
    comparison: Comparison
    baseline_name: Text
    metric: str
    histogram: Histogram | None
    markers: tuple[Marker, ...] = ()
    near: NearThreshold | None = None
    elapsed_ms: float = 0.0
    path: str = "full"  # how the figures were brought up to date (see ``Tuner.path``)
    moved: int = 0  # customers reclassified with a different tier
    estimates: Estimates | None = None  # on a sample of a book too big for memory
    exact: bool = False  # the full book's figures, confirmed on the cluster (estimates beside)
