"""What a worker does with one part of a dataset: read it as the in-memory reader would,
describe it, keep the columns the run needs, tally it, write its classification.

Every function here runs on a worker and takes and returns plain data (frames, arrays,
dataclasses), never the plugin manager. A problem in a part (a bad value, a missing
column) is returned as a ``Failure`` (``failures_as_values``), so the client raises it with
its message intact.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import ParamSpec, TypeVar

import numpy as np
import pandas as pd

from workbench.core.engine import Engine, columns_needed, columns_read
from workbench.core.portfolio import Portfolio, column_hashes, row_digest
from workbench.errors import WorkbenchError
from workbench.files.datasets import Dataset, load_part, part_file
from workbench.files.portfolios import check_columns, known_columns
from workbench.files.portfolios import write_portfolio as write_table
from workbench.planning.classified import classified_frame
from workbench.scale.tally import Job, PartTally, tally_part, tally_results
from workbench.scheme.drivers import CostDriver
from workbench.scheme.model import Column, Scheme
from workbench.text import Text

P = ParamSpec("P")
R = TypeVar("R")
HOUSEHOLD_KEY = "_household"  # the shuffle key: the household id, or the customer's own id when alone


@dataclass(frozen=True)
class PartReading:
    """How every part is read: the dataset and what the scenario says of its files."""

    dataset: Dataset
    mapping: Mapping[str, str]
    extra_columns: tuple[Column, ...] = ()
    unit: str | None = None
    decimal: str | None = None

    def spec(self) -> dict[str, Column]:
        return known_columns(self.extra_columns)


@dataclass(frozen=True)
class PartInfo:
    """A part as read: rows, canonical columns, row digest (for the fingerprint), notes,
    and its customer keys hashed (for the check that no key is in two parts)."""

    index: int
    rows: int
    columns: tuple[str, ...]
    digest: int
    notes: tuple[Text, ...]
    mapping: Mapping[str, str]
    unrecognised: tuple[str, ...]
    key_hashes: np.ndarray


@dataclass(frozen=True)
class Failure:
    """A problem found on a worker, carried back as data."""

    error: WorkbenchError


def failures_as_values(task: Callable[P, R]) -> Callable[P, R | Failure]:
    """A worker's task that returns the ``WorkbenchError`` it meets as a ``Failure`` (the
    client raises it with its message intact) instead of raising it on the worker."""

    @functools.wraps(task)
    def run(*args: P.args, **kwargs: P.kwargs) -> R | Failure:
        try:
            return task(*args, **kwargs)
        except WorkbenchError as exc:
            return Failure(exc)

    return run


def with_household_key(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with the key to shuffle it by: the household id, or the customer's own id
    when alone."""
    frame = frame.copy()
    ids = frame["customer_id"].astype(str)
    household = frame["household_id"].astype(str) if "household_id" in frame.columns else ids
    frame[HOUSEHOLD_KEY] = household.where(household != "", "c:" + ids)
    return frame


def needed_columns(schemes: Iterable[Scheme]) -> set[str]:
    """Every column some job's figures read, with the keys."""
    needed = {"customer_id", "household_id"}
    for scheme in schemes:
        needed.update(columns_needed(scheme))
    return needed


def needs_households(schemes: Iterable[Scheme]) -> bool:
    """Whether some scheme judges customers by their household (then a part must hold every
    member of its households)."""
    return any("household_id" in columns_read(s) for s in schemes)


def _read(reading: PartReading, index: int, schemes: Sequence[Scheme]) -> tuple[Portfolio, PartInfo]:
    portfolio = load_part(
        reading.dataset,
        index,
        mapping=reading.mapping,
        extra_columns=reading.extra_columns,
        unit=reading.unit,
        decimal=reading.decimal,
    )
    for scheme in schemes:
        check_columns(scheme, portfolio)
    frame = portfolio.frame
    hashes = column_hashes(frame)
    info = PartInfo(
        index,
        portfolio.rows,
        tuple(frame.columns),
        row_digest(frame, hashes),
        portfolio.notes,
        dict(portfolio.mapping),
        portfolio.unrecognised,
        hashes["customer_id"],
    )
    return portfolio, info


@failures_as_values
def read_kept(
    reading: PartReading,
    index: int,
    schemes: Sequence[Scheme],
    every_column: bool = False,
    households: bool = False,
) -> tuple[pd.DataFrame, PartInfo]:
    """A part's columns that the jobs read (``every_column``: all it has) and its info;
    with ``households``, the key to shuffle it by (``with_household_key``)."""
    portfolio, info = _read(reading, index, schemes)
    needed = set(portfolio.frame.columns) if every_column else needed_columns(schemes)
    frame = portfolio.frame[[c for c in portfolio.frame.columns if c in needed]]
    return (with_household_key(frame) if households else frame), info


def as_portfolio(frame: pd.DataFrame, reading: PartReading, name: str) -> Portfolio:
    """A frame of canonical columns (a part, or a shuffled partition) as a portfolio."""
    kept = frame.drop(columns=[HOUSEHOLD_KEY], errors="ignore").reset_index(drop=True)
    return Portfolio(frame=kept, name=name, columns_spec=reading.spec())


@failures_as_values
def tally_frame(
    frame: pd.DataFrame, reading: PartReading, jobs: Sequence[Job], drivers: Mapping[str, CostDriver]
) -> PartTally:
    """Every job's tally on one partition."""
    return tally_part(as_portfolio(frame, reading, reading.dataset.name), jobs, drivers)


@failures_as_values
def classify_frame(
    frame: pd.DataFrame,
    reading: PartReading,
    job: Job,
    drivers: Mapping[str, CostDriver],
    folder: Path,
    index: int,
    secret: bytes | None,
) -> PartTally:
    """Classify a partition, write its part of the output dataset, return its tally."""
    portfolio = as_portfolio(frame, reading, reading.dataset.name)
    engine = Engine(job.scheme, portfolio, drivers)
    result = engine.simulate(settings=job.settings)
    table = classified_frame(engine, result, masked=secret is not None, secret=secret)
    write_table(table, part_file(folder, index))
    return tally_results([job], [result], portfolio.rows)
