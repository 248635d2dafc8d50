"""Blocks and chunks: every row once, in order, with bounds that do not depend on the cores."""

import itertools

from workbench.core.parallel import map_blocks, map_chunks


def test_blocks_cover_every_row_once_with_fixed_bounds():
    seen = map_blocks(10, lambda a, b: (a, b), block=4)
    assert seen == [(0, 4), (4, 8), (8, 10)]  # the same on one core or many: sums reduce alike
    assert map_blocks(0, lambda a, b: (a, b), block=4) == []


def test_chunks_cover_every_row_once():
    parts = map_chunks(3_000_000, lambda a, b: (a, b))
    assert parts[0][0] == 0 and parts[-1][1] == 3_000_000
    assert all(x[1] == y[0] for x, y in itertools.pairwise(parts))
