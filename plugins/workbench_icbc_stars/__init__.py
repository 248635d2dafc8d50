"""ICBC (工商银行) star levels from star points (星点值).

Source: 《工商银行客户关系管理》, section 工商银行星级客户划分标准及享受权利.

Star points are computed over the last six months: half-year daily-average
balances of assets and loans and half-year cumulative transaction amounts,
each times its points per 10,000 CNY. Input amounts are taken as already
capped at the fee schedule's per-transaction maximum and already scaled by
any fee discount, as the source requires ("若单次交易金额超过...上限金额,
则以上限金额...计入"; "按优惠比例折算后再计入"): prepare them so before loading.
Points are rounded to 6 decimals, so components adding up to exactly 2,000
reach five stars.

The contribution star follows the points. The service star starts from it,
is raised (never lowered) by the products a customer holds, and may be set by
hand (``service_star_override``). Benefits follow the service star unless the
``tier_basis`` option says ``contribution``.
"""

from __future__ import annotations

from workbench import (
    Choice,
    Criterion,
    Floor,
    Group,
    Option,
    Override,
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

SERVICE = {"tier_basis": "service"}

# column -> (weight parameter, default points per 10,000 CNY, label)
WEIGHTS = {
    "aum_short_6m": ("w_short_term_assets", 135, Text("Weight: short-term assets", "权重:短期资产")),
    "aum_long_6m": ("w_long_term_assets", 100, Text("Weight: mid/long-term assets", "权重:中长期资产")),
    "mortgage_6m": ("w_mortgage", 100, Text("Weight: mortgage loans", "权重:住房按揭贷款")),
    "other_loans_6m": ("w_other_loans", 200, Text("Weight: other personal loans", "权重:其他个人贷款")),
    "card_overdraft_6m": ("w_card_overdraft", 200, Text("Weight: card overdraft", "权重:信用卡计息透支")),
    "investment_txn_6m": (
        "w_investment_txn",
        200,
        Text("Weight: investment transactions", "权重:投资理财类交易"),
    ),
    "card_spend_6m": ("w_card_spend", 400, Text("Weight: card consumption", "权重:卡消费交易")),
    "settlement_txn_6m": (
        "w_settlement_txn",
        200,
        Text("Weight: settlement transactions", "权重:结算类交易"),
    ),
}

# tier id, English, Chinese, default cut-off, nudge step
STARS = (
    ("star3", "3 stars", "三星级", 50, 5),
    ("star4", "4 stars", "四星级", 500, 50),
    ("star5", "5 stars", "五星级", 2_000, 100),
    ("star6", "6 stars", "六星级", 10_000, 500),
    ("star7", "7 stars", "七星级", 80_000, 5_000),
)

FIVE_UP = ("star5", "star6", "star7")
SIX_UP = ("star6", "star7")

BENEFITS = (
    b.not_costed(
        "basic_services",
        Text("Basic services through ordinary channels", "基础金融服务(普通渠道)"),
        ("star3", "star4"),
        "deposits, loans, wealth products, cards, payments, e-banking",
    ),
    b.not_costed(
        "wealth_centre",
        Text(
            "Mortgage, standard credit card offers, general wealth centre",
            "按揭贷款、普卡商户优惠、综合理财中心",
        ),
        ("star4",),
        "served by existing channels",
    ),
    b.staffing(
        "relationship_manager",
        Text(
            "Relationship manager (expert advice, wealth management, CFP private banker)",
            "客户经理(专家理财、财富管理、CFP私人银行家)",
        ),
        {"star5": 1_500, "star6": 500, "star7": 50},
        "400k a manager-year fully loaded; about 50 private clients per banker",
    ),
    b.not_costed(
        "vip_lane",
        Text("VIP lane, VIP centre and hotline", "专属贵宾通道、贵宾中心及贵宾专线"),
        FIVE_UP,
        "served by existing branches",
    ),
    b.fee_waiver(
        "fee_discounts",
        Text("Fee discounts", "专享费用优惠"),
        b.ACCOUNT_FEES,
        0.25,
        FIVE_UP,
        "annual and small-account fees 10 + 12 CNY; 25% would have paid",
    ),
    b.events(
        "exclusive_events",
        Text("Exclusive events", "专有精彩活动"),
        b.EVENT_HEAD,
        {"star5": {"attendance": 0.05}, "star6": {"attendance": 0.1}, "star7": {"attendance": 0.1}},
        "venue and catering 250 CNY a head; 5-10% of eligible customers attend",
        events_per_year=4,
    ),
    b.not_costed(
        "consumer_credit",
        Text("Pre-approved consumer credit line", "预授信消费贷款"),
        FIVE_UP,
        "a credit product, not a benefit cost",
    ),
    b.per_use(
        "airport_fast_track",
        Text("Airport VIP lane (gold credit card)", "机场贵宾通道(金卡)"),
        b.FAST_TRACK_USE,
        ("star5",),
        "no public price found: an assumption",
        uses_per_year=0.3,
    ),
    b.per_use(
        "airport_lounge",
        Text("Airport VIP lounge (platinum credit card)", "机场贵宾厅(白金卡)"),
        b.LOUNGE_VISIT,
        {"star6": {"uses_per_year": 0.3}, "star7": {"uses_per_year": 2.5}},
        "150 CNY a lounge visit; 0.3 visits a year at platinum level, 2.5 at private banking",
    ),
    b.per_use(
        "golf",
        Text("Golf and luxury concierge", "高尔夫及奢华礼宾"),
        b.GOLF_ROUND,
        SIX_UP,
        "green fees 600-1,180 CNY; 10% of eligible customers play 2 rounds",
        uses_per_year=2,
        uptake=0.1,
    ),
    b.per_customer(
        "medical_rescue",
        Text("Family protection and global medical rescue", "家庭保障及全球医疗救援"),
        b.TRAVEL_INSURANCE,
        SIX_UP,
        "group travel and rescue cover about 80 CNY a year",
    ),
    b.per_customer(
        "road_rescue",
        Text("China road rescue", "中国道路救援"),
        b.ROAD_RESCUE,
        SIX_UP,
        "a bank sells unlimited rescue for 8 CNY a year; 10 CNY pooled",
    ),
    b.events(
        "vip_dinners",
        Text("Private banking dinners and events", "私人银行晚宴及活动"),
        b.DINNER_HEAD,
        ("star7",),
        "tier-1 city banquet prices; 25% attend",
        events_per_year=2,
        attendance=0.25,
    ),
    b.per_use(
        "health_check",
        Text("Premium health check", "高端体检"),
        b.HEALTH_CHECK["premium"],
        ("star7",),
        "premium check-up packages about 2,500 CNY; 35% uptake",
        uses_per_year=1,
        uptake=0.35,
    ),
)


def _star_tier(tier_id: str, en: str, zh: str) -> Tier:
    return Tier(tier_id, Text(en, zh), criteria=(Criterion("star_points", tier_id, group="points"),))


SCHEME = Scheme(
    id="icbc-stars",
    name=Text("ICBC star levels", "工商银行星级客户"),
    description=Text(
        "Seven star levels from six months of star points; the service star is raised by "
        "products held and may be set by hand.",
        "按近六个月星点值评定七个星级;服务星级可因持有产品调高,也可手工调整。",
    ),
    source="《工商银行客户关系管理》(商业银行的“客户关系管理”模式)",
    tiers=(
        Tier("unrated", Text("Unrated", "不予评定"), note=Text("star points exactly 0", "星点值为0")),
        Tier(
            "pre_star",
            Text("Pre-star", "准星级"),
            criteria=(Criterion("star_points", 0.0, group="points", strict=True),),
            note=Text("star points above 0", "星点值大于0"),
        ),
        *(_star_tier(t, en, zh) for t, en, zh, _, _ in STARS),
    ),
    groups=(Group("points", Text("star points", "星点值")),),
    combine="any",
    metrics=(
        metrics.weighted_sum(
            "star_points",
            Text("Star points", "星点值"),
            {column: weight for column, (weight, _, _) in WEIGHTS.items()},
            per=10_000,
            unit="points",
        ),
        metrics.tier_rank(
            "product_floor",
            Text("Service star from products held", "持有产品对应服务星级"),
            (
                RankRule("private_banking", True, "star7"),
                RankRule("wealth_card", True, "star6"),
                RankRule("credit_card", "platinum", "star6"),
                RankRule("wealth_account", True, "star5"),
                RankRule("credit_card", "gold", "star5"),
                RankRule("credit_card", "standard", "star4"),
            ),
        ),
        metrics.total(
            "assets_6m",
            Text("Half-year daily-average financial assets", "金融资产半年日均"),
            ("aum_short_6m", "aum_long_6m"),
        ),
    ),
    parameters=(
        *(
            Parameter(
                t,
                Text(f"{en}: star points", f"{zh}:星点值"),
                float(cut),
                "points",
                step=float(step),
                big_step=float(step) * 10,
            )
            for t, en, zh, cut, step in STARS
        ),
        *(
            Parameter(
                weight, label, float(default), "points per 10,000 CNY", kind="weight", step=5, big_step=50
            )
            for weight, default, label in WEIGHTS.values()
        ),
    ),
    options=(
        Option(
            "tier_basis",
            Text("Tier basis", "星级口径"),
            (
                Choice("service", Text("service star (benefits)", "服务星级(权益)"), Text("service", "服务")),
                Choice(
                    "contribution",
                    Text("contribution star (performance)", "贡献星级(考核)"),
                    Text("contribution", "贡献"),
                ),
            ),
            default="service",
        ),
    ),
    floors=(Floor("product_floor", Text("product held", "持有产品"), when=SERVICE),),
    overrides=(Override("service_star_override", Text("manual service star", "手工调整"), when=SERVICE),),
    base_tier_column="contribution_tier",
    base_tier_name=Text("Contribution star", "贡献星级"),
    required_columns=("customer_id", "aum_short_6m", "aum_long_6m"),
    optional_columns=(
        "mortgage_6m",
        "other_loans_6m",
        "card_overdraft_6m",
        "investment_txn_6m",
        "card_spend_6m",
        "settlement_txn_6m",
        "credit_card",
        "wealth_account",
        "wealth_card",
        "private_banking",
        "service_star_override",
        "branch",
        "current_tier",
    ),
    benefits=BENEFITS,
    main_metric="star_points",
    aum_measure="assets_6m",
    explain=("star_points",),
    window_months=6,  # 近六个月: half-year daily averages and half-year cumulative transactions
)


@hookimpl
def workbench_register_schemes(register):
    register(SCHEME)
