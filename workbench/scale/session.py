"""Scenarios on a dataset through a Dask cluster, as ``Run`` objects: the same shape the
in-memory ``Session.run`` gives, so every table, JSON shape and report is the same."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from workbench.core.results import Figures
from workbench.errors import PortfolioError
from workbench.files.datasets import find_dataset
from workbench.files.scenarios import PortfolioRef, Scenario
from workbench.planning.runs import Run, Session, missing_note
from workbench.scale.choose import is_partitioned
from workbench.scale.cluster import ClusterSpec, connected
from workbench.scale.parts import PartReading
from workbench.scale.runner import Batch, run_batch
from workbench.scale.tally import Job
from workbench.text import Text


@dataclass(frozen=True)
class Pairing:
    """A scenario and the scenario it is compared with (None: no comparison)."""

    scenario: Scenario
    baseline: Scenario | None = None


def part_reading(session: Session, ref: PortfolioRef, base_dir: Path | None) -> PartReading:
    """How the parts of the dataset a reference names are read."""
    if ref.is_sample:
        raise PortfolioError(
            "the built-in sample lives in memory; a cluster reads a dataset (workbench sample --parts)",
            zh="内置样例在内存中;集群读取的是数据集(workbench sample --parts)",
        )
    path = ref.resolve(base_dir)
    if not is_partitioned(path):
        raise PortfolioError(
            f"{ref.path}: a cluster reads Parquet: a file, a folder of part files (Hive key=value folders "
            "too) or a glob",
            zh=f"{ref.path}:集群读取 Parquet:单个文件、分片文件的文件夹(含 Hive key=value 文件夹)或通配符",
        )
    return PartReading(
        find_dataset(path), dict(ref.columns), tuple(session.extra_columns()), ref.unit, ref.decimal
    )


def jobs_of(session: Session, pairings: Sequence[Pairing]) -> tuple[list[Job], list[int]]:
    """One job per distinct scenario (a baseline shared by several runs is run once), and
    which job is each pairing's own."""
    scenarios: list[Scenario] = []
    for p in pairings:
        for s in (p.scenario, p.baseline):
            if s is not None and not any(s is t for t in scenarios):
                scenarios.append(s)

    def place(s: Scenario) -> int:
        return next(i for i, t in enumerate(scenarios) if t is s)

    baselines: dict[int, int] = {
        place(p.scenario): place(p.baseline) for p in pairings if p.baseline is not None
    }
    jobs = []
    for i, s in enumerate(scenarios):
        scheme = session.registry.scheme(s.scheme, s.where, s.scheme_file_path())
        jobs.append(Job(scheme, session.settings(s, scheme), baselines.get(i)))
    return jobs, [place(p.scenario) for p in pairings]


def runs_of(batch: Batch, reading: PartReading, pairings: Sequence[Pairing], own: list[int]) -> list[Run]:
    runs = []
    for pairing, i in zip(pairings, own, strict=True):
        figures, comparison = batch.figures[i], batch.comparisons[i]
        runs.append(
            Run(
                pairing.scenario,
                figures.scheme,
                batch.book,
                figures,
                baseline=comparison.baseline if comparison is not None else None,
                baseline_scenario=pairing.baseline,
                comparison=comparison,
                notes=book_notes(batch, reading, figures),
            )
        )
    return runs


def cluster_batch(
    session: Session,
    jobs: Sequence[Job],
    ref: PortfolioRef,
    base_dir: Path | None,
    spec: ClusterSpec,
    say: Callable[[Text], object],
    *,
    classify_to: Path | None = None,
    secret: bytes | None = None,
) -> tuple[Batch, PartReading]:
    """``jobs`` on the dataset ``ref`` names, computed on the cluster ``spec``."""
    reading = part_reading(session, ref, base_dir)
    with connected(spec, say) as client:
        drivers = session.registry.drivers
        batch = run_batch(client, reading, jobs, drivers, classify_to=classify_to, secret=secret)
    book, parts = batch.book, len(reading.dataset)
    say(
        Text(
            f"{book.name}: {book.rows:,} customers in {parts} parts"
            + (f", shuffled by household into {batch.partitions} partitions" if batch.shuffled else ""),
            f"{book.name}:{book.rows:,} 位客户,{parts} 个分片"
            + (f",已按家庭重新分区为 {batch.partitions} 个分区" if batch.shuffled else ""),
        )
    )
    return batch, reading


def book_notes(batch: Batch, reading: PartReading, figures: Figures) -> list[Text]:
    """How the parts were read, and the columns the figures took as defaults."""
    spec = reading.spec()
    return [*batch.notes, *(missing_note(spec[c]) for c in figures.defaulted)]


def cluster_runs(
    session: Session,
    pairings: Sequence[Pairing],
    ref: PortfolioRef,
    base_dir: Path | None,
    spec: ClusterSpec,
    say: Callable[[Text], object],
    *,
    classify_to: Path | None = None,
    secret: bytes | None = None,
) -> list[Run]:
    """Each pairing's run on the dataset ``ref`` names, computed on the cluster ``spec``."""
    jobs, own = jobs_of(session, pairings)
    batch, reading = cluster_batch(
        session, jobs, ref, base_dir, spec, say, classify_to=classify_to, secret=secret
    )
    return runs_of(batch, reading, pairings, own)
