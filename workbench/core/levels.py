"""Classifying and counting in one compiled pass, for tiers that nest.

In most schemes the tiers nest: every tier's conditions have the same shape, item
for item, and a criterion met for a tier is met for every tier below it (its
threshold rises with the tier). Then a criterion holds for a run of tiers from the
lowest up, and a customer's *level* for it is how many tiers it holds for; an
``any`` takes the highest of its items' levels, an ``all`` the lowest, the root's
level is the customer's tier, and a group qualified the customer when its node's
level reaches that tier. Floors and overrides apply after, as in
``Engine.classify``.

Each criterion's levels are counted a block at a time (one comparison per tier,
vectorised), a few compiled loops over the block combine them and apply floors and
overrides without branching on the data, and the counting pass writes each row's
(tier, "qualified by") state and counts it: where the general path makes a numpy
pass over the block for every comparison, combination and mask. Tiers that do not
nest (a threshold below the one of the tier beneath, a tier whose conditions differ
in shape, an option that switches a tier's conditions off) have no plan and take
the general path: the same figures either way (tested against it).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from numba import njit

from workbench.core.buffers import thread_scratch
from workbench.core.engine import Engine
from workbench.core.fused import count_states
from workbench.core.households import look_up
from workbench.core.pages import ordinary_pages
from workbench.core.parallel import map_blocks
from workbench.core.results import Classification, breakdown_table
from workbench.core.settings import Settings
from workbench.scheme.model import Condition, Conditions, Criterion, Flag, applies

ANY, ALL = -1, -2  # ops that combine their children's levels; an op >= 0 is that leaf's


@dataclass(frozen=True)
class LevelPlan:
    """What the compiled pass reads for one scheme under one set of settings."""

    leaves: tuple[np.ndarray, ...]  # per leaf: a metric's values, a yes/no column or household codes
    looked_up: tuple[np.ndarray | None, ...]  # per leaf by households: each household's level
    limits: tuple[np.ndarray, ...]  # per leaf: its threshold for each tier above the lowest
    strict: tuple[np.ndarray, ...]  # per leaf: whether each tier's comparison is ``>``
    ops: np.ndarray  # the root in postfix: a leaf's index, or ANY / ALL; the root last
    children: np.ndarray  # per op: the ops an ANY / ALL combines (-1 after the last)
    bits: np.ndarray  # the group bit of the node each op yields (0: none)
    ranks: tuple[np.ndarray, ...]  # floors' tier ranks
    overrides: tuple[np.ndarray, ...]  # override columns as tier indexes (-1: none)
    table: np.ndarray  # groups met -> "qualified by" index
    floor_code: int
    override_code: int

    def tally(
        self, start: int, stop: int, baseline: np.ndarray, fen: np.ndarray, state: np.ndarray, sizes: tuple
    ) -> tuple[np.ndarray, np.ndarray]:
        """Rows ``start:stop`` classified: their (tier, code) written into ``state`` and
        counted by (baseline tier, tier, code), their fen by (baseline tier, tier)."""
        m = stop - start
        nodes, ranks, overrides, rest = self._block(start, stop, 3)
        tiers, codes, masks = (rest[i * m : (i + 1) * m] for i in range(3))
        tiers, codes = tiers.view(np.int8), codes.view(np.int8)
        _classify_levels(
            nodes, self.ops, self.children, self.bits, ranks, overrides,
            self.table, self.floor_code, self.override_code, masks, tiers, codes,
        )  # fmt: skip
        return count_states(baseline, tiers, codes, fen, state, sizes)

    def classify(self, start: int, stop: int, out: Classification, scratch: np.ndarray) -> None:
        """Rows ``start:stop`` classified into ``out``'s arrays (those it has: ``scratch``,
        two rows' worth, stands in for the base tiers and the raised flags it has not)."""
        m = stop - start
        nodes, ranks, overrides, _ = self._block(start, stop, 0)
        base = out.base[start:stop] if out.base is not None else scratch[:m].view(np.int8)
        raised = out.raised[start:stop] if out.raised is not None else scratch[m : 2 * m].view(np.bool_)
        overridden = out.overridden[start:stop] if out.overridden is not None else np.empty(0, np.bool_)
        assert out.qualified is not None
        _classification_levels(
            nodes, self.ops, self.children, self.bits, ranks, overrides,
            base, out.qualified[start:stop], out.tiers[start:stop], raised, overridden,
        )  # fmt: skip

    def _block(
        self, start: int, stop: int, extra: int
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """This thread's scratch for rows ``start:stop``: each op's levels (the leaves'
        filled in), the floors' ranks, the overrides' tiers, and ``extra`` rows to spare."""
        m, n_ops = stop - start, len(self.ops)
        scratch = thread_scratch(m * (n_ops + len(self.ranks) + len(self.overrides) + extra), "levels")
        nodes = scratch[: n_ops * m].reshape(n_ops, m)
        ranks = _rows(self.ranks, start, stop, scratch[n_ops * m :])
        overrides = _rows(self.overrides, start, stop, scratch[(n_ops + len(self.ranks)) * m :])
        for j, leaf in enumerate(self.ops):
            if leaf < 0:
                continue
            part, looked_up = self.leaves[leaf][start:stop], self.looked_up[leaf]
            if looked_up is not None:  # a household metric: the row's household's level
                look_up(part, looked_up, nodes[j])
            elif part.dtype == np.bool_:  # a yes/no column holds for every tier or none
                np.multiply(part.view(np.uint8), np.uint8(len(self.limits[leaf])), out=nodes[j])
            else:
                _levels(part, self.limits[leaf], self.strict[leaf], nodes[j])
        return nodes, ranks, overrides, scratch[(n_ops + len(self.ranks) + len(self.overrides)) * m :]


def make_inputs(engine: Engine, settings: Settings) -> None:
    """Compute (and keep) what a full classification under ``settings`` reads: a plan's
    inputs where the tiers nest (household metrics one value per household), else every
    array ``Engine.classify`` reads."""
    if level_plan(engine, settings) is None:
        engine.classify_inputs(settings)


def classification(engine: Engine, settings: Settings) -> Classification | None:
    """Every customer's classification (``Engine.classify``'s, array for array) by levels,
    block by block on every core; None when the tiers do not nest. A household metric is
    looked up per household: no value per customer is made for it."""
    plan = level_plan(engine, settings)
    if plan is None:
        return None
    scheme, n = engine.scheme, engine.portfolio.rows
    with ordinary_pages():  # fresh arrays written in order (``Buffers``)
        out = Classification(
            tiers=np.empty(n, dtype=np.int8),
            base=np.empty(n, dtype=np.int8) if scheme.floors or scheme.overrides else None,
            qualified=np.empty(n, dtype=np.uint8),
            raised=np.empty(n, dtype=np.bool_) if plan.ranks else None,
            overridden=np.zeros(n, dtype=np.bool_) if plan.overrides else None,
        )
    map_blocks(n, lambda a, b: plan.classify(a, b, out, np.empty(2 * (b - a), dtype=np.uint8)))
    return out


def _rows(arrays: tuple[np.ndarray, ...], start: int, stop: int, into: np.ndarray) -> np.ndarray:
    """Rows ``start:stop`` of each array as tier indexes, int8 (cast as ``Engine.classify``
    casts a floor's ranks), in ``into``."""
    out = into[: len(arrays) * (stop - start)].view(np.int8).reshape(len(arrays), stop - start)
    for i, values in enumerate(arrays):
        np.copyto(out[i], values[start:stop], casting="unsafe")
    return out


def level_plan(engine: Engine, settings: Settings) -> LevelPlan | None:
    """The compiled pass's plan for ``settings``, or None when the tiers do not nest
    (or a metric's type is one the pass does not compare as numpy does)."""
    scheme, options = engine.scheme, settings.options
    if scheme.classify is not None or len(scheme.tiers) < 2 or len(scheme.tiers) > 127:
        return None
    roots = [_in_force(scheme.conditions(t), options) for t in scheme.tiers[1:]]
    if any(r is None for r in roots) or len({_shape(r) for r in roots}) != 1:
        return None
    built = _Builder(engine, settings)
    if not built.visit([r for r in roots if r is not None]):
        return None
    table, floor_code, override_code = breakdown_table(scheme)
    ranks = tuple(
        engine.metric(f.metric, settings.params, options) for f in scheme.floors if applies(f.when, options)
    )
    overrides = tuple(engine.override_codes(o.column) for o in scheme.overrides if applies(o.when, options))
    return LevelPlan(
        leaves=tuple(built.leaves),
        looked_up=tuple(built.looked_up),
        limits=tuple(built.limits),
        strict=tuple(built.strict),
        ops=np.array(built.ops, dtype=np.int16),
        children=_padded(built.children),
        bits=np.array(built.bits, dtype=np.uint8),
        ranks=ranks,
        overrides=overrides,
        table=table,
        floor_code=floor_code,
        override_code=override_code,
    )


class _Builder:
    """A plan's ops, leaf by leaf, from the tiers' conditions (a class, not a closure
    that calls itself: such a cycle would keep the metric arrays until the garbage
    collector ran, and the engine could not write them again)."""

    def __init__(self, engine: Engine, settings: Settings) -> None:
        self.engine, self.settings = engine, settings
        self.groups = [g.id for g in engine.scheme.groups]
        self.leaves: list[np.ndarray] = []
        self.looked_up: list[np.ndarray | None] = []
        self.limits: list[np.ndarray] = []
        self.strict: list[np.ndarray] = []
        self.ops: list[int] = []
        self.children: list[list[int]] = []
        self.bits: list[int] = []

    def visit(self, nodes: list[Condition]) -> bool:
        """Ops for the node the tiers have at one place (``nodes``, one per tier), its
        items first; False when the tiers do not nest there."""
        first, made = nodes[0], []
        if isinstance(first, Conditions):
            items = [n.items for n in nodes if isinstance(n, Conditions)]
            for j in range(len(first.items)):
                if not self.visit([its[j] for its in items]):
                    return False
                made.append(len(self.ops) - 1)
            op = ANY if first.combine == "any" else ALL
        elif isinstance(first, Flag):
            op = self._leaf(self.engine.flag(first.column), np.zeros(len(nodes)), np.zeros(len(nodes), bool))
        else:
            criteria = [n for n in nodes if isinstance(n, Criterion)]
            params, options = self.settings.params, self.settings.options
            by_household = self.engine.metric_by_household(first.metric, params, options)
            values = by_household
            if values is None:
                values = self.engine.metric(first.metric, params, options)
            limit = np.array([Engine.limit(c, params, k + 1) for k, c in enumerate(criteria)])
            strict = np.array([c.strict for c in criteria], dtype=np.bool_)
            # Compared as numpy compares them with a float threshold: in float64 (float32
            # values numpy compares in float32, so they take the general path).
            compared = values.dtype.kind in "iu" or values.dtype == np.float64
            if not compared or not _nested(limit, strict):
                return False
            if by_household is None:
                op = self._leaf(values, limit, strict)
            else:  # levels per household, looked up row by row: no household value per row
                levels = np.empty(len(by_household), dtype=np.uint8)
                _levels(by_household, limit, strict, levels)
                op = self._leaf(self.engine.portfolio.households.codes, limit, strict, levels)
        self.ops.append(op)
        self.children.append(made)
        self.bits.append(1 << self.groups.index(first.group) if first.group in self.groups else 0)
        return True

    def _leaf(
        self, values: np.ndarray, limit: np.ndarray, strict: np.ndarray, looked_up: np.ndarray | None = None
    ) -> int:
        self.leaves.append(values)
        self.looked_up.append(looked_up)
        self.limits.append(limit)
        self.strict.append(strict)
        return len(self.leaves) - 1


def _padded(rows: list[list[int]]) -> np.ndarray:
    out = np.full((len(rows), max(1, *map(len, rows))), -1, dtype=np.int16)
    for i, row in enumerate(rows):
        out[i, : len(row)] = row
    return out


def _in_force(node: Condition, options: Mapping[str, str]) -> Condition | None:
    """``node`` with what ``options`` switch off left out, as ``Engine.classify`` does;
    None when nothing is left."""
    if not applies(node.when, options):
        return None
    if not isinstance(node, Conditions):
        return node
    items = tuple(i for i in (_in_force(item, options) for item in node.items) if i is not None)
    return Conditions(node.combine, items, node.group) if items else None


def _shape(node: Condition | None) -> tuple:
    """What must be the same at every tier: kinds, combinations, metrics, columns, groups."""
    if isinstance(node, Conditions):
        return ("all" if node.combine == "all" else "any", node.group, tuple(_shape(i) for i in node.items))
    if isinstance(node, Flag):
        return ("flag", node.column, node.group)
    assert isinstance(node, Criterion)
    return ("criterion", node.metric, node.group)


def _nested(limit: np.ndarray, strict: np.ndarray) -> bool:
    """Whether each tier's comparison implies the one of the tier below (so the tiers
    a value meets are a run from the lowest)."""
    if np.isnan(limit).any():
        return False
    for k in range(1, len(limit)):
        higher, lower = limit[k], limit[k - 1]
        if not (higher > lower or (higher == lower and (strict[k] or not strict[k - 1]))):
            return False
    return True


@njit(nogil=True, cache=True)
def _levels(  # pragma: no cover - compiled
    values: np.ndarray, limits: np.ndarray, strict: np.ndarray, out: np.ndarray
) -> None:
    """How many of ``limits`` each value meets (``>`` where ``strict``, else ``>=``): a
    comparison at a time over the block, which the compiler vectorises (0.6 ns a row for
    three thresholds; a loop over the thresholds per row, or over short spans, 4.4 ns)."""
    n = len(values)
    for i in range(n):
        out[i] = 0
    for k in range(len(limits)):
        limit = limits[k]
        if strict[k]:
            for i in range(n):
                out[i] += values[i] > limit
        else:
            for i in range(n):
                out[i] += values[i] >= limit


@njit(nogil=True, cache=True)
def _combine(nodes: np.ndarray, ops: np.ndarray, children: np.ndarray) -> None:  # pragma: no cover - compiled
    """Each ANY / ALL op's levels from its children's (the highest / the lowest), in order."""
    m = nodes.shape[1]
    for j in range(len(ops)):
        if ops[j] >= 0:
            continue
        out, first = nodes[j], nodes[children[j, 0]]
        for i in range(m):
            out[i] = first[i]
        for t in range(1, children.shape[1]):
            c = children[j, t]
            if c < 0:
                break
            other = nodes[c]
            if ops[j] == ANY:
                for i in range(m):
                    out[i] = max(out[i], other[i])
            else:
                for i in range(m):
                    out[i] = min(out[i], other[i])


@njit(nogil=True, cache=True)
def _group_masks(  # pragma: no cover - compiled
    nodes: np.ndarray, ops: np.ndarray, bits: np.ndarray, masks: np.ndarray
) -> None:
    """The groups whose node holds at each row's tier from criteria (the root's level)."""
    root, m = nodes[len(ops) - 1], nodes.shape[1]
    for i in range(m):
        masks[i] = 0
    for j in range(len(ops)):
        bit = bits[j]
        if bit:
            level = nodes[j]
            for i in range(m):
                masks[i] |= bit * (level[i] >= root[i])


@njit(nogil=True, cache=True)
def _classify_levels(  # pragma: no cover - compiled
    nodes: np.ndarray,
    ops: np.ndarray,
    children: np.ndarray,
    bits: np.ndarray,
    ranks: np.ndarray,
    overrides: np.ndarray,
    table: np.ndarray,
    floor_code: int,
    override_code: int,
    masks: np.ndarray,
    tiers: np.ndarray,
    codes: np.ndarray,
) -> None:
    """Tiers and "qualified by" codes from the leaves' levels (rows of ``nodes`` at their
    ops): each step a loop over the block without branches on the data (neighbouring
    rows' tiers are unrelated; a branch on them is mispredicted every other row)."""
    m = nodes.shape[1]
    _combine(nodes, ops, children)
    _group_masks(nodes, ops, bits, masks)
    root = nodes[len(ops) - 1]
    for i in range(m):
        tier = np.int8(root[i])
        codes[i] = table[masks[i] * (tier > 0)]
        tiers[i] = tier
    for f in range(ranks.shape[0]):
        rank = ranks[f]
        for i in range(m):
            raised = rank[i] > tiers[i]
            tiers[i] = max(tiers[i], rank[i])
            codes[i] = floor_code if raised else codes[i]
    for o in range(overrides.shape[0]):
        forced = overrides[o]
        for i in range(m):
            held = forced[i] >= 0
            tiers[i] = forced[i] if held else tiers[i]
            codes[i] = override_code if held else codes[i]


@njit(nogil=True, cache=True)
def _classification_levels(  # pragma: no cover - compiled
    nodes: np.ndarray,
    ops: np.ndarray,
    children: np.ndarray,
    bits: np.ndarray,
    ranks: np.ndarray,
    overrides: np.ndarray,
    base: np.ndarray,
    qualified: np.ndarray,
    tiers: np.ndarray,
    raised: np.ndarray,
    overridden: np.ndarray,
) -> None:
    """``Engine.classify``'s arrays from the leaves' levels: the tier from criteria, the
    groups met at it (none at the lowest), floors (and whether one raised the tier), then
    overrides (``overridden`` starts all False; empty without overrides)."""
    m = nodes.shape[1]
    _combine(nodes, ops, children)
    _group_masks(nodes, ops, bits, qualified)
    root = nodes[len(ops) - 1]
    for i in range(m):
        tier = np.int8(root[i])
        qualified[i] *= tier > 0
        base[i] = tier
        tiers[i] = tier
    if ranks.shape[0]:
        for f in range(ranks.shape[0]):
            rank = ranks[f]
            for i in range(m):
                tiers[i] = max(tiers[i], rank[i])
        for i in range(m):
            raised[i] = tiers[i] > base[i]
    for o in range(overrides.shape[0]):
        forced = overrides[o]
        for i in range(m):
            held = forced[i] >= 0
            tiers[i] = forced[i] if held else tiers[i]
            overridden[i] = overridden[i] | held
