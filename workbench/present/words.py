"""Every word a person reads, in English and Chinese: one catalogue for the command line,
the reports and the workbench.

``word(key, lang, **values)`` is the text in ``lang`` with ``{placeholders}``
filled; ``label`` is the same for keys without placeholders. A test checks
that every entry has both languages and the same placeholders in each.
"""

from __future__ import annotations

from typing import Any

from workbench.present.words_reports import REPORT_WORDS
from workbench.present.words_rules import RULE_WORDS
from workbench.text import Lang, Text


def _w(en: str, zh: str) -> Text:
    return Text(en, zh)


WORDS: dict[str, Text] = {
    # -- table headings and figures -----------------------------------------------------
    "tier": _w("tier", "等级"),
    "customers": _w("customers", "客户数"),
    "share": _w("share", "占比"),
    "aum": _w("AUM (CNY)", "资产(元)"),
    "aum_short": _w("AUM", "资产"),
    "per_customer_short": _w("per cust.", "人均"),
    "bp_short": _w("bp", "基点"),
    "cost_short": _w("cost", "成本"),
    "stayed": _w("stayed in their tier", "等级不变"),
    "aum_share": _w("AUM share", "资产占比"),
    "benefit_cost": _w("benefit cost", "权益成本"),
    "cost_per_customer": _w("per customer", "人均成本"),
    "cost_bp": _w("bp of AUM", "占资产(基点)"),
    "delta": _w("Δ", "变化"),
    "delta_cost": _w("Δ cost", "成本变化"),
    "delta_aum": _w("Δ AUM", "资产变化"),
    "total": _w("total", "合计"),
    "benefit": _w("benefit", "权益"),
    "driver": _w("driver", "成本类型"),
    "assumption": _w("assumption", "假设"),
    "cost_year": _w("cost / year", "年成本"),
    "from_to": _w("from \\ to", "原 \\ 新"),
    "qualified_by": _w("qualified by", "达标方式"),
    "several": _w("several", "多项"),
    "floor": _w("floor", "产品保底"),
    "override": _w("override", "手工调整"),
    "none": _w("no criterion", "未达标"),
    "only": _w("{group} only", "仅{group}"),
    "parameter": _w("parameter", "参数"),
    "value": _w("value", "取值"),
    "default": _w("default", "默认"),
    "unit": _w("unit", "单位"),
    "option": _w("option", "选项"),
    "tiers_vs_baseline": _w("Tiers vs baseline", "各等级与基准对比"),
    "tiers": _w("Tiers", "各等级"),
    "migration": _w("Migration from baseline", "相对基准的迁移"),
    "costs": _w("Benefit costs", "权益成本"),
    "moved": _w("moved", "迁移"),
    "more_moves": _w("+{count} more", "另有{count}项"),
    # -- the workbench's panels --------------------------------------------------------------
    "app.title": _w("Tiering Workbench", "客户分层工作台"),
    "app.short_title": _w("Workbench", "分层工作台"),
    "header.scenario": _w("Scenario", "情景"),
    "header.customers": _w("{count} customers", "{count}户"),
    "header.aum": _w("AUM {amount}", "资产 {amount}"),
    "panel.parameters": _w("Thresholds and weights", "阈值与参数"),
    "panel.distribution": _w("Distribution", "分布"),
    "panel.distribution_of": _w("Distribution: {metric}{unit}", "分布: {metric}{unit}"),
    "panel.log": _w(" (log)", "(对数)"),
    "panel.pyramid": _w("Pyramid: customers | AUM", "金字塔:客户 | 资产"),
    "panel.migration": _w("Migration from baseline", "相对基准的迁移"),
    "panel.migration_aum": _w("Migration from baseline (AUM)", "相对基准的迁移(资产)"),
    "panel.breakdown": _w("Qualified by", "达标方式"),
    "panel.tiers": _w("Tiers vs baseline: {baseline}", "各等级与基准对比(基准:{baseline})"),
    "panel.tier_changes": _w(
        "Tiers: changes vs baseline: {baseline}", "各等级变化与基准对比(基准:{baseline})"
    ),
    "panel.costs": _w("Benefit costs: {tier} ({count} customers)", "权益成本:{tier}({count}户)"),
    "params.weights": _w("Weights", "权重"),
    "params.options": _w("Options", "选项"),
    "params.describe_short": _w("default {default} · step ±{step}", "默认 {default} · 步长 ±{step}"),
    "params.describe": _w(
        "default {default} {unit} · ±{step} / ±{big}", "默认 {default}{unit} · 步长 ±{step} / ±{big}"
    ),
    "params.describe_option": _w("default {default} · {choices}", "默认 {default} · {choices}"),
    "pyramid.customers": _w("customers", "客户"),
    "pyramid.aum": _w("AUM", "资产"),
    "pyramid.top": _w(
        "Top {tiers} tiers: {customers} of customers, {aum} of AUM",
        "最高{tiers}级:{customers}的客户,{aum}的资产",
    ),
    "distribution.none": _w("no distribution for this parameter", "该参数没有分布"),
    "distribution.near": _w(
        "within {band}: {below} below, {above} at or above", "阈值下方{band}内{below}户,上方{above}户"
    ),
    "distribution.below": _w("{count} below {edge}", "{count}户低于{edge}"),
    "distribution.missing": _w("{count} n/a", "{count}户不适用"),
    "distribution.off_scale": _w("◀ ▶ off the drawn range", "◀ ▶ 超出图示范围"),
    "distribution.notes_separator": _w(", ", "；"),
    "costs.not_costed": _w("{benefit} is not costed", "{benefit}不计成本"),
    # -- the status line -------------------------------------------------------------------
    "status.generating": _w("Generating the sample ({rows} customers)", "正在生成样本({rows}户)"),
    "status.reading": _w("Reading {name}", "正在读取 {name}"),
    "status.metrics": _w("Computing metrics for {rows} customers", "正在计算 {rows} 户的指标"),
    "status.classifying": _w("Classifying", "正在分层"),
    "status.step": _w("{what} ({step}/{steps})…", "{what}({step}/{steps})…"),
    "status.ready": _w("{name}: {rows} customers ready{took}", "{name}:{rows}户已就绪{took}"),
    "status.took": _w(" in {seconds} s", ",用时 {seconds} 秒"),
    "status.preparing": _w("Preparing instant tuning", "正在准备即时调参"),
    "status.prepared": _w(
        "Ready for instant tuning: {rows} customers sorted{took}",
        "已就绪:{rows}户已排序{took},调阈值即时更新",
    ),
    "status.reading_rest": _w(
        "Reading the other {count} columns of {name}", "正在读取 {name} 的其余 {count} 列"
    ),
    "status.rest_read": _w(
        "{name}: all {count} columns read (the other {rest} after the figures){took}",
        "{name}:全部 {count} 列已读取(其余 {rest} 列在首批数字之后){took}",
    ),
    "status.prepare_failed": _w("could not prepare instant tuning: {error}", "无法准备即时调参:{error}"),
    "status.recomputed": _w(
        "recomputed in {ms} ms{how}, painted in {painted} ms", "重算 {ms} 毫秒{how},绘制 {painted} 毫秒"
    ),
    "status.moved": _w(" ({count} moved)", "(迁移{count}户)"),
    "status.all": _w(" (all {count})", "(全部{count}户)"),
    "status.restored": _w("Restored the unsaved changes", "已恢复未保存的修改"),
    "status.not_kept": _w("unsaved changes not kept against a crash: {error}", "无法保存恢复文件:{error}"),
    "status.baseline_not_loaded": _w("baseline not loaded: {error}", "基准未加载:{error}"),
    "status.load_cancelled": _w(
        "Loading cancelled; the previous portfolio is kept", "已取消加载,保留原客户数据"
    ),
    "status.no_portfolio": _w("No portfolio", "没有客户数据"),
    "status.opened": _w("Opened {path}", "已打开 {path}"),
    "status.saved": _w("Saved {path}", "已保存 {path}"),
    "status.pinned": _w("The current settings are the baseline now", "当前设置已设为基准"),
    "status.default_baseline": _w("Baseline: the scheme's defaults", "基准:方案默认值"),
    "status.nothing_to_undo": _w("nothing to undo", "没有可撤销的修改"),
    "status.nothing_to_redo": _w("nothing to redo", "没有可重做的修改"),
    "status.sweeping": _w("Sweeping…", "扫描中…"),
    "status.solving": _w("Solving…", "求解中…"),
    "status.explaining": _w("Explaining…", "解释中…"),
    "status.comparing": _w("Comparing…", "对比中…"),
    "pinned": _w("pinned {time}", "{time} 固定的基准"),
    "untitled": _w("untitled", "未命名"),
    "notes.title": _w("How {name} was read", "{name} 的读取方式"),
    "never_saved": _w("never saved", "从未保存"),
    # -- dialogs -------------------------------------------------------------------------------
    "dialog.scheme": _w("Scheme", "方案"),
    "dialog.open_portfolio": _w(
        "Open a portfolio (CSV, Excel, Parquet)", "打开客户数据(CSV、Excel、Parquet)"
    ),
    "dialog.open_scenario": _w("Open a scenario", "打开情景"),
    "dialog.browse": _w("Browse…", "浏览…"),
    "dialog.save_as": _w("Save the scenario as", "情景另存为"),
    "dialog.compare": _w("Compare scenarios on the current portfolio", "在当前客户数据上对比情景"),
    "dialog.current": _w("{name} (current)", "{name}(当前)"),
    "dialog.current_unsaved": _w("{name} (current, unsaved)", "{name}(当前,未保存)"),
    "dialog.unsaved_title": _w("Unsaved changes", "未保存的修改"),
    "dialog.unsaved": _w("{name} has unsaved changes.", "{name}有未保存的修改。"),
    "dialog.recovered_title": _w("Unsaved changes found", "发现未保存的修改"),
    "dialog.recovered": _w(
        "The workbench closed on {when} without saving the changes to {name} ({where}). "
        "Restore them, or discard them?",
        "工作台于 {when} 关闭时,{name}({where})的修改尚未保存。恢复还是放弃?",
    ),
    "dialog.restore": _w("Restore", "恢复"),
    "dialog.exists_title": _w("The file exists", "文件已存在"),
    "dialog.exists": _w(
        "{path} exists. Replace it with this scenario?", "{path} 已存在。用当前情景替换它吗?"
    ),
    "dialog.changed_title": _w("Changed on disk", "文件已被修改"),
    "dialog.changed": _w(
        "{path} changed on disk since this workbench opened it (another workbench or an editor saved it). "
        "Replacing it loses those changes.",
        "{path} 在本工作台打开后已被修改(另一个工作台或编辑器保存过)。替换将丢失那些修改。",
    ),
    "dialog.other_name": _w("Save under another name", "另存为新文件"),
    "dialog.replace": _w("Replace", "替换"),
    "dialog.replace_theirs": _w("Replace their changes", "替换其修改"),
    "dialog.discard": _w("Discard", "放弃"),
    "dialog.discard_changes": _w("Discard", "放弃修改"),
    "dialog.save": _w("Save", "保存"),
    "dialog.cancel": _w("Cancel", "取消"),
    "dialog.apply": _w("Apply", "应用"),
    "dialog.ok": _w("OK", "确定"),
    "dialog.close": _w("Close", "关闭"),
    "dialog.all_tiers": _w("apply to every tier that offers it", "应用于所有享有该权益的等级"),
    "dialog.share_unit": _w("0-1, e.g. 0.25 = 25%", "0-1,如 0.25 = 25%"),
    "dialog.value_hint": _w(
        "300000, 300,000, 300k and 30万 all work", "可输入 300000、300,000、300k 或 30万"
    ),
    "dialog.value_describe": _w("default {default}; step {step}", "默认 {default};步长 {step}"),
    "dialog.not_a_number": _w("{value!r} is not a number", "{value!r} 不是数字"),
    "dialog.field_not_a_number": _w("{field}: {value!r} is not a number", "{field}:{value!r} 不是数字"),
    "dialog.pick_hint": _w(
        "type to filter · ↑↓ move · enter choose · escape cancel",
        "输入文字筛选 · ↑↓ 移动 · 回车选择 · escape 取消",
    ),
    "dialog.multi_hint": _w(
        "type to filter · space tick [x] · enter compare (two or more) · escape cancel",
        "输入文字筛选 · 空格勾选 [x] · 回车对比(至少两个)· escape 取消",
    ),
    "dialog.filter": _w("type to filter", "输入文字筛选"),
    "dialog.jump": _w("Jump to a parameter or option", "跳到参数或选项"),
    "dialog.no_match": _w(
        "nothing matches the filter (backspace to widen it)", "没有匹配项(按退格键放宽筛选)"
    ),
    "dialog.pick_two": _w("select at least two scenarios", "请至少选择两个情景"),
    "dialog.path_hint": _w(
        "enter open · tab to the tree · escape cancel", "回车打开 · tab 切到目录树 · escape 取消"
    ),
    "dialog.no_such_file": _w("{path}: no such file", "{path}:文件不存在"),
    "dialog.expected_suffix": _w("{name}: expected one of {suffixes}", "{name}:应为 {suffixes} 之一"),
    "dialog.map_title": _w("Map the columns of {name}", "映射 {name} 的列"),
    "dialog.not_used": _w("(not used)", "(不使用)"),
    "dialog.map_apply": _w("Load with this mapping", "按此映射加载"),
    "dialog.both_map": _w(
        "{first!r} and {second!r} both map to {column}", "{first!r} 和 {second!r} 都映射到 {column}"
    ),
    "dialog.keys": _w("Keys", "按键"),
    "dialog.escape_closes": _w("escape closes", "按 escape 关闭"),
    # -- errors shown in dialogs ---------------------------------------------------------------
    "error.load": _w("The portfolio could not be loaded", "客户数据无法加载"),
    "error.rest": _w("The rest of the portfolio could not be read", "客户数据的其余列无法读取"),
    "error.rest_kept": _w(
        "The figures shown read only {columns} and stay. The file's other columns cannot be "
        "used until it is corrected and opened again.",
        "当前数字只用到 {columns},保持不变。文件的其余列在修正并重新打开之前无法使用。",
    ),
    "error.keeping": _w(" (keeping {name})", "(保留 {name})"),
    "error.recover": _w("Unsaved changes could not be recovered", "未保存的修改无法恢复"),
    "error.restore": _w("Unsaved changes could not be restored", "未保存的修改无法恢复"),
    "error.scheme_columns": _w("This portfolio cannot be used with that scheme", "该客户数据不适用于此方案"),
    "error.simulate": _w("The scheme failed to simulate", "方案计算失败"),
    "error.open": _w("The scenario could not be opened", "情景无法打开"),
    "error.save": _w("The scenario was not saved", "情景未保存"),
    "error.read": _w("A scenario could not be read", "情景无法读取"),
    "error.compare": _w("The scenarios could not be compared", "情景无法对比"),
    "error.sweep": _w("The sweep did not run", "扫描未完成"),
    "error.solve": _w("The solver did not run", "求解未完成"),
    "error.explain": _w("The customer could not be explained", "无法解释该客户"),
    "error.no_schemes": _w(
        "no schemes are installed; run `workbench schemes` to see plugin errors",
        "未安装任何方案;运行 `workbench schemes` 查看插件错误",
    ),
    "settle.unit": _w(
        ' in the scenario file: [portfolio] unit = "万元" (or 元, 千元, 百万元, 亿元)',
        ':在情景文件中写 [portfolio] unit = "万元"(或 元、千元、百万元、亿元)',
    ),
    "dialog.export": _w("Export report", "导出报告"),
    "dialog.export_hint": _w(
        "enter writes the report: .xlsx (Excel) or .html (with charts); .md, .csv, .json, .txt too",
        "回车写出报告:.xlsx(Excel)或 .html(含图表);也可 .md、.csv、.json、.txt",
    ),
    "status.exporting": _w("writing the report to {path}…", "正在写出报告到 {path}…"),
    "status.exported": _w("report written to {path}", "报告已写出:{path}"),
    "status.exported_title": _w("Report written", "报告已写出"),
    "error.export": _w("The report was not written", "报告未能写出"),
    "status.confirming": _w(
        "confirming on the full book: the batch runs on a Dask cluster…",
        "正在全量核实:在 Dask 集群上批量计算…",
    ),
    "status.confirmed": _w(
        "the full book's exact figures are shown, the estimates beside them until the next change",
        "已显示全量精确数字,估计值并列显示,直到下一次修改",
    ),
    "status.exact_already": _w(
        "the whole book is in memory: its figures are exact already", "名单已全部在内存中:数字已是精确值"
    ),
    "error.confirm": _w("The full book could not be computed", "未能完成全量计算"),
    "error.unexpected": _w("Something went wrong (nothing was changed)", "出现意外错误(未做任何更改)"),
    "settle.portfolio": _w(" (open a portfolio with o)", "(用 o 打开名单)"),
    "settle.decimal": _w(
        ' in the scenario file: [portfolio] decimal = "," or "."',
        ':在情景文件中写 [portfolio] decimal = "," 或 "."',
    ),
    # -- the names of fields a library error may name --------------------------------------------
    "field.steps": _w("Steps", "步数"),
    "field.range": _w("From / to", "起止"),
    "field.param": _w("Parameter", "参数"),
    "field.target": _w("Target", "目标"),
    "field.vary": _w("Vary", "可调参数"),
    "field.budget": _w("Budget", "预算"),
    "field.output": _w("Output", "输出"),
    # -- compare ------------------------------------------------------------------------------------
    "compare.title": _w(
        "Compare scenarios · {portfolio} · {rows} customers", "情景对比 · {portfolio} · {rows}户"
    ),
    "compare.differs": _w("What differs (A -> B -> ...)", "差异(A -> B -> ...)"),
    "compare.against_a": _w("Against A", "相对A的迁移"),
    "compare.reference": _w(" (the reference)", "(基准)"),
    "compare.no_differences": _w("no differences in settings", "设置无差异"),
    "compare.moves": _w(
        " {moved} customers change tier, benefit cost {delta}", " 迁移{moved}户,权益成本{delta}"
    ),
    "compare.back": _w("back to the workbench", "返回工作台"),
    "compare.migration": _w("customers", "客户数"),
    "compare.migration_aum": _w("AUM (CNY)", "资产(元)"),
    "compare.migration_title": _w("Migration {tag} against A ({what})", "{tag} 相对 A 的迁移({what})"),
    # -- planner tools ---------------------------------------------------------------------------------
    "sweep.title": _w("Sweep a parameter", "扫描参数"),
    "sweep.parameter": _w("parameter", "参数"),
    "sweep.from": _w("from", "从"),
    "sweep.to": _w("to", "到"),
    "sweep.steps": _w("steps", "步数"),
    "sweep.hint": _w(
        "values outside the rising order are listed as not allowed", "不满足阈值递增的取值会标为不允许"
    ),
    "sweep.numbers": _w("from, to and steps must be numbers", "起点、终点和步数必须是数字"),
    "sweep.go": _w("Sweep", "扫描"),
    "sweep.screen": _w("Sweep of {param} · {scheme}", "扫描 {param} · {scheme}"),
    "sweep.curve": _w("benefit cost {first} {line} {last}", "权益成本 {first} {line} {last}"),
    "sweep.use": _w("use this value", "采用此值"),
    "sweep.per_10k": _w("10,000 CNY", "1万元"),
    "sweep.per_unit": _w("unit", "单位"),
    "sweep.too_few": _w("too few valid points to find a bend", "可用的取值太少,找不到拐点"),
    "sweep.straight": _w(
        "the cost curve is close to a straight line: no marked bend", "成本曲线接近直线:没有明显拐点"
    ),
    "sweep.bends": _w(
        "the cost curve bends at {param} = {value}: {before} a year per {per} before, {after} after",
        "成本曲线在 {param} = {value} 处转折:此前每{per}每年 {before},此后 {after}",
    ),
    "solve.title": _w("Solve for thresholds", "求解阈值"),
    "solve.goal": _w("goal", "目标"),
    "solve.target": _w("share at or above tier", "达到某等级及以上的占比"),
    "solve.budget": _w("cost within budget", "成本不超预算"),
    "solve.tier": _w("tier", "等级"),
    "solve.amount": _w("share % (target) / CNY (budget)", "占比%(目标)/ 元(预算)"),
    "solve.vary": _w("thresholds that may move", "可调整的阈值"),
    "solve.vary_tier": _w("the tier's own thresholds", "该等级自身的阈值"),
    "solve.hint": _w(
        "the target starts at today's share, the budget at today's cost · enter solves",
        "目标默认为当前占比,预算默认为当前成本 · 回车求解",
    ),
    "solve.amount_number": _w("the amount must be a number", "数额必须是数字"),
    "solve.go": _w("Solve", "求解"),
    "solve.changed": _w("changed:", "调整:"),
    "solve.unchanged": _w("no parameter changed", "未调整任何参数"),
    "solve.solved": _w("Solved", "求解结果"),
    "solve.not_reached": _w("Not fully reached", "未完全达到"),
    "solve.apply": _w("Apply to the scenario", "应用到情景"),
    "explain.title": _w("Explain a customer's tier", "解释客户等级"),
    "explain.placeholder": _w("customer key, e.g. {example}", "客户号,如 {example}"),
    "explain.hint": _w(
        "explained under the current settings and against the baseline", "按当前设置解释,并与基准对比"
    ),
    "explain.differs": _w("Why it differs from the baseline:", "与基准的差异:"),
    "back": _w("back", "返回"),
    "plus_minus": _w("± 95%", "± 95%"),
    "estimated": _w("estimated", "估计"),
}


WORDS.update(REPORT_WORDS)
WORDS.update(RULE_WORDS)


def word(key: str, lang: Lang = "en", **values: Any) -> str:
    """The text of ``key`` in ``lang``, with its ``{placeholders}`` filled from ``values``."""
    text = WORDS[key].get(lang)
    return text.format(**values) if values else text


# Units schemes give their parameters and metrics, in both languages (others as written).
UNITS: dict[str, Text] = {
    "CNY": _w("CNY", "元"),
    "points": _w("points", "点"),
    "points per 10,000 CNY": _w("points per 10,000 CNY", "点/万元"),
    "times": _w("times", "次"),
    "months": _w("months", "个月"),
    "per year": _w("per year", "每年"),
    "customers": _w("customers", "户"),
    "bp": _w("bp", "基点"),
    "tier": _w("tier", "等级"),
}


def unit_word(unit: str, lang: Lang = "en", one: bool = False) -> str:
    """A unit in ``lang``; ``one``: the English singular (``per point``)."""
    text = UNITS[unit].get(lang) if unit in UNITS else unit
    return text.removesuffix("s") if one and lang == "en" and unit in UNITS else text


def label(key: str, lang: Lang = "en") -> str:
    """A heading or label (a word without placeholders)."""
    return WORDS[key].get(lang)
