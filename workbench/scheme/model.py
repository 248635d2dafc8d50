"""The declarative scheme model: what a scheme plugin declares.

A customer's tier is the highest tier whose criteria hold (combined by any-of
or all-of), raised by floors and replaced by overrides. Criteria compare a
metric with a threshold parameter; metrics are columns or values derived from
columns with weight parameters. The engine evaluates these declarations; a
scheme whose rule does not fit supplies its own ``classify`` function.

Nothing here knows any bank, reads files or draws anything.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from workbench.text import Text

if TYPE_CHECKING:
    import numpy as np

    from workbench.scheme.metrics import MetricContext, MetricSpec

ColumnKind = Literal["id", "text", "money", "number", "bool", "category", "tier"]
Combine = Literal["any", "all"]
ParameterKind = Literal["threshold", "weight"]


@dataclass(frozen=True)
class Column:
    """A portfolio column: canonical ones live in ``workbench.scheme.columns``.

    ``categories`` are ordered low to high for ``category`` columns;
    ``aliases`` are other header names a bank's export may use for it, and
    ``value_aliases`` other spellings of category or boolean values. Over a window of
    months (``workbench replay``), a ``flow`` column is summed, other money columns
    (balances) averaged over the months the customer was present.
    """

    name: str
    kind: ColumnKind
    description: Text
    default: Any = None
    categories: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    value_aliases: Mapping[str, str] = field(default_factory=dict)
    missing: Text | None = None  # what a file without the column means, said plainly
    flow: bool = False  # money over a period (transactions): months add up; else a balance, averaged


@dataclass(frozen=True)
class Criterion:
    """``metric >= threshold`` (``>`` when ``strict``) for one tier.

    ``threshold`` is a parameter id, a constant, or ``None``, which means the
    metric is a tier rank (see ``metrics.tier_rank``) and the criterion holds
    when it reaches this tier. ``group`` names the criterion in "qualified by"
    breakdowns (for example ``"balance"``, ``"card"``, ``"income"``) and must be
    declared in ``Scheme.groups``. ``when`` restricts it to option values.
    """

    metric: str
    threshold: str | float | None = None
    group: str = ""
    strict: bool = False
    when: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Flag:
    """A yes/no column being true (``risk_assessed``, ``payroll_card``).

    ``group`` and ``when`` as for ``Criterion``.
    """

    column: str
    group: str = ""
    when: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Conditions:
    """Conditions combined with ``any`` or ``all``, nested to any depth.

    A combination with a ``group`` qualifies a customer as that group when it
    holds (an ``all`` of a payroll card and some balance is "payroll"); ``when``
    restricts the whole combination to option values. Items switched off by
    their own ``when`` are left out; a combination with no item left is itself
    left out.
    """

    combine: Combine
    items: tuple[Condition, ...]
    group: str = ""
    when: Mapping[str, str] = field(default_factory=dict)


Condition = Criterion | Flag | Conditions
Leaf = Criterion | Flag
Path = tuple[int, ...]  # item positions from a tier's root to a condition


@dataclass(frozen=True)
class Tier:
    """A tier, with the conditions that qualify a customer for it.

    ``criteria`` combine by ``combine``, or by the scheme's ``combine`` when the
    tier does not say; each is a ``Criterion``, a ``Flag`` or a nested
    ``Conditions``. The lowest tier of a scheme has none: it is where everyone
    else is.
    """

    id: str
    name: Text
    criteria: tuple[Condition, ...] = ()
    note: Text | None = None
    combine: Combine | None = None


@dataclass(frozen=True)
class Parameter:
    """A tunable number: a threshold compared with a metric, or a weight.

    ``step`` is the nudge, ``big_step`` the nudge with a modifier key.
    """

    id: str
    name: Text
    default: float
    unit: str
    kind: ParameterKind = "threshold"
    minimum: float = 0.0
    maximum: float | None = None
    step: float = 10_000.0
    big_step: float | None = None

    @property
    def large_step(self) -> float:
        return self.big_step if self.big_step is not None else self.step * 10


@dataclass(frozen=True)
class Choice:
    """One reading of an option: its value (the id kept in scenario files), its name, and
    a short name of a word or two for tight places (the name when None)."""

    value: str
    name: Text
    short: Text | None = None

    @property
    def label(self) -> Text:
        return self.short or self.name


@dataclass(frozen=True)
class Option:
    """A switch between readings of a rule, e.g. household mean or sum."""

    id: str
    name: Text
    choices: tuple[Choice, ...]
    default: str

    @property
    def values(self) -> tuple[str, ...]:
        return tuple(c.value for c in self.choices)


@dataclass(frozen=True)
class Group:
    """A named kind of criterion, for "qualified by" breakdowns."""

    id: str
    name: Text


@dataclass(frozen=True)
class Metric:
    """A per-customer number the criteria compare.

    A metric is either declared (``spec``: one of the kinds in
    ``workbench.scheme.metrics``, which the engine evaluates) or computed by the
    plugin's own ``compute``, which receives a ``MetricContext`` and returns
    one float per customer (NaN where the metric does not apply).
    ``columns``, ``parameters`` and ``options`` list what it reads, so the
    engine knows when to recompute it. ``decimals`` rounds the result before
    any comparison, as a bank's decimal system would (points that add up to
    exactly 2,000 reach 2,000). ``scale`` tells charts how to draw it:
    ``"money"`` (log), ``"linear"`` or ``"rank"`` (a tier rank from
    ``metrics.tier_rank``).
    """

    id: str
    name: Text
    unit: str
    compute: Callable[[MetricContext], np.ndarray] | None = None
    columns: tuple[str, ...] = ()
    parameters: tuple[str, ...] = ()
    options: tuple[str, ...] = ()
    decimals: int | None = None
    scale: Literal["money", "linear", "rank"] = "money"
    spec: MetricSpec | None = None


@dataclass(frozen=True)
class Floor:
    """Raises a customer to at least the tier a rank metric gives."""

    metric: str
    name: Text
    when: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Override:
    """A per-customer column of tier ids that replaces the computed tier."""

    column: str
    name: Text
    when: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Benefit:
    """A benefit and how it costs.

    ``driver`` is a cost driver id (``workbench.scheme.drivers``); ``assumptions`` are
    the driver's fields shared by every tier; ``tiers`` maps each tier that
    offers the benefit to its own assumption values (may be empty).
    """

    id: str
    name: Text
    driver: str
    assumptions: Mapping[str, float]
    tiers: Mapping[str, Mapping[str, float]]
    reference: str = ""


@dataclass(frozen=True)
class ClassifyContext:
    """What a custom ``classify`` function receives."""

    metrics: Mapping[str, np.ndarray]
    params: Mapping[str, float]
    options: Mapping[str, str]
    context: MetricContext


@dataclass(frozen=True)
class Scheme:
    """A tiering scheme, declared.

    Tiers run low to high. ``aum_measure`` is the metric whose sum is shown as
    a tier's AUM (and is the basis of basis-point costs). ``explain`` lists the
    metric ids written per customer by ``classify``; ``base_tier_column`` names
    the tier before floors and overrides (ICBC: ``contribution_tier``).
    ``classify``, when given, replaces the criteria: it returns tier indexes.
    """

    id: str
    name: Text
    tiers: tuple[Tier, ...]
    parameters: tuple[Parameter, ...]
    metrics: tuple[Metric, ...]
    required_columns: tuple[str, ...]
    optional_columns: tuple[str, ...] = ()
    new_columns: tuple[Column, ...] = ()
    options: tuple[Option, ...] = ()
    groups: tuple[Group, ...] = ()
    combine: Combine = "any"
    floors: tuple[Floor, ...] = ()
    overrides: tuple[Override, ...] = ()
    benefits: tuple[Benefit, ...] = ()
    main_metric: str = "aum"
    aum_measure: str = "aum"
    explain: tuple[str, ...] = ()
    base_tier_column: str | None = None
    base_tier_name: Text | None = None
    description: Text = field(default_factory=lambda: Text("", ""))
    source: str = ""
    classify: Callable[[ClassifyContext], np.ndarray] | None = None
    window_months: int = 1  # months its half-year figures cover, evaluated month by month

    # -- lookups -----------------------------------------------------------

    @property
    def tier_ids(self) -> tuple[str, ...]:
        return tuple(t.id for t in self.tiers)

    def tier_index(self, tier_id: str) -> int:
        for i, t in enumerate(self.tiers):
            if t.id == tier_id:
                return i
        raise KeyError(tier_id)

    def tier(self, tier_id: str) -> Tier:
        return self.tiers[self.tier_index(tier_id)]

    def parameter(self, param_id: str) -> Parameter:
        for p in self.parameters:
            if p.id == param_id:
                return p
        raise KeyError(param_id)

    def option(self, option_id: str) -> Option:
        for o in self.options:
            if o.id == option_id:
                return o
        raise KeyError(option_id)

    def metric(self, metric_id: str) -> Metric:
        for m in self.metrics:
            if m.id == metric_id:
                return m
        raise KeyError(metric_id)

    def group(self, group_id: str) -> Group:
        for g in self.groups:
            if g.id == group_id:
                return g
        raise KeyError(group_id)

    def benefit(self, benefit_id: str) -> Benefit:
        for b in self.benefits:
            if b.id == benefit_id:
                return b
        raise KeyError(benefit_id)

    @property
    def default_params(self) -> dict[str, float]:
        return {p.id: float(p.default) for p in self.parameters}

    @property
    def default_options(self) -> dict[str, str]:
        return {o.id: o.default for o in self.options}

    @property
    def columns(self) -> tuple[str, ...]:
        """Every column the scheme reads: required, optional, and its own new columns
        (declared once in ``new_columns``, optional unless listed as required)."""
        optional = (*self.optional_columns, *(c.name for c in self.new_columns))
        return tuple(dict.fromkeys(self.required_columns + optional))

    def conditions(self, tier: Tier | str) -> Conditions:
        """A tier's conditions as one combination (its root)."""
        tier = self.tier(tier) if isinstance(tier, str) else tier
        return Conditions(tier.combine or self.combine, tier.criteria)

    def leaves(
        self, tier: Tier | str, options: Mapping[str, str] | None = None
    ) -> Iterator[tuple[Path, Leaf]]:
        """A tier's criteria and flags at any depth, with their paths; only those in force
        under ``options`` (themselves and every combination around them) when given."""
        return walk(self.conditions(tier), options)

    def criteria_of(self, tier: Tier | str, options: Mapping[str, str] | None = None) -> list[Criterion]:
        """A tier's criteria (metric compared with a threshold) at any depth."""
        return [c for _, c in self.leaves(tier, options) if isinstance(c, Criterion)]

    def thresholds_of(self, tier_id: str) -> tuple[str, ...]:
        """Parameter ids that are thresholds of ``tier_id``'s criteria."""
        found = (c.threshold for c in self.criteria_of(tier_id) if isinstance(c.threshold, str))
        return tuple(dict.fromkeys(found))

    def tier_of_parameter(self, param_id: str) -> str | None:
        """The tier whose criterion uses ``param_id`` as threshold, if any."""
        for t in self.tiers:
            if param_id in self.thresholds_of(t.id):
                return t.id
        return None

    def group_of_parameter(self, param_id: str) -> str:
        """The group a threshold counts for: its criterion's own, else that of the nearest
        combination around it ("" when none)."""
        for t in self.tiers:
            root = self.conditions(t)
            for path, leaf in self.leaves(t):
                if isinstance(leaf, Criterion) and leaf.threshold == param_id:
                    groups = [leaf.group] + [
                        g
                        for g in (
                            getattr(node_at(root, path[:i]), "group", "") for i in range(len(path) - 1, 0, -1)
                        )
                    ]
                    return next((g for g in groups if g), "")
        return ""

    def criterion_of_parameter(self, param_id: str) -> Criterion | None:
        for t in self.tiers:
            for c in self.criteria_of(t):
                if c.threshold == param_id:
                    return c
        return None


def applies(when: Mapping[str, str], options: Mapping[str, str]) -> bool:
    """Whether a ``when`` restriction holds under ``options``."""
    return all(options.get(k) == v for k, v in when.items())


def walk(
    node: Conditions, options: Mapping[str, str] | None = None, path: Path = ()
) -> Iterator[tuple[Path, Leaf]]:
    """The criteria and flags under ``node`` at any depth with their paths; with
    ``options``, only those in force (every combination on the way applies)."""
    if options is not None and not applies(node.when, options):
        return
    for i, item in enumerate(node.items):
        if isinstance(item, Conditions):
            yield from walk(item, options, (*path, i))
        elif options is None or applies(item.when, options):
            yield (*path, i), item


def node_at(root: Conditions, path: Path) -> Condition:
    """The condition at ``path`` under ``root``."""
    node: Condition = root
    for i in path:
        assert isinstance(node, Conditions)
        node = node.items[i]
    return node
