"""A dataset's figures on a Dask cluster: parts read and checked on the workers, shuffled by
household when a scheme judges households, tallied by the in-memory engine per partition,
added up exactly on the client.

One task graph per run, so Dask streams it part by part (a part is read, tallied and
dropped) and only the household shuffle holds data across parts (spilled to disk by Dask
when it outgrows a worker's memory).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import reduce
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from workbench.core.results import Comparison, Figures
from workbench.files.datasets import PartsBook, check_same_columns, load_part, repeated_key_error
from workbench.scale.cluster import ClusterError, gather
from workbench.scale.parts import (
    Failure,
    PartInfo,
    PartReading,
    classify_frame,
    needs_households,
    read_kept,
    tally_frame,
)
from workbench.scale.tally import Job, PartTally, figures_of
from workbench.scheme.drivers import CostDriver
from workbench.scheme.model import Scheme
from workbench.text import Text


@dataclass
class Batch:
    """What a run on the cluster gives: the book, each job's figures and comparison, and
    how the parts were read."""

    book: PartsBook
    figures: list[Figures]
    comparisons: list[Comparison | None]
    notes: list[Text]
    partitions: int
    shuffled: bool


def _frame(read: tuple[pd.DataFrame, PartInfo] | Failure, meta: pd.DataFrame) -> pd.DataFrame:
    return meta if isinstance(read, Failure) else read[0]


def _info(read: tuple[pd.DataFrame, PartInfo] | Failure) -> PartInfo | Failure:
    return read if isinstance(read, Failure) else read[1]


KEY_BUCKETS = 64  # the check that no key is in two parts: its hashes split by their top bits


def _key_buckets(read: tuple[pd.DataFrame, PartInfo] | Failure) -> list[np.ndarray]:
    """A part's key hashes, sorted and split by their top six bits into ``KEY_BUCKETS``."""
    hashes = np.sort(np.zeros(0, np.uint64) if isinstance(read, Failure) else read[1].key_hashes)
    bounds = np.searchsorted(hashes, np.arange(1, KEY_BUCKETS, dtype=np.uint64) << np.uint64(58))
    return np.split(hashes, bounds)


def _repeats(*parts: np.ndarray) -> np.ndarray:
    """Hash values found in more than one part (each part's keys are distinct already)."""
    every = np.sort(np.concatenate(parts)) if parts else np.zeros(0, np.uint64)
    return np.unique(every[1:][every[1:] == every[:-1]])


def _first_failure(values: Sequence[Any]) -> None:
    for value in values:
        if isinstance(value, Failure):
            raise value.error


@dataclass
class Graph:
    """A dataset's parts as the task graph reads them: each part read and checked, and the
    partitions every scheme's figures can be computed on (whole households in each, when a
    scheme reads households)."""

    reading: PartReading
    schemes: list[Scheme]
    reads: list[Any]
    partitions: list[Any]
    shuffled: bool


def graph_of(
    client: Any,
    reading: PartReading,
    schemes: list[Scheme],
    every_column: bool = False,
    households: bool | None = None,
) -> Graph:
    """Lazy: nothing runs until ``computed``. ``households``: whether partitions hold whole
    households (by default, when some scheme reads them)."""
    import dask
    import dask.dataframe as dd

    n = len(reading.dataset)
    shuffled = needs_households(schemes) if households is None else households
    reads = [
        dask.delayed(read_kept, pure=False)(reading, i, schemes, every_column, shuffled) for i in range(n)
    ]
    meta = _meta(client, reading, schemes, every_column, shuffled)
    if shuffled:  # every member of a household in one partition: the shuffle Dask does
        frames = dd.from_delayed([dask.delayed(_frame)(r, meta) for r in reads], meta=meta, verify_meta=False)
        partitions = frames.shuffle(on="_household", npartitions=n).to_delayed()
    else:
        partitions = [dask.delayed(_frame)(r, meta) for r in reads]
    return Graph(reading, schemes, reads, partitions, shuffled)


def computed(client: Any, graph: Graph, outputs: list[Any]) -> tuple[PartsBook, list[PartInfo], list[Any]]:
    """Run ``outputs`` (one task per partition) with every part's checks: a bad value, a
    part whose columns differ, a customer key in two parts are errors naming the part."""
    import dask
    from distributed import KilledWorker

    dataset, n = graph.reading.dataset, len(graph.reads)
    infos = [dask.delayed(_info)(r) for r in graph.reads]
    split = [dask.delayed(_key_buckets, nout=KEY_BUCKETS)(r) for r in graph.reads]
    repeated = [dask.delayed(_repeats)(*(s[b] for s in split)) for b in range(KEY_BUCKETS)]
    futures = client.compute([*infos, *outputs, *repeated])
    try:
        done = gather(client, futures, dataset.name, futures[n : n + len(outputs)])
    except KilledWorker as exc:
        raise ClusterError(
            f"{dataset.name}: a worker died again and again on the same task ({exc}); "
            "give the workers more memory (--memory-limit) or more of them (--workers)",
            zh=f"{dataset.name}:工作进程在同一任务上反复退出;请加大内存(--memory-limit)或增加进程(--workers)",
        ) from exc
    part_infos, results = done[:n], done[n : n + len(outputs)]
    dupes = np.concatenate(done[n + len(outputs) :])
    _first_failure(part_infos)
    _first_failure(results)
    ok: list[PartInfo] = [i for i in part_infos if isinstance(i, PartInfo)]
    check_same_columns(dataset, [i.columns for i in ok])
    if len(dupes):
        _repeated_key(client, graph.reading, graph.schemes, set(dupes.tolist()))
    rows = sum(i.rows for i in ok)
    digest = sum(i.digest for i in ok) % 2**64
    book = PartsBook(dataset.name, rows, ok[0].columns, digest)
    return book, ok, results


def run_batch(
    client: Any,
    reading: PartReading,
    jobs: Sequence[Job],
    drivers: Mapping[str, CostDriver],
    *,
    classify_to: Path | None = None,
    secret: bytes | None = None,
) -> Batch:
    """Every job on every part; with ``classify_to``, the first job's classification written
    as one part file per partition there."""
    import dask

    graph = graph_of(client, reading, list({id(j.scheme): j.scheme for j in jobs}.values()))
    if classify_to is not None:
        outputs = [
            dask.delayed(classify_frame)(p, reading, jobs[0], drivers, classify_to, i, secret)
            for i, p in enumerate(graph.partitions)
        ]
    else:
        outputs = [dask.delayed(tally_frame)(p, reading, jobs, drivers) for p in graph.partitions]
    book, infos, tallies = computed(client, graph, outputs)
    total: PartTally = reduce(lambda a, b: a + b, tallies)
    figures, comparisons = figures_of(jobs, total, book, drivers)
    notes = list(dict.fromkeys(note for i in infos for note in i.notes))
    return Batch(book, figures, comparisons, notes, len(graph.partitions), graph.shuffled)


def _meta(
    client: Any, reading: PartReading, schemes: list[Any], every_column: bool, households: bool
) -> pd.DataFrame:
    """The columns and types every part's kept frame has: part 0's, read on a worker."""
    first = client.submit(read_kept, reading, 0, schemes, every_column, households, pure=False).result()
    if isinstance(first, Failure):
        raise first.error
    return first[0].iloc[:0]


def _repeated_key(client: Any, reading: PartReading, schemes: list[Any], hashes: set[int]) -> None:
    """A customer key in two parts: find where (the hashes matched), and say so."""
    dataset = reading.dataset
    wanted = np.fromiter(hashes, np.uint64)

    def ids_of(i: int) -> pd.Series:
        read = read_kept(reading, i, schemes)
        if isinstance(read, Failure):
            raise read.error
        frame, info = read
        keep = np.isin(info.key_hashes, wanted)
        return pd.Series(frame["customer_id"].astype(str).to_numpy()[keep], index=np.flatnonzero(keep))

    found = client.gather(client.map(ids_of, range(len(dataset)), pure=False))
    places: dict[str, list[tuple[int, int]]] = {}
    for part, ids in enumerate(found):
        for row, key in ids.items():
            places.setdefault(key, []).append((part, int(row)))
    repeated = {k: v for k, v in places.items() if len(v) > 1}
    if not repeated:  # 64-bit hashes that collided on different keys
        return
    key = min(repeated)
    shown = []
    for part, row in repeated[key][:2]:
        portfolio = load_part(dataset, part, mapping=reading.mapping, extra_columns=reading.extra_columns)
        shown.append(f"{dataset.part_name(part)} {portfolio.row_label(row)}")
    raise repeated_key_error(dataset, key, len(repeated), shown)
