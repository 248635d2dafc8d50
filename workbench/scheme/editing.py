"""Changing a scheme's rules: add or remove a tier, a condition, a benefit.

Each change takes a scheme and returns a new one (schemes are frozen); the
caller validates it (``validation.validate_scheme``) before using it. A new
tier or condition comes with a threshold parameter of its own, placed where
the thresholds still rise with the tier.
"""

from __future__ import annotations

import re
from dataclasses import replace

from workbench.errors import SchemeError
from workbench.scheme.drivers import CostDriver
from workbench.scheme.model import Benefit, Conditions, Criterion, Parameter, Path, Scheme, Tier
from workbench.text import Text


def slug(name: str, taken: set[str]) -> str:
    """An id from a name (``Diamond plus`` -> ``diamond_plus``), unique among ``taken``."""
    base = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_") or "tier"
    if not base[0].isalpha():
        base = f"t_{base}"
    found, n = base, 2
    while found in taken:
        found, n = f"{base}_{n}", n + 1
    return found


def _main_thresholds(scheme: Scheme, metric: str) -> dict[str, tuple[float, Criterion]]:
    """Per tier, the threshold (parameter default) of its criterion on ``metric``."""
    out: dict[str, tuple[float, Criterion]] = {}
    for tier in scheme.tiers:
        for c in scheme.criteria_of(tier):
            if c.metric == metric and isinstance(c.threshold, str) and tier.id not in out:
                out[tier.id] = (scheme.parameter(c.threshold).default, c)
    return out


def add_tier(scheme: Scheme, name: Text, below: str | None = None, above: str | None = None) -> Scheme:
    """A new tier right above ``above`` (or right below ``below``), reached by the main
    metric at a threshold of its own, between its neighbours' (twice the top one on top)."""
    ids = list(scheme.tier_ids)
    if below is not None:
        if ids.index(below) == 0:
            raise SchemeError(
                f"nothing goes below {below!r}: the lowest tier takes everyone else",
                zh=f"{scheme.tier(below).name.zh}之下不能再加等级:最低等级容纳其余所有客户",
            )
        above = ids[ids.index(below) - 1]
    if above is None:
        above = ids[-1]
    position = ids.index(above) + 1
    metric = scheme.main_metric
    known = _main_thresholds(scheme, metric)
    lower = [known[t][0] for t in ids[:position] if t in known]
    upper = [known[t][0] for t in ids[position:] if t in known]
    low = max(lower) if lower else 0.0
    unit = scheme.metric(metric).unit
    step = 10_000.0 if unit == "CNY" else 1.0
    if upper:
        default = round((low + min(upper)) / 2 / step) * step or (low + min(upper)) / 2
    else:
        default = max(low * 2, step * 10)
    tier_id = slug(name.en, set(ids))
    param_id = slug(f"{tier_id}_min", {p.id for p in scheme.parameters})
    template = next((c for t in ids[:position][::-1] if t in known for c in [known[t][1]]), None)
    group = template.group if template is not None else ""
    parameter = Parameter(
        param_id,
        Text(
            f"{name.en}: {scheme.metric(metric).name.en} from",
            f"{name.zh}:{scheme.metric(metric).name.zh}下限",
        ),
        float(default),
        unit,
        step=step * (5 if default >= step * 50 else 1),
    )
    tier = Tier(tier_id, name, (Criterion(metric, param_id, group=group),))
    tiers = (*scheme.tiers[:position], tier, *scheme.tiers[position:])
    return replace(scheme, tiers=tiers, parameters=(*scheme.parameters, parameter))


def remove_tier(scheme: Scheme, tier_id: str) -> Scheme:
    """The scheme without a tier (never the lowest), its own thresholds and its benefits."""
    if scheme.tier_index(tier_id) == 0:
        raise SchemeError(
            f"{tier_id!r} is the lowest tier, where everyone else is: it stays",
            zh=f"{scheme.tier(tier_id).name.zh}是最低等级,容纳其余所有客户:不能删除",
        )
    tiers = tuple(t for t in scheme.tiers if t.id != tier_id)
    return _pruned(replace(scheme, tiers=tiers))


def add_condition(scheme: Scheme, tier_id: str, metric: str) -> Scheme:
    """A condition ``metric >= threshold`` on a tier, with a threshold of its own (the
    metric's highest threshold below this tier, else a round figure), combined as the
    tier combines its conditions."""
    tier = scheme.tier(tier_id)
    if scheme.tier_index(tier_id) == 0:
        raise SchemeError(
            "the lowest tier has no conditions: it takes everyone else",
            zh="最低等级没有条件:它容纳其余所有客户",
        )
    m = scheme.metric(metric)
    known = _main_thresholds(scheme, metric)
    lower = [known[t][0] for t in scheme.tier_ids[: scheme.tier_index(tier_id)] if t in known]
    step = 10_000.0 if m.unit == "CNY" else 1.0
    default = max(lower) + step if lower else step * 10
    param_id = slug(f"{tier_id}_{metric}", {p.id for p in scheme.parameters})
    parameter = Parameter(
        param_id,
        Text(f"{tier.name.en}: {m.name.en}", f"{tier.name.zh}:{m.name.zh}"),
        default,
        m.unit,
        step=step,
    )
    criterion = Criterion(metric, param_id)
    changed = replace(tier, criteria=(*tier.criteria, criterion), combine=tier.combine or scheme.combine)
    return replace(
        scheme,
        tiers=tuple(changed if t.id == tier_id else t for t in scheme.tiers),
        parameters=(*scheme.parameters, parameter),
    )


def remove_condition(scheme: Scheme, tier_id: str, path: Path) -> Scheme:
    """A tier without the condition at ``path`` (a tier keeps at least one)."""
    tier = scheme.tier(tier_id)

    def without(node: Conditions, at: Path) -> Conditions:
        head, rest = at[0], at[1:]
        if not rest:
            return replace(node, items=node.items[:head] + node.items[head + 1 :])
        inner = node.items[head]
        assert isinstance(inner, Conditions)
        kept = without(inner, rest)
        items = node.items[:head] + ((kept,) if kept.items else ()) + node.items[head + 1 :]
        return replace(node, items=items)

    root = without(scheme.conditions(tier), path)
    if not root.items:
        raise SchemeError(
            f"{tier_id!r} would have no condition left; remove the tier instead",
            zh=f"{tier.name.zh}将没有任何条件;请改为删除该等级",
        )
    changed = replace(tier, criteria=root.items, combine=root.combine)
    return _pruned(replace(scheme, tiers=tuple(changed if t.id == tier_id else t for t in scheme.tiers)))


def add_benefit(scheme: Scheme, name: Text, driver: CostDriver, tiers: tuple[str, ...]) -> Scheme:
    """A benefit on a cost driver, offered to ``tiers``, with the driver's field defaults
    (zero where a field has none: the planner fills them in the cost dialog)."""
    benefit_id = slug(name.en, {b.id for b in scheme.benefits})
    values = {f.id: f.default if f.default is not None else 0.0 for f in driver.fields}
    benefit = Benefit(benefit_id, name, driver.id, values, {t: {} for t in tiers}, "added in the workbench")
    return replace(scheme, benefits=(*scheme.benefits, benefit))


def _pruned(scheme: Scheme) -> Scheme:
    """Without threshold parameters no condition reads and tiers no benefit offers."""
    used = {c.threshold for t in scheme.tiers for c in scheme.criteria_of(t)}
    used |= {p for m in scheme.metrics for p in m.parameters}
    ids = set(scheme.tier_ids)
    benefits = tuple(
        replace(b, tiers={t: v for t, v in b.tiers.items() if t in ids}) for b in scheme.benefits
    )
    return replace(
        scheme,
        parameters=tuple(p for p in scheme.parameters if p.id in used),
        benefits=tuple(b for b in benefits if b.tiers),
    )
