"""Reading the parts of a scheme file (columns, metrics, parameters, options, conditions,
tiers, benefits) from TOML data, each value checked against what its key expects and
every problem collected under its key path (``tiers[2].any[0].metric``)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from workbench.scheme import metrics
from workbench.scheme.columns import BOOL_ALIASES
from workbench.scheme.metrics import RankRule
from workbench.scheme.model import (
    Benefit,
    Choice,
    Column,
    Condition,
    Conditions,
    Criterion,
    Flag,
    Metric,
    Option,
    Parameter,
    Tier,
)
from workbench.text import Text

FORMAT_VERSION = 1
COLUMN_KINDS = ("bool", "money", "number", "category", "text")
TOP_KEYS = {
    "format_version",
    "id",
    "name",
    "description",
    "source",
    "main_metric",
    "aum_measure",
    "extends",
    "combine",
    "columns",
    "metrics",
    "parameters",
    "options",
    "groups",
    "tiers",
    "floors",
    "overrides",
    "benefits",
    "remove_tiers",
    "remove_benefits",
    "required_columns",
    "optional_columns",
    "explain",
    "base_tier_column",
    "base_tier_name",
    "window_months",
}
METRIC_KINDS = ("column", "household", "weighted_sum", "total", "rank")
CONDITION_KEYS = {"metric", "at_least", "above", "tier_rank", "column", "any", "all", "group", "when"}


# What a value was expected to be, in both languages (``Reader.expect``).
A_TABLE = Text("a table", "表")
A_LIST = Text("a list", "列表")
A_TEXT = Text("a text", "文本")
A_NUMBER = Text("a number", "数字")
A_COLUMN = Text("a column name", "列名")
A_METRIC = Text("a metric id", "指标 id")
A_TIER = Text("a tier id", "层级 id")


@dataclass(frozen=True)
class Problem:
    """One mistake in a scheme file: where (a key path such as ``tiers[2].any[0].metric``)
    and what was expected, in both languages."""

    key: str
    message: Text


@dataclass
class Problems:
    """Problems collected while reading a file, each under the key it concerns."""

    items: list[Problem] = field(default_factory=list)

    def add(self, key: str, message: Text) -> None:
        self.items.append(Problem(key, message))

    def __bool__(self) -> bool:
        return bool(self.items)


class Reader:
    """Reads one file's data into scheme parts, noting every problem."""

    def __init__(self, data: Mapping[str, Any], problems: Problems) -> None:
        self.data = data
        self.problems = problems

    # -- values ---------------------------------------------------------------------

    def expect(self, value: Any, kinds: type | tuple[type, ...], key: str, what: Text) -> Any:
        """``value`` when it is of ``kinds`` (a bool is not a number), else a problem and None."""
        ok = isinstance(value, kinds) and not (isinstance(value, bool) and bool not in _tuple(kinds))
        if not ok:
            self.problems.add(key, expected(what, value))
            return None
        return value

    def text(self, value: Any, key: str, required: bool = True) -> Text | None:
        """A ``{ en = "...", zh = "..." }`` label."""
        if value is None:
            if required:
                self.problems.add(
                    key,
                    Text(
                        'missing: expected { en = "...", zh = "..." }', '缺少:应为 { en = "...", zh = "..." }'
                    ),
                )
            return None
        if isinstance(value, Mapping) and set(value) <= {"en", "zh"}:
            en, zh = value.get("en"), value.get("zh")
            if isinstance(en, str) and en.strip() and isinstance(zh, str) and zh.strip():
                return Text(en.strip(), zh.strip())
        self.problems.add(
            key,
            expected(
                Text(
                    '{ en = "...", zh = "..." } with both languages',
                    '{ en = "...", zh = "..." },中英文都要写',
                ),
                value,
            ),
        )
        return None

    def number(self, value: Any, key: str, what: Text = A_NUMBER) -> float | None:
        found = self.expect(value, (int, float), key, what)
        return None if found is None else float(found)

    def table(self, value: Any, key: str) -> Mapping[str, Any]:
        found = self.expect(value, Mapping, key, A_TABLE)
        return found if found is not None else {}

    def keys(self, table: Mapping[str, Any], allowed: set[str], key: str) -> None:
        for name in table:
            if name not in allowed:
                listed = ", ".join(sorted(allowed))
                self.problems.add(
                    f"{key}.{name}",
                    Text(f"unknown key; expected one of {listed}", f"未知的键;应为以下之一:{listed}"),
                )

    def when(self, value: Any, key: str) -> dict[str, str]:
        table = self.table(value, key) if value is not None else {}
        out = {}
        for option, choice in table.items():
            if (
                self.expect(choice, str, f"{key}.{option}", Text("an option value (text)", "选项值(文本)"))
                is not None
            ):
                out[str(option)] = choice
        return out

    # -- parts ----------------------------------------------------------------------

    def column(self, name: str, spec: Any) -> Column | None:
        key = f"columns.{name}"
        table = self.table(spec, key)
        self.keys(table, {"kind", "name", "aliases", "default", "categories", "values"}, key)
        kinds = Text("one of " + " | ".join(COLUMN_KINDS), "以下之一:" + " | ".join(COLUMN_KINDS))
        kind = self.expect(table.get("kind"), str, f"{key}.kind", kinds)
        if kind is not None and kind not in COLUMN_KINDS:
            self.problems.add(f"{key}.kind", expected(kinds, kind))
            kind = None
        label = self.text(table.get("name"), f"{key}.name")
        aliases = self.strings(table.get("aliases", []), f"{key}.aliases")
        categories = self.strings(table.get("categories", []), f"{key}.categories")
        if kind == "category" and not categories:
            self.problems.add(
                f"{key}.categories",
                Text("a category column lists its values, lowest first", "类别列须列出它的取值,从低到高"),
            )
        values = self.table(table.get("values", {}), f"{key}.values")
        value_aliases = {str(k): str(v) for k, v in values.items()}
        default = table.get("default", _DEFAULTS.get(kind or ""))
        if kind == "category" and categories and default is None:
            default = categories[0]
        if kind is None or label is None:
            return None
        if kind == "bool":
            value_aliases = {**BOOL_ALIASES, **value_aliases}
        return Column(
            name,
            kind,
            label,
            default=default,
            categories=tuple(categories),
            aliases=tuple(aliases),
            value_aliases=value_aliases,
        )

    def strings(self, value: Any, key: str) -> list[str]:
        found = self.expect(value, list, key, Text("a list of texts", "文本列表"))
        out = []
        for i, item in enumerate(found or []):
            if self.expect(item, str, f"{key}[{i}]", A_TEXT) is not None:
                out.append(item)
        return out

    def metric(self, metric_id: str, spec: Any, columns: Callable[[str], Column | None]) -> Metric | None:
        key = f"metrics.{metric_id}"
        table = self.table(spec, key)
        allowed = {*METRIC_KINDS, "name", "unit", "basis", "min_members", "per", "decimals", "scale"}
        self.keys(table, allowed, key)
        kinds = [k for k in METRIC_KINDS if k in table]
        if len(kinds) != 1:
            self.problems.add(key, _exactly_one(METRIC_KINDS, kinds))
            return None
        label = self.text(table.get("name"), f"{key}.name")
        if label is None:
            return None
        kind = kinds[0]
        unit = table.get("unit")
        if kind == "column":
            name = self.expect(table["column"], str, f"{key}.column", A_COLUMN)
            if name is None:
                return None
            col = columns(name)
            money = col is None or col.kind == "money"
            return metrics.column(
                name,
                label=label,
                unit=unit or ("CNY" if money else "number"),
                scale="money" if money else "linear",
                metric_id=metric_id,
            )
        if kind == "household":
            name = self.expect(table["household"], str, f"{key}.household", A_COLUMN)
            basis = table.get("basis", "mean")
            option = None
            if isinstance(basis, Mapping) and set(basis) == {"option"} and isinstance(basis["option"], str):
                option, basis = basis["option"], "mean"
            elif basis not in ("mean", "sum"):
                bases = Text('"mean", "sum" or { option = "..." }', '"mean"、"sum" 或 { option = "..." }')
                self.problems.add(f"{key}.basis", expected(bases, basis))
                basis = "mean"
            whole = Text("a whole number", "整数")
            members = self.expect(table.get("min_members", 2), int, f"{key}.min_members", whole)
            if name is None:
                return None
            return metrics.household_aggregate(
                metric_id,
                label,
                name,
                basis_option=option,
                basis=basis,
                min_members=members or 2,
                decimals=int(table.get("decimals", 2)),
            )
        if kind == "weighted_sum":
            terms = self.table(table["weighted_sum"], f"{key}.weighted_sum")
            items: dict[str, str | float] = {}
            for term, weight in terms.items():
                w = self.expect(
                    weight,
                    (str, int, float),
                    f"{key}.weighted_sum.{term}",
                    Text("a weight parameter id or a number", "权重参数 id 或数字"),
                )
                if w is not None:
                    items[str(term)] = w if isinstance(w, str) else float(w)
            per = self.number(table.get("per", 10_000), f"{key}.per") or 10_000.0
            return metrics.weighted_sum(
                metric_id,
                label,
                items,
                per=per,
                unit=unit or "points",
                decimals=int(table.get("decimals", 6)),
            )
        if kind == "total":
            return metrics.total(
                metric_id, label, tuple(self.strings(table["total"], f"{key}.total")), unit=unit or "CNY"
            )
        rules = []
        rules_list = self.expect(table["rank"], list, f"{key}.rank", Text("a list of rules", "规则列表"))
        for i, rule in enumerate(rules_list or []):
            at = f"{key}.rank[{i}]"
            r = self.table(rule, at)
            self.keys(r, {"column", "is", "tier"}, at)
            col = self.expect(r.get("column"), str, f"{at}.column", A_COLUMN)
            value = self.expect(
                r.get("is", True),
                (str, bool),
                f"{at}.is",
                Text("a value (text or true)", "取值(文本或 true)"),
            )
            tier = self.expect(r.get("tier"), str, f"{at}.tier", A_TIER)
            if col is not None and value is not None and tier is not None:
                rules.append(RankRule(col, value, tier))
        return metrics.tier_rank(metric_id, label, tuple(rules))

    def parameter(self, param_id: str, spec: Any) -> Parameter | None:
        key = f"parameters.{param_id}"
        table = self.table(spec, key)
        self.keys(table, {"name", "default", "unit", "step", "big_step", "kind", "minimum", "maximum"}, key)
        label = self.text(table.get("name"), f"{key}.name")
        default = self.number(table.get("default"), f"{key}.default")
        kind = table.get("kind", "threshold")
        if kind not in ("threshold", "weight"):
            self.problems.add(
                f"{key}.kind", expected(Text('"threshold" or "weight"', '"threshold" 或 "weight"'), kind)
            )
        unit = self.expect(table.get("unit", "CNY"), str, f"{key}.unit", Text("a unit (text)", "单位(文本)"))
        numbers = {}
        for name in ("step", "big_step", "minimum", "maximum"):
            if name in table:
                numbers[name] = self.number(table[name], f"{key}.{name}")
        if label is None or default is None or unit is None or None in numbers.values():
            return None
        step = numbers.get("step") or (10_000.0 if unit == "CNY" else 1.0)
        return Parameter(
            param_id,
            label,
            default,
            unit,
            kind=kind if kind in ("threshold", "weight") else "threshold",
            minimum=numbers.get("minimum", 0.0) or 0.0,
            maximum=numbers.get("maximum"),
            step=step,
            big_step=numbers.get("big_step"),
        )

    def option(self, option_id: str, spec: Any) -> Option | None:
        key = f"options.{option_id}"
        table = self.table(spec, key)
        self.keys(table, {"name", "choices", "default"}, key)
        label = self.text(table.get("name"), f"{key}.name")
        choices = []
        for value, name in self.table(table.get("choices"), f"{key}.choices").items():
            at = f"{key}.choices.{value}"
            if isinstance(name, Mapping) and "name" in name:
                full, short = (
                    self.text(name["name"], f"{at}.name"),
                    self.text(name.get("short"), f"{at}.short", False),
                )
            else:
                full, short = self.text(name, at), None
            if full is not None:
                choices.append(Choice(str(value), full, short))
        if not choices:
            self.problems.add(
                f"{key}.choices", Text("an option needs at least one choice", "选项至少要有一个选择")
            )
        default = self.expect(
            table.get("default"), str, f"{key}.default", Text("one of the choices", "其中一个选择")
        )
        if default is not None and choices and default not in {c.value for c in choices}:
            listed = ", ".join(c.value for c in choices)
            self.problems.add(
                f"{key}.default",
                Text(f"{default!r} is not one of {listed}", f"{default!r} 不在可选值中:{listed}"),
            )
        if label is None or not choices or default is None:
            return None
        return Option(option_id, label, tuple(choices), default)

    def condition(self, spec: Any, key: str) -> Condition | None:
        table = self.table(spec, key)
        self.keys(table, CONDITION_KEYS, key)
        group = self.expect(table.get("group", ""), str, f"{key}.group", Text("a group id", "组 id")) or ""
        when = self.when(table.get("when"), f"{key}.when")
        heads = [k for k in ("metric", "column", "any", "all") if k in table]
        if len(heads) != 1:
            self.problems.add(key, _exactly_one(("metric", "column", "any", "all"), heads))
            return None
        head = heads[0]
        if head in ("any", "all"):
            items = self.conditions(table[head], f"{key}.{head}")
            return None if items is None else Conditions(head, items, group, when)  # type: ignore[arg-type]
        if head == "column":
            name = self.expect(
                table["column"], str, f"{key}.column", Text("a yes/no column name", "是/否列的列名")
            )
            return None if name is None else Flag(name, group, when)
        metric = self.expect(table["metric"], str, f"{key}.metric", A_METRIC)
        limits = [k for k in ("at_least", "above", "tier_rank") if k in table]
        if len(limits) != 1:
            self.problems.add(key, _exactly_one(("at_least", "above", "tier_rank"), limits))
            return None
        limit = limits[0]
        if limit == "tier_rank":
            if table["tier_rank"] is not True:
                self.problems.add(f"{key}.tier_rank", Text("expected true", "应为 true"))
            return None if metric is None else Criterion(metric, None, group, False, when)
        value = self.expect(
            table[limit],
            (str, int, float),
            f"{key}.{limit}",
            Text("a threshold parameter id or a number", "门槛参数 id 或数字"),
        )
        if metric is None or value is None:
            return None
        threshold = value if isinstance(value, str) else float(value)
        return Criterion(metric, threshold, group, limit == "above", when)

    def conditions(self, spec: Any, key: str) -> tuple[Condition, ...] | None:
        items = self.expect(spec, list, key, Text("a list of conditions", "条件列表"))
        if items is None:
            return None
        out = [self.condition(item, f"{key}[{i}]") for i, item in enumerate(items)]
        return tuple(c for c in out if c is not None)

    def tier(self, spec: Any, key: str) -> tuple[Tier, str | None] | None:
        table = self.table(spec, key)
        self.keys(table, {"id", "name", "any", "all", "above", "note"}, key)
        tier_id = self.expect(table.get("id"), str, f"{key}.id", A_TIER)
        label = self.text(table.get("name"), f"{key}.name")
        note = self.text(table.get("note"), f"{key}.note", required=False)
        above = self.expect(table.get("above"), str, f"{key}.above", A_TIER) if "above" in table else None
        heads = [k for k in ("any", "all") if k in table]
        if len(heads) > 1:
            self.problems.add(
                key,
                Text(
                    "a tier has any or all, not both (nest one inside the other)",
                    "一个层级只能有 any 或 all 之一(可把一个嵌套在另一个里)",
                ),
            )
            return None
        criteria: tuple[Condition, ...] = ()
        combine = None
        if heads:
            combine = heads[0]
            criteria = self.conditions(table[combine], f"{key}.{combine}") or ()
        if tier_id is None or label is None:
            return None
        return Tier(tier_id, label, criteria, note, combine), above  # type: ignore[arg-type]

    def benefit(self, benefit_id: str, spec: Any) -> Benefit | None:
        key = f"benefits.{benefit_id}"
        table = self.table(spec, key)
        label = self.text(table.get("name"), f"{key}.name")
        driver = self.expect(
            table.get("driver"), str, f"{key}.driver", Text("a cost driver id", "成本类型 id")
        )
        reference = self.expect(table.get("reference", ""), str, f"{key}.reference", A_TEXT) or ""
        tiers_value = table.get("tiers", [])
        tiers: dict[str, dict[str, float]] = {}
        if isinstance(tiers_value, list):
            tiers = {t: {} for t in self.strings(tiers_value, f"{key}.tiers")}
        else:
            for tier, values in self.table(tiers_value, f"{key}.tiers").items():
                tiers[str(tier)] = self.values(values, f"{key}.tiers.{tier}")
        shared = self.values(
            {k: v for k, v in table.items() if k not in {"name", "driver", "reference", "tiers"}}, key
        )
        if label is None or driver is None:
            return None
        return Benefit(benefit_id, label, driver, shared, tiers, reference)

    def values(self, spec: Any, key: str) -> dict[str, float]:
        out = {}
        for name, value in self.table(spec, key).items():
            found = self.number(
                value, f"{key}.{name}", Text("a number (a driver field)", "数字(成本类型的字段)")
            )
            if found is not None:
                out[str(name)] = found
        return out


_DEFAULTS: dict[str, Any] = {"bool": False, "money": 0.0, "number": 0.0, "text": ""}


def _tuple(kinds: type | tuple[type, ...]) -> tuple[type, ...]:
    return kinds if isinstance(kinds, tuple) else (kinds,)


def shown(value: Any) -> str:
    if value is None:
        return "nothing"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def expected(what: Text, value: Any) -> Text:
    """``expected <what>, found <value>`` in both languages."""
    found = shown(value)
    return Text(f"expected {what.en}, found {found}", f"应为{what.zh},实为{'空' if value is None else found}")


def _exactly_one(choices: tuple[str, ...], found: list[str]) -> Text:
    listed, seen = ", ".join(choices), ", ".join(found)
    return Text(
        f"expected exactly one of {listed}; found {found or 'none'}",
        f"应恰有以下之一:{listed};实有 {seen or '无'}",
    )
