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
from workbench.present.shapes import comparison_json, comparison_rows, hidden_in, localized_rows, to_json
from workbench.present.tables import Table
from workbench.present.tiers import cost_table, migration_table
from workbench.present.words import label, word
from workbench.reports import charts
from workbench.reports.markup import STYLE, html_svg, html_table, markdown_table, md_text, sheet_name
from workbench.reports.options import ReportOptions
from workbench.reports.workbook_charts import cost_chart_sheet
from workbench.text import Lang


def _intro(runs: Sequence[Run], lang: Lang, min_cell: int | None) -> list[str]:
    """The lines every report opens with: the portfolio, the reference, suppression."""
    portfolio = runs[0].portfolio
    lines = [
        word(
            "report.portfolio",
            lang,
            name=portfolio.label(lang),
            rows=fmt.number(portfolio.rows),
            fingerprint=portfolio.fingerprint(),
        ),
        word("report.every_figure", lang),
    ]
    if min_cell and min_cell > 1:
        lines.append(word("report.min_cell", lang, count=min_cell, mark=disclosure.mark(min_cell)))
    return lines


def _scenario_line(run: Run, lang: Lang) -> str:
    """``name (scheme) · source`` for a scenario's entry in a report."""
    source = f" · {word('report.source', lang, source=run.scheme.source)}" if run.scheme.source else ""
    return f"{run.scheme.name.get(lang)} ({run.scheme.id}){source}"


def _migrations(runs: Sequence[Run], lang: Lang) -> list[tuple[str, str, Run, Table]]:
    """Each later scenario's letter, heading, run and migration table against A."""
    out = []
    for (tag, _), run in zip(letters(runs)[1:], runs[1:], strict=True):
        if run.comparison is not None:
            heading = word("report.migration", lang, tag=tag, moved=fmt.number(run.comparison.moved))
            out.append((tag, heading, run, migration_table(run.comparison, lang)))
    return out


def _differences(runs: Sequence[Run]) -> list[tuple[str, list[str]]]:
    return [(d.key, d.describe().split(": ", 1)[1].split(" -> ")) for d in differences(runs)]


def text_report(runs: Sequence[Run], lang: Lang = "en", min_cell: int | None = None) -> str:
    """The plain-text comparison printed by `workbench compare`."""
    parts = ["\n".join(_intro(runs, lang, min_cell))]
    parts.append("\n".join(f"{tag}: {name}" for tag, name in letters(runs)))
    parts.append(side_by_side(runs, lang, min_cell).render())
    diffs = _differences(runs)
    lines = [f"  {key}: " + " -> ".join(values) for key, values in diffs]
    parts.append(word("report.what_differs", lang) + ":\n" + ("\n".join(lines) or "  -"))
    for _, heading, _, table in _migrations(runs, lang):
        table.title = heading
        parts.append(table.render())
    return "\n\n".join(parts)


def text(runs: Sequence[Run], path: Path, options: ReportOptions) -> None:
    atomic_write_text(path, text_report(runs, options.lang, options.min_cell) + "\n")


def json_text(runs: Sequence[Run], path: Path, options: ReportOptions) -> None:
    atomic_write_text(path, to_json(comparison_json(runs, options.min_cell)) + "\n")


def csv(runs: Sequence[Run], path: Path, options: ReportOptions) -> None:
    rows = localized_rows(comparison_rows(runs, options.min_cell), options.lang)
    with atomic_path(path) as tmp:
        csv_safe(pd.DataFrame(rows)).to_csv(tmp, index=False, encoding="utf-8-sig")


def _table_md(table: Table) -> str:
    return markdown_table(table.headers, [*table.rows, *table.footer], table.align)


def markdown(runs: Sequence[Run], path: Path, options: ReportOptions) -> None:
    atomic_write_text(path, markdown_report(runs, options.lang, options.min_cell))


def markdown_report(runs: Sequence[Run], lang: Lang = "en", min_cell: int | None = None) -> str:
    out = [
        f"# {word('report.comparison', lang)}",
        "",
        *(md_text(line) + "  " for line in _intro(runs, lang, min_cell)),
    ]
    out.append("")
    for (tag, name), run in zip(letters(runs), runs, strict=True):
        notes = f" — {md_text(run.scenario.notes.strip())}" if run.scenario.notes.strip() else ""
        out.append(f"- **{tag}**: {md_text(name)} ({md_text(_scenario_line(run, lang))}){notes}")
    out += [
        "",
        f"## {word('report.tiers_by_scenario', lang)}",
        "",
        _table_md(side_by_side(runs, lang, min_cell)),
        "",
        f"## {word('report.what_differs', lang)}",
        "",
    ]
    diffs = _differences(runs)
    out += [f"- `{key}`: " + " → ".join(md_text(v) for v in values) for key, values in diffs] or [
        word("report.nothing_differs", lang)
    ]
    for _, heading, _, table in _migrations(runs, lang):
        out += ["", f"## {md_text(heading)}", "", _table_md(table)]
    return "\n".join(out) + "\n"


# -- Excel ----------------------------------------------------------------------


EXCEL_MAX_ROWS = 1_048_576
GOOD, BAD = "1B7F3B", "B00020"  # font colours of changes: good or bad for the bank


def excel(runs: Sequence[Run], path: Path, options: ReportOptions) -> None:
    """The workbook: a summary, a sheet per scenario and per migration, and (only when
    asked) the customers who move. Money built from fewer than ``min_cell`` customers
    is marked ``<10``, not shown. Amounts are numbers in CNY; changes are coloured by
    what they mean for the bank."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    lang, per_customer, min_cell = options.lang, options.per_customer, options.min_cell
    w = lambda key, **values: word(key, lang, **values)  # noqa: E731
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

    def change(cell: Any, value: object, higher_is_good: bool) -> None:
        if isinstance(value, int | float) and value:
            cell.font = Font(color=GOOD if (value > 0) == higher_is_good else BAD)

    wb = Workbook()
    ws = wb.active
    ws.title = sheet_name(w("report.sheet_summary"), [])
    put(ws, 1, 1, w("report.comparison")).font = Font(bold=True, size=14)
    row = 2
    for line in _intro(runs, lang, min_cell):
        put(ws, row, 1, line)
        row += 1
    row += 1
    for scenario, run in zip(data["scenarios"], runs, strict=True):
        put(ws, row, 1, scenario["label"]).font = bold
        put(ws, row, 2, scenario["name"])
        put(ws, row, 3, _scenario_line(run, lang))
        put(ws, row, 4, scenario["path"] or "")
        row += 1
    row += 1
    table_top = row
    keys = [
        "scenario",
        "tier",
        "customers",
        "share",
        "aum",
        "aum_share",
        "cost",
        "d_customers",
        "d_aum",
        "d_cost",
    ]
    header(ws, row, [w(f"report.col_{k}") for k in keys])
    formats = [None, None, integer, share, money, share, money, signed, signed, signed]
    good = {8: True, 9: True, 10: False}
    for scenario, run in zip(data["scenarios"], runs, strict=True):
        for tier in reversed(scenario["tiers"]):
            row += 1
            values = [
                scenario["label"],
                run.scheme.tier(tier["tier"]).name.get(lang),
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
                    if col in good:
                        change(cell, value, good[col])
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
            if col == 10:
                change(cell, value, False)
                cell.font = Font(bold=True, color=cell.font.color)
    ws.freeze_panes = ws.cell(row=table_top + 1, column=1)
    row += 2
    put(ws, row, 1, w("report.what_differs")).font = bold
    for key, values in _differences(runs):
        row += 1
        put(ws, row, 1, key)
        put(ws, row, 2, " -> ".join(values))
    widths(ws, {1: 12, 2: 30, 3: 14, 4: 10, 5: 18, 6: 10, 7: 18, 8: 16, 9: 18, 10: 20})

    for (tag, name), run, hide in zip(letters(runs), runs, hidden, strict=True):
        ws = wb.create_sheet(sheet_name(f"{tag} {name}", wb.sheetnames))
        put(ws, 1, 1, f"{tag}: {name}").font = Font(bold=True, size=13)
        put(ws, 2, 1, w("report.scheme_line", scheme=run.scheme.name.get(lang), id=run.scheme.id))
        if run.scheme.source:
            put(ws, 3, 1, w("report.source", source=run.scheme.source))
        columns = ["tier", "customers", "share", "aum", "aum_share", "cost", "per_customer", "bp"]
        header(ws, 4, [w(f"report.col_{k}") for k in columns])
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
        header(
            ws,
            top,
            [
                w(f"report.col_{k}")
                for k in ("tier", "benefit", "driver", "assumption", "source", "cost_year")
            ],
        )
        for i, cost_line in enumerate(
            sorted(run.result.cost_lines, key=lambda c: (-run.scheme.tier_index(c.assumption.tier), -c.cost)),
            start=top + 1,
        ):
            a = cost_line.assumption
            edited = [k for k, s in a.sources.items() if s == "scenario"]
            values = [
                run.scheme.tier(a.tier).name.get(lang),
                run.scheme.benefit(a.benefit).name.get(lang),
                run.result.drivers[a.driver].name.get(lang),
                a.explain(run.result.drivers, lang),
                w("report.edited", keys=", ".join(edited)) if edited else w("report.default"),
                suppressed if hide[run.scheme.tier_index(a.tier)] else cost_line.cost,
            ]
            for col, value in enumerate(values, start=1):
                cell = put(ws, i, col, value)
            cell.number_format = money
        settings_top = top + len(run.result.cost_lines) + 3
        put(ws, settings_top, 1, w("report.settings")).font = bold
        header(ws, settings_top + 1, [w("report.col_setting"), w("report.col_value")])
        for i, (key, value) in enumerate(
            [*run.result.params.items(), *run.result.options.items()], start=settings_top + 2
        ):
            put(ws, i, 1, key)
            put(ws, i, 2, value)
        widths(ws, {1: 24, 2: 46, 3: 18, 4: 30, 5: 22, 6: 18, 7: 16, 8: 14})

    for tag, heading, run, _ in _migrations(runs, lang):
        ws = wb.create_sheet(sheet_name(w("report.sheet_migration", tag=tag), wb.sheetnames))
        comparison = run.comparison
        assert comparison is not None
        base, res = comparison.baseline.scheme, comparison.result.scheme
        put(ws, 1, 1, heading).font = Font(bold=True, size=13)
        for top, title, matrix, number_format in (
            (3, w("report.migration_customers", tag=tag), comparison.migration_customers, integer),
            (len(base.tiers) + 7, w("report.migration_aum"), comparison.migration_aum, money),
        ):
            put(ws, top, 1, title).font = bold
            header(ws, top + 1, ["A \\ " + tag, *(t.name.get(lang) for t in reversed(res.tiers))])
            cells = (
                disclosure.hidden_cells(comparison.migration_customers, min_cell)
                if min_cell and number_format == money
                else np.zeros(matrix.shape, dtype=bool)
            )
            # highest tier first both ways, as on the summary sheet
            for down, i in enumerate(range(len(base.tiers) - 1, -1, -1)):
                put(ws, top + 2 + down, 1, base.tiers[i].name.get(lang)).font = bold
                for across, j in enumerate(range(len(res.tiers) - 1, -1, -1)):
                    value = suppressed if cells[i, j] else float(matrix[i, j])
                    put(ws, top + 2 + down, 2 + across, value).number_format = number_format
        ws.freeze_panes = "B5"
        widths(ws, {c: 16 for c in range(1, len(res.tiers) + 2)})

    cost_chart_sheet(wb, runs, [t for t, _ in letters(runs)], hidden, lang, min_cell or 0)

    if per_customer is not None:
        if len(per_customer) >= EXCEL_MAX_ROWS - 2:
            raise WorkbenchError(
                f"{path}: {len(per_customer):,} customers move, more than an Excel sheet holds "
                f"({EXCEL_MAX_ROWS:,} rows); write each scenario's tiers with `workbench classify` instead"
            )
        ws = wb.create_sheet(sheet_name(w("report.sheet_movers"), wb.sheetnames))
        put(ws, 1, 1, w("report.movers", count=fmt.number(len(per_customer)))).font = bold
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
    """One self-contained HTML page: tables and charts (SVG inlined, in the page's language)."""
    esc = htmlmod.escape
    tags = letters(runs)
    hidden = hidden_in(runs, min_cell)
    title = word("report.comparison", lang)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="' + ("zh-CN" if lang == "zh" else "en") + '"><head><meta charset="utf-8">',
        f"<title>{esc(title)}</title>",
        f"<style>{STYLE}</style></head><body>",
        f"<h1>{esc(title)}</h1>",
        *(f"<p>{esc(line)}</p>" for line in _intro(runs, lang, min_cell)),
        "<ul>",
    ]
    for (tag, name), run in zip(tags, runs, strict=True):
        notes = esc(run.scenario.notes.strip())
        parts.append(
            f"<li><b>{tag}</b>: {esc(name)} <span class='muted'>({esc(_scenario_line(run, lang))})</span>"
            + (f"<br><span class='muted'>{notes}</span>" if notes else "")
            + "</li>"
        )
    parts += [
        "</ul>",
        f"<h2>{esc(word('report.tiers_by_scenario', lang))}</h2>",
        html_table(side_by_side(runs, lang, min_cell)),
        f"<h2>{esc(word('report.what_differs', lang))}</h2>",
    ]
    diffs = _differences(runs)
    parts.append(
        "<ul>"
        + "".join(f"<li><code>{esc(key)}</code>: {esc(' → '.join(values))}</li>" for key, values in diffs)
        + "</ul>"
        if diffs
        else f"<p>{esc(word('report.nothing_differs', lang))}</p>"
    )
    cost_chart = charts.costs_by_scenario(runs, [t for t, _ in tags], hidden, lang, "svg", min_cell or 0)
    parts += [f"<h2>{esc(word('report.benefit_cost', lang))}</h2>", html_svg(cost_chart)]
    parts.append(f"<h2>{esc(word('report.pyramid', lang))}</h2>")
    for (tag, name), run, hide in zip(tags, runs, hidden, strict=True):
        parts.append(html_svg(charts.pyramid(run, f"{tag}: {name}", hide, lang, "svg")))
    for _, heading, _, table in _migrations(runs, lang):
        parts += [f"<h2>{esc(heading)}</h2>", html_table(table)]
    for (tag, _), run, hide in zip(tags, runs, hidden, strict=True):
        parts.append(f"<h2>{esc(word('report.costs_of', lang, tag=tag))}</h2>")
        parts.append(
            html_table(cost_table(run.result, lang, hidden=hide, mark=disclosure.mark(min_cell or 0)))
        )
    parts.append(f"<p class='muted'>{esc(word('report.written_by', lang))}</p></body></html>")
    return "\n".join(parts)
