"""Handing freed memory back to the system.

Block-wise passes on two threads leave freed blocks of a few MB in the C heap's
arenas; glibc keeps them unless asked (``malloc_trim``). At 10M customers, asking
once after loading and once before preparing gave back 60-70 MB each time in
3-4 ms (benchmarks/README.md). Elsewhere (macOS, musl) this does nothing.
"""

from __future__ import annotations

import ctypes
import sys
from collections.abc import Callable


def _malloc_trim() -> Callable[[int], int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        return getattr(ctypes.CDLL(None), "malloc_trim", None)  # the process's own C library
    except OSError:
        return None


_TRIM = _malloc_trim()


def give_back() -> bool:
    """Return the C heap's free pages to the system; whether this platform can."""
    if _TRIM is None:
        return False
    _TRIM(0)
    return True
