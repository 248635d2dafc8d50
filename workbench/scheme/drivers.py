"""Cost drivers: how a benefit costs for one tier, from its head count and AUM.

Per customer, per use, per event attendee, staffing, fee waiver, basis points
of AUM, or not costed; plugins may register more. A scheme's ``Benefit``
names a driver and gives the driver's fields (unit cost, uptake, ...) for
each tier that offers it (``workbench.scheme.assumptions`` resolves them).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from workbench.fmt import percent, trimmed
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
