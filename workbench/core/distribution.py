"""The distribution of a metric, and how many customers sit near a threshold."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Histogram:
    """Counts of a metric's values in bins; log-spaced for money."""

    counts: np.ndarray
    edges: np.ndarray
    log: bool
    below: int  # values under the first edge (zero or small on a log scale)
    missing: int  # NaN: the metric does not apply

    def position(self, value: float) -> float:
        """Where ``value`` falls along the bins, from 0.0 (first edge) to 1.0 (last)."""
        lo, hi = self.edges[0], self.edges[-1]
        if self.log:
            if value <= 0:
                return 0.0
            lo, hi, value = np.log10(lo), np.log10(hi), np.log10(value)
        return float(np.clip((value - lo) / (hi - lo), 0.0, 1.0))


def histogram(values: np.ndarray, bins: int = 40, log: bool = True) -> Histogram:
    """A histogram spanning the values' range. Log bins start at 100 for money; values
    below the first edge (zero, small balances) are counted in ``below``, not drawn."""
    finite = values[np.isfinite(values)]
    missing = int(len(values) - len(finite))
    if log:
        positive = finite[finite > 0]
        if len(positive) and float(positive.max()) > 1_000:
            positive = positive[positive >= 100.0]  # money: the rest is counted, not drawn
        below = int(len(finite) - len(positive))
        if len(positive) == 0:
            edges = np.logspace(2, 7, bins + 1)
            return Histogram(np.zeros(bins, dtype=np.int64), edges, True, below, missing)
        lo = 100.0 if float(positive.max()) > 1_000 else max(float(positive.min()), 1e-2)
        hi = max(float(positive.max()), lo * 10)
        low, high = np.floor(np.log10(lo)), np.ceil(np.log10(hi))
        edges = np.logspace(low, high, bins + 1)
        # Even bins of the logarithm: numpy's fast path (uneven edges take a search per value).
        counts, _ = np.histogram(np.log10(positive), bins=bins, range=(low, high))
        return Histogram(counts, edges, True, below, missing)
    lo = float(finite.min()) if len(finite) else 0.0
    hi = float(finite.max()) if len(finite) else 1.0
    if hi <= lo:
        hi = lo + 1.0
    counts, edges = np.histogram(finite, bins=bins, range=(lo, hi))
    return Histogram(counts, edges, False, 0, missing)


@dataclass(frozen=True)
class NearThreshold:
    """Customers just below and at-or-above a threshold, within ``band`` of it."""

    threshold: float
    band: float
    below: int
    above: int


def weighted_histogram(
    values: np.ndarray, weights: np.ndarray, bins: int = 40, log: bool = True
) -> Histogram:
    """``histogram``'s bins, each customer counted ``weights`` times (a sample standing for
    a book: the book's estimated customers per bin)."""
    shape = histogram(values, bins, log)
    finite = np.isfinite(values)
    lo, hi = float(shape.edges[0]), float(shape.edges[-1])
    drawn = finite & (values >= lo) & (values <= hi) & ((values > 0) if log else True)
    where = np.log10(values[drawn]) if log else values[drawn]
    span = (np.log10(lo), np.log10(hi)) if log else (lo, hi)
    counts, _ = np.histogram(where, bins=bins, range=span, weights=weights[drawn])
    below = round(float(weights[finite & ~drawn].sum())) if log else 0
    return Histogram(
        np.rint(counts).astype(np.int64), shape.edges, log, below, round(float(weights[~finite].sum()))
    )


def near_threshold(
    values: np.ndarray,
    threshold: float,
    band: float = 0.1,
    ascending: np.ndarray | None = None,
    weights: np.ndarray | None = None,
) -> NearThreshold:
    """Counts in ``[t x (1 - band), t)`` and ``[t, t x (1 + band))``; from the values in
    ascending order (NaN last) in microseconds when given; each customer counted
    ``weights`` times when given (a sample's estimate of the book)."""
    low, high = threshold * (1 - band), threshold * (1 + band)
    if weights is not None:
        below = round(float(weights[(values >= low) & (values < threshold)].sum()))
        above = round(float(weights[(values >= threshold) & (values < high)].sum()))
        return NearThreshold(threshold, band, below, above)
    if ascending is not None:
        at = np.searchsorted(ascending, [low, threshold, high], side="left")
        return NearThreshold(threshold, band, int(at[1] - at[0]), int(at[2] - at[1]))
    below = int(np.count_nonzero((values >= low) & (values < threshold)))
    above = int(np.count_nonzero((values >= threshold) & (values < high)))
    return NearThreshold(threshold, band, below, above)
