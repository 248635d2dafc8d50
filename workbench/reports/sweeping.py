"""Sweep reports: the table of `workbench sweep`, its chart, in several file types."""

from __future__ import annotations

import html as htmlmod
from pathlib import Path

import pandas as pd

from workbench.files.atomic import atomic_path, atomic_write_text
from workbench.files.spreadsheets import csv_safe, put
from workbench.planning.sweep import Sweep
from workbench.present.shapes import localized_rows, sweep_headers_zh, sweep_json, sweep_rows, to_json
from workbench.present.sweeping import sentence, sweep_table, value_text
from workbench.present.words import word
from workbench.reports import charts
from workbench.reports.markup import STYLE, html_svg, html_table, markdown_table, md_text, sheet_name
from workbench.reports.options import ReportOptions
from workbench.text import Lang


def text_report(sweep: Sweep, lang: Lang = "en", min_cell: int | None = None) -> str:
    return sweep_table(sweep, lang, min_cell).render() + "\n\n" + sentence(sweep, lang)


def text(sweep: Sweep, path: Path, options: ReportOptions) -> None:
    lang, min_cell = options.lang, options.min_cell
    atomic_write_text(path, text_report(sweep, lang, min_cell) + "\n")


def json_text(sweep: Sweep, path: Path, options: ReportOptions) -> None:
    min_cell = options.min_cell
    atomic_write_text(path, to_json(sweep_json(sweep, min_cell)) + "\n")


def csv(sweep: Sweep, path: Path, options: ReportOptions) -> None:
    rows = localized_rows(sweep_rows(sweep, options.min_cell), options.lang, sweep_headers_zh(sweep))
    with atomic_path(path) as tmp:
        csv_safe(pd.DataFrame(rows)).to_csv(tmp, index=False, encoding="utf-8-sig")


def _title(sweep: Sweep, lang: Lang) -> str:
    return word("report.sweep", lang, param=sweep.parameter.name.get(lang))


def _line(sweep: Sweep, lang: Lang) -> str:
    current = value_text(sweep.parameter, sweep.current, lang)
    return word("report.sweep_line", lang, scheme=sweep.scheme.name.get(lang), value=current)


def markdown(sweep: Sweep, path: Path, options: ReportOptions) -> None:
    lang, min_cell = options.lang, options.min_cell
    table = sweep_table(sweep, lang, min_cell)
    text = (
        f"# {md_text(_title(sweep, lang))}\n\n{md_text(_line(sweep, lang))}\n\n"
        + markdown_table(table.headers, table.rows, table.align)
        + f"\n\n{md_text(sentence(sweep, lang))}\n"
    )
    atomic_write_text(path, text)


def png(sweep: Sweep, path: Path, options: ReportOptions) -> None:
    with atomic_path(path) as tmp:
        tmp.write_bytes(charts.sweep(sweep, options.min_cell, options.lang, "png"))


def html(sweep: Sweep, path: Path, options: ReportOptions) -> None:
    lang, min_cell = options.lang, options.min_cell
    esc = htmlmod.escape
    chart = charts.sweep(sweep, min_cell, lang, "svg")
    page = "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="' + ("zh-CN" if lang == "zh" else "en") + '"><head><meta charset="utf-8">',
            f"<title>{esc(_title(sweep, lang))}</title>",
            f"<style>{STYLE}</style></head><body>",
            f"<h1>{esc(_title(sweep, lang))}</h1>",
            f"<p>{esc(_line(sweep, lang))} {esc(sentence(sweep, lang))}</p>",
            html_svg(chart, _title(sweep, lang)),
            html_table(sweep_table(sweep, lang, min_cell)),
            f"<p class='muted'>{esc(word('report.written_by', lang))}</p></body></html>",
        ]
    )
    atomic_write_text(path, page)


def excel(sweep: Sweep, path: Path, options: ReportOptions) -> None:
    lang, min_cell = options.lang, options.min_cell
    from openpyxl import Workbook
    from openpyxl.chart import Reference, ScatterChart, Series
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = sheet_name(word("report.sheet_sweep", lang), [])
    put(ws, 1, 1, _title(sweep, lang)).font = Font(bold=True, size=13)
    put(ws, 2, 1, _line(sweep, lang))
    put(ws, 3, 1, sentence(sweep, lang))
    data = localized_rows(sweep_rows(sweep, min_cell), lang, sweep_headers_zh(sweep))
    headers = list(data[0])
    for col, name in enumerate(headers, start=1):
        put(ws, 5, col, name).font = Font(bold=True)
    for r, row in enumerate(data, start=6):
        for col, name in enumerate(headers, start=1):
            cell = put(ws, r, col, row[name])
            if isinstance(row[name], int | float) and not isinstance(row[name], bool):
                cell.number_format = "#,##0.##" if col == 1 else "#,##0"
    ws.freeze_panes = "B6"
    # A native Excel chart of the table's own cells: Excel draws its text in its own fonts
    # (Chinese included), and it follows the figures if a planner edits them.
    last = 5 + len(data)
    chart = ScatterChart()
    chart.title = _title(sweep, lang)
    chart.style = 13
    chart.x_axis.title = sweep.parameter.name.get(lang)
    chart.y_axis.title = word("report.chart_sweep_y", lang)
    chart.x_axis.number_format = chart.y_axis.number_format = "#,##0"
    chart.x_axis.delete = chart.y_axis.delete = False
    xs = Reference(ws, min_col=1, min_row=6, max_row=last)
    ys = Reference(ws, min_col=len(headers), min_row=5, max_row=last)
    series = Series(ys, xs, title_from_data=True)
    series.marker.symbol = "circle"
    chart.series.append(series)
    chart.height, chart.width = 9, 18
    sheet = wb.create_sheet(sheet_name(word("report.sheet_chart", lang), wb.sheetnames))
    sheet.add_chart(chart, "A1")
    with atomic_path(path) as tmp:
        wb.save(tmp)
