"""Household membership of a portfolio's customers, computed once per portfolio."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numba import njit

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
    def index(self) -> np.ndarray:
        """Each customer's household number plus one (0 without a household id), int32."""
        cached = self._cache.get("index")
        if cached is None:
            cached = self._cache["index"] = (self.codes + 1).astype(np.int32)
        return cached

    @property
    def grouped(self) -> tuple[np.ndarray, np.ndarray]:
        """The members ordered by household (by row within one), and where each
        household's members start in that order (``count + 1`` bounds): made once."""
        cached = self._cache.get("grouped")
        if cached is None:
            starts = np.zeros(self.count + 1, dtype=np.int64)
            np.cumsum(self.counts, out=starts[1:])
            order = np.empty(len(self.members), dtype=np.int32)
            _by_household(self.codes, self.members, starts, order)  # a counting sort: stable
            cached = self._cache["grouped"] = (order, starts)
        return cached

    def _in_household_order(self, values: np.ndarray) -> np.ndarray:
        """The members' ``values`` in household order, copied once per column."""
        held = self._cache.get(("by household", id(values)))
        if held is None or held[0] is not values:
            held = self._cache[("by household", id(values))] = (values, values[self.grouped[0]])
        return held[1]

    def aggregate(
        self, values: np.ndarray, mean: bool, decimals: int, min_members: int, out: np.ndarray
    ) -> np.ndarray:
        """Each member's household mean (or sum) of ``values`` rounded to ``decimals``, NaN
        for customers without a household or in one of fewer than ``min_members``: the
        sums, the rounding and the spreading in one compiled pass over the households (no
        household-sized temporaries). The same floats as numpy's ``bincount``, division
        and ``round`` (tested)."""
        order, starts = self.grouped
        grouped = self._in_household_order(values)
        map_blocks(len(out), lambda a, b: out[a:b].fill(np.nan))
        map_chunks(
            self.count,
            lambda a, b: _aggregate(grouped, starts, order, mean, decimals, min_members, a, b, out),
        )
        return out


@njit(nogil=True, cache=True)
def _aggregate(  # pragma: no cover - compiled
    grouped: np.ndarray,
    starts: np.ndarray,
    order: np.ndarray,
    mean: bool,
    decimals: int,
    min_members: int,
    first: int,
    last: int,
    out: np.ndarray,
) -> None:
    for h in range(first, last):
        total = 0.0
        for j in range(starts[h], starts[h + 1]):
            total += grouped[j]
        members = starts[h + 1] - starts[h]
        value = total / max(members, 1) if mean else total
        value = np.round(value, decimals) if members >= min_members else np.nan
        for j in range(starts[h], starts[h + 1]):
            out[order[j]] = value


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
