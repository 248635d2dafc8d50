"""Industrial Bank (兴业银行) "自然人生" family wealth cards.

Source: 《客户关系分级管理案例分析——兴业银行》 (a case study; the figures agree across
its copies). Four cards by daily-average AUM; a customer reaches the highest
card whose personal OR family (household) criterion holds. The family
criterion applies to households of two or more members; whether the
household figure is the members' mean ("平均达到", the literal reading) or
their total is the ``household_basis`` option.
"""

from __future__ import annotations

from workbench import (
    Choice,
    Criterion,
    Group,
    Option,
    Parameter,
    Scheme,
    Text,
    Tier,
    hookimpl,
    metrics,
)
from workbench import benefits as b

__all__ = ["SCHEME", "workbench_register_schemes"]


def _threshold(tier: str, basis: str, default: float, name: Text) -> Parameter:
    return Parameter(
        id=f"{tier}_{basis}",
        name=name,
        default=default,
        unit="CNY",
        step=10_000,
        big_step=100_000,
    )


def _tier(tier_id: str, name: Text, note: Text) -> Tier:
    return Tier(
        tier_id,
        name,
        note=note,
        criteria=(
            Criterion("aum", f"{tier_id}_personal", group="personal"),
            Criterion("household_aum", f"{tier_id}_household", group="household"),
        ),
    )


ALL_CARDS = ("silver", "gold", "platinum", "black_gold")
GOLD_UP = ("gold", "platinum", "black_gold")
PLATINUM_UP = ("platinum", "black_gold")

BENEFITS = (
    b.fee_waiver(
        "annual_fee_waiver",
        Text("Annual and small-account fee waiver", "免年费及小额账户管理费"),
        b.ACCOUNT_FEES,
        0.25,
        ALL_CARDS,
        "fee schedules: 10 CNY annual fee + 12 CNY small-account fee; 25% would have paid",
    ),
    b.fee_waiver(
        "transaction_fee_waiver",
        Text("Online payment, same-bank transfer and ATM fee waiver", "网上支付、同行转账及ATM取款免费"),
        20,
        0.2,
        ALL_CARDS,
        "assumption: 20 CNY of such fees a year for the 20% who would pay them",
    ),
    b.fee_waiver(
        "sms_alerts",
        Text("Free SMS account alerts", "免费精灵信使"),
        b.SMS_FEES,
        0.6,
        GOLD_UP,
        "banks' SMS fees 2-3 CNY a month; 60% subscribe",
    ),
    b.staffing(
        "dedicated_manager",
        Text("Dedicated account manager", "专属客户经理"),
        {"gold": 1_500, "platinum": 500, "black_gold": 200},
        "listed banks' 2024 staff cost 554-606k per employee; 400k fully loaded for a manager",
    ),
    b.not_costed(
        "priority_service",
        Text("Priority service, care messages and reminders", "优先服务、贴心人文关怀及提醒服务"),
        GOLD_UP,
    ),
    b.per_use(
        "airport_lounge",
        Text("Airport VIP service at 20 airports", "机场贵宾服务"),
        b.LOUNGE_VISIT,
        {"platinum": {"uses_per_year": 0.3}, "black_gold": {"uses_per_year": 1.0}},
        "a bank's over-quota price of 150 CNY a lounge visit",
    ),
    b.per_use(
        "golf",
        Text("Golf: green-fee waiver and driving range", "时尚高尔夫"),
        b.GOLF_ROUND,
        PLATINUM_UP,
        "green fees 600-1,180 CNY; 10% of eligible customers play 2 rounds",
        uses_per_year=2,
        uptake=0.1,
    ),
    b.not_costed(
        "green_channel",
        Text("Green channel and VIP windows", "绿色通道"),
        PLATINUM_UP,
        "served by existing branches",
    ),
    b.not_costed(
        "travel_booking",
        Text("Hotel and flight booking at 20-70% of list price", "酒店机票优惠预订"),
        PLATINUM_UP,
        "discounts negotiated with partners, not paid by the bank",
    ),
    b.per_customer(
        "travel_insurance",
        Text("Travel insurance", "附赠商旅保险"),
        b.TRAVEL_INSURANCE,
        PLATINUM_UP,
        "retail premiums 100-150 CNY a year; 80 CNY at group rates",
    ),
    b.per_customer(
        "book_gift",
        Text("A best-selling book each year", "年度赠书"),
        60,
        PLATINUM_UP,
        "assumption: a hardback about 60 CNY, 90% take it",
        uptake=0.9,
    ),
    b.not_costed(
        "family_advisor",
        Text("One-to-one family wealth advisor", "一对一家庭理财顾问"),
        ("black_gold",),
        "counted in the dedicated manager line: 200 customers per manager at the top level",
    ),
    b.events(
        "top_customer_events",
        Text("Top-customer gatherings", "顶级客户联谊会"),
        b.DINNER_HEAD,
        ("black_gold",),
        "tier-1 city banquet prices; 25% attend",
        events_per_year=1,
        attendance=0.25,
    ),
    b.per_use(
        "health_services",
        Text("Health and medical services", "健康医疗服务"),
        b.HEALTH_CHECK["premium"],
        ("black_gold",),
        "premium health check 2,500 CNY; 30% uptake",
        uses_per_year=1,
        uptake=0.3,
    ),
    b.not_costed(
        "emergency_payment",
        Text("Emergency payment support away from home", "应急支付支持"),
        ("black_gold",),
        "rarely used; covered by card operations",
    ),
    b.per_customer(
        "road_rescue",
        Text("Nationwide road rescue", "全国道路救援"),
        b.ROAD_RESCUE,
        ("black_gold",),
        "a bank sells unlimited rescue for 8 CNY a year; 10 CNY pooled",
    ),
)

SCHEME = Scheme(
    id="industrial-bank",
    name=Text("Industrial Bank family wealth cards", "兴业银行自然人生卡"),
    description=Text(
        "Four cards by daily-average AUM: the highest card whose personal OR household "
        "criterion holds. The household criterion applies to households of two or more.",
        "按日均综合金融资产划分四种卡:个人或家庭任一标准达到即可。家庭标准仅适用于两人及以上的家庭。",
    ),
    source="《客户关系分级管理案例分析——兴业银行》(客户关系管理:客户分级管理)",
    tiers=(
        Tier("silver", Text("Silver", "银卡"), note=Text("small customers", "小客户")),
        _tier("gold", Text("Gold", "金卡"), Text("ordinary customers", "普通客户")),
        _tier("platinum", Text("Platinum", "白金卡"), Text("major customers", "主要客户")),
        _tier("black_gold", Text("Black gold", "黑金卡"), Text("key customers", "重要客户")),
    ),
    groups=(
        Group("personal", Text("personal", "个人")),
        Group("household", Text("household", "家庭")),
    ),
    combine="any",
    metrics=(
        metrics.column("aum", label=Text("Personal daily-average AUM", "个人日均综合金融资产")),
        metrics.household_aggregate(
            "household_aum",
            Text("Household daily-average AUM", "家庭日均综合金融资产"),
            "aum",
            basis_option="household_basis",
            min_members=2,
        ),
    ),
    parameters=(
        _threshold("gold", "personal", 100_000, Text("Gold: personal AUM", "金卡:个人资产")),
        _threshold("gold", "household", 80_000, Text("Gold: household AUM", "金卡:家庭资产")),
        _threshold("platinum", "personal", 300_000, Text("Platinum: personal AUM", "白金卡:个人资产")),
        _threshold("platinum", "household", 250_000, Text("Platinum: household AUM", "白金卡:家庭资产")),
        _threshold("black_gold", "personal", 1_000_000, Text("Black gold: personal AUM", "黑金卡:个人资产")),
        _threshold("black_gold", "household", 800_000, Text("Black gold: household AUM", "黑金卡:家庭资产")),
    ),
    options=(
        Option(
            "household_basis",
            Text("Household basis", "家庭资产口径"),
            (
                Choice("mean", Text("mean of members", "成员平均"), Text("mean", "平均")),
                Choice("sum", Text("household total", "家庭合计"), Text("sum", "合计")),
            ),
            default="mean",
        ),
    ),
    required_columns=("customer_id", "aum"),
    optional_columns=("household_id", "branch", "current_tier"),
    benefits=BENEFITS,
    main_metric="aum",
    aum_measure="aum",
)


@hookimpl
def workbench_register_schemes(register):
    register(SCHEME)
