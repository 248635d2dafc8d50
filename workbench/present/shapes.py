"""Every JSON and CSV shape the workbench writes, each built in one place.

These shapes are an interface (``docs/cli.md``): planners' scripts read
them. Add keys; never rename or drop one. Money is rounded to the fen,
basis points to four decimals; JSON is strict (no NaN or infinity).
"""

from __future__ import annotations

import io
import json
import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from workbench.core.policy import Policy
from workbench.core.results import Comparison, Figures, TierRow
from workbench.files.spreadsheets import csv_safe
from workbench.present import disclosure
from workbench.present.conditions import tier_sentence
from workbench.text import Lang

if TYPE_CHECKING:
    from workbench.planning.explain import Explanation
    from workbench.planning.runs import Run
    from workbench.planning.solve import Outcome
    from workbench.planning.sweep import Sweep
    from workbench.scheme.model import Scheme
    from workbench.scheme.registry import Registry


def texts(text: Any) -> dict[str, str]:
    """A ``Text`` as ``{"en": ..., "zh": ...}``."""
    return {"en": text.en, "zh": text.zh}


def finite(value: float) -> float | None:
    """A float, or None (JSON null) where it is NaN or infinite."""
    return None if math.isnan(value) or math.isinf(value) else value


def _strict(value: Any) -> Any:
    if isinstance(value, float):
        return finite(value)
    if isinstance(value, Mapping):
        return {k: _strict(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_strict(v) for v in value]
    if isinstance(value, np.floating):
        return finite(float(value))
    if isinstance(value, np.integer):
        return int(value)
    return value


def to_json(data: Any) -> str:
    """Strict JSON (RFC 8259): a value that is not a finite number is ``null``, never
    ``NaN`` or ``Infinity``; Chinese as it is, indented."""
    return json.dumps(_strict(data), ensure_ascii=False, indent=2, allow_nan=False)


# -- tiers and results -------------------------------------------------------------


def tier_json(scheme: Scheme, r: TierRow) -> dict[str, Any]:
    """A tier's figures in the JSON shape every command shares."""
    return {
        "tier": r.tier,
        "name": texts(scheme.tiers[r.index].name),
        "customers": r.customers,
        "share": r.share,
        "aum": round(r.aum, 2),
        "aum_share": r.aum_share,
        "benefit_cost": round(r.benefit_cost, 2),
        "cost_per_customer": round(r.cost_per_customer, 2),
        "cost_bp": round(r.cost_bp, 4),
    }


def add_tier_deltas(tiers: list[dict[str, Any]], comparison: Comparison) -> None:
    """``delta_customers``, ``delta_aum`` and ``delta_benefit_cost`` on each tier's JSON,
    when the comparison's schemes have the same tiers."""
    if not comparison.same_tiers:
        return
    dc, da, dk = comparison.delta_customers(), comparison.delta_aum(), comparison.delta_cost()
    for i, tier in enumerate(tiers):
        tier["delta_customers"] = int(dc[i])
        tier["delta_aum"] = round(float(da[i]), 2)
        tier["delta_benefit_cost"] = round(float(dk[i]), 2)


def tier_csv_row(tier: Mapping[str, Any]) -> dict[str, Any]:
    """A ``tier_json`` (with any ``delta_*`` keys) as one flat CSV row."""
    row = {
        "tier": tier["tier"],
        "name_en": tier["name"]["en"],
        "name_zh": tier["name"]["zh"],
        "customers": tier["customers"],
        "share": round(tier["share"], 6),
        "aum": tier["aum"],
        "aum_share": None if tier["aum_share"] is None else round(tier["aum_share"], 6),
        "benefit_cost": tier["benefit_cost"],
        "cost_per_customer": tier["cost_per_customer"],
        "cost_bp": tier["cost_bp"],
    }
    for key in ("delta_customers", "delta_aum", "delta_benefit_cost"):
        if key in tier:
            row[key] = tier[key]
    if tier.get("suppressed"):
        row["suppressed"] = True
    return row


def result_json(result: Figures) -> dict[str, Any]:
    """A simulation's figures (the core of ``workbench simulate --format json``)."""
    scheme = result.scheme
    totals = result.totals
    return {
        "scheme": scheme.id,
        "scheme_name": texts(scheme.name),
        "portfolio": {"name": result.book.name, "rows": result.book.rows},
        "customers": result.customers,
        "aum": round(totals.aum, 2),
        "aum_measure": scheme.aum_measure,
        "parameters": dict(result.params),
        "options": dict(result.options),
        "defaulted_columns": list(result.defaulted),
        "tiers": [
            {
                **tier_json(scheme, r),
                "benefits": {k: round(v, 2) for k, v in r.benefits.items()},
                "qualified_by": r.qualified_by,
            }
            for r in result.rows()
        ],
        "total_benefit_cost": round(totals.benefit_cost, 2),
        "total_cost_bp": round(totals.cost_bp, 4),
        "costs": [
            {
                "benefit": line.assumption.benefit,
                "tier": line.assumption.tier,
                "driver": line.assumption.driver,
                "assumptions": dict(line.assumption.values),
                "sources": dict(line.assumption.sources),
                "explain": line.assumption.explain(result.drivers, "en"),
                "cost": round(line.cost, 2),
            }
            for line in result.cost_lines
        ],
    }


def migration_json(comparison: Comparison) -> dict[str, Any]:
    """Customers and AUM from each baseline tier (``from``) to each tier (``to``)."""
    return {
        "from": list(comparison.baseline.scheme.tier_ids),
        "to": list(comparison.result.scheme.tier_ids),
        "customers": comparison.migration_customers.astype(int).tolist(),
        "aum": np.round(comparison.migration_aum, 2).tolist(),
    }


def baseline_json(baseline: Figures) -> dict[str, Any]:
    """The baseline a result is compared with: its settings and per-tier figures."""
    return {
        "scheme": baseline.scheme.id,
        "parameters": dict(baseline.params),
        "options": dict(baseline.options),
        "customers": baseline.customers,
        "total_benefit_cost": round(baseline.total_benefit_cost, 2),
        "tiers": [
            {
                "tier": r.tier,
                "customers": r.customers,
                "aum": round(r.aum, 2),
                "benefit_cost": round(r.benefit_cost, 2),
            }
            for r in baseline.rows()
        ],
    }


def run_json(run: Run) -> dict[str, Any]:
    """``workbench simulate --format json``: the result, the scenario, and with a baseline
    the deltas and the migration matrix."""
    out = result_json(run.result)
    out["scenario"] = {
        "name": run.scenario.display_name,
        "path": str(run.scenario.path) if run.scenario.path else None,
        "notes": run.scenario.notes,
    }
    out["portfolio"]["fingerprint"] = run.portfolio.fingerprint()
    out["notes"] = [note.en for note in run.notes]
    comparison = run.comparison
    if comparison is not None:
        out["baseline"] = baseline_json(comparison.baseline)
        out["baseline"]["name"] = run.baseline_scenario.display_name if run.baseline_scenario else None
        out["delta_total_benefit_cost"] = round(
            run.result.total_benefit_cost - comparison.baseline.total_benefit_cost, 2
        )
        out["moved_customers"] = comparison.moved
        out["migration"] = migration_json(comparison)
        add_tier_deltas(out["tiers"], comparison)
    return out


def csv_text(rows: Sequence[Mapping[str, Any]]) -> str:
    """Rows as CSV text (the header from the first row's keys); text that a spreadsheet
    would run as a formula is made safe (``files.spreadsheets``)."""
    buffer = io.StringIO()
    csv_safe(pd.DataFrame(list(rows))).to_csv(buffer, index=False)
    return buffer.getvalue()


def run_csv_rows(run: Run) -> list[dict[str, Any]]:
    """``workbench simulate --format csv``: one row per tier, then the total."""
    data = run_json(run)
    rows = [tier_csv_row(tier) for tier in data["tiers"]]
    rows.append(
        {
            "tier": "total",
            "name_en": "total",
            "name_zh": "合计",
            "customers": data["customers"],
            "share": 1.0,
            "aum": data["aum"],
            "aum_share": 1.0,
            "benefit_cost": data["total_benefit_cost"],
        }
    )
    return rows


# -- comparisons of scenarios ------------------------------------------------------


def hidden_in(runs: Sequence[Run], min_cell: int | None) -> list[np.ndarray]:
    """For each run, the tiers whose money figures a report suppresses (none without
    ``min_cell``): see ``present.disclosure``."""
    out = []
    for i, run in enumerate(runs):
        counts = run.result.counts
        if not min_cell:
            out.append(np.zeros(len(counts), dtype=bool))
            continue
        moved = None
        if i and run.comparison is not None and run.comparison.same_tiers:
            moved = disclosure.movers(run.comparison.migration_customers)
        out.append(disclosure.hidden_tiers(counts, min_cell, moved))
    return out


MONEY_FIELDS = (
    "aum",
    "aum_share",
    "benefit_cost",
    "cost_per_customer",
    "cost_bp",
    "delta_aum",
    "delta_benefit_cost",
)


def _suppress(tier: dict[str, Any]) -> None:
    for key in MONEY_FIELDS:
        if key in tier:
            tier[key] = None
    tier["suppressed"] = True


def comparison_json(runs: Sequence[Run], min_cell: int | None = None) -> dict[str, Any]:
    """The JSON shape of ``workbench compare``: ``scenarios``, ``differences``, ``portfolio``.

    Every scenario's figures are on the same portfolio; ``delta_*`` and
    ``migration`` are against the first scenario (A). With ``min_cell`` (report
    files), money figures built from fewer customers are ``null`` and their tier
    says ``"suppressed": true`` (``present.disclosure``).
    """
    from workbench.planning.compare import differences, letters

    first = runs[0]
    portfolio = first.portfolio
    hidden = hidden_in(runs, min_cell)
    scenarios = []
    for (tag, name), run, hide in zip(letters(runs), runs, hidden, strict=True):
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
            entry["delta_total_benefit_cost"] = round(
                result.total_benefit_cost - first.result.total_benefit_cost, 2
            )
            entry["moved_customers"] = run.comparison.moved
            entry["migration"] = migration_json(run.comparison)
            add_tier_deltas(entry["tiers"], run.comparison)
            if min_cell:
                cells = disclosure.hidden_cells(run.comparison.migration_customers, min_cell)
                aum = entry["migration"]["aum"]
                for i, j in zip(*np.nonzero(cells), strict=True):
                    aum[int(i)][int(j)] = None
        for tier, suppressed in zip(entry["tiers"], hide, strict=True):
            if suppressed:
                _suppress(tier)
        scenarios.append(entry)
    out: dict[str, Any] = {
        "portfolio": {"name": portfolio.name, "rows": portfolio.rows, "fingerprint": portfolio.fingerprint()},
        "scenarios": scenarios,
        "differences": [
            {"key": d.key, "values": list(d.values), "text": d.describe()} for d in differences(runs)
        ],
    }
    if min_cell:
        out["min_cell"] = min_cell
    return out


def comparison_rows(runs: Sequence[Run], min_cell: int | None = None) -> list[dict[str, Any]]:
    """One flat row per scenario and tier (CSV and spreadsheets)."""
    data = comparison_json(runs, min_cell)
    return [
        {
            "scenario": scenario["label"],
            "scenario_name": scenario["name"],
            "scheme": scenario["scheme"],
            **tier_csv_row(tier),
        }
        for scenario in data["scenarios"]
        for tier in scenario["tiers"]
    ]


# Report CSVs written with ``--lang zh`` carry Chinese headers (the keys above are the
# English ones, and the default); a column not listed keeps its key.
CSV_HEADERS_ZH = {
    "scenario": "情景",
    "scenario_name": "情景名称",
    "scheme": "方案",
    "tier": "等级代码",
    "name_en": "等级(英文)",
    "name_zh": "等级",
    "customers": "客户数",
    "share": "客户占比",
    "aum": "资产(元)",
    "aum_share": "资产占比",
    "benefit_cost": "权益成本(元)",
    "cost_per_customer": "人均成本(元)",
    "cost_bp": "成本占资产(基点)",
    "delta_customers": "客户数变化(相对A)",
    "delta_aum": "资产变化(相对A)",
    "delta_benefit_cost": "权益成本变化(相对A)",
    "suppressed": "已隐藏(客户过少)",
    "valid": "可用",
    "error": "不可用原因",
    "total_benefit_cost": "权益成本合计(元)",
}


def localized_rows(
    rows: list[dict[str, Any]], lang: Lang, more: Mapping[str, str] | None = None
) -> list[dict[str, Any]]:
    """Flat rows with their headers in ``lang``: Chinese headers for a Chinese report
    (``more``: headers of this table's own, such as one column per tier)."""
    if lang != "zh":
        return rows
    names = {**CSV_HEADERS_ZH, **(more or {})}
    return [{names.get(k, k): v for k, v in row.items()} for row in rows]


def sweep_headers_zh(sweep: Sweep) -> dict[str, str]:
    """The Chinese headers of a sweep's per-tier and parameter columns."""
    out = {sweep.parameter.id: sweep.parameter.name.zh or sweep.parameter.id}
    for t in sweep.scheme.tiers:
        name = t.name.zh or t.id
        out |= {
            f"customers_{t.id}": f"客户数:{name}",
            f"aum_{t.id}": f"资产(元):{name}",
            f"benefit_cost_{t.id}": f"权益成本(元):{name}",
        }
    return out


# -- schemes --------------------------------------------------------------------------


def schemes_json(registry: Registry) -> dict[str, Any]:
    """``workbench schemes --json``: every installed scheme, what was disabled, what failed."""
    return {
        "schemes": [
            {
                "id": s.id,
                "name": texts(s.name),
                "plugin": registry.scheme_plugin[s.id],
                "source": s.source,
                "file": str(registry.scheme_files[s.id]) if s.id in registry.scheme_files else None,
                "tiers": [
                    {
                        "id": t.id,
                        "name": texts(t.name),
                        "conditions": {
                            lang: tier_sentence(s, t, s.default_params, lang, s.default_options)
                            for lang in ("en", "zh")
                        },
                    }
                    for t in s.tiers
                ],
                "parameters": [
                    {
                        "id": p.id,
                        "name": texts(p.name),
                        "default": p.default,
                        "unit": p.unit,
                        "kind": p.kind,
                        "minimum": p.minimum,
                        "maximum": p.maximum,
                        "step": p.step,
                        "tier": s.tier_of_parameter(p.id),
                    }
                    for p in s.parameters
                ],
                "options": [
                    {"id": o.id, "name": texts(o.name), "default": o.default, "choices": list(o.values)}
                    for o in s.options
                ],
                "required_columns": list(s.required_columns),
                "optional_columns": list(s.optional_columns),
                "policy": Policy.default(s).as_dict(),
                "benefits": [
                    {"id": b.id, "name": texts(b.name), "driver": b.driver, "tiers": list(b.tiers)}
                    for b in s.benefits
                ],
            }
            for s in sorted(registry.schemes.values(), key=lambda s: s.id)
        ],
        "disabled": registry.disabled,
        "errors": [
            {"plugin": f.plugin, "stage": f.stage, "message": f.message, "message_zh": f.zh or f.message}
            for f in registry.failures
        ],
    }


# -- planner tools ------------------------------------------------------------------------


def sweep_hidden(sweep: Sweep, min_cell: int | None) -> tuple[list[np.ndarray], list[bool]]:
    """For each point: the tiers whose money is suppressed, and whether the total cost is."""
    valid = [p for p in sweep.points if p.error is None]
    tiers, totals = disclosure.sweep_hidden([p.counts for p in valid], min_cell or 0)
    by_point = dict(zip([id(p) for p in valid], zip(tiers, totals, strict=True), strict=True))
    k = len(sweep.scheme.tiers)
    none = (np.zeros(k, dtype=bool), False)
    pairs = [by_point.get(id(p), none) for p in sweep.points]
    return [a for a, _ in pairs], [b for _, b in pairs]


def sweep_json(sweep: Sweep, min_cell: int | None = None) -> dict[str, Any]:
    """``workbench sweep --format json``: the figures at each value, and the bend; money
    built from fewer than ``min_cell`` customers is ``null`` (``present.disclosure``)."""
    from workbench.present.sweeping import summary

    tiers = [t.id for t in sweep.scheme.tiers]
    hidden, hidden_total = sweep_hidden(sweep, min_cell)

    def money(values: Any, hide: np.ndarray) -> dict[str, float | None]:
        return {t: None if h else round(float(v), 2) for t, v, h in zip(tiers, values, hide, strict=True)}

    def figures(p: Any, hide: np.ndarray, hide_total: bool) -> dict[str, Any]:
        return {
            "customers": {t: int(c) for t, c in zip(tiers, p.counts, strict=True)},
            "aum": money(p.aum, hide),
            "benefit_cost": money(p.cost_by_tier, hide),
            "total_benefit_cost": None if hide_total else round(p.total_cost, 2),
            **({"suppressed": [t for t, h in zip(tiers, hide, strict=True) if h]} if hide.any() else {}),
        }

    bend = sweep.bend
    return {
        "scheme": sweep.scheme.id,
        "parameter": sweep.parameter.id,
        "unit": sweep.parameter.unit,
        "current": sweep.current,
        "points": [
            {
                "value": p.value,
                "valid": p.error is None,
                **({"error": p.error} if p.error else {}),
                **(figures(p, hide, hide_total) if p.error is None else {}),
            }
            for p, hide, hide_total in zip(sweep.points, hidden, hidden_total, strict=True)
        ],
        "bend": None
        if bend is None
        else {
            "value": bend.value,
            "total_benefit_cost": round(bend.total_cost, 2),
            "slope_before": bend.slope_before,
            "slope_after": bend.slope_after,
        },
        "summary": summary(sweep),
        **({"min_cell": min_cell} if min_cell else {}),
    }


def sweep_rows(sweep: Sweep, min_cell: int | None = None) -> list[dict[str, Any]]:
    """One flat row per swept value (``--format csv`` and spreadsheets); suppressed money
    is empty."""
    out = []
    tiers = sweep.scheme.tiers
    hidden, hidden_total = sweep_hidden(sweep, min_cell)
    for p, hide, hide_total in zip(sweep.points, hidden, hidden_total, strict=True):
        ok = p.error is None
        row: dict[str, Any] = {sweep.parameter.id: p.value, "valid": ok, "error": p.error or ""}
        for i, t in enumerate(tiers):
            row[f"customers_{t.id}"] = int(p.counts[i]) if ok else None
        for i, t in enumerate(tiers):
            row[f"aum_{t.id}"] = round(float(p.aum[i]), 2) if ok and not hide[i] else None
        for i, t in enumerate(tiers):
            row[f"benefit_cost_{t.id}"] = round(float(p.cost_by_tier[i]), 2) if ok and not hide[i] else None
        row["total_benefit_cost"] = round(p.total_cost, 2) if ok and not hide_total else None
        out.append(row)
    return out


def explanation_json(e: Explanation) -> dict[str, Any]:
    """One customer's explanation (``workbench explain --format json``)."""
    return {
        "customer_id": e.shown_id,
        "scheme": e.scheme.id,
        "scenario": e.scenario,
        "inputs": e.inputs,
        "metrics": {k: finite(v) for k, v in e.metrics.items()},
        "tier": e.tier,
        "base_tier": e.base_tier,
        "criteria": [
            {
                "tier": c.tier,
                "metric": c.metric,
                "threshold": c.threshold_name,
                "threshold_value": c.threshold,
                "value": finite(c.value),
                "met": c.met,
                "active": c.active,
                "group": c.group,
                "gap": c.gap,
                "path": list(c.path),
                "column": c.column or None,
            }
            for c in e.checks
        ],
        "tiers_met": e.tier_holds,
        "floors": [{"name": n, "tier": t, "applied": a} for n, t, a in e.floors],
        "override": e.override,
    }


def solve_json(outcome: Outcome, output: str, messages: list[str]) -> dict[str, Any]:
    """``workbench solve --format json``."""
    return {
        "reached": outcome.reached,
        "output": output,
        "changed": {k: {"from": a, "to": b} for k, (a, b) in outcome.changed.items()},
        "parameters": outcome.params,
        "total_benefit_cost": round(outcome.result.total_benefit_cost, 2),
        "messages": messages,
    }
