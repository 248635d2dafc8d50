"""ICBC star levels, checked by hand against schemes.md section 2."""

import numpy as np
from helpers import make_portfolio, simulate, tier_ids

from workbench.core.engine import Engine

ZERO = {"aum_short_6m": 0, "aum_long_6m": 0}
ROWS = [
    dict(ZERO),  # c1 unrated: exactly 0 points
    {**ZERO, "aum_short_6m": 1},  # c2 pre-star: 0.0135 points
    {**ZERO, "aum_long_6m": 5_000},  # c3 3 stars: exactly 50
    {**ZERO, "aum_short_6m": 3_703.70},  # c4 pre-star: 49.99995
    # c5: 120.2958 + 1,501.1858 + 378.5184 = exactly 2,000 points in decimal, 1999.9999999999995 in
    # naive floating point: five stars.
    {"aum_short_6m": 8_910.80, "aum_long_6m": 150_118.58, "card_spend_6m": 9_462.96},
    {**ZERO, "credit_card": "standard"},  # c6 service 4 stars by the card floor
    {**ZERO, "aum_long_6m": 6_000, "private_banking": True},  # c7 60 points, private banking: 7 stars
    {
        **ZERO,
        "aum_long_6m": 8_000_000,
        "service_star_override": "star6",
    },  # c8 80,000 points, set to 6 by hand
    {
        **ZERO,
        "mortgage_6m": 100_000,
        "other_loans_6m": 10_000,
        "card_overdraft_6m": 5_000,
        "investment_txn_6m": 20_000,
        "settlement_txn_6m": 10_000,
    },  # c9 1,000+200+100+400+200 = 1,900: 4 stars
    {**ZERO, "aum_short_6m": 10_000, "wealth_account": True},  # c10 135 points, wealth account: 5 stars
    {**ZERO, "aum_short_6m": 10_000, "credit_card": "platinum"},  # c11 6 stars by the platinum card
    {**ZERO, "card_spend_6m": 1_250},  # c12 exactly 50 points at 400
]


def test_service_star(registry):
    result = simulate(registry, "icbc-stars", ROWS)
    assert tier_ids(result) == [
        "unrated",
        "pre_star",
        "star3",
        "pre_star",
        "star5",
        "star4",
        "star7",
        "star6",
        "star4",
        "star5",
        "star6",
        "star3",
    ]


def test_contribution_star_is_the_points_alone(registry):
    result = simulate(registry, "icbc-stars", ROWS)
    ids = result.scheme.tier_ids
    contribution = [ids[i] for i in result.classification.base]
    assert contribution == [
        "unrated",
        "pre_star",
        "star3",
        "pre_star",
        "star5",
        "unrated",
        "star3",
        "star7",
        "star4",
        "star3",
        "star3",
        "star3",
    ]


def test_star_points_values(registry):
    scheme = registry.schemes["icbc-stars"]
    engine = Engine(scheme, make_portfolio(ROWS), registry.drivers)
    settings = engine.settings()
    points = engine.explain_metrics(settings)["star_points"]
    assert points[4] == 2000.0
    assert points[3] == 49.99995
    assert points[8] == 1900.0
    np.testing.assert_allclose(points[[0, 1, 2, 6, 7]], [0, 0.0135, 50, 60, 80_000])


def test_tier_basis_contribution_ignores_floors_and_overrides(registry):
    result = simulate(registry, "icbc-stars", ROWS, options={"tier_basis": "contribution"})
    assert tier_ids(result)[5:8] == ["unrated", "star3", "star7"]


def test_weights_are_parameters(registry):
    # card spending at 300 points: c12 has 37.5 points, pre-star; c5 falls below 2,000
    result = simulate(registry, "icbc-stars", ROWS, params={"w_card_spend": 300})
    tiers = tier_ids(result)
    assert tiers[11] == "pre_star"
    assert tiers[4] == "star4"


def test_breakdown_names_floors_and_overrides(registry):
    result = simulate(registry, "icbc-stars", ROWS)
    rows = {r.tier: r.qualified_by for r in result.rows()}
    assert rows["star4"] == {"floor": 1, "points": 1}
    assert rows["star6"] == {"floor": 1, "override": 1}
    assert rows["star7"] == {"floor": 1}


def test_chinese_override_values(registry):
    result = simulate(registry, "icbc-stars", [{**ZERO, "service_star_override": "五星级"}])
    assert tier_ids(result) == ["star5"]
