"""Running a numpy pass over large arrays in chunks on several threads.

numpy releases the GIL inside its loops, so two threads over two halves of an
array use both cores. Elementwise work gives the same result as one pass.
"""

from __future__ import annotations

import itertools
import os
import threading
from collections.abc import Callable
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from functools import cache, lru_cache
from typing import Any, TypeVar

T = TypeVar("T")

PARALLEL_FROM = 1_000_000  # below this, threads cost more than they save
BLOCK = 1 << 18  # rows a block: its int64 temporaries (2 MB) stay in cache


@lru_cache(maxsize=1)
def _pool() -> ThreadPoolExecutor:
    return ThreadPoolExecutor(max_workers=max(1, min(4, os.cpu_count() or 1)), thread_name_prefix="workbench")


def chunk_bounds(n: int, parallel_from: int = PARALLEL_FROM) -> list[int]:
    """Where ``[0, n)`` is cut in contiguous chunks, one per core (one chunk when small)."""
    workers = _pool()._max_workers
    if n < parallel_from or workers == 1:
        return [0, n]
    return [n * i // workers for i in range(workers + 1)]


@cache
def own_pool(name: str) -> ThreadPoolExecutor:
    """Threads of their own for long background work (sorting while a portfolio is
    prepared), so a nudge's passes on the shared threads never queue behind it."""
    return ThreadPoolExecutor(max_workers=_pool()._max_workers, thread_name_prefix=f"workbench-{name}")


class Widening(Executor):
    """Threads of their own (``own_pool(name)``) that run one task at a time until
    ``widen()``, then as many as there are cores: background work begun beside a
    foreground pass it must not slow (a sort beside the first figures), finished on
    every core once that pass is done and someone waits for it."""

    def __init__(self, name: str) -> None:
        self._pool = own_pool(name)
        self._width, self._running = 1, 0
        self._changed = threading.Condition()

    def widen(self) -> None:
        with self._changed:
            self._width = self._pool._max_workers
            self._changed.notify_all()

    def submit(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> Future[T]:
        def gated() -> T:
            with self._changed:
                while self._running >= self._width:
                    self._changed.wait()
                self._running += 1
            try:
                return fn(*args, **kwargs)
            finally:
                with self._changed:
                    self._running -= 1
                    self._changed.notify()

        return self._pool.submit(gated)


def over_chunks(
    spans: list[tuple[int, int]], work: Callable[[int, int, int], T], pool: Executor | None = None
) -> list[T]:
    """``work(index, start, stop)`` for each span, side by side (on ``pool``, the shared
    threads unless given); the results in order."""
    if len(spans) == 1:
        return [work(0, *spans[0])]
    futures = [(pool or _pool()).submit(work, i, a, b) for i, (a, b) in enumerate(spans)]
    return [future.result() for future in futures]


def map_chunks(
    n: int,
    work: Callable[[int, int], T],
    parallel_from: int = PARALLEL_FROM,
    pool: ThreadPoolExecutor | None = None,
) -> list[T]:
    """``work(start, stop)`` over ``[0, n)`` in contiguous chunks, one per core (on
    ``pool``, the shared threads unless given); the chunks' results in order."""
    spans = list(itertools.pairwise(chunk_bounds(n, parallel_from)))
    return over_chunks(spans, lambda _, a, b: work(a, b), pool)


def for_chunks(n: int, work: Callable[[int, int], None]) -> None:
    """Call ``work(start, stop)`` over ``[0, n)`` in contiguous chunks, one per core."""
    map_chunks(n, work)


def map_blocks(n: int, work: Callable[[int, int], T], block: int = BLOCK) -> list[T]:
    """``work(start, stop)`` over ``[0, n)`` in blocks of ``block`` rows (small enough for
    a pass's temporaries to stay in cache), shared out between the cores; the blocks'
    results in order. Block bounds do not depend on the number of cores, so results
    reduced in order (sums of floats) are the same on every machine."""
    bounds = [(s, min(n, s + block)) for s in range(0, n, block)]

    def run(first: int, last: int) -> list[T]:
        return [work(*bounds[i]) for i in range(first, last)]

    if len(bounds) < 2:
        return run(0, len(bounds))
    return [r for part in map_chunks(len(bounds), run, parallel_from=2) for r in part]
