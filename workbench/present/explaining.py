"""One customer's explanation in words, and why the tier differs between two scenarios."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from workbench import fmt
from workbench.planning.explain import Check, Explanation
from workbench.scheme.model import Scheme
from workbench.text import Lang


def explanation_lines(e: Explanation, lang: Lang = "en") -> list[str]:
    """The explanation as lines of text: inputs, metrics, tier, every criterion."""
    scheme = e.scheme
    out = [f"Customer {e.shown_id} · {scheme.name.get(lang)} · {e.scenario}"]
    for column, value in e.inputs.items():
        out.append(f"  {column}: {_value(value)}")
    for metric_id, value in e.metrics.items():
        metric = scheme.metric(metric_id)
        if metric.id in e.inputs and not metric.decimals:
            continue
        shown = "does not apply" if math.isnan(value) else _value(value)
        out.append(f"  {metric.id} ({metric.name.get(lang)}): {shown}")
    out.append(f"Tier: {e.tier_name(e.tier, lang)} ({e.tier})")
    if e.base_tier != e.tier:
        out.append(
            f"  from criteria alone: {e.tier_name(e.base_tier, lang)}"
            + (f" ({scheme.base_tier_name.get(lang)})" if scheme.base_tier_name else "")
        )
    for tier in reversed(scheme.tiers[1:]):
        checks = [c for c in e.checks if c.tier == tier.id]
        if not checks:
            continue
        holds = e.tier_holds[tier.id]
        combine = "any of" if scheme.combine == "any" else "all of"
        out.append(f"  {tier.name.get(lang):<12} {'met' if holds else 'not met'} ({combine}):")
        for c in checks:
            out.append("    " + _check_line(c, scheme, lang))
    for name, tier_id, applied in e.floors:
        gives = e.tier_name(tier_id, lang) if tier_id else "none"
        out.append(f"  floor {name}: at least {gives}" + ("" if applied else " (does not raise the tier)"))
    if e.override:
        out.append(f"  manual override: {e.tier_name(e.override, lang)} replaces the computed tier")
    return out


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float | np.floating | np.integer):
        return fmt.trimmed(float(value), 6)
    return str(value) if value != "" else "(empty)"


def _check_line(c: Check, scheme: Scheme, lang: Lang) -> str:
    metric = scheme.metric(c.metric)
    if not c.active:
        return f"-  {metric.name.get(lang)}: switched off by an option"
    if math.isnan(c.value):
        return f"✗  {metric.name.get(lang)}: does not apply to this customer"
    if c.threshold_name == "tier rank":
        has = scheme.tiers[int(c.value)].name.get(lang) if c.value >= 0 else "none"
        return f"{'✓' if c.met else '✗'}  {metric.name.get(lang)}: {has}"
    op = ">" if c.strict else ">="
    if c.met:
        return f"✓  {metric.name.get(lang)} {_value(c.value)} {op} {c.threshold_name} {_value(c.threshold)}"
    return (
        f"✗  {metric.name.get(lang)} {_value(c.value)} < {c.threshold_name} {_value(c.threshold)} "
        f"({_value(c.gap)} short)"
    )


def differences(a: Explanation, b: Explanation) -> list[str]:
    """Why the customer's tier differs between two explanations (same scheme or not)."""
    if a.tier == b.tier and a.scheme.id == b.scheme.id:
        return [f"same tier in both: {a.tier_name(a.tier)}"]
    lines = [f"{a.scenario}: {a.tier_name(a.tier)}  ->  {b.scenario}: {b.tier_name(b.tier)}"]
    if a.scheme.id != b.scheme.id:
        lines.append(f"the scenarios use different schemes ({a.scheme.id}, {b.scheme.id})")
        return lines
    for ca, cb in zip(a.checks, b.checks, strict=True):
        if ca.met == cb.met:
            continue
        tier = a.tier_name(ca.tier)
        metric = a.scheme.metric(ca.metric).name.en
        causes = []
        if ca.active != cb.active:
            causes.append("an option switches the criterion " + ("off" if ca.active else "on"))
        if ca.threshold != cb.threshold:
            causes.append(f"{ca.threshold_name} {_value(ca.threshold)} -> {_value(cb.threshold)}")
        if not (math.isnan(ca.value) and math.isnan(cb.value)) and ca.value != cb.value:
            causes.append(
                f"{ca.metric} {_value(ca.value)} -> {_value(cb.value)} (weights or options changed it)"
            )
        outcome = "now met" if cb.met else "no longer met"
        lines.append(f"{tier}, {metric}: {outcome}: " + ("; ".join(causes) or "see the criteria above"))
    if a.base_tier == b.base_tier and a.tier != b.tier:
        lines.append("the criteria give the same tier; floors or overrides differ (options)")
    return lines
