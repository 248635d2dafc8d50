"""The words of the rules screen: a scheme's tiers and conditions, edited in the workbench."""

from __future__ import annotations

from workbench.text import Text


def _w(en: str, zh: str) -> Text:
    return Text(en, zh)


RULE_WORDS: dict[str, Text] = {
    "rules.title": _w("Rules · {scheme} · {origin}", "规则 · {scheme} · {origin}"),
    "rules.unsaved": _w("changed, not saved as a scheme file", "已修改,尚未保存为方案文件"),
    "rules.plugin": _w("plugin {name}", "插件 {name}"),
    "rules.file": _w("file {name}", "文件 {name}"),
    "rules.conditions": _w("conditions (thresholds as now)", "条件(当前阈值)"),
    "rules.benefits": _w("benefits", "权益"),
    "rules.condition_count": _w("conditions", "条件数"),
    "colon": _w(": ", ":"),
    "rules.hint": _w(
        "a / b add a tier above / below · d remove it · c add a condition · x remove one · "
        "n add a benefit · s save as a scheme file · u undo",
        "a / b 在上方 / 下方加等级 · d 删除等级 · c 加条件 · x 删条件 · n 加权益 · s 保存为方案文件 · u 撤销",
    ),
    "rules.name_title": _w("Name of the new tier", "新等级的名称"),
    "rules.benefit_name_title": _w("Name of the new benefit", "新权益的名称"),
    "rules.name_en": _w("English", "英文"),
    "rules.name_zh": _w("Chinese", "中文"),
    "rules.name_missing": _w("Give the name in both languages", "请填写中英文名称"),
    "rules.pick_metric": _w("A condition on which metric?", "新条件用哪个指标?"),
    "rules.pick_condition": _w("Remove which condition?", "删除哪个条件?"),
    "rules.pick_driver": _w("How does the benefit cost?", "权益按什么计算成本?"),
    "rules.save_title": _w("Save the rules as a scheme file", "将规则保存为方案文件"),
    "rules.saved": _w(
        "Rules saved to {path}; save the scenario (s) to keep it naming them",
        "规则已保存到 {path};保存情景(s)后情景将引用该文件",
    ),
    "rules.undone": _w("Rule change undone", "已撤销规则修改"),
    "rules.nothing_to_undo": _w("No rule change to undo", "没有可撤销的规则修改"),
    "rules.applied": _w("Rules changed: {what}", "规则已修改:{what}"),
    "rules.everyone_else": _w("everyone else", "其余客户"),
    "rules.not_a_scheme_file": _w(
        "{path} is not a scheme file (a scenario?): it is not replaced",
        "{path} 不是方案文件(是情景?):不会覆盖",
    ),
    "status.plugins_failed": _w(
        "{count} plugin or scheme-file problem(s): {names} not loaded; `workbench schemes` says why",
        "{count} 个插件或方案文件有问题:{names} 未载入;`workbench schemes` 会说明原因",
    ),
    "rules.changed_on_disk": _w(
        "The scheme file {path} changed on disk. Read it again? (rule changes not saved are lost)",
        "方案文件 {path} 在磁盘上已改变。重新读取吗?(未保存的规则修改将丢失)",
    ),
    "rules.changed_title": _w("Scheme file changed", "方案文件已改变"),
    "rules.reload": _w("Read it again", "重新读取"),
    "rules.keep": _w("Keep the rules shown", "保留当前规则"),
    "status.reloaded_rules": _w("Rules read again from {path}", "已重新读取规则:{path}"),
    "error.reload_rules": _w("The scheme file could not be read again", "方案文件无法重新读取"),
    "dialog.outside_root": _w(
        "Outside {root}, the folder this workbench may use: choose a file inside it",
        "不在本工作台可用的文件夹 {root} 内:请选择其中的文件",
    ),
    # -- replay over months (workbench replay) --
    "month": _w("month", "月份"),
    "quarter": _w("quarter", "季度"),
    "upgrades": _w("upgrades", "升级"),
    "downgrades": _w("downgrades", "降级"),
    "joined": _w("joined", "新增"),
    "left": _w("left", "流失"),
    "month_cost": _w("cost this month", "当月成本"),
    "replay_title": _w("Tiers held month by month", "各月持有等级"),
    "quarters_title": _w(
        "Quarter ends: customers (change since the start of the year)", "季末客户数(较年初变化)"
    ),
    "rules_give": _w("rules give", "按规则"),
    "held": _w("held", "持有"),
    "why": _w("why", "原因"),
    "customer_months": _w("Months of customer", "客户逐月等级"),
    "report.replay_title": _w(
        "{scheme}: tiers month by month, {first} to {last}", "{scheme}:逐月等级,{first} 至 {last}"
    ),
    "report.replay_policy": _w("Evaluation policy", "评定规则"),
    "report.replay_chart": _w("Customers holding each tier, month by month", "各等级逐月客户数"),
    "report.sheet_months": _w("Months", "逐月"),
    "report.sheet_quarters": _w("Quarters", "季度"),
    "replay.baseline": _w("The same months under the baseline, {name}", "基准情景 {name} 下的同样月份"),
    "schemes.plugin": _w("plugin {name}", "插件 {name}"),
    "schemes.file": _w("file {path}", "方案文件 {path}"),
    "schemes.tiers": _w("  tiers:      ", "  等级:     "),
    "schemes.parameters": _w("  parameters: ", "  参数:     "),
    "schemes.options": _w("  options:    ", "  选项:     "),
    "schemes.default": _w(" (default {value})", "(默认 {value})"),
    "schemes.policy": _w("  policy:     ", "  评定规则: "),
    "schemes.columns": _w("  columns:    ", "  所需列:   "),
    "schemes.optional": _w(" (optional: {columns})", "(可选:{columns})"),
    "schemes.disabled": _w("disabled by {env}: {ids}", "已由 {env} 停用:{ids}"),
    "schemes.folder": _w(
        "schemes folder: {path} (${env} to choose another)", "方案文件夹:{path}(用 ${env} 另选)"
    ),
    "schemes.errors": _w("plugin errors:", "插件错误:"),
    "schemes.none": _w(
        "no schemes installed (entry-point group {group})", "未安装任何方案(入口点组 {group})"
    ),
    "serve.at": _w("Tiering Workbench served at {url}", "客户分层工作台已在此地址提供:{url}"),
    "serve.each_tab": _w(
        "each browser tab gets its own workbench; Ctrl+C stops it",
        "每个浏览器标签页各有一个工作台;按 Ctrl+C 停止",
    ),
    "serve.each_tab_root": _w(
        "each browser tab gets its own workbench; files stay in {root}; Ctrl+C stops it",
        "每个浏览器标签页各有一个工作台;文件只在 {root} 内;按 Ctrl+C 停止",
    ),
    "timeline.title": _w(
        "Timeline · {name} · {months} months · policy: {policy}",
        "时间线 · {name} · {months} 个月 · 评定规则:{policy}",
    ),
    "timeline.replaying": _w("Replaying every month…", "正在逐月回放…"),
    "timeline.policy_title": _w("Evaluation policy (lists comma-separated)", "评定规则(列表用逗号分隔)"),
    "timeline.single_month": _w(
        "The portfolio is one month: open a portfolio over months for the timeline",
        "客户数据只有一个月:打开按月的客户数据才有时间线",
    ),
    "policy.window_months": _w("Months a half-year figure covers", "半年指标覆盖的月数"),
    "policy.downgrade_after_months": _w("Downgrade in the Nth lower month", "连续第N个月达不到才降级"),
    "policy.retention_ratio": _w("Share of the thresholds that keeps a tier", "保级所需的阈值比例"),
    "policy.downgrade_months": _w("Months downgrades take effect", "降级生效的月份"),
    "policy.title": _w("Policy", "评定规则"),
    "policy.short.window_months": _w("window", "考核窗口"),
    "policy.short.downgrade_after_months": _w("downgrade in", "降级于"),
    "policy.short.retention_ratio": _w("retention", "保级比例"),
    "policy.short.downgrade_months": _w("rating days", "降级月份"),
    "policy.months": _w("{n} mo", "{n} 个月"),
    "policy.month_n": _w("month {n}", "第 {n} 个月"),
    "policy.every_month": _w("every month", "每月"),
    "policy.describe": _w(
        "{name} · default {default} · ←→ nudge · r default", "{name} · 默认 {default} · ←→ 调整 · r 恢复默认"
    ),
    "policy.describe_short": _w("default {default} · ←→ nudge", "默认 {default} · ←→ 调整"),
    "timeline.shown": _w("{month} is shown in the other panels", "其他面板显示 {month}"),
    "error.policy": _w("The policy was not changed", "评定规则未修改"),
    "error.rules": _w("The rules were not changed", "规则未修改"),
    "error.rules_save": _w("The scheme file could not be saved", "方案文件无法保存"),
}
