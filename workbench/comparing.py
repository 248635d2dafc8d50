"""Several scenarios side by side on one portfolio: figures, deltas, differences."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from workbench import fmt
from workbench.labels import label
from workbench.portfolio import Portfolio
from workbench.privacy import mask_ids
from workbench.result import tier_csv_row, tier_json
from workbench.scenario import Scenario
from workbench.session import Run, Session
from workbench.tables import Table
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


def run_all(session: Session, scenarios: Sequence[Scenario], portfolio: Portfolio | None = None) -> list[Run]:
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


def side_by_side(runs: Sequence[Run], lang: Lang = "en") -> Table:
    """Tiers (rows) by scenario: customers, AUM and benefit cost, with changes against the
    first scenario (A). Columns are grouped by figure and labelled by scenario letter
    (``letters``). Scenarios of another scheme than A's get their own rows."""
    tags = [tag for tag, _ in letters(runs)]
    first = runs[0]
    measures = (
        ("customers", lambda r: fmt.number(r.customers), lambda r, b: fmt.signed(r.customers - b.customers)),
        ("aum_short", lambda r: fmt.money(r.aum, lang, compact=True), None),
        (
            "cost_short",
            lambda r: fmt.money(r.benefit_cost, lang),
            lambda r, b: fmt.signed_money(r.benefit_cost - b.benefit_cost, lang),
        ),
    )
    headers, align = [label("tier", lang)], ["<"]
    for key, _, change in measures:
        for i, tag in enumerate(tags):
            headers.append(f"{label(key, lang)} {tag}")
            align.append(">")
            if i and change is not None:
                headers.append(f"Δ{label(key, lang)} {tag}" if key == "cost_short" else f"Δ {tag}")
                align.append(">")

    def cells(run: Run | None, index: int | None, i: int, total: bool = False) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for key, value, change in measures:
            if run is None:
                out[key] = [""] * (1 + (1 if i and change is not None else 0))
                continue
            if total:
                r = _TotalRow(run)
                b = _TotalRow(first) if first.scheme.id == run.scheme.id else None
            else:
                r = run.result.rows()[index]
                b = first.result.rows()[index] if first.scheme.id == run.scheme.id else None
            out[key] = [value(r)]
            if i and change is not None:
                out[key].append(change(r, b) if b is not None else "")
        return out

    def assemble(per_run: list[dict[str, list[str]]]) -> list[str]:
        row: list[str] = []
        for key, _, _ in measures:
            for part in per_run:
                row += part[key]
        return row

    rows: list[list[str]] = []
    schemes = list(dict.fromkeys(run.scheme.id for run in runs))
    for scheme_id in schemes:
        scheme = next(run.scheme for run in runs if run.scheme.id == scheme_id)
        prefix = f"{scheme.id}: " if len(schemes) > 1 else ""
        for index in range(len(scheme.tiers) - 1, -1, -1):
            per_run = [
                cells(run if run.scheme.id == scheme_id else None, index, i) for i, run in enumerate(runs)
            ]
            rows.append([prefix + scheme.tiers[index].name.get(lang), *assemble(per_run)])
    footer = [
        label("total", lang),
        *assemble([cells(run, None, i, total=True) for i, run in enumerate(runs)]),
    ]
    return Table("", headers, rows, align, [footer])


@dataclass(frozen=True)
class _TotalRow:
    """A run's totals, shaped like a tier row for the cell functions above."""

    run: Run

    @property
    def customers(self) -> int:
        return self.run.result.customers

    @property
    def aum(self) -> float:
        return self.run.result.total_aum

    @property
    def benefit_cost(self) -> float:
        return self.run.result.total_benefit_cost


def comparison_json(runs: Sequence[Run]) -> dict[str, Any]:
    """The JSON shape of ``workbench compare``: ``scenarios``, ``differences``, ``portfolio``.

    Every scenario's figures are on the same portfolio; ``delta_*`` and
    ``migration`` are against the first scenario (A).
    """
    first = runs[0]
    portfolio = first.portfolio
    scenarios = []
    for (tag, name), run in zip(letters(runs), runs, strict=True):
        result = run.result
        entry: dict[str, Any] = {
            "label": tag,
            "name": name,
            "path": str(run.scenario.path) if run.scenario.path else None,
            "notes": run.scenario.notes,
            "scheme": run.scheme.id,
            "parameters": dict(result.params),
            "options": dict(result.options),
            "costs": run.scenario.costs,
            "customers": result.customers,
            "aum": round(result.total_aum, 2),
            "tiers": [tier_json(run.scheme, r) for r in result.rows()],
            "total_benefit_cost": round(result.total_benefit_cost, 2),
        }
        if run is not first and run.comparison is not None:
            comparison = run.comparison
            entry["delta_total_benefit_cost"] = round(
                result.total_benefit_cost - first.result.total_benefit_cost, 2
            )
            entry["moved_customers"] = comparison.moved
            entry["migration"] = comparison.to_dict()["migration"]
            if comparison.same_tiers:
                dc, da, dk = comparison.delta_customers(), comparison.delta_aum(), comparison.delta_cost()
                for i, tier in enumerate(entry["tiers"]):
                    tier["delta_customers"] = int(dc[i])
                    tier["delta_aum"] = round(float(da[i]), 2)
                    tier["delta_benefit_cost"] = round(float(dk[i]), 2)
        scenarios.append(entry)
    return {
        "portfolio": {"name": portfolio.name, "rows": portfolio.rows, "fingerprint": portfolio.fingerprint()},
        "scenarios": scenarios,
        "differences": [
            {"key": d.key, "values": list(d.values), "text": d.describe()} for d in differences(runs)
        ],
    }


def comparison_rows(runs: Sequence[Run]) -> list[dict[str, Any]]:
    """One flat row per scenario and tier (CSV and spreadsheets)."""
    data = comparison_json(runs)
    rows = []
    for scenario in data["scenarios"]:
        for tier in scenario["tiers"]:
            rows.append(
                {
                    "scenario": scenario["label"],
                    "scenario_name": scenario["name"],
                    "scheme": scenario["scheme"],
                    **tier_csv_row(tier),
                }
            )
    return rows


def movers(runs: Sequence[Run], lang: Lang = "en", masked: bool = False) -> pd.DataFrame:
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
    columns["aum"] = first.portfolio.array("aum")[rows]
    for (tag, name), run in zip(letters(runs), runs, strict=True):
        labels = np.asarray([t.name.get(lang) for t in run.scheme.tiers], dtype=object)
        columns[f"{tag}: {name}"] = labels[run.result.tiers[rows]]
    return pd.DataFrame(columns).sort_values("aum", ascending=False, kind="stable").reset_index(drop=True)
