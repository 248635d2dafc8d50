"""Simulation results: tiers per customer, figures per tier and in total, costs,
comparisons. Their JSON and CSV shapes are ``workbench.present.shapes``.

Per-tier figures come from per-tier aggregates (head count and AUM) and the
cost assumptions alone, so anything that updates the aggregates (a full pass
or an incremental one) gets the same figures.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

import numpy as np
from numba import njit

from workbench.core.parallel import map_blocks
from workbench.scheme.assumptions import Assumption
from workbench.scheme.drivers import CostDriver
from workbench.scheme.model import Scheme
from workbench.text import Lang

if TYPE_CHECKING:
    from workbench.core.portfolio import Portfolio
    from workbench.core.settings import Settings


@dataclass(frozen=True)
class Classification:
    """Per customer: the final tier index, the tier from criteria alone
    (``base``, when the scheme has floors or overrides), a bit mask of the
    criterion groups met at the base tier, and whether a floor raised or an
    override replaced the tier."""

    tiers: np.ndarray
    base: np.ndarray | None
    qualified: np.ndarray | None
    raised: np.ndarray | None
    overridden: np.ndarray | None


# -- "qualified by" categories ---------------------------------------------


def breakdown_labels(scheme: Scheme) -> list[str]:
    """Category ids of the "qualified by" breakdown: one per criterion group
    (``<group> only``), then ``several``, ``floor``, ``override``, ``none``."""
    return [g.id for g in scheme.groups] + ["several", "floor", "override", "none"]


def breakdown_table(scheme: Scheme) -> tuple[np.ndarray, int, int]:
    """How a mask of the groups met becomes a "qualified by" index (256 entries: entry 0
    is ``none``, a single group's bit that group, any other mask ``several``), and the
    indexes of ``floor`` and ``override``."""
    n_groups = len(scheme.groups)
    several, floor, override, none = n_groups, n_groups + 1, n_groups + 2, n_groups + 3
    table = np.full(256, several, dtype=np.int8)
    table[0] = none
    for g in range(n_groups):
        table[1 << g] = g
    return table, floor, override


def breakdown_codes(scheme: Scheme, c: Classification) -> np.ndarray:
    """Each customer's "qualified by" category index: one compiled pass (a lookup of the
    groups met, then the floor's and the override's code where they apply)."""
    table, floor, override = breakdown_table(scheme)
    codes = np.empty(len(c.tiers), dtype=np.int8)
    _codes(
        _NO_FLAGS.view(np.uint8) if c.qualified is None else c.qualified.astype(np.uint8, copy=False),
        _NO_FLAGS if c.raised is None else c.raised,
        _NO_FLAGS if c.overridden is None else c.overridden,
        table,
        floor,
        override,
        codes,
    )
    return codes


_NO_FLAGS = np.zeros(0, dtype=np.bool_)


@njit(nogil=True, cache=True)
def _codes(  # pragma: no cover - compiled
    qualified: np.ndarray,
    raised: np.ndarray,
    overridden: np.ndarray,
    table: np.ndarray,
    floor: int,
    override: int,
    out: np.ndarray,
) -> None:
    """``breakdown_codes`` row by row; empty flag arrays are absent ones."""
    has_qualified, has_raised, has_overridden = len(qualified) > 0, len(raised) > 0, len(overridden) > 0
    none, raised_code, overridden_code = table[0], np.int8(floor), np.int8(override)
    for i in range(len(out)):
        code = table[qualified[i]] if has_qualified else none
        if has_raised:
            code = raised_code if raised[i] else code
        if has_overridden:
            code = overridden_code if overridden[i] else code
        out[i] = code


def cell_counts(parts: Sequence[tuple[np.ndarray, int]], weights: np.ndarray | None = None) -> np.ndarray:
    """Customers (or the sum of ``weights``) in each cell of the product of per-customer
    codes, given as (codes, how many codes): ``((tiers, k), (codes, c))`` gives a k x c
    table."""
    sizes = tuple(size for _, size in parts)
    cells = math.prod(sizes)
    wide = np.int32 if cells >= 2**15 else np.int16
    index: np.ndarray = parts[0][0].astype(wide)
    for codes, size in parts[1:]:
        index *= size
        index += codes
    return np.bincount(index, weights, minlength=cells).reshape(sizes)


def tally(parts: Sequence[tuple[np.ndarray, int]], weights: np.ndarray | None = None) -> np.ndarray:
    """``cell_counts`` block by block on every core: the temporaries stay in cache."""

    def block(a: int, b: int) -> np.ndarray:
        return cell_counts(
            [(codes[a:b], size) for codes, size in parts], None if weights is None else weights[a:b]
        )

    sizes = tuple(size for _, size in parts)
    counts = np.zeros(sizes, dtype=np.int64 if weights is None else np.float64)
    for part in map_blocks(len(parts[0][0]), block):
        counts += part
    return counts


# -- results ----------------------------------------------------------------


@dataclass(frozen=True)
class CostLine:
    """One benefit in one tier: its assumption and what it costs a year."""

    assumption: Assumption
    cost: float


@dataclass(frozen=True)
class TierRow:
    tier: str
    index: int
    customers: int
    share: float
    aum: float
    aum_share: float
    benefit_cost: float
    cost_per_customer: float
    cost_bp: float
    benefits: dict[str, float]
    qualified_by: dict[str, int]


@dataclass(frozen=True)
class Totals:
    """The figures of the total row: every tier together."""

    customers: int
    aum: float
    benefit_cost: float

    @property
    def cost_per_customer(self) -> float:
        return self.benefit_cost / self.customers if self.customers else 0.0

    @property
    def cost_bp(self) -> float:
        """Benefit cost in basis points of AUM (0 without AUM)."""
        return self.benefit_cost / self.aum * 10_000 if self.aum > 0 else 0.0


class Book(Protocol):
    """The customers figures are of: a portfolio in memory, or a dataset on disk that a
    cluster reads part by part."""

    @property
    def name(self) -> str: ...

    @property
    def rows(self) -> int: ...

    def label(self, lang: Lang = "en") -> str: ...

    def fingerprint(self) -> str: ...


@dataclass(kw_only=True)
class Figures:
    """What a simulation gives per tier and in total: head counts, AUM, the "qualified by"
    breakdown and costs. These add up over any split of the customers (``combine``), so a
    dataset classified part by part gives the same figures as one portfolio in memory."""

    scheme: Scheme
    book: Book
    settings: Settings
    drivers: Mapping[str, CostDriver]
    counts: np.ndarray
    aum: np.ndarray
    breakdown: np.ndarray
    cost_lines: tuple[CostLine, ...]
    defaulted: tuple[str, ...] = ()
    _rows: list[TierRow] | None = field(default=None, repr=False)

    @property
    def params(self) -> Mapping[str, float]:
        return self.settings.params

    @property
    def options(self) -> Mapping[str, str]:
        return self.settings.options

    @property
    def customers(self) -> int:
        return int(self.counts.sum())

    @property
    def total_aum(self) -> float:
        return float(self.aum.sum())

    @property
    def cost_by_tier(self) -> np.ndarray:
        out = np.zeros(len(self.scheme.tiers))
        for line in self.cost_lines:
            out[self.scheme.tier_index(line.assumption.tier)] += line.cost
        return out

    @property
    def total_benefit_cost(self) -> float:
        return float(sum(line.cost for line in self.cost_lines))

    @property
    def totals(self) -> Totals:
        return Totals(self.customers, self.total_aum, self.total_benefit_cost)

    def rows(self) -> list[TierRow]:
        """Per-tier figures, lowest tier first."""
        if self._rows is not None:
            return self._rows
        scheme = self.scheme
        total_n, total_aum = self.customers, self.total_aum
        labels = breakdown_labels(scheme)
        by_tier = self.cost_by_tier
        rows = []
        for i, tier in enumerate(scheme.tiers):
            n, aum, cost = int(self.counts[i]), float(self.aum[i]), float(by_tier[i])
            benefits = {
                line.assumption.benefit: line.cost
                for line in self.cost_lines
                if line.assumption.tier == tier.id
            }
            rows.append(
                TierRow(
                    tier=tier.id,
                    index=i,
                    customers=n,
                    share=n / total_n if total_n else 0.0,
                    aum=aum,
                    aum_share=aum / total_aum if total_aum else 0.0,
                    benefit_cost=cost,
                    cost_per_customer=cost / n if n else 0.0,
                    cost_bp=cost / aum * 10_000 if aum > 0 else 0.0,
                    benefits=benefits,
                    qualified_by={
                        label: int(self.breakdown[i, j])
                        for j, label in enumerate(labels)
                        if self.breakdown[i, j]
                    },
                )
            )
        self._rows = rows
        return rows

    def tier_label(self, index: int, lang: Lang = "en") -> str:
        return self.scheme.tiers[index].name.get(lang)


@dataclass(kw_only=True)
class Result(Figures):
    """The outcome of one simulation in memory: the figures, and per customer the
    classification and AUM in whole fen."""

    book: Portfolio
    classification: Classification
    aum_fen: np.ndarray  # each customer's AUM in whole fen

    @property
    def portfolio(self) -> Portfolio:
        return self.book

    @property
    def tiers(self) -> np.ndarray:
        return self.classification.tiers


def cost_lines(
    assumptions: tuple[Assumption, ...],
    drivers: Mapping[str, CostDriver],
    scheme: Scheme,
    counts: np.ndarray,
    aum: np.ndarray,
) -> tuple[CostLine, ...]:
    """Each offered (benefit, tier)'s cost from the tier's head count and AUM."""
    return tuple(
        CostLine(
            a,
            a.cost(drivers, float(counts[scheme.tier_index(a.tier)]), float(aum[scheme.tier_index(a.tier)])),
        )
        for a in assumptions
    )


def aggregate(
    *,
    scheme: Scheme,
    portfolio: Portfolio,
    settings: Settings,
    assumptions: tuple[Assumption, ...],
    drivers: Mapping[str, CostDriver],
    classification: Classification,
    aum_fen: np.ndarray,
    defaulted: tuple[str, ...] = (),
) -> Result:
    """Per-tier head counts, AUM, "qualified by" breakdown and costs."""
    k = len(scheme.tiers)
    tiers = classification.tiers
    labels = breakdown_labels(scheme)
    codes = breakdown_codes(scheme, classification)
    breakdown = tally(((tiers, k), (codes, len(labels))))
    counts = breakdown.sum(axis=1)
    aum = tally(((tiers, k),), weights=aum_fen) / 100.0
    return Result(
        scheme=scheme,
        book=portfolio,
        settings=settings,
        drivers=drivers,
        classification=classification,
        aum_fen=aum_fen,
        counts=counts,
        aum=aum,
        breakdown=breakdown,
        cost_lines=cost_lines(assumptions, drivers, scheme, counts, aum),
        defaulted=defaulted,
    )


# -- comparison with a baseline ------------------------------------------


@dataclass(frozen=True)
class Comparison:
    """A result against a baseline on the same portfolio.

    ``migration_customers[i, j]`` counts customers in baseline tier ``i`` and
    scenario tier ``j``; ``migration_aum`` sums their AUM (the scenario's AUM
    measure). Per-tier deltas exist when both use the same tiers.
    """

    result: Figures
    baseline: Figures
    migration_customers: np.ndarray
    migration_aum: np.ndarray

    @property
    def same_tiers(self) -> bool:
        return self.result.scheme.tier_ids == self.baseline.scheme.tier_ids

    @property
    def lined_up(self) -> bool:
        """Whether per-tier deltas mean something: the same tiers, or the same scheme with
        tiers added or removed (deltas line up by tier id)."""
        return self.same_tiers or self.result.scheme.id == self.baseline.scheme.id

    @property
    def moved(self) -> int:
        """Customers whose tier changed: in a tier of another id than in the baseline (all of
        them when the schemes share no tier id)."""
        m = self.migration_customers
        mine = self.result.scheme.tier_ids
        return int(
            sum(
                m[i, j]
                for i, t in enumerate(self.baseline.scheme.tier_ids)
                for j in range(len(mine))
                if mine[j] != t
            )
        )

    def _baseline_by_tier(self, values: np.ndarray) -> np.ndarray:
        """Baseline figures lined up with the result's tiers by id (0 for a tier the baseline
        does not have: a tier added to the rules starts from nothing)."""
        if self.same_tiers:
            return values
        ids = self.baseline.scheme.tier_ids
        return np.array([values[ids.index(t)] if t in ids else 0 for t in self.result.scheme.tier_ids])

    def delta_customers(self) -> np.ndarray:
        return self.result.counts - self._baseline_by_tier(self.baseline.counts)

    def delta_aum(self) -> np.ndarray:
        return self.result.aum - self._baseline_by_tier(self.baseline.aum)

    def delta_cost(self) -> np.ndarray:
        return self.result.cost_by_tier - self._baseline_by_tier(self.baseline.cost_by_tier)


def compare(result: Result, baseline: Result) -> Comparison:
    """Migration from ``baseline`` to ``result`` and the per-tier deltas."""
    if result.portfolio.rows != baseline.portfolio.rows:
        raise ValueError("a comparison needs both results on the same portfolio")
    cells = ((baseline.tiers, len(baseline.scheme.tiers)), (result.tiers, len(result.scheme.tiers)))
    return Comparison(result, baseline, tally(cells), tally(cells, weights=result.aum_fen) / 100.0)
