"""A book too big for memory in the workbench: tuned on a stratified sample of it, every
figure an estimate with its 95% interval, until the planner confirms on the full book (the
batch on a Dask cluster), when the exact figures replace the estimates and the estimates
stay beside them until the next change."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from workbench.core.distribution import near_threshold, weighted_histogram
from workbench.core.engine import Engine
from workbench.core.portfolio import Portfolio
from workbench.core.results import Comparison, Figures, Result
from workbench.core.settings import Settings
from workbench.errors import WorkbenchError
from workbench.files.scenarios import PortfolioRef, Scenario
from workbench.live.editing import Snapshot
from workbench.live.view import View
from workbench.planning.estimates import Sample, estimates_of, sample_note
from workbench.planning.runs import Run
from workbench.scale.choose import book_rows, memory_fit
from workbench.scale.cluster import ClusterSpec
from workbench.scale.sampling import cluster_sample
from workbench.scale.session import Pairing, cluster_runs
from workbench.text import Text

if TYPE_CHECKING:
    from workbench.live.session import LiveSession

CLUSTER_ENV = "WORKBENCH_CLUSTER"
SAMPLE_FRACTION = 0.01  # the share of a book too big for memory the workbench tunes on
SAMPLE_SEED = 1


@dataclass(frozen=True)
class Confirmed:
    """The exact figures of the full book for one edited state."""

    state: Snapshot
    figures: Figures
    comparison: Comparison | None


class BigBook:
    """What the live session knows of a book it tunes on a sample (nothing when the book
    fits in memory)."""

    def __init__(self, live: LiveSession, spec: ClusterSpec | None = None) -> None:
        self.live = live
        # where samples are drawn and the full book confirmed (docs/scale-out.md)
        self.spec = spec or ClusterSpec(os.environ.get(CLUSTER_ENV, "") or "local")
        self.sample: Sample | None = None
        self.ref: PortfolioRef | None = None
        self.base_dir: Path | None = None
        self.confirmed: Confirmed | None = None
        self._drawn: tuple[Portfolio, Sample, PortfolioRef, Path | None] | None = None
        self.notes: list[Text] = []

    @property
    def active(self) -> bool:
        return self.sample is not None

    def too_big(self, ref: PortfolioRef, base_dir: Path | None) -> bool:
        """Whether the book ``ref`` names is a dataset that would not fit in memory."""
        if ref.is_sample:
            return False
        try:
            rows = book_rows(ref.resolve(base_dir))
        except WorkbenchError:
            return False
        return rows is not None and not memory_fit(rows).fits

    def load(
        self, ref: PortfolioRef, base_dir: Path | None, say: Callable[[Text], object]
    ) -> Portfolio | None:
        """A stratified sample of a book too big for memory (drawn on a local cluster), or
        None for a book that fits. Whole households, so any scheme can be tuned on it."""
        if not self.too_big(ref, base_dir):
            return None
        scenario = self.live.edit.to_scenario()
        sample = cluster_sample(
            self.live.runs, scenario, ref, base_dir, self.spec, say, SAMPLE_FRACTION, SAMPLE_SEED, True
        )
        self._drawn = (sample.portfolio, sample, ref, base_dir)
        return sample.portfolio

    def adopt(self, portfolio: Portfolio) -> None:
        """The portfolio now tuned: a drawn sample, or a book in memory."""
        drawn = self._drawn
        if drawn is not None and drawn[0] is portfolio:
            self.sample, self.ref, self.base_dir = drawn[1], drawn[2], drawn[3]
            self.notes = [sample_note(drawn[1])]
        else:
            self.sample, self.ref, self.base_dir, self.notes = None, None, None, []
        self._drawn, self.confirmed = None, None

    def shown(self, view: View, engine: Engine, settings: Settings, baseline: Result) -> View:
        """``view`` as the book's estimates (and, once confirmed for this state, the exact
        figures with the estimates beside them)."""
        sample = self.sample
        if sample is None or engine.portfolio is not sample.portfolio:
            return view
        result = engine.simulate(settings=settings)  # every customer's classification, for the breakdown
        estimates = estimates_of(result, baseline, sample)
        comparison = estimates.comparison or view.comparison
        weights = sample.customer_weights
        values = engine.metric(view.metric, settings.params, settings.options)
        hist = view.histogram and weighted_histogram(
            values, weights, len(view.histogram.counts), view.histogram.log
        )
        near = view.near and near_threshold(values, view.near.threshold, view.near.band, weights=weights)
        view = replace(
            view,
            result=estimates.figures,
            comparison=comparison,
            estimates=estimates,
            histogram=hist,
            near=near,
        )
        confirmed = self.confirmed
        if confirmed is not None and confirmed.state == view.state and confirmed.comparison is not None:
            view = replace(view, result=confirmed.figures, comparison=confirmed.comparison, exact=True)
        return view

    def confirm(self, say: Callable[[Text], object]) -> Confirmed:
        """The exact figures of the full book for the state edited now, computed on the
        cluster (in a worker: minutes on a big book)."""
        if self.ref is None:
            raise WorkbenchError(
                "the book is in memory: its figures are exact already", zh="名单已在内存中,数字已是精确值"
            )
        live = self.live
        state = live.edit.state
        scenario = live.edit.to_scenario()
        baseline = live.baseline
        if baseline is None or baseline.scheme != scenario.scheme:  # as the tuner compares
            baseline = Scenario(scheme=scenario.scheme, name=f"{scenario.scheme} defaults")
        [run] = cluster_runs(
            live.runs, [Pairing(scenario, baseline)], self.ref, self.base_dir, self.spec, say
        )
        self.confirmed = Confirmed(state, run.result, run.comparison)
        return self.confirmed

    def compare(self, scenarios: list[Scenario], say: Callable[[Text], object]) -> list[Run]:
        """Scenarios side by side on the full book, against the first (on the cluster)."""
        assert self.ref is not None
        pairings = [Pairing(s, scenarios[0]) for s in scenarios]
        return cluster_runs(self.live.runs, pairings, self.ref, self.base_dir, self.spec, say)

    def refuse_planning(self) -> None:
        """Sweep, solve and explain read every customer: not on a sample of the book."""
        if self.active:
            raise WorkbenchError(
                "on a sample of a book too big for memory, sweep, solve and explain run from the "
                "command line on the cluster (workbench sweep ... --engine dask); compare, export and F "
                "run on the full book",
                zh="在超出内存的名单的样本上,扫描、求解和解释请在命令行用集群运行"
                "(workbench sweep ... --engine dask);对比、导出和 F 会用全量名单计算",
            )
