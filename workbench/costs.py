"""Benefit costs from explicit, editable assumptions.

A cost driver says how one benefit costs for one tier from the tier's head
count and AUM: per customer, per use, per event attendee, staffing, fee
waiver, basis points of AUM. A scheme's ``Benefit`` names a driver and gives
the driver's fields (unit cost, uptake, ...) for each tier that offers it; a
scenario overrides any of them. Every cost figure carries the assumption
values that produced it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from workbench.errors import ScenarioError, SchemeError
from workbench.fmt import percent, trimmed
from workbench.model import Scheme
from workbench.text import Lang, Text


@dataclass(frozen=True)
class Field:
    """One assumption of a cost driver. ``share`` fields lie in [0, 1]."""

    id: str
    name: Text
    unit: str
    default: float | None = None
    share: bool = False


@dataclass(frozen=True)
class CostDriver:
    """How a benefit costs: ``cost(values, customers, aum)`` in CNY a year."""

    id: str
    name: Text
    fields: tuple[Field, ...]
    cost: Callable[[Mapping[str, float], float, float], float]
    explain: Callable[[Mapping[str, float], Lang], str]

    def field(self, field_id: str) -> Field:
        for f in self.fields:
            if f.id == field_id:
                return f
        raise KeyError(field_id)

    @property
    def field_ids(self) -> tuple[str, ...]:
        return tuple(f.id for f in self.fields)


_UNIT_COST = Field("unit_cost", Text("Unit cost", "单价"), "CNY")
_UPTAKE = Field("uptake", Text("Uptake", "使用率"), "share", default=1.0, share=True)

BUILTIN_DRIVERS: tuple[CostDriver, ...] = (
    CostDriver(
        "per_customer",
        Text("per customer", "按人"),
        (Field("unit_cost", Text("Cost per customer a year", "每人每年成本"), "CNY"), _UPTAKE),
        lambda v, n, aum: n * v["unit_cost"] * v["uptake"],
        lambda v, lang: (
            f"{trimmed(v['unit_cost'])}/yr × {percent(v['uptake'], 0)}"
            if lang == "en"
            else f"{trimmed(v['unit_cost'])}元/年 × {percent(v['uptake'], 0)}"
        ),
    ),
    CostDriver(
        "per_use",
        Text("per use", "按次"),
        (_UNIT_COST, Field("uses_per_year", Text("Uses a year", "每年次数"), "per year"), _UPTAKE),
        lambda v, n, aum: n * v["uptake"] * v["uses_per_year"] * v["unit_cost"],
        lambda v, lang: (
            (f"{trimmed(v['unit_cost'])} × {trimmed(v['uses_per_year'])}/yr × {percent(v['uptake'], 0)}")
            if lang == "en"
            else (
                f"{trimmed(v['unit_cost'])}元 × 每年{trimmed(v['uses_per_year'])}次 × "
                f"{percent(v['uptake'], 0)}"
            )
        ),
    ),
    CostDriver(
        "per_event_attendee",
        Text("per event attendee", "按活动人次"),
        (
            Field("unit_cost", Text("Cost per head", "人均成本"), "CNY"),
            Field("events_per_year", Text("Events a year", "每年场次"), "per year"),
            Field("attendance", Text("Attendance", "参与率"), "share", share=True),
        ),
        lambda v, n, aum: n * v["attendance"] * v["events_per_year"] * v["unit_cost"],
        lambda v, lang: (
            (
                f"{trimmed(v['unit_cost'])}/head × {trimmed(v['events_per_year'])}/yr × "
                f"{percent(v['attendance'], 0)}"
            )
            if lang == "en"
            else (
                f"每人{trimmed(v['unit_cost'])}元 × 每年{trimmed(v['events_per_year'])}场 × "
                f"{percent(v['attendance'], 0)}"
            )
        ),
    ),
    CostDriver(
        "staffing",
        Text("staffing", "人力"),
        (
            Field("cost_per_manager", Text("Cost per manager-year", "每人年成本"), "CNY"),
            Field("customers_per_manager", Text("Customers per manager", "人均管户数"), "customers"),
        ),
        lambda v, n, aum: n / v["customers_per_manager"] * v["cost_per_manager"],
        lambda v, lang: (
            (f"{trimmed(v['customers_per_manager'])} per manager, {trimmed(v['cost_per_manager'])}")
            if lang == "en"
            else (f"每人管{trimmed(v['customers_per_manager'])}户, {trimmed(v['cost_per_manager'])}元/人年")
        ),
    ),
    CostDriver(
        "fee_waiver",
        Text("fee waiver", "费用减免"),
        (
            Field("fee_per_year", Text("Fee waived a year", "每年减免费用"), "CNY"),
            Field("payer_share", Text("Share who would pay", "原应付费比例"), "share", share=True),
        ),
        lambda v, n, aum: n * v["payer_share"] * v["fee_per_year"],
        lambda v, lang: (
            (f"{trimmed(v['fee_per_year'])}/yr × {percent(v['payer_share'], 0)}")
            if lang == "en"
            else (f"{trimmed(v['fee_per_year'])}元/年 × {percent(v['payer_share'], 0)}")
        ),
    ),
    CostDriver(
        "basis_points",
        Text("basis points of AUM", "按资产基点"),
        (Field("bp", Text("Basis points a year", "每年基点"), "bp"),),
        lambda v, n, aum: aum * v["bp"] / 10_000.0,
        lambda v, lang: (
            f"{trimmed(v['bp'])} bp of AUM" if lang == "en" else f"资产的{trimmed(v['bp'])}个基点"
        ),
    ),
    CostDriver(
        "not_costed",
        Text("not costed", "不计成本"),
        (),
        lambda v, n, aum: 0.0,
        lambda v, lang: "not costed" if lang == "en" else "不计成本",
    ),
)


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
                f"{type(exc).__name__}: {exc}"
            ) from exc
        if not math.isfinite(value):
            raise SchemeError(
                f"cost driver {self.driver!r} returned {value} for benefit {self.benefit!r} at tier "
                f"{self.tier!r}; expected a finite amount in CNY"
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
        raise ScenarioError(f"{where}: expected a number, found {value!r}")
    value = float(value)
    if value < 0:
        raise ScenarioError(f"{where}: expected a number >= 0, found {trimmed(value, 6)}")
    if field is not None and field.share and value > 1:
        raise ScenarioError(
            f"{where}: {field.id} is a share between 0 and 1 (0.25 = 25%), found {trimmed(value, 6)}"
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
                f"{scheme.id!r}; valid benefits: {', '.join(sorted(known))}"
            )
    result: list[Assumption] = []
    for benefit in scheme.benefits:
        driver = drivers.get(benefit.driver)
        if driver is None:
            raise ScenarioError(f"benefit {benefit.id!r} names unknown cost driver {benefit.driver!r}")
        table = f"{prefix}[costs.{benefit.id}]"
        over = dict(overrides.get(benefit.id, {}))
        tier_over = over.pop("tiers", {}) or {}
        if not isinstance(tier_over, Mapping):
            raise ScenarioError(f"{table} tiers: expected a table of tiers")
        _check_fields(driver, over, table)
        for tier_id in tier_over:
            if tier_id not in scheme.tier_ids:
                raise ScenarioError(
                    f"{prefix}[costs.{benefit.id}.tiers.{tier_id}]: unknown tier {tier_id!r}; "
                    f"valid tiers: {', '.join(scheme.tier_ids)}"
                )
        for tier in scheme.tiers:
            tier_table = f"{prefix}[costs.{benefit.id}.tiers.{tier.id}]"
            t_over = dict(tier_over.get(tier.id, {}))
            if not isinstance(tier_over.get(tier.id, {}), Mapping):
                raise ScenarioError(f"{tier_table}: expected a table of assumptions")
            offered = t_over.pop("offered", tier.id in benefit.tiers)
            if not isinstance(offered, bool):
                raise ScenarioError(f"{tier_table} offered: expected true or false, found {offered!r}")
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
                    f"{', '.join(missing)} (a {driver.id} cost needs {', '.join(driver.field_ids)})"
                )
            result.append(Assumption(benefit.id, tier.id, driver.id, values, sources))
    return tuple(result)


def _check_fields(driver: CostDriver, values: Mapping[str, Any], table: str) -> None:
    for key, value in values.items():
        if key not in driver.field_ids:
            valid = ", ".join(driver.field_ids) or "none"
            raise ScenarioError(f"{table}: unknown assumption {key!r} for a {driver.id} cost; valid: {valid}")
        _number(value, f"{table} {key}", driver.field(key))
