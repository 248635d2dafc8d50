"""The tuner's per-customer states: a span kept in a layout's order, the rows catch up when read."""

import numpy as np

from workbench.core.states import TIER, RowTiers, States


def test_states_written_in_order_reach_their_rows_when_read():
    states = States(5)
    states.for_writing()[:, TIER] = [0, 1, 2, 3, 4]  # tier = row number
    order = np.array([3, 1, 4, 0, 2], dtype=np.int32)  # a layout's customers, in its order
    states.keep_in_order(order)
    kept = states.in_order(order, slice(0, 5))
    assert kept[:, TIER].tolist() == [3, 1, 4, 0, 2]  # gathered from the rows
    kept[0, TIER] = 9  # the first in order is row 3
    kept[4, TIER] = 7  # the last is row 2
    assert RowTiers(states).tiers.tolist() == [0, 1, 7, 9, 4]


def test_only_the_positions_asked_for_are_gathered_and_the_span_grows():
    states = States(6)
    states.for_writing()[:, TIER] = [10, 11, 12, 13, 14, 15]  # tier = 10 + row
    order = np.array([5, 4, 3, 2, 1, 0])
    kept = states.in_order(order, slice(2, 4))  # rows 3 and 2
    assert kept[2:4, TIER].tolist() == [13, 12]
    kept[2, TIER] = 0  # row 3
    again = states.in_order(order, slice(3, 5))  # next to the span: it grows by position 4
    assert again is kept
    assert kept[2:5, TIER].tolist() == [0, 12, 11]  # the write kept, row 1 gathered
    kept[4, TIER] = 1  # row 1
    assert states.rows()[:, TIER].tolist() == [10, 1, 12, 0, 14, 15]


def test_a_slice_far_from_the_span_starts_again_after_the_rows_catch_up():
    states = States(100)
    order = np.arange(100)[::-1].copy()  # position p is row 99 - p
    states.in_order(order, slice(0, 2))[:, TIER] = 3  # rows 99 and 98
    kept = states.in_order(order, slice(90, 92))  # 88 positions away: not worth gathering
    kept[90:92, TIER] = 4  # rows 9 and 8
    rows = states.rows()[:, TIER]
    assert rows[[99, 98, 9, 8]].tolist() == [3, 3, 4, 4]
    assert int((rows != 0).sum()) == 4


def test_another_order_or_a_full_write_lets_the_old_order_go():
    states = States(3)
    first, second = np.array([2, 0, 1]), np.array([1, 2, 0])
    states.in_order(first, slice(0, 1))[0, TIER] = 5  # row 2
    assert states.in_order(second, slice(0, 3))[:, TIER].tolist() == [0, 5, 0]  # rows caught up first
    states.in_order(second, slice(0, 1))[0, TIER] = 6  # row 1
    states.keep_in_order(second)  # keeping it whole loses no write
    assert states.rows()[:, TIER].tolist() == [0, 6, 5]
    states.in_order(second, slice(0, 1))[0, TIER] = 8
    states.for_writing()[:, TIER] = 1  # a full pass: the unread write is gone with the order
    assert states.rows()[:, TIER].tolist() == [1, 1, 1]


def test_a_layer_moved_twice_unread_shows_both_moves(registry):
    """Branch layers: every threshold compares AUM, so the states stay in AUM order between
    nudges; the customers' tiers read after two moves show both."""
    from helpers import make_portfolio, tier_ids

    from workbench.core.engine import Engine
    from workbench.core.tuning import Tuner

    aums = [100.0] * 20 + [1_200, 40_000, 60_000, 250_000, 700_000, 4_000_000]
    engine = Engine(
        registry.schemes["branch-layers"], make_portfolio([{"aum": a} for a in aums]), registry.drivers
    )
    tuner = Tuner(engine, engine.settings(), engine.simulate())
    tuner.prepare()
    tuner.update(engine.settings({"layer1_min": 1_500}))  # 1,200 falls out of the layers
    assert tuner.path == "incremental"
    result, comparison = tuner.update(engine.settings({"layer1_min": 1_500, "layer2_min": 40_000}))
    assert tuner.path == "incremental"  # 40,000 rises to layer 2
    assert tier_ids(result)[20:] == ["unlayered", "layer2", "layer2", "layer3", "layer4", "layer5"]
    assert result.counts.tolist() == [21, 0, 2, 1, 1, 1]
    assert comparison.migration_customers[1].tolist() == [1, 0, 1, 0, 0, 0]  # from layer 1
