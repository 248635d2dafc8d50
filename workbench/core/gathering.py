"""Compiled gathers and scatters by an order of rows (numba, ``nogil``).

numpy's fancy indexing ``values[order]`` first converts an int32 order to intp (a pass
writing 80 MB at 10M) and then reads; the loop here reads the order as it is. At 10M with
a random order, one thread: int8 values 81-114 -> 24-36 ms, float64 152-323 -> 87-90 ms;
the gathers of ICBC's ``Tuner.prepare`` 432-609 -> 281-385 ms of CPU (benchmarks/README.md).
"""

from __future__ import annotations

import numpy as np
from numba import njit


def gathered(values: np.ndarray, order: np.ndarray) -> np.ndarray:
    """``values[order]`` in ``values``' type, on this thread (``nogil``: other threads
    gather beside it); numpy's own gather for what is not numbers or yes/no."""
    if values.dtype.kind not in "biuf":
        return values[order]
    out = np.empty(len(order), dtype=values.dtype)
    gather(order, values, out)
    return out


@njit(nogil=True, cache=True)
def gather(order: np.ndarray, values: np.ndarray, out: np.ndarray) -> None:  # pragma: no cover - compiled
    """``out[i] = values[order[i]]``."""
    for i in range(len(out)):
        out[i] = values[order[i]]


@njit(nogil=True, cache=True)
def scatter(order: np.ndarray, values: np.ndarray, out: np.ndarray) -> None:  # pragma: no cover - compiled
    """``out[order[i]] = values[i]``."""
    for i in range(len(values)):
        out[order[i]] = values[i]
