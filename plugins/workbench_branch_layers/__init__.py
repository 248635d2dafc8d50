"""A branch's five service layers by AUM (客户分层维护).

Source: 《客户分层维护实施指导方案》, section 客户分层维护实施方案. Not a card
scheme but a servicing model: who looks after each layer and how often. Its
costs are staff time, events and gifts. Customers below 1,000 CNY are
outside the layers.
"""

from __future__ import annotations

from workbench import Criterion, Group, Parameter, Scheme, Text, Tier, hookimpl, metrics
from workbench import benefits as b

__all__ = ["SCHEME", "workbench_register_schemes"]

LAYERS = (
    # id, English, Chinese, lower bound default, nudge step, looked after by (en, zh)
    ("layer1", "Layer 1", "第一层", 1_000, 500, "counter tellers", "高柜柜员"),
    ("layer2", "Layer 2", "第二层", 50_000, 5_000, "low-counter and VIP-counter tellers", "低柜及贵宾柜员"),
    (
        "layer3",
        "Layer 3",
        "第三层",
        200_000,
        10_000,
        "account manager and lobby manager",
        "客户经理及大堂经理",
    ),
    ("layer4", "Layer 4", "第四层", 500_000, 50_000, "account manager and supervisor", "客户经理及主管"),
    (
        "layer5",
        "Layer 5",
        "第五层",
        3_000_000,
        100_000,
        "branch manager, supervisor and personal finance department",
        "行长、主管及个金部",
    ),
)

BENEFITS = (
    b.per_customer(
        "profile_collection",
        Text("Profile data collection by tellers", "柜员收集客户资料"),
        5,
        ("layer1", "layer2"),
        "assumption: about 10 minutes of teller time a year",
    ),
    b.staffing(
        "account_manager",
        Text("Account manager: customer file and monthly contact", "客户经理:建档及每月联系"),
        {"layer3": 1_500, "layer4": 500, "layer5": 200},
        "400k a manager-year fully loaded; customers per manager by layer",
    ),
    b.per_use(
        "home_visits",
        Text("Birthday and major-event home visits (1M-3M)", "生日及重大事件上门拜访(100万-300万)"),
        300,
        ("layer4",),
        "assumption: 300 CNY of staff time and a small gift a visit; "
        "uptake is the share of layer 4 holding 1M-3M",
        uses_per_year=2,
        uptake=0.45,
    ),
    b.events(
        "wealth_salon",
        Text("Monthly small wealth salon (about 15 customers)", "每月小型理财沙龙(约15人)"),
        b.EVENT_HEAD,
        ("layer3", "layer4"),
        "venue and catering 250 CNY a head; 5% of the layer attends each month",
        events_per_year=12,
        attendance=0.05,
    ),
    b.events(
        "investment_report",
        Text("Half-yearly investment report meeting (about 100)", "半年度投资报告会(约100人)"),
        b.EVENT_HEAD,
        ("layer3", "layer4", "layer5"),
        "250 CNY a head; 10% attend",
        events_per_year=2,
        attendance=0.1,
    ),
    b.events(
        "vip_dinner",
        Text("VIP dinners or outings (AUM >= 1M)", "贵宾晚宴或出游(资产100万以上)"),
        b.DINNER_HEAD,
        {"layer4": {"attendance": 0.1}, "layer5": {"attendance": 0.25}},
        "600 CNY a head; 25% attend; in layer 4 only the 1M-3M part is invited",
        events_per_year=2,
    ),
    b.per_use(
        "holiday_greetings",
        Text("Holiday text greetings", "节日短信问候"),
        0.1,
        ("layer2", "layer3", "layer4", "layer5"),
        "about 0.1 CNY a message, six holidays",
        uses_per_year=6,
    ),
    b.per_customer(
        "signup_gift",
        Text("Sign-up gift by amount", "签约礼品(按金额)"),
        None,
        {
            "layer1": {"unit_cost": 5},
            "layer2": {"unit_cost": 5},
            "layer3": {"unit_cost": 80},
            "layer4": {"unit_cost": 500},
            "layer5": {"unit_cost": 800},
        },
        "tissues below 300k; bedding, rice, oil 300-500k; rice cooker 500k-1M; silk quilt or shopping card "
        "above 1M; 10% of a layer sign up in a year",
        uptake=0.1,
    ),
    b.per_use(
        "joint_visits",
        Text("Joint visits with the personal finance department", "个金部联合走访"),
        500,
        ("layer5",),
        "assumption: 500 CNY of senior staff time a visit",
        uses_per_year=2,
    ),
)

SCHEME = Scheme(
    id="branch-layers",
    name=Text("Branch service layers by AUM", "网点客户分层维护"),
    description=Text(
        "Five servicing layers by AUM: who looks after each layer and how often. "
        "Below 1,000 CNY a customer is outside the layers.",
        "按资产分五层维护:各层由谁维护、多久联系一次。资产低于1000元的客户不分层。",
    ),
    source="《客户分层维护实施指导方案》(一家银行支行的个人客户分层维护方案)",
    tiers=(
        Tier("unlayered", Text("Unlayered", "未分层"), note=Text("below the first layer", "低于第一层")),
        *(
            Tier(
                t,
                Text(en, zh),
                criteria=(Criterion("aum", f"{t}_min", group="aum"),),
                note=Text(who_en, who_zh),
            )
            for t, en, zh, _, _, who_en, who_zh in LAYERS
        ),
    ),
    groups=(Group("aum", Text("AUM", "资产")),),
    combine="any",
    metrics=(metrics.column("aum"),),
    parameters=tuple(
        Parameter(
            f"{t}_min",
            Text(f"{en}: lowest AUM", f"{zh}:资产下限"),
            lower,
            "CNY",
            step=step,
            big_step=step * 10,
        )
        for t, en, zh, lower, step, _, _ in LAYERS
    ),
    required_columns=("customer_id", "aum"),
    optional_columns=("branch", "current_tier"),
    benefits=BENEFITS,
    main_metric="aum",
    aum_measure="aum",
)


@hookimpl
def workbench_register_schemes(register):
    register(SCHEME)
