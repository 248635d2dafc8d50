"""Each customer's state as the tuner keeps it: two bytes, the tier and the "qualified by"
code, by row, and for the customers a threshold change reclassifies also in the layout's
order.

A threshold change reclassifies one contiguous slice of a layout. By row, its customers'
states are read and written at random rows: at 10M, a cache miss or two a customer (891,679
moved by a layer bound: 13-17 ns a row to write, 4-12 to read; Postal Savings' 1% move, 94,689
customers, 5 of its 7 ms). Kept in the layout's order, the same states are one contiguous
run. So the states keep one layout's span in its order: a slice outside it is gathered from
the rows once (the span grows, or starts again where that is cheaper), and the rows of the
positions written since are brought up to date (one scatter) only when something reads them
by row: a customer-level output, a recount against another baseline, a slice of another
layout. Both cost what the customers touched cost, not what the portfolio does. A full pass
writes every row again and lets the span go.

``lock`` serialises whoever writes the states (the tuner's update, preparing, a reader
bringing the rows up to date).
"""

from __future__ import annotations

import threading

import numpy as np

from workbench.core import gathering, parallel
from workbench.core.results import Classification

# A customer's state: two bytes, the tier and the "qualified by" code.
TIER, CODE = 0, 1

Span = tuple[int, int]  # positions [start, stop) of a layout's order; empty when start == stop
EMPTY: Span = (0, 0)


def _words(state: np.ndarray) -> np.ndarray:
    """A (rows, 2) int8 state as one int16 word a customer."""
    return state.view(np.int16).reshape(len(state))


def _size(span: Span) -> int:
    return span[1] - span[0]


def _hull(a: Span, b: Span) -> Span:
    if _size(a) == 0:
        return b
    if _size(b) == 0:
        return a
    return min(a[0], b[0]), max(a[1], b[1])


class States:
    """The per-customer states of one tuner: ``rows()`` by row, and a span of one layout's
    customers in its order (``in_order``)."""

    def __init__(self, rows: int) -> None:
        self._by_row = np.zeros((rows, 2), dtype=np.int8)
        self._order: np.ndarray | None = None
        self._sorted = np.empty((0, 2), dtype=np.int8)  # states at ``_order``'s positions
        self._kept: Span = EMPTY  # positions of ``_sorted`` that hold current states
        self._written: Span = EMPTY  # positions written since their rows (within ``_kept``)
        self.lock = threading.RLock()

    def for_writing(self) -> np.ndarray:
        """The states by row, for a pass that writes every row: the layout's span goes."""
        with self.lock:
            self._forget()
            return self._by_row

    def rows(self) -> np.ndarray:
        """The states by row, up to date."""
        with self.lock:
            if _size(self._written) and self._order is not None:
                a, b = self._written
                order, sorted_, out = self._order[a:b], _words(self._sorted)[a:b], _words(self._by_row)

                def scatter(i: int, j: int) -> None:
                    gathering.scatter(order[i:j], sorted_[i:j], out)

                parallel.for_chunks(b - a, scatter)
            self._written = EMPTY
            return self._by_row

    def in_order(self, order: np.ndarray, where: slice) -> np.ndarray:
        """The states of the customers ``order`` lists, in its order, current at least at
        positions ``where``, for writing there (their rows fall behind until ``rows()``)."""
        with self.lock:
            want: Span = (where.start, where.stop)
            if self._order is not order:
                self.rows()
                self._order, self._sorted, self._kept = order, np.empty((len(order), 2), np.int8), EMPTY
            kept = self._kept
            grown = _hull(kept, want)
            if _size(grown) - _size(kept) > _size(self._written) + _size(want):
                self.rows()  # a span far away: cheaper to start again there
                kept, grown = EMPTY, want
            if _size(kept) == 0:
                self._gather(grown)
            else:
                self._gather((grown[0], kept[0]))
                self._gather((kept[1], grown[1]))
            self._kept = grown
            self._written = _hull(self._written, want)
            return self._sorted

    def keep_in_order(self, order: np.ndarray) -> None:
        """Keep all of ``order``'s customers in its order from now on (one gather, in
        parallel), in place of what was kept so far: its first slice then needs none."""
        with self.lock:
            self.rows()
            self.in_order(order, slice(0, len(order)))
            self._written = EMPTY  # gathered, not written

    def let_go(self) -> None:
        """Keep the states by row only (brought up to date first)."""
        with self.lock:
            self.rows()
            self._forget()

    def _forget(self) -> None:
        self._order, self._sorted = None, np.empty((0, 2), dtype=np.int8)
        self._kept = self._written = EMPTY

    def _gather(self, span: Span) -> None:
        """Copy the row states of ``_order``'s positions ``span`` into ``_sorted``."""
        a, b = span
        if b <= a or self._order is None:
            return
        order, rows, out = self._order[a:b], _words(self._by_row), _words(self._sorted)[a:b]

        def gather(i: int, j: int) -> None:
            gathering.gather(order[i:j], rows, out[i:j])

        parallel.for_chunks(b - a, gather)


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
