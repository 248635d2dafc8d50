"""Incremental re-simulation: the cost of a threshold change grows with the customers
who can change tier, not with the portfolio.

A ``Tuner`` keeps one scheme's classification of one portfolio, its per-tier
aggregates and its migration matrix against a baseline, and brings them up to
date as settings change:

- a threshold change flips the criterion only for customers whose metric lies
  between the old and the new threshold: in a ``Layout`` (the customers in
  ascending order of that metric, with co-sorted copies of everything a
  reclassification reads) they are one contiguous slice. Only the slice is
  classified again, and the aggregates and the migration matrix are corrected
  by the difference between its old and new state;
- a cost assumption change touches no customer: costs come from the aggregates;
- a weight or option change, a custom ``classify`` scheme, a change that
  reaches more than ``FULL_SHARE`` of the customers, or one whose layout is not
  prepared (yet) takes the full path.

Each customer's state is two bytes (tier, "qualified by" code), counted and
corrected in compiled passes per block (``workbench.core.fused``); on the full
path, tiers that nest are classified by levels in the same pass
(``workbench.core.levels``), others by ``Engine.classify``. The states of the
customers threshold changes touch are kept in their layout's order too, so a slice's
states are contiguous (``workbench.core.states``). Tier AUM is
kept in whole fen, so sums corrected slice by slice equal a full recount
exactly. Results share the tuner's per-customer arrays: they are valid until
the next ``update``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np

from workbench.core import parallel
from workbench.core.engine import Engine, Subset, whole_fen
from workbench.core.fused import move_states, tally_states
from workbench.core.layouts import Derivation, Layout, SortsAhead, computable
from workbench.core.levels import LevelPlan, level_plan
from workbench.core.memory import give_back
from workbench.core.pages import ordinary_pages
from workbench.core.results import (
    Classification,
    Comparison,
    Result,
    breakdown_labels,
    cost_lines,
    tally,
)
from workbench.core.settings import Settings
from workbench.core.states import CODE, TIER, RowTiers, States

FULL_SHARE = 0.2
AHEAD_FROM_ROWS = 200_000  # smaller portfolios sort in less time than a thread takes to matter


def sort_ahead(engine: Engine, settings: Settings) -> SortsAhead | None:
    """Start sorting the metrics a tuner of ``engine`` under ``settings`` will sort, in the
    background, now that they are computed (``Tuner.take_sorts`` hands them over); None
    for a portfolio too small to gain or a scheme with its own ``classify``."""
    if engine.scheme.classify is not None or engine.portfolio.rows < AHEAD_FROM_ROWS:
        return None
    return SortsAhead(threshold_metrics(engine, settings))


def threshold_metrics(engine: Engine, settings: Settings) -> list[np.ndarray]:
    """The metric arrays compared with threshold parameters, under ``settings``."""
    p, o = settings.params, settings.options
    return [engine.metric(m, p, o) for m in _threshold_ids(engine, settings)]


def _threshold_ids(engine: Engine, settings: Settings) -> list[str]:
    scheme = engine.scheme
    criteria = (c for t in scheme.tiers for c in scheme.criteria_of(t, settings.options))
    return sorted({c.metric for c in criteria if isinstance(c.threshold, str)})


class Tuner:
    """Keeps a classification, its aggregates and its migration up to date."""

    def __init__(self, engine: Engine, settings: Settings, baseline: Result) -> None:
        self.engine = engine
        self.scheme = engine.scheme
        self.labels = breakdown_labels(self.scheme)
        self.k = len(self.scheme.tiers)
        self.c = len(self.labels)
        self.path = "full"
        self.moved_last = 0
        self.states = States(engine.portfolio.rows)
        self._layouts: dict[int, Layout] = {}
        self._lock = threading.Lock()
        self._ahead: SortsAhead | None = None
        self.baseline = baseline
        self._full(settings)

    @property
    def state(self) -> np.ndarray:
        """Each customer's (tier, "qualified by" code), by row."""
        return self.states.rows()

    # -- layouts ------------------------------------------------------------------

    def threshold_metrics(self, settings: Settings | None = None) -> list[np.ndarray]:
        """The metric arrays compared with threshold parameters, under ``settings``."""
        return threshold_metrics(self.engine, settings or self.settings)

    def take_sorts(self, ahead: SortsAhead) -> None:
        """Use the layouts ``ahead`` sorts (or has sorted) instead of sorting them again."""
        self._ahead = ahead

    def _sorting(self, values: np.ndarray) -> Layout:
        ahead = self._ahead
        layout = ahead.take(values) if ahead is not None else None
        return layout if layout is not None else Layout.sorting(values)

    def _reads(self, settings: Settings) -> list[np.ndarray]:
        """What a reclassification under ``settings`` reads, in a layout's order: inputs, AUM
        in fen, baseline tiers. (Read by row instead, fen made a 1% threshold change 1-2 ms
        slower at 10M, a cache miss per moved customer: a layout holding AUM computes its
        slices' fen instead, ``_derivations``.)"""
        arrays = [*self.engine.classify_inputs(settings), self.engine.aum_fen(settings), self.baseline.tiers]
        return list({id(a): a for a in arrays}.values())

    def _derivations(self, settings: Settings) -> list[Derivation]:
        """Reads computed row by row from another: AUM in fen from AUM (a layout that holds
        AUM, as its metric or a classification input, computes fen slice by slice)."""
        return [(self.engine.aum_fen(settings), self.engine.aum_values(settings), whole_fen)]

    def layout_for(self, values: np.ndarray, settings: Settings | None = None) -> Layout | None:
        """The layout ordered by ``values``, if prepared for everything ``settings`` reads."""
        with self._lock:
            layout = self._layouts.get(id(values))
        if layout is None or layout.values is not values:
            return None
        reads = self._reads(settings or self.settings)
        return layout if all(layout.has(a) for a in reads) else None

    @property
    def prepared(self) -> bool:
        return self.scheme.classify is not None or all(
            self.layout_for(v) is not None for v in self.threshold_metrics()
        )

    def prepare(
        self,
        on_progress: Callable[[int, int], None] | None = None,
        should_stop: Callable[[], bool] | None = None,
        threads: int = 2,
    ) -> bool:
        """Sort the threshold metrics and co-sort what reclassification reads, in parallel
        (numpy sorts and gathers release the GIL); safe beside ``update`` in another
        thread. ``on_progress(done, total)`` after each step; ``should_stop()`` before
        each. Returns whether it finished."""
        if self.scheme.classify is not None:
            return True
        give_back()  # what the classification's block-wise passes freed, before the sorts
        settings = self.settings
        metrics, reads = self.threshold_metrics(settings), self._reads(settings)
        derived = self._derivations(settings)
        with self._lock:
            have = {id(v): self._layouts.get(id(v)) for v in metrics}
        sorted_ = {k: v for k, v in have.items() if v is not None and id(v.values) == k}
        to_sort = [v for v in metrics if id(v) not in sorted_]
        skip = {id(v): computable(v, reads, derived) for v in to_sort}
        gathers = sum(1 for v in to_sort for a in reads if a is not v and id(a) not in skip[id(v)])
        gathers += sum(len(v.missing(reads, derived)) for v in sorted_.values())
        done, total = 0, len(to_sort) + gathers

        def step(result: object) -> object:
            nonlocal done
            done += 1
            if on_progress:
                on_progress(done, total)
            return result

        def stopped() -> bool:
            return should_stop is not None and should_stop()

        # Sorted and co-sorted copies are fresh arrays: made with ordinary pages (``Buffers``;
        # here 0.8 instead of 1.0-1.2 s at 10M, and no threshold change slower for it).
        pool = ThreadPoolExecutor(max_workers=max(1, threads), thread_name_prefix="workbench-prepare")
        with ordinary_pages(), pool:

            def run(fn: Callable[[Any], Any], items: list[Any]) -> list[Any] | None:
                def one(item: Any) -> Any:
                    return None if stopped() else step(fn(item))

                futures = [pool.submit(one, item) for item in items]
                results = [f.result() for f in futures]
                return None if stopped() else results

            fresh = run(self._sorting, to_sort)
            if fresh is None:
                return False
            self._ahead = None  # what it sorted is taken; nothing else is wanted of it
            sorted_.update({id(layout.values): layout for layout in fresh})
            layouts = list(sorted_.values())
            jobs = [(layout, array) for layout in layouts for array in layout.missing(reads, derived)]
            # Started longest first (none left alone at the end), kept in the reads' order.
            longest_first = sorted(range(len(jobs)), key=lambda i: -jobs[i][1].nbytes)
            gathered = run(lambda i: jobs[i][0].gather(jobs[i][1]), longest_first)
            if gathered is None:
                return False
        copied = dict(zip(longest_first, gathered, strict=True))
        by_layout: dict[int, list[np.ndarray]] = {}
        for (layout, _), copy in zip(jobs, (copied[i] for i in range(len(jobs))), strict=True):
            by_layout.setdefault(id(layout), []).append(copy)
        ready = {id(v.values): v.with_copies(reads, by_layout.get(id(v), []), derived) for v in layouts}
        with self._lock:
            self._layouts = ready
        if len(ready) == 1 and len(metrics) == 1:  # the states in its order before the first nudge
            self.states.keep_in_order(next(iter(ready.values())).order)
        return True

    # -- updating ------------------------------------------------------------------

    def plan(self, settings: Settings) -> tuple[str, list[tuple[Layout, slice]]]:
        """How ``update(settings)`` would go: its ``path`` and, when incremental, the
        slices it would classify again."""
        old = self.settings
        if settings == old:
            return "same", []
        if settings.params == old.params and settings.options == old.options:
            return "costs", []
        slices = self._slices(old, settings)
        if (
            slices is None
            or sum(w.stop - w.start for _, w in slices) > FULL_SHARE * self.engine.portfolio.rows
        ):
            return "full", []
        return "incremental", slices

    def cost(self, settings: Settings) -> int:
        """How many customers ``update(settings)`` would classify again."""
        path, slices = self.plan(settings)
        if path == "full":
            return self.engine.portfolio.rows
        return sum(w.stop - w.start for _, w in slices)

    def update(self, settings: Settings) -> tuple[Result, Comparison]:
        """Bring everything up to ``settings``; ``path`` says how."""
        with self.states.lock:
            path, slices = self.plan(settings)
            if path == "full":
                self._full(settings)
            else:
                self.settings = settings
                self.moved_last = sum(self._reclassify(layout, where, settings) for layout, where in slices)
                self.path = path
            return self.outputs()

    def recompute(self, settings: Settings) -> tuple[Result, Comparison]:
        """Classify every customer again (the full path), whatever changed."""
        with self.states.lock:
            self._full(settings)
            return self.outputs()

    def rebase(self, baseline: Result) -> tuple[Result, Comparison]:
        """Compare with another baseline from now on (prepared layouts co-sort it)."""
        with self.states.lock:
            return self._rebase(baseline)

    def _rebase(self, baseline: Result) -> tuple[Result, Comparison]:
        self.baseline = baseline
        reads = self._reads(self.settings)
        with self._lock:
            layouts = dict(self._layouts)
        layouts = {k: v.with_copies(reads) for k, v in layouts.items()}
        with self._lock:
            self._layouts = layouts
        self._count()
        return self.outputs()

    def _full(self, settings: Settings) -> None:
        """Classify everyone again, block by block on every core (a block's temporaries
        stay in cache), then count."""
        engine, n = self.engine, self.engine.portfolio.rows
        self._let_go_of_old_sorts(settings)
        known = self._known_classification(settings)
        plan: LevelPlan | None = None
        if known is not None:  # the baseline's own settings: classified already

            def classified(a: int, b: int) -> Classification:
                def cut(flags: np.ndarray | None) -> np.ndarray | None:
                    return None if flags is None else flags[a:b]

                c = known
                flags = (cut(c.base), cut(c.qualified), cut(c.raised), cut(c.overridden))
                return Classification(c.tiers[a:b], *flags)

        elif self.scheme.classify is not None:
            tiers = engine.classify(settings).tiers  # the scheme's own function: tiers only

            def classified(a: int, b: int) -> Classification:
                return Classification(tiers[a:b], None, None, None, None)

        else:
            # The metrics, computed once before the threads read them (a plan's household
            # metrics one value per household).
            plan = level_plan(engine, settings)
            if plan is None:
                engine.classify_inputs(settings)

            def classified(a: int, b: int) -> Classification:
                return engine.classify(settings, Subset(b - a, lambda values: values[a:b]))

        baseline = self.baseline.tiers
        sizes = (len(self.baseline.scheme.tiers), self.k, self.c)
        state = self.states.for_writing()
        counts, fen_sums = np.zeros(sizes, dtype=np.int64), np.zeros(sizes[:2])
        with engine.aum_fen_by_blocks(settings) as (fen, fill):

            def block(a: int, b: int) -> tuple[np.ndarray, np.ndarray]:
                fill(a, b)  # the block's fen, if new, read again from cache as it is counted
                if plan is not None:  # nested tiers: classified and counted in one compiled pass
                    return plan.tally(a, b, baseline[a:b], fen[a:b], state[a:b], sizes)
                c = classified(a, b)
                return tally_states(self.scheme, c, baseline[a:b], fen[a:b], state[a:b], sizes)

            # Summed in block order: the same sums on any machine.
            for part_counts, part_fen in parallel.map_blocks(n, block):
                counts += part_counts
                fen_sums += part_fen
        self.settings, self.fen = settings, engine.aum_fen(settings)
        self._set_totals(counts, fen_sums)
        self.path, self.moved_last = "full", n
        self._let_go_of_stale(settings)

    def _let_go_of_old_sorts(self, settings: Settings) -> None:
        """Before a full recompute, drop the layouts sorted by metric arrays ``settings``
        will not use (weights or options changed, metrics forgotten): their memory goes
        back before new metrics are made, and the engine may write those again."""
        p, o = settings.params, settings.options
        known = (self.engine.known_metric(m, p, o) for m in _threshold_ids(self.engine, settings))
        current = {id(v): v for v in known}
        if self._ahead is not None:
            self._ahead.keep_only(current.values())
        if not self._layouts:
            return
        with self._lock:
            self._layouts = {k: v for k, v in self._layouts.items() if current.get(k) is v.values}

    def _let_go_of_stale(self, settings: Settings) -> None:
        """Drop layouts sorted by metric arrays no longer in use, and co-sorted copies of
        arrays no longer read (a weight or a full recompute made new ones): nothing can use
        them again, and at 10M each layout holds hundreds of MB until the next ``prepare``."""
        if not self._layouts or self.scheme.classify is not None:
            return
        metrics = {id(v): v for v in self.threshold_metrics(settings)}
        reads = self._reads(settings)
        with self._lock:
            self._layouts = {
                k: layout.keeping(reads)
                for k, layout in self._layouts.items()
                if metrics.get(k) is layout.values
            }

    def _known_classification(self, settings: Settings) -> Classification | None:
        """The baseline's classification when it is the one ``settings`` give: the same
        scheme, book, parameters and options, classified in full by the engine."""
        base = self.baseline
        c = base.classification
        same = (
            base.scheme is self.scheme
            and base.book is self.engine.portfolio
            and base.settings.params == settings.params
            and base.settings.options == settings.options
        )
        return c if same and (c.qualified is not None or self.scheme.classify is not None) else None

    def _count(self) -> None:
        """Breakdown, tier AUM and migration, counted again from the state."""
        baseline = (self.baseline.tiers, len(self.baseline.scheme.tiers))
        tiers = (self.state[:, TIER], self.k)
        counts = tally((baseline, tiers, (self.state[:, CODE], self.c)))
        self._set_totals(counts, tally((baseline, tiers), weights=self.fen))

    def _set_totals(self, counts: np.ndarray, fen: np.ndarray) -> None:
        """From customers by (baseline tier, tier, qualified-by) and fen by (baseline tier, tier)."""
        self.breakdown = counts.sum(axis=0)
        self.migration_n = counts.sum(axis=2)
        self.migration_fen = fen
        self.aum_fen_sums = fen.sum(axis=0)

    def _threshold_only(self, param_id: str) -> bool:
        """Whether a parameter is read only as a criterion's threshold (not by a metric)."""
        return all(param_id not in m.parameters for m in self.scheme.metrics)

    def _slices(self, old: Settings, new: Settings) -> list[tuple[Layout, slice]] | None:
        """Where in which layouts the customers are whose criteria can change outcome;
        None when the change needs the full path."""
        if (
            self.scheme.classify is not None
            or new.options != old.options
            or new.params.keys() != old.params.keys()
        ):
            return None
        changed = [p for p in new.params if new.params[p] != old.params[p]]
        if not all(self._threshold_only(p) for p in changed):
            return None
        slices = []
        for tier in self.scheme.tiers:
            for criterion in self.scheme.criteria_of(tier, new.options):
                pid = criterion.threshold
                if pid not in changed:
                    continue
                values = self.engine.metric(criterion.metric, new.params, new.options)
                layout = self.layout_for(values, new)
                if layout is None:
                    return None
                low, high = sorted((old.params[pid], new.params[pid]))
                slices.append((layout, layout.between(low, high, criterion.strict)))
        return slices

    def _reclassify(self, layout: Layout, where: slice, settings: Settings) -> int:
        """Classify one slice again; correct the aggregates by its old and new states.
        Large slices go block by block on every core. Returns how many changed tier."""
        sizes = (len(self.baseline.scheme.tiers), self.k, self.c)
        state = self.states.in_order(layout.order, where)  # the slice's states contiguous

        def block(a: int, b: int) -> tuple[np.ndarray, np.ndarray, int]:
            part = slice(where.start + a, where.start + b)
            sub = self.engine.classify(settings, Subset(b - a, lambda values: layout.take(values, part)))
            # Each customer is in one block: no two blocks write a customer's state.
            return move_states(
                self.scheme,
                sub,
                np.arange(part.start, part.stop),
                layout.take(self.baseline.tiers, part),
                layout.take(self.fen, part),
                state,
                sizes,
            )

        moved = 0
        for counts, aum, movers in parallel.map_blocks(max(0, where.stop - where.start), block):
            self.breakdown += counts.sum(axis=0)
            self.migration_n += counts.sum(axis=2)
            self.migration_fen += aum
            self.aum_fen_sums += aum.sum(axis=0)
            moved += movers
        return moved

    # -- results ---------------------------------------------------------------------

    def classification(self) -> Classification:
        """Each customer's full classification (base tier, groups met, floors, overrides),
        classified again in full: the tuner itself keeps only tiers and qualified-by codes."""
        return self.engine.classify(self.settings)

    def outputs(self) -> tuple[Result, Comparison]:
        """The current result and its comparison with the baseline."""
        counts = self.breakdown.sum(axis=1)
        aum = self.aum_fen_sums / 100.0
        assumptions = self.settings.assumptions
        result = Result(
            scheme=self.scheme,
            book=self.engine.portfolio,
            settings=self.settings,
            drivers=self.engine.drivers,
            classification=RowTiers(self.states),
            aum_fen=self.fen,
            counts=counts,
            aum=aum,
            breakdown=self.breakdown.copy(),
            cost_lines=cost_lines(assumptions, self.engine.drivers, self.scheme, counts, aum),
            defaulted=self.engine.defaulted,
        )
        return result, Comparison(result, self.baseline, self.migration_n.copy(), self.migration_fen / 100.0)
