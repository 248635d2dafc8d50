"""Estimates from a sample, shown with their 95% intervals: the table and the JSON shape
of ``simulate --sample``."""

from __future__ import annotations

from typing import Any

from workbench import fmt
from workbench.core.sampling import Interval
from workbench.planning.estimates import EstimatedRun, TierIntervals
from workbench.present.shapes import run_json
from workbench.present.tables import HIGHER, Table
from workbench.present.words import label
from workbench.text import Lang


def interval_json(interval: Interval, decimals: int = 0) -> dict[str, float]:
    """``{"estimate", "low", "high"}``, customers whole, money to the fen."""
    return {
        "estimate": round(interval.value, decimals),
        "low": round(interval.low, decimals),
        "high": round(interval.high, decimals),
    }


def intervals_json(t: TierIntervals) -> dict[str, Any]:
    out = {
        "customers": interval_json(t.customers),
        "aum": interval_json(t.aum, 2),
        "benefit_cost": interval_json(t.benefit_cost, 2),
    }
    if t.delta_customers is not None:
        out["delta_customers"] = interval_json(t.delta_customers)
    return out


def estimate_json(e: EstimatedRun) -> dict[str, Any]:
    """``simulate --sample --format json``: the run's shape, its figures estimates of the
    whole book, with ``sample`` (the design) and per tier and in total ``interval``."""
    out = run_json(e.run)
    design, sample = e.sample.design, e.sample
    out["sample"] = {
        "fraction": design.fraction,
        "seed": design.seed,
        "customers": len(sample.portfolio.frame),
        "units": int(design.drawn.sum()),
        "book_customers": sample.book.rows,
        "strata": int((design.population > 0).sum()),
        "confidence": 0.95,
        "units_are": "households"
        if len(sample.units) and sample.units.max() + 1 < len(sample.units)
        else "customers",
    }
    for tier, intervals in zip(out["tiers"], e.tiers, strict=True):
        tier["interval"] = intervals_json(intervals)
    out["interval"] = intervals_json(e.total)
    out["notes"] = [n.en for n in e.notes] + out["notes"]
    return out


def _pm(interval: Interval, money: bool, lang: Lang) -> str:
    half = (interval.high - interval.low) / 2
    return "±" + (fmt.money_column([half], lang)[0] if money else fmt.number(round(half)))


def estimate_table(e: EstimatedRun, lang: Lang = "en") -> Table:
    """Per tier, highest first: customers, AUM and benefit cost, each with its ± 95%."""
    figures = e.run.result
    deltas = e.run.comparison is not None and all(t.delta_customers is not None for t in e.tiers)
    pm = label("plus_minus", lang)
    headers = [label("tier", lang), label("customers", lang), pm]
    if deltas:
        headers += [label("delta", lang), pm]
    headers += [label("aum", lang), pm, label("benefit_cost", lang), pm]
    align = ["<"] + [">"] * (len(headers) - 1)
    good = [""] * len(headers)
    if deltas:
        good[3] = HIGHER
    rows = figures.rows()
    aums = fmt.money_column([r.aum for r in rows] + [figures.total_aum], lang)
    costs = fmt.money_column([r.benefit_cost for r in rows] + [figures.total_benefit_cost], lang)

    def line(name: str, i: int, n: int, t: TierIntervals) -> list[str]:
        cells = [name, fmt.number(n), _pm(t.customers, False, lang)]
        if deltas and t.delta_customers is not None:
            cells += [fmt.signed(round(t.delta_customers.value)), _pm(t.delta_customers, False, lang)]
        elif deltas:
            cells += ["", ""]
        return [*cells, aums[i], _pm(t.aum, True, lang), costs[i], _pm(t.benefit_cost, True, lang)]

    body = [
        line(figures.tier_label(r.index, lang), r.index, r.customers, e.tiers[r.index])
        for r in reversed(rows)
    ]
    total = line(label("total", lang), len(rows), figures.customers, e.total)
    title = f"{figures.scheme.name.get(lang)} · {figures.book.label(lang)}"
    return Table(title, headers, body, align, [total], good)
