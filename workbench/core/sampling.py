"""Stratified samples of a book, and estimates with 95% intervals from them.

The sampling unit is a household (a customer alone is a unit of one) whenever a scheme
judges households, so a sampled household is whole and its criteria read as on the full
book. Units are stratified by the scheme's main metric (the highest among a household's
members) in decade bands, and the sample is allocated across strata by Neyman's rule
(proportional to the stratum's size times the spread of the metric in it), so the rare
top tiers are not starved; a stratum small enough is taken whole. Which units are drawn
is decided by a keyed hash of the unit's id: the same sample in any row order and any
split into parts.

Estimates are the stratified expansion estimator; their variance is that of stratified
simple random sampling of units, and costs are linearised around the estimate.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

Z95 = 1.959963984540054  # the normal quantile of a two-sided 95% interval
MIN_PER_STRATUM = 30  # units drawn from a stratum at least (or all of it)


@dataclass(frozen=True)
class Design:
    """A stratified sample design: for each stratum its units in the book (``population``)
    and drawn (``drawn``), and the rate each unit was drawn at."""

    fraction: float
    seed: int
    population: np.ndarray  # units per stratum in the book
    drawn: np.ndarray  # units per stratum in the sample
    rates: np.ndarray  # target inclusion probability per stratum
    customers: np.ndarray  # customers per stratum in the book
    sampled: np.ndarray  # customers per stratum in the sample

    @property
    def weights(self) -> np.ndarray:
        """How many customers of the book each sampled customer stands for, per stratum (a
        ratio estimator: the book's customers per stratum are known, so they come out exact)."""
        return np.divide(self.customers, self.sampled, out=np.zeros(len(self.drawn)), where=self.sampled > 0)


BANDS = 13


def bands_of(values: np.ndarray) -> np.ndarray:
    """Decade bands of a metric: 0 for none (<= 0 or missing), then 1 for (0, 10), 2 for
    [10, 100), ... up to 12 for 10^11 and above."""
    v = np.nan_to_num(np.asarray(values, dtype=np.float64), nan=0.0)
    bands = np.zeros(len(v), dtype=np.int8)
    positive = v > 0
    bands[positive] = np.clip(np.floor(np.log10(np.maximum(v[positive], 1e-300))) + 2, 1, 12)
    return bands


def strata_of(values: np.ndarray, tiers: np.ndarray, tier_count: int) -> np.ndarray:
    """A unit's stratum: its tier when drawn (so a rare top tier is a stratum of its own)
    crossed with the decade band of its metric."""
    return tiers.astype(np.int32) * BANDS + bands_of(values)


def units_of(household_codes: np.ndarray | None, rows: int) -> tuple[np.ndarray, int]:
    """Each customer's sampling unit (its household, or itself when alone) and how many."""
    if household_codes is None:
        return np.arange(rows, dtype=np.int64), rows
    codes = household_codes.astype(np.int64)
    households = int(codes.max()) + 1 if rows and codes.max() >= 0 else 0
    alone = codes < 0
    units = codes.copy()
    units[alone] = households + np.arange(int(alone.sum()))
    return units, households + int(alone.sum())


def unit_maxima(values: np.ndarray, units: np.ndarray, count: int) -> np.ndarray:
    """The highest value among each unit's members."""
    out = np.full(count, -np.inf)
    np.maximum.at(out, units, np.nan_to_num(values, nan=0.0))
    return out


def stratum_stats(strata: np.ndarray, values: np.ndarray, sizes: np.ndarray, count: int) -> np.ndarray:
    """Per stratum: units, sum and sum of squares of the metric, customers (they add up
    over parts)."""
    v = np.nan_to_num(values, nan=0.0, neginf=0.0)
    return np.stack(
        [
            np.bincount(strata, minlength=count).astype(np.float64),
            np.bincount(strata, weights=v, minlength=count),
            np.bincount(strata, weights=v * v, minlength=count),
            np.bincount(strata, weights=sizes, minlength=count),
        ]
    )


def allocate(stats: np.ndarray, fraction: float) -> np.ndarray:
    """Units to draw per stratum: ``fraction`` of all units, half in proportion to the
    strata's sizes and half by Neyman's rule (size times the metric's spread: the top tiers
    and bands get many), at least ``MIN_PER_STRATUM`` (or the whole stratum), never more
    than the stratum. The proportional half keeps every stratum's weight moderate, since a
    figure can vary where the metric does not (household sizes, other criteria)."""
    size, total, squares = stats[:3]
    mean = np.divide(total, size, out=np.zeros_like(total), where=size > 0)
    mean_square = np.divide(squares, size, out=np.zeros_like(total), where=size > 0)
    spread = np.sqrt(np.maximum(mean_square - mean**2, 0))
    wanted = fraction * size.sum()
    base = np.minimum(size, MIN_PER_STRATUM).astype(np.float64)
    whole = np.zeros(len(size), dtype=bool)  # strata taken whole
    drawn = base
    for _ in range(len(size)):
        free = ~whole & (size > 0)
        budget = wanted - size[whole].sum()
        if budget <= 0 or not free.any():
            drawn = np.where(whole, size, base)
            break
        plain = size * free
        neyman = size * spread * free
        share = 0.5 * plain / plain.sum() + 0.5 * (
            neyman / neyman.sum() if neyman.sum() > 0 else plain / plain.sum()
        )
        proposal = np.maximum(base, budget * share)
        over = free & (proposal >= size)
        drawn = np.where(whole, size, np.where(free, proposal, base))
        if not over.any():
            break
        whole |= over
    return np.ceil(np.minimum(drawn, size))


def rates_of(stats: np.ndarray, fraction: float) -> np.ndarray:
    """The inclusion probability of a unit in each stratum."""
    size = stats[0]
    return np.divide(allocate(stats, fraction), size, out=np.zeros_like(size), where=size > 0).clip(0, 1)


def unit_draws(keys: pd.Series, seed: int) -> np.ndarray:
    """A uniform number in [0, 1) per unit, from a keyed hash of its id (the same for the
    same id in any order, part or machine)."""
    hashed = pd.util.hash_array(keys.astype(str).to_numpy(dtype=object), hash_key=f"{seed:016x}"[-16:])
    return (hashed >> np.uint64(11)).astype(np.float64) / float(1 << 53)


def drawn(draws: np.ndarray, strata: np.ndarray, rates: np.ndarray) -> np.ndarray:
    """Which units are in the sample."""
    return draws < rates[strata]


@dataclass(frozen=True)
class Interval:
    """An estimate and its 95% interval."""

    value: float
    low: float
    high: float

    @classmethod
    def of(cls, value: float, error: float) -> Interval:
        return cls(value, value - Z95 * error, value + Z95 * error)

    def covers(self, exact: float) -> bool:
        return self.low <= exact <= self.high


def expand(
    unit_totals: np.ndarray, unit_strata: np.ndarray, unit_sizes: np.ndarray, design: Design
) -> tuple[np.ndarray, np.ndarray]:
    """Estimates of book totals from drawn units' totals (rows: units, columns: figures),
    and their standard errors: the separate ratio estimator on customers per stratum, its
    variance that of stratified simple random sampling of units."""
    estimate = np.zeros(unit_totals.shape[1])
    variance = np.zeros(unit_totals.shape[1])
    order = np.argsort(unit_strata, kind="stable")
    bounds = np.searchsorted(unit_strata[order], np.arange(len(design.drawn) + 1))
    for h in np.flatnonzero(design.drawn > 0):
        members = order[bounds[h] : bounds[h + 1]]
        rows, sizes = unit_totals[members], unit_sizes[members].astype(np.float64)
        ratio = rows.sum(axis=0) / sizes.sum()
        estimate += design.customers[h] * ratio
        n, big_n = len(rows), design.population[h]
        if n >= 2 and n < big_n:
            residuals = rows - sizes[:, None] * ratio
            variance += big_n**2 * (1 - n / big_n) * _spread(rows, residuals) / n
    return estimate, np.sqrt(variance)


def _spread(rows: np.ndarray, residuals: np.ndarray) -> np.ndarray:
    """Each column's sample variance of the residuals over a stratum's units, never below
    what one more (or one fewer) unit with the column's largest value would give: a figure
    seen in a handful of units, or in none, is not taken as known exactly (rare events,
    Agresti and Coull's reasoning for proportions)."""
    n = len(rows)
    observed = residuals.var(axis=0, ddof=1)
    top = np.abs(rows).max(axis=0)
    seen = np.count_nonzero(rows, axis=0)
    share = (seen + 1) / (n + 2)
    floor = top**2 * share * (1 - share) * n / (n - 1)
    # a figure every unit has in proportion to its size (its customers) is known exactly
    known = (seen == n) & (np.abs(residuals).max(axis=0) <= 1e-9 * np.maximum(top, 1))
    return np.maximum(observed, np.where(known, 0.0, floor))
