"""Sweeping a parameter: counts at each value by hand, refused values, the bend."""

import pytest
from helpers import make_portfolio

from workbench.core.engine import Engine
from workbench.errors import ScenarioError
from workbench.planning.sweep import SweepPoint, find_bend, sweep

AUMS = [500, 1_000, 20_000, 60_000, 150_000, 250_000, 600_000, 4_000_000]


@pytest.fixture
def engine(registry):
    return Engine(
        registry.schemes["branch-layers"], make_portfolio([{"aum": a} for a in AUMS]), registry.drivers
    )


def test_counts_at_each_value(engine):
    s = sweep(engine, engine.settings(), "layer2_min", 40_000, 160_000, 4)
    assert [p.value for p in s.points] == [
        40_000,
        50_000,
        80_000,
        120_000,
        160_000,
    ]  # the current 50,000 added
    layer1, layer2 = engine.scheme.tier_index("layer1"), engine.scheme.tier_index("layer2")
    # layer 1 holds [1,000, layer2_min); layer 2 holds [layer2_min, 200,000)
    assert [int(p.counts[layer1]) for p in s.points] == [2, 2, 3, 3, 4]
    assert [int(p.counts[layer2]) for p in s.points] == [2, 2, 1, 1, 0]
    assert all(p.customers == len(AUMS) for p in s.points)


def test_costs_match_a_simulation(engine):
    s = sweep(engine, engine.settings(), "layer3_min", 180_000, 240_000, 3)
    for p in s.points:
        assert p.total_cost == engine.simulate(params={"layer3_min": p.value}).total_benefit_cost


def test_values_breaking_the_rising_order_are_listed_not_simulated(engine):
    s = sweep(engine, engine.settings(), "layer2_min", 0, 300_000, 4)
    errors = {p.value: p.error for p in s.points if p.error}
    # 0, 100,000, 200,000, 300,000 and the current 50,000: 0 is not above layer1_min, 200,000 and
    # 300,000 are not below layer3_min
    assert set(errors) == {0.0, 200_000.0, 300_000.0}
    assert "layer3_min = 200,000 must be above layer2_min = 200,000" in errors[200_000]
    assert "layer3_min = 200,000 must be above layer2_min = 300,000" in errors[300_000]
    assert "layer2_min = 0 must be above layer1_min = 1,000" in errors[0]


def test_bend_of_a_known_curve():
    def point(x, y):
        import numpy as np

        z = np.zeros(1)
        return SweepPoint(x, z, z, z, y)

    # falls steeply until 3, then slowly: the knee is at 3
    points = [point(x, y) for x, y in [(0, 100), (1, 70), (2, 40), (3, 10), (4, 8), (5, 6), (6, 4)]]
    bend = find_bend(points)
    assert bend.value == 3
    assert bend.slope_before == -30 and bend.slope_after == -2
    straight = [point(x, 10 - x) for x in range(6)]
    assert find_bend(straight) is None


def test_bad_requests(engine):
    with pytest.raises(ScenarioError, match="unknown parameter 'layer9_min'"):
        sweep(engine, engine.settings(), "layer9_min", 1, 2, 3)
    with pytest.raises(ScenarioError, match="expected 2 to 1000") as info:
        sweep(engine, engine.settings(), "layer2_min", 1, 2, 1)
    assert info.value.field == "steps"  # the command line names it --steps (test_planner_cli)
