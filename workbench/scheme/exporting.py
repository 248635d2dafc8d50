"""A declared scheme written as scheme-file data (``workbench schemes --export``).

The inverse of ``workbench.scheme.declared``: reading the data back gives a
scheme that classifies and costs exactly as the original. A scheme with its
own ``classify`` function or a metric with its own ``compute`` is not
declarative and cannot be written.
"""

from __future__ import annotations

from typing import Any

from workbench.errors import SchemeError
from workbench.scheme.file_reader import FORMAT_VERSION
from workbench.scheme.metrics import ColumnValue, HouseholdAggregate, TierRank, Total, WeightedSum
from workbench.scheme.model import Column, Condition, Conditions, Criterion, Flag, Metric, Scheme
from workbench.text import Text


def text(t: Text) -> dict[str, str]:
    return {"en": t.en, "zh": t.zh}


def scheme_data(scheme: Scheme) -> dict[str, Any]:
    """The scheme as scheme-file data, ready for ``tomli_w``."""
    if scheme.classify is not None:
        raise SchemeError(
            f"scheme {scheme.id!r} classifies with its own Python function: it has no scheme-file form",
            zh=f"方案 {scheme.id!r} 用自己的 Python 函数分层,无法写成方案文件",
        )
    out: dict[str, Any] = {
        "format_version": FORMAT_VERSION,
        "id": scheme.id,
        "name": text(scheme.name),
    }
    if scheme.description.en or scheme.description.zh:
        out["description"] = text(scheme.description)
    if scheme.source:
        out["source"] = scheme.source
    out |= {
        "main_metric": scheme.main_metric,
        "aum_measure": scheme.aum_measure,
        "combine": scheme.combine,
        "required_columns": list(scheme.required_columns),
        "optional_columns": list(scheme.optional_columns),
    }
    if scheme.window_months != 1:
        out["window_months"] = scheme.window_months
    if scheme.explain:
        out["explain"] = list(scheme.explain)
    if scheme.base_tier_column:
        out["base_tier_column"] = scheme.base_tier_column
    if scheme.base_tier_name:
        out["base_tier_name"] = text(scheme.base_tier_name)
    if scheme.new_columns:
        out["columns"] = {c.name: _column(c) for c in scheme.new_columns}
    out["metrics"] = {m.id: _metric(scheme, m) for m in scheme.metrics}
    out["parameters"] = {p.id: _parameter(p) for p in scheme.parameters}
    if scheme.options:
        out["options"] = {
            o.id: {
                "name": text(o.name),
                "choices": {
                    c.value: {"name": text(c.name), "short": text(c.short)} if c.short else text(c.name)
                    for c in o.choices
                },
                "default": o.default,
            }
            for o in scheme.options
        }
    if scheme.groups:
        out["groups"] = {g.id: {"name": text(g.name)} for g in scheme.groups}
    out["tiers"] = [_tier(scheme, t) for t in scheme.tiers]
    if scheme.floors:
        out["floors"] = [_gated({"metric": f.metric, "name": text(f.name)}, f.when) for f in scheme.floors]
    if scheme.overrides:
        out["overrides"] = [
            _gated({"column": o.column, "name": text(o.name)}, o.when) for o in scheme.overrides
        ]
    if scheme.benefits:
        out["benefits"] = {b.id: _benefit(b) for b in scheme.benefits}
    return out


def _gated(table: dict[str, Any], when: Any) -> dict[str, Any]:
    return {**table, "when": dict(when)} if when else table


def _column(c: Column) -> dict[str, Any]:
    out: dict[str, Any] = {"kind": c.kind, "name": text(c.description)}
    if c.aliases:
        out["aliases"] = list(c.aliases)
    if c.categories:
        out["categories"] = list(c.categories)
    if c.default is not None:
        out["default"] = c.default
    own = {k: v for k, v in c.value_aliases.items() if c.kind != "bool" or k not in _bool_words()}
    if own:
        out["values"] = dict(own)
    return out


def _bool_words() -> set[str]:
    from workbench.scheme.columns import BOOL_ALIASES

    return set(BOOL_ALIASES)


def _metric(scheme: Scheme, m: Metric) -> dict[str, Any]:
    spec = m.spec
    out: dict[str, Any] = {"name": text(m.name)}
    if isinstance(spec, ColumnValue):
        out["column"] = spec.column
    elif isinstance(spec, Total):
        out["total"] = list(spec.columns)
    elif isinstance(spec, WeightedSum):
        out["weighted_sum"] = dict(spec.terms)
        out["per"] = spec.per
        out["decimals"] = spec.decimals
    elif isinstance(spec, HouseholdAggregate):
        out["household"] = spec.column
        out["basis"] = {"option": spec.basis_option} if spec.basis_option else spec.basis
        out["min_members"] = spec.min_members
        out["decimals"] = spec.decimals
    elif isinstance(spec, TierRank):
        out["rank"] = [{"column": r.column, "is": r.value, "tier": r.tier} for r in spec.rules]
    else:
        raise SchemeError(
            f"scheme {scheme.id!r}: metric {m.id!r} is computed by its own Python function: "
            "the scheme has no scheme-file form",
            zh=f"方案 {scheme.id!r}:指标 {m.id!r} 由自己的 Python 函数计算,无法写成方案文件",
        )
    out["unit"] = m.unit
    return out


def _parameter(p: Any) -> dict[str, Any]:
    out = {"name": text(p.name), "default": p.default, "unit": p.unit, "kind": p.kind, "step": p.step}
    if p.big_step is not None:
        out["big_step"] = p.big_step
    if p.minimum:
        out["minimum"] = p.minimum
    if p.maximum is not None:
        out["maximum"] = p.maximum
    return out


def condition(c: Condition) -> dict[str, Any]:
    """One condition as a scheme-file table."""
    out: dict[str, Any]
    if isinstance(c, Conditions):
        out = {c.combine: [condition(i) for i in c.items]}
    elif isinstance(c, Flag):
        out = {"column": c.column}
    else:
        assert isinstance(c, Criterion)
        if c.threshold is None:
            out = {"metric": c.metric, "tier_rank": True}
        else:
            out = {"metric": c.metric, "above" if c.strict else "at_least": c.threshold}
    if c.group:
        out["group"] = c.group
    return _gated(out, c.when)


def _tier(scheme: Scheme, t: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"id": t.id, "name": text(t.name)}
    if t.note:
        out["note"] = text(t.note)
    if t.criteria:
        out[t.combine or scheme.combine] = [condition(c) for c in t.criteria]
    return out


def _benefit(b: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"name": text(b.name), "driver": b.driver, **dict(b.assumptions)}
    if any(b.tiers.values()):
        out["tiers"] = {t: dict(v) for t, v in b.tiers.items()}
    else:
        out["tiers"] = list(b.tiers)
    if b.reference:
        out["reference"] = b.reference
    return out
