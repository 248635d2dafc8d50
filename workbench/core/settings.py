"""Settings for one run: parameter values, options and cost assumptions, checked.

``Settings.checked`` is the one way to make them: every parameter is known,
finite, within its bounds and thresholds rise with the tier; every option
value is one of its choices; cost overrides name known benefits, tiers and
fields with valid numbers. A ``ScenarioError`` says which and where.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from workbench.errors import ScenarioError, did_you_mean, number_kind
from workbench.fmt import trimmed
from workbench.scheme.assumptions import Assumption, CostOverrides, resolve_assumptions
from workbench.scheme.drivers import CostDriver
from workbench.scheme.model import Scheme
from workbench.scheme.validation import threshold_problems


@dataclass(frozen=True)
class Settings:
    """Checked parameter values, options and cost overrides for one scheme, with the cost
    assumptions they resolve to. Made by ``Settings.checked`` (or ``with_params`` from
    checked settings)."""

    params: Mapping[str, float]
    options: Mapping[str, str]
    costs: CostOverrides
    assumptions: tuple[Assumption, ...]

    @classmethod
    def checked(
        cls,
        scheme: Scheme,
        drivers: Mapping[str, CostDriver],
        params: Mapping[str, Any] | None = None,
        options: Mapping[str, Any] | None = None,
        costs: CostOverrides | None = None,
        where: str = "",
    ) -> Settings:
        """The scheme's defaults with ``params``, ``options`` and ``costs`` applied, each
        checked; ``where`` (a scenario file) prefixes every message."""
        prefix = f"{where}: " if where else ""
        costs = costs or {}
        return cls(
            resolve_params(scheme, params, where=f"{prefix}[parameters]" if where else "parameters"),
            resolve_options(scheme, options, where=f"{prefix}[options]" if where else "options"),
            costs,
            resolve_assumptions(scheme, drivers, costs, where=where),
        )

    def with_params(self, scheme: Scheme, params: Mapping[str, Any], where: str = "parameters") -> Settings:
        """The same options and costs with other parameter values, checked."""
        return Settings(resolve_params(scheme, params, where), self.options, self.costs, self.assumptions)


def resolve_params(
    scheme: Scheme, values: Mapping[str, Any] | None, where: str = "parameters"
) -> dict[str, float]:
    """The scheme's defaults with ``values`` applied, checked for names,
    types, bounds and rising thresholds."""
    params = scheme.default_params
    for key, value in (values or {}).items():
        if key not in params:
            raise ScenarioError(
                f"{where}: unknown parameter {key!r}{did_you_mean(key, params)} for scheme {scheme.id!r}; "
                "valid parameters: " + ", ".join(params),
                zh=f"{where}:方案 {scheme.id!r} 没有参数 {key!r};可用的参数:" + ", ".join(params),
            )
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            raise ScenarioError(
                f"{where}.{key}: expected {number_kind(value)}, found {value!r}",
                zh=f"{where}.{key}:应为数字,实为 {value!r}",
            )
        p = scheme.parameter(key)
        if value < p.minimum or (p.maximum is not None and value > p.maximum):
            upper = f" and <= {trimmed(p.maximum, 6)}" if p.maximum is not None else ""
            upper_zh = f"且不高于 {trimmed(p.maximum, 6)}" if p.maximum is not None else ""
            found = trimmed(float(value), 6)
            raise ScenarioError(
                f"{where}.{key}: expected a value >= {trimmed(p.minimum, 6)}{upper}, found {found}",
                zh=f"{where}.{key}:取值应不低于 {trimmed(p.minimum, 6)}{upper_zh},实为 {found}",
            )
        params[key] = float(value)
    problems = threshold_problems(scheme, params)
    if problems:
        raise ScenarioError(
            f"{where}: " + "; ".join(p.en for p in problems),
            zh=f"{where}:" + ";".join(p.zh for p in problems),
        )
    return params


def resolve_options(
    scheme: Scheme, values: Mapping[str, Any] | None, where: str = "options"
) -> dict[str, str]:
    """The scheme's default options with ``values`` applied, checked."""
    options = scheme.default_options
    for key, value in (values or {}).items():
        if key not in options:
            valid = ", ".join(options) or "none"
            raise ScenarioError(
                f"{where}: unknown option {key!r}{did_you_mean(key, options)} for scheme {scheme.id!r}; "
                f"valid options: {valid}",
                zh=f"{where}:方案 {scheme.id!r} 没有选项 {key!r};可用的选项:{valid}",
            )
        allowed = scheme.option(key).values
        if not isinstance(value, str) or value not in allowed:
            raise ScenarioError(
                f"{where}.{key}: expected one of {', '.join(allowed)}, found {value!r}",
                zh=f"{where}.{key}:应为以下之一:{', '.join(allowed)},实为 {value!r}",
            )
        options[key] = value
    return options
