"""Solving for thresholds: a share of customers at or above a tier, or a cost budget.

Varied parameters move together by one factor ``f``: a threshold becomes
``p0 x f`` and a weight ``p0 / f``, so raising ``f`` never raises anyone's tier.
The share at or above a tier and the total cost therefore fall as ``f`` rises,
and a bisection on ``f`` finds the setting; values are then rounded to each
parameter's step. Moving several parameters by one factor keeps their ratios
(personal against household, say) and the rising order of thresholds.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from workbench import fmt
from workbench.core.engine import Engine
from workbench.core.results import Result
from workbench.core.settings import Settings, resolve_params
from workbench.errors import ScenarioError, WorkbenchError
from workbench.scheme.model import Scheme
from workbench.text import Text

ITERATIONS = 48


@dataclass(frozen=True)
class Target:
    """``share`` (0-1) of customers at or above ``tier``."""

    tier: str
    share: float


@dataclass
class Outcome:
    """What the solver changed, what it reached, and why when it fell short."""

    params: dict[str, float]
    changed: dict[str, tuple[float, float]]
    result: Result
    reached: bool
    lines: list[Text] = field(default_factory=list)  # what it found, in both languages


def make_target(scheme: Scheme, tier: str, percent: float) -> Target:
    """``percent`` (0-100) of customers at or above ``tier``, checked."""
    if tier not in scheme.tier_ids:
        raise ScenarioError(
            f"unknown tier {tier!r}; tiers of {scheme.id}: " + ", ".join(scheme.tier_ids), field="target"
        )
    if scheme.tier_index(tier) == 0:
        raise ScenarioError(
            "every customer is at or above the lowest tier", field="target", zh="所有客户都在最低等级及以上"
        )
    if not 0 < percent < 100:
        raise ScenarioError(
            "the percentage must lie between 0 and 100", field="target", zh="百分比必须在 0 到 100 之间"
        )
    return Target(tier, percent / 100)


def parse_target(text: str, scheme: Scheme) -> Target:
    """``platinum=20`` or ``platinum=20%`` -> 20% at or above platinum."""
    tier, sep, value = text.partition("=")
    if not sep:
        raise ScenarioError("expected TIER=PERCENT, e.g. platinum=20", field="target", value=repr(text))
    try:
        percent = float(value.strip().rstrip("%"))
    except ValueError:
        percent = math.nan
    try:
        known = tier.strip() in scheme.tier_ids and scheme.tier_index(tier.strip()) > 0
        if known and math.isnan(percent):
            raise ScenarioError("expected a percentage such as 20 or 2.5", field="target")
        return make_target(scheme, tier.strip(), percent)
    except ScenarioError as exc:
        raise ScenarioError(str(exc), field="target", value=repr(text)) from None


def share_at_or_above(result: Result, tier: str) -> float:
    index = result.scheme.tier_index(tier)
    n = result.customers
    return float(result.counts[index:].sum()) / n if n else 0.0


class Solver:
    """Solves on one engine from a starting ``Settings``."""

    def __init__(self, engine: Engine, settings: Settings) -> None:
        self.engine = engine
        self.scheme = engine.scheme
        self.settings = settings
        self.params = dict(settings.params)

    # -- helpers -------------------------------------------------------------

    def _direction(self, pid: str) -> int:
        return 1 if self.scheme.parameter(pid).kind == "threshold" else -1

    def _moved(self, base: Mapping[str, float], vary: Sequence[str], f: float) -> dict[str, float]:
        params = dict(base)
        for pid in vary:
            params[pid] = base[pid] * f ** self._direction(pid)
        return params

    def _simulate(self, params: Mapping[str, float]) -> Result | None:
        try:
            settings = self.settings.with_params(self.scheme, params, where="")
        except WorkbenchError:
            return None
        return self.engine.simulate(settings=settings)

    def _valid(self, params: Mapping[str, float]) -> bool:
        try:
            resolve_params(self.scheme, params, where="")
        except WorkbenchError:
            return False
        return True

    def _range(self, base: Mapping[str, float], vary: Sequence[str]) -> tuple[float, float]:
        """The factors keeping every varied value valid (bounds and rising thresholds)."""
        lo, hi = 1.0, 1.0
        for _ in range(60):  # widen until the next step would be invalid
            if not self._valid(self._moved(base, vary, lo / 1.25)):
                break
            lo /= 1.25
        for _ in range(60):
            if not self._valid(self._moved(base, vary, hi * 1.25)):
                break
            hi *= 1.25
        # close in on the exact edges
        lo = self._edge(base, vary, lo / 1.25, lo)
        hi = self._edge(base, vary, hi * 1.25, hi)
        return lo, hi

    def _edge(self, base: Mapping[str, float], vary: Sequence[str], bad: float, good: float) -> float:
        if self._valid(self._moved(base, vary, bad)):
            return bad
        for _ in range(30):
            mid = math.sqrt(bad * good)
            if self._valid(self._moved(base, vary, mid)):
                good = mid
            else:
                bad = mid
        return good

    def _bisect(
        self, measure: Callable[[float], float], goal: float, lo: float, hi: float
    ) -> tuple[float, float]:
        """The bracket ``(lo, hi)`` around where ``measure`` (falling in f) crosses ``goal``:
        above the goal at ``lo``, at or below it at ``hi``."""
        for _ in range(ITERATIONS):
            mid = math.sqrt(lo * hi)
            if measure(mid) > goal:
                lo = mid
            else:
                hi = mid
        return lo, hi

    def _rounded(
        self, params: dict[str, float], vary: Sequence[str], score: Callable[[Mapping[str, float]], float]
    ) -> dict[str, float]:
        """Varied values rounded to their parameter's step (or a tenth, a hundredth of it),
        choosing nearest, up or down by ``score`` (lower is better; coarser wins ties)."""
        out = dict(params)
        for pid in vary:
            step = self.scheme.parameter(pid).step
            exact = out[pid]
            candidates = [
                f(exact / g) * g
                for g in (step, step / 10, step / 100)
                for f in (round, math.ceil, math.floor)
            ]
            best, best_score = None, math.inf
            for value in [*candidates, exact]:
                candidate = {**out, pid: round(value, 10)}
                if not self._valid(candidate):
                    continue
                s = score(candidate)
                if s < best_score:
                    best, best_score = candidate, s
            if best is not None:
                out = best
        return out

    # -- solving ----------------------------------------------------------------

    def default_vary(self, tier: str) -> list[str]:
        return list(self.scheme.thresholds_of(tier))

    def targets(self, targets: Sequence[Target], vary: Sequence[str] | None = None) -> Outcome:
        """Meet each target share by moving that tier's thresholds (or the ``vary`` ones)."""
        lines: list[Text] = []
        reached = True
        ordered = sorted(targets, key=lambda t: -self.scheme.tier_index(t.tier))
        for _ in range(2):  # a second pass settles interactions between tiers
            for target in ordered:
                own = self.default_vary(target.tier)
                params_vary = [p for p in own if vary is None or p in vary]
                if vary is not None:
                    params_vary += [
                        p for p in vary if p not in own and self.scheme.parameter(p).kind == "weight"
                    ]
                if not params_vary:
                    continue
                now = self._simulate(self.params)
                if now is not None and share_at_or_above(now, target.tier) == target.share:
                    continue  # met exactly: leave it be
                lo, hi = self._range(self.params, params_vary)
                base = dict(self.params)

                def measure(
                    f: float,
                    base: dict[str, float] = base,
                    pv: list[str] = params_vary,
                    tier: str = target.tier,
                ) -> float:
                    result = self._simulate(self._moved(base, pv, f))
                    return share_at_or_above(result, tier) if result is not None else math.nan

                below, above = self._bisect(measure, target.share, lo, hi)
                best = min((below, above), key=lambda x: abs(measure(x) - target.share))

                def off(
                    params: Mapping[str, float], tier: str = target.tier, goal: float = target.share
                ) -> float:
                    result = self._simulate(params)
                    return abs(share_at_or_above(result, tier) - goal) if result is not None else math.inf

                self.params = self._rounded(self._moved(base, params_vary, best), params_vary, off)
        result = self._simulate(self.params)
        assert result is not None
        for target in ordered:
            achieved = share_at_or_above(result, target.tier)
            own = self.default_vary(target.tier)
            params_vary = [p for p in own if vary is None or p in vary]
            name = self.scheme.tier(target.tier).name
            close = abs(achieved - target.share) <= max(0.001, 0.02 * target.share)
            goal, got = fmt.percent(target.share, 2), fmt.percent(achieved, 2)
            lines.append(
                Text(
                    f"{name.en} or above: target {goal}, reached {got}"
                    + ("" if close else " (as close as the allowed values get)"),
                    f"{name.zh}及以上:目标 {goal},达到 {got}" + ("" if close else "(允许的取值下最接近)"),
                )
            )
            if not params_vary and vary is not None:
                own_text, given = ", ".join(own), ", ".join(vary)
                lines.append(
                    Text(
                        f"  nothing to vary for {target.tier}: its thresholds are {own_text}; "
                        f"the parameters to vary were {given}",
                        f"  {name.zh}没有可调整的参数:它的阈值是 {own_text};给定的可调参数是 {given}",
                    )
                )
                reached = False
            elif not close:
                reached = False
                lines.extend(self._why_not(target, params_vary, achieved))
        return self._outcome(result, reached, lines)

    def _why_not(self, target: Target, vary: Sequence[str], achieved: float) -> list[Text]:
        lo, hi = self._range(self.params, vary)
        low_params, high_params = self._moved(self.params, vary, lo), self._moved(self.params, vary, hi)
        at_lo, at_hi = self._simulate(low_params), self._simulate(high_params)
        most = share_at_or_above(at_lo, target.tier) if at_lo else achieved
        least = share_at_or_above(at_hi, target.tier) if at_hi else achieved

        def values(params: Mapping[str, float]) -> str:
            return ", ".join(f"{pid} {fmt.trimmed(params[pid], 0)}" for pid in vary)

        if target.share > most:
            share, at = fmt.percent(most, 2), values(low_params)
            return [
                Text(
                    f"  at most {share} reach it, with {at}: lower would reach the tier below "
                    "(thresholds rise with the tier, and move together by one factor)",
                    f"  最多 {share} 能达到,此时 {at}:再低就会低于下一级阈值"
                    "(阈值随等级上升,并按同一比例一起调整)",
                )
            ]
        if target.share < least:
            share, at = fmt.percent(least, 2), values(high_params)
            return [
                Text(
                    f"  at least {share} stay, with {at}: higher would pass the tier above, and other "
                    "criteria, floors or overrides qualify the rest",
                    f"  至少 {share} 仍然达到,此时 {at}:再高就会超过上一级阈值,"
                    "其余客户由其他条件、保底或手工调整达标",
                )
            ]
        return [
            Text(
                "  customers cluster at the same values, so the share moves in steps",
                "  客户集中在相同取值上,占比只能跳跃变化",
            )
        ]

    def budget(self, budget: float, vary: Sequence[str] | None = None) -> Outcome:
        """Bring the total benefit cost to at most ``budget`` with the least change."""
        if vary is None:
            vary = [p.id for p in self.scheme.parameters if p.kind == "threshold"]
        if not vary:
            raise ScenarioError("no parameters to vary", field="vary", zh="没有可调整的参数")
        start = self._simulate(self.params)
        assert start is not None
        if start.total_benefit_cost <= budget:
            return self._outcome(
                start,
                True,
                [
                    Text(
                        f"already within budget: {fmt.money(start.total_benefit_cost)} <= "
                        f"{fmt.money(budget)}; nothing changed",
                        f"已在预算内:{fmt.money(start.total_benefit_cost, 'zh')} <= "
                        f"{fmt.money(budget, 'zh')};未作调整",
                    )
                ],
            )
        _, hi = self._range(self.params, vary)
        base = dict(self.params)

        def cost(f: float) -> float:
            result = self._simulate(self._moved(base, vary, f))
            return result.total_benefit_cost if result is not None else math.inf

        floor_cost = cost(hi)
        if floor_cost > budget:
            lowest = start.scheme.tiers[0].name
            result = self._simulate(self._moved(base, vary, hi))
            assert result is not None
            base_cost, names = float(result.cost_by_tier[0]), ", ".join(vary)
            return self._outcome(
                result,
                False,
                [
                    Text(
                        f"cannot reach {fmt.money(budget)}: with {names} as high as they may go "
                        f"the cost is still {fmt.money(floor_cost)} ({fmt.money(base_cost)} of it in "
                        f"{lowest.en}, which no threshold changes); vary more parameters or change the "
                        "cost assumptions",
                        f"无法达到 {fmt.money(budget, 'zh')}:{names} 调到最高时成本仍为 "
                        f"{fmt.money(floor_cost, 'zh')}(其中 {fmt.money(base_cost, 'zh')} 在{lowest.zh},"
                        "任何阈值都改变不了);请放开更多参数或修改成本假设",
                    ),
                ],
            )
        _, f = self._bisect(cost, budget, 1.0, hi)

        def over(params: Mapping[str, float]) -> float:
            """0 within budget (least change wins the tie), else how far over."""
            result = self._simulate(params)
            if result is None:
                return math.inf
            return 0.0 if result.total_benefit_cost <= budget else 1.0 + result.total_benefit_cost - budget

        self.params = self._rounded(self._moved(base, vary, f), vary, over)
        result = self._simulate(self.params)
        assert result is not None
        return self._outcome(
            result,
            True,
            [
                Text(
                    f"total benefit cost {fmt.money(result.total_benefit_cost)} within {fmt.money(budget)} "
                    f"(from {fmt.money(start.total_benefit_cost)}), by moving {', '.join(vary)} together",
                    f"权益成本合计 {fmt.money(result.total_benefit_cost, 'zh')},"
                    f"在 {fmt.money(budget, 'zh')} 以内"
                    f"(原为 {fmt.money(start.total_benefit_cost, 'zh')}),{', '.join(vary)} 一起调整",
                )
            ],
        )

    def _outcome(self, result: Result, reached: bool, lines: list[Text]) -> Outcome:
        changed = {
            pid: (float(self.settings.params[pid]), float(self.params[pid]))
            for pid in self.params
            if not np.isclose(self.params[pid], self.settings.params[pid])
        }
        return Outcome(dict(self.params), changed, result, reached, lines)
