"""Scheme files: a bank's rules as TOML data, read into a ``Scheme``.

Nothing in a file is executed: every value is read as data, checked against
what its key expects, and every problem is collected (``Problems``) so that
a file's author sees all of them at once. A file may extend an installed
scheme (``extends``): tiers, metrics, parameters, options and benefits then
add to or replace the parent's by id. ``docs/scheme-files.md`` documents each
key; ``workbench.scheme.exporting`` writes the same keys back.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any

from workbench.scheme.columns import COLUMNS
from workbench.scheme.file_reader import (
    A_LIST,
    A_METRIC,
    FORMAT_VERSION,
    TOP_KEYS,
    Problems,
    Reader,
    expected,
)
from workbench.scheme.model import (
    Column,
    Conditions,
    Criterion,
    Flag,
    Floor,
    Group,
    Metric,
    Override,
    Parameter,
    Scheme,
    Tier,
    walk,
)
from workbench.text import Text


def read_scheme(
    data: Mapping[str, Any], parent: Callable[[str], Scheme | None], problems: Problems
) -> Scheme | None:
    """A scheme from a file's data; ``parent(id)`` gives the scheme ``extends`` names.
    Problems go to ``problems`` (the scheme is None when it cannot be built at all)."""
    r = Reader(data, problems)
    r.keys(data, TOP_KEYS, "")
    version = data.get("format_version")
    if version != FORMAT_VERSION:
        problems.add("format_version", expected(Text(str(FORMAT_VERSION), str(FORMAT_VERSION)), version))
    scheme_id = r.expect(data.get("id"), str, "id", Text("a scheme id", "方案 id"))
    base: Scheme | None = None
    if "extends" in data:
        parent_id = r.expect(
            data["extends"], str, "extends", Text("an installed scheme id", "已安装方案的 id")
        )
        if parent_id is not None:
            base = parent(parent_id)
            if base is None:
                return None
    name = r.text(data.get("name"), "name", required=base is None)
    description = r.text(data.get("description"), "description", required=False)
    columns = {c.name: c for c in (base.new_columns if base else ())}
    for col_name, spec in r.table(data.get("columns", {}), "columns").items():
        found = r.column(col_name, spec)
        if found is not None:
            columns[col_name] = found

    def column(col: str) -> Column | None:
        return columns.get(col) or COLUMNS.get(col)

    def merged(kind: str, old: tuple[Any, ...], read: Callable[[str, Any], Any]) -> tuple[Any, ...]:
        out = {item.id: item for item in old}
        for item_id, spec in r.table(data.get(kind, {}), kind).items():
            found = read(str(item_id), spec)
            if found is not None:
                out[str(item_id)] = found
        return tuple(out.values())

    metric_list = merged("metrics", base.metrics if base else (), lambda i, s: r.metric(i, s, column))
    params = merged("parameters", base.parameters if base else (), r.parameter)
    options = merged("options", base.options if base else (), r.option)
    groups = merged("groups", base.groups if base else (), lambda i, s: _group(r, i, s))
    benefits = merged("benefits", base.benefits if base else (), r.benefit)
    tiers = _tiers(r, data, base)
    removed_benefits = set(r.strings(data.get("remove_benefits", []), "remove_benefits"))
    for b in removed_benefits - {b.id for b in benefits}:
        problems.add("remove_benefits", Text(f"no benefit {b!r} to remove", f"没有可删除的权益 {b!r}"))
    kept_ids = {t.id for t in tiers}
    benefits = tuple(
        replace(b, tiers={t: v for t, v in b.tiers.items() if t in kept_ids})
        for b in benefits
        if b.id not in removed_benefits
    )
    floors: tuple[Floor | None, ...] = tuple(base.floors) if base else ()
    if "floors" in data:
        floors = tuple(
            _floor(r, s, f"floors[{i}]")
            for i, s in enumerate(r.expect(data["floors"], list, "floors", A_LIST) or [])
        )
    overrides: tuple[Override | None, ...] = tuple(base.overrides) if base else ()
    if "overrides" in data:
        overrides = tuple(
            _override(r, s, f"overrides[{i}]")
            for i, s in enumerate(r.expect(data["overrides"], list, "overrides", A_LIST) or [])
        )
    main = r.expect(
        data.get("main_metric", base.main_metric if base else "aum"), str, "main_metric", A_METRIC
    )
    aum = r.expect(data.get("aum_measure", base.aum_measure if base else "aum"), str, "aum_measure", A_METRIC)
    combine = data.get("combine", base.combine if base else "any")
    if combine not in ("any", "all"):
        problems.add("combine", expected(Text('"any" or "all"', '"any" 或 "all"'), combine))
        combine = "any"
    read_cols = (
        [c for m in metric_list for c in m.columns]
        + [leaf.column for t in tiers for _, leaf in _leaves(t) if isinstance(leaf, Flag)]
        + [o.column for o in overrides if o is not None]
    )
    metric_by_id = {m.id: m for m in metric_list}
    needed = {c for m in (main, aum) if m in metric_by_id for c in metric_by_id[m].columns} - {"household_id"}
    if "required_columns" in data:
        required = (
            "customer_id",
            *(c for c in r.strings(data["required_columns"], "required_columns") if c != "customer_id"),
        )
    elif base is not None:
        required = base.required_columns
    else:
        required = ("customer_id", *sorted(needed))
    if "optional_columns" in data:
        optional = tuple(r.strings(data["optional_columns"], "optional_columns"))
    else:
        inherited = base.optional_columns if base else ()
        optional = tuple(
            dict.fromkeys(  # a column neither canonical nor declared is reported by validation
                c for c in (*inherited, *read_cols) if c in COLUMNS and c not in required and c not in columns
            )
        )
    if scheme_id is None or (name is None and base is None) or main is None or aum is None:
        return None
    params = _used_parameters(params, tiers, metric_list, base)
    return Scheme(
        id=scheme_id,
        name=name or (base.name if base else Text(scheme_id, scheme_id)),
        description=description or (base.description if base else Text("", "")),
        source=str(data.get("source", base.source if base else "")),
        tiers=tiers,
        parameters=params,
        metrics=metric_list,
        required_columns=tuple(required),
        optional_columns=optional,
        new_columns=tuple(columns.values()),
        options=options,
        groups=groups,
        combine=combine,
        floors=tuple(f for f in floors if f is not None),
        overrides=tuple(o for o in overrides if o is not None),
        benefits=tuple(b for b in benefits if b.tiers),
        main_metric=main,
        aum_measure=aum,
        explain=tuple(r.strings(data["explain"], "explain"))
        if "explain" in data
        else (base.explain if base else ()),
        base_tier_column=data.get("base_tier_column", base.base_tier_column if base else None),
        window_months=int(
            r.expect(
                data.get("window_months", base.window_months if base else 1),
                int,
                "window_months",
                Text("a whole number of months", "整数个月"),
            )
            or 1
        ),
        base_tier_name=r.text(data.get("base_tier_name"), "base_tier_name", required=False)
        or (base.base_tier_name if base else None),
    )


def _group(r: Reader, group_id: str, spec: Any) -> Group | None:
    table = r.table(spec, f"groups.{group_id}")
    r.keys(table, {"name"}, f"groups.{group_id}")
    label = r.text(table.get("name"), f"groups.{group_id}.name")
    return None if label is None else Group(group_id, label)


def _floor(r: Reader, spec: Any, key: str) -> Floor | None:
    table = r.table(spec, key)
    r.keys(table, {"metric", "when", "name"}, key)
    metric = r.expect(
        table.get("metric"), str, f"{key}.metric", Text("a tier-rank metric id", "层级等级指标的 id")
    )
    label = r.text(table.get("name"), f"{key}.name", required=False)
    when = r.when(table.get("when"), f"{key}.when")
    return None if metric is None else Floor(metric, label or Text(metric, metric), when)


def _override(r: Reader, spec: Any, key: str) -> Override | None:
    table = r.table(spec, key)
    r.keys(table, {"column", "when", "name"}, key)
    column = r.expect(table.get("column"), str, f"{key}.column", Text("a tier column", "层级列"))
    label = r.text(table.get("name"), f"{key}.name", required=False)
    when = r.when(table.get("when"), f"{key}.when")
    return None if column is None else Override(column, label or Text(column, column), when)


def _leaves(tier: Tier) -> list[tuple[tuple[int, ...], Any]]:
    return list(walk(Conditions("any", tier.criteria)))


def _tiers(r: Reader, data: Mapping[str, Any], base: Scheme | None) -> tuple[Tier, ...]:
    """The tiers, lowest first: the file's own, or the parent's with the file's changes."""
    tiers = list(base.tiers) if base else []
    specs = (
        r.expect(
            data.get("tiers", []), list, "tiers", Text("a list of [[tiers]] tables", "[[tiers]] 表的列表")
        )
        or []
    )
    if base is None and not specs:
        r.problems.add(
            "tiers",
            Text(
                "a scheme file lists its tiers, lowest first, as [[tiers]] tables",
                "方案文件须以 [[tiers]] 表列出各层级,从低到高",
            ),
        )
    for i, spec in enumerate(specs):
        key = f"tiers[{i}]"
        found = r.tier(spec, key)
        if found is None:
            continue
        tier, above = found
        ids = [t.id for t in tiers]
        if base is not None and tier.id in ids and above is None:
            tiers[ids.index(tier.id)] = tier  # the parent's tier, replaced
            continue
        if tier.id in ids:
            if base is None:
                r.problems.add(
                    f"{key}.id", Text(f"duplicate tier id {tier.id!r}", f"层级 id {tier.id!r} 重复")
                )
                continue
            del tiers[ids.index(tier.id)]
            ids = [t.id for t in tiers]
        if above is not None:
            if above not in ids:
                listed = ", ".join(ids)
                r.problems.add(
                    f"{key}.above",
                    Text(
                        f"no tier {above!r} to go above; tiers: {listed}",
                        f"没有可排在其上的层级 {above!r};现有层级:{listed}",
                    ),
                )
                continue
            tiers.insert(ids.index(above) + 1, tier)
        else:
            tiers.append(tier)
    removed = r.strings(data.get("remove_tiers", []), "remove_tiers")
    for tier_id in removed:
        ids = [t.id for t in tiers]
        if tier_id not in ids:
            listed = ", ".join(ids)
            r.problems.add(
                "remove_tiers",
                Text(
                    f"no tier {tier_id!r} to remove; tiers: {listed}",
                    f"没有可删除的层级 {tier_id!r};现有层级:{listed}",
                ),
            )
        elif ids.index(tier_id) == 0:
            r.problems.add(
                "remove_tiers",
                Text(
                    f"{tier_id!r} is the lowest tier, where everyone else is: it stays",
                    f"{tier_id!r} 是最低层级,其余客户都在这里:不能删除",
                ),
            )
        else:
            del tiers[ids.index(tier_id)]
    return tuple(tiers)


def _used_parameters(
    params: tuple[Parameter, ...],
    tiers: tuple[Tier, ...],
    metric_list: tuple[Metric, ...],
    base: Scheme | None,
) -> tuple[Parameter, ...]:
    """The parameters, less those inherited from the parent that no tier or metric reads
    any more (the thresholds of a removed tier)."""
    if base is None:
        return params
    used: set[object] = {p for m in metric_list for p in m.parameters}
    used |= {leaf.threshold for t in tiers for _, leaf in _leaves(t) if isinstance(leaf, Criterion)}
    inherited = {p.id: p for p in base.parameters}
    return tuple(p for p in params if p.id in used or inherited.get(p.id) is not p)
