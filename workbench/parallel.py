"""Running a numpy pass over large arrays in chunks on several threads.

numpy releases the GIL inside its loops, so two threads over two halves of an
array use both cores. Elementwise work gives the same result as one pass.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache

PARALLEL_FROM = 1_000_000  # below this, threads cost more than they save


@lru_cache(maxsize=1)
def _pool() -> ThreadPoolExecutor:
    return ThreadPoolExecutor(max_workers=max(1, min(4, os.cpu_count() or 1)), thread_name_prefix="workbench")


def for_chunks(n: int, work: Callable[[int, int], None]) -> None:
    """Call ``work(start, stop)`` over ``[0, n)`` in contiguous chunks, one per core."""
    workers = _pool()._max_workers
    if n < PARALLEL_FROM or workers == 1:
        work(0, n)
        return
    bounds = [n * i // workers for i in range(workers + 1)]
    futures = [_pool().submit(work, a, b) for a, b in itertools.pairwise(bounds)]
    for future in futures:
        future.result()
