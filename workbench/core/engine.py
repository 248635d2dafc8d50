"""The engine: evaluates a scheme's declarations on a portfolio.

It knows nothing of any bank. Metrics are computed once per combination of
the weights and options they depend on and kept, so a threshold change only
compares and counts. Everything is numpy-vectorised: no Python loop over
customers.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np
from numba import njit

from workbench.core.buffers import Buffers
from workbench.core.gathering import gathered
from workbench.core.kernels import evaluate, household_values
from workbench.core.pages import ordinary_pages
from workbench.core.parallel import map_blocks
from workbench.core.portfolio import Portfolio
from workbench.core.results import Classification, Result, aggregate
from workbench.core.settings import Settings
from workbench.errors import PortfolioError, SchemeError, WorkbenchError
from workbench.scheme.assumptions import CostOverrides
from workbench.scheme.drivers import BUILTIN_DRIVERS, CostDriver
from workbench.scheme.metrics import HouseholdAggregate, MetricContext
from workbench.scheme.model import ClassifyContext, Condition, Criterion, Flag, Metric, Scheme, applies

DEFAULT_DRIVERS: dict[str, CostDriver] = {d.id: d for d in BUILTIN_DRIVERS}


IN_BLOCKS_FROM = 1 << 20  # customers from which a full classification runs block by block
CLASSIFY_BLOCK = 1 << 18  # rows a block: its bool temporaries stay in cache (measured: 2.5x one pass)


@dataclass(frozen=True)
class Subset:
    """Some customers to classify: how many, and how to read their values from a
    per-customer array (a gather by row, or a slice of a co-sorted copy)."""

    size: int
    take: Callable[[np.ndarray], np.ndarray]

    @classmethod
    def rows(cls, rows: np.ndarray) -> Subset:
        return cls(len(rows), lambda values: np.take(values, rows))

    @classmethod
    def span(cls, start: int, stop: int) -> Subset:
        """Rows ``start`` to ``stop``: views, no copies."""
        return cls(stop - start, lambda values: values[start:stop])


def whole_fen(values: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """AUM in whole fen as float64 (exact integers), NaN as 0: row by row, so the fen of
    any slice is the slice of the fen. One compiled pass; numpy's ``rint(values * 100)``
    to the bit (tested)."""
    out = np.empty(len(values), dtype=np.float64) if out is None else out
    _whole_fen(values, out)
    return out


@njit(nogil=True, cache=True)
def _whole_fen(values: np.ndarray, out: np.ndarray) -> None:  # pragma: no cover - compiled
    for i in range(len(values)):
        fen = np.rint(values[i] * 100.0)
        out[i] = 0.0 if fen != fen else fen


def _fill_nothing(start: int, stop: int) -> None:
    """``Engine.aum_fen_by_blocks``'s fill for fen already known."""


def columns_read(scheme: Scheme) -> tuple[str, ...]:
    """The columns a scheme's figures depend on: read by metrics, flags or overrides."""
    read = [c for m in scheme.metrics for c in m.columns]
    read += [leaf.column for t in scheme.tiers for _, leaf in scheme.leaves(t) if isinstance(leaf, Flag)]
    read += [o.column for o in scheme.overrides]
    return tuple(dict.fromkeys(c for c in read if c != "customer_id"))


def columns_needed(scheme: Scheme) -> set[str]:
    """Every column a scheme's figures may read: required, optional and read by its rules."""
    return {*scheme.required_columns, *scheme.optional_columns, *columns_read(scheme)}


class Engine:
    """Simulates one scheme on one portfolio, keeping metrics between runs."""

    def __init__(
        self,
        scheme: Scheme,
        portfolio: Portfolio,
        drivers: Mapping[str, CostDriver] | None = None,
    ) -> None:
        self.scheme = scheme
        self.portfolio = portfolio
        self.drivers = dict(drivers or DEFAULT_DRIVERS)
        for column in scheme.new_columns:
            portfolio.columns_spec.setdefault(column.name, column)
        missing = portfolio.missing(scheme.required_columns)
        if missing:
            raise portfolio.missing_error(scheme.id, missing)
        self.defaulted = tuple(portfolio.missing(self.columns_read()))
        self._metrics: dict[tuple[str, tuple[Any, ...]], np.ndarray] = {}
        self._by_household: dict[tuple[str, tuple[Any, ...]], np.ndarray] = {}
        self._overrides: dict[str, np.ndarray] = {}
        self._fen: tuple[np.ndarray, np.ndarray] | None = None
        self.buffers = Buffers()  # metrics and fen written again once nothing reads them
        # Metrics are computed once even when threads ask together (a background
        # preparation and a recompute): identity of the arrays matters to the tuner.
        self._computing = threading.RLock()

    def columns_read(self) -> tuple[str, ...]:
        """The columns figures depend on: read by metrics or overrides."""
        return columns_read(self.scheme)

    # -- settings ----------------------------------------------------------

    def settings(
        self,
        params: Mapping[str, Any] | None = None,
        options: Mapping[str, Any] | None = None,
        costs: CostOverrides | None = None,
        where: str = "",
    ) -> Settings:
        """Checked settings for this engine's scheme (see ``Settings.checked``)."""
        return Settings.checked(self.scheme, self.drivers, params, options, costs, where)

    # -- metrics -----------------------------------------------------------

    def _context(self, params: Mapping[str, float], options: Mapping[str, str]) -> MetricContext:
        p = self.portfolio
        return MetricContext(
            columns=p.array,
            households=lambda: p.households,
            params=params,
            options=options,
            tier_ids=self.scheme.tier_ids,
            categories=p.categories,
            rows=p.rows,
            empty=lambda dtype: self.buffers.empty(p.rows, dtype),
        )

    def forget_metrics(self) -> None:
        """Drop the computed metrics (they are computed again when next needed)."""
        with self._computing:
            self.buffers.release(*self._metrics.values(), *(self._fen or ()))
            self._metrics.clear()
            self._by_household.clear()
            self._fen = None

    def metric(self, metric_id: str, params: Mapping[str, float], options: Mapping[str, str]) -> np.ndarray:
        """A metric's values; recomputed only when its weights or options change."""
        m = self.scheme.metric(metric_id)
        key = self._metric_key(m, params, options)
        return self._once(self._metrics, key, lambda: self._compute_metric(m, key, params, options))

    def _once(
        self, kept: Mapping[Any, np.ndarray], key: Any, compute: Callable[[], np.ndarray]
    ) -> np.ndarray:
        """``kept[key]``, computed (by ``compute``, which keeps it) once even when threads
        ask together: identity of the arrays matters to the tuner."""
        cached = kept.get(key)
        if cached is not None:
            return cached
        with self._computing:
            cached = kept.get(key)
            return cached if cached is not None else compute()

    def known_metric(
        self, metric_id: str, params: Mapping[str, float], options: Mapping[str, str]
    ) -> np.ndarray | None:
        """A metric's values if computed already for these weights and options (never
        computes them)."""
        return self._metrics.get(self._metric_key(self.scheme.metric(metric_id), params, options))

    @staticmethod
    def _metric_key(
        m: Metric, params: Mapping[str, float], options: Mapping[str, str]
    ) -> tuple[str, tuple[Any, ...]]:
        return (m.id, tuple(params[p] for p in m.parameters) + tuple(options[o] for o in m.options))

    def metric_by_household(
        self, metric_id: str, params: Mapping[str, float], options: Mapping[str, str]
    ) -> np.ndarray | None:
        """A metric that is one value per household (a household aggregate) as those values,
        a NaN first for customers without one (``Households.per_household``): ``values[
        portfolio.households.codes + 1]`` is every customer's. None for other metrics. Never
        makes a value per customer: a full classification looks the households up."""
        m = self.scheme.metric(metric_id)
        if not isinstance(m.spec, HouseholdAggregate):
            return None
        key, spec = self._metric_key(m, params, options), m.spec
        return self._once(
            self._by_household, key, lambda: self._compute_by_household(m, spec, key, params, options)
        )

    def _compute_by_household(
        self,
        m: Metric,
        spec: HouseholdAggregate,
        key: tuple[str, tuple[Any, ...]],
        params: Mapping[str, float],
        options: Mapping[str, str],
    ) -> np.ndarray:
        values = self._evaluated(m.id, lambda: household_values(self._context(params, options), spec))
        if m.decimals is not None:
            np.round(values, m.decimals, out=values)
        values.setflags(write=False)
        for old in [k for k in self._by_household if k[0] == m.id]:
            del self._by_household[old]
        self._by_household[key] = values
        return values

    def _evaluated(self, metric_id: str, compute: Callable[[], np.ndarray]) -> np.ndarray:
        """``compute()`` with ordinary pages (``Buffers``), its failures reported as the scheme's."""
        try:
            with ordinary_pages():
                return compute()
        except WorkbenchError:
            raise
        except Exception as exc:
            raise SchemeError(
                f"scheme {self.scheme.id!r} failed computing metric {metric_id!r}: "
                f"{type(exc).__name__}: {exc}"
            ) from exc

    def _compute_metric(
        self,
        m: Metric,
        key: tuple[str, tuple[Any, ...]],
        params: Mapping[str, float],
        options: Mapping[str, str],
    ) -> np.ndarray:
        metric_id = m.id
        context = self._context(params, options)
        decimals = m.decimals
        if isinstance(m.spec, HouseholdAggregate):  # rounded per household already
            per_household = self.metric_by_household(metric_id, params, options)
            assert per_household is not None
            spread = context.households.spread
            values = self._evaluated(metric_id, lambda: spread(per_household, context.empty()))
            decimals = None
        elif m.spec is not None:
            spec = m.spec
            values = self._evaluated(metric_id, lambda: evaluate(spec, context))
        elif m.compute is not None:
            compute = m.compute
            values = self._evaluated(metric_id, lambda: np.asarray(compute(context), dtype=np.float64))
        else:
            raise SchemeError(f"scheme {self.scheme.id!r}: metric {metric_id!r} has no spec or compute")
        if values.shape != (self.portfolio.rows,):
            raise SchemeError(
                f"scheme {self.scheme.id!r}: metric {metric_id!r} returned shape {values.shape}, "
                f"expected ({self.portfolio.rows},)"
            )
        if decimals is not None:
            out = values if self.buffers.owns(values) else self.buffers.empty(len(values))
            values = np.round(values, decimals, out=out)
        values.setflags(write=False)
        # Keep the latest values per metric only: weights change often while tuning.
        for old in [k for k in self._metrics if k[0] == metric_id]:
            self.buffers.release(self._metrics.pop(old))
        self._metrics[key] = values
        return values

    @staticmethod
    def limit(criterion: Criterion, params: Mapping[str, float], index: int) -> float:
        """What a criterion compares with: its parameter's value, its constant, or (for a
        tier rank) the tier's own index."""
        if criterion.threshold is None:
            return float(index)
        if isinstance(criterion.threshold, str):
            return float(params[criterion.threshold])
        return float(criterion.threshold)

    def flag(self, column: str) -> np.ndarray:
        """A yes/no column as a bool array (false where the file leaves it out)."""
        values = self.portfolio.array(column)
        if values.dtype != np.bool_:
            raise SchemeError(
                f"scheme {self.scheme.id!r}: a condition reads {column!r} as yes/no, "
                f"but the column holds {self.portfolio.spec(column).kind} values",
                zh=f"方案 {self.scheme.id!r}:条件把 {column!r} 当作是/否列,但该列是 "
                f"{self.portfolio.spec(column).kind} 值",
            )
        return values

    def override_codes(self, column: str) -> np.ndarray:
        """An override column as tier indexes (-1 where empty), checked."""
        return self._once(self._overrides, column, lambda: self._compute_override_codes(column))

    def _compute_override_codes(self, column: str) -> np.ndarray:
        distinct, values = self.portfolio.distinct(column)
        lookup: dict[str, int] = {"": -1}
        for i, tier in enumerate(self.scheme.tiers):
            for label in (tier.id, tier.name.en, tier.name.zh):
                lookup[label.strip().lower()] = i
        mapped = np.array([lookup.get(v.strip().lower(), -2) for v in values], dtype=np.int8)
        if (mapped == -2).any():  # a value that is no tier: the rows holding it, if any
            bad = np.flatnonzero(mapped[distinct] == -2)
            if len(bad):
                rows = "; ".join(
                    f"{self.portfolio.where(int(i), column)}: found {values[distinct[i]]!r}" for i in bad[:5]
                )
                tiers = ", ".join(self.scheme.tier_ids)
                raise PortfolioError(f"{rows} — expected a tier of {self.scheme.id} ({tiers}) or empty")
        codes = gathered(mapped, distinct)  # each row's value's tier (-1 where empty)
        self._overrides[column] = codes
        return codes

    # -- classification ----------------------------------------------------

    def classify_inputs(self, settings: Settings) -> list[np.ndarray]:
        """The per-customer arrays ``classify`` reads under ``settings`` (built-in rules)."""
        params, options = settings.params, settings.options
        arrays = {}
        for tier in self.scheme.tiers:
            for _, leaf in self.scheme.leaves(tier, options):
                if isinstance(leaf, Flag):
                    values = self.flag(leaf.column)
                else:
                    values = self.metric(leaf.metric, params, options)
                arrays[id(values)] = values
        for floor in self.scheme.floors:
            if applies(floor.when, options):
                values = self.metric(floor.metric, params, options)
                arrays[id(values)] = values
        for override in self.scheme.overrides:
            if applies(override.when, options):
                codes = self.override_codes(override.column)
                arrays[id(codes)] = codes
        return list(arrays.values())

    def classify(self, settings: Settings, subset: Subset | None = None) -> Classification:
        """Each customer's tier, and how they got there; only for ``subset`` when given
        (the same values as the full classification for those customers)."""
        scheme = self.scheme
        params, options = settings.params, settings.options
        n = self.portfolio.rows if subset is None else subset.size

        taken: dict[int, np.ndarray] = {}

        def at(values: np.ndarray) -> np.ndarray:
            """The subset's values, read once per array."""
            if subset is None:
                return values
            mine = taken.get(id(values))
            if mine is None:
                mine = taken[id(values)] = subset.take(values)
            return mine

        if subset is None and scheme.classify is None and self.portfolio.rows >= IN_BLOCKS_FROM:
            return self._classify_in_blocks(settings)
        if scheme.classify is not None:
            full = self._classify_custom(params, options)
            if subset is None:
                return full
            return Classification(subset.take(full.tiers), None, None, None, None)
        groups = [g.id for g in scheme.groups]
        base = np.zeros(n, dtype=np.int8)
        qualified = np.zeros(n, dtype=np.uint8)
        mask = np.zeros(n, dtype=np.uint8)

        def holds(node: Condition, index: int) -> np.ndarray | None:
            """Where ``node`` holds (a fresh bool array), None when options switch it off;
            sets its group's bit in ``mask`` where it holds."""
            if not applies(node.when, options):
                return None
            met: np.ndarray | None
            if isinstance(node, Criterion):
                values = at(self.metric(node.metric, params, options))
                limit = self.limit(node, params, index)
                met = values > limit if node.strict else values >= limit
            elif isinstance(node, Flag):
                met = at(self.flag(node.column)).copy()
            else:
                met = None
                for item in node.items:
                    part = holds(item, index)  # noqa: F821 (unbound by ``del holds`` below, once done)
                    if part is None:
                        continue
                    if met is None:
                        met = part  # a fresh array: combined in place below
                    elif node.combine == "any":
                        np.logical_or(met, part, out=met)
                    else:
                        np.logical_and(met, part, out=met)
                if met is None:
                    return None
            if node.group in groups:
                bit = np.uint8(1 << groups.index(node.group))
                np.bitwise_or(mask, met.view(np.uint8) * bit, out=mask)
            return met

        for index in range(1, len(scheme.tiers)):
            mask.fill(0)
            met = holds(scheme.conditions(scheme.tiers[index]), index)
            if met is None:
                continue
            # Branch-free updates (masked assignment is many times slower): tiers are visited
            # low to high, so the maximum is the highest tier whose criteria hold, and the
            # qualified mask is replaced where this tier holds.
            np.maximum(base, met.view(np.int8) * np.int8(index), out=base)
            select = (-met.view(np.int8)).view(np.uint8)
            np.bitwise_xor(qualified, (qualified ^ mask) & select, out=qualified)
        tiers = base
        raised = overridden = None
        floors = [f for f in scheme.floors if applies(f.when, options)]
        if floors:
            tiers = base.copy()
            for floor in floors:
                rank = at(self.metric(floor.metric, params, options)).astype(np.int8)
                np.maximum(tiers, rank, out=tiers)
            raised = tiers > base
        overrides = [o for o in scheme.overrides if applies(o.when, options)]
        if overrides:
            tiers = tiers.copy() if tiers is base else tiers
            overridden = np.zeros(n, dtype=bool)
            for override in overrides:
                codes = at(self.override_codes(override.column))
                has = codes >= 0
                np.copyto(tiers, codes, where=has)
                overridden |= has
        # ``holds`` refers to itself: unbind it, so the subset's views (and the arrays
        # they keep) go now, not at the next garbage collection.
        del holds
        taken.clear()
        has_base = bool(scheme.floors or scheme.overrides)
        return Classification(
            tiers=tiers,
            base=base if has_base else None,
            qualified=qualified,
            raised=raised,
            overridden=overridden,
        )

    def _classify_in_blocks(self, settings: Settings) -> Classification:
        """Every customer, a block of rows at a time on every core: a block's temporaries
        stay in cache where whole-portfolio passes would stream them through memory. The
        same values as one pass (each row's tier depends on its own row only). Tiers that
        nest are classified by levels (``core.levels``: compiled, and a household metric is
        looked up per household)."""
        from workbench.core.levels import classification  # it builds on this module

        by_levels = classification(self, settings)
        if by_levels is not None:
            return by_levels
        self.classify_inputs(settings)  # every array the blocks read, made first: no nested passes
        parts = map_blocks(
            self.portfolio.rows, lambda a, b: self.classify(settings, Subset.span(a, b)), block=CLASSIFY_BLOCK
        )

        def joined(field: str) -> np.ndarray | None:
            values = [getattr(p, field) for p in parts]
            return None if values[0] is None else np.concatenate(values)

        tiers = joined("tiers")
        assert tiers is not None
        return Classification(
            tiers, joined("base"), joined("qualified"), joined("raised"), joined("overridden")
        )

    def _classify_custom(self, params: Mapping[str, float], options: Mapping[str, str]) -> Classification:
        scheme = self.scheme
        assert scheme.classify is not None
        metrics = {m.id: self.metric(m.id, params, options) for m in scheme.metrics}
        try:
            tiers = np.asarray(
                scheme.classify(ClassifyContext(metrics, params, options, self._context(params, options)))
            )
        except WorkbenchError:
            raise
        except Exception as exc:
            raise SchemeError(
                f"scheme {scheme.id!r} failed while classifying: {type(exc).__name__}: {exc}"
            ) from exc
        if tiers.shape != (self.portfolio.rows,) or tiers.dtype.kind not in "iu":
            raise SchemeError(
                f"scheme {scheme.id!r}: classify returned {tiers.dtype} of shape {tiers.shape}; "
                f"expected integer tier indexes of shape ({self.portfolio.rows},)"
            )
        if len(tiers) and (tiers.min() < 0 or tiers.max() >= len(scheme.tiers)):
            raise SchemeError(
                f"scheme {scheme.id!r}: classify returned tier indexes outside 0..{len(scheme.tiers) - 1}"
            )
        return Classification(
            tiers=tiers.astype(np.int8), base=None, qualified=None, raised=None, overridden=None
        )

    # -- simulation --------------------------------------------------------

    def aum_values(self, settings: Settings) -> np.ndarray:
        return self.metric(self.scheme.aum_measure, settings.params, settings.options)

    def aum_fen(self, settings: Settings) -> np.ndarray:
        """Each customer's AUM in whole fen (as float64, exact): tier sums of these are exact
        integers, so sums updated customer by customer equal a full recount to the fen."""
        values = self.aum_values(settings)
        cached = self._fen
        if cached is not None and cached[0] is values:
            return cached[1]
        with self._computing:
            return self._compute_fen(values)

    def _compute_fen(self, values: np.ndarray) -> np.ndarray:
        cached = self._fen
        if cached is not None and cached[0] is values:
            return cached[1]
        fen = self.buffers.empty(len(values))
        # A block at a time: each pass reads it from cache.
        map_blocks(len(values), lambda a, b: whole_fen(values[a:b], fen[a:b]))
        return self._keep_fen(values, fen)

    @contextmanager
    def aum_fen_by_blocks(
        self, settings: Settings
    ) -> Iterator[tuple[np.ndarray, Callable[[int, int], None]]]:
        """``aum_fen``'s array for a pass over blocks to fill on its way, and ``fill(a, b)``
        that writes rows ``a:b`` (nothing when the fen were known): the pass then reads
        each block's fen from cache, where a pass of their own reads the AUM and the
        counting pass reads the fen again from memory. Kept (``aum_fen`` returns them)
        when the pass completes; an exception leaves them unknown."""
        values = self.aum_values(settings)
        cached = self._fen
        if cached is not None and cached[0] is values:
            yield cached[1], _fill_nothing
            return
        fen = self.buffers.empty(len(values))

        def fill(start: int, stop: int) -> None:
            whole_fen(values[start:stop], fen[start:stop])

        try:
            yield fen, fill
        except BaseException:
            self.buffers.release(fen)  # written again once nothing holds it
            raise
        with self._computing:
            self._keep_fen(values, fen)

    def _keep_fen(self, values: np.ndarray, fen: np.ndarray) -> np.ndarray:
        """``fen`` kept as ``values``' fen unless another thread kept theirs meanwhile."""
        cached = self._fen
        if cached is not None and cached[0] is values:
            self.buffers.release(fen)
            return cached[1]
        self.buffers.release(*(cached or ()))
        fen.setflags(write=False)
        self._fen = (values, fen)
        return fen

    def simulate(
        self,
        params: Mapping[str, Any] | None = None,
        options: Mapping[str, Any] | None = None,
        costs: CostOverrides | None = None,
        settings: Settings | None = None,
    ) -> Result:
        """Tiers, per-tier figures and costs for one set of settings."""
        settings = settings or self.settings(params, options, costs)
        assumptions = settings.assumptions
        with ordinary_pages():  # fresh arrays written in order (``Buffers``)
            classification = self.classify(settings)
        aum_fen = self.aum_fen(settings)
        return aggregate(
            scheme=self.scheme,
            portfolio=self.portfolio,
            settings=settings,
            assumptions=assumptions,
            drivers=self.drivers,
            classification=classification,
            aum_fen=aum_fen,
            defaulted=self.defaulted,
        )

    def explain_metrics(self, settings: Settings) -> dict[str, np.ndarray]:
        """The scheme's explanation metrics per customer (for classify output)."""
        return {m: self.metric(m, settings.params, settings.options) for m in self.scheme.explain}
