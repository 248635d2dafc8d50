"""China Merchants Bank (招商银行) retail levels, as a Tiering Workbench plugin.

Levels by the customer's daily-average AUM over the latest month: 金卡 from
50,000 CNY, 金葵花 from 500,000, 钻石 from 5,000,000 and 私人银行 from
10,000,000. A worked example for docs/plugins.md, not a built-in scheme.
"""

from workbench import Benefit, Criterion, Parameter, Scheme, Text, Tier, hookimpl, metrics

LEVELS = (
    # tier id, English, Chinese, default threshold (CNY), nudge step
    ("gold", "Gold", "金卡", 50_000, 10_000),
    ("sunflower", "Sunflower", "金葵花", 500_000, 50_000),
    ("diamond", "Diamond", "钻石", 5_000_000, 500_000),
    ("private", "Private banking", "私人银行", 10_000_000, 1_000_000),
)

SCHEME = Scheme(
    id="cmb-sunflower",
    name=Text("China Merchants Bank levels", "招商银行客户等级"),
    description=Text("Levels by monthly daily-average AUM.", "按月日均总资产划分等级。"),
    tiers=(
        Tier("standard", Text("Standard", "普卡")),
        *(
            Tier(tier, Text(en, zh), criteria=(Criterion("aum", f"{tier}_min"),))
            for tier, en, zh, _, _ in LEVELS
        ),
    ),
    metrics=(metrics.column("aum", label=Text("Monthly daily-average AUM", "月日均总资产")),),
    parameters=tuple(
        Parameter(
            f"{tier}_min",
            Text(f"{en}: AUM from", f"{zh}:资产下限"),
            default,
            "CNY",
            step=step,
            big_step=step * 10,
        )
        for tier, en, zh, default, step in LEVELS
    ),
    required_columns=("customer_id", "aum"),
    optional_columns=("branch",),
    benefits=(
        Benefit(
            "relationship_manager",
            Text("Relationship manager", "专属理财经理"),
            "staffing",
            {"cost_per_manager": 400_000},
            {
                "sunflower": {"customers_per_manager": 500},
                "diamond": {"customers_per_manager": 200},
                "private": {"customers_per_manager": 50},
            },
            reference="400k a manager-year; customers per manager by level",
        ),
        Benefit(
            "airport_lounge",
            Text("Airport lounge", "机场贵宾厅"),
            "per_use",
            {"unit_cost": 150},
            {
                "sunflower": {"uses_per_year": 0.3},
                "diamond": {"uses_per_year": 1.0},
                "private": {"uses_per_year": 2.5},
            },
            reference="150 CNY a visit",
        ),
    ),
    main_metric="aum",
    aum_measure="aum",
)


@hookimpl
def workbench_register_schemes(register):
    register(SCHEME)
