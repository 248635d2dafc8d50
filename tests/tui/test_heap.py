"""After a load the heap is collected once and what is alive kept out of later collections."""

from __future__ import annotations

import gc
import weakref

from workbench.tui.heap import settle_heap


class Node:
    pass


def test_a_load_left_behind_is_collected_and_the_living_are_frozen():
    cycle = Node()
    cycle.me = cycle  # garbage only a collection frees
    gone = weakref.ref(cycle)
    del cycle
    kept = Node()
    try:
        settle_heap(True)
        assert gone() is None
        assert gc.get_freeze_count() > 0 and kept is not None
        settle_heap(False)  # after preparing: frozen again, nothing lost
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
