"""Household membership of a portfolio's customers, computed once per portfolio."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np


@dataclass(frozen=True)
class Households:
    """Household membership.

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
    _cache: dict[Any, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_codes(cls, codes: np.ndarray) -> Households:
        """From each customer's household number (-1 without a household)."""
        codes = codes.astype(np.int32, copy=False)
        count = int(codes.max()) + 1 if len(codes) else 0
        members = np.flatnonzero(codes >= 0)
        per_household = np.bincount(codes[members], minlength=count)
        sizes = np.append(per_household, 1)[np.where(codes >= 0, codes, count)].astype(np.int32)
        return cls(codes, sizes, count, members, per_household)

    @classmethod
    def none(cls, rows: int) -> Households:
        """Nobody in a household."""
        return cls(
            np.full(rows, -1, dtype=np.int32),
            np.ones(rows, dtype=np.int32),
            0,
            np.empty(0, dtype=np.int64),
            np.empty(0, dtype=np.int64),
        )

    @property
    def index(self) -> np.ndarray:
        """Each customer's household number plus one (0 without a household id), int32."""
        cached = self._cache.get("index")
        if cached is None:
            cached = self._cache["index"] = (self.codes + 1).astype(np.int32)
        return cached
