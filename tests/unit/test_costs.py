"""Benefit costs on a small portfolio, each figure worked out by hand."""

import pytest
from helpers import simulate

from workbench.errors import ScenarioError

# Three platinum customers (400,000 each) and one silver.
ROWS = [{"aum": 400_000}, {"aum": 400_000}, {"aum": 400_000}, {"aum": 1_000}]


def costs_of(result, tier):
    return {b: round(c, 6) for b, c in result.rows()[result.scheme.tier_index(tier)].benefits.items()}


def test_platinum_costs_by_hand(registry):
    result = simulate(registry, "industrial-bank", ROWS)
    costs = costs_of(result, "platinum")
    assert costs["dedicated_manager"] == 2_400  # 3 / 500 x 400,000: staffing
    assert costs["golf"] == 600  # 3 x 10% x 2 rounds x 1,000
    assert costs["travel_insurance"] == 240  # 3 x 80: per customer
    assert costs["book_gift"] == pytest.approx(3 * 60 * 0.9)  # 162
    assert costs["airport_lounge"] == pytest.approx(3 * 0.3 * 150)  # 135
    assert costs["sms_alerts"] == pytest.approx(3 * 0.6 * 24)  # 43.2: fee waiver
    assert costs["annual_fee_waiver"] == pytest.approx(3 * 0.25 * 22)  # 16.5
    assert costs["transaction_fee_waiver"] == pytest.approx(3 * 0.2 * 20)  # 12
    assert costs["green_channel"] == 0  # not costed
    row = result.rows()[2]
    assert row.benefit_cost == pytest.approx(3608.7)
    assert row.cost_per_customer == pytest.approx(3608.7 / 3)
    assert row.cost_bp == pytest.approx(3608.7 / 1_200_000 * 10_000)


def test_basis_points_of_aum(registry):
    result = simulate(registry, "postal-savings", [{"aum": 2_000_000}])
    costs = costs_of(result, "diamond")
    assert costs["deposit_rate_premium"] == pytest.approx(2_000)  # 10 bp of 2,000,000
    assert costs["wealth_advisor"] == pytest.approx(2_000)  # 1/200 of 400,000


def test_scenario_overrides_benefit_and_tier_level(registry):
    costs = {
        "airport_lounge": {"unit_cost": 200, "tiers": {"gold": {"offered": True, "uses_per_year": 0.1}}},
        "golf": {"tiers": {"platinum": {"offered": False}}},
    }
    rows = [*ROWS, {"aum": 150_000}, {"aum": 150_000}]
    result = simulate(registry, "industrial-bank", rows, costs=costs)
    platinum = costs_of(result, "platinum")
    assert platinum["airport_lounge"] == pytest.approx(3 * 0.3 * 200)
    assert "golf" not in platinum
    assert costs_of(result, "gold")["airport_lounge"] == pytest.approx(2 * 0.1 * 200)
    line = next(
        c
        for c in result.cost_lines
        if c.assumption.benefit == "airport_lounge" and c.assumption.tier == "platinum"
    )
    assert line.assumption.sources == {
        "uptake": "default",
        "unit_cost": "scenario",
        "uses_per_year": "default",
    }
    assert line.assumption.explain(result.drivers) == "200 × 0.3/yr × 100%"


@pytest.mark.parametrize(
    ("costs", "message"),
    [
        ({"lounge": {"unit_cost": 1}}, "unknown benefit 'lounge'"),
        ({"golf": {"price": 1}}, "unknown assumption 'price' for a per_use cost; valid: unit_cost"),
        ({"golf": {"uptake": 1.5}}, "uptake is a share between 0 and 1"),
        ({"golf": {"unit_cost": -5}}, "expected a number >= 0"),
        ({"golf": {"unit_cost": "lots"}}, "expected a number, found 'lots'"),
        ({"golf": {"tiers": {"gold2": {"uptake": 0.5}}}}, "unknown tier 'gold2'"),
    ],
)
def test_bad_cost_overrides_are_named(registry, costs, message):
    with pytest.raises(ScenarioError, match=message.replace("(", r"\(").replace(")", r"\)")):
        simulate(registry, "industrial-bank", ROWS, costs=costs)


def test_every_cost_line_explains_itself_in_both_languages(registry):
    result = simulate(registry, "branch-layers", [{"aum": 5_000_000}, {"aum": 600_000}])
    for line in result.cost_lines:
        assert line.assumption.explain(result.drivers, "en")
        assert line.assumption.explain(result.drivers, "zh")
