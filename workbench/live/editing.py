"""What a planner edits while tuning: a scheme's settings, with undo and redo.

``EditSession`` holds the current scheme, parameter values, options and cost
overrides as immutable snapshots. Every change is checked (bounds, rising
thresholds, assumption types) before it is accepted; a refused change leaves
the state as it was and says why. It knows nothing of any UI.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from workbench.core.policy import Policy
from workbench.core.settings import Settings
from workbench.errors import WorkbenchError
from workbench.files.scenarios import Scenario, rebased
from workbench.fmt import trimmed
from workbench.scheme.model import Scheme
from workbench.scheme.registry import Registry
from workbench.text import Text


@dataclass(frozen=True)
class Snapshot:
    """One state of the settings being edited: a scheme and checked settings for it."""

    scheme: str
    settings: Settings
    policy: Mapping[str, Any] = field(default_factory=dict)  # evaluation-policy keys set (a panel)

    @property
    def params(self) -> Mapping[str, float]:
        return self.settings.params

    @property
    def options(self) -> Mapping[str, str]:
        return self.settings.options

    @property
    def costs(self) -> Mapping[str, Any]:
        return self.settings.costs


class EditSession:
    """The scenario being edited, its undo history and whether it is saved."""

    def __init__(self, registry: Registry, scenario: Scenario) -> None:
        self.registry = registry
        self.opened = scenario  # as read from (or last written to) its file
        scheme = registry.scheme(scenario.scheme, scenario.where, scenario.scheme_file_path())
        self.state = Snapshot(
            scheme.id,
            Settings.checked(
                scheme,
                registry.drivers,
                scenario.parameters,
                scenario.options,
                copy.deepcopy(dict(scenario.costs)),
            ),
            dict(scenario.policy),
        )
        self._saved: Snapshot | None = self.state  # None: nothing on disk matches
        self._undo: list[Snapshot] = []
        self._redo: list[Snapshot] = []
        self.last_change: tuple[str, int] | None = None

    # -- reading -----------------------------------------------------------

    @property
    def scheme(self) -> Scheme:
        return self.registry.scheme(self.state.scheme)

    @property
    def params(self) -> Mapping[str, float]:
        return self.state.params

    @property
    def options(self) -> Mapping[str, str]:
        return self.state.options

    @property
    def costs(self) -> Mapping[str, Any]:
        return self.state.costs

    @property
    def dirty(self) -> bool:
        return self.state != self._saved

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)

    def settings(self) -> Settings:
        return self.state.settings

    @property
    def scenario(self) -> Scenario:
        """The scenario being edited. After a switch to another scheme it is a new, untitled
        one (same portfolio, no file, notes or baseline): another scheme is never written
        into the file that was open. Undoing the switch returns to that file."""
        opened = self.opened
        if self.state.scheme == opened.scheme:
            return opened
        file = self.registry.scheme_files.get(self.state.scheme)
        return replace(
            rebased(opened, None),
            scheme=self.state.scheme,
            scheme_file=str(file) if file is not None else None,
            path=None,
            name="",
            notes="",
            baseline=None,
        )

    def to_scenario(self) -> Scenario:
        """The scenario as it would be saved: every parameter and option explicit."""
        return replace(
            self.scenario,
            scheme=self.state.scheme,
            parameters=dict(self.state.params),
            options=dict(self.state.options),
            costs=copy.deepcopy(dict(self.state.costs)),
            policy=dict(self.state.policy),
        )

    def set_policy(self, values: Mapping[str, Any]) -> None:
        """Evaluation-policy keys (checked first: raises, changing nothing); one undoable change."""
        merged = {**self.state.policy, **values}
        Policy.checked(self.scheme, merged)
        self._commit(replace(self.state, policy=merged))

    def reset_policy(self, key: str) -> None:
        """A policy key back to the scheme's default (one undoable change)."""
        self._commit(replace(self.state, policy={k: v for k, v in self.state.policy.items() if k != key}))

    # -- changing ----------------------------------------------------------

    def _commit(self, new: Snapshot) -> None:
        if new == self.state:
            return
        self._undo.append(self.state)
        self._redo.clear()
        self.state = new

    def _with_params(self, params: dict[str, float]) -> Text | None:
        try:
            checked = self.state.settings.with_params(self.scheme, params)
        except WorkbenchError as exc:
            said = exc.text
            return Text(
                said.en.removeprefix("parameters: "), said.zh.removeprefix("parameters:").lstrip(": ")
            )
        self._commit(replace(self.state, settings=checked))
        return None

    def _checked(self, options: Mapping[str, Any], costs: Mapping[str, Any]) -> Settings:
        s = self.state.settings
        return Settings.checked(self.scheme, self.registry.drivers, s.params, options, costs)

    def set_param(self, param_id: str, value: float) -> Text | None:
        """Set a parameter; returns why not when the value is refused."""
        before = self.state.params[param_id]
        error = self._with_params({**self.state.params, param_id: round(float(value), 10)})
        if error is None and value != before:
            self.last_change = (param_id, 1 if value > before else -1)
        return error

    def set_params(self, values: Mapping[str, float]) -> Text | None:
        """Set several parameters as one change (one undo step)."""
        return self._with_params({**self.state.params, **{k: round(float(v), 10) for k, v in values.items()}})

    def nudge(self, param_id: str, steps: int, big: bool = False) -> Text | None:
        """Move a parameter by ``steps`` nudge steps, stopping at its bounds."""
        p = self.scheme.parameter(param_id)
        step = p.large_step if big else p.step
        value = self.state.params[param_id] + steps * step
        value = max(p.minimum, value)
        if p.maximum is not None:
            value = min(p.maximum, value)
        if value == self.state.params[param_id]:
            name, shown = p.name, trimmed(value, 6)
            return Text(f"{param_id} is at its bound ({shown})", f"{name.zh}已到边界({shown})")
        return self.set_param(param_id, value)

    def reset_param(self, param_id: str) -> Text | None:
        return self.set_param(param_id, self.scheme.parameter(param_id).default)

    def reset_all(self) -> None:
        """Every parameter, option and cost assumption back to the scheme's defaults."""
        scheme = self.scheme
        self._commit(Snapshot(scheme.id, Settings.checked(scheme, self.registry.drivers)))
        self.last_change = None

    def set_option(self, option_id: str, value: str) -> Text | None:
        try:
            settings = self._checked({**self.state.options, option_id: value}, self.state.costs)
        except WorkbenchError as exc:
            return exc.text
        self._commit(replace(self.state, settings=settings))
        return None

    def cycle_option(self, option_id: str, direction: int = 1) -> Text | None:
        values = self.scheme.option(option_id).values
        index = values.index(self.state.options[option_id])
        return self.set_option(option_id, values[(index + direction) % len(values)])

    def set_assumptions(self, benefit: str, tier: str | None, values: Mapping[str, Any]) -> Text | None:
        """Set cost assumption fields for a benefit (in one tier, or in all with ``tier=None``)."""
        costs = copy.deepcopy(dict(self.state.costs))
        entry = costs.setdefault(benefit, {})
        target = entry.setdefault("tiers", {}).setdefault(tier, {}) if tier else entry
        target.update(values)
        if tier and not entry["tiers"][tier]:
            del entry["tiers"][tier]
        if "tiers" in entry and not entry["tiers"]:
            del entry["tiers"]
        if not entry:
            del costs[benefit]
        try:
            settings = self._checked(self.state.options, costs)
        except WorkbenchError as exc:
            return exc.text
        self._commit(replace(self.state, settings=settings))
        return None

    def reset_assumptions(self, benefit: str, tier: str) -> None:
        """Drop the scenario's overrides of ``benefit`` for ``tier`` (tier-level ones)."""
        costs = copy.deepcopy(dict(self.state.costs))
        entry = costs.get(benefit, {})
        entry.get("tiers", {}).pop(tier, None)
        if "tiers" in entry and not entry["tiers"]:
            del entry["tiers"]
        if benefit in costs and not costs[benefit]:
            del costs[benefit]
        self._commit(replace(self.state, settings=self._checked(self.state.options, costs)))

    def adopt_rules(self, scheme: Scheme, before: Scheme) -> None:
        """The same scheme with changed rules: values the planner changed of parameters,
        options and cost assumptions it still has are kept; the rest take its defaults."""
        # ``before``: the rules replaced; values still at their old default follow the new one
        params = {
            k: v
            for k, v in self.state.params.items()
            if k in scheme.default_params and v != before.default_params.get(k)
        }
        options = {
            k: v
            for k, v in self.state.options.items()
            if k in scheme.default_options and v != before.default_options.get(k)
        }
        benefits = {b.id for b in scheme.benefits}
        costs = {k: v for k, v in copy.deepcopy(dict(self.state.costs)).items() if k in benefits}
        self.state = Snapshot(
            scheme.id,
            Settings.checked(scheme, self.registry.drivers, params, options, costs),
            self.state.policy,
        )
        self._saved = None
        self.last_change = None

    def switch_scheme(self, scheme_id: str) -> None:
        """Another scheme, at its defaults (undo returns to the previous one)."""
        scheme = self.registry.scheme(scheme_id)
        if scheme.id == self.state.scheme:
            return
        self._commit(Snapshot(scheme.id, Settings.checked(scheme, self.registry.drivers)))
        self.last_change = None

    def undo(self) -> bool:
        if not self._undo:
            return False
        self._redo.append(self.state)
        self.state = self._undo.pop()
        self.last_change = None
        return True

    def redo(self) -> bool:
        if not self._redo:
            return False
        self._undo.append(self.state)
        self.state = self._redo.pop()
        self.last_change = None
        return True

    def mark_unsaved(self) -> None:
        """Record that the current state is not what is on disk (recovered changes)."""
        self._saved = None

    def mark_saved(self, saved: Scenario) -> None:
        """Record that the current state is on disk, as ``saved`` (read back from the file)."""
        self.opened = saved
        self._saved = self.state
