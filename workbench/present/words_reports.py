"""The words of report files (part of the one catalogue, ``present.words.WORDS``)."""

from __future__ import annotations

from workbench.text import Text as _w

REPORT_WORDS: dict[str, _w] = {
    "report.comparison": _w("Scenario comparison", "情景对比"),
    "report.portfolio": _w(
        "Portfolio {name}: {rows} customers, fingerprint {fingerprint}",
        "客户数据 {name}:{rows}户,指纹 {fingerprint}",
    ),
    "report.every_figure": _w(
        "Every figure is on this portfolio; changes are against A.", "所有数字均基于该客户数据;变化均相对 A。"
    ),
    "report.min_cell": _w(
        "Money built from fewer than {count} customers is marked {mark}, not shown.",
        "少于{count}户客户的金额以 {mark} 标记,不予显示。",
    ),
    "report.tiers_by_scenario": _w("Tiers by scenario", "各情景的等级分布"),
    "report.what_differs": _w("What differs", "设置差异"),
    "report.nothing_differs": _w("Nothing: the scenarios have the same settings.", "无:各情景的设置相同。"),
    "report.benefit_cost": _w("Benefit cost by tier", "各等级权益成本"),
    "report.pyramid": _w("Customer pyramid", "客户金字塔"),
    "report.migration": _w(
        "Migration: {tag} against A ({moved} customers change tier)", "迁移:{tag} 相对 A({moved}户等级变动)"
    ),
    "report.costs_of": _w("{tag}: benefit costs and their assumptions", "{tag}:权益成本及其假设"),
    "report.written_by": _w("Written by the Tiering Workbench.", "由客户分层工作台生成。"),
    "report.scheme_line": _w("Scheme: {scheme} ({id}); changes against A", "方案:{scheme}({id});变化相对 A"),
    "report.source": _w("Source: {source}", "来源:{source}"),
    "report.notes": _w("Notes: {notes}", "备注:{notes}"),
    "report.sheet_summary": _w("Summary", "汇总"),
    "report.sheet_migration": _w("Migration {tag} vs A", "迁移 {tag} 对 A"),
    "report.sheet_movers": _w("Customers who move", "等级变动客户"),
    "report.col_scenario": _w("scenario", "情景"),
    "report.col_tier": _w("tier", "等级"),
    "report.col_customers": _w("customers", "客户数"),
    "report.col_share": _w("share", "客户占比"),
    "report.col_aum": _w("AUM (CNY)", "资产(元)"),
    "report.col_aum_share": _w("AUM share", "资产占比"),
    "report.col_cost": _w("benefit cost (CNY)", "权益成本(元)"),
    "report.col_d_customers": _w("Δ customers vs A", "客户数变化(相对A)"),
    "report.col_d_aum": _w("Δ AUM vs A", "资产变化(相对A)"),
    "report.col_d_cost": _w("Δ benefit cost vs A", "权益成本变化(相对A)"),
    "report.col_per_customer": _w("cost per customer (CNY)", "人均成本(元)"),
    "report.col_bp": _w("cost bp of AUM", "成本占资产(基点)"),
    "report.col_benefit": _w("benefit", "权益"),
    "report.col_driver": _w("driver", "成本类型"),
    "report.col_assumption": _w("assumption", "假设"),
    "report.col_source": _w("from", "取值来源"),
    "report.col_cost_year": _w("cost a year (CNY)", "年成本(元)"),
    "report.col_setting": _w("setting", "设置项"),
    "report.col_value": _w("value", "取值"),
    "report.default": _w("scheme default", "方案默认"),
    "report.edited": _w("scenario: {keys}", "情景设置:{keys}"),
    "report.settings": _w("Settings", "设置"),
    "report.migration_customers": _w(
        "Customers from A's tier (rows) to {tag}'s tier (columns)",
        "客户从 A 的等级(行)迁移到 {tag} 的等级(列)",
    ),
    "report.migration_aum": _w("AUM (CNY) of the customers in each cell", "各格客户的资产(元)"),
    "report.movers": _w(
        "{count} customers whose tier differs from A's, largest AUM first",
        "{count}户客户的等级与 A 不同,按资产从大到小排列",
    ),
    "report.chart_cost": _w("Benefit cost by tier and scenario (CNY a year)", "各情景各等级的年权益成本(元)"),
    "report.chart_hidden": _w("tiers under {count} customers", "不足{count}户的等级"),
    "report.chart_customers": _w("share of customers", "客户占比"),
    "report.chart_aum": _w("share of AUM", "资产占比"),
    "report.sweep": _w("Sweep of {param}", "参数扫描:{param}"),
    "report.sweep_line": _w("{scheme}; current value {value}.", "{scheme};当前取值 {value}。"),
    "report.sheet_sweep": _w("Sweep", "扫描"),
    "report.sheet_chart": _w("Chart", "图表"),
    "report.chart_sweep_y": _w("benefit cost a year (CNY)", "年权益成本(元)"),
    "report.current": _w("* = current value", "* = 当前取值"),
    "report.current_short": _w("current", "当前"),
    "report.or_above": _w("{tier} or above", "{tier}及以上"),
    "report.at_or_above": _w("customers at or above", "达到该级及以上的客户"),
    "report.bends_at": _w("bends at {value}", "拐点 {value}"),
    "report.sweep_title": _w("{scheme}: sweep of {param}", "{scheme}:扫描{param}"),
    "report.not_allowed": _w("not allowed: {why}", "不允许:{why}"),
}
