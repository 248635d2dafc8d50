"""Replay reports: the months and quarter tables of `workbench replay`, with a chart of
tier counts over time (SVG in HTML, a native chart in Excel)."""

from __future__ import annotations

import html as htmlmod
from pathlib import Path

from matplotlib.figure import Figure

from workbench.core.replay import Replay
from workbench.files.atomic import atomic_path, atomic_write_text
from workbench.files.spreadsheets import put
from workbench.present.replaying import months_table, quarters_table
from workbench.present.words import word
from workbench.reports.charts import PALETTE, _quiet, _render, chart_lang
from workbench.reports.markup import STYLE, html_svg, html_table, sheet_name
from workbench.text import Lang

REPLAY_FORMATS = (".xlsx", ".html")


def _title(r: Replay, lang: Lang) -> str:
    first, last = r.months[0].month, r.months[-1].month
    return word("report.replay_title", lang, scheme=r.scheme.name.get(lang), first=first, last=last)


def _policy(r: Replay) -> str:
    return ", ".join(
        f"{k}={','.join(map(str, v)) if isinstance(v, list) else v}" for k, v in r.policy.as_dict().items()
    )


def chart(r: Replay, lang: Lang = "en") -> bytes:
    """Customers holding each tier above the lowest, month by month (SVG)."""
    lang = chart_lang(lang, "svg")
    fig = Figure(figsize=(8, 4))
    ax = fig.subplots()
    months = [m.month for m in r.months]
    for index, tier in enumerate(r.scheme.tiers[1:], start=1):
        ax.plot(months, [int(m.counts[index]) for m in r.months], marker="o", markersize=3,
                label=tier.name.get(lang), color=PALETTE[index % len(PALETTE)])  # fmt: skip
    ax.set_ylabel(word("customers", lang))
    ax.tick_params(axis="x", labelrotation=45, labelsize=8)
    ax.legend(fontsize=8, frameon=False, ncol=2)
    ax.set_title(word("report.replay_chart", lang), fontsize=10)
    _quiet(ax)
    fig.tight_layout()
    return _render(fig, "svg")


def write_replay(r: Replay, path: Path, lang: Lang = "en") -> Path:
    """The replay report at ``path`` (``.xlsx`` or ``.html``), atomically."""
    if path.suffix.lower() == ".html":
        _html(r, path, lang)
    else:
        _excel(r, path, lang)
    return path


def _html(r: Replay, path: Path, lang: Lang) -> None:
    esc = htmlmod.escape
    page = "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="' + ("zh-CN" if lang == "zh" else "en") + '"><head><meta charset="utf-8">',
            f"<title>{esc(_title(r, lang))}</title>",
            f"<style>{STYLE}</style></head><body>",
            f"<h1>{esc(_title(r, lang))}</h1>",
            f"<p>{esc(word('report.replay_policy', lang))}: {esc(_policy(r))}</p>",
            html_svg(chart(r, lang), word("report.replay_chart", lang)),
            html_table(months_table(r, lang)),
            html_table(quarters_table(r, lang)) if r.quarters else "",
            f"<p class='muted'>{esc(word('report.written_by', lang))}</p></body></html>",
        ]
    )
    atomic_write_text(path, page)


def _excel(r: Replay, path: Path, lang: Lang) -> None:
    from openpyxl import Workbook
    from openpyxl.chart import LineChart, Reference
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = sheet_name(word("report.sheet_months", lang), [])
    put(ws, 1, 1, _title(r, lang)).font = Font(bold=True, size=13)
    put(ws, 2, 1, f"{word('report.replay_policy', lang)}: {_policy(r)}")
    tiers = list(r.scheme.tiers)
    headers = [
        word("month", lang), *(t.name.get(lang) for t in tiers), word("upgrades", lang),
        word("downgrades", lang), word("joined", lang), word("left", lang), word("month_cost", lang),
    ]  # fmt: skip
    for col, name in enumerate(headers, start=1):
        put(ws, 4, col, name).font = Font(bold=True)
    for row, m in enumerate(r.months, start=5):
        values = [m.month, *(int(c) for c in m.counts), m.upgrades, m.downgrades, m.joined, m.left]
        values.append(round(float(m.cost.sum()), 2))
        for col, value in enumerate(values, start=1):
            cell = put(ws, row, col, value)
            if col > 1:
                cell.number_format = "#,##0" if col < len(values) else "#,##0.00"
    ws.freeze_panes = "B5"
    if r.quarters:
        qs = wb.create_sheet(sheet_name(word("report.sheet_quarters", lang), wb.sheetnames))
        table = quarters_table(r, lang)
        for col, name in enumerate(table.headers, start=1):
            put(qs, 1, col, name).font = Font(bold=True)
        for row, cells in enumerate(table.rows, start=2):
            for col, value in enumerate(cells, start=1):
                put(qs, row, col, value)
    # A native chart over the sheet's own cells: the tiers above the lowest, month by month.
    last = 4 + len(r.months)
    line = LineChart()
    line.title = word("report.replay_chart", lang)
    line.y_axis.title = word("customers", lang)
    line.x_axis.delete = line.y_axis.delete = False
    line.add_data(
        Reference(ws, min_col=3, max_col=1 + len(tiers), min_row=4, max_row=last), titles_from_data=True
    )
    line.set_categories(Reference(ws, min_col=1, min_row=5, max_row=last))
    line.height, line.width = 9, 18
    sheet = wb.create_sheet(sheet_name(word("report.sheet_chart", lang), wb.sheetnames))
    sheet.add_chart(line, "A1")
    with atomic_path(path) as tmp:
        wb.save(tmp)
