"""A result's tables: tiers, "qualified by", migration from the baseline, benefit costs."""

from __future__ import annotations

import numpy as np

from workbench import fmt
from workbench.core.results import Comparison, Figures, breakdown_labels
from workbench.present.tables import HIGHER, LOWER, Table
from workbench.present.words import label, word
from workbench.text import Lang


def tier_table(result: Figures, comparison: Comparison | None = None, lang: Lang = "en") -> Table:
    """Per tier, highest first: customers, share, AUM, AUM share, cost, and deltas."""
    deltas = comparison is not None and comparison.lined_up
    headers = [label("tier", lang), label("customers", lang), label("share", lang)]
    align, good = ["<", ">", ">"], ["", "", ""]
    if deltas:
        headers.append(label("delta", lang))
        align.append(">")
        good.append(HIGHER)
    headers += [label("aum", lang), label("aum_share", lang), label("benefit_cost", lang)]
    align += [">", ">", ">"]
    good += ["", "", ""]
    if deltas:
        headers.append(label("delta_cost", lang))
        align.append(">")
        good.append(LOWER)
    headers += [label("cost_per_customer", lang), label("cost_bp", lang)]
    align += [">", ">"]
    good += ["", ""]
    no_change = np.zeros(len(result.scheme.tiers))
    dc = comparison.delta_customers() if deltas and comparison else no_change
    dk = comparison.delta_cost() if deltas and comparison else no_change
    rows = []
    tiers = result.rows()
    totals = result.totals
    # each money column in one unit (the tiers', then the total)
    aums = fmt.money_column([r.aum for r in tiers] + [result.total_aum], lang)
    costs = fmt.money_column([r.benefit_cost for r in tiers] + [result.total_benefit_cost], lang)
    dks = fmt.money_column([float(v) for v in dk] + [float(dk.sum())], lang, signed=True)
    pers = fmt.money_column([r.cost_per_customer for r in tiers] + [totals.cost_per_customer], lang)
    for r in reversed(tiers):
        row = [result.tier_label(r.index, lang), fmt.number(r.customers), fmt.percent(r.share)]
        if deltas:
            row.append(fmt.signed(dc[r.index]))
        row += [aums[r.index], fmt.percent(r.aum_share), costs[r.index]]
        if deltas:
            row.append(dks[r.index])
        row += [pers[r.index], fmt.number(r.cost_bp, 2)]
        rows.append(row)
    footer = [label("total", lang), fmt.number(result.customers), fmt.percent(1.0 if result.customers else 0)]
    if deltas:
        footer.append(fmt.signed(int(dc.sum())))
    footer += [aums[-1], fmt.percent(1.0 if result.total_aum else 0), costs[-1]]
    if deltas:
        footer.append(dks[-1])
    footer += [pers[-1], fmt.number(totals.cost_bp, 2)]
    title = f"{result.scheme.name.get(lang)} · {result.book.label(lang)}"
    return Table(title, headers, rows, align, [footer], good)


def breakdown_table(result: Figures, lang: Lang = "en") -> Table | None:
    """Per tier above the lowest: how many qualified by each criterion group."""
    scheme = result.scheme
    if not scheme.groups or scheme.classify is not None:
        return None
    labels = breakdown_labels(scheme)
    used = [j for j in range(len(labels)) if labels[j] != "none" and result.breakdown[1:, j].any()]
    if not used:
        return None  # no one above the lowest tier: nothing to break down
    if len(scheme.groups) < 2 and not any(labels[j] in ("floor", "override") for j in used):
        return None
    names = []
    for j in used:
        key = labels[j]
        if j < len(scheme.groups):
            names.append(word("only", lang, group=scheme.groups[j].name.get(lang)))
        else:
            names.append(label(key, lang))
    rows = [
        [result.tier_label(i, lang), *(fmt.number(int(result.breakdown[i, j])) for j in used)]
        for i in range(len(scheme.tiers) - 1, 0, -1)
    ]
    return Table(label("qualified_by", lang), [label("tier", lang), *names], rows, ["<"] + [">"] * len(used))


def migration_table(comparison: Comparison, lang: Lang = "en", measure: str = "customers") -> Table:
    """Customers (or AUM) from each baseline tier (rows) to each tier (columns), highest
    tier first both ways (as the tier table), so those who stay are on the diagonal."""
    base, res = comparison.baseline.scheme, comparison.result.scheme
    matrix = comparison.migration_customers if measure == "customers" else comparison.migration_aum
    headers = [label("from_to", lang), *(t.name.get(lang) for t in reversed(res.tiers))]
    rows = []
    for i in range(len(base.tiers) - 1, -1, -1):
        cells = [base.tiers[i].name.get(lang)]
        for j in range(len(res.tiers) - 1, -1, -1):
            v = matrix[i, j]
            if v == 0:
                cells.append("·")
            else:
                cells.append(fmt.number(int(v)) if measure == "customers" else fmt.money(float(v), lang))
        rows.append(cells)
    title = f"{label('migration', lang)} ({label('moved', lang)}: {fmt.number(comparison.moved)})"
    return Table(title, headers, rows, ["<"] + [">"] * len(res.tiers))


def cost_table(
    result: Figures,
    lang: Lang = "en",
    tier: str | None = None,
    hidden: np.ndarray | None = None,
    mark: str = "",
) -> Table:
    """Each benefit's cost per tier, with the assumption behind it; the costs of ``hidden``
    tiers (too few customers, ``present.disclosure``) marked, not shown."""
    scheme = result.scheme
    rows = []
    for line in sorted(result.cost_lines, key=lambda c: (-scheme.tier_index(c.assumption.tier), -c.cost)):
        a = line.assumption
        if tier is not None and a.tier != tier:
            continue
        edited = any(s == "scenario" for s in a.sources.values())
        rows.append(
            [
                scheme.tier(a.tier).name.get(lang),
                scheme.benefit(a.benefit).name.get(lang),
                result.drivers[a.driver].name.get(lang),
                a.explain(result.drivers, lang) + (" *" if edited else ""),
                mark
                if hidden is not None and hidden[scheme.tier_index(a.tier)]
                else fmt.money(line.cost, lang),
            ]
        )
    headers = [
        label("tier", lang),
        label("benefit", lang),
        label("driver", lang),
        label("assumption", lang),
        label("cost_year", lang),
    ]
    footer = [
        [
            label("total", lang),
            "",
            "",
            "",
            fmt.money(
                sum(c.cost for c in result.cost_lines if tier is None or c.assumption.tier == tier), lang
            ),
        ]
    ]
    return Table(label("costs", lang), headers, rows, ["<", "<", "<", "<", ">"], footer)
