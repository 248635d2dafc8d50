"""Sweeping one parameter: tier counts, AUM and cost at each value, and where cost bends."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from workbench.core.engine import Engine
from workbench.core.results import Figures
from workbench.core.settings import Settings
from workbench.errors import ScenarioError, WorkbenchError
from workbench.scheme.model import Parameter, Scheme

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


def sweep_plan(
    scheme: Scheme, settings: Settings, param_id: str, start: float, stop: float, steps: int
) -> tuple[Parameter, list[tuple[float, Settings | str]]]:
    """The values a sweep of one parameter visits (``steps`` evenly spaced, plus the current
    value when it lies inside the range), each with its settings, or with the reason it
    breaks the scheme's rules (thresholds must rise with the tier, bounds)."""
    try:
        parameter = scheme.parameter(param_id)
    except KeyError:
        raise ScenarioError(
            f"unknown parameter {param_id!r} for scheme {scheme.id!r}; valid parameters: "
            + ", ".join(p.id for p in scheme.parameters),
            field="param",
            zh=f"方案 {scheme.id!r} 没有参数 {param_id!r};可用的参数:"
            + ", ".join(p.id for p in scheme.parameters),
        ) from None
    if steps < 2 or steps > MAX_STEPS:
        raise ScenarioError(
            f"expected 2 to {MAX_STEPS}, found {steps}",
            field="steps",
            zh=f"应为 2 到 {MAX_STEPS},实为 {steps}",
        )
    if start == stop:
        raise ScenarioError(
            "the first and last values are the same; give a range",
            field="range",
            zh="起止值相同;请给出一个范围",
        )
    values = [round(float(v), 6) for v in np.linspace(start, stop, steps)]
    current = float(settings.params[param_id])
    if min(start, stop) < current < max(start, stop) and current not in values:
        values = sorted([*values, current], reverse=start > stop)  # show where the scenario stands
    plan: list[tuple[float, Settings | str]] = []
    for value in values:
        try:
            plan.append((value, settings.with_params(scheme, {**settings.params, param_id: value}, where="")))
        except WorkbenchError as exc:
            plan.append((value, str(exc).removeprefix(": ")))
    return parameter, plan


def sweep_of(
    scheme: Scheme,
    parameter: Parameter,
    current: float,
    plan: Sequence[tuple[float, Settings | str]],
    figures: Iterator[Figures],
) -> Sweep:
    """A sweep from its plan and the figures of each allowed value, in order."""
    k = len(scheme.tiers)
    points = []
    for value, at in plan:
        if isinstance(at, str):
            empty = np.zeros(k)
            points.append(SweepPoint(value, empty, empty, empty, 0.0, at))
            continue
        result = next(figures)
        points.append(
            SweepPoint(
                value, result.counts.copy(), result.aum.copy(), result.cost_by_tier, result.total_benefit_cost
            )
        )
    valid = [p for p in points if p.error is None]
    return Sweep(scheme, parameter, current, tuple(points), find_bend(valid))


def sweep(engine: Engine, settings: Settings, param_id: str, start: float, stop: float, steps: int) -> Sweep:
    """Simulate ``steps`` evenly spaced values of one parameter, all else as in ``settings``
    (``sweep_plan``), in memory."""
    parameter, plan = sweep_plan(engine.scheme, settings, param_id, start, stop, steps)
    figures = (engine.simulate(settings=at) for _, at in plan if not isinstance(at, str))
    return sweep_of(engine.scheme, parameter, float(settings.params[param_id]), plan, figures)
