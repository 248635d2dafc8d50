"""Native Excel charts for report workbooks: drawn by Excel from the workbook's own cells,
in Excel's fonts (Chinese included), and following the figures if a planner edits them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from workbench.files.spreadsheets import put
from workbench.planning.runs import Run
from workbench.present.words import word
from workbench.reports.markup import sheet_name
from workbench.text import Lang


def cost_chart_sheet(
    wb: Any,
    runs: Sequence[Run],
    labels: Sequence[str],
    hidden: Sequence[np.ndarray],
    lang: Lang,
    min_cell: int,
) -> None:
    """A sheet with benefit cost per tier (rows) by scenario (columns) and a stacked bar
    chart of it; tiers a scenario must not show alone (too few customers) are one row
    together, as in the HTML chart. Scenarios of another scheme than A's are left blank."""
    from openpyxl.chart import BarChart, Reference
    from openpyxl.styles import Font

    ws = wb.create_sheet(sheet_name(word("report.sheet_chart", lang), wb.sheetnames))
    scheme = runs[0].scheme
    put(ws, 1, 1, word("report.chart_cost", lang)).font = Font(bold=True, size=13)
    put(ws, 3, 1, word("report.col_tier", lang)).font = Font(bold=True)
    for col, tag in enumerate(labels, start=2):
        put(ws, 3, col, tag).font = Font(bold=True)
    row = 4
    for index in range(len(scheme.tiers) - 1, -1, -1):
        put(ws, row, 1, scheme.tiers[index].name.get(lang))
        for col, (run, hide) in enumerate(zip(runs, hidden, strict=True), start=2):
            if run.scheme.id == scheme.id and not hide[index]:
                put(ws, row, col, round(float(run.result.cost_by_tier[index]), 2)).number_format = "#,##0"
        row += 1
    pooled = [
        float(run.result.cost_by_tier[hide].sum()) if run.scheme.id == scheme.id else 0.0
        for run, hide in zip(runs, hidden, strict=True)
    ]
    if any(pooled):
        put(ws, row, 1, word("report.chart_hidden", lang, count=min_cell))
        for col, value in enumerate(pooled, start=2):
            put(ws, row, col, round(value, 2)).number_format = "#,##0"
        row += 1
    chart = BarChart()
    chart.type, chart.grouping, chart.overlap = "col", "stacked", 100
    chart.title = word("report.chart_cost", lang)
    chart.y_axis.number_format = "#,##0"
    chart.x_axis.delete = chart.y_axis.delete = False
    data = Reference(ws, min_col=1, max_col=len(labels) + 1, min_row=4, max_row=row - 1)
    chart.add_data(data, from_rows=True, titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=2, max_col=len(labels) + 1, min_row=3))
    chart.height, chart.width = 10, 18
    ws.add_chart(chart, f"A{row + 2}")
    ws.column_dimensions["A"].width = 24
