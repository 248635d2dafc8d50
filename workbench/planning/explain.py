"""Explaining one customer's tier: their figures, every criterion met or missed, floors
and overrides. ``workbench.present.explaining`` words it."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from workbench.core.engine import Engine
from workbench.core.settings import Settings
from workbench.errors import ScenarioError
from workbench.files.privacy import mask
from workbench.scheme.model import Scheme, applies
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


def find_customer(engine: Engine, customer_id: str, masked: bool = False) -> int:
    """The row of a customer; an unknown id names the portfolio, and (unless ids are to
    be masked) what its ids look like."""
    ids = engine.portfolio.frame["customer_id"].to_numpy()
    hits = np.flatnonzero(ids == customer_id)
    if not len(hits):
        shown = mask(customer_id) if masked else repr(customer_id)
        example = "" if masked or not len(ids) else f"; ids look like {ids[0]!r}"
        rows = f"{engine.portfolio.rows:,}"
        raise ScenarioError(
            f"customer {shown} is not in {engine.portfolio.name} ({rows} customers{example})",
            zh=f"客户 {shown} 不在 {engine.portfolio.label('zh')} 中(共 {rows} 户{example})",
        )
    return int(hits[0])


def explain(
    engine: Engine, settings: Settings, customer_id: str, scenario: str, masked: bool = False
) -> Explanation:
    """Every criterion of every tier for one customer, and the tier they end in."""
    scheme = engine.scheme
    index = find_customer(engine, customer_id, masked)
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
        if masked:
            inputs["household_id"] = mask(str(inputs["household_id"]))
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
    tier_id = scheme.tiers[int(classification.tiers[index])].id
    base = scheme.tiers[int(classification.base[index])].id if classification.base is not None else tier_id
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
        tier_id,
        floors,
        override,
        masked_id=mask(customer_id) if masked else None,
    )
