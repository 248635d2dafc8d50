"""The compiled counting passes equal numpy's table lookups and bincounts, to the fen."""

import functools
import itertools
import operator

import numpy as np
import pandas as pd
import pytest

from workbench.core.fused import move_states, tally_states
from workbench.core.results import Classification, breakdown_codes, breakdown_labels, cell_counts


def random_classification(rng, n: int, k: int, groups: int, floors: bool, overrides: bool):
    tiers = rng.integers(0, k, n).astype(np.int8)
    qualified = rng.integers(0, 1 << groups, n).astype(np.uint8) if groups else None
    raised = rng.random(n) < 0.1 if floors else None
    overridden = rng.random(n) < 0.05 if overrides else None
    return Classification(tiers, None, qualified, raised, overridden)


def numpy_codes(scheme, c):
    """The "qualified by" rule in numpy: a single group's bit is that group, any other
    mask "several", none "none"; a floor's raise, then an override, take precedence."""
    labels = breakdown_labels(scheme)
    groups = len(scheme.groups)
    mask = c.qualified.astype(np.int64) if c.qualified is not None else np.zeros(len(c.tiers), np.int64)
    single = (mask > 0) & ((mask & (mask - 1)) == 0)
    codes = np.where(mask == 0, labels.index("none"), labels.index("several"))
    codes = np.where(single, np.log2(np.maximum(mask, 1)).astype(np.int64), codes)
    assert (codes[single] < groups).all()
    if c.raised is not None:
        codes = np.where(c.raised, labels.index("floor"), codes)
    if c.overridden is not None:
        codes = np.where(c.overridden, labels.index("override"), codes)
    return codes.astype(np.int8)


@pytest.mark.parametrize(
    ("scheme_id", "floors", "overrides"),
    [("postal-savings", False, False), ("icbc-stars", True, False), ("industrial-bank", True, True)],
)
@pytest.mark.parametrize("seed", range(3))
def test_tally_states_equals_numpy(registry, scheme_id, floors, overrides, seed):
    scheme = registry.schemes[scheme_id]
    rng = np.random.default_rng(seed)
    n, k, c = 5_000, len(scheme.tiers), len(breakdown_labels(scheme))
    cls = random_classification(rng, n, k, len(scheme.groups), floors, overrides)
    baseline = rng.integers(0, k, n).astype(np.int8)
    fen = np.rint(rng.lognormal(12, 2, n))
    state = np.zeros((n, 2), dtype=np.int8)
    counts, fen_sums = tally_states(scheme, cls, baseline, fen, state, (k, k, c))
    codes = numpy_codes(scheme, cls)
    np.testing.assert_array_equal(breakdown_codes(scheme, cls), codes)
    np.testing.assert_array_equal(state[:, 0], cls.tiers)
    np.testing.assert_array_equal(state[:, 1], codes)
    np.testing.assert_array_equal(counts, cell_counts(((baseline, k), (cls.tiers, k), (codes, c))))
    np.testing.assert_array_equal(fen_sums, cell_counts(((baseline, k), (cls.tiers, k)), fen))


@pytest.mark.parametrize("seed", range(3))
def test_move_states_corrects_counts_to_a_full_recount(registry, seed):
    scheme = registry.schemes["icbc-stars"]
    rng = np.random.default_rng(seed)
    n, k, c = 4_000, len(scheme.tiers), len(breakdown_labels(scheme))
    baseline = rng.integers(0, k, n).astype(np.int8)
    fen = np.rint(rng.lognormal(12, 2, n))
    state = np.zeros((n, 2), dtype=np.int8)
    before = random_classification(rng, n, k, len(scheme.groups), True, False)
    counts, fen_sums = tally_states(scheme, before, baseline, fen, state, (k, k, c))
    rows = rng.permutation(n)[:700].astype(np.int32)
    again = random_classification(rng, len(rows), k, len(scheme.groups), True, False)
    delta, fen_delta, moved = move_states(scheme, again, rows, baseline[rows], fen[rows], state, (k, k, c))
    after_tiers = before.tiers.copy()
    after_tiers[rows] = again.tiers
    assert moved == int(np.count_nonzero(before.tiers[rows] != again.tiers))
    np.testing.assert_array_equal(state[:, 0], after_tiers)
    recount = cell_counts(((baseline, k), (state[:, 0], k), (state[:, 1], c)))
    np.testing.assert_array_equal(counts + delta, recount)
    np.testing.assert_array_equal(fen_sums + fen_delta, cell_counts(((baseline, k), (after_tiers, k)), fen))


@pytest.mark.parametrize(("k", "c"), [(5, 4), (127, 5)])  # 100 cells, and 80,645: past 16-bit indexes
def test_count_states_over_many_cells_equals_bincount(k, c):
    from workbench.core.fused import count_states

    rng = np.random.default_rng(k)
    n = 20_000
    baseline, tiers = rng.integers(0, k, n).astype(np.int8), rng.integers(0, k, n).astype(np.int8)
    codes, fen = rng.integers(0, c, n).astype(np.int8), np.rint(rng.lognormal(12, 2, n))
    state = np.zeros((n, 2), dtype=np.int8)
    counts, fen_sums = count_states(baseline, tiers, codes, fen, state, (k, k, c))
    np.testing.assert_array_equal(state, np.column_stack([tiers, codes]))
    np.testing.assert_array_equal(counts, cell_counts(((baseline, k), (tiers, k), (codes, c))))
    np.testing.assert_array_equal(fen_sums, cell_counts(((baseline, k), (tiers, k)), fen))


def test_a_hand_count(registry):
    """Three customers of Postal Savings (groups: balance, card, income)."""
    scheme = registry.schemes["postal-savings"]
    k, c = len(scheme.tiers), len(breakdown_labels(scheme))
    cls = Classification(
        np.array([1, 1, 0], dtype=np.int8), None, np.array([1, 3, 0], dtype=np.uint8), None, None
    )
    state = np.zeros((3, 2), dtype=np.int8)
    counts, fen_sums = tally_states(
        scheme, cls, np.array([0, 1, 0], dtype=np.int8), np.array([100.0, 250.0, 7.0]), state, (k, k, c)
    )
    labels = breakdown_labels(scheme)
    assert state.tolist() == [[1, 0], [1, labels.index("several")], [0, labels.index("none")]]
    assert counts[0, 1, 0] == 1 and counts[1, 1, labels.index("several")] == 1 and counts.sum() == 3
    assert fen_sums[0, 1] == 100 and fen_sums[1, 1] == 250 and fen_sums[0, 0] == 7


@pytest.mark.parametrize("chunks", [1, 2, 3])  # rows cut in chunks sorted side by side
@pytest.mark.parametrize("seed", range(4))
def test_the_radix_sort_orders_as_numpys_stable_sort(seed, chunks):
    from workbench.core.sorting import RADIX_FROM, sorted_order

    rng = np.random.default_rng(seed)
    n = RADIX_FROM + 1_234
    values = np.round(rng.lognormal(8, 3, n), 2) * rng.choice([1.0, -1.0], n, p=[0.9, 0.1])
    values[rng.integers(0, n, 500)] = np.nan
    values[rng.integers(0, n, 300)] = 0.0
    values[rng.integers(0, n, 100)] = -0.0
    values[rng.integers(0, n, 50)] = np.inf
    values[rng.integers(0, n, 50)] = -np.inf
    values[: n // 3] = np.round(values[: n // 3], -3)  # many ties
    order, ascending = sorted_order(values, chunks)
    np.testing.assert_array_equal(order, np.argsort(values, kind="stable"))
    np.testing.assert_array_equal(ascending, values[order])  # NaN equals NaN here, -0 equals 0


@pytest.mark.parametrize(
    "make",
    [
        lambda i: 1.0 + (i % 7) * 2.0**-52,  # one pass moves anything (an odd count)
        lambda i: 2.0 ** (i % 30),  # only the exponents differ
        lambda i: (i * 7_919 % 1_000) / 100,  # fen amounts
    ],
)
@pytest.mark.parametrize("chunks", [1, 2])
def test_the_radix_sort_whatever_passes_it_skips(make, chunks):
    from workbench.core.sorting import RADIX_FROM, sorted_order

    values = make(np.arange(RADIX_FROM + 7)[::-1]).astype(np.float64)
    order, ascending = sorted_order(values, chunks)
    np.testing.assert_array_equal(order, np.argsort(values, kind="stable"))
    np.testing.assert_array_equal(ascending, np.sort(values))


@pytest.mark.parametrize("decimals", [0, 2, 6])
@pytest.mark.parametrize("chunks", [1, 2, 3])
def test_the_radix_sort_of_rounded_values_sorts_whole_numbers(decimals, chunks):
    from workbench.core.sorting import RADIX_FROM, _whole_keys, sorted_order

    rng = np.random.default_rng(decimals)
    n = RADIX_FROM + 4_321
    values = np.round(rng.lognormal(6, 3, n) * rng.choice([1.0, -1.0], n, p=[0.8, 0.2]), decimals)
    values[rng.integers(0, n, 200)] = np.nan  # a few: sorted last
    values[rng.integers(0, n, 300)] = -0.0  # ties with 0.0
    values[rng.integers(0, n, 300)] = 0.0
    values[-500:] = values[:500]  # ties across the chunks
    keys, rows = np.empty(n, dtype=np.uint64), np.empty(n, dtype=np.int32)
    assert _whole_keys(values, [(0, n)], keys, rows) is not None  # sorted as whole numbers
    order, ascending = sorted_order(values, chunks)
    np.testing.assert_array_equal(order, np.argsort(values, kind="stable"))
    np.testing.assert_array_equal(ascending, values[order])
    order, ascending = sorted_order(values, chunks, numbers_only=True)
    assert len(order) == n - int(np.isnan(values).sum()) and not np.isnan(ascending).any()


@pytest.mark.parametrize(
    "spoil",
    [
        lambda v: v + 1e-7,  # seven decimals
        lambda v: np.where(np.arange(len(v)) == 5, 2.0**60, v),  # too big to be a whole number exactly
        lambda v: np.where(np.arange(len(v)) == len(v) - 1, -np.inf, v),
        lambda v: v / 3,
    ],
)
def test_the_radix_sort_falls_back_to_the_floats_bits(spoil):
    from workbench.core.sorting import RADIX_FROM, _whole_keys, sorted_order

    rng = np.random.default_rng(3)
    values = spoil(np.round(rng.lognormal(8, 2, RADIX_FROM + 99), 2))
    n = len(values)
    keys, rows = np.empty(n, dtype=np.uint64), np.empty(n, dtype=np.int32)
    assert _whole_keys(values, [(0, n // 2), (n // 2, n)], keys, rows) is None
    order, ascending = sorted_order(values, 2)
    np.testing.assert_array_equal(order, np.argsort(values, kind="stable"))
    np.testing.assert_array_equal(ascending, values[order])


@pytest.mark.parametrize("share", [0.2, 0.6, 0.99])  # a household mean: NaN for most customers
def test_the_radix_sort_of_a_metric_mostly_missing(share):
    from workbench.core.sorting import RADIX_FROM, sorted_order

    rng = np.random.default_rng(7)
    n = 3 * RADIX_FROM
    values = np.round(rng.lognormal(11, 1.5, n), 2)
    values[rng.random(n) < share] = np.nan
    values[:1_000] = 80_000.0  # ties
    order, ascending = sorted_order(values, 2)
    np.testing.assert_array_equal(order, np.argsort(values, kind="stable"))
    np.testing.assert_array_equal(ascending, values[order])
    numbers = int(np.count_nonzero(~np.isnan(values)))  # the rows with a value, theirs only
    for n in (len(values), RADIX_FROM // 2):  # the radix sort and numpy's
        order, ascending = sorted_order(values[:n], 2, numbers_only=True)
        expected = np.argsort(values[:n], kind="stable")
        expected = expected[: int(np.count_nonzero(~np.isnan(values[:n])))]
        np.testing.assert_array_equal(order, expected)
        np.testing.assert_array_equal(ascending, values[:n][expected])
        assert not np.isnan(ascending).any()
    assert numbers == len(sorted_order(values, 2, numbers_only=True)[0])


def test_the_radix_sort_by_hand():
    from workbench.core.sorting import RADIX_FROM, sorted_order

    values = np.zeros(RADIX_FROM)  # all ties: rows in order
    values[:5] = [3.5, np.nan, -2.0, 3.5, 0.25]
    values[-2:] = [3.5, -2.0]  # ties across the two chunks keep their rows' order
    order, ascending = sorted_order(values, 2)
    assert order[:2].tolist() == [2, RADIX_FROM - 1] and order[-4:].tolist() == [0, 3, RADIX_FROM - 2, 1]
    assert ascending[:2].tolist() == [-2.0, -2.0] and np.isnan(ascending[-1])
    assert ascending[-4:-1].tolist() == [3.5, 3.5, 3.5]


def test_the_warm_up_runs_every_built_in_scheme():
    from workbench.planning.warmup import warm

    assert set(warm()) >= {"industrial-bank", "icbc-stars", "postal-savings", "branch-layers"}


def numpy_household_aggregate(hh, values, mean, decimals, min_members):
    """The household aggregate as numpy computes it: bincount, division, round, gather."""
    sums = np.bincount(hh.codes[hh.members], weights=values[hh.members], minlength=hh.count)
    per_household = sums / np.maximum(hh.counts, 1) if mean else sums
    table = np.empty(hh.count + 1)
    table[0] = np.nan
    table[1:] = np.round(per_household, decimals)
    table[1:][hh.counts < min_members] = np.nan
    return table[hh.codes + 1]


@pytest.mark.parametrize(("mean", "decimals", "min_members"), [(True, 2, 2), (False, 2, 2), (True, 0, 1)])
@pytest.mark.parametrize("seed", range(3))
def test_household_aggregate_is_numpys_bit_for_bit(seed, mean, decimals, min_members):
    """Twice on one household table (what it keeps is used again)."""
    from workbench.core.households import Households

    rng = np.random.default_rng(seed)
    codes = rng.integers(-1, 3_000, 20_000)
    codes[(codes >= 100) & (codes < 140)] = 140  # households without members, in a run
    hh = Households.from_codes(codes)
    for _ in range(2):
        values = np.round(rng.lognormal(10, 3, 20_000), 2)
        values[::97] = 0.0
        out = hh.aggregate(values, mean, decimals, min_members, np.empty(20_000))
        assert out.tobytes() == numpy_household_aggregate(hh, values, mean, decimals, min_members).tobytes()


def test_household_sums_are_the_same_in_any_chunks(monkeypatch):
    """Chunks of households that start or end among households without members."""
    from workbench.core import households
    from workbench.core.households import Households

    def in_chunks(n, work):
        bounds = [0, 1, 99, 100, 120, 141, 1_000, n]
        return [work(a, b) for a, b in itertools.pairwise(bounds)]

    rng = np.random.default_rng(7)
    codes = rng.integers(0, 2_000, 10_000)
    codes[(codes >= 100) & (codes < 140)] = 140
    hh = Households.from_codes(codes)
    values = np.round(rng.lognormal(10, 3, 10_000), 2)
    whole = hh.per_household(values, True, 2, 1)
    monkeypatch.setattr(households, "map_chunks", in_chunks)
    assert hh.per_household(values, True, 2, 1).tobytes() == whole.tobytes()
    members = values[codes == 140].tolist()
    total = functools.reduce(operator.add, members, 0.0)  # in order, as the pass adds
    assert np.isnan(whole[1 + 120]) and whole[1 + 140] == np.round(total / len(members), 2)


def test_household_aggregate_by_hand():
    from workbench.core.households import Households

    hh = Households.from_codes(np.array([1, -1, 0, 1, 1]))
    out = hh.aggregate(np.array([1.0, 100.0, 2.0, 3.0, 4.0]), True, 2, 2, np.empty(5))
    assert out[[0, 3, 4]].tolist() == [2.67, 2.67, 2.67] and np.isnan(out[1]) and np.isnan(out[2])


@pytest.mark.parametrize("seed", range(3))
def test_households_from_codes_equal_numpys_counts_sizes_and_stable_order(seed):
    from workbench.core.households import Households

    rng = np.random.default_rng(seed)
    codes = rng.integers(-1, 500, 5_000)
    codes[codes == 7] = 8  # a household number nobody has
    hh = Households.from_codes(codes)
    members = np.flatnonzero(codes >= 0)
    counts = np.bincount(codes[members], minlength=int(codes.max()) + 1)
    assert hh.count == 500 and hh.members.tolist() == members.tolist()
    assert hh.counts.tolist() == counts.tolist()
    assert hh.sizes.tolist() == np.where(codes >= 0, counts[np.maximum(codes, 0)], 1).tolist()
    order, starts = hh.grouped
    assert order.tolist() == members[np.argsort(codes[members], kind="stable")].tolist()
    assert starts[-1] == len(members) and starts[8] == starts[7]


def test_households_by_hand():
    from workbench.core.households import Households

    hh = Households.from_codes(np.array([1, -1, 0, 1, 1]))
    assert hh.sizes.tolist() == [3, 1, 1, 3, 3] and hh.counts.tolist() == [1, 3]
    assert [hh.size_of(row) for row in range(5)] == [3, 1, 1, 3, 3]
    assert hh.grouped[0].tolist() == [2, 0, 3, 4] and hh.grouped[1].tolist() == [0, 1, 4]
    empty = Households.from_codes(np.full(3, -1))
    assert empty.count == 0 and empty.sizes.tolist() == [1, 1, 1] and len(empty.members) == 0


@pytest.mark.parametrize("seed", range(3))
def test_amounts_to_the_fen_are_numpys_round_bit_for_bit(seed):
    from workbench.files.amounts import to_fen

    rng = np.random.default_rng(seed)
    values = np.concatenate(
        [
            rng.lognormal(8, 4, 50_000),
            np.arange(-2_000, 2_000) / 1000 + 0.005,  # halves of a fen, either side of zero
            [0.0, -0.0, np.nan, np.inf, 1e15 + 0.125, 2.675, 1.005],
        ]
    )
    assert to_fen(values).tobytes() == np.round(values, 2).tobytes()
    inplace = values.copy()
    assert to_fen(inplace, inplace) is inplace and inplace.tobytes() == np.round(values, 2).tobytes()


@pytest.mark.parametrize("seed", range(3))
def test_whole_fen_is_numpys_rint_of_a_hundred_times_to_the_bit(seed):
    from workbench.core.engine import whole_fen

    rng = np.random.default_rng(seed)
    values = np.concatenate(
        [
            np.round(rng.lognormal(9, 3, 20_000), 2),
            rng.integers(-(10**6), 10**6, 5_000) / 200,  # halves of a fen: rint rounds them to even
            [np.nan, -0.0, 0.005, 0.015, -0.005, np.inf, -np.inf, 1e300],
        ]
    )
    expected = np.rint(values * 100.0)
    expected[np.isnan(expected)] = 0.0  # no AUM counts as none
    got = whole_fen(values)
    assert got.view(np.uint64).tolist() == expected.view(np.uint64).tolist()
    part = np.empty(100)
    assert whole_fen(values[300:400], part) is part and np.array_equal(part, got[300:400])
    assert whole_fen(np.array([1.234, np.nan, 0.125])).tolist() == [123.0, 0.0, 12.0]


@pytest.mark.parametrize("factor", [1.0, 10_000.0, 0.01])
def test_numeric_amounts_in_one_pass_are_the_checked_rounded_amounts(factor):
    import pyarrow as pa

    from workbench.files.amounts import _numeric_amounts

    rng = np.random.default_rng(7)
    halves = [np.round(rng.lognormal(8, 2, 30_000), 3), np.arange(0, 4_000) / 1000 + 0.005]
    series = pd.Series(pd.arrays.ArrowExtensionArray(pa.chunked_array(halves)))  # two Arrow chunks
    expected = np.round(np.concatenate(halves) * factor, 2)
    assert _numeric_amounts(series, factor, fen=True).tobytes() == expected.tobytes()
    numbers = _numeric_amounts(series, factor, fen=False)
    assert numbers.tobytes() == (np.concatenate(halves) * factor).tobytes()  # a number: not rounded
    # missing (an Arrow null), below zero, beyond the largest amount: left to the checked path
    for bad in (None, -0.01, 1e12 / factor * 1.01):
        odd = pd.Series(pd.arrays.ArrowExtensionArray(pa.chunked_array([halves[0], [1.0, bad]])))
        assert _numeric_amounts(odd, factor, fen=True) is None
    plain = pd.Series(np.array([3, 0, 12], dtype=np.int64))  # numpy integers, one chunk
    assert _numeric_amounts(plain, 1.0, fen=True).tolist() == [3.0, 0.0, 12.0]


def test_bad_numeric_amounts_are_still_named_by_row(tmp_path):
    from workbench.errors import PortfolioError
    from workbench.files.portfolios import load_portfolio

    frame = pd.DataFrame({"customer_id": ["C1", "C2", "C3"], "aum": [100.0, np.nan, -5.0]})
    path = tmp_path / "bad.parquet"
    frame.to_parquet(path)
    with pytest.raises(PortfolioError) as caught:
        load_portfolio(path)
    message = str(caught.value)
    assert "row 2, column aum: expected an amount in CNY (0 for none), found an empty cell" in message
    assert "row 3, column aum: expected an amount in CNY >= 0, found -5.0" in message
