"""A scenario run on a stratified sample of the book: every figure an estimate of the
whole book's, with a 95% interval from the sample design (``workbench.core.sampling``)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from workbench.core.engine import Engine, columns_read
from workbench.core.portfolio import Portfolio
from workbench.core.results import (
    Comparison,
    Figures,
    Result,
    breakdown_codes,
    breakdown_labels,
    cell_counts,
    cost_lines,
)
from workbench.core.sampling import (
    BANDS,
    Design,
    Interval,
    drawn,
    expand,
    rates_of,
    strata_of,
    stratum_stats,
    unit_draws,
    unit_maxima,
    units_of,
)
from workbench.core.settings import Settings
from workbench.errors import ScenarioError
from workbench.files.scenarios import Scenario
from workbench.planning.runs import Run, Session, portfolio_notes
from workbench.scheme.assumptions import Assumption
from workbench.scheme.model import Scheme
from workbench.text import Lang, Text

DEFAULT_SEED = 1


@dataclass(frozen=True)
class EstimatedBook:
    """The book a sample stands for: its name, its customers and its fingerprint."""

    name: str
    rows: int
    print_: str
    title: Text | None = None

    def label(self, lang: Lang = "en") -> str:
        return self.title.get(lang) if self.title is not None else self.name

    def fingerprint(self) -> str:
        return self.print_


@dataclass(frozen=True)
class Sample:
    """A drawn sample: its customers as a portfolio, each one's unit (numbered within the
    sample) and each unit's stratum, and the design."""

    portfolio: Portfolio
    units: np.ndarray
    unit_strata: np.ndarray
    unit_sizes: np.ndarray
    design: Design
    book: EstimatedBook
    by_household: bool = False

    @property
    def customer_weights(self) -> np.ndarray:
        return self.design.weights[self.unit_strata][self.units]


@dataclass(frozen=True)
class TierIntervals:
    """A tier's (or the total's) customers, AUM and benefit cost, each with its interval,
    and the change in customers against the baseline when there is one."""

    customers: Interval
    aum: Interval
    benefit_cost: Interval
    delta_customers: Interval | None = None


@dataclass
class EstimatedRun:
    """A run whose figures are estimates from a sample, with their intervals."""

    run: Run
    sample: Sample
    tiers: list[TierIntervals]
    total: TierIntervals
    notes: list[Text] = field(default_factory=list)


def parse_fraction(text: str) -> float:
    """``1%``, ``0.5%`` or ``0.01``: a sampling fraction in (0, 1]."""
    t = text.strip()
    try:
        value = float(t[:-1]) / 100 if t.endswith("%") else float(t)
    except ValueError:
        value = float("nan")
    if not 0 < value <= 1:
        raise ScenarioError(
            f"{text!r}: expected a share of the book such as 1% or 0.01",
            field="sample",
            zh=f"{text!r}:应为比例,如 1% 或 0.01",
        )
    return value


@dataclass(frozen=True)
class SamplingFrame:
    """What a sample of a book is drawn from, prepared once: each customer's unit, each
    unit's stratum and id, the strata's sizes and spreads."""

    portfolio: Portfolio
    units: np.ndarray
    strata: np.ndarray  # per unit
    keys: pd.Series  # per unit
    stats: np.ndarray
    book: EstimatedBook
    by_household: bool = False


@dataclass(frozen=True)
class Units:
    """Per customer its unit; per unit its stratum, id and main metric (the highest of its
    members'). Made per portfolio, or per partition of a dataset shuffled by household."""

    units: np.ndarray
    strata: np.ndarray
    keys: pd.Series
    values: np.ndarray


def by_households(scheme: Scheme, whole_households: bool = False) -> bool:
    """Whether a sample's units are households: when the scheme reads them, or when asked
    (a sample the workbench tunes any scheme on)."""
    return whole_households or "household_id" in columns_read(scheme)


def units_table(portfolio: Portfolio, engine: Engine, settings: Settings, households: bool) -> Units:
    """Units (whole households when ``households``) stratified by their tier under
    ``settings`` and the decade of the scheme's main metric."""
    scheme = engine.scheme
    metric = engine.metric(scheme.main_metric, settings.params, settings.options)
    codes = portfolio.households.codes if households and portfolio.has("household_id") else None
    units, count = units_of(codes, portfolio.rows)
    values = unit_maxima(metric, units, count)
    tiers = np.zeros(count, dtype=np.int32)
    np.maximum.at(tiers, units, engine.simulate(settings=settings).tiers.astype(np.int32))
    strata = strata_of(values, tiers, len(scheme.tiers))
    first = np.full(count, -1, dtype=np.int64)
    first[units[::-1]] = np.arange(portfolio.rows)[::-1]
    ids = portfolio.frame["customer_id"].astype(str).to_numpy(dtype=object)[first]
    if codes is not None:
        household_ids = portfolio.frame["household_id"].astype(str).to_numpy(dtype=object)[first]
        keys = pd.Series(np.where(codes[first] >= 0, "h:" + household_ids, "c:" + ids))
    else:
        keys = pd.Series("c:" + ids)
    return Units(units, strata, keys, values)


def estimated_title(name: str) -> Text:
    """A book's name, saying its figures are estimates from a sample."""
    return Text(f"{name} (estimated from a sample)", f"{name}(抽样估计)")


def stratum_count(scheme: Scheme) -> int:
    return len(scheme.tiers) * BANDS


def sampling_frame(
    portfolio: Portfolio, engine: Engine, settings: Settings, whole_households: bool = False
) -> SamplingFrame:
    """The frame of a portfolio in memory (``units_table``)."""
    by_household = by_households(engine.scheme, whole_households)
    table = units_table(portfolio, engine, settings, by_household)
    sizes = np.bincount(table.units, minlength=len(table.strata))
    stats = stratum_stats(table.strata, table.values, sizes, stratum_count(engine.scheme))
    book = EstimatedBook(
        portfolio.name, portfolio.rows, portfolio.fingerprint(), estimated_title(portfolio.label())
    )
    return SamplingFrame(portfolio, table.units, table.strata, table.keys, stats, book, by_household)


def draw(frame: SamplingFrame, fraction: float, seed: int) -> Sample:
    """A stratified sample of ``fraction`` of the frame's units (Neyman allocation)."""
    rates = rates_of(frame.stats, fraction)
    chosen = drawn(unit_draws(frame.keys, seed), frame.strata, rates)
    rows = np.flatnonzero(chosen[frame.units])
    renumber = np.cumsum(chosen) - 1
    taken = np.bincount(frame.strata[chosen], minlength=len(rates)).astype(np.float64)
    units = renumber[frame.units[rows]]
    unit_strata = frame.strata[chosen]
    sizes = np.bincount(units, minlength=len(unit_strata))
    sampled = np.bincount(unit_strata, weights=sizes, minlength=len(rates))
    design = Design(fraction, seed, frame.stats[0], taken, rates, frame.stats[3], sampled)
    source = frame.portfolio
    return canonical(
        source.frame.iloc[rows], units, unit_strata, design, frame.book, frame.by_household, source
    )


def canonical(
    rows: pd.DataFrame,
    units: np.ndarray,
    unit_strata: np.ndarray,
    design: Design,
    book: EstimatedBook,
    by_household: bool,
    like: Portfolio,
) -> Sample:
    """A sample in one order whatever the order it was drawn in (customers by key, units by
    their first customer), so its estimates are the same to the last digit in memory and
    on a cluster."""
    order = np.argsort(rows["customer_id"].astype(str).to_numpy(), kind="stable")
    units = units[order]
    first = np.unique(units, return_index=True)[1]
    relabel = np.empty(len(unit_strata), dtype=np.int64)
    relabel[units[np.sort(first)]] = np.arange(len(first))
    new_units = relabel[units]
    strata = np.empty_like(unit_strata)
    strata[relabel] = unit_strata
    sizes = np.bincount(new_units, minlength=len(strata))
    frame = rows.iloc[order].reset_index(drop=True)
    portfolio = Portfolio(
        frame=frame, name=like.name, mapping=like.mapping, columns_spec=like.columns_spec, notes=like.notes
    )
    return Sample(portfolio, new_units, strata, sizes, design, book, by_household)


def _rounded_rows(cells: np.ndarray, totals: np.ndarray) -> np.ndarray:
    """Weighted cells rounded so that each row adds up to its rounded total (largest
    remainder)."""
    out = np.floor(cells).astype(np.int64)
    for i, total in enumerate(totals):
        short = int(total - out[i].sum())
        if short > 0:
            order = np.argsort(-(cells[i] - out[i]), kind="stable")[:short]
            out[i, order] += 1
    return out


def _slopes(figures: Figures) -> tuple[np.ndarray, np.ndarray]:
    """Each tier's cost per extra customer and per extra CNY of AUM, around the estimate
    (the secant over 1% either side: staffing costs come in whole managers)."""
    k = len(figures.scheme.tiers)
    per_customer, per_cny = np.zeros(k), np.zeros(k)
    for line in figures.cost_lines:
        t = figures.scheme.tier_index(line.assumption.tier)
        n, a = float(figures.counts[t]), float(figures.aum[t])
        dn, da = max(1.0, 0.01 * n), max(1.0, 0.01 * a)

        def cost(customers: float, aum: float, assumption: Assumption = line.assumption) -> float:
            return assumption.cost(figures.drivers, max(customers, 0.0), max(aum, 0.0))

        per_customer[t] += (cost(n + dn, a) - cost(n - dn, a)) / (2 * dn)
        per_cny[t] += (cost(n, a + da) - cost(n, a - da)) / (2 * da)
    return per_customer, per_cny


def _estimated_figures(result: Result, sample: Sample) -> tuple[Figures, np.ndarray]:
    """The book's figures estimated from a result on the sample, and per unit its totals
    (customers, AUM, linearised cost per tier; then the same three in total)."""
    scheme = result.scheme
    k = len(scheme.tiers)
    weights = sample.customer_weights
    labels = breakdown_labels(scheme)
    cells = cell_counts(
        ((result.tiers, k), (breakdown_codes(scheme, result.classification), len(labels))), weights
    )
    aum = np.bincount(result.tiers, weights=result.aum_fen * weights, minlength=k) / 100.0
    per_tier = cells.sum(axis=1)
    counts = _rounded_rows(per_tier[None, :], np.rint([per_tier.sum()]))[0]
    figures = Figures(
        scheme=scheme,
        book=sample.book,
        settings=result.settings,
        drivers=result.drivers,
        counts=counts,
        aum=aum,
        breakdown=_rounded_rows(cells, counts),
        cost_lines=cost_lines(result.settings.assumptions, result.drivers, scheme, counts, aum),
        defaulted=result.defaulted,
    )
    per_customer, per_cny = _slopes(figures)
    n_units = int(sample.units.max()) + 1 if len(sample.units) else 0
    money = result.aum_fen / 100.0
    cost = per_customer[result.tiers] + per_cny[result.tiers] * money
    cell = sample.units * k + result.tiers
    columns = [
        np.bincount(cell, weights=w, minlength=n_units * k).reshape(n_units, k) for w in (None, money, cost)
    ]
    totals = [np.bincount(sample.units, weights=w, minlength=n_units)[:, None] for w in (None, money, cost)]
    return figures, np.hstack([*columns, *totals]).astype(np.float64)


def _intervals(figures: Figures, estimate: np.ndarray, error: np.ndarray, k: int) -> list[TierIntervals]:
    """Per tier then the total: intervals centred on the figures shown."""
    shown = [*figures.counts, figures.customers]
    aums = [*figures.aum, figures.total_aum]
    costs = [*figures.cost_by_tier, figures.total_benefit_cost]
    errors = [(error[i], error[k + i], error[2 * k + i]) for i in range(k)] + [
        tuple(error[3 * k : 3 * k + 3])
    ]
    return [
        TierIntervals(Interval.of(float(n), e[0]), Interval.of(float(a), e[1]), Interval.of(float(c), e[2]))
        for n, a, c, e in zip(shown, aums, costs, errors, strict=True)
    ]


def sample_of(
    session: Session,
    scenario: Scenario,
    portfolio: Portfolio,
    fraction: float,
    seed: int = DEFAULT_SEED,
    whole_households: bool = False,
) -> Sample:
    """A stratified sample of a portfolio in memory, drawn for ``scenario``'s scheme."""
    scheme = session.registry.scheme(scenario.scheme, scenario.where, scenario.scheme_file_path())
    engine = session.engine(scheme, portfolio)
    settings = session.settings(scenario, scheme)
    return draw(sampling_frame(portfolio, engine, settings, whole_households), fraction, seed)


@dataclass(frozen=True)
class Estimates:
    """The book's figures estimated from results on a sample: the figures, the comparison
    with the baseline, and per tier and in total the intervals."""

    figures: Figures
    comparison: Comparison | None
    tiers: list[TierIntervals]
    total: TierIntervals


def estimates_of(result: Result, base: Result | None, sample: Sample) -> Estimates:
    """What ``result`` (and ``base``, on the same sample) say of the whole book."""
    scheme = result.scheme
    k = len(scheme.tiers)
    figures, per_unit = _estimated_figures(result, sample)
    estimate, error = expand(per_unit, sample.unit_strata, sample.unit_sizes, sample.design)
    intervals = _intervals(figures, estimate, error, k)
    comparison = None
    if base is not None:
        base_figures, base_units = _estimated_figures(base, sample)
        cells = ((base.tiers, len(base.scheme.tiers)), (result.tiers, k))
        weights = sample.customer_weights
        moved_n = np.rint(cell_counts(cells, weights)).astype(np.int64)
        moved_aum = cell_counts(cells, weights * result.aum_fen) / 100.0
        comparison = Comparison(figures, base_figures, moved_n, moved_aum)
        if base.scheme.tier_ids == scheme.tier_ids:
            _, delta_error = expand(
                per_unit[:, :k] - base_units[:, :k], sample.unit_strata, sample.unit_sizes, sample.design
            )
            delta = comparison.delta_customers()
            for i, tier in enumerate(intervals[:k]):
                intervals[i] = TierIntervals(
                    tier.customers, tier.aum, tier.benefit_cost, Interval.of(float(delta[i]), delta_error[i])
                )
    return Estimates(figures, comparison, intervals[:k], intervals[k])


def estimate_run(
    session: Session, scenario: Scenario, sample: Sample, baseline: Scenario | None = None
) -> EstimatedRun:
    """``scenario`` (and its baseline) on ``sample``: the book's figures estimated."""
    scheme: Scheme = session.registry.scheme(scenario.scheme, scenario.where, scenario.scheme_file_path())
    engine = Engine(scheme, sample.portfolio, session.registry.drivers)
    result = engine.simulate(settings=session.settings(scenario, scheme))
    baseline = session.baseline_of(scenario, baseline)
    base = None
    if baseline is not None:
        base_scheme = session.registry.scheme(baseline.scheme, baseline.where, baseline.scheme_file_path())
        base_engine = (
            engine
            if base_scheme is scheme
            else Engine(base_scheme, sample.portfolio, session.registry.drivers)
        )
        base = base_engine.simulate(settings=session.settings(baseline, base_scheme))
    e = estimates_of(result, base, sample)
    run = Run(scenario, scheme, sample.book, e.figures)
    run.notes.extend(portfolio_notes(sample.portfolio, scheme, engine.defaulted))
    if e.comparison is not None:
        run.baseline, run.baseline_scenario, run.comparison = e.comparison.baseline, baseline, e.comparison
    return EstimatedRun(run, sample, e.tiers, e.total, [sample_note(sample)])


def sample_note(sample: Sample) -> Text:
    """What the figures are estimated from, in plain words."""
    taken, rows = len(sample.portfolio.frame), sample.book.rows
    fraction, seed = sample.design.fraction, sample.design.seed
    return Text(
        f"Estimates from a stratified sample of {taken:,} of {rows:,} customers "
        f"({fraction:.2%} asked, seed {seed}); ± is a 95% interval",
        f"以下为分层抽样估计:从 {rows:,} 位客户中抽取 {taken:,} 位"
        f"(比例 {fraction:.2%},种子 {seed});± 为 95% 置信区间",
    )
