"""A Parquet file's columns decoded by the faster reader for each.

Polars decodes numbers, booleans and plain text about twice as fast as Arrow's dataset
scanner on this machine (the 10M sample, 2 cores: ICBC's twelve such columns 0.56-0.67 s
against 0.99-1.21 s); Arrow decodes everything else (dictionaries, decimals, dates,
binary), which Polars would turn into types of its own, and every column when asked to
stay on one core or when Polars is not installed or cannot read the file. Either way the
columns come back as Arrow, with the same values, in the order asked for; Polars' text
arrives as ``large_string``, which pandas' text columns hold anyway.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow as pa

from workbench.core.priming import prime_kernels

# Polars' allocator (jemalloc) gives freed memory back to the system 0.3 s after it is
# freed: with Polars' own setting (dirty pages kept 0.5 s, then 1 s more as pages the
# system may take), 830 MB of the decoding's scratch memory was still held a second after
# a 10M read, beside the arrays made from the columns (0 ms made its reads 40% slower).
# Polars adds this to its own setting when it is first imported; a user's setting is kept.
os.environ.setdefault("_RJEM_MALLOC_CONF", "background_thread:true,dirty_decay_ms:300,muzzy_decay_ms:0")

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
    try:
        fast = polars.read_parquet(path, columns=plain, memory_map=False)
        fast_table = fast.to_arrow(compat_level=polars.CompatLevel.oldest())
    except polars.exceptions.PolarsError:  # Arrow's reading says what is wrong, or reads it
        return arrow(names)
    del fast
    others = [n for n in names if n not in plain]
    columns = dict(zip(fast_table.column_names, fast_table.columns, strict=True))
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
