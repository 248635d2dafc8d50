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


def test_classifying_block_by_block_equals_one_pass(monkeypatch, registry):
    import numpy as np

    import workbench.core.engine as engine_module
    from workbench.files.sample import sample_portfolio

    portfolio = sample_portfolio(5_000, 7)
    for scheme_id in ("industrial-bank", "icbc-stars", "postal-savings", "branch-layers"):
        engine = engine_module.Engine(registry.schemes[scheme_id], portfolio, registry.drivers)
        settings = engine.settings()
        monkeypatch.setattr(engine_module, "IN_BLOCKS_FROM", 10**9)
        whole = engine.classify(settings)
        monkeypatch.setattr(engine_module, "IN_BLOCKS_FROM", 1_000)
        monkeypatch.setattr(engine_module, "CLASSIFY_BLOCK", 777)  # blocks that cut anywhere
        blocks = engine.classify(settings)
        for field in ("tiers", "base", "qualified", "raised", "overridden"):
            a, b = getattr(whole, field), getattr(blocks, field)
            assert (a is None and b is None) or np.array_equal(a, b), (scheme_id, field)
        assert len(np.unique(whole.tiers)) > 2  # the sample reaches several tiers
