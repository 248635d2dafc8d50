"""Sweep reports: the table of `workbench sweep`, its chart, in several file types."""

from __future__ import annotations

import base64
import html as htmlmod
import json
from io import BytesIO
from pathlib import Path

import pandas as pd

from workbench import fmt
from workbench.atomic import atomic_path, atomic_write_text
from workbench.reports import charts
from workbench.reports.markup import STYLE, html_table, markdown_table
from workbench.sweep import Sweep
from workbench.text import Lang


def text_report(sweep: Sweep, lang: Lang = "en") -> str:
    return sweep.table(lang).render() + "\n\n" + sweep.sentence()


def rows(sweep: Sweep) -> list[dict]:
    """One flat row per swept value."""
    out = []
    tiers = sweep.scheme.tiers
    for p in sweep.points:
        row: dict = {sweep.parameter.id: p.value, "valid": p.error is None, "error": p.error or ""}
        for i, t in enumerate(tiers):
            row[f"customers_{t.id}"] = int(p.counts[i]) if p.error is None else None
        for i, t in enumerate(tiers):
            row[f"aum_{t.id}"] = round(float(p.aum[i]), 2) if p.error is None else None
        for i, t in enumerate(tiers):
            row[f"benefit_cost_{t.id}"] = round(float(p.cost_by_tier[i]), 2) if p.error is None else None
        row["total_benefit_cost"] = round(p.total_cost, 2) if p.error is None else None
        out.append(row)
    return out


def text(sweep: Sweep, path: Path, lang: Lang) -> None:
    atomic_write_text(path, text_report(sweep, lang) + "\n")


def json_text(sweep: Sweep, path: Path, lang: Lang) -> None:
    atomic_write_text(path, json.dumps(sweep.to_dict(), ensure_ascii=False, indent=2) + "\n")


def csv(sweep: Sweep, path: Path, lang: Lang) -> None:
    with atomic_path(path) as tmp:
        pd.DataFrame(rows(sweep)).to_csv(tmp, index=False, encoding="utf-8-sig")


def markdown(sweep: Sweep, path: Path, lang: Lang) -> None:
    table = sweep.table(lang)
    text = (
        f"# Sweep of `{sweep.parameter.id}`\n\n{sweep.scheme.name.get(lang)}; current value "
        f"{fmt.trimmed(sweep.current)} {sweep.parameter.unit}.\n\n"
        + markdown_table(table.headers, table.rows, table.align)
        + f"\n\n{sweep.sentence()}\n"
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
            f"{htmlmod.escape(sweep.parameter.unit)}. {htmlmod.escape(sweep.sentence())}</p>",
            f'<img alt="sweep chart" src="data:image/png;base64,{image}">',
            html_table(sweep.table(lang)),
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
    ws["A2"] = sweep.sentence()
    data = rows(sweep)
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
