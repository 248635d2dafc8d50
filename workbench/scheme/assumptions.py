"""Benefit cost assumptions, resolved: the scheme's defaults under a scenario's overrides.

Every cost figure carries the assumption values that produced it and where
each value came from (the scheme's default or the scenario).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from workbench.errors import ScenarioError, SchemeError
from workbench.fmt import trimmed
from workbench.scheme.drivers import CostDriver, Field
from workbench.scheme.model import Scheme
from workbench.text import Lang


@dataclass(frozen=True)
class Assumption:
    """The resolved assumption for one benefit in one tier.

    ``sources`` says for each field where its value came from: ``"default"``
    (the scheme) or ``"scenario"``.
    """

    benefit: str
    tier: str
    driver: str
    values: Mapping[str, float]
    sources: Mapping[str, str]

    def cost(self, drivers: Mapping[str, CostDriver], customers: float, aum: float) -> float:
        """The cost a year; a driver (perhaps a plugin's) that fails or returns something
        other than a finite number is a ``SchemeError`` naming it."""
        try:
            value = float(drivers[self.driver].cost(self.values, customers, aum))
        except Exception as exc:
            raise SchemeError(
                f"cost driver {self.driver!r} failed for benefit {self.benefit!r} at tier {self.tier!r}: "
                f"{type(exc).__name__}: {exc}",
                zh=f"成本类型 {self.driver!r} 在计算权益 {self.benefit!r}(等级 {self.tier!r})时出错:"
                f"{type(exc).__name__}:{exc}",
            ) from exc
        if not math.isfinite(value):
            raise SchemeError(
                f"cost driver {self.driver!r} returned {value} for benefit {self.benefit!r} at tier "
                f"{self.tier!r}; expected a finite amount in CNY",
                zh=f"成本类型 {self.driver!r} 对权益 {self.benefit!r}(等级 {self.tier!r})算出 {value};"
                "应为有限的人民币金额",
            )
        return value

    def explain(self, drivers: Mapping[str, CostDriver], lang: Lang = "en") -> str:
        try:
            return str(drivers[self.driver].explain(self.values, lang))
        except Exception as exc:  # a description is not worth stopping the figures for
            return f"(cost driver {self.driver!r} cannot explain: {type(exc).__name__})"


CostOverrides = Mapping[str, Mapping[str, Any]]
"""Scenario cost overrides: benefit id -> {field: value, "tiers": {tier: {field: value,
"offered": bool}}}."""


def _number(value: Any, where: str, field: Field | None) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ScenarioError(
            f"{where}: expected a number, found {value!r}", zh=f"{where}:应为数字,实为 {value!r}"
        )
    value = float(value)
    if value < 0:
        shown = trimmed(value, 6)
        raise ScenarioError(
            f"{where}: expected a number >= 0, found {shown}", zh=f"{where}:应为不小于 0 的数字,实为 {shown}"
        )
    if field is not None and field.share and value > 1:
        name, shown = field.name.zh or field.id, trimmed(value, 6)
        raise ScenarioError(
            f"{where}: {field.id} is a share between 0 and 1 (0.25 = 25%), found {shown}",
            zh=f"{where}:{name}是 0 到 1 之间的比例(0.25 即 25%),实为 {shown}",
        )
    return value


def resolve_assumptions(
    scheme: Scheme,
    drivers: Mapping[str, CostDriver],
    overrides: CostOverrides | None = None,
    where: str = "",
) -> tuple[Assumption, ...]:
    """Each (benefit, tier) offered, with its assumption values resolved.

    Precedence, lowest first: the driver's field defaults, the benefit's
    shared assumptions, the benefit's per-tier values, the scenario's
    benefit-level overrides, the scenario's per-tier overrides. A scenario
    may offer a benefit to another tier (``offered = true``) or withdraw it
    (``offered = false``). Unknown benefits, tiers and fields are errors
    naming the scenario table (``where`` is the file, if any).
    """
    prefix = f"{where}: " if where else ""
    overrides = overrides or {}
    known = {b.id for b in scheme.benefits}
    for benefit_id in overrides:
        if benefit_id not in known:
            raise ScenarioError(
                f"{prefix}[costs.{benefit_id}]: unknown benefit {benefit_id!r} for scheme "
                f"{scheme.id!r}; valid benefits: {', '.join(sorted(known))}",
                zh=f"{prefix}[costs.{benefit_id}]:方案 {scheme.id!r} 没有权益 {benefit_id!r};"
                f"可用的权益:{', '.join(sorted(known))}",
            )
    result: list[Assumption] = []
    for benefit in scheme.benefits:
        driver = drivers.get(benefit.driver)
        if driver is None:
            raise ScenarioError(
                f"benefit {benefit.id!r} names unknown cost driver {benefit.driver!r}",
                zh=f"权益 {benefit.id!r} 使用了未知的成本类型 {benefit.driver!r}",
            )
        table = f"{prefix}[costs.{benefit.id}]"
        over = dict(overrides.get(benefit.id, {}))
        tier_over = over.pop("tiers", {}) or {}
        if not isinstance(tier_over, Mapping):
            raise ScenarioError(
                f"{table} tiers: expected a table of tiers", zh=f"{table} tiers:应为各等级的表"
            )
        _check_fields(driver, over, table)
        for tier_id in tier_over:
            if tier_id not in scheme.tier_ids:
                raise ScenarioError(
                    f"{prefix}[costs.{benefit.id}.tiers.{tier_id}]: unknown tier {tier_id!r}; "
                    f"valid tiers: {', '.join(scheme.tier_ids)}",
                    zh=f"{prefix}[costs.{benefit.id}.tiers.{tier_id}]:没有等级 {tier_id!r};"
                    f"可用的等级:{', '.join(scheme.tier_ids)}",
                )
        for tier in scheme.tiers:
            tier_table = f"{prefix}[costs.{benefit.id}.tiers.{tier.id}]"
            t_over = dict(tier_over.get(tier.id, {}))
            if not isinstance(tier_over.get(tier.id, {}), Mapping):
                raise ScenarioError(
                    f"{tier_table}: expected a table of assumptions", zh=f"{tier_table}:应为假设的表"
                )
            offered = t_over.pop("offered", tier.id in benefit.tiers)
            if not isinstance(offered, bool):
                raise ScenarioError(
                    f"{tier_table} offered: expected true or false, found {offered!r}",
                    zh=f"{tier_table} offered:应为 true 或 false,实为 {offered!r}",
                )
            _check_fields(driver, t_over, tier_table)
            if not offered:
                continue
            values: dict[str, float] = {}
            sources: dict[str, str] = {}
            layers = (
                ({f.id: f.default for f in driver.fields if f.default is not None}, "default"),
                (benefit.assumptions, "default"),
                (benefit.tiers.get(tier.id, {}), "default"),
                (over, "scenario"),
                (t_over, "scenario"),
            )
            for layer, source in layers:
                for key, value in layer.items():
                    values[key] = _number(value, f"{tier_table} {key}", driver.field(key))
                    sources[key] = source
            missing = [f.id for f in driver.fields if f.id not in values]
            if missing:
                raise ScenarioError(
                    f"{tier_table}: benefit {benefit.id!r} in tier {tier.id!r} has no value for "
                    f"{', '.join(missing)} (a {driver.id} cost needs {', '.join(driver.field_ids)})",
                    zh=f"{tier_table}:等级 {tier.id!r} 的权益 {benefit.id!r} 缺少 {', '.join(missing)} 的取值"
                    f"({driver.id} 类成本需要 {', '.join(driver.field_ids)})",
                )
            result.append(Assumption(benefit.id, tier.id, driver.id, values, sources))
    return tuple(result)


def _check_fields(driver: CostDriver, values: Mapping[str, Any], table: str) -> None:
    for key, value in values.items():
        if key not in driver.field_ids:
            valid = ", ".join(driver.field_ids) or "none"
            raise ScenarioError(
                f"{table}: unknown assumption {key!r} for a {driver.id} cost; valid: {valid}",
                zh=f"{table}:{driver.id} 类成本没有假设 {key!r};可用的:{valid}",
            )
        _number(value, f"{table} {key}", driver.field(key))
