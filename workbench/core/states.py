"""Each customer's state as the tuner keeps it: two bytes, the tier and the "qualified by"
code, by row, and when every threshold compares one metric also in that metric's layout
order.

A threshold change reclassifies one contiguous slice of a layout. By row, its customers'
states are read and written at random rows: at 10M, 891,679 customers moved by a layer
bound cost 13-17 ns a row to write and 4-12 to read, most of such a nudge. Kept in the
layout's order, the same states are one contiguous run. Then the row states of those
customers fall behind and are brought up to date (one scatter, in parallel) only when
something reads them: a customer-level output, a recount against another baseline, a
change along another metric. A full pass writes every row again and the layout-order copy
is let go.

``lock`` serialises whoever writes the states (the tuner's update, preparing, a reader
bringing the rows up to date).
"""

from __future__ import annotations

import threading

import numpy as np
from numba import njit

from workbench.core import parallel
from workbench.core.results import Classification

# A customer's state: two bytes, the tier and the "qualified by" code.
TIER, CODE = 0, 1


@njit(nogil=True, cache=True)
def _gather(order: np.ndarray, words: np.ndarray, out: np.ndarray) -> None:  # pragma: no cover - compiled
    for i in range(len(out)):
        out[i] = words[order[i]]


@njit(nogil=True, cache=True)
def _scatter(order: np.ndarray, words: np.ndarray, out: np.ndarray) -> None:  # pragma: no cover - compiled
    for i in range(len(words)):
        out[order[i]] = words[i]


def _words(state: np.ndarray) -> np.ndarray:
    """A (rows, 2) int8 state as one int16 word a customer."""
    return state.view(np.int16).reshape(len(state))


class States:
    """The per-customer states of one tuner: ``rows()`` by row, and optionally the same
    states of one layout's customers in its order (``in_order``)."""

    def __init__(self, rows: int) -> None:
        self._by_row = np.zeros((rows, 2), dtype=np.int8)
        self._order: np.ndarray | None = None
        self._sorted: np.ndarray | None = None
        self._behind = False  # rows of ``_order`` older than ``_sorted``
        self.lock = threading.RLock()

    def for_writing(self) -> np.ndarray:
        """The states by row, for a pass that writes every row: the layout-order copy goes."""
        with self.lock:
            self._order = self._sorted = None
            self._behind = False
            return self._by_row

    def rows(self) -> np.ndarray:
        """The states by row, up to date."""
        with self.lock:
            if self._behind:
                assert self._order is not None and self._sorted is not None
                order, sorted_ = self._order, _words(self._sorted)
                out = _words(self._by_row)

                def scatter(a: int, b: int) -> None:
                    _scatter(order[a:b], sorted_[a:b], out)

                parallel.for_chunks(len(order), scatter)
                self._behind = False
            return self._by_row

    def in_order(self, order: np.ndarray) -> np.ndarray | None:
        """The states of the customers ``order`` lists, in its order, if kept; writing them
        leaves the row states behind until ``rows()``."""
        with self.lock:
            if self._order is not order:
                return None
            self._behind = True
            return self._sorted

    def keep_in_order(self, order: np.ndarray) -> None:
        """From now on keep the states of ``order``'s customers in its order as well
        (a gather, in parallel), in place of another order kept so far."""
        with self.lock:
            if self._order is order:
                return
            rows = _words(self.rows())
            sorted_ = np.empty((len(order), 2), dtype=np.int8)
            out = _words(sorted_)

            def gather(a: int, b: int) -> None:
                _gather(order[a:b], rows, out[a:b])

            parallel.for_chunks(len(order), gather)
            self._order, self._sorted, self._behind = order, sorted_, False

    def let_go(self) -> None:
        """Keep the states by row only (brought up to date first)."""
        with self.lock:
            self.rows()
            self._order = self._sorted = None


class RowTiers(Classification):
    """A classification of tiers only: the states' tiers by row, brought up to date when
    read (a tuner's result; valid until its next update)."""

    def __init__(self, states: States) -> None:
        for name in ("base", "qualified", "raised", "overridden"):  # what a tuner does not keep
            object.__setattr__(self, name, None)
        object.__setattr__(self, "_states", states)

    @property
    def tiers(self) -> np.ndarray:
        states: States = object.__getattribute__(self, "_states")
        return states.rows()[:, TIER]
