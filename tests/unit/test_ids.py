"""Ids across a panel's months as positions: numbers in disguise take the quick path, every
other id is hashed as text, and both give the same places."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from workbench.core.ids import as_numbers, first_seen, groups, places, reading_once, repeats


def reference(columns: list[list[str]]) -> tuple[list[str], list[list[int]]]:
    universe = sorted({i for c in columns for i in c})
    return universe, [[universe.index(i) for i in c] for c in columns]


def series(values: list[str]) -> pd.Series:
    return pd.Series(values, dtype="str")


def test_ids_with_one_prefix_and_width_are_read_as_numbers():
    months = [series(["C0003", "C0001"]), series(["C0001", "C0010", "C0002"])]
    assert [n.tolist() for n in as_numbers(months)] == [[3, 1], [1, 10, 2]]
    universe, parts = places(months)
    assert universe.tolist() == ["C0001", "C0002", "C0003", "C0010"]
    assert [p.tolist() for p in parts] == [[2, 0], [0, 3, 1]]
    # another width, another prefix, a letter among the digits: hashed as text
    for other in (["C001"], ["D0001"], ["C00A1"], ["C0001 "]):
        assert as_numbers([months[0], series(other)]) is None


def test_households_numbered_across_months_with_empty_ids_apart():
    codes = groups([series(["H02", "", "H01"]), series(["H01", ""])])
    assert [c.tolist() for c in codes] == [[1, -1, 0], [0, -1]]
    codes = groups([series(["x", ""]), series(["", "x"])])  # text: the same grouping
    assert [c.tolist() for c in codes] == [[0, -1], [-1, 0]]


ids = st.one_of(
    st.integers(0, 999).map(lambda i: f"C{i:03d}"),
    st.integers(0, 10**17).map(lambda i: f"{i:018d}"),
    st.text(alphabet="AB01", min_size=1, max_size=4),
)


@given(st.lists(st.lists(ids, min_size=0, max_size=30, unique=True), min_size=1, max_size=5))
def test_places_equal_sorting_the_ids_as_text(columns):
    universe, parts = places([series(c) for c in columns])
    expected_universe, expected = reference(columns)
    assert universe.tolist() == expected_universe
    assert [np.asarray(p).tolist() for p in parts] == expected
    codes = groups([series(c) for c in columns])
    flat = [(i, int(g)) for c, cs in zip(columns, codes, strict=True) for i, g in zip(c, cs, strict=True)]
    assert len({g for _, g in flat}) == len({i for i, _ in flat})  # one number per id
    assert len({i for i, _ in flat}) == len(set(flat))


@given(
    st.lists(st.lists(st.integers(0, 5_000), min_size=0, max_size=40, unique=True), min_size=1, max_size=5),
    st.sampled_from(["C{:05d}", "{:06d}", "客户{:04d}"]),
)
def test_the_quick_path_equals_sorting_as_text(numbers, shape):
    columns = [[shape.format(i) for i in c] for c in numbers]
    if shape == "客户{:04d}":
        columns = [[i for i in c if len(i) == 6] for c in columns]  # one width
    universe, parts = places([series(c) for c in columns])
    expected_universe, expected = reference(columns)
    assert universe.tolist() == expected_universe
    assert [np.asarray(p).tolist() for p in parts] == expected


@given(st.lists(st.one_of(st.just(""), st.integers(0, 60).map(lambda i: f"H{i:03d}")), max_size=50))
def test_first_seen_numbers_households_as_factorize_does(ids):
    column = series(ids)
    quick = first_seen(column)
    expected, uniques = pd.factorize(column.where(column != "", None), use_na_sentinel=True)
    if all(i == "" for i in ids) and ids:
        assert quick is not None and quick[1] == 0 and (quick[0] == -1).all()
        return
    assert quick is not None
    assert quick[0].tolist() == expected.tolist() and quick[1] == len(uniques)
    assert repeats(column) == (len(uniques) < sum(1 for i in ids if i))


def test_first_seen_by_hand_and_text_ids_are_left_to_hashing():
    codes, count = first_seen(series(["H07", "", "H03", "H07", "H01"]))
    assert codes.tolist() == [0, -1, 1, 0, 2] and count == 3
    assert first_seen(series(["H07", "x"])) is None  # not numbers in disguise
    assert repeats(series(["C01", "C02", "C01"])) is True
    assert repeats(series(["C01", "C02", ""])) is False  # empty ids are not keys


def test_ids_read_once_while_reading_are_shared_read_only():
    column = series(["C01", "C02", "C03"])
    with reading_once():
        first, again = as_numbers([column]), as_numbers([column])
        assert first is not None and again is not None and first[0] is again[0]
        assert not first[0].flags.writeable
        assert repeats(column) is False and groups([column])[0].tolist() == [0, 1, 2]
        assert as_numbers([column])[0].tolist() == [1, 2, 3]  # nothing changed them
    assert as_numbers([column])[0] is not first[0]  # outside: read afresh


def test_ids_parsed_in_pieces_on_both_cores_keep_their_order_and_one_shape(monkeypatch):
    import pyarrow as pa

    import workbench.core.ids as ids_module

    monkeypatch.setattr(ids_module, "PIECE", 2)  # pieces of two ids: five pieces, both halves
    chunks = [["C0005", "", "C0001"], ["C0009", "C0002", "C0007", "", "C0003"]]
    column = pd.Series(pd.arrays.ArrowStringArray(pa.chunked_array(chunks)))
    assert as_numbers([column])[0].tolist() == [5, -1, 1, 9, 2, 7, -1, 3]
    codes, count = first_seen(column)
    assert codes.tolist() == [0, -1, 1, 2, 3, 4, -1, 5] and count == 6
    # another width in the other core's half only, or within one half: not numbers in disguise
    for other in (["C02", "C03"], ["C0009", "C02"]):
        odd = pd.Series(pd.arrays.ArrowStringArray(pa.chunked_array([["C0005", "C0001"], other])))
        assert as_numbers([odd]) is None
    # a half of empty ids takes the other half's shape
    empty_first = pd.Series(pd.arrays.ArrowStringArray(pa.chunked_array([["", "", ""], ["C0004"]])))
    assert as_numbers([empty_first])[0].tolist() == [-1, -1, -1, 4]


def test_the_extremes_leave_empty_ids_out():
    from workbench.core.ids import _extremes

    assert _extremes(np.array([-1, 7, 3, -1, 12], dtype=np.int32)) == (3, 12)
    assert _extremes(np.array([-1, -1], dtype=np.int64))[1] == -1  # all empty


@given(
    st.lists(st.one_of(st.just(""), st.integers(0, 99_999).map(lambda i: f"C{i:05d}")), max_size=60),
    st.integers(1, 7),
    st.integers(1, 4),
)
def test_ids_read_in_pieces_equal_reading_them_whole(ids, piece, chunks):
    from unittest import mock

    import pyarrow as pa

    import workbench.core.ids as ids_module

    bounds = sorted({0, len(ids), *(len(ids) * k // chunks for k in range(1, chunks))})
    arrow = pa.chunked_array([ids[a:b] for a, b in itertools.pairwise(bounds)] or [[]], type=pa.string())
    column = pd.Series(pd.arrays.ArrowStringArray(arrow))
    with mock.patch.object(ids_module, "PIECE", piece):
        found = as_numbers([column])
    assert found is not None
    assert found[0].tolist() == [int(i[1:]) if i else -1 for i in ids]
