"""Postal Savings levels, checked by hand against schemes.md section 3."""

from helpers import simulate, tier_ids

ROWS = [
    {"aum": 50_000},  # c1 gold by balance
    {"aum": 0, "household_income": 200_000},  # c2 gold by income
    {"aum": 0, "designated_card_level": "platinum"},  # c3 platinum by card only
    {"aum": 300_000, "household_income": 3_000_000},  # c4 diamond by income
    {"aum": 49_999.99, "household_income": 199_999},  # c5 ordinary
    {"aum": 60_000, "designated_card_level": "gold"},  # c6 gold by balance and card
    {"aum": 1_500_000},  # c7 diamond by balance
    {"aum": 0, "designated_card_level": "钻石卡"},  # c8 diamond by card (Chinese value)
]


def test_any_of_three_criteria(registry):
    result = simulate(registry, "postal-savings", ROWS)
    assert tier_ids(result) == [
        "gold",
        "gold",
        "platinum",
        "diamond",
        "ordinary",
        "gold",
        "diamond",
        "diamond",
    ]


def test_card_criterion_off(registry):
    result = simulate(registry, "postal-savings", ROWS, options={"card_criterion": "off"})
    assert tier_ids(result) == [
        "gold",
        "gold",
        "ordinary",
        "diamond",
        "ordinary",
        "gold",
        "diamond",
        "ordinary",
    ]


def test_which_criterion_qualified(registry):
    result = simulate(registry, "postal-savings", ROWS)
    rows = {r.tier: r.qualified_by for r in result.rows()}
    assert rows["gold"] == {"balance": 1, "income": 1, "several": 1}
    assert rows["platinum"] == {"card": 1}
    assert rows["diamond"] == {"income": 1, "balance": 1, "card": 1}
