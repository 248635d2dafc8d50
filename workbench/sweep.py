"""Sweeping one parameter: tier counts, AUM and cost at each value, and where cost bends."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from workbench import fmt
from workbench.engine import Engine, Settings
from workbench.errors import ScenarioError, WorkbenchError
from workbench.labels import label
from workbench.model import Parameter, Scheme
from workbench.tables import Table
from workbench.text import Lang
from workbench.validation import resolve_params

MAX_STEPS = 1_000


@dataclass(frozen=True)
class SweepPoint:
    """The figures at one value of the swept parameter; ``error`` when the value is not allowed."""

    value: float
    counts: np.ndarray
    aum: np.ndarray
    cost_by_tier: np.ndarray
    total_cost: float
    error: str | None = None

    @property
    def customers(self) -> int:
        return int(self.counts.sum())

    def share_at_or_above(self, index: int) -> float:
        n = self.customers
        return float(self.counts[index:].sum()) / n if n else 0.0


@dataclass(frozen=True)
class Bend:
    """Where the cost curve bends most: the point farthest from the straight line through its ends."""

    value: float
    total_cost: float
    slope_before: float
    slope_after: float


@dataclass(frozen=True)
class Sweep:
    scheme: Scheme
    parameter: Parameter
    current: float
    points: tuple[SweepPoint, ...]
    bend: Bend | None

    @property
    def valid(self) -> list[SweepPoint]:
        return [p for p in self.points if p.error is None]

    def sentence(self) -> str:
        """``summary`` as a sentence: capital first letter, full stop."""
        text = self.summary()
        return text[:1].upper() + text[1:] + "."

    def summary(self) -> str:
        """One sentence on the bend, or why there is none."""
        if len(self.valid) < 3:
            return "too few valid points to find a bend"
        if self.bend is None:
            return "the cost curve is close to a straight line: no marked bend"
        b = self.bend
        per = _per_unit(self.parameter)
        return (
            f"the cost curve bends at {self.parameter.id} = {fmt.trimmed(b.value)}: "
            f"{fmt.signed_money(b.slope_before * per[0])} a year per {per[1]} before, "
            f"{fmt.signed_money(b.slope_after * per[0])} after"
        )

    def to_dict(self) -> dict[str, Any]:
        tiers = [t.id for t in self.scheme.tiers]
        return {
            "scheme": self.scheme.id,
            "parameter": self.parameter.id,
            "unit": self.parameter.unit,
            "current": self.current,
            "points": [
                {
                    "value": p.value,
                    "valid": p.error is None,
                    **({"error": p.error} if p.error else {}),
                    **(
                        {
                            "customers": {t: int(c) for t, c in zip(tiers, p.counts, strict=True)},
                            "aum": {t: round(float(a), 2) for t, a in zip(tiers, p.aum, strict=True)},
                            "benefit_cost": {
                                t: round(float(c), 2) for t, c in zip(tiers, p.cost_by_tier, strict=True)
                            },
                            "total_benefit_cost": round(p.total_cost, 2),
                        }
                        if p.error is None
                        else {}
                    ),
                }
                for p in self.points
            ],
            "bend": None
            if self.bend is None
            else {
                "value": self.bend.value,
                "total_benefit_cost": round(self.bend.total_cost, 2),
                "slope_before": self.bend.slope_before,
                "slope_after": self.bend.slope_after,
            },
            "summary": self.summary(),
        }

    def table(self, lang: Lang = "en") -> Table:
        """Value (rows) by tier customers, AUM and total cost."""
        tiers = self.scheme.tiers
        headers = [self.parameter.id] + [t.name.get(lang) for t in reversed(tiers)]
        headers += [label("aum", lang), label("benefit_cost", lang)]
        rows = []
        for p in self.points:
            mark = " *" if p.value == self.current else ""
            if p.error is not None:
                rows.append([fmt.trimmed(p.value) + mark] + ["-"] * (len(tiers) + 1) + ["not allowed"])
                continue
            rows.append(
                [fmt.trimmed(p.value) + mark]
                + [fmt.number(int(c)) for c in reversed(p.counts)]
                + [fmt.money(float(p.aum.sum()), lang, compact=True), fmt.money(p.total_cost, lang)]
            )
        title = (
            f"{self.scheme.name.get(lang)}: {self.parameter.id} ({self.parameter.unit}); * = current value"
        )
        return Table(title, headers, rows, ["<"] + [">"] * (len(headers) - 1))


def _per_unit(parameter: Parameter) -> tuple[float, str]:
    """Slopes are quoted per 10,000 CNY for money, per unit otherwise."""
    return (
        (10_000.0, "10,000 CNY")
        if parameter.unit == "CNY"
        else (1.0, parameter.unit.removesuffix("s") or "unit")
    )


def find_bend(points: list[SweepPoint], min_distance: float = 0.03) -> Bend | None:
    """The point farthest from the chord of the normalised cost curve (a "knee")."""
    if len(points) < 3:
        return None
    x = np.array([p.value for p in points])
    y = np.array([p.total_cost for p in points])
    if np.ptp(x) == 0 or np.ptp(y) == 0:
        return None
    xn = (x - x[0]) / (x[-1] - x[0])
    yn = (y - y.min()) / np.ptp(y)
    chord = yn[0] + (yn[-1] - yn[0]) * xn
    distance = np.abs(yn - chord)
    i = int(np.argmax(distance[1:-1])) + 1
    if distance[i] < min_distance:
        return None
    before = (y[i] - y[0]) / (x[i] - x[0])
    after = (y[-1] - y[i]) / (x[-1] - x[i])
    return Bend(float(x[i]), float(y[i]), float(before), float(after))


def sweep(engine: Engine, settings: Settings, param_id: str, start: float, stop: float, steps: int) -> Sweep:
    """Simulate ``steps`` evenly spaced values of one parameter, all else as in ``settings``,
    plus the current value when it lies inside the range.

    Values that would break the scheme's rules (thresholds must rise with the
    tier, bounds) are kept as points with the reason, not simulated.
    """
    scheme = engine.scheme
    try:
        parameter = scheme.parameter(param_id)
    except KeyError:
        raise ScenarioError(
            f"unknown parameter {param_id!r} for scheme {scheme.id!r}; valid parameters: "
            + ", ".join(p.id for p in scheme.parameters)
        ) from None
    if steps < 2 or steps > MAX_STEPS:
        raise ScenarioError(f"--steps: expected 2 to {MAX_STEPS}, found {steps}")
    if start == stop:
        raise ScenarioError("--from and --to are the same value; give a range")
    values = [round(float(v), 6) for v in np.linspace(start, stop, steps)]
    current = float(settings.params[param_id])
    if min(start, stop) < current < max(start, stop) and current not in values:
        values = sorted([*values, current], reverse=start > stop)  # show where the scenario stands
    points = []
    for value in values:
        try:
            params = resolve_params(scheme, {**settings.params, param_id: value}, where="")
        except WorkbenchError as exc:
            k = len(scheme.tiers)
            empty = np.zeros(k)
            points.append(SweepPoint(value, empty, empty, empty, 0.0, str(exc).removeprefix(": ")))
            continue
        result = engine.simulate(settings=Settings(params, settings.options, settings.costs))
        points.append(
            SweepPoint(
                value, result.counts.copy(), result.aum.copy(), result.cost_by_tier, result.total_benefit_cost
            )
        )
    valid = [p for p in points if p.error is None]
    return Sweep(scheme, parameter, float(settings.params[param_id]), tuple(points), find_bend(valid))
