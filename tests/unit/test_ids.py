"""Ids across a panel's months as positions: numbers in disguise take the quick path, every
other id is hashed as text, and both give the same places."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from workbench.core.ids import as_numbers, groups, places


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
