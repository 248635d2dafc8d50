"""A ``Layout``: the customers in ascending order of one metric, with co-sorted copies of
what a reclassification reads, so the customers a threshold change can move are one
contiguous slice (``workbench.core.tuning`` keeps one per threshold metric).

What a layout holds at 10M customers is most of a prepared portfolio's memory: its
order (40 MB), the sorted values (80 MB) and a copy per read array. Whole numbers are
co-sorted in the narrowest integer type that holds them exactly; an array computed row
by row from another the layout holds (AUM in fen from AUM) is computed slice by slice
instead of copied.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from concurrent.futures import Executor, Future
from typing import Literal

import numpy as np

from workbench.core.gathering import gathered
from workbench.core.pages import ordinary_pages
from workbench.core.parallel import Widening
from workbench.core.sorting import sorted_order

Derivation = tuple[np.ndarray, np.ndarray, Callable[[np.ndarray], np.ndarray]]
"""``(array, source, compute)``: ``array`` is ``compute(source)`` row by row."""

NARROW = (np.int8, np.int16, np.int32)  # what small whole numbers are co-sorted in
AHEAD_THREAD = "workbench-sort-ahead"


class Layout:
    """The customers with a value of one metric in ascending order of it, with co-sorted
    copies of the per-customer arrays a reclassification reads. Customers without one (NaN:
    a household mean for someone in no household of two) are left out: no threshold on the
    metric holds for them, so no change of it moves them. Not changed once in use: more
    copies make a new layout (``with_copies``), so a reader never sees one half-built.

    A copy of whole numbers is kept in the narrowest integer type that holds them (card
    levels: one byte instead of eight); an array computed row by row from another one the
    layout holds (AUM in fen from AUM) is not copied at all but computed slice by slice."""

    def __init__(
        self,
        values: np.ndarray,
        order: np.ndarray,
        ascending: np.ndarray,
        copies: dict[int, tuple[np.ndarray, np.ndarray]] | None = None,
        derived: dict[int, Derivation] | None = None,
    ) -> None:
        self.values = values
        self.order = order
        self.ascending = ascending
        self._copies = copies if copies is not None else {id(values): (values, ascending)}
        self._derived = derived or {}

    @classmethod
    def sorting(cls, values: np.ndarray, pool: Executor | None = None) -> Layout:
        """``values`` sorted, in chunks side by side (one per core), on ``pool`` (the
        sort's own threads unless given)."""
        return cls(values, *sorted_order(values, numbers_only=True, pool=pool))

    def has(self, array: np.ndarray) -> bool:
        held = self._copies.get(id(array))
        if held is not None:
            return held[0] is array
        derivation = self._derived.get(id(array))
        return derivation is not None and derivation[0] is array and self.has(derivation[1])

    def missing(self, arrays: Iterable[np.ndarray], derived: Iterable[Derivation] = ()) -> list[np.ndarray]:
        """What of ``arrays`` must be gathered: neither held nor computable from what is."""
        arrays = list(arrays)
        skip = computable(self.values, arrays, derived)
        return [a for a in arrays if not self.has(a) and id(a) not in skip]

    def with_copies(
        self,
        arrays: list[np.ndarray],
        copied: list[np.ndarray] | None = None,
        derived: Iterable[Derivation] | None = None,
    ) -> Layout:
        """A layout with co-sorted copies of exactly ``arrays`` (and the metric itself):
        kept ones shared, others gathered (``copied`` when already done), those ``derived``
        from another computed instead (this layout's own derivations when not given),
        unread ones dropped so their memory goes back."""
        derivations = computable(self.values, arrays, self._derived.values() if derived is None else derived)
        copies = {id(self.values): (self.values, self.ascending)}
        fresh = iter(copied) if copied is not None else None
        for array in arrays:
            if id(array) in copies or id(array) in derivations:
                continue
            held = self._copies.get(id(array))
            if held is not None and held[0] is array:
                copies[id(array)] = held
            else:
                copies[id(array)] = (array, next(fresh) if fresh is not None else self.gather(array))
        return Layout(self.values, self.order, self.ascending, copies, derivations)

    def keeping(self, arrays: list[np.ndarray]) -> Layout:
        """This layout with only the copies of ``arrays`` it has (none gathered)."""
        return self.with_copies([a for a in arrays if self.has(a)])

    def gather(self, array: np.ndarray) -> np.ndarray:
        """``array`` in this layout's order (a gather over its customers), whole numbers
        in the narrowest integer type that holds them exactly: narrowed before the gather,
        whose random reads then touch a byte a customer instead of eight."""
        return gathered(narrowed(array), self.order)

    def take(self, array: np.ndarray, where: slice) -> np.ndarray:
        """``array``'s values at the positions ``where`` of this layout, in its own type."""
        held = self._copies.get(id(array))
        if held is None:
            derived, source, compute = self._derived[id(array)]
            assert derived is array, "layout derivation is stale"
            return compute(self.take(source, where))
        assert held[0] is array, "layout copy is stale"
        part = held[1][where]
        return part if part.dtype == array.dtype else part.astype(array.dtype)

    def between(self, low: float, high: float, strict: bool) -> slice:
        """Positions whose value lies in [low, high) (or (low, high] when ``strict``)."""
        side: Literal["left", "right"] = "right" if strict else "left"
        return slice(
            int(np.searchsorted(self.ascending, low, side=side)),
            int(np.searchsorted(self.ascending, high, side=side)),
        )


class SortsAhead:
    """Layouts sorted in the background before a tuner asks for them: started as soon as
    the metrics are computed, on a thread of their own, one metric after another (one
    sort's scratch memory at a time), on one core while the first figures are classified
    and painted on the other, and on every core from the first ``take`` (the tuner waits
    for them then). (Sorted on both cores from the start, ICBC's star points at 10M held
    the first figures back to 2.5-2.9 s; on one core they come at 2.3-2.5 s; on one core
    to the end, the sort kept the other idle for 0.34 s after them.) A tuner ``take``s
    each once; a sort not started by then is the tuner's to make on every core; the
    memory of one never taken goes when this goes."""

    def __init__(self, arrays: list[np.ndarray]) -> None:
        self._pending: dict[int, tuple[np.ndarray, Future[Layout]]] = {id(a): (a, Future()) for a in arrays}
        jobs = list(self._pending.values())
        self._threads = Widening("sort-ahead")
        self._thread = threading.Thread(
            target=_sort_each, args=(jobs, self._threads), name=AHEAD_THREAD, daemon=True
        )
        self._thread.start()

    def wait(self) -> None:
        """Until every sort started here is done (and its memory, if let go of, gone)."""
        self._thread.join()

    def take(self, values: np.ndarray) -> Layout | None:
        """The layout of these very ``values`` (once its sort is done), or None when they
        were not sorted here, were taken already, or their sort had not started (it will
        not now)."""
        held = self._pending.pop(id(values), None)
        if held is None or held[0] is not values or held[1].cancel():
            return None
        self._threads.widen()  # someone waits: every core
        return held[1].result()

    def keep_only(self, arrays: Iterable[np.ndarray | None]) -> None:
        """Let go of the sorts of arrays other than these very ``arrays`` (metrics a
        weight change replaced): those not started are not made; the memory of the others
        goes once each is done."""
        wanted = {id(a): a for a in arrays if a is not None}
        for key, (values, future) in list(self._pending.items()):
            if wanted.get(key) is not values:
                self._pending.pop(key, None)
                future.cancel()


def _sort_each(jobs: list[tuple[np.ndarray, Future[Layout]]], threads: Widening) -> None:
    with ordinary_pages():  # fresh arrays written in order, as ``Tuner.prepare``'s
        while jobs:
            values, future = jobs.pop(0)
            if not future.set_running_or_notify_cancel():  # taken before it started
                continue
            try:
                future.set_result(Layout.sorting(values, threads))
            except Exception as exc:  # raised where the layout is taken
                future.set_exception(exc)
            del values, future  # a layout nobody takes goes with its ``SortsAhead``


def computable(
    values: np.ndarray, arrays: list[np.ndarray], derived: Iterable[Derivation]
) -> dict[int, Derivation]:
    """The derivations of ``arrays`` whose source a layout of ``values`` holds (the
    metric itself or another of ``arrays``): those need no co-sorted copy."""
    return {
        id(a): (a, source, fn)
        for a, source, fn in derived
        if any(a is b for b in arrays) and any(source is b for b in [values, *arrays])
    }


def narrowed(values: np.ndarray) -> np.ndarray:
    """``values`` in the narrowest of ``NARROW`` that holds every one of them exactly
    (floats that are all whole numbers in range, with no NaN), else ``values`` itself."""
    if values.dtype.kind != "f" or not len(values):
        return values
    head = values[:1024]
    if not np.array_equal(np.trunc(head), head):  # cheap refusal for amounts with decimals
        return values
    low, high = float(values.min()), float(values.max())  # NaN makes both NaN: refused below
    for dtype in NARROW:
        info = np.iinfo(dtype)
        if info.min <= low and high <= info.max and np.dtype(dtype).itemsize < values.dtype.itemsize:
            small = values.astype(dtype)
            return small if np.array_equal(small, values) else values
    return values
