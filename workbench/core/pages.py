"""Ordinary memory pages while a file is read and converted.

numpy asks the kernel for transparent huge pages on every large array. Where the
kernel compacts memory synchronously for such requests (``defrag`` set to
``madvise``, as on the machine of ``benchmarks/README.md``), each fresh array
of tens of megabytes waits for that: reading a 10M-customer file made a dozen
and took 6.4-9.7 s instead of 5.1-5.6 s. Arrays made while reading are filled
in sequence, where huge pages buy nothing, so the request is switched off for
the time a file is read; arrays the engine gathers from at random keep it.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np

_switch = getattr(getattr(np, "_core", None), "multiarray", None)
_set = getattr(_switch, "_set_madvise_hugepage", None)
_lock = threading.Lock()
_depth = 0
_before = True


@contextmanager
def ordinary_pages() -> Iterator[None]:
    """No huge-page requests from numpy inside the block (nested and threaded uses
    restore the setting when the last one ends). A no-op where numpy has no switch."""
    global _depth, _before
    if _set is None:
        yield
        return
    with _lock:
        if _depth == 0:
            _before = bool(_set(False))
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0:
                _set(_before)
