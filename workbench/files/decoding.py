"""A Parquet file's columns decoded by the faster reader for each.

Polars decodes numbers, booleans and plain text faster than Arrow's dataset scanner on
this machine (the 10M sample, 2 cores, memory given back at once by both: ICBC's first
fifteen columns 0.82-0.95 s against 0.98-1.11 s; the whole file loaded in 2.25-2.44 s
against 2.62 s, at the same peak); Arrow decodes everything else (dictionaries,
decimals, dates, binary), which Polars would turn into types of its own, and every
column when asked to stay on one core or when Polars is not installed or cannot read
the file. Either way the columns come back as Arrow, with the same values, in the order
asked for; Polars' text arrives as ``large_string``, which pandas' text columns hold
anyway."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow as pa

from workbench.core.priming import prime_kernels

# Polars' allocator (jemalloc) gives freed memory back to the system at once, as Arrow's
# does here (``files.reading``): with Polars' own setting (dirty pages kept 0.5 s, then 1 s
# more as pages the system may take), and with 20-300 ms, the memory of the decoded columns
# was still held while the portfolio's arrays were made from them: loading the 10M sample
# peaked at 2.20-2.31 GB instead of 1.66-1.70 GB. Polars adds this to its own setting
# when it is first imported; a setting of the user's is kept instead.
os.environ.setdefault("_RJEM_MALLOC_CONF", "background_thread:true,dirty_decay_ms:0,muzzy_decay_ms:0")
GROUP = 4  # columns decoded at a time: the 10M sample loaded in 2.05-2.17 s, 2.9 s all at once

ArrowRead = Callable[[list[str]], pa.Table]


def decoded(path: Path, names: list[str], schema: pa.Schema, arrow: ArrowRead, threads: bool) -> pa.Table:
    """Columns ``names`` of Parquet file ``path`` (whose Arrow schema is ``schema``), the
    plain ones by Polars, the others by ``arrow(names)``."""
    unique = len(set(schema.names)) == len(schema.names)  # Polars refuses a name twice
    plain = [n for n in names if _plain(schema.field(n).type)] if threads and unique else []
    polars = _polars() if plain else None
    if polars is None:
        return arrow(names)
    prime_kernels()  # while Polars decodes: the checks of the ids after it run compiled kernels
    columns: dict[str, pa.ChunkedArray] = {}
    try:
        for start in range(0, len(plain), GROUP):
            fast = polars.read_parquet(path, columns=plain[start : start + GROUP], memory_map=False)
            part = fast.to_arrow(compat_level=polars.CompatLevel.oldest())
            del fast
            columns.update(zip(part.column_names, part.columns, strict=True))
    except polars.exceptions.PolarsError:  # Arrow's reading says what is wrong, or reads it
        return arrow(names)
    others = [n for n in names if n not in plain]
    if others:
        rest = arrow(others)
        columns.update(zip(rest.column_names, rest.columns, strict=True))
    return pa.table([columns[n] for n in names], names=names)


def _plain(kind: pa.DataType) -> bool:
    """A type Polars decodes to the same Arrow type (text: as ``large_string``)."""
    return bool(
        pa.types.is_integer(kind)
        or kind in (pa.float32(), pa.float64(), pa.bool_())
        or pa.types.is_string(kind)
        or pa.types.is_large_string(kind)
    )


def _polars() -> Any:
    try:
        import polars
    except ImportError:  # an install without it: Arrow reads every column
        return None
    return polars
