"""Checks on a scheme's declaration: ids, references, bounds, rising thresholds, costs."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator, Mapping

from workbench.errors import WorkbenchError, did_you_mean
from workbench.fmt import trimmed
from workbench.scheme.assumptions import resolve_assumptions
from workbench.scheme.columns import COLUMNS
from workbench.scheme.drivers import CostDriver
from workbench.scheme.model import Condition, Conditions, Criterion, Flag, Path, Scheme, Tier
from workbench.text import Text

_SCHEME_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_ID = re.compile(r"^[a-z][a-z0-9_]*$")


def validate_scheme(scheme: Scheme, drivers: Mapping[str, CostDriver]) -> list[str]:
    """Everything wrong with a scheme declaration, as sentences (empty when valid)."""
    problems: list[str] = []
    add = problems.append
    if not _SCHEME_ID.match(scheme.id):
        add(f"scheme id {scheme.id!r} must be lower case letters, digits and '-'")
    _unique(problems, "tier", [t.id for t in scheme.tiers])
    _unique(problems, "parameter", [p.id for p in scheme.parameters])
    _unique(problems, "metric", [m.id for m in scheme.metrics])
    _unique(problems, "option", [o.id for o in scheme.options])
    _unique(problems, "benefit", [b.id for b in scheme.benefits])
    for kind, ids in (
        ("tier", [t.id for t in scheme.tiers]),
        ("parameter", [p.id for p in scheme.parameters]),
        ("metric", [m.id for m in scheme.metrics]),
        ("option", [o.id for o in scheme.options]),
        ("benefit", [b.id for b in scheme.benefits]),
        ("group", [g.id for g in scheme.groups]),
    ):
        for i in ids:
            if not _ID.match(i):
                add(f"{kind} id {i!r} must be lower case letters, digits and '_'")
    if len(scheme.tiers) < 2:
        add("a scheme needs at least two tiers")
    if len(scheme.tiers) > 120:
        add("a scheme may have at most 120 tiers")

    columns = set(scheme.columns)
    known_columns = set(COLUMNS) | {c.name for c in scheme.new_columns}
    for name in scheme.columns:
        if name not in known_columns:
            add(f"column {name!r} is neither canonical nor declared in new_columns")
    if "customer_id" not in scheme.required_columns:
        add("required_columns must include 'customer_id'")

    params = {p.id: p for p in scheme.parameters}
    metric_ids = {m.id for m in scheme.metrics}
    group_ids = {g.id for g in scheme.groups}
    for p in scheme.parameters:
        if p.step <= 0:
            add(f"parameter {p.id!r}: step must be > 0")
        if p.default < p.minimum or (p.maximum is not None and p.default > p.maximum):
            add(f"parameter {p.id!r}: default {p.default} outside its bounds")
    for o in scheme.options:
        if o.default not in o.values:
            add(f"option {o.id!r}: default {o.default!r} is not one of {', '.join(o.values)}")
    for m in scheme.metrics:
        if m.spec is None and m.compute is None:
            add(f"metric {m.id!r} declares neither a kind (workbench.metrics) nor a compute function")
        for col in m.columns:
            if col not in columns:
                add(f"metric {m.id!r} reads column {col!r}, which the scheme does not declare")
        for pid in m.parameters:
            if pid not in params:
                add(f"metric {m.id!r} uses unknown parameter {pid!r}")
            elif params[pid].kind != "weight":
                add(f"metric {m.id!r} uses parameter {pid!r}, which should be of kind 'weight'")
        for oid in m.options:
            if oid not in {opt.id for opt in scheme.options}:
                add(f"metric {m.id!r} uses unknown option {oid!r}")
    for ref, what in ((scheme.main_metric, "main_metric"), (scheme.aum_measure, "aum_measure")):
        if ref not in metric_ids:
            add(f"{what} {ref!r} is not a declared metric")
    for ref in scheme.explain:
        if ref not in metric_ids:
            add(f"explain names {ref!r}, which is not a declared metric")

    if scheme.classify is None:
        if scheme.tiers and scheme.tiers[0].criteria:
            add(f"the lowest tier {scheme.tiers[0].id!r} takes everyone else: it has no criteria")
        for tier in scheme.tiers[1:]:
            if not tier.criteria:
                add(f"tier {tier.id!r} has no criteria")
    kinds = {k: v.kind for k, v in COLUMNS.items()} | {c.name: c.kind for c in scheme.new_columns}
    for tier in scheme.tiers:
        for path, node in _nodes(scheme.conditions(tier)):
            where = f"tier {tier.id!r} " + _describe(node, path)
            if isinstance(node, Criterion):
                if node.metric not in metric_ids:
                    add(f"{where}: unknown metric{did_you_mean(node.metric, metric_ids)}")
                if isinstance(node.threshold, str):
                    if node.threshold not in params:
                        close = did_you_mean(node.threshold, params)
                        add(f"{where}: unknown threshold parameter {node.threshold!r}{close}")
                    elif params[node.threshold].kind != "threshold":
                        add(f"{where}: parameter {node.threshold!r} should be of kind 'threshold'")
                elif (
                    node.threshold is None
                    and node.metric in metric_ids
                    and scheme.metric(node.metric).scale != "rank"
                ):
                    add(f"{where}: a criterion without a threshold needs a tier-rank metric")
            elif isinstance(node, Flag):
                if node.column not in kinds:
                    hint = (
                        did_you_mean(node.column, kinds) or f"; declare it (a [columns.{node.column}] table)"
                    )
                    add(f"{where}: unknown column {node.column!r}{hint}")
                elif node.column not in columns:
                    add(f"{where}: column {node.column!r} is not declared")
                elif kinds.get(node.column) != "bool":
                    add(f"{where}: column {node.column!r} is {kinds.get(node.column)}, not yes/no (bool)")
            elif not node.items:
                add(f"{where}: an empty {node.combine!r} combination")
            if node.group and node.group not in group_ids:
                add(f"{where}: group {node.group!r} is not declared in groups")
            _check_when(problems, scheme, node.when, where)
    for f in scheme.floors:
        if f.metric not in metric_ids:
            add(f"floor on unknown metric {f.metric!r}")
        elif scheme.metric(f.metric).scale != "rank":
            add(f"floor metric {f.metric!r} must be a tier rank (metrics.tier_rank)")
        _check_when(problems, scheme, f.when, f"floor {f.metric!r}")
    for override in scheme.overrides:
        if override.column not in columns:
            add(f"override column {override.column!r} is not declared")
        _check_when(problems, scheme, override.when, f"override {override.column!r}")
    if (scheme.floors or scheme.overrides) and not scheme.base_tier_column:
        add("a scheme with floors or overrides must name base_tier_column")

    benefit_problems = len(problems)
    for b in scheme.benefits:
        for t in b.tiers:
            if t not in scheme.tier_ids:
                add(f"benefit {b.id!r} is offered to unknown tier {t!r}")
        driver = drivers.get(b.driver)
        if driver is None:
            add(f"benefit {b.id!r}: unknown cost driver {b.driver!r}; drivers: {', '.join(sorted(drivers))}")
            continue
        for values, at in ((b.assumptions, ""), *((v, f" (tier {t!r})") for t, v in b.tiers.items())):
            for key in values:
                if key not in driver.field_ids:
                    fields = ", ".join(driver.field_ids) or "none"
                    add(f"benefit {b.id!r}{at}: driver {b.driver!r} has no field {key!r}; fields: {fields}")
    if len(problems) == benefit_problems:
        try:
            resolve_assumptions(scheme, drivers)
        except WorkbenchError as exc:
            add(str(exc))
    problems.extend(p.en for p in threshold_problems(scheme, scheme.default_params))
    return problems


def _nodes(root: Conditions, path: Path = ()) -> Iterator[tuple[Path, Condition]]:
    """Every condition under ``root`` at any depth (combinations too), with its path."""
    for i, item in enumerate(root.items):
        yield (*path, i), item
        if isinstance(item, Conditions):
            yield from _nodes(item, (*path, i))


def _describe(node: Condition, path: Path) -> str:
    at = "".join(f"[{i}]" for i in path)
    if isinstance(node, Criterion):
        return f"condition{at} on {node.metric!r}"
    if isinstance(node, Flag):
        return f"condition{at} on column {node.column!r}"
    return f"condition{at} ({node.combine})"


def _unique(problems: list[str], kind: str, ids: list[str]) -> None:
    seen: set[str] = set()
    for i in ids:
        if i in seen:
            problems.append(f"duplicate {kind} id {i!r}")
        seen.add(i)


def _check_when(problems: list[str], scheme: Scheme, when: Mapping[str, str], where: str) -> None:
    for key, value in when.items():
        try:
            option = scheme.option(key)
        except KeyError:
            problems.append(f"{where}: 'when' names unknown option {key!r}")
            continue
        if value not in option.values:
            problems.append(f"{where}: option {key!r} has no value {value!r}")


def threshold_problems(scheme: Scheme, params: Mapping[str, float]) -> list[Text]:
    """Thresholds that do not rise with the tier, one sentence each.

    Criteria on the same metric along the same path (the groups of the combinations
    around them, and how deep they sit in ``all`` and ``any`` combinations) form a
    chain from low to high tier; each threshold must be above the one below it.
    Options and yes/no gates beside a criterion do not take it out of its chain.
    """
    chains: dict[tuple[str, ...], list[tuple[str, Text, float]]] = {}
    for tier in scheme.tiers:
        for key, c in _chain_keys(scheme, tier):
            if c.threshold is None or (isinstance(c.threshold, str) and c.threshold not in params):
                continue  # an unknown parameter is a problem of its own
            if isinstance(c.threshold, str):
                name = scheme.parameter(c.threshold).name.zh if c.threshold in scheme.default_params else ""
                label = Text(c.threshold, name or c.threshold)
                value = float(params[c.threshold])
            else:
                label, value = Text(f"{tier.id} (fixed)", f"{tier.name.zh}(固定)"), float(c.threshold)
            chains.setdefault(key, []).append((tier.id, label, value))
    problems = []
    for chain in chains.values():
        for (_, low_label, low), (_, high_label, high) in itertools.pairwise(chain):
            if not high > low:
                high_v, low_v = trimmed(high, 6), trimmed(low, 6)
                problems.append(
                    Text(
                        f"{high_label.en} = {high_v} must be above {low_label.en} = {low_v}: "
                        "thresholds rise with the tier",
                        f"{high_label.zh} = {high_v} 必须高于 {low_label.zh} = {low_v}:阈值随等级上升",
                    )
                )
    return problems


def _chain_keys(scheme: Scheme, tier: Tier) -> Iterator[tuple[tuple[str, ...], Criterion]]:
    """Each criterion of ``tier`` with the key of its chain of rising thresholds."""

    def visit(node: Conditions, trail: tuple[str, ...]) -> Iterator[tuple[tuple[str, ...], Criterion]]:
        for item in node.items:
            if isinstance(item, Conditions):
                yield from visit(item, (*trail, item.group or item.combine))
            elif isinstance(item, Criterion):
                yield (item.metric, *trail, item.group), item

    yield from visit(scheme.conditions(tier), ())
