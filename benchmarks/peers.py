"""The peers ``threshold_latency.py`` measures the workbench against: the same full
recompute and the same threshold change in DuckDB (2 threads, an in-memory table),
Polars (an in-memory frame) and vectorised numpy, each written from the scheme's
declarations (metrics, criteria, floors, overrides), each checked equal to the
workbench's figures.

The work, for every peer: each metric, each customer's tier, customers and AUM (in whole
fen) per tier, and the migration matrix against the baseline (customers and AUM). Costs
follow from those per-tier figures in microseconds and are left out. Every peer gets
its columns in memory as it likes them best: numbers as float64, flags as booleans,
categories as small integer codes, households as integer numbers (null without one), so
that no peer pays for hashing strings.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from workbench.scheme.metrics import ColumnValue, HouseholdAggregate, TierRank, Total, WeightedSum
from workbench.scheme.model import Criterion, Flag, applies

HH = "__household"
BASE = "__baseline"


@dataclass
class Inputs:
    """The columns a scheme reads, in memory, and the baseline's tiers."""

    columns: dict[str, np.ndarray]
    categories: dict[str, list[str]]
    household: np.ndarray  # int32, -1 without a household
    baseline: np.ndarray  # int8 tier per customer
    tiers: int

    @property
    def nbytes(self) -> int:
        """What a full recompute must read: every column, the households, the baseline."""
        return sum(a.nbytes for a in self.columns.values()) + self.household.nbytes + self.baseline.nbytes


def inputs(engine, baseline: np.ndarray) -> Inputs:
    """The engine's portfolio columns its scheme reads, as the peers take them."""
    portfolio, scheme = engine.portfolio, engine.scheme
    columns, categories = {}, {}
    for column in sorted({*engine.columns_read(), *(o.column for o in scheme.overrides)}):
        if column == "household_id":
            continue
        spec = portfolio.spec(column)
        if spec.kind in ("category", "tier", "text"):
            distinct, values = portfolio.distinct(column)
            columns[column] = np.asarray(distinct, dtype=np.int16)
            categories[column] = [str(v) for v in values]
        else:
            columns[column] = portfolio.array(column)
    return Inputs(
        columns, categories, portfolio.households.codes, baseline.astype(np.int8), len(scheme.tiers)
    )


def limit(criterion: Criterion, params, index: int) -> float:
    if criterion.threshold is None:
        return float(index)
    if isinstance(criterion.threshold, str):
        return float(params[criterion.threshold])
    return float(criterion.threshold)


def override_codes(scheme, data: Inputs, column: str) -> np.ndarray:
    """Each category of an override column as a tier index (-1 when empty)."""
    lookup = {"": -1}
    for i, tier in enumerate(scheme.tiers):
        for label in (tier.id, tier.name.en, tier.name.zh):
            lookup[label.strip().lower()] = i
    return np.array([lookup[v.strip().lower()] for v in data.categories[column]], dtype=np.int8)


@dataclass
class Figures:
    """What every peer computes, to be checked equal."""

    counts: np.ndarray
    aum_fen: np.ndarray
    migration: np.ndarray
    migration_fen: np.ndarray

    def same_as(self, other: Figures) -> bool:
        return all(
            np.array_equal(np.asarray(a, dtype=np.int64), np.asarray(b, dtype=np.int64))
            for a, b in (
                (self.counts, other.counts),
                (self.aum_fen, other.aum_fen),
                (self.migration, other.migration),
                (self.migration_fen, other.migration_fen),
            )
        )


def workbench_figures(result, comparison) -> Figures:
    return Figures(
        result.counts,
        np.rint(result.aum * 100),
        comparison.migration_customers,
        np.rint(comparison.migration_aum * 100),
    )


def _figures_from(k: int, tiers: np.ndarray, fen: np.ndarray, base: np.ndarray) -> Figures:
    cell = base.astype(np.int64) * k + tiers
    return Figures(
        np.bincount(tiers, minlength=k),
        np.bincount(tiers, weights=fen, minlength=k),
        np.bincount(cell, minlength=k * k).reshape(k, k),
        np.bincount(cell, weights=fen, minlength=k * k).reshape(k, k),
    )


def _table(rows, k: int) -> Figures:
    """Figures from (baseline tier, tier, customers, fen) rows of a peer's group-by."""
    out = Figures(np.zeros(k), np.zeros(k), np.zeros((k, k)), np.zeros((k, k)))
    for base, tier, customers, fen in rows:
        out.counts[tier] += customers
        out.aum_fen[tier] += fen
        out.migration[base, tier] += customers
        out.migration_fen[base, tier] += fen
    return out


# -- numpy ---------------------------------------------------------------------------------


class NumpyPeer:
    """Vectorised numpy, no ``pd.cut``: each metric, then a comparison per criterion."""

    name = "numpy"

    def __init__(self, scheme, data: Inputs) -> None:
        self.scheme, self.data = scheme, data
        self.metrics: dict[str, np.ndarray] = {}

    def metric(self, metric_id: str, params, options) -> np.ndarray:
        if metric_id in self.metrics:
            return self.metrics[metric_id]
        spec, cols = self.scheme.metric(metric_id).spec, self.data.columns
        if isinstance(spec, ColumnValue):
            out = cols[spec.column].astype(np.float64, copy=False)
        elif isinstance(spec, Total):
            out = np.round(sum(cols[c] for c in spec.columns), 2)
        elif isinstance(spec, WeightedSum):
            out = np.zeros(len(self.data.baseline))
            for column, weight in spec.terms:
                w = params[weight] if isinstance(weight, str) else float(weight)
                if w:
                    out += cols[column] * w if w != 1.0 else cols[column]
            out = np.round(out / spec.per if spec.per != 1.0 else out, spec.decimals)
        elif isinstance(spec, HouseholdAggregate):
            codes = self.data.household
            members = codes >= 0
            values = cols[spec.column]
            sums = np.bincount(codes[members], weights=values[members])
            counts = np.bincount(codes[members], minlength=len(sums))
            how = options[spec.basis_option] if spec.basis_option else spec.basis
            table = np.round(sums / np.maximum(counts, 1) if how == "mean" else sums, spec.decimals)
            table[counts < spec.min_members] = np.nan
            out = np.where(members, table[np.maximum(codes, 0)], np.nan)
        elif isinstance(spec, TierRank):
            best = np.zeros(len(self.data.baseline), dtype=np.int8)
            for rule in spec.rules:
                column = cols[rule.column]
                if isinstance(rule.value, bool):
                    holds = column if rule.value else ~column
                else:
                    holds = column == self.data.categories[rule.column].index(rule.value)
                np.maximum(best, holds * np.int8(self.scheme.tier_index(rule.tier) + 1), out=best)
            out = best.astype(np.float64) - 1.0
        else:
            raise TypeError(spec)
        self.metrics[metric_id] = out
        return out

    def holds(self, node, params, options, index: int) -> np.ndarray | None:
        if not applies(node.when, options):
            return None
        if isinstance(node, Criterion):
            values = self.metric(node.metric, params, options)
            bound = limit(node, params, index)
            return values > bound if node.strict else values >= bound
        if isinstance(node, Flag):
            return self.data.columns[node.column].astype(bool)
        parts = [p for p in (self.holds(i, params, options, index) for i in node.items) if p is not None]
        if not parts:
            return None
        return np.logical_or.reduce(parts) if node.combine == "any" else np.logical_and.reduce(parts)

    def run(self, settings, keep_metrics: bool) -> Figures:
        if not keep_metrics:
            self.metrics = {}
        scheme, params, options = self.scheme, settings.params, settings.options
        tiers = np.zeros(len(self.data.baseline), dtype=np.int8)
        for index in range(1, len(scheme.tiers)):
            met = self.holds(scheme.conditions(scheme.tiers[index]), params, options, index)
            if met is not None:
                np.maximum(tiers, met * np.int8(index), out=tiers)
        for floor in (f for f in scheme.floors if applies(f.when, options)):
            np.maximum(tiers, self.metric(floor.metric, params, options).astype(np.int8), out=tiers)
        for override in (o for o in scheme.overrides if applies(o.when, options)):
            codes = override_codes(scheme, self.data, override.column)[self.data.columns[override.column]]
            tiers = np.where(codes >= 0, codes, tiers).astype(np.int8)
        fen = np.rint(self.metric(scheme.aum_measure, params, options) * 100)
        return _figures_from(self.data.tiers, tiers, np.nan_to_num(fen), self.data.baseline)


# -- Polars ---------------------------------------------------------------------------------


class PolarsPeer:
    """Polars expressions on an in-memory frame (nulls, not NaN: Polars orders NaN above
    every number)."""

    name = "polars"

    def __init__(self, scheme, data: Inputs) -> None:
        import polars as pl

        self.pl, self.scheme, self.data = pl, scheme, data
        frame = {c: v for c, v in data.columns.items()}
        frame[HH] = data.household
        frame[BASE] = data.baseline
        self.frame = pl.DataFrame(frame).with_columns(
            pl.when(pl.col(HH) >= 0).then(pl.col(HH)).otherwise(None).alias(HH)
        )
        self.with_metrics = None

    def expr(self, metric_id: str, params, options):
        pl, spec = self.pl, self.scheme.metric(metric_id).spec
        if isinstance(spec, ColumnValue):
            return pl.col(spec.column).cast(pl.Float64)
        if isinstance(spec, Total):
            return pl.sum_horizontal([pl.col(c) for c in spec.columns]).round(2)
        if isinstance(spec, WeightedSum):
            terms = []
            for column, weight in spec.terms:
                w = params[weight] if isinstance(weight, str) else float(weight)
                if w:
                    terms.append(pl.col(column) * w if w != 1.0 else pl.col(column))
            total = terms[0]
            for term in terms[1:]:
                total = total + term
            return (total / spec.per).round(spec.decimals)
        if isinstance(spec, HouseholdAggregate):
            how = options[spec.basis_option] if spec.basis_option else spec.basis
            size = pl.len().over(HH)
            total = pl.col(spec.column).sum().over(HH)
            value = (total / size if how == "mean" else total).round(spec.decimals)
            return pl.when(pl.col(HH).is_not_null() & (size >= spec.min_members)).then(value).otherwise(None)
        if isinstance(spec, TierRank):
            ranks = []
            for rule in spec.rules:
                if isinstance(rule.value, bool):
                    cond = pl.col(rule.column) if rule.value else ~pl.col(rule.column)
                else:
                    cond = pl.col(rule.column) == self.data.categories[rule.column].index(rule.value)
                ranks.append(pl.when(cond).then(self.scheme.tier_index(rule.tier)).otherwise(-1))
            return pl.max_horizontal(ranks).cast(pl.Float64)
        raise TypeError(spec)

    def cond(self, node, params, options, index: int):
        pl = self.pl
        if not applies(node.when, options):
            return None
        if isinstance(node, Criterion):
            bound = limit(node, params, index)
            col = pl.col(node.metric)
            return (col > bound if node.strict else col >= bound).fill_null(False)
        if isinstance(node, Flag):
            return pl.col(node.column)
        parts = [p for p in (self.cond(i, params, options, index) for i in node.items) if p is not None]
        if not parts:
            return None
        return pl.any_horizontal(parts) if node.combine == "any" else pl.all_horizontal(parts)

    def run(self, settings, keep_metrics: bool) -> Figures:
        pl, scheme, params, options = self.pl, self.scheme, settings.params, settings.options
        if not keep_metrics or self.with_metrics is None:
            exprs = [self.expr(m.id, params, options).alias(m.id) for m in scheme.metrics]
            self.with_metrics = self.frame.with_columns(exprs)
        levels = []
        for index in range(1, len(scheme.tiers)):
            met = self.cond(scheme.conditions(scheme.tiers[index]), params, options, index)
            if met is not None:
                levels.append(pl.when(met).then(index).otherwise(0))
        tier = pl.max_horizontal([pl.lit(0), *levels])
        for floor in (f for f in scheme.floors if applies(f.when, options)):
            tier = pl.max_horizontal(tier, pl.col(floor.metric).cast(pl.Int64))
        for override in (o for o in scheme.overrides if applies(o.when, options)):
            codes = override_codes(scheme, self.data, override.column).tolist()
            mapped = pl.col(override.column).replace_strict(list(range(len(codes))), codes)
            tier = pl.when(mapped >= 0).then(mapped).otherwise(tier)
        fen = (pl.col(scheme.aum_measure) * 100).round(0).fill_null(0).cast(pl.Int64)
        grouped = (
            self.with_metrics.select(tier.alias("tier"), fen.alias("fen"), pl.col(BASE))
            .group_by(BASE, "tier")
            .agg(pl.len().alias("n"), pl.col("fen").sum())
        )
        rows = zip(*(grouped[c].to_list() for c in (BASE, "tier", "n", "fen")), strict=True)
        return _table(rows, self.data.tiers)


# -- DuckDB ---------------------------------------------------------------------------------


class DuckdbPeer:
    """SQL on an in-memory DuckDB table, 2 threads (metrics in a subquery: inline in a CASE
    they would be computed once per branch)."""

    name = "duckdb"

    def __init__(self, scheme, data: Inputs) -> None:
        import duckdb
        import pyarrow as pa

        self.scheme, self.data = scheme, data
        self.con = duckdb.connect()
        self.con.execute("SET threads = 2")
        table = {c: v for c, v in data.columns.items()}
        table[HH] = np.where(data.household >= 0, data.household, -1)
        table[BASE] = data.baseline
        arrow = pa.table(table)  # noqa: F841 (read by DuckDB by name)
        self.con.execute(
            "CREATE TABLE t AS SELECT * REPLACE (NULLIF(__household, -1) AS __household) FROM arrow"
        )
        self.kept = False

    def expr(self, metric_id: str, params, options) -> str:
        spec = self.scheme.metric(metric_id).spec
        if isinstance(spec, ColumnValue):
            return f"CAST({spec.column} AS DOUBLE)"
        if isinstance(spec, Total):
            return f"ROUND({' + '.join(spec.columns)}, 2)"
        if isinstance(spec, WeightedSum):
            terms = []
            for column, weight in spec.terms:
                w = params[weight] if isinstance(weight, str) else float(weight)
                if w:
                    terms.append(column if w == 1.0 else f"{column} * {w!r}")
            return f"ROUND(({' + '.join(terms)}) / {spec.per!r}, {spec.decimals})"
        if isinstance(spec, HouseholdAggregate):
            how = options[spec.basis_option] if spec.basis_option else spec.basis
            value = "h.total / h.size" if how == "mean" else "h.total"
            return f"CASE WHEN h.size >= {spec.min_members} THEN ROUND({value}, {spec.decimals}) END"
        if isinstance(spec, TierRank):
            cases = []
            for rule in spec.rules:
                if isinstance(rule.value, bool):
                    cond = rule.column if rule.value else f"NOT {rule.column}"
                else:
                    cond = f"{rule.column} = {self.data.categories[rule.column].index(rule.value)}"
                cases.append(f"CASE WHEN {cond} THEN {self.scheme.tier_index(rule.tier)} ELSE -1 END")
            return f"CAST(GREATEST({', '.join(cases)}) AS DOUBLE)"
        raise TypeError(spec)

    def cond(self, node, params, options, index: int) -> str | None:
        if not applies(node.when, options):
            return None
        if isinstance(node, Criterion):
            compare = ">" if node.strict else ">="
            return f"COALESCE({node.metric} {compare} {limit(node, params, index)!r}, FALSE)"
        if isinstance(node, Flag):
            return node.column
        parts = [p for p in (self.cond(i, params, options, index) for i in node.items) if p is not None]
        if not parts:
            return None
        return "(" + (" OR " if node.combine == "any" else " AND ").join(parts) + ")"

    def run(self, settings, keep_metrics: bool) -> Figures:
        scheme, params, options = self.scheme, settings.params, settings.options
        household = any(isinstance(m.spec, HouseholdAggregate) for m in scheme.metrics)
        metrics = ", ".join(f"{self.expr(m.id, params, options)} AS {m.id}" for m in scheme.metrics)
        source = (
            f"SELECT t.*, {metrics} FROM t LEFT JOIN (SELECT __household, COUNT(*) AS size, "
            f"SUM({self._household_column()}) AS total FROM t WHERE __household IS NOT NULL "
            "GROUP BY __household) h USING (__household)"
            if household
            else f"SELECT t.*, {metrics} FROM t"
        )
        if not keep_metrics or not self.kept:
            self.con.execute(f"CREATE OR REPLACE TABLE m AS {source}")
            self.kept = True
        levels = ["0"]
        for index in range(1, len(scheme.tiers)):
            met = self.cond(scheme.conditions(scheme.tiers[index]), params, options, index)
            if met is not None:
                levels.append(f"CASE WHEN {met} THEN {index} ELSE 0 END")
        tier = f"GREATEST({', '.join(levels)})"
        for floor in (f for f in scheme.floors if applies(f.when, options)):
            tier = f"GREATEST({tier}, CAST({floor.metric} AS INTEGER))"
        for override in (o for o in scheme.overrides if applies(o.when, options)):
            codes = override_codes(scheme, self.data, override.column)
            mapping = " ".join(f"WHEN {i} THEN {c}" for i, c in enumerate(codes) if c >= 0)
            tier = f"COALESCE(CASE {override.column} {mapping} END, {tier})"
        fen = f"COALESCE(CAST(ROUND({scheme.aum_measure} * 100) AS BIGINT), 0)"
        rows = self.con.execute(
            f"SELECT {BASE}, tier, COUNT(*), SUM(fen) "
            f"FROM (SELECT {BASE}, {tier} AS tier, {fen} AS fen FROM m) GROUP BY ALL"
        ).fetchall()
        return _table(((int(b), int(t), int(n), int(f)) for b, t, n, f in rows), self.data.tiers)

    def _household_column(self) -> str:
        spec = next(m.spec for m in self.scheme.metrics if isinstance(m.spec, HouseholdAggregate))
        return spec.column


PEERS = (DuckdbPeer, PolarsPeer, NumpyPeer)


def read_bandwidth_gb_s() -> float:
    """This machine's read bandwidth: a numpy sum over 1 GB, the best of five."""
    import time

    values = np.ones(2**27)  # 1 GiB of float64
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        values.sum()
        best = min(best, time.perf_counter() - start)
    return values.nbytes / best / 1e9
