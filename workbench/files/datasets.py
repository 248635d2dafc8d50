"""Partitioned datasets: one book of customers in many Parquet files.

A dataset is a folder of Parquet part files (``part-0.parquet``, ...), at any depth, with
Hive-style ``key=value`` folders (``branch=0101/part-0.parquet``), or a glob
(``exports/*.parquet``). A folder whose every file names a month is a panel instead
(``workbench.files.panel``). Each part is read by the same reader, with the same column
names, aliases, checks and messages as a single file; a bad value names the part, the row
and the column. A Hive key that is a known column the file lacks becomes that column.
"""

from __future__ import annotations

import contextlib
import glob
import os
import re
import shutil
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq

from workbench.core.pages import ordinary_pages
from workbench.core.portfolio import Portfolio, fingerprint_of
from workbench.errors import PortfolioError
from workbench.files.convert import has_duplicates
from workbench.files.headers import header_score
from workbench.files.portfolios import (
    known_columns,
    parse_decimal,
    parse_user_unit,
    portfolio_from_frame,
    reading_of,
)
from workbench.files.reading import read_table
from workbench.scheme.model import Column
from workbench.text import Lang

GLOB = re.compile(r"[*?\[]")
_HIVE = re.compile(r"^([^=/]+)=(.*)$")
PART_SUFFIXES = (".parquet", ".parq", ".pq")


@dataclass(frozen=True)
class Dataset:
    """The part files of a dataset, in a stable order, with each part's Hive keys and
    row count (from the Parquet footers: nothing else is read to find them)."""

    name: str
    root: Path
    parts: tuple[Path, ...]
    keys: tuple[Mapping[str, str], ...]
    part_rows: tuple[int, ...]

    def __len__(self) -> int:
        return len(self.parts)

    @property
    def rows(self) -> int:
        return sum(self.part_rows)

    def part_name(self, index: int) -> str:
        """A part's name as people find it: its path under the dataset's folder."""
        part = self.parts[index]
        try:
            return str(part.relative_to(self.root))
        except ValueError:
            return str(part)


@dataclass
class PartsBook:
    """A dataset as the figures computed part by part on a cluster describe it: its name,
    rows, columns and summed row digest (so its fingerprint equals the same customers'
    in one file)."""

    name: str
    rows: int
    columns: tuple[str, ...]
    digest: int
    notes: list[str] = field(default_factory=list)

    def label(self, lang: Lang = "en") -> str:
        return self.name

    def fingerprint(self) -> str:
        return fingerprint_of(self.columns, self.rows, self.digest)


def is_dataset(path: str | Path) -> bool:
    """Whether ``path`` names a dataset: a glob, a folder with Hive ``key=value`` folders,
    or a folder of Parquet files whose names carry no month (those are a panel)."""
    from workbench.files.panel import month_of_name

    text = str(path)
    if GLOB.search(text) and not Path(text).exists():
        return True
    folder = Path(text)
    if not folder.is_dir():
        return False
    if any(p.is_dir() and _HIVE.match(p.name) for p in folder.iterdir()):
        return True
    files = [p for p in folder.iterdir() if p.is_file() and not p.name.startswith((".", "_"))]
    parts = [p for p in files if p.suffix.lower() in PART_SUFFIXES]
    return bool(parts) and all(month_of_name(p.name) is None for p in parts)


def find_dataset(path: str | Path) -> Dataset:
    """The parts of a dataset, or an error saying why there are none."""
    text = str(path)
    if GLOB.search(text) and not Path(text).exists():
        root = Path(text[: GLOB.search(text).start()]).parent  # type: ignore[union-attr]
        found = sorted(Path(p) for p in glob.glob(text, recursive=True) if Path(p).is_file())
        name = text
    elif Path(text).is_file():  # one Parquet file: a dataset of one part
        root = Path(text).parent
        found = [Path(text)]
        name = Path(text).name
    else:
        root = Path(text)
        if not root.is_dir():
            raise PortfolioError(f"{text}: no such folder", zh=f"{text}:文件夹不存在")
        found = sorted(p for p in root.rglob("*") if p.is_file())
        name = root.name or text
    hidden = [p for p in found if any(part.startswith((".", "_")) for part in p.relative_to(root).parts)]
    found = [p for p in found if p not in hidden]
    other = [p for p in found if p.suffix.lower() not in PART_SUFFIXES]
    if other:
        shown = ", ".join(str(p.relative_to(root)) for p in other[:3])
        raise PortfolioError(
            f"{text}: a dataset holds Parquet part files only; found {shown}",
            zh=f"{text}:数据集只能包含 Parquet 分片文件;发现 {shown}",
        )
    if not found:
        raise PortfolioError(f"{text}: no Parquet part files", zh=f"{text}:没有 Parquet 分片文件")
    keys = tuple(_hive_keys(p, root) for p in found)
    rows = []
    for p in found:
        try:
            rows.append(pq.ParquetFile(p).metadata.num_rows)
        except Exception as exc:  # pyarrow raises several kinds for a damaged footer
            raise PortfolioError(
                f"{p}: not a readable Parquet file ({exc})", zh=f"{p}:不是可读取的 Parquet 文件({exc})"
            ) from exc
    return Dataset(name, root, tuple(found), keys, tuple(rows))


def _hive_keys(part: Path, root: Path) -> dict[str, str]:
    keys = {}
    for folder in part.relative_to(root).parts[:-1]:
        match = _HIVE.match(folder)
        if match:
            keys[match.group(1)] = match.group(2)
    return keys


def load_part(
    dataset: Dataset,
    index: int,
    *,
    mapping: Mapping[str, str] | None = None,
    extra_columns: Iterable[Column] = (),
    unit: str | None = None,
    decimal: str | None = None,
) -> Portfolio:
    """One part as a portfolio, read and checked like a file of its own; its Hive keys
    become columns the file lacks."""
    path = dataset.parts[index]
    extra = tuple(extra_columns)
    table = read_table(path, None, header_score(known_columns(extra), mapping))
    frame = table.frame
    for key, value in dataset.keys[index].items():
        if key not in frame.columns:
            frame[key] = value
    name = dataset.part_name(index)
    reading = reading_of(table, parse_user_unit(unit), parse_decimal(decimal))
    reading.where = f"{dataset.name}: {name}"
    return portfolio_from_frame(
        frame, name, path=path, mapping=mapping, extra_columns=extra, reading=reading, owned=True
    )


def check_same_columns(dataset: Dataset, columns: list[tuple[str, ...]]) -> None:
    """Every part must hold the same canonical columns: a column missing from some parts
    would be read as its default there, silently."""
    first = set(columns[0])
    for i, mine in enumerate(columns[1:], start=1):
        if set(mine) != first:
            lacks = sorted(first - set(mine))
            adds = sorted(set(mine) - first)
            what = "; ".join(
                [
                    *([f"lacks {', '.join(lacks)}"] if lacks else []),
                    *([f"adds {', '.join(adds)}"] if adds else []),
                ]
            )
            raise PortfolioError(
                f"{dataset.name}: part {dataset.part_name(i)} {what} against part {dataset.part_name(0)}; "
                "every part holds the same columns",
                zh=f"{dataset.name}:分片 {dataset.part_name(i)} 与分片 {dataset.part_name(0)} 的列不同"
                f"({what});每个分片的列应相同",
            )


def load_dataset(
    dataset: Dataset,
    *,
    mapping: Mapping[str, str] | None = None,
    extra_columns: Iterable[Column] = (),
    unit: str | None = None,
    decimal: str | None = None,
) -> Portfolio:
    """The whole dataset as one portfolio in memory: every part read and checked, then
    put together; a customer key in two parts is an error naming both."""
    with ordinary_pages():
        parts = [
            load_part(dataset, i, mapping=mapping, extra_columns=extra_columns, unit=unit, decimal=decimal)
            for i in range(len(dataset))
        ]
        check_same_columns(dataset, [tuple(p.frame.columns) for p in parts])
        frame = pd.concat([p.frame for p in parts], ignore_index=True)
        duplicate_across_parts(dataset, [p.frame["customer_id"] for p in parts], parts)
    first = parts[0]
    notes = list(dict.fromkeys(n for p in parts for n in p.notes))
    return Portfolio(
        frame=frame,
        name=dataset.name,
        path=dataset.root,
        mapping=first.mapping,
        unrecognised=first.unrecognised,
        headers=first.headers,
        scaled=first.scaled,
        notes=tuple(notes),
        columns_spec=first.columns_spec,
    )


def duplicate_across_parts(dataset: Dataset, ids: list[pd.Series], parts: list[Portfolio]) -> None:
    """A customer key in more than one part: an error naming the key, both parts and rows."""
    every = pd.concat(ids, ignore_index=True)
    if not has_duplicates(every):
        return
    repeated = np.flatnonzero(every.duplicated(keep="first").to_numpy())
    key = every.iloc[int(repeated[0])]
    where = np.flatnonzero((every == key).to_numpy())[:2]
    starts = np.cumsum([0, *(len(i) for i in ids)])
    places = []
    for at in where:
        part = int(np.searchsorted(starts, at, side="right") - 1)
        places.append(f"{dataset.part_name(part)} {parts[part].row_label(int(at - starts[part]))}")
    raise repeated_key_error(dataset, str(key), len(repeated), places)


def repeated_key_error(dataset: Dataset, key: str, repeated: int, places: list[str]) -> PortfolioError:
    """The error for a customer key found in more than one part."""
    return PortfolioError(
        f"{dataset.name}: customer key {key!r} appears more than once ({repeated:,} repeated keys), "
        f"first in {places[0]} and in {places[1]}; each customer belongs in one part",
        zh=f"{dataset.name}:客户号 {key!r} 出现不止一次(共 {repeated:,} 个重复),"
        f"首见于 {places[0]},又见于 {places[1]};每位客户只应在一个分片中",
    )


def part_file(folder: Path, index: int) -> Path:
    """The name of part ``index`` in a dataset this program writes."""
    return folder / f"part-{index:05d}.parquet"


def output_folder(path: str | Path, force: bool = False) -> Path:
    """A folder to write a dataset into, checked: one that already holds files is refused,
    unless ``force`` and they are part files a previous run wrote (then ``staged`` replaces
    them once the new parts are all written; nothing else is ever touched)."""
    folder = Path(path)
    if folder.exists() and not folder.is_dir():
        raise PortfolioError(
            f"{folder}: is a file; a dataset is written into a folder",
            zh=f"{folder}:是文件;数据集要写入文件夹",
        )
    held = sorted(folder.iterdir()) if folder.is_dir() else []
    other = [p.name for p in held if not _PART.fullmatch(p.name)]
    if held and (not force or other):
        shown = ", ".join(p.name for p in held[:3]) + (" ..." if len(held) > 3 else "")
        hint = (
            f"it holds other files ({', '.join(other[:3])}): choose an empty folder"
            if other
            else "pass --force to replace them, or choose an empty folder"
        )
        zh_hint = "其中还有其他文件:请换一个空文件夹" if other else "加 --force 覆盖,或换一个空文件夹"
        raise PortfolioError(
            f"{folder}: already holds {len(held)} file{'s' if len(held) != 1 else ''} ({shown}); {hint}",
            zh=f"{folder}:已有 {len(held)} 个文件({shown});{zh_hint}",
        )
    if not folder.parent.is_dir():
        raise PortfolioError(
            f"{folder}: cannot be written (there is no folder {folder.parent}: create it, or choose another)",
            zh=f"{folder}:无法写入(文件夹 {folder.parent} 不存在:请先创建,或换一个)",
        )
    return folder


_PART = re.compile(r"part-\d{5}\.parquet")


@contextlib.contextmanager
def staged(folder: Path) -> Iterator[Path]:
    """A hidden folder beside ``folder`` to write parts into; when the block succeeds its
    parts replace those in ``folder``, when it fails it is removed: a half-written dataset
    is never left where the user asked for one."""
    staging = folder.parent / f".{folder.name}.writing-{os.getpid()}"
    try:
        staging.mkdir()
    except OSError as exc:
        from workbench.files.atomic import write_failed

        raise write_failed(folder, exc) from exc
    try:
        yield staging
        folder.mkdir(exist_ok=True)
        for old in folder.iterdir():
            if _PART.fullmatch(old.name):
                old.unlink()
        for new in sorted(staging.iterdir()):
            new.rename(folder / new.name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def write_parts(frames: Iterable[pd.DataFrame], folder: Path, rows_per_part: int) -> tuple[int, int]:
    """Write tables as part files of ``rows_per_part`` rows (by row range, as exports cut
    them), each atomically; returns (rows, parts) written."""
    from workbench.files.portfolios import write_portfolio

    rows = parts = 0
    for frame in frames:
        for start in range(0, len(frame), rows_per_part):
            write_portfolio(frame.iloc[start : start + rows_per_part], part_file(folder, parts))
            parts += 1
        rows += len(frame)
    return rows, parts
