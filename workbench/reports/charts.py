"""Report charts as PNG bytes, drawn with matplotlib's object API (no global pyplot state)."""

from __future__ import annotations

import io
from collections.abc import Sequence

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, PercentFormatter

from workbench import fmt
from workbench.planning.runs import Run
from workbench.planning.sweep import Sweep

CUSTOMERS = "#2a9d8f"
AUM = "#c2185b"
PALETTE = ("#264653", "#2a9d8f", "#e9c46a", "#f4a261", "#e76f51", "#8d99ae", "#6d597a", "#b56576")
# Chinese tier names need a CJK font; Latin names are used in charts so a report renders anywhere.


def _png(fig: Figure) -> bytes:
    FigureCanvasAgg(fig)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
    return buffer.getvalue()


def _money(value: float, _pos: object = None) -> str:
    return fmt.money(value, "en", compact=True)


def _tick(value: float, _pos: object = None) -> str:
    """Axis ticks: 200k, 1.5m (no trailing zeros)."""
    for limit, suffix in ((1e9, "bn"), (1e6, "m"), (1e3, "k")):
        if abs(value) >= limit:
            return f"{fmt.trimmed(value / limit, 2)}{suffix}"
    return fmt.trimmed(value, 2)


def pyramid(run: Run, title: str, hidden: np.ndarray | None = None) -> bytes:
    """Customer share (left) against AUM share (right) per tier, highest tier on top; the
    AUM of ``hidden`` tiers (too few customers) is not drawn."""
    rows = list(reversed(run.result.rows()))
    names = [run.scheme.tiers[r.index].name.en for r in rows]
    hide = [bool(hidden is not None and hidden[r.index]) for r in rows]
    fig = Figure(figsize=(7.5, 0.55 * len(rows) + 1.4))
    ax = fig.add_subplot()
    y = range(len(rows))
    ax.barh(y, [-r.share for r in rows], color=CUSTOMERS, label="share of customers")
    ax.barh(
        y,
        [0.0 if h else r.aum_share for r, h in zip(rows, hide, strict=True)],
        color=AUM,
        label="share of AUM",
    )
    for i, (r, h) in enumerate(zip(rows, hide, strict=True)):
        ax.text(-r.share - 0.01, i, fmt.percent(r.share), va="center", ha="right", fontsize=8)
        shown = "suppressed (few customers)" if h else fmt.percent(r.aum_share)
        ax.text((0.0 if h else r.aum_share) + 0.01, i, shown, va="center", ha="left", fontsize=8)
    ax.set_yticks(list(y), names)
    ax.invert_yaxis()
    ax.set_xlim(-1.15, 1.15)
    ax.axvline(0, color="#555", linewidth=0.8)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{abs(v):.0%}"))
    ax.set_title(title, fontsize=10)
    ax.legend(loc="lower right", fontsize=8, frameon=False)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return _png(fig)


def costs_by_scenario(
    runs: Sequence[Run], labels: Sequence[str], hidden: Sequence[np.ndarray] | None = None
) -> bytes:
    """Benefit cost per tier, stacked, one bar per scenario; the tiers each scenario must
    not show alone (too few customers) are one grey block together."""
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
        ax.bar(labels, heights, bottom=bottoms, label=tier.name.en, color=PALETTE[index % len(PALETTE)])
        bottoms = [b + h for b, h in zip(bottoms, heights, strict=True)]
    pooled = [
        float(run.result.cost_by_tier[h].sum()) if run.scheme.id == scheme.id else 0.0
        for run, h in zip(runs, hide, strict=True)
    ]
    if any(pooled):
        ax.bar(labels, pooled, bottom=bottoms, label="tiers with few customers", color="#bbbbbb")
    for i, run in enumerate(runs):
        ax.text(
            i,
            run.result.total_benefit_cost,
            _money(run.result.total_benefit_cost),
            ha="center",
            va="bottom",
            fontsize=8,
        )
    ax.yaxis.set_major_formatter(FuncFormatter(_tick))
    ax.set_ylabel("benefit cost a year (CNY)")
    ax.set_title("Benefit cost by tier", fontsize=10)
    ax.legend(fontsize=8, frameon=False, ncol=2)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return _png(fig)


def sweep(s: Sweep, min_cell: int | None = None) -> bytes:
    """Customers at or above each tier and total cost against the swept value; the bend marked."""
    fig = Figure(figsize=(8, 5.2))
    top, bottom = fig.subplots(2, 1, sharex=True, gridspec_kw={"height_ratios": [1.1, 1]})
    points = s.valid
    xs = [p.value for p in points]
    for index, tier in enumerate(s.scheme.tiers[1:], start=1):
        top.plot(
            xs,
            [p.share_at_or_above(index) for p in points],
            label=f"{tier.name.en} or above",
            color=PALETTE[index % len(PALETTE)],
        )
    top.yaxis.set_major_formatter(PercentFormatter(1.0))
    top.set_ylabel("customers at or above")
    top.legend(fontsize=8, frameon=False, ncol=2)
    from workbench.present.shapes import sweep_hidden

    _, hidden_total = sweep_hidden(s, min_cell)
    shown = [p for p, h in zip(s.points, hidden_total, strict=True) if p.error is None and not h]
    bottom.plot(
        [p.value for p in shown], [p.total_cost for p in shown], color="#333", marker="o", markersize=3
    )
    if s.bend is not None:
        bottom.axvline(s.bend.value, color=AUM, linestyle="--", linewidth=1)
        bottom.annotate(
            f"bends at {fmt.trimmed(s.bend.value)}",
            (s.bend.value, s.bend.total_cost),
            textcoords="offset points",
            xytext=(6, 8),
            fontsize=8,
            color=AUM,
        )
    bottom.axvline(s.current, color="#888", linestyle=":", linewidth=1)
    bottom.annotate(
        "current",
        (s.current, bottom.get_ylim()[1]),
        textcoords="offset points",
        xytext=(3, -10),
        fontsize=8,
        color="#666",
    )
    bottom.yaxis.set_major_formatter(FuncFormatter(_tick))
    bottom.xaxis.set_major_formatter(FuncFormatter(_tick))
    bottom.set_ylabel("benefit cost a year")
    bottom.set_xlabel(f"{s.parameter.name.en} ({s.parameter.unit})")
    fig.suptitle(f"{s.scheme.name.en}: sweep of {s.parameter.id}", fontsize=10)
    for ax in (top, bottom):
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
    return _png(fig)
