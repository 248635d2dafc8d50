"""Sweep reports: the table of `workbench sweep`, its chart, in several file types."""

from __future__ import annotations

import base64
import html as htmlmod
from io import BytesIO
from pathlib import Path

import pandas as pd

from workbench import fmt
from workbench.files.atomic import atomic_path, atomic_write_text
from workbench.files.spreadsheets import csv_safe, put
from workbench.planning.sweep import Sweep
from workbench.present.shapes import sweep_json, sweep_rows, to_json
from workbench.present.sweeping import sentence, sweep_table
from workbench.reports import charts
from workbench.reports.markup import STYLE, html_table, markdown_table
from workbench.reports.options import ReportOptions
from workbench.text import Lang


def text_report(sweep: Sweep, lang: Lang = "en", min_cell: int | None = None) -> str:
    return sweep_table(sweep, lang, min_cell).render() + "\n\n" + sentence(sweep)


def text(sweep: Sweep, path: Path, options: ReportOptions) -> None:
    lang, min_cell = options.lang, options.min_cell
    atomic_write_text(path, text_report(sweep, lang, min_cell) + "\n")


def json_text(sweep: Sweep, path: Path, options: ReportOptions) -> None:
    min_cell = options.min_cell
    atomic_write_text(path, to_json(sweep_json(sweep, min_cell)) + "\n")


def csv(sweep: Sweep, path: Path, options: ReportOptions) -> None:
    min_cell = options.min_cell
    with atomic_path(path) as tmp:
        csv_safe(pd.DataFrame(sweep_rows(sweep, min_cell))).to_csv(tmp, index=False, encoding="utf-8-sig")


def markdown(sweep: Sweep, path: Path, options: ReportOptions) -> None:
    lang, min_cell = options.lang, options.min_cell
    table = sweep_table(sweep, lang, min_cell)
    text = (
        f"# Sweep of `{sweep.parameter.id}`\n\n{sweep.scheme.name.get(lang)}; current value "
        f"{fmt.trimmed(sweep.current)} {sweep.parameter.unit}.\n\n"
        + markdown_table(table.headers, table.rows, table.align)
        + f"\n\n{sentence(sweep)}\n"
    )
    atomic_write_text(path, text)


def png(sweep: Sweep, path: Path, options: ReportOptions) -> None:
    min_cell = options.min_cell
    with atomic_path(path) as tmp:
        tmp.write_bytes(charts.sweep(sweep, min_cell))


def html(sweep: Sweep, path: Path, options: ReportOptions) -> None:
    lang, min_cell = options.lang, options.min_cell
    image = base64.b64encode(charts.sweep(sweep, min_cell)).decode()
    page = "\n".join(
        [
            "<!DOCTYPE html>",
            '<html><head><meta charset="utf-8">',
            f"<title>Sweep of {htmlmod.escape(sweep.parameter.id)}</title>",
            f"<style>{STYLE}</style></head><body>",
            f"<h1>Sweep of <code>{htmlmod.escape(sweep.parameter.id)}</code></h1>",
            f"<p>{htmlmod.escape(sweep.scheme.name.get(lang))}; current value {fmt.trimmed(sweep.current)} "
            f"{htmlmod.escape(sweep.parameter.unit)}. {htmlmod.escape(sentence(sweep))}</p>",
            f'<img alt="sweep chart" src="data:image/png;base64,{image}">',
            html_table(sweep_table(sweep, lang, min_cell)),
            "<p class='muted'>Written by the Tiering Workbench.</p></body></html>",
        ]
    )
    atomic_write_text(path, page)


def excel(sweep: Sweep, path: Path, options: ReportOptions) -> None:
    min_cell = options.min_cell
    from openpyxl import Workbook
    from openpyxl.drawing.image import Image
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "Sweep"
    put(ws, 1, 1, f"Sweep of {sweep.parameter.id} ({sweep.parameter.unit}), {sweep.scheme.id}")
    ws.cell(row=1, column=1).font = Font(bold=True, size=13)
    put(ws, 2, 1, sentence(sweep))
    data = sweep_rows(sweep, min_cell)
    headers = list(data[0])
    for col, name in enumerate(headers, start=1):
        put(ws, 4, col, name).font = Font(bold=True)
    for r, row in enumerate(data, start=5):
        for col, name in enumerate(headers, start=1):
            cell = put(ws, r, col, row[name])
            if isinstance(row[name], int | float) and not isinstance(row[name], bool):
                cell.number_format = "#,##0.##" if col == 1 else "#,##0"
    ws.freeze_panes = "B5"
    chart = wb.create_sheet("Chart")
    chart.add_image(Image(BytesIO(charts.sweep(sweep, min_cell))), "A1")
    with atomic_path(path) as tmp:
        wb.save(tmp)
