"""Sorting a metric for instant tuning: a compiled radix sort instead of a comparison sort.

Preparing a portfolio for instant threshold changes sorts each threshold metric
once (``Tuner.prepare``). numpy's ``argsort`` of 10,000,000 floats took 2.1-2.2 s
on the machine of benchmarks/README.md; a least-significant-digit radix sort on
the floats' bits (11 bits a pass, passes whose digit every value shares
skipped) reads and writes memory in sequence and gives the sorted values
without a gather. The order is the same as ``np.argsort(kind="stable")``: ties
keep their rows' order, NaN last (tested).
"""

from __future__ import annotations

import numpy as np
from numba import njit

RADIX_FROM = 1 << 16  # values from which the radix sort pays for itself
BITS = 11
PASSES = 6  # 6 x 11 bits cover the 64 bits of a float
BUCKETS = 1 << BITS
SIGN = np.uint64(1 << 63)


def sorted_order(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``values``' ascending order as int32 row numbers (NaN last, ties by row) and the
    values in that order."""
    if values.dtype != np.float64 or len(values) < RADIX_FROM or len(values) >= 2**31:
        order = np.argsort(values, kind="stable").astype(np.int32)
        return order, values[order]
    order = np.empty(len(values), dtype=np.int32)
    ascending = np.empty(len(values), dtype=np.float64)
    _radix_sort(values, order, ascending.view(np.uint64))
    return order, ascending


@njit(nogil=True, cache=True)
def _radix_sort(  # pragma: no cover - compiled
    values: np.ndarray, order: np.ndarray, ascending_bits: np.ndarray
) -> None:
    # The outputs serve as one of each pair of buffers the passes move between: half
    # the temporary memory (two sorts run at once while a portfolio is prepared).
    n = len(values)
    bits = values.view(np.uint64)
    keys = ascending_bits
    counts = np.zeros((PASSES, BUCKETS), dtype=np.int64)
    mask = np.uint64(BUCKETS - 1)
    nan_key = np.uint64(0xFFFFFFFFFFFFFFFF)
    for i in range(n):  # each float's bits as an unsigned number in the floats' order
        value, key = values[i], bits[i]
        if value != value:
            key = nan_key  # NaN above all
        elif value == 0.0:
            key = SIGN  # -0 as 0
        elif key & SIGN:
            key = ~key
        else:
            key = key | SIGN
        keys[i] = key
        for p in range(PASSES):
            counts[p, np.int64((key >> np.uint64(p * BITS)) & mask)] += 1
    rows = order
    for i in range(n):
        rows[i] = i
    keys_to = np.empty(n, dtype=np.uint64)
    rows_to = np.empty(n, dtype=np.int32)
    starts = np.empty(BUCKETS, dtype=np.int64)
    in_outputs = True
    for p in range(PASSES):
        if counts[p].max() == n:  # every value has the same digit here: nothing to move
            continue
        total = 0
        for b in range(BUCKETS):
            starts[b] = total
            total += counts[p, b]
        shift = np.uint64(p * BITS)
        for i in range(n):
            digit = np.int64((keys[i] >> shift) & mask)
            at = starts[digit]
            starts[digit] = at + 1
            keys_to[at] = keys[i]
            rows_to[at] = rows[i]
        keys, keys_to = keys_to, keys
        rows, rows_to = rows_to, rows
        in_outputs = not in_outputs
    if not in_outputs:
        ascending_bits[:] = keys
        order[:] = rows
    for i in range(n):  # back from keys to the floats' bits
        key = ascending_bits[i]
        ascending_bits[i] = key & ~SIGN if key & SIGN else ~key
