"""Metrics: per-customer numbers that criteria compare, and ready-made kinds.

A plugin declares metrics with these constructors (or its own ``Metric`` with
a ``compute`` function). Every ``compute`` receives a ``MetricContext`` and
returns a float64 array with one value per customer, NaN where the metric
does not apply to the customer.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from workbench.model import Metric
from workbench.parallel import map_blocks
from workbench.text import Text


@dataclass(frozen=True)
class Households:
    """Household membership, computed once per portfolio.

    ``codes`` is each customer's household number (-1 without a household id),
    ``sizes`` the number of members of the customer's household (1 without an
    id) and ``count`` the number of households. ``members`` lists the rows with a
    household id, ``counts`` the members of each household.
    """

    codes: np.ndarray
    sizes: np.ndarray
    count: int
    members: np.ndarray
    counts: np.ndarray
    _applicable: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def index(self) -> np.ndarray:
        """Each customer's household number plus one (0 without a household id), int32."""
        cached = self._applicable.get("index")
        if cached is None:
            cached = self._applicable["index"] = (self.codes + 1).astype(np.int32)
        return cached

    def applicable(self, min_members: int) -> tuple[np.ndarray, np.ndarray]:
        """Rows in households of at least ``min_members``, and their household numbers."""
        cached = self._applicable.get(min_members)
        if cached is None:
            rows = self.members[self.sizes[self.members] >= min_members]
            cached = self._applicable[min_members] = (rows, self.codes[rows])
        return cached


class MetricContext:
    """What a metric's ``compute`` can read: columns, parameters, options."""

    def __init__(
        self,
        columns: Callable[[str], np.ndarray],
        households: Callable[[], Households],
        params: Mapping[str, float],
        options: Mapping[str, str],
        tier_ids: tuple[str, ...],
        categories: Callable[[str], tuple[str, ...]],
        rows: int,
    ) -> None:
        self._columns = columns
        self._households = households
        self._params = params
        self._options = options
        self._tier_ids = tier_ids
        self._categories = categories
        self.rows = rows

    def column(self, name: str) -> np.ndarray:
        """A column as numpy: money and numbers as float64, booleans as bool,
        categories as their position in the column's ordered categories."""
        return self._columns(name)

    def param(self, param_id: str) -> float:
        return float(self._params[param_id])

    def option(self, option_id: str) -> str:
        return self._options[option_id]

    @property
    def households(self) -> Households:
        return self._households()

    def tier_rank(self, tier_id: str) -> int:
        """Position of ``tier_id`` among the scheme's tiers, lowest = 0."""
        return self._tier_ids.index(tier_id)

    def category_code(self, column: str, value: str) -> int:
        """The code ``column(...)`` uses for a category value."""
        return self._categories(column).index(value)


def column(
    name: str,
    *,
    label: Text | None = None,
    unit: str = "CNY",
    scale: Literal["money", "linear"] = "money",
    metric_id: str | None = None,
) -> Metric:
    """A metric that is a portfolio column as it is."""
    from workbench.columns import COLUMNS

    if label is None:
        label = COLUMNS[name].description if name in COLUMNS else Text(name, name)
    return Metric(
        id=metric_id or name,
        name=label,
        unit=unit,
        compute=lambda ctx: ctx.column(name).astype(np.float64, copy=False),
        columns=(name,),
        scale=scale,
    )


def total(metric_id: str, label: Text, columns: tuple[str, ...], unit: str = "CNY") -> Metric:
    """The sum of several columns (for example short- plus long-term assets)."""

    def compute(ctx: MetricContext) -> np.ndarray:
        return _sum_of_terms(ctx, [(ctx.column(name), 1.0) for name in columns], 1.0, 2)

    return Metric(metric_id, label, unit, compute, columns=columns, decimals=None)  # rounded to the fen


def _sum_of_terms(
    ctx: MetricContext, terms: list[tuple[np.ndarray, float]], per: float, decimals: int
) -> np.ndarray:
    """``round(sum(values x weight) / per, decimals)``, block by block on every core: the
    block's partial sum stays in cache while the columns stream through."""
    out = np.empty(ctx.rows, dtype=np.float64)

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


def weighted_sum(
    metric_id: str,
    label: Text,
    terms: Mapping[str, str],
    *,
    per: float = 10_000.0,
    unit: str = "points",
    decimals: int = 6,
) -> Metric:
    """``sum(column x weight / per)`` with each weight a parameter.

    ``terms`` maps column -> weight parameter id. The result is rounded to
    ``decimals`` so that totals meant to be exact (points of exactly 2,000)
    compare as exact at a cut-off.
    """
    items = tuple(terms.items())

    def compute(ctx: MetricContext) -> np.ndarray:
        return _sum_of_terms(
            ctx, [(ctx.column(col), ctx.param(weight)) for col, weight in items], per, decimals
        )

    return Metric(
        metric_id,
        label,
        unit,
        compute,
        columns=tuple(terms),
        parameters=tuple(terms.values()),
        decimals=None,  # rounded above, chunk by chunk
        scale="money",
    )


def household_aggregate(
    metric_id: str,
    label: Text,
    column: str,
    *,
    basis_option: str | None = None,
    basis: Literal["mean", "sum"] = "mean",
    min_members: int = 2,
    decimals: int = 2,
) -> Metric:
    """A household's mean (or sum) of ``column``, for every member.

    Customers without a household id, or in a household of fewer than
    ``min_members``, get NaN: the metric does not apply to them. With
    ``basis_option``, the option's value (``"mean"`` or ``"sum"``) picks the
    basis; otherwise ``basis`` does. Rounded to ``decimals`` (fen).
    """

    def compute(ctx: MetricContext) -> np.ndarray:
        hh = ctx.households
        how = ctx.option(basis_option) if basis_option else basis
        values = ctx.column(column)
        sums = np.bincount(hh.codes[hh.members], weights=values[hh.members], minlength=hh.count)
        per_household = sums / np.maximum(hh.counts, 1) if how == "mean" else sums
        # Entry 0 for customers without a household; NaN where the metric does not apply.
        table = np.empty(hh.count + 1)
        table[0] = np.nan
        table[1:] = np.round(per_household, decimals)  # rounded per household: fewer values
        table[1:][hh.counts < min_members] = np.nan
        out, index = np.empty(ctx.rows), hh.index
        map_blocks(ctx.rows, lambda a, b: np.take(table, index[a:b], out=out[a:b]))
        return out

    return Metric(
        metric_id,
        label,
        "CNY",
        compute,
        columns=(column, "household_id"),
        options=(basis_option,) if basis_option else (),
        decimals=None,  # rounded in compute, per household
    )


@dataclass(frozen=True)
class RankRule:
    """Holding ``column == value`` means "at least ``tier``"."""

    column: str
    value: str | bool
    tier: str


def tier_rank(metric_id: str, label: Text, rules: tuple[RankRule, ...]) -> Metric:
    """The highest tier any rule gives a customer (-1 when none applies).

    Used for product floors (ICBC) and tier-designated cards (Postal Savings);
    compare it with ``Criterion(metric, threshold=None)`` or use it in a
    ``Floor``.
    """

    def compute(ctx: MetricContext) -> np.ndarray:
        best = np.zeros(ctx.rows, dtype=np.int8)  # rank + 1, 0 for none: branch-free in int8
        for rule in rules:
            values = ctx.column(rule.column)
            if isinstance(rule.value, bool):
                holds = values if rule.value else ~values
            else:
                holds = values == ctx.category_code(rule.column, rule.value)
            np.maximum(best, holds.view(np.int8) * np.int8(ctx.tier_rank(rule.tier) + 1), out=best)
        out = best.astype(np.float64)
        out -= 1.0
        return out

    return Metric(
        metric_id,
        label,
        "tier",
        compute,
        columns=tuple(dict.fromkeys(r.column for r in rules)),
        scale="rank",
    )
