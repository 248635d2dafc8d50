"""A replay over months on a Dask cluster: each monthly file read and checked on a worker,
every month's rows shuffled by household (a household's months in one partition, so
windows, grace months, retention and joiners read as in memory), each partition replayed by
the in-memory ``Replayer``, and the months' figures added up exactly."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from workbench.core.policy import Policy
from workbench.core.portfolio import Portfolio
from workbench.core.replay import Month, Replay, quarters, replay
from workbench.core.results import cost_lines
from workbench.core.settings import Settings
from workbench.errors import WorkbenchError
from workbench.files.portfolios import check_columns, known_columns, load_portfolio
from workbench.scale.cluster import ClusterError, ClusterSpec, connected, gather
from workbench.scale.parts import (
    HOUSEHOLD_KEY,
    Failure,
    failures_as_values,
    needed_columns,
    with_household_key,
)
from workbench.scheme.drivers import CostDriver
from workbench.scheme.model import Column, Scheme
from workbench.text import Text

MONTH = "_month"


@dataclass(frozen=True)
class MonthReading:
    """The monthly files of a panel folder and how each is read."""

    name: str
    files: tuple[tuple[str, Path], ...]
    mapping: Mapping[str, str]
    extra_columns: tuple[Column, ...] = ()
    unit: str | None = None
    decimal: str | None = None


@failures_as_values
def read_month(reading: MonthReading, index: int, scheme: Scheme) -> pd.DataFrame:
    """One month's rows the scheme reads, with the household shuffle key and the month."""
    portfolio = load_portfolio(
        reading.files[index][1], mapping=reading.mapping, extra_columns=reading.extra_columns,
        unit=reading.unit, decimal=reading.decimal,
    )  # fmt: skip
    check_columns(scheme, portfolio)
    needed = needed_columns([scheme])
    frame = with_household_key(portfolio.frame[[c for c in portfolio.frame.columns if c in needed]])
    frame[MONTH] = np.int16(index)
    return frame


MonthTally = tuple[int, np.ndarray, np.ndarray, int, int, int, int, int]  # customers, counts, fen, moves


def replay_part(
    frame: pd.DataFrame | Failure,
    reading: MonthReading,
    scheme: Scheme,
    settings: Settings,
    policy: Policy,
    drivers: Mapping[str, CostDriver],
) -> list[MonthTally] | Failure:
    """The months of one partition's customers, replayed, as what adds up."""
    if isinstance(frame, Failure):
        return frame
    try:
        spec = known_columns(reading.extra_columns)
        months = [m for m, _ in reading.files]
        order = np.argsort(frame[MONTH].to_numpy(), kind="stable")
        frame = frame.iloc[order]
        bounds = np.searchsorted(frame[MONTH].to_numpy(), np.arange(len(months) + 1))
        portfolios = [
            Portfolio(
                frame=frame.iloc[bounds[m] : bounds[m + 1]]
                .drop(columns=[HOUSEHOLD_KEY, MONTH])
                .reset_index(drop=True),
                name=f"{reading.name} ({months[m]})",
                columns_spec=spec,
            )
            for m in range(len(months))
        ]
        r = replay(scheme, months, portfolios, settings, policy, drivers)
    except WorkbenchError as exc:
        return Failure(exc)
    return [
        (m.customers, m.counts.astype(np.int64), np.rint(m.aum * 100).astype(np.int64), m.upgrades,
         m.downgrades, m.joined, m.left, m.bounced_back)
        for m in r.months
    ]  # fmt: skip


def cluster_replay(
    reading: MonthReading,
    scheme: Scheme,
    settings: Settings,
    policy: Policy,
    drivers: Mapping[str, CostDriver],
    spec: ClusterSpec,
    say: Callable[[Text], object],
) -> Replay:
    """Every month of the panel on the cluster ``spec``: the figures of the in-memory replay
    (not a customer's months: those need the panel in memory)."""
    import dask
    import dask.dataframe as dd
    from distributed import KilledWorker

    n = len(reading.files)
    with connected(spec, say) as client:
        first = client.submit(read_month, reading, 0, scheme, pure=False).result()
        if isinstance(first, Failure):
            raise first.error
        meta = first.iloc[:0]
        reads = [dask.delayed(read_month, pure=False)(reading, i, scheme) for i in range(n)]
        checked = [dask.delayed(_failure_of)(r) for r in reads]
        frames = dd.from_delayed([dask.delayed(_frame)(r, meta) for r in reads], meta=meta, verify_meta=False)
        partitions = frames.shuffle(
            on=HOUSEHOLD_KEY, npartitions=max(n, 2 * len(client.nthreads()))
        ).to_delayed()
        outputs = [
            dask.delayed(replay_part)(p, reading, scheme, settings, policy, drivers) for p in partitions
        ]
        futures = client.compute([*checked, *outputs])
        try:
            done = gather(client, futures, reading.name, futures[n:])
        except KilledWorker as exc:
            raise ClusterError(
                f"{reading.name}: a worker died again and again on the same task ({exc}); "
                "give the workers more memory (--memory-limit) or more of them (--workers)",
                zh=f"{reading.name}:工作进程在同一任务上反复退出;请加大内存(--memory-limit)或增加进程(--workers)",
            ) from exc
    for value in done:
        if isinstance(value, Failure):
            raise value.error
    return _combined(scheme, settings, policy, drivers, [m for m, _ in reading.files], done[n:])


def _failure_of(read: Any) -> Failure | None:
    return read if isinstance(read, Failure) else None


def _frame(read: Any, meta: pd.DataFrame) -> pd.DataFrame:
    return meta if isinstance(read, Failure) else read


def _combined(
    scheme: Scheme,
    settings: Settings,
    policy: Policy,
    drivers: Mapping[str, CostDriver],
    months: Sequence[str],
    parts: Sequence[list[MonthTally]],
) -> Replay:
    k = len(scheme.tiers)
    out = []
    for m, month in enumerate(months):
        rows = [p[m] for p in parts]
        counts = np.sum([r[1] for r in rows], axis=0) if rows else np.zeros(k, np.int64)
        aum = (np.sum([r[2] for r in rows], axis=0) if rows else np.zeros(k, np.int64)) / 100.0
        cost = np.zeros(k)
        for line in cost_lines(settings.assumptions, drivers, scheme, counts, aum):
            cost[scheme.tier_index(line.assumption.tier)] += line.cost / 12
        customers, up, down, joined, left, back = (int(sum(r[i] for r in rows)) for i in (0, 3, 4, 5, 6, 7))
        out.append(Month(month, customers, counts, aum, cost, up, down, joined, left, bounced_back=back))
    none = np.zeros((len(months), 0), dtype=np.int8)
    return Replay(
        scheme,
        policy,
        settings,
        tuple(out),
        quarters(out),
        np.array([], dtype=object),
        none,
        none,
        none,
        (),
        (),
    )
