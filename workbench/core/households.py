"""Household membership of a portfolio's customers, computed once per portfolio."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numba import njit

from workbench.core.pages import ordinary_pages
from workbench.core.parallel import map_blocks, map_chunks


@dataclass(frozen=True)
class Households:
    """Household membership.

    ``codes`` is each customer's household number (-1 without a household id) and
    ``count`` the number of households. ``members`` lists the rows with a household id,
    ``counts`` the members of each household. A customer's household size is looked up
    (``size_of``), not kept per customer: 40 MB at 10M customers for one explanation.
    """

    codes: np.ndarray
    count: int
    members: np.ndarray
    counts: np.ndarray
    _cache: dict[Any, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_codes(cls, codes: np.ndarray) -> Households:
        """From each customer's household number (-1 without a household)."""
        codes = codes.astype(np.int32, copy=False)
        count = max(int(codes.max()) + 1, 0) if len(codes) else 0
        per_household = np.zeros(count, dtype=np.int64)
        members = np.empty(_count_members(codes, per_household), dtype=np.int32)
        _members(codes, members)
        return cls(codes, count, members, per_household)

    @classmethod
    def none(cls, rows: int) -> Households:
        """Nobody in a household."""
        return cls(
            np.full(rows, -1, dtype=np.int32), 0, np.empty(0, dtype=np.int32), np.empty(0, dtype=np.int64)
        )

    def size_of(self, row: int) -> int:
        """The number of members of customer ``row``'s household (1 without one)."""
        code = int(self.codes[row])
        return int(self.counts[code]) if code >= 0 else 1

    @property
    def sizes(self) -> np.ndarray:
        """Every customer's household size (1 without a household id), made on each call."""
        if not self.count:
            return np.ones(len(self.codes), dtype=np.int64)
        return np.where(self.codes >= 0, self.counts[np.maximum(self.codes, 0)], 1)

    @property
    def grouped(self) -> tuple[np.ndarray, np.ndarray]:
        """The members ordered by household (by row within one), and where each
        household's members start in that order (``count + 1`` bounds): made once."""

        def make() -> tuple[np.ndarray, np.ndarray]:
            starts = np.zeros(self.count + 1, dtype=np.int64)
            np.cumsum(self.counts, out=starts[1:])
            order = np.empty(len(self.members), dtype=np.int32)
            _by_household(self.codes, self.members, starts, order)  # a counting sort: stable
            return order, starts

        return self._kept("grouped", make)

    def _in_household_order(self, values: np.ndarray) -> np.ndarray:
        """The members' ``values`` in household order, copied once per column."""
        key = ("by household", id(values))
        held = self._cache.get(key)
        if held is not None and held[0] is not values:
            del self._cache[key]  # another array at the same address
        return self._kept(key, lambda: (values, values[self.grouped[0]]))[1]

    @property
    def steps(self) -> np.ndarray:
        """Per member in household order, how many households start there (1 at each
        household's first member, 0 elsewhere; more where households without members
        share the place): made once."""

        def make() -> np.ndarray:
            _, starts = self.grouped
            counted = np.bincount(starts[:-1], minlength=len(self.members) + 1)[: len(self.members)]
            return counted.astype(np.uint8 if counted.max(initial=0) < 256 else np.int64)

        return self._kept("steps", make)

    def _kept(self, key: Any, make: Callable[[], Any]) -> Any:
        """What ``make()`` returns, made once, with ordinary pages (``workbench.core.pages``:
        fresh arrays of tens of MB wait for huge pages here, 90-170 ms each at 10M)."""
        cached = self._cache.get(key)
        if cached is None:
            with ordinary_pages():
                cached = self._cache[key] = make()
        return cached

    def per_household(self, values: np.ndarray, mean: bool, decimals: int, min_members: int) -> np.ndarray:
        """Each household's mean (or sum) of its members' ``values`` rounded to
        ``decimals``, NaN for one of fewer than ``min_members``, after a NaN for customers
        without a household: ``result[codes + 1]`` is every customer's. The sums in one
        compiled pass over the members in household order, without a branch (a loop per
        household mispredicts its end at almost every one: 2.5x slower); the same floats as
        numpy's ``bincount``, division and ``round`` (tested)."""
        _, starts = self.grouped
        grouped, steps = self._in_household_order(values), self.steps
        out = np.empty(self.count + 1, dtype=np.float64)
        out[0] = np.nan
        mine = out[1:]

        def chunk(a: int, b: int) -> None:
            first = int(np.searchsorted(starts, starts[a]))  # the first of the households starting there
            mine[a:b] = 0.0
            _sums(grouped, steps, int(starts[a]), int(starts[b]), first - 1, mine)
            members = self.counts[a:b]
            if mean:
                np.divide(mine[a:b], np.maximum(members, 1), out=mine[a:b])
            np.round(mine[a:b], decimals, out=mine[a:b])
            mine[a:b][members < min_members] = np.nan

        map_chunks(self.count, chunk)
        return out

    def spread(self, per_household: np.ndarray, out: np.ndarray) -> np.ndarray:
        """``per_household[codes + 1]`` (see ``per_household``) for every customer, into
        ``out``: rows in order, each household's value looked up (the table of a few MB
        stays in cache; 10M rows in 10-20 ms, as the windowed writes it replaces)."""
        codes = self.codes
        map_blocks(len(out), lambda a, b: look_up(codes[a:b], per_household, out[a:b]))
        return out

    def aggregate(
        self, values: np.ndarray, mean: bool, decimals: int, min_members: int, out: np.ndarray
    ) -> np.ndarray:
        """Each member's household mean (or sum) of ``values`` (``per_household``, then
        ``spread``), into ``out``."""
        return self.spread(self.per_household(values, mean, decimals, min_members), out)


@njit(nogil=True, cache=True)
def _sums(  # pragma: no cover - compiled
    grouped: np.ndarray, steps: np.ndarray, first: int, last: int, household: int, totals: np.ndarray
) -> None:
    """Members ``first:last`` (in household order) added up by household into ``totals``:
    a running sum, restarted where a household starts and stored at every member (the
    last store of a household is its total), in members' order as ``bincount`` adds."""
    total = 0.0
    for j in range(first, last):
        step = steps[j]
        household += step
        total = grouped[j] + (0.0 if step else total)
        totals[household] = total


@njit(nogil=True, cache=True)
def look_up(codes: np.ndarray, table: np.ndarray, out: np.ndarray) -> None:  # pragma: no cover - compiled
    """Each row's entry of ``table`` for its household (``codes``: household number, -1
    for none; ``table`` the entry of none first)."""
    for i in range(len(codes)):
        out[i] = table[codes[i] + 1]


@njit(nogil=True, cache=True)
def _count_members(codes: np.ndarray, counts: np.ndarray) -> int:  # pragma: no cover - compiled
    """Members per household into ``counts``; returns how many customers have a household."""
    members = 0
    for i in range(len(codes)):
        if codes[i] >= 0:
            counts[codes[i]] += 1
            members += 1
    return members


@njit(nogil=True, cache=True)
def _members(codes: np.ndarray, members: np.ndarray) -> None:  # pragma: no cover - compiled
    j = 0
    for i in range(len(codes)):
        if codes[i] >= 0:
            members[j] = i
            j += 1


@njit(nogil=True, cache=True)
def _by_household(  # pragma: no cover - compiled
    codes: np.ndarray, members: np.ndarray, starts: np.ndarray, order: np.ndarray
) -> None:
    place = starts[:-1].copy()
    for i in members:
        h = codes[i]
        order[place[h]] = i
        place[h] += 1
