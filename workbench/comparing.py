"""Several scenarios side by side on one portfolio: figures, deltas, differences."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from workbench import fmt
from workbench.labels import label
from workbench.portfolio import Portfolio
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


def side_by_side(runs: Sequence[Run], lang: Lang = "en") -> Table:
    """Tiers (rows) by scenario (columns): customers, Δ against the first, AUM, benefit cost.

    Scenarios of different schemes get their own rows, labelled with the scheme.
    """
    names = [run.scenario.display_name for run in runs]
    headers = [label("tier", lang)]
    align = ["<"]
    for i, name in enumerate(names):
        headers += [f"{name}: {label('customers', lang)}"]
        align.append(">")
        if i:
            headers.append(label("delta", lang))
            align.append(">")
        headers += [label("aum", lang), label("benefit_cost", lang)]
        align += [">", ">"]
    rows: list[list[str]] = []
    first = runs[0]
    schemes = list(dict.fromkeys(run.scheme.id for run in runs))
    for scheme_id in schemes:
        scheme = next(run.scheme for run in runs if run.scheme.id == scheme_id)
        prefix = f"{scheme.id}: " if len(schemes) > 1 else ""
        for index in range(len(scheme.tiers) - 1, -1, -1):
            row = [prefix + scheme.tiers[index].name.get(lang)]
            for i, run in enumerate(runs):
                if run.scheme.id != scheme_id:
                    row += ["", ""] + ([""] if i else [])
                    continue
                r = run.result.rows()[index]
                row.append(fmt.number(r.customers))
                if i:
                    same = first.scheme.id == scheme_id
                    row.append(fmt.signed(r.customers - first.result.rows()[index].customers) if same else "")
                row += [fmt.money(r.aum, lang, compact=True), fmt.money(r.benefit_cost, lang)]
            rows.append(row)
    footer = [label("total", lang)]
    for i, run in enumerate(runs):
        footer.append(fmt.number(run.result.customers))
        if i:
            footer.append("")
        footer += [
            fmt.money(run.result.total_aum, lang, compact=True),
            fmt.money(run.result.total_benefit_cost, lang),
        ]
    cost_row = ["Δ " + label("benefit_cost", lang)]
    for i, run in enumerate(runs):
        cost_row += ["", ""] if not i else ["", "", ""]
        cost_row.append(
            fmt.signed_money(run.result.total_benefit_cost - first.result.total_benefit_cost, lang)
        )
    return Table("", headers, rows, align, [footer, cost_row])
