"""A stratified sample of a dataset drawn on the cluster: the same units, strata and draw
as ``workbench.planning.estimates`` makes in memory (the same customers are drawn), in two
passes: the strata's sizes and spreads, then the units each partition contributes."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from workbench.core.engine import Engine
from workbench.core.portfolio import Portfolio
from workbench.core.sampling import Design, drawn, rates_of, stratum_stats, unit_draws
from workbench.core.settings import Settings
from workbench.files.scenarios import PortfolioRef, Scenario
from workbench.planning.estimates import (
    EstimatedBook,
    Sample,
    by_households,
    canonical,
    estimated_title,
    stratum_count,
    units_table,
)
from workbench.planning.runs import Session
from workbench.scale.cluster import ClusterSpec, connected
from workbench.scale.parts import PartReading, as_portfolio, failures_as_values
from workbench.scale.runner import computed, graph_of
from workbench.scale.session import part_reading
from workbench.scheme.drivers import CostDriver
from workbench.scheme.model import Scheme
from workbench.text import Text

Drawn = tuple[pd.DataFrame, np.ndarray, np.ndarray, np.ndarray]  # rows, units, unit strata, unit sizes


def _units(
    frame: pd.DataFrame,
    reading: PartReading,
    scheme: Scheme,
    settings: Settings,
    drivers: Any,
    households: bool,
) -> Any:
    portfolio = as_portfolio(frame, reading, reading.dataset.name)
    engine = Engine(scheme, portfolio, drivers)
    return portfolio, units_table(portfolio, engine, settings, households)


@failures_as_values
def strata_task(
    frame: pd.DataFrame,
    reading: PartReading,
    scheme: Scheme,
    settings: Settings,
    drivers: Mapping[str, CostDriver],
    households: bool,
) -> np.ndarray:
    """A partition's units per stratum, the metric's sum and sum of squares, customers."""
    _, table = _units(frame, reading, scheme, settings, drivers, households)
    sizes = np.bincount(table.units, minlength=len(table.strata))
    return stratum_stats(table.strata, table.values, sizes, stratum_count(scheme))


@failures_as_values
def draw_task(
    frame: pd.DataFrame,
    reading: PartReading,
    scheme: Scheme,
    settings: Settings,
    drivers: Mapping[str, CostDriver],
    rates: np.ndarray,
    seed: int,
    households: bool,
) -> Drawn:
    """A partition's drawn units: their customers' rows, and per unit its stratum and size."""
    portfolio, table = _units(frame, reading, scheme, settings, drivers, households)
    chosen = drawn(unit_draws(table.keys, seed), table.strata, rates)
    rows = np.flatnonzero(chosen[table.units])
    units = (np.cumsum(chosen) - 1)[table.units[rows]]
    strata = table.strata[chosen]
    return portfolio.frame.iloc[rows], units, strata, np.bincount(units, minlength=len(strata))


def cluster_sample(
    session: Session,
    scenario: Scenario,
    ref: PortfolioRef,
    base_dir: Path | None,
    spec: ClusterSpec,
    say: Callable[[Text], object],
    fraction: float,
    seed: int,
    whole_households: bool = False,
) -> Sample:
    """A stratified sample of the dataset ``ref`` names, drawn for ``scenario``'s scheme."""
    import dask

    reading = part_reading(session, ref, base_dir)
    scheme = session.registry.scheme(scenario.scheme, scenario.where, scenario.scheme_file_path())
    settings = session.settings(scenario, scheme)
    drivers = session.registry.drivers
    households = by_households(scheme, whole_households)
    with connected(spec, say) as client:
        graph = graph_of(client, reading, [scheme], every_column=True, households=households)
        tasks = [
            dask.delayed(strata_task)(p, reading, scheme, settings, drivers, households)
            for p in graph.partitions
        ]
        book, infos, stats = computed(client, graph, tasks)
        total = np.sum(stats, axis=0)
        rates = rates_of(total, fraction)
        graph = graph_of(client, reading, [scheme], every_column=True, households=households)
        tasks = [
            dask.delayed(draw_task)(p, reading, scheme, settings, drivers, rates, seed, households)
            for p in graph.partitions
        ]
        _, _, parts = computed(client, graph, tasks)
    frames, units, strata, sizes, offset = [], [], [], [], 0
    for frame, u, s, z in parts:
        frames.append(frame)
        units.append(u + offset)
        strata.append(s)
        sizes.append(z)
        offset += len(s)
    unit_strata = np.concatenate(strata)
    unit_sizes = np.concatenate(sizes)
    taken = np.bincount(unit_strata, minlength=len(rates)).astype(np.float64)
    sampled = np.bincount(unit_strata, weights=unit_sizes, minlength=len(rates))
    design = Design(fraction, seed, total[0], taken, rates, total[3], sampled)
    notes = tuple(dict.fromkeys(n for i in infos for n in i.notes))
    rows = pd.concat(frames, ignore_index=True).drop(columns=["_household"], errors="ignore")
    like = Portfolio(
        frame=rows.iloc[:0],
        name=book.name,
        mapping=dict(infos[0].mapping),
        columns_spec=reading.spec(),
        notes=notes,
    )
    estimated = EstimatedBook(book.name, book.rows, book.fingerprint(), estimated_title(book.name))
    return canonical(rows, np.concatenate(units), unit_strata, design, estimated, households, like)
