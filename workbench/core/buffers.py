"""Per-customer arrays written again instead of allocated afresh.

A full recompute at millions of customers makes a few arrays of tens of
megabytes (metrics, AUM in fen). Fresh ones cost more than the work that fills
them on a machine whose kernel compacts memory for every huge page it hands
out (measured in benchmarks/README.md: an 80 MB array 100-140 ms instead of
25-35 ms), so they are made with ordinary pages (``workbench.core.pages``:
after a file is read, 145-175 ms against 30 ms here), and ``Buffers`` keeps the
arrays an engine let go and hands one out again only when nothing else holds it:
no result, layout or view still reads it (its reference count says so), so
reusing it changes no figure anyone has.
"""

from __future__ import annotations

import sys
import threading
import weakref

import numpy as np

from workbench.core.pages import ordinary_pages

KEEP = 4  # arrays kept at most: one recompute's metrics and fen (each is tens of MB at 10M)
POOL_FROM = 1 << 16  # elements from which an array is worth keeping (smaller ones are cheap)


class Buffers:
    """A pool of arrays this engine allocated, to be written again once unheld."""

    def __init__(self, keep: int = KEEP) -> None:
        self._keep = keep
        self._free: list[np.ndarray] = []
        self._mine: weakref.WeakValueDictionary[int, np.ndarray] = weakref.WeakValueDictionary()
        self._lock = threading.Lock()
        self.made = 0  # arrays worth keeping allocated afresh (the rest were written again)
        self._probe = [np.empty(0)]  # held by a list only: what "nobody else" counts here

    def empty(self, size: int, dtype: type | np.dtype = np.float64) -> np.ndarray:
        """An uninitialised, writable array of ``size`` elements: a kept one nothing
        else holds, or a new one."""
        dtype = np.dtype(dtype)
        if size >= POOL_FROM:
            with self._lock:
                for i in range(len(self._free)):
                    if self._fits(i, size, dtype):
                        array = self._free.pop(i)
                        array.setflags(write=True)
                        return array
        with ordinary_pages():  # read in order: huge pages buy nothing a fresh one's wait costs
            array = np.empty(size, dtype=dtype)
        if size >= POOL_FROM:
            self._mine[id(array)] = array
            self.made += 1
        return array

    def _fits(self, i: int, size: int, dtype: np.dtype) -> bool:
        array = self._free[i]
        if array.shape != (size,) or array.dtype != dtype:
            return False
        del array
        # Counted the same way as the probe, which only a list holds: nobody else reads it.
        return sys.getrefcount(self._free[i]) == sys.getrefcount(self._probe[0])

    def owns(self, array: np.ndarray) -> bool:
        """Whether ``array`` came from ``empty`` (and may be written in place by its owner)."""
        return self._mine.get(id(array)) is array

    def release(self, *arrays: np.ndarray | None) -> None:
        """Arrays their owner no longer keeps: written again once nobody else holds them.
        Arrays this pool did not hand out (portfolio columns, a plugin's own) are ignored."""
        with self._lock:
            for array in arrays:
                if array is None or not self.owns(array) or any(a is array for a in self._free):
                    continue
                self._free.append(array)
            del self._free[: max(0, len(self._free) - self._keep)]


_scratch = threading.local()


def thread_scratch(size: int, use: str) -> np.ndarray:
    """This thread's ``size`` bytes for ``use`` (a pass's per-block temporaries), written
    again block after block: fresh memory costs a page fault per 4 KB on every block
    (about a quarter of a pass on a VM). Each use has its own, so a pass may hold two."""
    held: dict[str, np.ndarray] = getattr(_scratch, "bytes", None) or {}
    _scratch.bytes = held
    array = held.get(use)
    if array is None or len(array) < size:
        array = held[use] = np.empty(size, dtype=np.uint8)
    return array[:size]
