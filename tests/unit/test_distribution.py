"""The distribution panel's figures: histogram counts and customers near a threshold."""

import numpy as np
import pytest

from workbench.core.distribution import histogram, near_threshold


def test_money_histogram_counts_each_customer_once_in_decade_bins():
    values = np.array([0.0, 50.0, 150.0, 2_000.0, 2_500.0, 40_000.0, 1_500_000.0, np.nan])
    h = histogram(values, bins=5)
    assert h.edges[0] == 100.0 and h.edges[-1] == 10_000_000.0  # 10^2 .. 10^7: one bin a decade
    assert h.counts.tolist() == [1, 2, 1, 0, 1]  # 150 | 2,000 2,500 | 40,000 | | 1,500,000
    assert h.below == 2 and h.missing == 1  # 0 and 50 under 100; NaN does not apply


def test_linear_histogram_for_points():
    h = histogram(np.array([0.0, 1.0, 2.0, 3.0, 4.0]), bins=4, log=False)
    assert h.counts.tolist() == [1, 1, 1, 2] and h.below == 0


def test_near_threshold_from_values_and_from_sorted_values_agree():
    values = np.array([80_000.0, 90_000.0, 95_000.0, 100_000.0, 105_000.0, 120_000.0, np.nan])
    plain = near_threshold(values, 100_000.0)
    assert (plain.below, plain.above) == (2, 2)  # 90,000 and 95,000 | 100,000 and 105,000
    ascending = np.sort(values)  # NaN last, as a layout keeps them
    assert near_threshold(values, 100_000.0, ascending=ascending) == plain


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("scale", [3.0, 0.5])  # money (up to millions) and small values
def test_log_histogram_bins_as_numpy_does(seed, scale):
    rng = np.random.default_rng(seed)
    values = rng.lognormal(2 + 4 * (scale > 1), scale, 300_000)
    values[rng.integers(0, len(values), 3_000)] = np.nan
    values[rng.integers(0, len(values), 2_000)] = 0.0
    values[rng.integers(0, len(values), 500)] = -5.0
    values[:100] = 10.0 ** rng.integers(2, 6, 100)  # exactly on edges
    hist = histogram(values)
    finite = values[np.isfinite(values)]
    positive = finite[finite > 0]
    if positive.max() > 1_000:
        positive = positive[positive >= 100]
    low, high = np.log10(hist.edges[0]), np.log10(hist.edges[-1])
    expected, _ = np.histogram(np.log10(positive), bins=40, range=(round(low), round(high)))
    np.testing.assert_array_equal(hist.counts, expected)
    assert hist.below == len(finite) - len(positive) and hist.missing == len(values) - len(finite)
    assert hist.counts.sum() + hist.below + hist.missing == len(values)


def test_log_histogram_at_the_doubles_either_side_of_every_bin_bound():
    """Values one double either side of where log10 reaches each bin's edge land where
    np.histogram of their logarithms puts them (the bins are found from the bits)."""
    edges = np.linspace(2.0, 7.0, 41)
    around = np.power(10.0, edges).view(np.int64)
    values = (around[:, None] + np.arange(-3, 4)).ravel().view(np.float64)
    values = np.concatenate([values, [0.0, -1.0, 99.99, np.inf, -np.inf, 5e6, 9.99e6]])
    hist = histogram(values)
    drawn = values[np.isfinite(values) & (values >= 100)]
    span = (round(np.log10(hist.edges[0])), round(np.log10(hist.edges[-1])))
    assert span == (2, 7)
    expected, _ = np.histogram(np.log10(drawn), bins=40, range=span)
    np.testing.assert_array_equal(hist.counts, expected)
    assert hist.counts.sum() + hist.below + hist.missing == len(values)


def test_log_histogram_by_logarithms_where_bounds_cannot_be_found(monkeypatch):
    rng = np.random.default_rng(7)
    values = rng.lognormal(9, 2.5, 50_000)
    by_bits = histogram(values)
    monkeypatch.setattr("workbench.core.distribution._value_bounds", lambda edges: None)
    by_logs = histogram(values)
    np.testing.assert_array_equal(by_bits.counts, by_logs.counts)
    assert by_bits.counts.sum() > 40_000


def test_thresholds_off_the_drawn_range_are_said_to_be_off_it():
    # Money drawn from 100 to 1m: a threshold of 50 or 0 lies below, 2m above.
    hist = histogram(np.array([0.0, 20.0, 150.0, 5_000.0, 999_000.0]))
    assert (hist.edges[0], hist.edges[-1]) == (100.0, 1_000_000.0)
    assert [hist.side(v) for v in (0.0, 50.0, 99.99, 100.0, 5_000.0, 1_000_000.0, 2e6)] == [
        -1, -1, -1, 0, 0, 0, 1,
    ]  # fmt: skip
    assert hist.position(50.0) == hist.position(100.0) == 0.0  # where it would be drawn, without the side
