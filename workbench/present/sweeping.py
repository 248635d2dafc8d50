"""A sweep for people: its table and the sentence on where the cost curve bends."""

from __future__ import annotations

from workbench import fmt
from workbench.planning.sweep import Sweep
from workbench.present import disclosure
from workbench.present.tables import Table
from workbench.present.words import label
from workbench.scheme.model import Parameter
from workbench.text import Lang


def _per_unit(parameter: Parameter) -> tuple[float, str]:
    """Slopes are quoted per 10,000 CNY for money, per unit otherwise."""
    return (
        (10_000.0, "10,000 CNY")
        if parameter.unit == "CNY"
        else (1.0, parameter.unit.removesuffix("s") or "unit")
    )


def summary(sweep: Sweep) -> str:
    """One sentence on the bend, or why there is none."""
    if len(sweep.valid) < 3:
        return "too few valid points to find a bend"
    if sweep.bend is None:
        return "the cost curve is close to a straight line: no marked bend"
    b = sweep.bend
    per = _per_unit(sweep.parameter)
    return (
        f"the cost curve bends at {sweep.parameter.id} = {fmt.trimmed(b.value)}: "
        f"{fmt.signed_money(b.slope_before * per[0])} a year per {per[1]} before, "
        f"{fmt.signed_money(b.slope_after * per[0])} after"
    )


def sentence(sweep: Sweep) -> str:
    """``summary`` as a sentence: capital first letter, full stop."""
    text = summary(sweep)
    return text[:1].upper() + text[1:] + "."


def sweep_table(sweep: Sweep, lang: Lang = "en", min_cell: int | None = None) -> Table:
    """Value (rows) by tier customers, AUM and total cost; a total cost that moves by fewer
    than ``min_cell`` customers from the last one shown is marked, not shown."""
    from workbench.present.shapes import sweep_hidden

    _, hidden_total = sweep_hidden(sweep, min_cell)
    tiers = sweep.scheme.tiers
    headers = [sweep.parameter.id] + [t.name.get(lang) for t in reversed(tiers)]
    headers += [label("aum", lang), label("benefit_cost", lang)]
    rows = []
    for p, hide_total in zip(sweep.points, hidden_total, strict=True):
        mark = " *" if p.value == sweep.current else ""
        if p.error is not None:
            rows.append([fmt.trimmed(p.value) + mark] + ["-"] * (len(tiers) + 1) + ["not allowed"])
            continue
        cost = disclosure.mark(min_cell or 0) if hide_total else fmt.money(p.total_cost, lang)
        rows.append(
            [fmt.trimmed(p.value) + mark]
            + [fmt.number(int(c)) for c in reversed(p.counts)]
            + [fmt.money(float(p.aum.sum()), lang, compact=True), cost]
        )
    title = f"{sweep.scheme.name.get(lang)}: {sweep.parameter.id} ({sweep.parameter.unit}); * = current value"
    return Table(title, headers, rows, ["<"] + [">"] * (len(headers) - 1))
