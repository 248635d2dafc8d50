"""Evaluating declared metrics: one vectorised kernel per kind of ``MetricSpec``.

Every kernel reads columns through a ``MetricContext`` and returns float64,
one value per customer, NaN where the metric does not apply. Sums run block
by block on every core with fixed block bounds, so a float sum is the same
on any machine.
"""

from __future__ import annotations

import numpy as np

from workbench.core.parallel import map_blocks
from workbench.scheme.metrics import (
    ColumnValue,
    HouseholdAggregate,
    MetricContext,
    MetricSpec,
    TierRank,
    Total,
    WeightedSum,
)


def evaluate(spec: MetricSpec, ctx: MetricContext) -> np.ndarray:
    """The metric ``spec`` declares, for every customer."""
    if isinstance(spec, ColumnValue):
        return ctx.column(spec.column).astype(np.float64, copy=False)
    if isinstance(spec, Total):
        return sum_of_terms(ctx, [(ctx.column(c), 1.0) for c in spec.columns], 1.0, 2)
    if isinstance(spec, WeightedSum):
        terms = [(ctx.column(c), ctx.param(w) if isinstance(w, str) else float(w)) for c, w in spec.terms]
        return sum_of_terms(ctx, terms, spec.per, spec.decimals)
    if isinstance(spec, HouseholdAggregate):
        return household_aggregate(ctx, spec)
    if isinstance(spec, TierRank):
        return tier_rank(ctx, spec)
    raise TypeError(f"unknown metric kind {type(spec).__name__}")


def sum_of_terms(
    ctx: MetricContext, terms: list[tuple[np.ndarray, float]], per: float, decimals: int
) -> np.ndarray:
    """``round(sum(values x weight) / per, decimals)``, block by block on every core: the
    block's partial sum stays in cache while the columns stream through."""
    out = ctx.empty()

    def block(start: int, stop: int) -> None:
        part = out[start:stop]
        part.fill(0.0)
        scratch = np.empty(stop - start)
        for values, w in terms:
            if w == 1.0:
                part += values[start:stop]
            elif w:
                np.multiply(values[start:stop], w, out=scratch)
                part += scratch
        if per != 1.0:
            part /= per
        np.round(part, decimals, out=part)

    map_blocks(ctx.rows, block)
    return out


def household_aggregate(ctx: MetricContext, spec: HouseholdAggregate) -> np.ndarray:
    """Each customer's household mean or sum of a column (see ``HouseholdAggregate``),
    rounded per household."""
    return ctx.households.spread(household_values(ctx, spec), ctx.empty())


def household_values(ctx: MetricContext, spec: HouseholdAggregate) -> np.ndarray:
    """The same one value per household (``Households.per_household``: a NaN first, for
    customers without one), without a value per customer."""
    how = ctx.option(spec.basis_option) if spec.basis_option else spec.basis
    values = ctx.column(spec.column).astype(np.float64, copy=False)
    return ctx.households.per_household(values, how == "mean", spec.decimals, spec.min_members)


def tier_rank(ctx: MetricContext, spec: TierRank) -> np.ndarray:
    """The highest tier index any rule gives (-1 when none), a block at a time."""
    rules = []
    for rule in spec.rules:
        code = None if isinstance(rule.value, bool) else ctx.category_code(rule.column, rule.value)
        rules.append((ctx.column(rule.column), rule.value, code, np.int8(ctx.tier_rank(rule.tier) + 1)))
    out = ctx.empty()

    def block(start: int, stop: int) -> None:
        best = np.zeros(stop - start, dtype=np.int8)  # rank + 1, 0 for none: branch-free in int8
        for values, value, code, rank in rules:
            part = values[start:stop]
            holds = (part if value else ~part) if code is None else part == code
            np.maximum(best, holds.view(np.int8) * rank, out=best)
        np.subtract(best, 1.0, out=out[start:stop])

    map_blocks(ctx.rows, block)
    return out
