"""Report charts drawn with matplotlib's object API (no global pyplot state), in the
report's language: SVG for HTML pages (text stays text, shown in the reader's own fonts,
Chinese included) and PNG for files and workbooks (Chinese needs a CJK font on this
machine: without one, PNG charts keep their English names rather than show boxes)."""

from __future__ import annotations

import io
import warnings
from collections.abc import Sequence
from functools import cache
from typing import Any, Literal, cast

import matplotlib as mpl
import numpy as np
from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, PercentFormatter

from workbench import fmt
from workbench.planning.runs import Run
from workbench.planning.sweep import Sweep
from workbench.present.words import word
from workbench.text import Lang

Kind = Literal["png", "svg"]
CUSTOMERS = "#2a9d8f"
AUM = "#c2185b"
PALETTE = ("#264653", "#2a9d8f", "#e9c46a", "#f4a261", "#e76f51", "#8d99ae", "#6d597a", "#b56576")
CJK_FONTS = (
    "Microsoft YaHei",
    "PingFang SC",
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Zen Hei",
    "SimHei",
    "Heiti SC",
)


@cache
def cjk_font() -> str | None:
    """A font on this machine that draws Chinese, if any."""
    installed = {f.name for f in font_manager.fontManager.ttflist}
    return next((name for name in CJK_FONTS if name in installed), None)


def chart_lang(lang: Lang, kind: Kind) -> Lang:
    """The language a chart can be drawn in: Chinese PNGs need a CJK font."""
    return "en" if lang == "zh" and kind == "png" and cjk_font() is None else lang


def _render(fig: Figure, kind: Kind) -> bytes:
    """The figure as PNG or SVG bytes; user text is never read as mathtext."""
    fonts = [f for f in (cjk_font(),) if f] + [*CJK_FONTS, "DejaVu Sans"]
    buffer = io.BytesIO()
    settings: dict[str, Any] = {"svg.fonttype": "none", "font.sans-serif": fonts, "text.parse_math": False}
    with mpl.rc_context(cast(Any, settings)), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # glyphs missing from the measuring font (SVG)
        canvas = FigureCanvasSVG(fig) if kind == "svg" else FigureCanvasAgg(fig)
        canvas.print_figure(buffer, format=kind, dpi=110, bbox_inches="tight")
    return buffer.getvalue()


def _money(value: float, lang: Lang) -> str:
    return fmt.money(value, lang, compact=True)


def _ticks(lang: Lang) -> FuncFormatter:
    return FuncFormatter(lambda v, _p: fmt.tick(v, lang))


def _quiet(*axes: object) -> None:
    for ax in axes:
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)  # type: ignore[attr-defined]


def pyramid(
    run: Run, title: str, hidden: np.ndarray | None = None, lang: Lang = "en", kind: Kind = "png"
) -> bytes:
    """Customer share (left) against AUM share (right) per tier, highest tier on top; the
    AUM of ``hidden`` tiers (too few customers) is not drawn."""
    lang = chart_lang(lang, kind)
    rows = list(reversed(run.result.rows()))
    names = [run.scheme.tiers[r.index].name.get(lang) for r in rows]
    hide = [bool(hidden is not None and hidden[r.index]) for r in rows]
    fig = Figure(figsize=(7.5, 0.55 * len(rows) + 1.4))
    ax = fig.add_subplot()
    y = range(len(rows))
    ax.barh(y, [-r.share for r in rows], color=CUSTOMERS, label=word("report.chart_customers", lang))
    ax.barh(
        y,
        [0.0 if h else r.aum_share for r, h in zip(rows, hide, strict=True)],
        color=AUM,
        label=word("report.chart_aum", lang),
    )
    for i, (r, h) in enumerate(zip(rows, hide, strict=True)):
        ax.text(-r.share - 0.01, i, fmt.percent(r.share), va="center", ha="right", fontsize=8)
        shown = "—" if h else fmt.percent(r.aum_share)
        ax.text((0.0 if h else r.aum_share) + 0.01, i, shown, va="center", ha="left", fontsize=8)
    ax.set_yticks(list(y), names)
    ax.invert_yaxis()
    ax.set_xlim(-1.15, 1.15)
    ax.axvline(0, color="#555", linewidth=0.8)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{abs(v):.0%}"))
    ax.set_title(title, fontsize=10)
    ax.legend(loc="lower right", fontsize=8, frameon=False)
    _quiet(ax)
    return _render(fig, kind)


def costs_by_scenario(
    runs: Sequence[Run],
    labels: Sequence[str],
    hidden: Sequence[np.ndarray] | None = None,
    lang: Lang = "en",
    kind: Kind = "png",
    min_cell: int = 0,
) -> bytes:
    """Benefit cost per tier, stacked, one bar per scenario; the tiers each scenario must
    not show alone (too few customers) are one grey block together."""
    lang = chart_lang(lang, kind)
    fig = Figure(figsize=(7.5, 3.8))
    ax = fig.add_subplot()
    scheme = runs[0].scheme
    bottoms = [0.0] * len(runs)
    hide = list(hidden) if hidden is not None else [np.zeros(len(r.scheme.tiers), dtype=bool) for r in runs]
    for index, tier in enumerate(scheme.tiers):
        heights = [
            float(run.result.cost_by_tier[index]) if run.scheme.id == scheme.id and not h[index] else 0.0
            for run, h in zip(runs, hide, strict=True)
        ]
        if not any(heights):
            continue
        color = PALETTE[index % len(PALETTE)]
        ax.bar(labels, heights, bottom=bottoms, label=tier.name.get(lang), color=color)
        bottoms = [b + h for b, h in zip(bottoms, heights, strict=True)]
    pooled = [
        float(run.result.cost_by_tier[h].sum()) if run.scheme.id == scheme.id else 0.0
        for run, h in zip(runs, hide, strict=True)
    ]
    if any(pooled):
        few = word("report.chart_hidden", lang, count=min_cell)
        ax.bar(labels, pooled, bottom=bottoms, label=few, color="#bbbbbb")
    for i, run in enumerate(runs):
        total = run.result.total_benefit_cost
        ax.text(i, total, _money(total, lang), ha="center", va="bottom", fontsize=8)
    ax.yaxis.set_major_formatter(_ticks(lang))
    ax.set_title(word("report.chart_cost", lang), fontsize=10)
    ax.legend(fontsize=8, frameon=False, ncol=2)
    _quiet(ax)
    return _render(fig, kind)


def sweep(s: Sweep, min_cell: int | None = None, lang: Lang = "en", kind: Kind = "png") -> bytes:
    """Customers at or above each tier and total cost against the swept value; the bend marked."""
    from workbench.present.shapes import sweep_hidden

    lang = chart_lang(lang, kind)
    fig = Figure(figsize=(8, 5.2))
    top, bottom = fig.subplots(2, 1, sharex=True, gridspec_kw={"height_ratios": [1.1, 1]})
    points = s.valid
    xs = [p.value for p in points]
    for index, tier in enumerate(s.scheme.tiers[1:], start=1):
        top.plot(
            xs,
            [p.share_at_or_above(index) for p in points],
            label=word("report.or_above", lang, tier=tier.name.get(lang)),
            color=PALETTE[index % len(PALETTE)],
        )
    top.yaxis.set_major_formatter(PercentFormatter(1.0))
    top.set_ylabel(word("report.at_or_above", lang))
    top.legend(fontsize=8, frameon=False, ncol=2)
    _, hidden_total = sweep_hidden(s, min_cell)
    shown = [p for p, h in zip(s.points, hidden_total, strict=True) if p.error is None and not h]
    bottom.plot(
        [p.value for p in shown], [p.total_cost for p in shown], color="#333", marker="o", markersize=3
    )
    money = s.parameter.unit == "CNY"
    value = (lambda v: fmt.tick(v, lang)) if money else (lambda v: fmt.trimmed(v))
    if s.bend is not None:
        bottom.axvline(s.bend.value, color=AUM, linestyle="--", linewidth=1)
        bottom.annotate(
            word("report.bends_at", lang, value=value(s.bend.value)),
            (s.bend.value, s.bend.total_cost),
            textcoords="offset points",
            xytext=(6, 8),
            fontsize=8,
            color=AUM,
        )
    bottom.axvline(s.current, color="#888", linestyle=":", linewidth=1)
    bottom.annotate(
        word("report.current_short", lang),
        (s.current, bottom.get_ylim()[1]),
        textcoords="offset points",
        xytext=(3, -10),
        fontsize=8,
        color="#666",
    )
    bottom.yaxis.set_major_formatter(_ticks(lang))
    bottom.xaxis.set_major_formatter(_ticks(lang) if money else FuncFormatter(lambda v, _p: fmt.tick(v)))
    bottom.set_ylabel(word("report.chart_sweep_y", lang))
    bottom.set_xlabel(s.parameter.name.get(lang))
    title = word("report.sweep_title", lang, scheme=s.scheme.name.get(lang), param=s.parameter.name.get(lang))
    fig.suptitle(title, fontsize=10)
    _quiet(top, bottom)
    return _render(fig, kind)
