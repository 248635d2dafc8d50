"""Sweep reports: the table of `workbench sweep`, its chart, in several file types."""

from __future__ import annotations

import base64
import html as htmlmod
import json
from io import BytesIO
from pathlib import Path

import pandas as pd

from workbench import fmt
from workbench.files.atomic import atomic_path, atomic_write_text
from workbench.planning.sweep import Sweep
from workbench.present.shapes import sweep_json, sweep_rows
from workbench.present.sweeping import sentence, sweep_table
from workbench.reports import charts
from workbench.reports.markup import STYLE, html_table, markdown_table
from workbench.text import Lang


def text_report(sweep: Sweep, lang: Lang = "en") -> str:
    return sweep_table(sweep, lang).render() + "\n\n" + sentence(sweep)


def text(sweep: Sweep, path: Path, lang: Lang) -> None:
    atomic_write_text(path, text_report(sweep, lang) + "\n")


def json_text(sweep: Sweep, path: Path, lang: Lang) -> None:
    atomic_write_text(path, json.dumps(sweep_json(sweep), ensure_ascii=False, indent=2) + "\n")


def csv(sweep: Sweep, path: Path, lang: Lang) -> None:
    with atomic_path(path) as tmp:
        pd.DataFrame(sweep_rows(sweep)).to_csv(tmp, index=False, encoding="utf-8-sig")


def markdown(sweep: Sweep, path: Path, lang: Lang) -> None:
    table = sweep_table(sweep, lang)
    text = (
        f"# Sweep of `{sweep.parameter.id}`\n\n{sweep.scheme.name.get(lang)}; current value "
        f"{fmt.trimmed(sweep.current)} {sweep.parameter.unit}.\n\n"
        + markdown_table(table.headers, table.rows, table.align)
        + f"\n\n{sentence(sweep)}\n"
    )
    atomic_write_text(path, text)


def png(sweep: Sweep, path: Path, lang: Lang) -> None:
    with atomic_path(path) as tmp:
        tmp.write_bytes(charts.sweep(sweep))


def html(sweep: Sweep, path: Path, lang: Lang) -> None:
    image = base64.b64encode(charts.sweep(sweep)).decode()
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
            html_table(sweep_table(sweep, lang)),
            "<p class='muted'>Written by the Tiering Workbench.</p></body></html>",
        ]
    )
    atomic_write_text(path, page)


def excel(sweep: Sweep, path: Path, lang: Lang) -> None:
    from openpyxl import Workbook
    from openpyxl.drawing.image import Image
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "Sweep"
    ws["A1"] = f"Sweep of {sweep.parameter.id} ({sweep.parameter.unit}), {sweep.scheme.id}"
    ws["A1"].font = Font(bold=True, size=13)
    ws["A2"] = sentence(sweep)
    data = sweep_rows(sweep)
    headers = list(data[0])
    for col, name in enumerate(headers, start=1):
        ws.cell(row=4, column=col, value=name).font = Font(bold=True)
    for r, row in enumerate(data, start=5):
        for col, name in enumerate(headers, start=1):
            cell = ws.cell(row=r, column=col, value=row[name])
            if isinstance(row[name], int | float) and not isinstance(row[name], bool):
                cell.number_format = "#,##0.##" if col == 1 else "#,##0"
    ws.freeze_panes = "B5"
    chart = wb.create_sheet("Chart")
    chart.add_image(Image(BytesIO(charts.sweep(sweep))), "A1")
    with atomic_path(path) as tmp:
        wb.save(tmp)
