"""Metrics: per-customer numbers that criteria compare, and the ready-made kinds.

A plugin declares metrics with these constructors; each returns a ``Metric``
whose ``spec`` says what to compute (a column, a sum of columns, a weighted
sum, a household aggregate, a tier rank). The engine evaluates specs
(``workbench.core.kernels``), so declarations hold no numerical code and can
be written to a scheme file. A plugin whose metric is none of these gives a
``Metric`` its own ``compute(context)``, which receives a ``MetricContext``
and returns a float64 array with one value per customer, NaN where the metric
does not apply to the customer.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from workbench.scheme.model import Metric
from workbench.text import Text

if TYPE_CHECKING:
    import numpy as np

    from workbench.core.households import Households

# -- what a metric is, declared -------------------------------------------------


@dataclass(frozen=True)
class ColumnValue:
    """A portfolio column as it is."""

    column: str


@dataclass(frozen=True)
class Total:
    """The sum of several columns, rounded to the fen."""

    columns: tuple[str, ...]


@dataclass(frozen=True)
class WeightedSum:
    """``round(sum(column x weight) / per, decimals)``; a weight is a parameter id or a
    constant."""

    terms: tuple[tuple[str, str | float], ...]
    per: float = 10_000.0
    decimals: int = 6


@dataclass(frozen=True)
class HouseholdAggregate:
    """A household's mean or sum of a column, for every member; NaN for customers without
    a household or in one of fewer than ``min_members``. ``basis_option`` names the
    option whose value (``"mean"`` or ``"sum"``) picks the basis; otherwise ``basis``.
    Rounded to ``decimals`` per household."""

    column: str
    basis: Literal["mean", "sum"] = "mean"
    basis_option: str | None = None
    min_members: int = 2
    decimals: int = 2


@dataclass(frozen=True)
class RankRule:
    """Holding ``column == value`` means "at least ``tier``"."""

    column: str
    value: str | bool
    tier: str


@dataclass(frozen=True)
class TierRank:
    """The highest tier any rule gives a customer, as a tier index (-1 when none)."""

    rules: tuple[RankRule, ...]


MetricSpec = ColumnValue | Total | WeightedSum | HouseholdAggregate | TierRank


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
        empty: Callable[[np.dtype], np.ndarray] | None = None,
    ) -> None:
        self._columns = columns
        self._empty = empty
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

    def empty(self, dtype: str = "float64") -> np.ndarray:
        """An uninitialised array of one value per customer to write a metric into (the
        engine may hand out memory a former metric used, once nothing reads it)."""
        import numpy

        if self._empty is None:
            return numpy.empty(self.rows, dtype=dtype)
        return self._empty(numpy.dtype(dtype))

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


# -- constructors -----------------------------------------------------------------


def column(
    name: str,
    *,
    label: Text | None = None,
    unit: str = "CNY",
    scale: Literal["money", "linear"] = "money",
    metric_id: str | None = None,
) -> Metric:
    """A metric that is a portfolio column as it is."""
    from workbench.scheme.columns import COLUMNS

    if label is None:
        label = COLUMNS[name].description if name in COLUMNS else Text(name, name)
    return Metric(
        id=metric_id or name, name=label, unit=unit, columns=(name,), scale=scale, spec=ColumnValue(name)
    )


def total(metric_id: str, label: Text, columns: tuple[str, ...], unit: str = "CNY") -> Metric:
    """The sum of several columns (for example short- plus long-term assets), to the fen."""
    return Metric(metric_id, label, unit, columns=tuple(columns), spec=Total(tuple(columns)))


def weighted_sum(
    metric_id: str,
    label: Text,
    terms: Mapping[str, str | float],
    *,
    per: float = 10_000.0,
    unit: str = "points",
    decimals: int = 6,
) -> Metric:
    """``sum(column x weight / per)``, each weight a parameter id (or a constant).

    The result is rounded to ``decimals`` so that totals meant to be exact
    (points of exactly 2,000) compare as exact at a cut-off.
    """
    items = tuple(terms.items())
    return Metric(
        metric_id,
        label,
        unit,
        columns=tuple(terms),
        parameters=tuple(w for _, w in items if isinstance(w, str)),
        scale="money",
        spec=WeightedSum(items, float(per), decimals),
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
    return Metric(
        metric_id,
        label,
        "CNY",
        columns=(column, "household_id"),
        options=(basis_option,) if basis_option else (),
        spec=HouseholdAggregate(column, basis, basis_option, min_members, decimals),
    )


def tier_rank(metric_id: str, label: Text, rules: tuple[RankRule, ...]) -> Metric:
    """The highest tier any rule gives a customer (-1 when none applies).

    Used for product floors (ICBC) and tier-designated cards (Postal Savings);
    compare it with ``Criterion(metric, threshold=None)`` or use it in a
    ``Floor``.
    """
    return Metric(
        metric_id,
        label,
        "tier",
        columns=tuple(dict.fromkeys(r.column for r in rules)),
        scale="rank",
        spec=TierRank(tuple(rules)),
    )
