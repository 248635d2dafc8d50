"""The tuner's per-customer states: kept in a layout's order, the rows catch up when read."""

import numpy as np

from workbench.core.states import TIER, RowTiers, States


def test_states_written_in_order_reach_their_rows_when_read():
    states = States(5)
    states.for_writing()[:, TIER] = [0, 1, 2, 3, 4]  # tier = row number
    order = np.array([3, 1, 4, 0, 2], dtype=np.int32)  # a layout's customers, in its order
    states.keep_in_order(order)
    kept = states.in_order(order)
    assert kept is not None
    assert kept[:, TIER].tolist() == [3, 1, 4, 0, 2]  # gathered from the rows
    kept[0, TIER] = 9  # the first in order is row 3
    kept[4, TIER] = 7  # the last is row 2
    assert RowTiers(states).tiers.tolist() == [0, 1, 7, 9, 4]


def test_another_order_or_a_full_write_lets_the_old_order_go():
    states = States(3)
    first, second = np.array([2, 0, 1]), np.array([1, 2, 0])
    states.keep_in_order(first)
    states.in_order(first)[0, TIER] = 5  # row 2
    states.keep_in_order(second)  # the rows brought up to date first, then gathered anew
    assert states.in_order(first) is None
    assert states.in_order(second)[:, TIER].tolist() == [0, 5, 0]
    states.for_writing()[:, TIER] = 1
    assert states.in_order(second) is None
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
