"""The compiled kernels a file's conversion needs, loaded while the file is read.

Reading a big file is Arrow's work on its own threads, the interpreter idle; converting it
then calls compiled kernels (ids, amounts, households) whose first call in a process
loads numba and each kernel from its cache: about 0.3-0.5 s the user would otherwise wait
for after the read. ``warm_in_background`` converts a tiny synthetic table the way a
Parquet file is converted, once per process, on a thread of its own, so the same kernels,
for the same argument types, are ready when the real rows arrive.
"""

from __future__ import annotations

import threading
from contextlib import suppress
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from workbench.core.portfolio import Portfolio

_started = threading.Event()


def warm_in_background() -> None:
    """Start loading the conversion's kernels on another thread (once per process)."""
    if _started.is_set():
        return
    _started.set()
    threading.Thread(target=_warm, name="workbench-warm", daemon=True).start()


def skip_warm_up() -> None:
    """No warm-up in this process (kernels then load when first called): for tests that
    replace parts of the loading path, and to measure what the warm-up saves."""
    _started.set()


def _warm() -> None:
    with suppress(Exception):  # a head start only: the real conversion reports its own problems
        convert_tiny_table()


def convert_tiny_table() -> Portfolio:
    """A tiny synthetic table converted as a Parquet file's rows are (its households too)."""
    import pyarrow as pa

    from workbench.files.portfolios import portfolio_from_frame
    from workbench.files.reading import frame_of
    from workbench.files.sample import generate_frame

    table = pa.Table.from_pandas(generate_frame(64, 1), preserve_index=False)
    portfolio = portfolio_from_frame(frame_of(table), "warm-up", owned=True)
    portfolio.households  # noqa: B018 - its numbering kernels too
    return portfolio
