"""Memory: arrays written again instead of allocated (only once nothing reads them), and
ordinary pages while a file is read."""

import gc

import numpy as np

from workbench.core.buffers import POOL_FROM, Buffers
from workbench.core.engine import Engine
from workbench.core.tuning import Tuner
from workbench.files.portfolios import portfolio_from_frame
from workbench.files.sample import generate_frame

ROWS = POOL_FROM  # the smallest size worth keeping


def test_a_released_array_is_handed_out_again_once_unheld():
    buffers = Buffers()
    first = buffers.empty(ROWS)
    address = first.ctypes.data
    first[:] = 7.0
    first.setflags(write=False)
    buffers.release(first)
    held = first[10:20]  # a view keeps its base alive: not to be written
    del first
    second = buffers.empty(ROWS)
    assert second.ctypes.data != address and held[0] == 7.0
    del held, second
    third = buffers.empty(ROWS)
    assert third.ctypes.data == address and third.flags.writeable


def test_foreign_small_and_other_shaped_arrays_are_not_kept():
    buffers = Buffers()
    column = np.zeros(ROWS)  # a portfolio column: never the pool's to write
    buffers.release(column)
    assert not buffers.owns(column)
    assert buffers.empty(ROWS).ctypes.data != column.ctypes.data
    small = buffers.empty(10)
    assert not buffers.owns(small)
    wide = buffers.empty(ROWS)
    address = wide.ctypes.data
    buffers.release(wide)
    del wide
    assert buffers.empty(ROWS, np.int8).ctypes.data != address  # another type: a new array
    assert buffers.empty(ROWS + 1).ctypes.data != address  # another size
    assert buffers.empty(ROWS).ctypes.data == address


def test_full_recomputes_write_the_metrics_again_and_change_no_figure(registry):
    """After a first round, full recomputes (metrics forgotten) allocate no new metric
    or fen array, with no garbage collection needed, and the baseline's stay as they
    were."""
    frame = generate_frame(ROWS + 1_000, 5)
    portfolio = portfolio_from_frame(frame, "sample")
    engine = Engine(registry.schemes["icbc-stars"], portfolio, registry.drivers)
    settings = engine.settings()
    baseline = engine.simulate(settings=settings)
    baseline_fen = baseline.aum_fen.copy()
    tuner = Tuner(engine, settings, baseline)
    expected = tuner.recompute(settings)[0].counts.copy()
    gc.disable()
    try:
        for round_ in range(5):
            if round_ == 2:
                made = engine.buffers.made
            engine.forget_metrics()
            result = tuner.recompute(settings)[0]
            np.testing.assert_array_equal(result.counts, expected)
            del result
    finally:
        gc.enable()
    assert made > 0 and engine.buffers.made == made
    np.testing.assert_array_equal(baseline.aum_fen, baseline_fen)


def test_reading_asks_for_ordinary_pages_and_restores_the_setting():
    from numpy._core.multiarray import _set_madvise_hugepage

    from workbench.core.pages import ordinary_pages

    before = _set_madvise_hugepage(True)
    try:
        with ordinary_pages():
            with ordinary_pages():
                assert _set_madvise_hugepage(False) is False  # off inside, nested too
            assert _set_madvise_hugepage(False) is False
        assert _set_madvise_hugepage(True) is True  # back on after the last block
    finally:
        _set_madvise_hugepage(before)


def test_the_counting_pass_fills_the_fen_as_a_pass_of_their_own_would(registry):
    """A full recompute after the metrics are forgotten writes the fen block by block as
    it counts: the engine keeps that array, equal to ``whole_fen`` of the AUM; a pass
    that fails midway leaves no fen known (half-written ones are never read)."""
    from workbench.core.engine import whole_fen

    frame = generate_frame(ROWS + 1_000, 6)
    engine = Engine(
        registry.schemes["industrial-bank"], portfolio_from_frame(frame, "sample"), registry.drivers
    )
    settings = engine.settings()
    tuner = Tuner(engine, settings, engine.simulate(settings=settings))
    engine.forget_metrics()
    result = tuner.recompute(settings)[0]
    fen = engine.aum_fen(settings)
    assert result.aum_fen is fen and not fen.flags.writeable
    np.testing.assert_array_equal(fen, whole_fen(engine.aum_values(settings)))

    engine.forget_metrics()
    try:
        with engine.aum_fen_by_blocks(settings) as (partial, fill):
            fill(0, 10)
            raise RuntimeError("a block failed")
    except RuntimeError:
        pass
    with engine.aum_fen_by_blocks(settings) as (known, fill):
        assert known is not partial
        fill(0, len(known))
    with engine.aum_fen_by_blocks(settings) as (again, fill):
        assert again is known  # kept now: nothing to fill
    assert engine.aum_fen(settings) is known
    np.testing.assert_array_equal(known, fen)
