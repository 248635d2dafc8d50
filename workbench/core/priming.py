"""The interpreter's share of the first compiled call, paid early on a thread of its own.

numba's first call of any compiled kernel in a process installs its typing registries:
0.2-0.3 s of interpreter time on the machine of ``benchmarks/README.md``; every kernel
after that loads from the cache in a few milliseconds. ``prime_kernels`` makes that
first call on a thread while Polars decodes a Parquet file (``files.decoding``: the
decoding leaves the interpreter free), instead of in the checks of the ids that follow
it: ICBC's
first columns of the 10M sample in a fresh process, four alternating pairs, read and
checked in 1.67-2.04 s without it, 1.48-1.93 s with it (the ids' checks 0.36-0.45 ->
0.14-0.20 s, the decoding 0.03-0.10 s longer).
"""

from __future__ import annotations

import threading

import numpy as np

from workbench.core.gathering import gather

THREAD = "workbench-prime"
_lock = threading.Lock()
_started = False


def prime_kernels() -> None:
    """Start the first compiled call in the background, once per process."""
    global _started
    with _lock:
        if _started:
            return
        _started = True
    threading.Thread(target=_first_call, name=THREAD, daemon=True).start()


def _first_call() -> None:
    gather(np.zeros(1, dtype=np.int32), np.zeros(1), np.empty(1))
