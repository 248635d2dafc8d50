"""Several scenarios side by side on one portfolio: figures, deltas, differences."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from workbench import fmt
from workbench.core.portfolio import Portfolio
from workbench.files.privacy import mask_ids
from workbench.files.scenarios import Scenario
from workbench.planning.runs import CustomerRun, Run, Session
from workbench.text import Lang


@dataclass(frozen=True)
class Difference:
    """One setting that differs between scenarios: its values in scenario order."""

    key: str
    values: tuple[Any, ...]

    def describe(self) -> str:
        shown = [_show(v) for v in self.values]
        return f"{self.key}: " + " -> ".join(shown)


def _show(value: Any) -> str:
    if value is None:
        return "(default)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return fmt.trimmed(float(value), 6)
    return str(value)


def _flatten(prefix: str, data: Mapping[str, Any], out: dict[str, Any]) -> None:
    for key, value in data.items():
        path = f"{prefix}.{key}" if prefix else key
        if isinstance(value, Mapping):
            _flatten(path, value, out)
        else:
            out[path] = value


def differences(runs: Sequence[Run]) -> list[Difference]:
    """Scheme, parameters, options and cost assumptions that differ, as resolved values."""
    flat: list[dict[str, Any]] = []
    for run in runs:
        values: dict[str, Any] = {"scheme": run.scheme.id}
        values.update({f"parameters.{k}": v for k, v in run.result.params.items()})
        values.update({f"options.{k}": v for k, v in run.result.options.items()})
        _flatten("costs", run.scenario.costs, values)
        flat.append(values)
    keys = list(dict.fromkeys(k for values in flat for k in values))
    out = []
    for key in keys:
        column = tuple(values.get(key) for values in flat)
        if len({repr(v) for v in column}) > 1:
            out.append(Difference(key, column))
    return out


def run_all(
    session: Session, scenarios: Sequence[Scenario], portfolio: Portfolio | None = None
) -> list[CustomerRun]:
    """Each scenario on one portfolio (the first scenario's, unless given), against the first."""
    if not scenarios:
        return []
    if portfolio is None:
        portfolio = session.portfolio(scenarios[0].portfolio, scenarios[0].base_dir)
    first = session.run(scenarios[0], portfolio=portfolio, baseline=scenarios[0])
    runs = [first]
    for scenario in scenarios[1:]:
        runs.append(session.run(scenario, portfolio=portfolio, baseline=scenarios[0]))
    return runs


def letters(runs: Sequence[Run]) -> list[tuple[str, str]]:
    """Short labels for scenarios in column headers: (``"A"``, name), (``"B"``, name), ..."""
    return [
        (chr(ord("A") + i) if i < 26 else str(i + 1), run.scenario.display_name) for i, run in enumerate(runs)
    ]


def movers(runs: Sequence[CustomerRun], lang: Lang = "en", masked: bool = False) -> pd.DataFrame:
    """Customer-level: every customer whose tier in some scenario differs from A's, with
    their AUM and tier in each scenario, largest AUM first. Only written when the user
    asks for per-customer output."""
    first = runs[0]
    # Tier ids as small codes shared by every scenario (schemes may differ): compared
    # per customer without building an array of strings per scenario.
    codes = {t: i for i, t in enumerate(dict.fromkeys(t for run in runs for t in run.scheme.tier_ids))}
    tiers = [
        np.array([codes[t] for t in run.scheme.tier_ids], dtype=np.int16)[run.result.tiers] for run in runs
    ]
    moved = np.zeros(first.portfolio.rows, dtype=bool)
    for other in tiers[1:]:
        moved |= other != tiers[0]
    rows = np.flatnonzero(moved)
    customers = first.portfolio.frame["customer_id"].iloc[rows].reset_index(drop=True)
    columns: dict[str, Any] = {"customer_id": mask_ids(customers) if masked else customers}
    measure = first.scheme.aum_measure  # the figure every AUM of scenario A is: the scheme's measure
    columns["aum" if measure == "aum" else f"aum ({measure})"] = first.result.aum_fen[rows] / 100.0
    for (tag, name), run in zip(letters(runs), runs, strict=True):
        labels = np.asarray([t.name.get(lang) for t in run.scheme.tiers], dtype=object)
        columns[f"{tag}: {name}"] = labels[run.result.tiers[rows]]
    frame = pd.DataFrame(columns)
    return frame.sort_values(frame.columns[1], ascending=False, kind="stable").reset_index(drop=True)
