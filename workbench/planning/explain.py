"""Explaining one customer's tier: their figures, every criterion met or missed, floors
and overrides. ``workbench.present.explaining`` words it."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from workbench.core.engine import Engine
from workbench.core.settings import Settings
from workbench.errors import ScenarioError
from workbench.files.privacy import mask
from workbench.scheme.model import Condition, Conditions, Flag, Leaf, Path, Scheme, applies
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
    path: Path = ()  # where in the tier's conditions (see ``Scheme.leaves``)
    column: str = ""  # a yes/no condition's column (``metric`` is then empty)

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
    nodes: dict[tuple[str, Path], bool | None] = field(default_factory=dict)  # combinations: holds?

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
        inputs["household_members"] = portfolio.households.size_of(index)
        if masked:
            inputs["household_id"] = mask(str(inputs["household_id"]))
    metrics = {m.id: float(engine.metric(m.id, params, options)[index]) for m in scheme.metrics}
    checks: list[Check] = []
    holds: dict[str, bool] = {}
    nodes: dict[tuple[str, Path], bool | None] = {}
    for i, tier in enumerate(scheme.tiers[1:], start=1):
        root = scheme.conditions(tier)
        mine: dict[Path, Check] = {}
        for path, leaf in scheme.leaves(tier):
            mine[path] = check = _check(engine, settings, tier.id, i, path, leaf, metrics, index)
            checks.append(check)
        holds[tier.id] = bool(_holds(root, (), mine, options, nodes, tier.id))
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
        nodes=nodes,
    )


def _check(
    engine: Engine,
    settings: Settings,
    tier: str,
    index: int,
    path: Path,
    leaf: Leaf,
    metrics: dict[str, float],
    row: int,
) -> Check:
    """One criterion or yes/no condition of a tier for one customer."""
    active = in_force(engine.scheme.conditions(tier), path, settings.options)
    if isinstance(leaf, Flag):
        has = bool(engine.flag(leaf.column)[row])
        return Check(
            tier, "", "yes", 1.0, float(has), active and has, active, False, leaf.group, path, leaf.column
        )
    if leaf.threshold is None:
        limit, name = float(index), "tier rank"
    elif isinstance(leaf.threshold, str):
        limit, name = float(settings.params[leaf.threshold]), leaf.threshold
    else:
        limit, name = float(leaf.threshold), "fixed"
    value = metrics[leaf.metric]
    met = active and not math.isnan(value) and (value > limit if leaf.strict else value >= limit)
    return Check(tier, leaf.metric, name, limit, value, met, active, leaf.strict, leaf.group, path)


def _holds(
    node: Condition,
    path: Path,
    checks: dict[Path, Check],
    options: Mapping[str, str],
    nodes: dict[tuple[str, Path], bool | None],
    tier: str,
) -> bool | None:
    """Whether a condition holds from its leaves' checks (None when options switch it
    off), recording each combination's outcome in ``nodes``."""
    if not applies(node.when, options):
        outcome = None
    elif not isinstance(node, Conditions):
        return checks[path].met
    else:
        parts = [_holds(item, (*path, i), checks, options, nodes, tier) for i, item in enumerate(node.items)]
        kept = [p for p in parts if p is not None]
        outcome = (any(kept) if node.combine == "any" else all(kept)) if kept else None
    if isinstance(node, Conditions):
        nodes[(tier, path)] = outcome
    return outcome


def in_force(root: Conditions, path: Path, options: Mapping[str, str]) -> bool:
    """Whether the condition at ``path`` and every combination around it apply."""
    node: Condition = root
    if not applies(node.when, options):
        return False
    for i in path:
        assert isinstance(node, Conditions)
        node = node.items[i]
        if not applies(node.when, options):
            return False
    return True
