"""Sorting a metric for instant tuning: a compiled radix sort instead of a comparison sort.

Preparing a portfolio for instant threshold changes sorts each threshold metric
once (``Tuner.prepare``). numpy's ``argsort`` of 10,000,000 floats took 2.1-2.2 s
on the machine of benchmarks/README.md; a least-significant-digit radix sort on
the floats' bits (11 bits a pass, passes whose digit every value shares
skipped) reads and writes memory in sequence and gives the sorted values
without a gather. The order is the same as ``np.argsort(kind="stable")``: ties
keep their rows' order, NaN last (tested).

Each pass runs on every core: the rows are cut in contiguous chunks, each chunk
moves its values to places counted for it (after every earlier chunk's values of
the same digit, so ties keep their order), and counts, as it moves them, the next
pass's digits by the chunk they land in.
"""

from __future__ import annotations

import itertools

import numpy as np
from numba import njit

from workbench.core.parallel import chunk_bounds, over_chunks, own_pool

RADIX_FROM = 1 << 16  # values from which the radix sort pays for itself
NAN_SHARE = 8  # more than 1/8 NaN (customers a household mean leaves out): the numbers sorted alone
BITS = 11
PASSES = 6  # 6 x 11 bits cover the 64 bits of a float
BUCKETS = 1 << BITS
SIGN = np.uint64(1 << 63)


def sorted_order(
    values: np.ndarray, chunks: int | None = None, numbers_only: bool = False
) -> tuple[np.ndarray, np.ndarray]:
    """``values``' ascending order as int32 row numbers (NaN last, ties by row) and the
    values in that order; ``chunks`` of rows sorted side by side (one per core unless
    given). ``numbers_only``: the rows whose value is not NaN, and theirs."""
    n = len(values)
    if values.dtype != np.float64 or n < RADIX_FROM or n >= 2**31:
        order = np.argsort(values, kind="stable").astype(np.int32)
        if numbers_only and values.dtype.kind == "f":
            order = order[: n - int(np.count_nonzero(np.isnan(values)))]
        return order, values[order]
    missing = np.isnan(values)
    nan_count = int(np.count_nonzero(missing))
    if nan_count > n // NAN_SHARE:  # NaN go last in row order: not moved by every pass
        numbers = np.flatnonzero(~missing).astype(np.int32)
        among, ascending_numbers = sorted_order(values[numbers], chunks)
        if numbers_only:
            return numbers[among], ascending_numbers
        order = np.empty(n, dtype=np.int32)
        order[: len(numbers)] = numbers[among]
        order[len(numbers) :] = np.flatnonzero(missing)
        return order, np.concatenate([ascending_numbers, np.full(n - len(numbers), np.nan)])
    del missing
    kept = n - nan_count if numbers_only else n  # the few NaN sort last: cut off at the end
    bounds = chunk_bounds(n) if chunks is None else [n * i // chunks for i in range(chunks + 1)]
    spans = list(itertools.pairwise(bounds))
    order = np.empty(n, dtype=np.int32)
    ascending = np.empty(n, dtype=np.float64)
    bits = ascending.view(np.uint64)  # the outputs are one of each pair of buffers passes move between
    counts = np.zeros((len(spans), PASSES, BUCKETS), dtype=np.int64)
    over_chunks(spans, lambda c, a, b: _keys(values, bits, order, a, b, counts[c]), own_pool("sort"))
    passes = [p for p in range(PASSES) if counts[:, p].sum(axis=0).max() < n]  # others move nothing
    buffers = (bits, order), (np.empty(n, dtype=np.uint64), np.empty(n, dtype=np.int32))
    at_chunk = counts[:, passes[0]] if passes else counts[:, 0]  # each chunk's digits, chunk by chunk
    for i, p in enumerate(passes):
        following = passes[i + 1] * BITS if i + 1 < len(passes) else -1
        at_chunk = _move(spans, buffers[i % 2], buffers[(i + 1) % 2], at_chunk, p * BITS, following)
    if len(passes) % 2:  # an odd number of passes: the last moved into the spare buffers
        keys, rows = buffers[1]

        def back(_: int, a: int, b: int) -> None:
            bits[a:b], order[a:b] = keys[a:b], rows[a:b]

        over_chunks(spans, back, own_pool("sort"))
    over_chunks(spans, lambda _, a, b: _floats(bits, a, b), own_pool("sort"))
    return order[:kept], ascending[:kept]


def _move(
    spans: list[tuple[int, int]],
    source: tuple[np.ndarray, np.ndarray],
    target: tuple[np.ndarray, np.ndarray],
    at_chunk: np.ndarray,
    shift: int,
    following: int,
) -> np.ndarray:
    """One pass on every chunk at once; returns the following pass's digits by chunk."""
    first = np.concatenate(([0], np.cumsum(at_chunk.sum(axis=0))[:-1]))  # where each digit starts
    places = first + np.cumsum(at_chunk, axis=0) - at_chunk  # after earlier chunks' values of it
    limits = np.array([a for a, _ in spans] + [spans[-1][1]], dtype=np.int64)
    landed = np.zeros((len(spans), len(spans), BUCKETS), dtype=np.int64)
    over_chunks(
        spans,
        lambda c, a, b: _scatter(*source, *target, a, b, places[c], shift, following, limits, landed[c]),
        own_pool("sort"),
    )
    return landed.sum(axis=0)


@njit(nogil=True, cache=True)
def _keys(  # pragma: no cover - compiled
    values: np.ndarray, keys: np.ndarray, rows: np.ndarray, start: int, stop: int, counts: np.ndarray
) -> None:
    """Each float's bits as an unsigned number in the floats' order (-0 as 0, NaN above
    all), its row, and the chunk's digits of every pass."""
    bits = values.view(np.uint64)
    mask = np.uint64(BUCKETS - 1)
    nan_key = np.uint64(0xFFFFFFFFFFFFFFFF)
    for i in range(start, stop):
        value, key = values[i], bits[i]
        if value != value:
            key = nan_key
        elif value == 0.0:
            key = SIGN
        elif key & SIGN:
            key = ~key
        else:
            key = key | SIGN
        keys[i] = key
        rows[i] = i
        for p in range(PASSES):
            counts[p, np.int64((key >> np.uint64(p * BITS)) & mask)] += 1


@njit(nogil=True, cache=True)
def _scatter(  # pragma: no cover - compiled
    keys: np.ndarray,
    rows: np.ndarray,
    keys_to: np.ndarray,
    rows_to: np.ndarray,
    start: int,
    stop: int,
    places: np.ndarray,
    shift: int,
    following: int,
    limits: np.ndarray,
    landed: np.ndarray,
) -> None:
    """Move rows ``start:stop`` to their digit's next places; count the following pass's
    digits (``following`` bits up, -1 for none) by the chunk each value lands in."""
    mask = np.uint64(BUCKETS - 1)
    by = np.uint64(shift)
    chunks = len(limits) - 1
    for i in range(start, stop):
        key = keys[i]
        digit = np.int64((key >> by) & mask)
        at = places[digit]
        places[digit] = at + 1
        keys_to[at] = key
        rows_to[at] = rows[i]
        if following >= 0:
            c = 0
            while c + 1 < chunks and at >= limits[c + 1]:
                c += 1
            landed[c, np.int64((key >> np.uint64(following)) & mask)] += 1


@njit(nogil=True, cache=True)
def _floats(ascending_bits: np.ndarray, start: int, stop: int) -> None:  # pragma: no cover - compiled
    """Back from the sortable numbers to the floats' bits."""
    for i in range(start, stop):
        key = ascending_bits[i]
        ascending_bits[i] = key & ~SIGN if key & SIGN else ~key
