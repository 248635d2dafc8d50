"""Postal Savings Bank (邮政储蓄银行) customer levels.

Source: 《银行的客户分级》, section 邮政银行客户等级划分标准.

A customer reaches a level when ANY one of three criteria holds (符合以下任意
一项条件): average monthly daily-average balance, holding the high-end credit
card designated for the level, or household annual income. The source
repeats the same card sentence for every level; it is modelled as a
per-customer ``designated_card_level`` (none / gold / platinum / diamond),
and the ``card_criterion`` option switches the card criterion off to show how
many customers reach a level only through their card.
"""

from __future__ import annotations

from workbench import (
    Choice,
    Criterion,
    Group,
    Option,
    Parameter,
    RankRule,
    Scheme,
    Text,
    Tier,
    hookimpl,
    metrics,
)
from workbench import benefits as b

__all__ = ["SCHEME", "workbench_register_schemes"]

LEVELS = (
    # id, English, Chinese, balance default, income default
    ("gold", "Gold", "金卡客户", 50_000, 200_000),
    ("platinum", "Platinum", "白金卡客户", 300_000, 800_000),
    ("diamond", "Diamond", "钻石卡客户", 1_500_000, 3_000_000),
)
CARD_ON = {"card_criterion": "on"}
ABOVE_ORDINARY = tuple(level for level, *_ in LEVELS)


def _level(tier_id: str, en: str, zh: str) -> Tier:
    return Tier(
        tier_id,
        Text(en, zh),
        criteria=(
            Criterion("aum", f"{tier_id}_balance", group="balance"),
            Criterion("card_level", None, group="card", when=CARD_ON),
            Criterion("household_income", f"{tier_id}_income", group="income"),
        ),
    )


BENEFITS = (
    b.basis_points(
        "deposit_rate_premium",
        Text("Higher deposit rates", "更高存款利率"),
        10,
        ABOVE_ORDINARY,
        "assumption: 10 bp a year of the tier's balances",
    ),
    b.staffing(
        "wealth_advisor",
        Text("Dedicated wealth advisor", "专属理财顾问"),
        {"gold": 1_500, "platinum": 500, "diamond": 200},
        "400k a manager-year fully loaded; customers per manager by level",
    ),
    b.not_costed(
        "priority_service",
        Text("Priority service", "优先办理业务"),
        ABOVE_ORDINARY,
        "served by existing branches",
    ),
    b.not_costed(
        "higher_limits",
        Text("Higher credit-card limits and loan amounts", "更高信用卡额度及贷款金额"),
        ABOVE_ORDINARY,
        "a credit decision, not a benefit cost",
    ),
)

SCHEME = Scheme(
    id="postal-savings",
    name=Text("Postal Savings Bank customer levels", "邮储银行客户等级"),
    description=Text(
        "Four levels; ANY of balance, a designated high-end credit card or household income qualifies.",
        "四个等级:月日均余额、指定高端信用卡、家庭年收入,符合任意一项即可。",
    ),
    source="《银行的客户分级》:邮政银行客户等级划分标准",
    tiers=(
        Tier("ordinary", Text("Ordinary", "普通客户")),
        *(_level(t, en, zh) for t, en, zh, _, _ in LEVELS),
    ),
    groups=(
        Group("balance", Text("balance", "余额")),
        Group("card", Text("card", "信用卡")),
        Group("income", Text("income", "家庭收入")),
    ),
    combine="any",
    metrics=(
        metrics.column("aum", label=Text("Average monthly daily-average balance", "平均月日均余额")),
        metrics.column("household_income", label=Text("Household annual income", "家庭年收入")),
        metrics.tier_rank(
            "card_level",
            Text("Designated high-end credit card", "指定高端信用卡"),
            tuple(RankRule("designated_card_level", t, t) for t in ABOVE_ORDINARY),
        ),
    ),
    parameters=tuple(
        p
        for t, en, zh, balance, income in LEVELS
        for p in (
            Parameter(
                f"{t}_balance",
                Text(f"{en}: balance", f"{zh}:月日均余额"),
                balance,
                "CNY",
                step=10_000,
                big_step=100_000,
            ),
            Parameter(
                f"{t}_income",
                Text(f"{en}: household income", f"{zh}:家庭年收入"),
                income,
                "CNY",
                step=10_000,
                big_step=100_000,
            ),
        )
    ),
    options=(
        Option(
            "card_criterion",
            Text("Card criterion", "信用卡标准"),
            (Choice("on", Text("on", "启用")), Choice("off", Text("off", "停用"))),
            default="on",
        ),
    ),
    required_columns=("customer_id", "aum"),
    optional_columns=("designated_card_level", "household_income", "branch", "current_tier"),
    benefits=BENEFITS,
    main_metric="aum",
    aum_measure="aum",
)


@hookimpl
def workbench_register_schemes(register):
    register(SCHEME)
