"""Figures of one part of a book, and how parts add up.

A worker classifies its part with the same ``Engine`` as in memory (no second
implementation of any rule) and returns what adds up exactly over any split of the
customers: head counts, AUM in whole fen (integers), the "qualified by" breakdown and
the migration matrices. Costs are computed once, from the summed counts and AUM, so they
equal the in-memory figures to the fen.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from workbench.core.engine import Engine
from workbench.core.portfolio import Portfolio
from workbench.core.results import Book, Comparison, Figures, Result, cell_counts, cost_lines
from workbench.core.settings import Settings
from workbench.scheme.drivers import CostDriver
from workbench.scheme.model import Scheme


@dataclass(frozen=True)
class Job:
    """One simulation to run on every part: a scheme with its settings, and the job it is
    compared with (an index into the same list), if any."""

    scheme: Scheme
    settings: Settings
    baseline: int | None = None


@dataclass
class Tally:
    """What one job's figures are made of over some customers: integers that add up."""

    counts: np.ndarray  # customers per tier
    fen: np.ndarray  # AUM per tier, whole fen
    breakdown: np.ndarray  # customers per tier and "qualified by" category
    migration_n: np.ndarray | None = None  # baseline tier x tier, customers
    migration_fen: np.ndarray | None = None  # baseline tier x tier, AUM in fen

    def __add__(self, other: Tally) -> Tally:
        def add(a: np.ndarray | None, b: np.ndarray | None) -> np.ndarray | None:
            return None if a is None or b is None else a + b

        return Tally(
            self.counts + other.counts,
            self.fen + other.fen,
            self.breakdown + other.breakdown,
            add(self.migration_n, other.migration_n),
            add(self.migration_fen, other.migration_fen),
        )


@dataclass
class PartTally:
    """Every job's tally over one part, and what the part says of itself."""

    tallies: list[Tally]
    rows: int
    defaulted: list[tuple[str, ...]] = field(default_factory=list)

    def __add__(self, other: PartTally) -> PartTally:
        return PartTally(
            [a + b for a, b in zip(self.tallies, other.tallies, strict=True)],
            self.rows + other.rows,
            self.defaulted or other.defaulted,
        )


def _whole_fen(values: np.ndarray) -> np.ndarray:
    """Sums of whole fen (floats from ``bincount``) as exact integers."""
    return np.rint(values).astype(np.int64)


def tally_part(portfolio: Portfolio, jobs: Sequence[Job], drivers: Mapping[str, CostDriver]) -> PartTally:
    """Run every job on one part with the in-memory engine and keep what adds up."""
    engines: dict[str, Engine] = {}
    results: list[Result] = []
    for job in jobs:
        engine = engines.get(job.scheme.id)
        if engine is None or engine.scheme is not job.scheme:
            engine = engines[job.scheme.id] = Engine(job.scheme, portfolio, drivers)
        results.append(engine.simulate(settings=job.settings))
    return tally_results(jobs, results, portfolio.rows)


def tally_results(jobs: Sequence[Job], results: Sequence[Result], rows: int) -> PartTally:
    """What adds up of each job's result on one part."""
    tallies = []
    for job, result in zip(jobs, results, strict=True):
        k = len(job.scheme.tiers)
        fen = _whole_fen(np.bincount(result.tiers, weights=result.aum_fen, minlength=k))
        tally = Tally(result.counts.astype(np.int64), fen, result.breakdown.astype(np.int64))
        if job.baseline is not None:
            base = results[job.baseline]
            cells = ((base.tiers, len(base.scheme.tiers)), (result.tiers, k))
            tally.migration_n = cell_counts(cells).astype(np.int64)
            tally.migration_fen = _whole_fen(cell_counts(cells, weights=result.aum_fen))
        tallies.append(tally)
    return PartTally(tallies, rows, [r.defaulted for r in results])


def figures_of(
    jobs: Sequence[Job], total: PartTally, book: Book, drivers: Mapping[str, CostDriver]
) -> tuple[list[Figures], list[Comparison | None]]:
    """Each job's figures from the summed tallies, and its comparison with its baseline."""
    figures = []
    for i, (job, tally) in enumerate(zip(jobs, total.tallies, strict=True)):
        aum = tally.fen / 100.0
        figures.append(
            Figures(
                scheme=job.scheme,
                book=book,
                settings=job.settings,
                drivers=drivers,
                counts=tally.counts,
                aum=aum,
                breakdown=tally.breakdown,
                cost_lines=cost_lines(job.settings.assumptions, drivers, job.scheme, tally.counts, aum),
                defaulted=total.defaulted[i] if total.defaulted else (),
            )
        )
    comparisons: list[Comparison | None] = []
    for job, tally, mine in zip(jobs, total.tallies, figures, strict=True):
        if job.baseline is None or tally.migration_n is None or tally.migration_fen is None:
            comparisons.append(None)
            continue
        comparisons.append(
            Comparison(mine, figures[job.baseline], tally.migration_n, tally.migration_fen / 100.0)
        )
    return figures, comparisons
