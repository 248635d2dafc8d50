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


KINDS = {
    "tier": "层级",
    "parameter": "参数",
    "metric": "指标",
    "option": "选项",
    "benefit": "权益",
    "group": "组",
}


def validate_scheme(scheme: Scheme, drivers: Mapping[str, CostDriver]) -> list[Text]:
    """Everything wrong with a scheme declaration, as sentences in both languages (empty
    when valid)."""
    problems: list[Text] = []

    def add(en: str, zh: str) -> None:
        problems.append(Text(en, zh))

    if not _SCHEME_ID.match(scheme.id):
        add(
            f"scheme id {scheme.id!r} must be lower case letters, digits and '-'",
            f"方案 id {scheme.id!r} 只能由小写字母、数字和 '-' 组成",
        )
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
                add(
                    f"{kind} id {i!r} must be lower case letters, digits and '_'",
                    f"{KINDS[kind]} id {i!r} 只能由小写字母、数字和 '_' 组成,且以字母开头",
                )
    if len(scheme.tiers) < 2:
        add("a scheme needs at least two tiers", "方案至少要有两个层级")
    if len(scheme.tiers) > 120:
        add("a scheme may have at most 120 tiers", "方案最多只能有 120 个层级")

    columns = set(scheme.columns)
    known_columns = set(COLUMNS) | {c.name for c in scheme.new_columns}
    for name in scheme.columns:
        if name not in known_columns:
            add(
                f"column {name!r} is neither canonical nor declared in new_columns",
                f"列 {name!r} 既不是标准列,也未在 new_columns 中声明",
            )
    if "customer_id" not in scheme.required_columns:
        add("required_columns must include 'customer_id'", "required_columns 必须包含 'customer_id'")

    params = {p.id: p for p in scheme.parameters}
    metric_ids = {m.id for m in scheme.metrics}
    group_ids = {g.id for g in scheme.groups}
    for p in scheme.parameters:
        if p.step <= 0:
            add(f"parameter {p.id!r}: step must be > 0", f"参数 {p.id!r}:步长必须大于 0")
        if p.default < p.minimum or (p.maximum is not None and p.default > p.maximum):
            add(
                f"parameter {p.id!r}: default {p.default} outside its bounds",
                f"参数 {p.id!r}:默认值 {p.default} 超出其上下限",
            )
    for o in scheme.options:
        if o.default not in o.values:
            listed = ", ".join(o.values)
            add(
                f"option {o.id!r}: default {o.default!r} is not one of {listed}",
                f"选项 {o.id!r}:默认值 {o.default!r} 不在可选值中:{listed}",
            )
    for m in scheme.metrics:
        if m.spec is None and m.compute is None:
            add(
                f"metric {m.id!r} declares neither a kind (workbench.metrics) nor a compute function",
                f"指标 {m.id!r} 既未声明种类(workbench.metrics),也没有计算函数",
            )
        for col in m.columns:
            if col not in columns:
                add(
                    f"metric {m.id!r} reads column {col!r}, which the scheme does not declare",
                    f"指标 {m.id!r} 读取列 {col!r},但方案没有声明该列",
                )
        for pid in m.parameters:
            if pid not in params:
                add(
                    f"metric {m.id!r} uses unknown parameter {pid!r}", f"指标 {m.id!r} 使用了未知参数 {pid!r}"
                )
            elif params[pid].kind != "weight":
                add(
                    f"metric {m.id!r} uses parameter {pid!r}, which should be of kind 'weight'",
                    f"指标 {m.id!r} 使用的参数 {pid!r} 应为 'weight'(权重)类",
                )
        for oid in m.options:
            if oid not in {opt.id for opt in scheme.options}:
                add(f"metric {m.id!r} uses unknown option {oid!r}", f"指标 {m.id!r} 使用了未知选项 {oid!r}")
    for ref, what in ((scheme.main_metric, "main_metric"), (scheme.aum_measure, "aum_measure")):
        if ref not in metric_ids:
            add(f"{what} {ref!r} is not a declared metric", f"{what} {ref!r} 不是已声明的指标")
    for ref in scheme.explain:
        if ref not in metric_ids:
            add(
                f"explain names {ref!r}, which is not a declared metric",
                f"explain 列出的 {ref!r} 不是已声明的指标",
            )

    if scheme.classify is None:
        if scheme.tiers and scheme.tiers[0].criteria:
            lowest = scheme.tiers[0].id
            add(
                f"the lowest tier {lowest!r} takes everyone else: it has no criteria",
                f"最低层级 {lowest!r} 收纳其余所有客户:它不应有条件",
            )
        for tier in scheme.tiers[1:]:
            if not tier.criteria:
                add(f"tier {tier.id!r} has no criteria", f"层级 {tier.id!r} 没有条件")
    kinds = {k: v.kind for k, v in COLUMNS.items()} | {c.name: c.kind for c in scheme.new_columns}
    for tier in scheme.tiers:
        for path, node in _nodes(scheme.conditions(tier)):
            at = _describe(node, path)
            where = Text(f"tier {tier.id!r} {at.en}", f"层级 {tier.id!r} 的{at.zh}")
            if isinstance(node, Criterion):
                if node.metric not in metric_ids:
                    close = did_you_mean(node.metric, metric_ids)
                    add(f"{where.en}: unknown metric{close}", f"{where.zh}:未知的指标{_close_zh(close)}")
                if isinstance(node.threshold, str):
                    if node.threshold not in params:
                        close = did_you_mean(node.threshold, params)
                        add(
                            f"{where.en}: unknown threshold parameter {node.threshold!r}{close}",
                            f"{where.zh}:未知的门槛参数 {node.threshold!r}{_close_zh(close)}",
                        )
                    elif params[node.threshold].kind != "threshold":
                        add(
                            f"{where.en}: parameter {node.threshold!r} should be of kind 'threshold'",
                            f"{where.zh}:参数 {node.threshold!r} 应为 'threshold'(门槛)类",
                        )
                elif (
                    node.threshold is None
                    and node.metric in metric_ids
                    and scheme.metric(node.metric).scale != "rank"
                ):
                    add(
                        f"{where.en}: a criterion without a threshold needs a tier-rank metric",
                        f"{where.zh}:没有门槛的条件需要层级等级指标",
                    )
            elif isinstance(node, Flag):
                if node.column not in kinds:
                    close = did_you_mean(node.column, kinds)
                    declare = f"a [columns.{node.column}] table"
                    add(
                        f"{where.en}: unknown column {node.column!r}{close or f'; declare it ({declare})'}",
                        f"{where.zh}:未知的列 {node.column!r}{_close_zh(close) or f';请声明它({declare})'}",
                    )
                elif node.column not in columns:
                    add(
                        f"{where.en}: column {node.column!r} is not declared",
                        f"{where.zh}:列 {node.column!r} 未声明",
                    )
                elif kinds.get(node.column) != "bool":
                    held = kinds.get(node.column)
                    add(
                        f"{where.en}: column {node.column!r} is {held}, not yes/no (bool)",
                        f"{where.zh}:列 {node.column!r} 是 {held},不是是/否(bool)列",
                    )
            elif not node.items:
                add(
                    f"{where.en}: an empty {node.combine!r} combination",
                    f"{where.zh}:{node.combine!r} 组合是空的",
                )
            if node.group and node.group not in group_ids:
                add(
                    f"{where.en}: group {node.group!r} is not declared in groups",
                    f"{where.zh}:组 {node.group!r} 未在 groups 中声明",
                )
            _check_when(problems, scheme, node.when, where)
    for f in scheme.floors:
        if f.metric not in metric_ids:
            add(f"floor on unknown metric {f.metric!r}", f"保底规则用了未知的指标 {f.metric!r}")
        elif scheme.metric(f.metric).scale != "rank":
            add(
                f"floor metric {f.metric!r} must be a tier rank (metrics.tier_rank)",
                f"保底指标 {f.metric!r} 必须是层级等级(metrics.tier_rank)",
            )
        _check_when(problems, scheme, f.when, Text(f"floor {f.metric!r}", f"保底规则 {f.metric!r}"))
    for override in scheme.overrides:
        if override.column not in columns:
            add(
                f"override column {override.column!r} is not declared",
                f"人工指定层级的列 {override.column!r} 未声明",
            )
        where = Text(f"override {override.column!r}", f"人工指定 {override.column!r}")
        _check_when(problems, scheme, override.when, where)
    if (scheme.floors or scheme.overrides) and not scheme.base_tier_column:
        add(
            "a scheme with floors or overrides must name base_tier_column",
            "有保底规则或人工指定层级的方案必须给出 base_tier_column",
        )

    benefit_problems = len(problems)
    for b in scheme.benefits:
        for t in b.tiers:
            if t not in scheme.tier_ids:
                add(
                    f"benefit {b.id!r} is offered to unknown tier {t!r}",
                    f"权益 {b.id!r} 提供给了未知的层级 {t!r}",
                )
        driver = drivers.get(b.driver)
        if driver is None:
            listed = ", ".join(sorted(drivers))
            add(
                f"benefit {b.id!r}: unknown cost driver {b.driver!r}; drivers: {listed}",
                f"权益 {b.id!r}:未知的成本类型 {b.driver!r};现有成本类型:{listed}",
            )
            continue
        for values, at_en, at_zh in (
            (b.assumptions, "", ""),
            *((v, f" (tier {t!r})", f"(层级 {t!r})") for t, v in b.tiers.items()),
        ):
            for key in values:
                if key not in driver.field_ids:
                    fields = ", ".join(driver.field_ids)
                    add(
                        f"benefit {b.id!r}{at_en}: driver {b.driver!r} has no field {key!r}; "
                        f"fields: {fields or 'none'}",
                        f"权益 {b.id!r}{at_zh}:成本类型 {b.driver!r} 没有字段 {key!r};"
                        f"现有字段:{fields or '无'}",
                    )
    if len(problems) == benefit_problems:
        try:
            resolve_assumptions(scheme, drivers)
        except WorkbenchError as exc:
            problems.append(exc.text)
    problems.extend(threshold_problems(scheme, scheme.default_params))
    return problems


def _close_zh(close: str) -> str:
    """``did_you_mean``'s `` (did you mean 'x'?)`` in Chinese."""
    return f"(是否想写 {close.removeprefix(' (did you mean ').removesuffix('?)')}?)" if close else ""


def _nodes(root: Conditions, path: Path = ()) -> Iterator[tuple[Path, Condition]]:
    """Every condition under ``root`` at any depth (combinations too), with its path."""
    for i, item in enumerate(root.items):
        yield (*path, i), item
        if isinstance(item, Conditions):
            yield from _nodes(item, (*path, i))


def _describe(node: Condition, path: Path) -> Text:
    at = "".join(f"[{i}]" for i in path)
    if isinstance(node, Criterion):
        return Text(f"condition{at} on {node.metric!r}", f"条件{at}(指标 {node.metric!r})")
    if isinstance(node, Flag):
        return Text(f"condition{at} on column {node.column!r}", f"条件{at}(列 {node.column!r})")
    return Text(f"condition{at} ({node.combine})", f"条件{at}({node.combine})")


def _unique(problems: list[Text], kind: str, ids: list[str]) -> None:
    seen: set[str] = set()
    for i in ids:
        if i in seen:
            problems.append(Text(f"duplicate {kind} id {i!r}", f"{KINDS[kind]} id {i!r} 重复"))
        seen.add(i)


def _check_when(problems: list[Text], scheme: Scheme, when: Mapping[str, str], where: Text) -> None:
    for key, value in when.items():
        try:
            option = scheme.option(key)
        except KeyError:
            problems.append(
                Text(
                    f"{where.en}: 'when' names unknown option {key!r}",
                    f"{where.zh}:'when' 用了未知的选项 {key!r}",
                )
            )
            continue
        if value not in option.values:
            problems.append(
                Text(
                    f"{where.en}: option {key!r} has no value {value!r}",
                    f"{where.zh}:选项 {key!r} 没有取值 {value!r}",
                )
            )


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
