"""Industrial Bank cards, checked by hand against schemes.md section 1."""

import pytest
from helpers import simulate, tier_ids

ROWS = [
    {"aum": 99_999.99},  # c1 silver: one fen short of gold
    {"aum": 100_000},  # c2 gold: exactly at the cut-off
    {"aum": 299_999},  # c3 gold
    {"aum": 300_000},  # c4 platinum
    {"aum": 1_000_000},  # c5 black gold
    {"aum": 50_000, "household_id": "H1"},  # c6 gold by household: mean 80,000
    {"aum": 110_000, "household_id": "H1"},  # c7 gold, personal and household
    {"aum": 90_000, "household_id": "H2"},  # c8 silver: a household of one has no family card
    {"aum": 0, "household_id": "H3"},  # c9 platinum by household: mean 250,000
    {"aum": 500_000, "household_id": "H3"},  # c10 platinum, personal and household
    {"aum": 400_000, "household_id": "H4"},  # c11 platinum; black gold with the sum basis
    {"aum": 400_000, "household_id": "H4"},  # c12 same
    {"aum": 80_000.01, "household_id": "H5"},  # c13-15: mean exactly 80,000.00 -> gold
    {"aum": 80_000.00, "household_id": "H5"},
    {"aum": 79_999.99, "household_id": "H5"},
]


def test_tiers_with_household_mean(registry):
    result = simulate(registry, "industrial-bank", ROWS)
    assert tier_ids(result) == [
        "silver",
        "gold",
        "gold",
        "platinum",
        "black_gold",
        "gold",
        "gold",
        "silver",
        "platinum",
        "platinum",
        "platinum",
        "platinum",
        "gold",
        "gold",
        "gold",
    ]


def test_tiers_with_household_sum(registry):
    result = simulate(registry, "industrial-bank", ROWS, options={"household_basis": "sum"})
    tiers = tier_ids(result)
    # H1 total 160,000: gold still; H3 total 500,000: platinum; H4 total 800,000: black gold;
    # H5 total 240,000: gold.
    assert tiers[5:7] == ["gold", "gold"]
    assert tiers[8:10] == ["platinum", "platinum"]
    assert tiers[10:12] == ["black_gold", "black_gold"]
    assert tiers[12:15] == ["gold", "gold", "gold"]


def test_qualified_by_personal_household_or_both(registry):
    result = simulate(registry, "industrial-bank", ROWS)
    rows = {r.tier: r.qualified_by for r in result.rows()}
    # gold: c2, c3 personal; c6, c13, c14, c15 household only; c7 both
    assert rows["gold"] == {"personal": 2, "household": 4, "several": 1}
    # platinum: c4 personal; c9 household; c10, c11, c12 both (400k >= 300k and mean 400k)
    assert rows["platinum"] == {"personal": 1, "household": 1, "several": 3}
    assert rows["black_gold"] == {"personal": 1}
    assert rows["silver"] == {"none": 2}


def test_moving_a_threshold(registry):
    result = simulate(registry, "industrial-bank", ROWS, params={"platinum_personal": 500_000})
    tiers = tier_ids(result)
    assert tiers[3] == "gold"  # c4 at 300,000 falls to gold
    assert tiers[9] == "platinum"  # c10 at 500,000 stays (and has the household too)


def test_thresholds_must_rise(registry):
    from workbench.errors import ScenarioError

    with pytest.raises(
        ScenarioError, match="platinum_personal = 90,000 must be above gold_personal = 100,000"
    ):
        simulate(registry, "industrial-bank", ROWS, params={"platinum_personal": 90_000})
