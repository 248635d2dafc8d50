"""Scenarios side by side as a table: tiers (rows) by scenario (columns); their labels
(A, B, ...) and what differs between them."""

from __future__ import annotations

from collections.abc import Sequence

from workbench import fmt
from workbench.core.results import TierRow, Totals
from workbench.planning.compare import Difference, differences, letters
from workbench.planning.runs import Run
from workbench.present import disclosure
from workbench.present.shapes import hidden_in
from workbench.present.tables import HIGHER, LOWER, Table
from workbench.present.words import label
from workbench.text import Lang

__all__ = ["Difference", "differences", "letters", "side_by_side"]


def side_by_side(runs: Sequence[Run], lang: Lang = "en", min_cell: int | None = None) -> Table:
    """Tiers (rows) by scenario: customers, AUM and benefit cost, with changes against the
    first scenario (A). Columns are grouped by figure and labelled by scenario letter
    (``letters``). Scenarios of another scheme than A's get their own rows. With
    ``min_cell`` (report files), money built from fewer customers is marked, not shown."""
    tags = [tag for tag, _ in letters(runs)]
    first = runs[0]
    hidden = hidden_in(runs, min_cell)
    suppressed = disclosure.mark(min_cell or 0)
    measures = (
        ("customers", lambda r: fmt.number(r.customers), lambda r, b: fmt.signed(r.customers - b.customers)),
        ("aum_short", lambda r: fmt.money(r.aum, lang, compact=True), None),
        (
            "cost_short",
            lambda r: fmt.money(r.benefit_cost, lang),
            lambda r, b: fmt.signed_money(r.benefit_cost - b.benefit_cost, lang),
        ),
    )
    headers, align, good = [label("tier", lang)], ["<"], [""]
    for key, _, change in measures:
        for i, tag in enumerate(tags):
            headers.append(f"{label(key, lang)} {tag}")
            align.append(">")
            good.append("")
            if i and change is not None:
                headers.append(f"Δ{label(key, lang)} {tag}" if key == "cost_short" else f"Δ {tag}")
                align.append(">")
                good.append(LOWER if key == "cost_short" else HIGHER)

    def cells(run: Run | None, index: int | None, i: int, total: bool = False) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for key, value, change in measures:
            if run is None:
                out[key] = [""] * (1 + (1 if i and change is not None else 0))
                continue
            r: Totals | TierRow
            b: Totals | TierRow | None
            if total or index is None:
                r = run.result.totals
                b = first.result.totals if first.scheme.id == run.scheme.id else None
            else:
                r = run.result.rows()[index]
                b = first.result.rows()[index] if first.scheme.id == run.scheme.id else None
            hide = (
                key != "customers"
                and index is not None
                and not total
                and bool(hidden[i][index] or (b is not None and hidden[0][index]))
            )
            out[key] = [suppressed if hide else value(r)]
            if i and change is not None:
                out[key].append((suppressed if hide else change(r, b)) if b is not None else "")
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
    return Table("", headers, rows, align, [footer], good)
