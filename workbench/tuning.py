"""Incremental re-simulation: the cost of a threshold change grows with the customers
who can change tier, not with the portfolio.

A ``Tuner`` keeps one scheme's classification of one portfolio, its per-tier
aggregates and its migration matrix against a baseline, and brings them up to
date as settings change:

- a threshold change flips the criterion only for customers whose metric lies
  between the old and the new threshold: with the metric's sort order
  (``prepare``), a contiguous slice. Only those customers are classified again,
  and the aggregates and the migration matrix are corrected by their moves;
- a cost assumption change touches no customer: costs come from the aggregates;
- a weight or option change, a custom ``classify`` scheme, or a change that
  reaches more than ``FULL_SHARE`` of the customers takes the full path.

Tier AUM is kept in whole fen, so sums corrected customer by customer equal a
full recount exactly. Results share the tuner's per-customer arrays: they are
valid until the next ``update``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from workbench.costs import resolve_assumptions
from workbench.engine import Engine, Settings
from workbench.model import applies
from workbench.result import Classification, Comparison, Result, breakdown_codes, breakdown_labels, cost_lines

FULL_SHARE = 0.2


@dataclass(frozen=True)
class SortOrder:
    """A metric's values in ascending order and the rows they belong to (NaN last)."""

    values: np.ndarray  # the metric array this order is for (identity matters)
    order: np.ndarray  # int32 row numbers
    ascending: np.ndarray  # values[order]

    def rows_between(self, low: float, high: float, strict: bool) -> np.ndarray:
        """Rows whose value lies in [low, high) (or (low, high] when ``strict``)."""
        side = "right" if strict else "left"
        start = np.searchsorted(self.ascending, low, side=side)
        stop = np.searchsorted(self.ascending, high, side=side)
        return self.order[start:stop]

    def count_between(self, low: float, high: float) -> int:
        """Customers with ``low <= value < high``."""
        start = np.searchsorted(self.ascending, low, side="left")
        stop = np.searchsorted(self.ascending, high, side="left")
        return int(stop - start)


def sort_order(values: np.ndarray) -> SortOrder:
    order = np.argsort(values, kind="quicksort").astype(np.int32)
    return SortOrder(values, order, values[order])


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
        self._orders: dict[int, SortOrder] = {}
        self._orders_lock = threading.Lock()
        self._assumptions: tuple[object, tuple] | None = None
        self.baseline = baseline
        self._full(settings)

    # -- sort orders ------------------------------------------------------------

    def threshold_metrics(self, settings: Settings | None = None) -> list[np.ndarray]:
        """The metric arrays compared with threshold parameters, under ``settings``."""
        settings = settings or self.settings
        ids = {c.metric for t in self.scheme.tiers for c in t.criteria if isinstance(c.threshold, str)}
        return [self.engine.metric(m, settings.params, settings.options) for m in sorted(ids)]

    def prepare(self, on_progress: Callable[[int, int], None] | None = None, threads: int = 2) -> None:
        """Sort the threshold metrics (in parallel: numpy sorts release the GIL)."""
        if self.scheme.classify is not None:
            return
        missing = [v for v in self.threshold_metrics() if self.order_for(v) is None]
        done = 0
        with ThreadPoolExecutor(max_workers=max(1, threads)) as pool:
            for order in pool.map(sort_order, missing):
                with self._orders_lock:
                    self._orders = {k: o for k, o in self._orders.items() if self._current(o)}
                    self._orders[id(order.values)] = order
                done += 1
                if on_progress:
                    on_progress(done, len(missing))

    def _current(self, order: SortOrder) -> bool:
        return any(order.values is v for v in self.threshold_metrics())

    def order_for(self, values: np.ndarray) -> SortOrder | None:
        with self._orders_lock:
            order = self._orders.get(id(values))
        return order if order is not None and order.values is values else None

    @property
    def prepared(self) -> bool:
        return self.scheme.classify is not None or all(
            self.order_for(v) is not None for v in self.threshold_metrics()
        )

    # -- updating ------------------------------------------------------------------

    def update(self, settings: Settings) -> tuple[Result, Comparison]:
        """Bring everything up to ``settings``; ``path`` says how."""
        old = self.settings
        if settings == old:
            self.path, self.moved_last = "same", 0
        elif (
            settings.options != old.options
            or any(
                settings.params[p.id] != old.params[p.id]
                for p in self.scheme.parameters
                if p.kind == "weight"
            )
            or self.scheme.classify is not None
        ):
            self._full(settings)
        elif settings.params == old.params:
            self.settings = settings
            self.path, self.moved_last = "costs", 0
        else:
            rows = self._flipped(old, settings)
            if rows is None or len(rows) > FULL_SHARE * self.engine.portfolio.rows:
                self._full(settings)
            else:
                self._reclassify(rows, settings)
                self.path = "incremental"
        return self.outputs()

    def recompute(self, settings: Settings) -> tuple[Result, Comparison]:
        """Classify every customer again (the full path), whatever changed."""
        self._full(settings)
        return self.outputs()

    def rebase(self, baseline: Result) -> tuple[Result, Comparison]:
        """Compare with another baseline from now on."""
        self.baseline = baseline
        self._migration()
        return self.outputs()

    def _full(self, settings: Settings) -> None:
        c = self.engine.classify(settings)
        self.settings = settings
        self.tiers = c.tiers
        self.base = c.base
        self.qualified = c.qualified
        self.raised = c.raised
        self.overridden = c.overridden
        self.codes = breakdown_codes(self.scheme, c)
        self.fen = self.engine.aum_fen(settings)
        self._count()
        self.path, self.moved_last = "full", int(self.engine.portfolio.rows)

    def _migration(self) -> None:
        self._count()

    def _count(self) -> None:
        """Breakdown, tier AUM and migration in two passes: one count over (baseline tier,
        tier, qualified-by) cells, one AUM sum over (baseline tier, tier) cells."""
        kb, k, c = len(self.baseline.scheme.tiers), self.k, self.c
        wide = np.int32 if kb * k * c >= 2**15 else np.int16
        pair = self.baseline.tiers.astype(wide) * wide(k) + self.tiers
        counts = np.bincount(pair * wide(c) + self.codes, minlength=kb * k * c).reshape(kb, k, c)
        self.breakdown = counts.sum(axis=0)
        self.migration_n = counts.sum(axis=2)
        self.migration_fen = np.bincount(pair, weights=self.fen, minlength=kb * k).reshape(kb, k)
        self.aum_fen_sums = self.migration_fen.sum(axis=0)

    def _flipped(self, old: Settings, new: Settings) -> np.ndarray | None:
        """Rows whose criteria can change outcome; None when a sort order is missing."""
        pieces = []
        for tier in self.scheme.tiers:
            for criterion in tier.criteria:
                pid = criterion.threshold
                if not isinstance(pid, str) or old.params[pid] == new.params[pid]:
                    continue
                if not applies(criterion.when, new.options):
                    continue
                values = self.engine.metric(criterion.metric, new.params, new.options)
                order = self.order_for(values)
                if order is None:
                    return None
                low, high = sorted((old.params[pid], new.params[pid]))
                pieces.append(order.rows_between(low, high, criterion.strict))
        if not pieces:
            return np.empty(0, dtype=np.int32)
        return pieces[0] if len(pieces) == 1 else np.unique(np.concatenate(pieces))

    def _reclassify(self, rows: np.ndarray, settings: Settings) -> None:
        self.settings = settings
        if not len(rows):
            self.moved_last = 0
            return
        rows = np.sort(rows)  # ascending rows: every gather and scatter below reads memory in order
        sub = self.engine.classify(settings, rows=rows)
        new_codes = breakdown_codes(self.scheme, sub)
        old_tiers, old_codes = self.tiers[rows], self.codes[rows]
        changed = (old_tiers != sub.tiers) | (old_codes != new_codes)
        moved = rows[changed]
        self.moved_last = int(changed.sum())
        if len(moved):
            o_t, n_t = old_tiers[changed], sub.tiers[changed]
            o_c, n_c = old_codes[changed], new_codes[changed]
            fen = self.fen[moved]
            size = self.k * self.c
            self.breakdown -= np.bincount(o_t.astype(np.int16) * self.c + o_c, minlength=size).reshape(
                self.k, self.c
            )
            self.breakdown += np.bincount(n_t.astype(np.int16) * self.c + n_c, minlength=size).reshape(
                self.k, self.c
            )
            self.aum_fen_sums -= np.bincount(o_t.view(np.uint8), weights=fen, minlength=self.k)
            self.aum_fen_sums += np.bincount(n_t.view(np.uint8), weights=fen, minlength=self.k)
            kb = len(self.baseline.scheme.tiers)
            b = self.baseline.tiers[moved].astype(np.int16) * np.int16(self.k)
            cells = kb * self.k
            shape = (kb, self.k)
            self.migration_n -= np.bincount(b + o_t, minlength=cells).reshape(shape)
            self.migration_n += np.bincount(b + n_t, minlength=cells).reshape(shape)
            self.migration_fen -= np.bincount(b + o_t, weights=fen, minlength=cells).reshape(shape)
            self.migration_fen += np.bincount(b + n_t, weights=fen, minlength=cells).reshape(shape)
        self.tiers[rows] = sub.tiers
        self.codes[rows] = new_codes
        for name in ("base", "qualified", "raised", "overridden"):
            mine, theirs = getattr(self, name), getattr(sub, name)
            if mine is not None and theirs is not None:
                mine[rows] = theirs

    # -- results ---------------------------------------------------------------------

    def outputs(self) -> tuple[Result, Comparison]:
        """The current result and its comparison with the baseline."""
        counts = self.breakdown.sum(axis=1)
        aum = self.aum_fen_sums / 100.0
        if self._assumptions is None or self._assumptions[0] != self.settings.costs:
            costs = self.settings.costs
            self._assumptions = (costs, resolve_assumptions(self.scheme, self.engine.drivers, costs))
        assumptions = self._assumptions[1]
        classification = Classification(self.tiers, self.base, self.qualified, self.raised, self.overridden)
        result = Result(
            scheme=self.scheme,
            portfolio=self.engine.portfolio,
            settings=self.settings,
            drivers=self.engine.drivers,
            classification=classification,
            aum_fen=self.fen,
            counts=counts,
            aum=aum,
            breakdown=self.breakdown.copy(),
            cost_lines=cost_lines(assumptions, self.engine.drivers, self.scheme, counts, aum),
            defaulted=self.engine.defaulted,
        )
        return result, Comparison(result, self.baseline, self.migration_n.copy(), self.migration_fen / 100.0)
