"""Comparison reports: the same figures as `workbench compare`, in several file types."""

from __future__ import annotations

import html as htmlmod
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from workbench import fmt
from workbench.errors import WorkbenchError
from workbench.files.atomic import atomic_path, atomic_write_text
from workbench.files.spreadsheets import csv_safe, put, put_row
from workbench.planning.compare import differences, letters
from workbench.planning.runs import Run
from workbench.present import disclosure
from workbench.present.comparing import side_by_side
from workbench.present.shapes import comparison_json, comparison_rows, hidden_in, to_json
from workbench.present.tables import Table
from workbench.present.tiers import cost_table, migration_table
from workbench.present.words import label
from workbench.reports import charts
from workbench.reports.markup import STYLE, html_image, html_table, markdown_table, md_text, sheet_name
from workbench.reports.options import ReportOptions
from workbench.text import Lang


def text_report(runs: Sequence[Run], lang: Lang = "en", min_cell: int | None = None) -> str:
    """The plain-text comparison printed by `workbench compare`."""
    parts = []
    portfolio = runs[0].portfolio
    parts.append(
        f"Portfolio: {portfolio.name}, {fmt.number(portfolio.rows)} customers, "
        f"fingerprint {portfolio.fingerprint()}"
    )
    parts.append("\n".join(f"{tag}: {name}" for tag, name in letters(runs)))
    parts.append(side_by_side(runs, lang, min_cell).render())
    diffs = differences(runs)
    parts.append("What differs:\n" + ("\n".join(f"  {d.describe()}" for d in diffs) or "  nothing"))
    for (tag, _), run in zip(letters(runs)[1:], runs[1:], strict=True):
        if run.comparison is not None:
            table = migration_table(run.comparison, lang)
            table.title = f"{tag} against A: {table.title}"
            parts.append(table.render())
    return "\n\n".join(parts)


def text(runs: Sequence[Run], path: Path, options: ReportOptions) -> None:
    atomic_write_text(path, text_report(runs, options.lang, options.min_cell) + "\n")


def json_text(runs: Sequence[Run], path: Path, options: ReportOptions) -> None:
    atomic_write_text(path, to_json(comparison_json(runs, options.min_cell)) + "\n")


def csv(runs: Sequence[Run], path: Path, options: ReportOptions) -> None:
    rows = comparison_rows(runs, options.min_cell)
    with atomic_path(path) as tmp:
        csv_safe(pd.DataFrame(rows)).to_csv(tmp, index=False, encoding="utf-8-sig")


def _table_md(table: Table) -> str:
    return markdown_table(table.headers, [*table.rows, *table.footer], table.align)


def markdown(runs: Sequence[Run], path: Path, options: ReportOptions) -> None:
    atomic_write_text(path, markdown_report(runs, options.lang, options.min_cell))


def markdown_report(runs: Sequence[Run], lang: Lang = "en", min_cell: int | None = None) -> str:
    portfolio = runs[0].portfolio
    out = [
        "# Scenario comparison",
        "",
        f"Portfolio **{md_text(portfolio.name)}**: {fmt.number(portfolio.rows)} customers, "
        f"fingerprint `{portfolio.fingerprint()}`.",
        "",
    ]
    for (tag, name), run in zip(letters(runs), runs, strict=True):
        notes = f" — {md_text(run.scenario.notes.strip())}" if run.scenario.notes.strip() else ""
        out.append(f"- **{tag}**: {md_text(name)} (`{run.scheme.id}`){notes}")
    out += [
        "",
        "## Tiers by scenario",
        "",
        _table_md(side_by_side(runs, lang, min_cell)),
        "",
        "## What differs",
        "",
    ]
    diffs = differences(runs)
    out += [
        f"- `{d.key}`: " + " → ".join(md_text(v) for v in d.describe().split(": ", 1)[1].split(" -> "))
        for d in diffs
    ] or ["Nothing: the scenarios have the same settings."]
    for (tag, _), run in zip(letters(runs)[1:], runs[1:], strict=True):
        if run.comparison is None:
            continue
        table = migration_table(run.comparison, lang)
        out += [
            "",
            f"## Migration: {tag} against A ({fmt.number(run.comparison.moved)} customers move)",
            "",
            _table_md(table),
        ]
    return "\n".join(out) + "\n"


# -- Excel ----------------------------------------------------------------------


EXCEL_MAX_ROWS = 1_048_576


def excel(runs: Sequence[Run], path: Path, options: ReportOptions) -> None:
    """The workbook: a summary, a sheet per scenario and per migration, and (only when
    asked) the customers who move. Money built from fewer than ``min_cell`` customers
    is marked ``<10``, not shown."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    lang, per_customer, min_cell = options.lang, options.per_customer, options.min_cell
    data = comparison_json(runs, min_cell)
    hidden = hidden_in(runs, min_cell)
    suppressed = disclosure.mark(min_cell or 0)
    bold = Font(bold=True)
    head_fill = PatternFill("solid", fgColor="DDEBF7")
    integer, money, share, signed = "#,##0", "#,##0", "0.0%", "+#,##0;-#,##0;0"

    def header(ws: Any, row: int, values: list[str]) -> None:
        for col, value in enumerate(values, start=1):
            cell = put(ws, row, col, value)
            cell.font = bold
            cell.fill = head_fill
            cell.alignment = Alignment(horizontal="center", wrap_text=True)

    def widths(ws: Any, values: dict[int, int]) -> None:
        for col, width in values.items():
            ws.column_dimensions[get_column_letter(col)].width = width

    wb = Workbook()
    ws = wb.active
    ws.title = "Summary"
    put(ws, 1, 1, "Scenario comparison")
    ws.cell(row=1, column=1).font = Font(bold=True, size=14)
    portfolio = data["portfolio"]
    put(
        ws,
        2,
        1,
        (
            f"Portfolio {portfolio['name']}: {portfolio['rows']:,} customers, "
            f"fingerprint {portfolio['fingerprint']}"
        ),
    )
    row = 4
    for scenario in data["scenarios"]:
        put(ws, row, 1, scenario["label"]).font = bold
        put(ws, row, 2, scenario["name"])
        put(ws, row, 3, scenario["scheme"])
        put(ws, row, 4, scenario["path"] or "")
        row += 1
    row += 1
    table_top = row
    columns = [
        "scenario",
        "tier",
        "customers",
        "share",
        "AUM (CNY)",
        "AUM share",
        "benefit cost (CNY)",
        "Δ customers vs A",
        "Δ AUM vs A",
        "Δ benefit cost vs A",
    ]
    header(ws, row, columns)
    formats = [None, None, integer, share, money, share, money, signed, signed, signed]
    for scenario in data["scenarios"]:
        for tier in reversed(scenario["tiers"]):
            row += 1
            values = [
                scenario["label"],
                tier["name"][lang],
                tier["customers"],
                tier["share"],
                tier["aum"],
                tier["aum_share"],
                tier["benefit_cost"],
                tier.get("delta_customers"),
                tier.get("delta_aum"),
                tier.get("delta_benefit_cost"),
            ]
            for col, (value, number_format) in enumerate(zip(values, formats, strict=True), start=1):
                gone = tier.get("suppressed") and col in (5, 6, 7, 9, 10)
                cell = put(ws, row, col, suppressed if gone else value)
                if number_format and not gone:
                    cell.number_format = number_format
        row += 1
        put(ws, row, 1, scenario["label"]).font = bold
        put(ws, row, 2, label("total", lang)).font = bold
        for col, value, number_format in (
            (3, scenario["customers"], integer),
            (5, scenario["aum"], money),
            (7, scenario["total_benefit_cost"], money),
            (10, scenario.get("delta_total_benefit_cost"), signed),
        ):
            cell = put(ws, row, col, value)
            cell.number_format = number_format
            cell.font = bold
    ws.freeze_panes = ws.cell(row=table_top + 1, column=1)
    row += 2
    put(ws, row, 1, "What differs").font = bold
    for diff in data["differences"]:
        row += 1
        put(ws, row, 1, diff["key"])
        put(ws, row, 2, " -> ".join(str(v) for v in diff["values"]))
    widths(ws, {1: 12, 2: 30, 3: 14, 4: 10, 5: 18, 6: 10, 7: 18, 8: 16, 9: 18, 10: 20})

    for (tag, name), run, hide in zip(letters(runs), runs, hidden, strict=True):
        ws = wb.create_sheet(sheet_name(f"{tag} {name}", wb.sheetnames))
        put(ws, 1, 1, f"{tag}: {name}")
        ws.cell(row=1, column=1).font = Font(bold=True, size=13)
        put(ws, 2, 1, f"Scheme {run.scheme.id}; baseline for deltas: A")
        header(
            ws,
            4,
            [
                "tier",
                "customers",
                "share",
                "AUM (CNY)",
                "AUM share",
                "benefit cost (CNY)",
                "cost per customer",
                "cost bp of AUM",
            ],
        )
        for i, r in enumerate(reversed(run.result.rows()), start=5):
            values = [
                run.result.tier_label(r.index, lang),
                r.customers,
                r.share,
                r.aum,
                r.aum_share,
                r.benefit_cost,
                r.cost_per_customer,
                r.cost_bp,
            ]
            for col, (value, number_format) in enumerate(
                zip(values, [None, integer, share, money, share, money, "#,##0.00", "0.00"], strict=True),
                start=1,
            ):
                gone = bool(hide[r.index]) and col >= 4
                cell = put(ws, i, col, suppressed if gone else value)
                if number_format and not gone:
                    cell.number_format = number_format
        ws.freeze_panes = "A5"
        top = 6 + len(run.scheme.tiers)
        header(ws, top, ["tier", "benefit", "driver", "assumption", "source", "cost a year (CNY)"])
        for i, line in enumerate(
            sorted(run.result.cost_lines, key=lambda c: (-run.scheme.tier_index(c.assumption.tier), -c.cost)),
            start=top + 1,
        ):
            a = line.assumption
            edited = [k for k, s in a.sources.items() if s == "scenario"]
            values = [
                run.scheme.tier(a.tier).name.get(lang),
                run.scheme.benefit(a.benefit).name.get(lang),
                run.result.drivers[a.driver].name.get(lang),
                a.explain(run.result.drivers, lang),
                "scenario: " + ", ".join(edited) if edited else "default",
                suppressed if hide[run.scheme.tier_index(a.tier)] else line.cost,
            ]
            for col, value in enumerate(values, start=1):
                cell = put(ws, i, col, value)
            cell.number_format = money
        settings_top = top + len(run.result.cost_lines) + 3
        put(ws, settings_top, 1, "Settings").font = bold
        for i, (key, value) in enumerate(
            [*run.result.params.items(), *run.result.options.items()], start=settings_top + 1
        ):
            put(ws, i, 1, key)
            put(ws, i, 2, value)
        widths(ws, {1: 24, 2: 46, 3: 18, 4: 30, 5: 22, 6: 18, 7: 16, 8: 14})

    for (tag, _), run in zip(letters(runs)[1:], runs[1:], strict=True):
        if run.comparison is None:
            continue
        ws = wb.create_sheet(sheet_name(f"Migration {tag} vs A", wb.sheetnames))
        comparison = run.comparison
        base, res = comparison.baseline.scheme, comparison.result.scheme
        for top, title, matrix, number_format in (
            (
                1,
                f"Customers from A's tier (rows) to {tag}'s tier (columns)",
                comparison.migration_customers,
                integer,
            ),
            (len(base.tiers) + 5, "AUM (CNY) moving", comparison.migration_aum, money),
        ):
            put(ws, top, 1, title).font = bold
            header(ws, top + 1, ["A \\ " + tag, *(t.name.get(lang) for t in reversed(res.tiers))])
            cells = (
                disclosure.hidden_cells(comparison.migration_customers, min_cell)
                if min_cell and number_format == money
                else np.zeros(matrix.shape, dtype=bool)
            )
            # highest tier first both ways, as on the summary sheet
            for r, i in enumerate(range(len(base.tiers) - 1, -1, -1)):
                put(ws, top + 2 + r, 1, base.tiers[i].name.get(lang)).font = bold
                for c, j in enumerate(range(len(res.tiers) - 1, -1, -1)):
                    value = suppressed if cells[i, j] else float(matrix[i, j])
                    put(ws, top + 2 + r, 2 + c, value).number_format = number_format
        ws.freeze_panes = "B3"
        widths(ws, {c: 16 for c in range(1, len(res.tiers) + 2)})

    if per_customer is not None:
        if len(per_customer) >= EXCEL_MAX_ROWS - 2:
            raise WorkbenchError(
                f"{path}: {len(per_customer):,} customers move, more than an Excel sheet holds "
                f"({EXCEL_MAX_ROWS:,} rows); write each scenario's tiers with `workbench classify` instead"
            )
        ws = wb.create_sheet(sheet_name("Customers who move", wb.sheetnames))
        put(ws, 1, 1, f"{len(per_customer):,} customers whose tier differs from A's, largest AUM first")
        ws.cell(row=1, column=1).font = bold
        header(ws, 2, [str(c) for c in per_customer.columns])
        for sheet_row, record in enumerate(per_customer.itertuples(index=False), start=3):
            put_row(ws, sheet_row, list(record))
        for cell in ws["B"][2:]:
            cell.number_format = money
        ws.freeze_panes = "B3"
        widths(ws, {c: 18 for c in range(1, len(per_customer.columns) + 1)})

    with atomic_path(path) as tmp:
        wb.save(tmp)


# -- HTML -------------------------------------------------------------------------


def html(runs: Sequence[Run], path: Path, options: ReportOptions) -> None:
    atomic_write_text(path, html_report(runs, options.lang, options.min_cell))


def html_report(runs: Sequence[Run], lang: Lang = "en", min_cell: int | None = None) -> str:
    """One self-contained HTML page: tables and charts (images inlined)."""
    portfolio = runs[0].portfolio
    tags = letters(runs)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="' + ("zh" if lang == "zh" else "en") + '"><head><meta charset="utf-8">',
        "<title>Scenario comparison</title>",
        f"<style>{STYLE}</style></head><body>",
        "<h1>Scenario comparison</h1>",
        f"<p>Portfolio <b>{htmlmod.escape(portfolio.name)}</b>: {fmt.number(portfolio.rows)} customers, "
        f"fingerprint <code>{portfolio.fingerprint()}</code>. Every figure is on this portfolio; changes are "
        "against A.</p>",
        "<ul>",
    ]
    for (tag, name), run in zip(tags, runs, strict=True):
        notes = htmlmod.escape(run.scenario.notes.strip())
        parts.append(
            f"<li><b>{tag}</b>: {htmlmod.escape(name)} <span class='muted'>({run.scheme.id})</span>"
            + (f"<br><span class='muted'>{notes}</span>" if notes else "")
            + "</li>"
        )
    parts += [
        "</ul>",
        "<h2>Tiers by scenario</h2>",
        html_table(side_by_side(runs, lang, min_cell)),
        "<h2>What differs</h2>",
    ]
    diffs = differences(runs)
    parts.append(
        "<ul>"
        + "".join(
            f"<li><code>{htmlmod.escape(d.key)}</code>: {htmlmod.escape(d.describe().split(': ', 1)[1])}</li>"
            for d in diffs
        )
        + "</ul>"
        if diffs
        else "<p>Nothing: the scenarios have the same settings.</p>"
    )
    parts += [
        "<h2>Benefit cost</h2>",
        html_image(
            charts.costs_by_scenario(runs, [t for t, _ in tags], hidden_in(runs, min_cell)),
            "benefit cost by tier and scenario",
        ),
    ]
    parts.append("<h2>Customer pyramid</h2>")
    for (tag, name), run in zip(tags, runs, strict=True):
        hide = hidden_in(runs, min_cell)[runs.index(run)]
        parts.append(html_image(charts.pyramid(run, f"{tag}: {name}", hide), f"pyramid of {tag}"))
    for (tag, _), run in zip(tags[1:], runs[1:], strict=True):
        if run.comparison is None:
            continue
        parts.append(
            f"<h2>Migration: {tag} against A ({fmt.number(run.comparison.moved)} customers move)</h2>"
        )
        parts.append(html_table(migration_table(run.comparison, lang)))
    for (tag, _), run in zip(tags, runs, strict=True):
        parts.append(f"<h2>{tag}: benefit costs and their assumptions</h2>")
        hide = hidden_in(runs, min_cell)[runs.index(run)]
        parts.append(
            html_table(cost_table(run.result, lang, hidden=hide, mark=disclosure.mark(min_cell or 0)))
        )
    parts.append("<p class='muted'>Written by the Tiering Workbench.</p></body></html>")
    return "\n".join(parts)
