"""One customer's explanation in words, and why the tier differs between two scenarios."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from workbench import fmt
from workbench.planning.explain import Check, Explanation
from workbench.present.conditions import column_label
from workbench.scheme.model import Conditions, Path, Scheme
from workbench.text import Lang


def _say(lang: Lang, en: str, zh: str) -> str:
    return zh if lang == "zh" else en


def _threshold(scheme: Scheme, name: str, lang: Lang) -> str:
    """A threshold by its parameter's name in ``lang`` (its id in English)."""
    if lang == "zh" and name in scheme.default_params:
        return scheme.parameter(name).name.zh or name
    return name


def explanation_lines(e: Explanation, lang: Lang = "en") -> list[str]:
    """The explanation as lines of text: inputs, metrics, tier, every criterion."""
    scheme = e.scheme
    out = [_say(lang, "Customer", "客户") + f" {e.shown_id} · {scheme.name.get(lang)} · {e.scenario}"]
    for column, value in e.inputs.items():
        out.append(f"  {column}: {_value(value, lang)}")
    for metric_id, value in e.metrics.items():
        metric = scheme.metric(metric_id)
        if metric.id in e.inputs and not metric.decimals:
            continue
        shown = _say(lang, "does not apply", "不适用") if math.isnan(value) else _value(value, lang)
        out.append(f"  {metric.id} ({metric.name.get(lang)}): {shown}")
    out.append(_say(lang, "Tier", "等级") + f": {e.tier_name(e.tier, lang)} ({e.tier})")
    if e.base_tier != e.tier:
        out.append(
            _say(lang, "  from criteria alone: ", "  仅按达标条件:")
            + e.tier_name(e.base_tier, lang)
            + (f" ({scheme.base_tier_name.get(lang)})" if scheme.base_tier_name else "")
        )
    for tier in reversed(scheme.tiers[1:]):
        checks = {c.path: c for c in e.checks if c.tier == tier.id}
        if not checks:
            continue
        root = scheme.conditions(tier)
        met = _say(lang, "met", "达标") if e.tier_holds[tier.id] else _say(lang, "not met", "未达标")
        out.append(f"  {tier.name.get(lang):<12} {met} ({_combine(root.combine, lang)}):")
        out.extend(_node_lines(e, tier.id, root, (), checks, lang, "    "))
    for name, tier_id, applied in e.floors:
        gives = e.tier_name(tier_id, lang) if tier_id else _say(lang, "none", "无")
        out.append(
            _say(lang, f"  floor {name}: at least {gives}", f"  产品保底 {name}:至少{gives}")
            + ("" if applied else _say(lang, " (does not raise the tier)", "(未提高等级)"))
        )
    if e.override:
        shown = e.tier_name(e.override, lang)
        out.append(
            _say(
                lang,
                f"  manual override: {shown} replaces the computed tier",
                f"  手工调整:{shown} 取代计算的等级",
            )
        )
    return out


def _combine(combine: str, lang: Lang) -> str:
    return _say(lang, "any of", "满足其一") if combine == "any" else _say(lang, "all of", "全部满足")


def _node_lines(
    e: Explanation,
    tier: str,
    node: Conditions,
    path: Path,
    checks: dict[Path, Check],
    lang: Lang,
    indent: str,
) -> list[str]:
    """The lines of a combination's items, nested ones indented under their own verdict."""
    lines = []
    for i, item in enumerate(node.items):
        at = (*path, i)
        if not isinstance(item, Conditions):
            lines.append(indent + _check_line(checks[at], e.scheme, lang))
            continue
        holds = e.nodes.get((tier, at))
        mark = "-" if holds is None else "✓" if holds else "✗"
        group = f" · {e.scheme.group(item.group).name.get(lang)}" if item.group else ""
        off = _say(lang, ": switched off by an option", ":已被选项关闭") if holds is None else ":"
        lines.append(f"{indent}{mark}  {_combine(item.combine, lang)}{group}{off}")
        if holds is not None:
            lines.extend(_node_lines(e, tier, item, at, checks, lang, indent + "   "))
    return lines


def _value(value: Any, lang: Lang = "en") -> str:
    if isinstance(value, bool):
        return _say(lang, "yes", "是") if value else _say(lang, "no", "否")
    if isinstance(value, int | float | np.floating | np.integer):
        return fmt.trimmed(float(value), 6)
    return str(value) if value != "" else _say(lang, "(empty)", "(空)")


def _check_line(c: Check, scheme: Scheme, lang: Lang) -> str:
    if c.column:
        name = column_label(scheme, c.column).get(lang)
        if not c.active:
            return f"-  {name}: " + _say(lang, "switched off by an option", "已被选项关闭")
        return f"{'✓' if c.met else '✗'}  {name}: {_value(c.met, lang)}"
    metric = scheme.metric(c.metric).name.get(lang)
    if not c.active:
        return f"-  {metric}: " + _say(lang, "switched off by an option", "已被选项关闭")
    if math.isnan(c.value):
        return f"✗  {metric}: " + _say(lang, "does not apply to this customer", "不适用于该客户")
    if c.threshold_name == "tier rank":
        has = scheme.tiers[int(c.value)].name.get(lang) if c.value >= 0 else _say(lang, "none", "无")
        return f"{'✓' if c.met else '✗'}  {metric}: {has}"
    op = ">" if c.strict else ">="
    name = _threshold(scheme, c.threshold_name, lang)
    if c.met:
        return f"✓  {metric} {_value(c.value)} {op} {name} {_value(c.threshold)}"
    short = _say(lang, f"({_value(c.gap)} short)", f"(差 {_value(c.gap)})")
    return f"✗  {metric} {_value(c.value)} < {name} {_value(c.threshold)} {short}"


def differences(a: Explanation, b: Explanation, lang: Lang = "en") -> list[str]:
    """Why the customer's tier differs between two explanations (same scheme or not); the
    comparison itself is worded in English, its verdict in ``lang``."""
    if a.tier == b.tier and a.scheme.id == b.scheme.id:
        return [_say(lang, "same tier in both: ", "两者等级相同:") + a.tier_name(a.tier, lang)]
    lines = [f"{a.scenario}: {a.tier_name(a.tier, lang)}  ->  {b.scenario}: {b.tier_name(b.tier, lang)}"]
    if a.scheme.id != b.scheme.id:
        schemes = f"({a.scheme.id}, {b.scheme.id})"
        lines.append(
            _say(lang, f"the scenarios use different schemes {schemes}", f"两个情景用的是不同方案{schemes}")
        )
        return lines
    for ca, cb in zip(a.checks, b.checks, strict=True):
        if ca.met == cb.met:
            continue
        tier = a.tier_name(ca.tier, lang)
        metric = (
            column_label(a.scheme, ca.column).get(lang)
            if ca.column
            else a.scheme.metric(ca.metric).name.get(lang)
        )
        causes = []
        if ca.active != cb.active:
            off = _say(lang, "off", "关闭") if ca.active else _say(lang, "on", "打开")
            causes.append(_say(lang, f"an option switches the criterion {off}", f"选项{off}了该条件"))
        if ca.threshold != cb.threshold:
            name = _threshold(a.scheme, ca.threshold_name, lang)
            causes.append(f"{name} {_value(ca.threshold)} -> {_value(cb.threshold)}")
        if not (math.isnan(ca.value) and math.isnan(cb.value)) and ca.value != cb.value:
            causes.append(
                f"{ca.metric} {_value(ca.value)} -> {_value(cb.value)} "
                + _say(lang, "(weights or options changed it)", "(权重或选项改变了它)")
            )
        outcome = _say(lang, "now met", "现在达标") if cb.met else _say(lang, "no longer met", "不再达标")
        why = "; ".join(causes) or _say(lang, "see the criteria above", "见上面的条件")
        lines.append(f"{tier}, {metric}: {outcome}: {why}")
    if a.base_tier == b.base_tier and a.tier != b.tier:
        lines.append(
            _say(
                lang,
                "the criteria give the same tier; floors or overrides differ (options)",
                "按条件等级相同;差别来自产品保底或手工调整(选项)",
            )
        )
    return lines
