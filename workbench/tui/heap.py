"""Garbage collection around loads: a pause where nobody waits, not on the next key."""

from __future__ import annotations

import gc


def settle_heap(full: bool) -> None:
    """Keep what is alive now out of later garbage collections (after a full one when
    ``full``): otherwise the collection of all a load leaves behind (the reader's objects,
    the compiled kernels' types) falls on the first nudge, 150-200 ms instead of 30."""
    if full:
        gc.unfreeze()
        gc.collect()
    else:
        gc.collect(1)
    gc.freeze()
