"""Sorting a metric for instant tuning: a compiled radix sort instead of a comparison sort.

Preparing a portfolio for instant threshold changes sorts each threshold metric
once (``Tuner.prepare``). numpy's ``argsort`` of 10,000,000 floats took 2.1-2.2 s
on the machine of benchmarks/README.md; a least-significant-digit radix sort
reads and writes memory in sequence and gives the sorted values without a
gather. The order is the same as ``np.argsort(kind="stable")``: ties keep their
rows' order, NaN last (tested).

What is sorted are whole numbers in the values' order: a metric's values are
amounts or points rounded to a few decimals (``np.round``), so ``rint(value x
10^d)`` for the fewest decimals ``d`` (up to ``DECIMALS``) that give each value
back exactly. Those numbers, counted from the smallest, take 24-44 bits at 10M
customers instead of a float's 64: two to four passes of up to 12 bits instead
of six of 11. Values that are not so (more decimals, infinities, huge) are sorted
by their floats' bits. Passes whose digit every value shares are skipped.

Each pass runs on every core: the rows are cut in contiguous chunks, each chunk
moves its values to places counted for it (after every earlier chunk's values of
the same digit, so ties keep their order), and counts, as it moves them, the next
pass's digits by the chunk they land in.
"""

from __future__ import annotations

import itertools
import math
from concurrent.futures import Executor

import numpy as np
from numba import njit

from workbench.core.parallel import chunk_bounds, over_chunks, own_pool

RADIX_FROM = 1 << 16  # values from which the radix sort pays for itself
NAN_SHARE = 8  # more than 1/8 NaN (customers a household mean leaves out): the numbers sorted alone
BITS = 11  # a pass's digit for floats' bits: 6 x 11 bits cover 64
WIDEST = 12  # the widest digit for whole numbers (4,096 places a pass)
DECIMALS = 6  # the most decimals a metric's values are sorted as whole numbers with
SCALES = 10.0 ** np.arange(DECIMALS + 1)
WHOLE_BELOW = 2.0**51  # |value x 10^d| below this: the product's whole number is exact
SIGN = np.uint64(1 << 63)


def sorted_order(
    values: np.ndarray, chunks: int | None = None, numbers_only: bool = False, pool: Executor | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """``values``' ascending order as int32 row numbers (NaN last, ties by row) and the
    values in that order; ``chunks`` of rows sorted side by side (one per core unless
    given), on ``pool`` (threads of the sort's own unless given). ``numbers_only``: the
    rows whose value is not NaN, and theirs."""
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
        among, ascending_numbers = sorted_order(values[numbers], chunks, pool=pool)
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
    pool = pool or own_pool("sort")
    whole = _whole_keys(values, spans, bits, order, pool)
    if whole is None:
        width, counts = BITS, np.zeros((len(spans), math.ceil(64 / BITS), 1 << BITS), dtype=np.int64)
        over_chunks(spans, lambda c, a, b: _float_keys(values, bits, order, a, b, counts[c]), pool)
    else:
        width, counts, scale, low, nan_key = whole
    passes = [p for p in range(counts.shape[1]) if counts[:, p].sum(axis=0).max() < n]  # others move nothing
    buffers = (bits, order), (np.empty(n, dtype=np.uint64), np.empty(n, dtype=np.int32))
    at_chunk = counts[:, passes[0]] if passes else counts[:, 0]  # each chunk's digits, chunk by chunk
    for i, p in enumerate(passes):
        following = passes[i + 1] * width if i + 1 < len(passes) else -1
        at_chunk = _move(
            spans, buffers[i % 2], buffers[(i + 1) % 2], at_chunk, (p * width, following, width), pool
        )
    if len(passes) % 2:  # an odd number of passes: the last moved into the spare buffers
        moved_keys, rows = buffers[1]

        def back(_: int, a: int, b: int) -> None:
            bits[a:b], order[a:b] = moved_keys[a:b], rows[a:b]

        over_chunks(spans, back, pool)
    if whole is None:
        over_chunks(spans, lambda _, a, b: _floats(bits, a, b), pool)
    else:
        over_chunks(spans, lambda _, a, b: _unscaled(bits, ascending, a, b, scale, low, nan_key), pool)
    return order[:kept], ascending[:kept]


def _whole_keys(
    values: np.ndarray,
    spans: list[tuple[int, int]],
    keys: np.ndarray,
    rows: np.ndarray,
    pool: Executor | None = None,
) -> tuple[int, np.ndarray, float, float, int] | None:
    """``values`` as whole numbers in their order, counted from the smallest (NaN above
    all), written into ``keys`` with each one's row: the digit width, each chunk's digits
    of every pass, the scale and the smallest whole number. None when some value is not
    a whole number at ``DECIMALS`` decimals or fewer (``keys`` then unwritten)."""
    pool = pool or own_pool("sort")
    found = over_chunks(spans, lambda _, a, b: _decimals(values, a, b, SCALES), pool)
    if any(d < 0 for d, _, _ in found):
        return None
    scale = float(SCALES[max(d for d, _, _ in found)])
    low = int(np.rint(min(lo for _, lo, _ in found) * scale))  # the smallest's whole number
    high = int(np.rint(max(hi for _, _, hi in found) * scale))
    nan_key = high - low + 1
    passes = max(1, math.ceil(nan_key.bit_length() / WIDEST))
    width = math.ceil(nan_key.bit_length() / passes)
    counts = np.zeros((len(spans), passes, 1 << width), dtype=np.int64)
    inexact = over_chunks(
        spans,
        lambda c, a, b: _scaled_keys(values, keys, rows, a, b, scale, float(low), nan_key, width, counts[c]),
        pool,
    )
    return None if any(inexact) else (width, counts, scale, float(low), nan_key)


def _move(
    spans: list[tuple[int, int]],
    source: tuple[np.ndarray, np.ndarray],
    target: tuple[np.ndarray, np.ndarray],
    at_chunk: np.ndarray,
    digits: tuple[int, int, int],
    pool: Executor,
) -> np.ndarray:
    """One pass on every chunk at once; returns the following pass's digits by chunk.
    ``digits``: (shift, following, width), as ``_scatter`` takes them."""
    first = np.concatenate(([0], np.cumsum(at_chunk.sum(axis=0))[:-1]))  # where each digit starts
    places = first + np.cumsum(at_chunk, axis=0) - at_chunk  # after earlier chunks' values of it
    limits = np.array([a for a, _ in spans] + [spans[-1][1]], dtype=np.int64)
    landed = np.zeros((len(spans), len(spans), 1 << digits[2]), dtype=np.int64)
    over_chunks(
        spans,
        lambda c, a, b: _scatter(*source, *target, a, b, places[c], digits, limits, landed[c]),
        pool,
    )
    return landed.sum(axis=0)


@njit(nogil=True, cache=True)
def _decimals(  # pragma: no cover - compiled
    values: np.ndarray, start: int, stop: int, scales: np.ndarray
) -> tuple[int, float, float]:
    """The fewest decimals (an index of ``scales``) at which every value of rows
    ``start:stop`` but NaN is a whole number given back exactly (-1: some value is not
    at any), and the smallest and largest value."""
    d, last = 0, len(scales) - 1
    low, high = np.inf, -np.inf
    for i in range(start, stop):
        value = values[i]
        if value != value:
            continue
        while True:
            scaled = value * scales[d]
            if not abs(scaled) < WHOLE_BELOW:
                return -1, low, high
            if np.rint(scaled) / scales[d] == value:
                break
            if d == last:
                return -1, low, high
            d += 1
        low, high = min(low, value), max(high, value)
    return d, low, high


@njit(nogil=True, cache=True)
def _scaled_keys(  # pragma: no cover - compiled
    values: np.ndarray,
    keys: np.ndarray,
    rows: np.ndarray,
    start: int,
    stop: int,
    scale: float,
    low: float,
    nan_key: int,
    width: int,
    counts: np.ndarray,
) -> bool:
    """Each value's whole number at ``scale`` less ``low`` (NaN ``nan_key``), its row, and
    the chunk's digits of every pass; True when some value is not given back exactly."""
    for i in range(start, stop):
        value = values[i]
        if value != value:
            key = np.uint64(nan_key)
        else:
            whole = np.rint(value * scale)
            if whole / scale != value:
                return True
            key = np.uint64(np.int64(whole - low))
        keys[i] = key
        rows[i] = i
        _count(key, width, counts)
    return False


@njit(nogil=True, cache=True)
def _float_keys(  # pragma: no cover - compiled
    values: np.ndarray, keys: np.ndarray, rows: np.ndarray, start: int, stop: int, counts: np.ndarray
) -> None:
    """Each float's bits as an unsigned number in the floats' order (-0 as 0, NaN above
    all), its row, and the chunk's digits of every pass."""
    bits = values.view(np.uint64)
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
        _count(key, BITS, counts)


@njit(nogil=True, cache=True, inline="always")
def _count(key: np.uint64, width: int, counts: np.ndarray) -> None:  # pragma: no cover - compiled
    mask = np.uint64((1 << width) - 1)
    for p in range(counts.shape[0]):
        counts[p, np.int64((key >> np.uint64(p * width)) & mask)] += 1


@njit(nogil=True, cache=True)
def _scatter(  # pragma: no cover - compiled
    keys: np.ndarray,
    rows: np.ndarray,
    keys_to: np.ndarray,
    rows_to: np.ndarray,
    start: int,
    stop: int,
    places: np.ndarray,
    digits: tuple[int, int, int],
    limits: np.ndarray,
    landed: np.ndarray,
) -> None:
    """Move rows ``start:stop`` to their digit's next places; count the following pass's
    digits (``following`` bits up, -1 for none) by the chunk each value lands in;
    ``digits`` is (shift, following, width)."""
    shift, following, width = digits
    mask = np.uint64((1 << width) - 1)
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
            for j in range(1, chunks):  # no branch on where it lands: that is a coin toss
                c += at >= limits[j]
            landed[c, np.int64((key >> np.uint64(following)) & mask)] += 1


@njit(nogil=True, cache=True)
def _floats(ascending_bits: np.ndarray, start: int, stop: int) -> None:  # pragma: no cover - compiled
    """Back from the sortable numbers to the floats' bits."""
    for i in range(start, stop):
        key = ascending_bits[i]
        ascending_bits[i] = key & ~SIGN if key & SIGN else ~key


@njit(nogil=True, cache=True)
def _unscaled(  # pragma: no cover - compiled
    keys: np.ndarray, ascending: np.ndarray, start: int, stop: int, scale: float, low: float, nan_key: int
) -> None:
    """Back from the whole numbers (``keys``, the same memory as ``ascending``) to the
    values: exact, as ``_scaled_keys`` checked; the key above every other is NaN."""
    for i in range(start, stop):
        key = keys[i]
        ascending[i] = np.nan if key == nan_key else (np.float64(key) + low) / scale
