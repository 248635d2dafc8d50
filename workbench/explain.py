"""Explaining one customer's tier: their figures, every criterion met or missed, floors,
overrides; and why the tier differs between two scenarios."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from workbench import fmt
from workbench.engine import Engine, Settings
from workbench.errors import ScenarioError
from workbench.model import Scheme, applies
from workbench.privacy import mask
from workbench.text import Lang


@dataclass(frozen=True)
class Check:
    """One criterion of one tier, for one customer."""

    tier: str
    metric: str
    threshold_name: str  # a parameter id, or "fixed" / "tier rank"
    threshold: float
    value: float  # NaN where the metric does not apply
    met: bool
    active: bool  # False when an option switches the criterion off
    strict: bool
    group: str

    @property
    def gap(self) -> float:
        """How far below the threshold the value is (0 when met or not applicable)."""
        if self.met or math.isnan(self.value):
            return 0.0
        return self.threshold - self.value


@dataclass
class Explanation:
    customer_id: str
    scheme: Scheme
    scenario: str
    inputs: dict[str, Any]
    metrics: dict[str, float]
    checks: list[Check]
    tier_holds: dict[str, bool]
    base_tier: str
    tier: str
    floors: list[tuple[str, str | None, bool]] = field(default_factory=list)  # (name, tier it gives, applied)
    override: str | None = None
    masked_id: str | None = None

    @property
    def shown_id(self) -> str:
        return self.masked_id or self.customer_id

    def tier_name(self, tier_id: str, lang: Lang = "en") -> str:
        return self.scheme.tier(tier_id).name.get(lang)

    def to_dict(self) -> dict[str, Any]:
        return {
            "customer_id": self.shown_id,
            "scheme": self.scheme.id,
            "scenario": self.scenario,
            "inputs": self.inputs,
            "metrics": {k: (None if math.isnan(v) else v) for k, v in self.metrics.items()},
            "tier": self.tier,
            "base_tier": self.base_tier,
            "criteria": [
                {
                    "tier": c.tier,
                    "metric": c.metric,
                    "threshold": c.threshold_name,
                    "threshold_value": c.threshold,
                    "value": None if math.isnan(c.value) else c.value,
                    "met": c.met,
                    "active": c.active,
                    "group": c.group,
                    "gap": c.gap,
                }
                for c in self.checks
            ],
            "floors": [{"name": n, "tier": t, "applied": a} for n, t, a in self.floors],
            "override": self.override,
        }

    def lines(self, lang: Lang = "en") -> list[str]:
        scheme = self.scheme
        out = [f"Customer {self.shown_id} · {scheme.name.get(lang)} · {self.scenario}"]
        for column, value in self.inputs.items():
            out.append(f"  {column}: {_value(value)}")
        for metric_id, value in self.metrics.items():
            metric = scheme.metric(metric_id)
            if metric.id in self.inputs and not metric.decimals:
                continue
            shown = "does not apply" if math.isnan(value) else _value(value)
            out.append(f"  {metric.id} ({metric.name.get(lang)}): {shown}")
        out.append(f"Tier: {self.tier_name(self.tier, lang)} ({self.tier})")
        if self.base_tier != self.tier:
            out.append(
                f"  from criteria alone: {self.tier_name(self.base_tier, lang)}"
                + (f" ({scheme.base_tier_name.get(lang)})" if scheme.base_tier_name else "")
            )
        for tier in reversed(scheme.tiers[1:]):
            checks = [c for c in self.checks if c.tier == tier.id]
            if not checks:
                continue
            holds = self.tier_holds[tier.id]
            combine = "any of" if scheme.combine == "any" else "all of"
            out.append(f"  {tier.name.get(lang):<12} {'met' if holds else 'not met'} ({combine}):")
            for c in checks:
                out.append("    " + _check_line(c, scheme, lang))
        for name, tier_id, applied in self.floors:
            gives = self.tier_name(tier_id, lang) if tier_id else "none"
            out.append(
                f"  floor {name}: at least {gives}" + ("" if applied else " (does not raise the tier)")
            )
        if self.override:
            out.append(f"  manual override: {self.tier_name(self.override, lang)} replaces the computed tier")
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


def find_customer(engine: Engine, customer_id: str) -> int:
    ids = engine.portfolio.frame["customer_id"].to_numpy()
    hits = np.flatnonzero(ids == customer_id)
    if not len(hits):
        example = ids[0] if len(ids) else "?"
        raise ScenarioError(
            f"customer {customer_id!r} is not in {engine.portfolio.name} "
            f"({engine.portfolio.rows:,} customers; ids look like {example!r})"
        )
    return int(hits[0])


def explain(
    engine: Engine, settings: Settings, customer_id: str, scenario: str, masked: bool = False
) -> Explanation:
    """Every criterion of every tier for one customer, and the tier they end in."""
    scheme = engine.scheme
    index = find_customer(engine, customer_id)
    params, options = settings.params, settings.options
    portfolio = engine.portfolio
    inputs: dict[str, Any] = {}
    for column in engine.columns_read():
        spec = portfolio.spec(column)
        raw = portfolio.array(column)[index]
        if spec.kind == "category":
            inputs[column] = spec.categories[int(raw)]
        elif spec.kind == "bool":
            inputs[column] = bool(raw)
        elif spec.kind in ("money", "number"):
            inputs[column] = float(raw)
        else:
            inputs[column] = str(raw)
    if inputs.get("household_id"):
        inputs["household_members"] = int(portfolio.households.sizes[index])
    metrics = {m.id: float(engine.metric(m.id, params, options)[index]) for m in scheme.metrics}
    checks: list[Check] = []
    holds: dict[str, bool] = {}
    for i, tier in enumerate(scheme.tiers[1:], start=1):
        results = []
        for c in tier.criteria:
            active = applies(c.when, options)
            if c.threshold is None:
                limit, name = float(i), "tier rank"
            elif isinstance(c.threshold, str):
                limit, name = float(params[c.threshold]), c.threshold
            else:
                limit, name = float(c.threshold), "fixed"
            value = metrics[c.metric]
            met = active and not math.isnan(value) and (value > limit if c.strict else value >= limit)
            checks.append(Check(tier.id, c.metric, name, limit, value, met, active, c.strict, c.group))
            if active:
                results.append(met)
        holds[tier.id] = bool(results) and (any(results) if scheme.combine == "any" else all(results))
    classification = engine.classify(settings)
    tier = scheme.tiers[int(classification.tiers[index])].id
    base = scheme.tiers[int(classification.base[index])].id if classification.base is not None else tier
    floors = []
    for f in scheme.floors:
        rank = int(metrics[f.metric])
        gives = scheme.tiers[rank].id if rank >= 0 else None
        floors.append((f.name.en, gives, applies(f.when, options) and rank > scheme.tier_index(base)))
    override = None
    for o in scheme.overrides:
        code = int(engine.override_codes(o.column)[index])
        if code >= 0 and applies(o.when, options):
            override = scheme.tiers[code].id
    return Explanation(
        customer_id,
        scheme,
        scenario,
        inputs,
        metrics,
        checks,
        holds,
        base,
        tier,
        floors,
        override,
        masked_id=mask(customer_id) if masked else None,
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
