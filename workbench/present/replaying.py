"""A replay in words and shapes: the JSON of ``workbench replay``, its tables."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from workbench import fmt
from workbench.core.policy import EVERY_MONTH, Policy
from workbench.core.replay import Replay, customer_months
from workbench.present.tables import Table
from workbench.present.words import label, word
from workbench.text import Lang, Text


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
                "bounced_back": m.bounced_back,
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
        theirs = {t: i for i, t in enumerate(baseline.scheme.tier_ids)}  # by tier id: the schemes may differ
        out["difference"] = [
            {
                "month": a.month,
                "customers": {
                    t: int(a.counts[i] - b.counts[theirs[t]]) for i, t in enumerate(tiers) if t in theirs
                },
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


REASONS = {
    "joined": Text("first month: the tier the rules give", "首月:按规则定级"),
    "same": Text("the rules give the tier held", "按规则即为当前等级"),
    "upgrade": Text("upgraded: the rules give a higher tier", "升级:按规则达到更高等级"),
    "downgrade": Text("downgraded to the tier the rules give", "降级至按规则的等级"),
    "retained": Text("kept by retention: above {ratio} of the thresholds", "保级:达到阈值的 {ratio}"),
    "grace": Text(
        "lower month {streak} of the {after} before a downgrade",
        "连续第 {streak}/{after} 个月未达标:暂保留",
    ),
    "rating_day": Text("lower, waits for a rating day ({days})", "未达标,待评级日({days})降级"),
    "absent": Text("not in the portfolio this month", "本月不在客户数据中"),
}


def customer_table(r: Replay, index: int, lang: Lang = "en") -> Table:
    """One customer's months: the main metric, the tier the rules give, the tier held, why."""
    scheme, policy = r.scheme, r.policy
    metric = scheme.metric(scheme.main_metric)
    headers = [
        label("month", lang),
        metric.name.get(lang),
        label("rules_give", lang),
        label("held", lang),
        label("why", lang),
    ]
    rows = []

    def name(t: int) -> str:
        return scheme.tiers[t].name.get(lang) if t >= 0 else "—"

    for c in customer_months(r, index):
        why = (
            REASONS[c.reason]
            .get(lang)
            .format(
                ratio=f"{policy.retention_ratio:.0%}",
                streak=c.streak,
                after=policy.downgrade_after_months,
                days=",".join(map(str, policy.downgrade_months)),
            )
        )
        shown = (
            "—"
            if c.metric != c.metric
            else (fmt.money(c.metric, lang) if metric.unit == "CNY" else fmt.trimmed(c.metric, 2))
        )
        rows.append([c.month, shown, name(c.given), name(c.held), why])
    title = label("customer_months", lang) + f" {r.customer_ids[index]}"
    return Table(title, headers, rows, ["<", ">", "<", "<", "<"])


def customer_json(r: Replay, index: int) -> list[dict[str, Any]]:
    ids = r.scheme.tier_ids
    return [
        {
            "month": c.month,
            "metric": None if c.metric != c.metric else round(c.metric, 2),
            "rules_give": ids[c.given] if c.given >= 0 else None,
            "held": ids[c.held] if c.held >= 0 else None,
            "reason": c.reason,
            "lower_months": c.streak,
        }
        for c in customer_months(r, index)
    ]


def policy_value(policy: Policy, key: str, lang: Lang = "en") -> str:
    """One evaluation-policy key's value as a planner reads it: ``6 个月``, ``80%``, ``3,6,9,12``."""
    if key == "retention_ratio":
        return f"{policy.retention_ratio:.0%}"
    if key == "downgrade_months":
        months = policy.downgrade_months
        return word("policy.every_month", lang) if months == EVERY_MONTH else ",".join(map(str, months))
    if key == "window_months":
        return word("policy.months", lang, n=policy.window_months)
    return word("policy.month_n", lang, n=policy.downgrade_after_months)


@dataclass(frozen=True)
class PolicyRow:
    """One evaluation-policy key as a row of the parameter panel."""

    key: str
    short: str  # the name on the row
    value: str
    changed: bool  # from the scheme's default
    described: str  # full name and default, under the panel when selected
    described_short: str  # the default alone, for a narrow panel


def policy_rows(policy: Policy, default: Policy, lang: Lang = "en") -> list[PolicyRow]:
    """Each evaluation-policy key as a row of the parameter panel."""
    defaults = default.as_dict()
    return [
        PolicyRow(
            key,
            word(f"policy.short.{key}", lang),
            policy_value(policy, key, lang),
            value != defaults[key],
            word(
                "policy.describe",
                lang,
                name=word(f"policy.{key}", lang),
                default=policy_value(default, key, lang),
            ),
            word("policy.describe_short", lang, default=policy_value(default, key, lang)),
        )
        for key, value in policy.as_dict().items()
    ]
