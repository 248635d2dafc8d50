"""A replay in words and shapes: the JSON of ``workbench replay``, its tables."""

from __future__ import annotations

from typing import Any

from workbench import fmt
from workbench.core.replay import Replay
from workbench.present.tables import Table
from workbench.present.words import label
from workbench.text import Lang


def replay_json(r: Replay, baseline: Replay | None = None) -> dict[str, Any]:
    """``workbench replay --format json`` (keys documented in docs/replay.md)."""
    tiers = r.scheme.tier_ids
    out: dict[str, Any] = {
        "scheme": r.scheme.id,
        "policy": r.policy.as_dict(),
        "months": [
            {
                "month": m.month,
                "customers": m.customers,
                "tiers": [
                    {
                        "tier": t,
                        "customers": int(m.counts[i]),
                        "aum": round(float(m.aum[i]), 2),
                        "benefit_cost": round(float(m.cost[i]), 2),
                    }
                    for i, t in enumerate(tiers)
                ],
                "benefit_cost": round(float(m.cost.sum()), 2),
                "upgrades": m.upgrades,
                "downgrades": m.downgrades,
                "joined": m.joined,
                "left": m.left,
            }
            for m in r.months
        ],
        "quarters": [
            {
                "quarter": q.quarter,
                "since": q.since,
                "tiers": [
                    {
                        "tier": t,
                        "customers": int(q.counts[i]),
                        "change": int(q.change[i]),
                        "change_pct": _rounded(q.change_pct[i]),
                    }
                    for i, t in enumerate(tiers)
                ],
            }
            for q in r.quarters
        ],
    }
    if baseline is not None:
        out["baseline"] = replay_json(baseline)
        out["difference"] = [
            {
                "month": a.month,
                "customers": {t: int(a.counts[i] - b.counts[i]) for i, t in enumerate(tiers)},
                "benefit_cost": round(float(a.cost.sum() - b.cost.sum()), 2),
                "downgrades": a.downgrades - b.downgrades,
            }
            for a, b in zip(r.months, baseline.months, strict=True)
        ]
    return out


def months_table(r: Replay, lang: Lang = "en") -> Table:
    """Month by month: customers per tier (highest first), moves, and the month's cost."""
    tiers = list(reversed(r.scheme.tiers))
    headers = [
        label("month", lang),
        *(t.name.get(lang) for t in tiers),
        label("upgrades", lang),
        label("downgrades", lang),
        label("joined", lang),
        label("left", lang),
        label("month_cost", lang),
    ]
    rows = []
    for m in r.months:
        counts = [fmt.number(int(m.counts[r.scheme.tier_index(t.id)])) for t in tiers]
        moves = [fmt.number(v) for v in (m.upgrades, m.downgrades, m.joined, m.left)]
        rows.append([m.month, *counts, *moves, fmt.money(float(m.cost.sum()), lang)])
    return Table(label("replay_title", lang), headers, rows, ["<"] + [">"] * (len(headers) - 1))


def quarters_table(r: Replay, lang: Lang = "en") -> Table:
    """Each quarter end: customers per tier and the change since the start of the year."""
    tiers = list(reversed(r.scheme.tiers))
    headers = [label("quarter", lang), *(t.name.get(lang) for t in tiers)]
    rows = []
    for q in r.quarters:
        cells = [q.quarter]
        for t in tiers:
            i = r.scheme.tier_index(t.id)
            pct = q.change_pct[i]
            change = fmt.signed(int(q.change[i]))
            shown = f"{fmt.number(int(q.counts[i]))} ({change}" + (
                f", {pct:+.2f}%)" if pct is not None else ")"
            )
            cells.append(shown)
        rows.append(cells)
    return Table(label("quarters_title", lang), headers, rows, ["<"] + [">"] * len(tiers))


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


BLOCKS = "▁▂▃▄▅▆▇█"


def trend(values: list[int]) -> str:
    """A tier's count month by month as block characters, lowest to highest seen."""
    low, high = min(values), max(values)
    if high == low:
        return BLOCKS[3] * len(values)
    return "".join(BLOCKS[int((v - low) / (high - low) * (len(BLOCKS) - 1))] for v in values)


def trend_lines(r: Replay, lang: Lang = "en") -> list[tuple[str, str, str]]:
    """Per tier, highest first: its name, its trend, and the first and last month's count."""
    out = []
    for tier in reversed(r.scheme.tiers):
        i = r.scheme.tier_index(tier.id)
        counts = [int(m.counts[i]) for m in r.months]
        span = f"{fmt.number(counts[0])} -> {fmt.number(counts[-1])}"
        out.append((tier.name.get(lang), trend(counts), span))
    return out
