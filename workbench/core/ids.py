"""Customer and household ids across the months of a panel, as positions.

A replay needs, for every month, each row's place among all the panel's customers (sorted
by id) and each household as a number. Hashing tens of millions of strings is most of
that work, so ids that are numbers in disguise (``C00000123``, ``6222020012345678``: one
prefix, then a fixed count of digits) are read as integers straight from Arrow's buffers
and placed through a lookup table; any other ids are hashed as text. Both give the same
positions: fixed-width digits sort as their numbers do.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar

import numpy as np
import pandas as pd
import pyarrow as pa
from numba import njit

from workbench.core.parallel import map_chunks, own_pool

MAX_DIGITS = 18  # fits a signed 64-bit integer
DENSE = 4  # a lookup table may have up to this many entries per id
PIECE = 1 << 20  # ids parsed a piece at a time, the pieces shared out between the cores

Shaped = tuple[np.ndarray, tuple[bytes, int] | None] | None
# While a file is loaded, each column's ids are read once (its totals rows, placeholders,
# repeated keys and households all ask): by the column's values, which it keeps alive.
Memo = dict[int, tuple[object, Shaped]]  # by id of a column's values: the values, their numbers
_read: ContextVar[Memo | None] = ContextVar("ids_read", default=None)


@contextmanager
def reading_once() -> Iterator[None]:
    """Within this block a column's ids are parsed once; the numbers are shared, read-only."""
    token = _read.set({})
    try:
        yield
    finally:
        _read.reset(token)


def as_numbers(columns: Sequence[pd.Series]) -> list[np.ndarray] | None:
    """Each column's ids as integers, when every id of every column is the same prefix
    followed by the same count of digits (empty ids, as a customer without a household has,
    become -1); None otherwise."""
    found = numbers_and_shape(columns)
    return found[0] if found is not None else None


def remember_as(source: pd.Series, same: pd.Series) -> None:
    """Within ``reading_once``: ``same`` holds ``source``'s ids (a copy of another dtype)."""
    memo = _read.get()
    held = _remembered(memo, source.array)
    if memo is not None and held is not None:
        memo[id(same.array)] = (same.array, held[1])


def _remembered(
    memo: dict[int, tuple[object, Shaped]] | None, values: object
) -> tuple[object, Shaped] | None:
    """What ``memo`` holds for these very values (not others at the same address)."""
    held = memo.get(id(values)) if memo is not None else None
    return held if held is not None and held[0] is values else None


def numbers_and_shape(
    columns: Sequence[pd.Series],
) -> tuple[list[np.ndarray], tuple[bytes, int] | None] | None:
    """``as_numbers``, with the prefix and the width the ids share (None when all are empty)."""
    shape: tuple[bytes, int] | None = None  # the prefix and the width, the same everywhere
    out = []
    for column in columns:
        found = _column_numbers(column)
        if found is None:
            return None
        values, own = found
        if own is not None and shape is not None and own != shape:
            return None
        shape = own or shape
        out.append(values)
    return out, shape


def _column_numbers(column: pd.Series) -> Shaped:
    """One column's ids as integers and their shape (remembered within ``reading_once``)."""
    memo = _read.get()
    values = column.array
    held = _remembered(memo, values)
    if held is not None:
        return held[1]
    pieces = [
        whole.slice(start, PIECE) for whole in _arrow(column).chunks for start in range(0, len(whole), PIECE)
    ]
    halves = map_chunks(len(pieces), lambda a, b: _pieces_numbers(pieces[a:b]), 2, own_pool("ids"))
    shapes = {half[1] for half in halves if half is not None and half[1] is not None}
    found: Shaped = None
    if all(half is not None for half in halves) and len(shapes) <= 1:
        parts = [part for half in halves if half is not None for part in half[0]]
        numbers = parts[0] if len(parts) == 1 else np.concatenate([np.zeros(0, np.int32), *parts])
        numbers.flags.writeable = False
        found = (numbers, next(iter(shapes), None))
    if memo is not None:
        memo[id(values)] = (values, found)
    return found


def _pieces_numbers(pieces: list[pa.Array]) -> tuple[list[np.ndarray], tuple[bytes, int] | None] | None:
    """Consecutive pieces of a column read in order, each to the shape of those before."""
    shape: tuple[bytes, int] | None = None
    parts = []
    for piece in pieces:
        found = _chunk_numbers(piece, shape)
        if found is None:
            return None
        parts.append(found[0])
        shape = found[1]
    return parts, shape


def repeats(column: pd.Series) -> bool | None:
    """Whether a non-empty id repeats, when the ids are numbers in disguise (a table of the
    numbers seen, or a sort of integers, not of strings); None when they are not."""
    found = as_numbers([column])
    if found is None:
        return None
    values = found[0]
    span = _span([values])
    if span is not None:
        return bool(_repeat_in(values, span[0], span[1]))
    ordered = np.sort(values[values >= 0])
    return bool((ordered[1:] == ordered[:-1]).any())


def first_seen(column: pd.Series) -> tuple[np.ndarray, int] | None:
    """Each row's group numbered by first appearance (``pd.factorize``'s codes; -1 for an
    empty id) and how many groups, when the ids are numbers in disguise close enough
    together for a table; None otherwise."""
    found = as_numbers([column])
    span = _span(found) if found is not None else None
    if found is None or span is None:
        return None
    codes = np.empty(len(column), dtype=np.int32)
    count = _first_seen(found[0], span[0], span[1], codes)
    return codes, int(count)


def _span(numbers: list[np.ndarray]) -> tuple[int, int] | None:
    """The lowest number and the width of a table holding every number (-1 left out), when
    one is small enough (at most ``DENSE`` entries per id)."""
    extremes = [_extremes(n) for n in numbers if len(n)]  # one compiled pass each
    high = max((int(h) for _, h in extremes), default=-1)
    if high < 0:
        return 0, 0
    low = min(int(lo) for lo, h in extremes if h >= 0)
    span = high - low + 1
    if span > DENSE * sum(len(n) for n in numbers) + 1024 or span >= 2**31:
        return None
    return low, span


@njit(nogil=True, cache=True)
def _extremes(values: np.ndarray) -> tuple[np.int64, np.int64]:  # pragma: no cover - compiled
    """The lowest number that is not -1 (empty) and the highest (-1 when all are empty)."""
    big = np.int64(2**62)
    low, high = big, np.int64(-1)
    for i in range(len(values)):  # no branch: the loop stays vectorised
        value = np.int64(values[i])
        high = max(high, value)
        low = min(low, value if value >= 0 else big)
    return low, high


@njit(nogil=True, cache=True)
def _repeat_in(values: np.ndarray, low: int, span: int) -> bool:  # pragma: no cover - compiled
    seen = np.zeros(span, dtype=np.bool_)
    for i in range(len(values)):
        if values[i] >= 0:
            k = values[i] - low
            if seen[k]:
                return True
            seen[k] = True
    return False


@njit(nogil=True, cache=True)
def _first_seen(  # pragma: no cover - compiled
    values: np.ndarray, low: int, span: int, codes: np.ndarray
) -> int:
    number = np.full(span, -1, dtype=np.int32)
    count = 0
    for i in range(len(values)):
        if values[i] < 0:
            codes[i] = -1
            continue
        k = values[i] - low
        if number[k] < 0:
            number[k] = count
            count += 1
        codes[i] = number[k]
    return count


def _arrow(column: pd.Series) -> pa.ChunkedArray:
    """A column's values as Arrow (without a copy when they are Arrow already)."""
    values = pa.array(column.array) if len(column) else pa.array([], pa.string())
    return values if isinstance(values, pa.ChunkedArray) else pa.chunked_array([values])


def _chunk_numbers(
    chunk: pa.Array, shape: tuple[bytes, int] | None
) -> tuple[np.ndarray, tuple[bytes, int] | None] | None:
    """One Arrow chunk's ids as integers (-1 when empty), and the prefix and width they
    share (None while every id seen is empty); None when they are not all of one shape.
    The bytes are read in place, in one compiled pass (no interpreter between rows)."""
    if chunk.null_count or not (pa.types.is_string(chunk.type) or pa.types.is_large_string(chunk.type)):
        return None
    kind = np.int64 if pa.types.is_large_string(chunk.type) else np.int32
    offsets = np.frombuffer(chunk.buffers()[1], dtype=kind)[chunk.offset : chunk.offset + len(chunk) + 1]
    first = int(_first_filled(offsets)) if len(chunk) else -1
    if first < 0:
        return np.full(len(chunk), -1, dtype=np.int32), shape
    data = np.frombuffer(chunk.buffers()[2], dtype=np.uint8)
    head = data[offsets[first] : offsets[first + 1]]
    width = len(head)
    lead = next((i for i in range(width) if 48 <= head[i] <= 57), width)  # the prefix's length
    if width == lead or width - lead > MAX_DIGITS:
        return None
    prefix = bytes(head[:lead])
    if shape is not None and shape != (prefix, width):
        return None
    out = np.empty(len(chunk), dtype=np.int32 if width - lead <= 9 else np.int64)
    if not _parse_ids(offsets, data, np.frombuffer(prefix, dtype=np.uint8), width, out):
        return None
    return out, (prefix, width)


@njit(nogil=True, cache=True)
def _first_filled(offsets: np.ndarray) -> int:  # pragma: no cover - compiled
    for i in range(len(offsets) - 1):
        if offsets[i + 1] > offsets[i]:
            return i
    return -1


@njit(nogil=True, cache=True)
def _parse_ids(  # pragma: no cover - compiled
    offsets: np.ndarray, data: np.ndarray, prefix: np.ndarray, width: int, out: np.ndarray
) -> bool:
    """Each id as the number its digits write (-1 when empty); False at the first id that
    is not ``prefix`` and then digits, ``width`` bytes in all."""
    lead = len(prefix)
    for i in range(len(out)):
        start = offsets[i]
        size = offsets[i + 1] - start
        if size == 0:
            out[i] = -1
            continue
        if size != width:
            return False
        for j in range(lead):
            if data[start + j] != prefix[j]:
                return False
        number = np.int64(0)
        for j in range(start + lead, start + width):
            digit = np.int64(data[j]) - 48
            if digit < 0 or digit > 9:
                return False
            number = number * 10 + digit
        out[i] = number
    return True


def places(columns: Sequence[pd.Series]) -> tuple[np.ndarray, list[np.ndarray]]:
    """Every distinct id of ``columns`` (sorted) and, per column, each row's place among
    them."""
    numbers = as_numbers(columns)
    if numbers is not None and all((n >= 0).all() for n in numbers):
        dense = _dense(numbers)
        if dense is not None:
            count, parts = dense
            return _texts(columns, parts, count), parts
    sizes = [len(c) for c in columns]
    ids = pd.concat(list(columns), ignore_index=True)
    codes, uniques = pd.factorize(ids)
    order = np.argsort(uniques.astype(str), kind="stable")
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    return np.asarray(uniques, dtype=object)[order], _split(rank[codes], sizes)


def _texts(columns: Sequence[pd.Series], parts: list[np.ndarray], count: int) -> np.ndarray:
    """The id at each place, taken from a row that holds it."""
    out = np.empty(count, dtype=object)
    missing = np.ones(count, dtype=bool)
    for column, places_ in zip(columns, parts, strict=True):
        rows = np.flatnonzero(missing[places_])
        if len(rows):
            where = places_[rows]
            where, first = np.unique(where, return_index=True)
            out[where] = column.iloc[rows[first]].to_numpy(dtype=object)
            missing[where] = False
    return out


def groups(columns: Sequence[pd.Series]) -> list[np.ndarray]:
    """Per column, each row's group as a number shared across columns (-1: no group, an
    empty id)."""
    numbers = as_numbers(columns)
    if numbers is not None:
        dense = _dense(numbers)
        if dense is not None:
            return dense[1]
    ids = pd.concat(list(columns), ignore_index=True)
    codes, _ = pd.factorize(ids.where(ids != "", None), use_na_sentinel=True)
    return _split(codes, [len(c) for c in columns])


def _dense(numbers: list[np.ndarray]) -> tuple[int, list[np.ndarray]] | None:
    """How many distinct numbers (-1 left out) and, per array, each number's place among
    them in order (-1 stays -1), through a lookup table: None when the numbers lie too far
    apart for one."""
    found = _span(numbers)
    if found is None:
        return None
    low, span = found
    if not span:
        return 0, [np.full(len(n), -1, dtype=np.int32) for n in numbers]
    seen = np.zeros(span + 1, dtype=bool)  # the last entry: an empty id
    shifted = []
    for numbers_ in numbers:
        values = np.subtract(numbers_, low, dtype=np.int64 if span + low >= 2**31 else numbers_.dtype)
        values[values < 0] = span
        seen[values] = True
        shifted.append(values)
    empty = bool(seen[span])
    seen[span] = False
    rank = np.cumsum(seen, dtype=np.int32)  # 32-bit places: half the memory to fill
    rank -= 1
    count = int(rank[-1]) + 1
    if empty:
        rank[span] = -1
    return count, [np.take(rank, values) for values in shifted]  # take: far quicker than indexing


def _split(values: np.ndarray, sizes: list[int]) -> list[np.ndarray]:
    bounds = np.cumsum([0, *sizes])
    return [values[a:b] for a, b in itertools.pairwise(bounds)]
