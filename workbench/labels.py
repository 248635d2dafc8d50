"""User-facing words shared by the command line, reports and the TUI, in English and Chinese."""

from __future__ import annotations

from workbench.text import Lang, Text

LABELS: dict[str, Text] = {
    "tier": Text("tier", "等级"),
    "customers": Text("customers", "客户数"),
    "share": Text("share", "占比"),
    "aum": Text("AUM (CNY)", "资产(元)"),
    "aum_short": Text("AUM", "资产"),
    "per_customer_short": Text("per cust.", "人均"),
    "bp_short": Text("bp", "基点"),
    "cost_short": Text("cost", "成本"),
    "stayed": Text("stayed in their tier", "等级不变"),
    "aum_share": Text("AUM share", "资产占比"),
    "benefit_cost": Text("benefit cost", "权益成本"),
    "cost_per_customer": Text("per customer", "人均成本"),
    "cost_bp": Text("bp of AUM", "占资产(基点)"),
    "delta": Text("Δ", "变化"),
    "delta_cost": Text("Δ cost", "成本变化"),
    "delta_aum": Text("Δ AUM", "资产变化"),
    "total": Text("total", "合计"),
    "benefit": Text("benefit", "权益"),
    "driver": Text("driver", "成本类型"),
    "assumption": Text("assumption", "假设"),
    "cost_year": Text("cost / year", "年成本"),
    "from_to": Text("from \\ to", "原 \\ 新"),
    "qualified_by": Text("qualified by", "达标方式"),
    "several": Text("several", "多项"),
    "floor": Text("floor", "产品保底"),
    "override": Text("override", "手工调整"),
    "none": Text("no criterion", "未达标"),
    "only": Text("{} only", "仅{}"),
    "parameter": Text("parameter", "参数"),
    "value": Text("value", "取值"),
    "default": Text("default", "默认"),
    "unit": Text("unit", "单位"),
    "option": Text("option", "选项"),
    "tiers_vs_baseline": Text("Tiers vs baseline", "各等级与基准对比"),
    "tiers": Text("Tiers", "各等级"),
    "migration": Text("Migration from baseline", "相对基准的迁移"),
    "costs": Text("Benefit costs", "权益成本"),
    "moved": Text("moved", "迁移"),
}


def label(key: str, lang: Lang = "en") -> str:
    return LABELS[key].get(lang)
