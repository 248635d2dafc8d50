"""Solving for thresholds, checked on portfolios where the answer is known."""

import pytest
from helpers import make_portfolio

from workbench.core.engine import Engine
from workbench.errors import ScenarioError
from workbench.planning.solve import Solver, Target, parse_target, share_at_or_above

TEN = [{"aum": 100_000 * (i + 1)} for i in range(10)]  # 100k, 200k, ..., 1M


@pytest.fixture
def engine(registry):
    return Engine(registry.schemes["industrial-bank"], make_portfolio(TEN), registry.drivers)


def test_target_share(engine):
    outcome = Solver(engine, engine.settings()).targets([Target("platinum", 0.30)])
    # 30% of ten customers at or above platinum: 800k, 900k, 1M. Any platinum_personal in
    # (700k, 800k] does it; the solver rounds to the 10,000 step.
    assert outcome.reached
    assert 700_000 < outcome.params["platinum_personal"] <= 800_000
    assert outcome.params["platinum_personal"] % 10_000 == 0
    assert share_at_or_above(outcome.result, "platinum") == 0.30
    assert set(outcome.changed) == {"platinum_personal", "platinum_household"}
    # personal and household move by one factor: their ratio stays about 300:250
    ratio = outcome.params["platinum_household"] / outcome.params["platinum_personal"]
    assert ratio == pytest.approx(250 / 300, rel=0.02)


def test_two_targets(engine):
    outcome = Solver(engine, engine.settings()).targets([Target("platinum", 0.5), Target("black_gold", 0.2)])
    result = outcome.result
    assert share_at_or_above(result, "black_gold") == 0.2
    assert share_at_or_above(result, "platinum") == 0.5


def test_unreachable_target_says_why(engine):
    # platinum cannot go below gold (100,000): at most 90% (200k..1M) reach it
    outcome = Solver(engine, engine.settings()).targets([Target("platinum", 0.95)])
    assert not outcome.reached
    assert "at most 90.00% reach it" in "\n".join(line.en for line in outcome.lines)
    assert "lower would reach the tier below" in "\n".join(line.en for line in outcome.lines)


def test_vary_limits_what_moves(engine):
    outcome = Solver(engine, engine.settings()).targets(
        [Target("platinum", 0.30)], vary=["platinum_personal"]
    )
    assert set(outcome.changed) == {"platinum_personal"}


def test_budget(engine):
    start = engine.simulate().total_benefit_cost
    budget = start * 0.8
    outcome = Solver(engine, engine.settings()).budget(budget)
    assert outcome.reached
    assert outcome.result.total_benefit_cost <= budget
    # every threshold moved up by the same factor (before rounding), so the order still rises
    p = outcome.params
    assert p["gold_personal"] < p["platinum_personal"] < p["black_gold_personal"]
    assert all(new > old for old, new in outcome.changed.values())


def test_budget_below_what_the_lowest_tier_costs(engine):
    # with every customer in silver, the fee waivers still cost 10 x (22 x 25% + 20 x 20%) = 95
    outcome = Solver(engine, engine.settings()).budget(90)
    assert not outcome.reached
    assert "no threshold changes" in outcome.lines[0].en


def test_parse_target(registry):
    scheme = registry.schemes["icbc-stars"]
    assert parse_target("star5=12.5", scheme) == Target("star5", 0.125)
    assert parse_target("star5=12.5%", scheme) == Target("star5", 0.125)
    with pytest.raises(ScenarioError, match="unknown tier 'gold'"):
        parse_target("gold=10", scheme)
    with pytest.raises(ScenarioError, match="every customer is at or above the lowest tier"):
        parse_target("unrated=10", scheme)
    with pytest.raises(ScenarioError, match="between 0 and 100"):
        parse_target("star5=120", scheme)
