"""Portfolios over time: one row per customer per month, in one file with a month column
or in a folder of monthly files whose names carry the month.

Each month is read with the same column names, aliases, checks and messages as a
single-month portfolio; a bad value names the file, the row, the column and the month.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from workbench.core.pages import ordinary_pages
from workbench.core.portfolio import Portfolio
from workbench.errors import PortfolioError
from workbench.files.datasets import find_dataset, is_dataset, load_dataset
from workbench.files.first_columns import read_first
from workbench.files.headers import header_score, map_headers
from workbench.files.portfolios import (
    known_columns,
    load_portfolio,
    parse_decimal,
    parse_user_unit,
    portfolio_from_frame,
    reading_of,
)
from workbench.files.reading import PARQUET, SUFFIXES, RawTable, parquet_table, read_table, sniff
from workbench.scheme.model import Column
from workbench.text import Text

KEYS = ("customer_id", "household_id", "aum")  # read whatever a scheme reads: keys and the AUM measure
MONTH_HEADERS = ("month", "月份", "统计月份", "数据日期", "数据月份", "period", "date")
_IN_NAME = re.compile(r"(20\d\d|19\d\d)[-_.年]?(0[1-9]|1[0-2])(?!\d)")
_VALUE = re.compile(r"^\s*(\d{4})\s*[-/.年]?\s*(\d{1,2})")


@dataclass(frozen=True)
class Panel:
    """A portfolio month by month, oldest first (``YYYY-MM``)."""

    months: tuple[str, ...]
    portfolios: tuple[Portfolio, ...]
    name: str

    def __len__(self) -> int:
        return len(self.months)


def month_of_name(name: str) -> str | None:
    """The month a file's name carries (``2026-01.csv``, ``客户月报_202601.xlsx``)."""
    found = _IN_NAME.search(name)
    return f"{found.group(1)}-{found.group(2)}" if found else None


def month_of_value(value: object) -> str | None:
    """``2026-01``, ``202601``, ``2026/1``, ``2026年1月``, a date or ``2026-01-31``: the month."""
    if isinstance(value, pd.Timestamp):
        return f"{value.year:04d}-{value.month:02d}"
    text = str(value).strip()
    found = _VALUE.match(text)
    if not found or not 1 <= int(found.group(2)) <= 12:
        return None
    return f"{int(found.group(1)):04d}-{int(found.group(2)):02d}"


def is_panel(path: Path) -> bool:
    """Whether a path is a folder of monthly files (a file is a panel when it has a month
    column, which only reading it tells)."""
    return path.is_dir()


def load_panel(
    path: str | Path,
    *,
    mapping: Mapping[str, str] | None = None,
    sheet: str | int | None = None,
    extra_columns: Iterable[Column] = (),
    unit: str | None = None,
    decimal: str | None = None,
    columns: Iterable[str] | None = None,
) -> Panel:
    """Read a panel: a folder of monthly files, or one file with a month column. With
    ``columns`` (canonical names, as a scheme's ``columns``), only those and the keys are
    read: a Parquet file then reads nothing else from disk."""
    path = Path(path)
    extra = tuple(extra_columns)
    keep = None if columns is None else {*columns, *KEYS}
    if path.is_file() and sniff(path) == PARQUET:
        return _parquet_panel(path, mapping, extra, unit, decimal, keep)
    if path.is_dir():
        dated = monthly_files(path)
        loaded = [
            (
                m,
                load_portfolio(
                    p, mapping=mapping, sheet=sheet, extra_columns=extra, unit=unit, decimal=decimal
                ),
            )
            for m, p in dated
        ]
        return Panel(tuple(m for m, _ in loaded), tuple(p for _, p in loaded), path.name)
    table = read_table(path, sheet, header_score(known_columns(extra), mapping))
    if keep is not None:
        table = replace(table, frame=table.frame[_kept(list(table.frame.columns), mapping, extra, keep)])
    return _one_file(path, table, mapping, extra, unit, decimal)


def monthly_files(path: Path) -> list[tuple[str, Path]]:
    """The files of a monthly folder with their months, oldest first; an error when a file
    names no month or two name the same one."""
    files = [p for p in sorted(path.iterdir()) if p.is_file() and p.suffix.lower() in SUFFIXES]
    dated = [(month_of_name(p.name), p) for p in files]
    undated = [p.name for m, p in dated if m is None]
    if undated or not dated:
        raise PortfolioError(
            f"{path}: every file of a monthly folder names its month (2026-01.csv, 客户月报_202601.xlsx)"
            " (a folder of Parquet part files naming no month is one book in parts); "
            + (f"these do not: {', '.join(undated[:5])}" if undated else "the folder has no portfolio files"),
            zh=f"{path}:月度文件夹中每个文件名都应含月份(如 2026-01.csv、客户月报_202601.xlsx)",
        )
    months = [m for m, _ in dated if m is not None]
    repeated = sorted({m for m in months if months.count(m) > 1})
    if repeated:
        raise PortfolioError(
            f"{path}: more than one file for {', '.join(repeated)}; keep one file a month",
            zh=f"{path}:{', '.join(repeated)} 有多个文件;每月只保留一个",
        )
    return sorted((m, p) for m, p in dated if m is not None)


def _kept(
    headers: list[str], mapping: Mapping[str, str] | None, extra: tuple[Column, ...], keep: set[str]
) -> list[str]:
    """The headers to read: those of the ``keep`` columns, the month, and the text columns a
    totals row may be told by (their few values are cheap)."""
    columns = known_columns(extra)
    header_map, _ = map_headers([h for h in headers if month_column([h], mapping) is None], columns, mapping)

    def wanted(header: str) -> bool:
        canonical = header_map.get(header)
        if canonical is None:
            return month_column([header], mapping) is not None
        return canonical in keep or columns[canonical].kind in ("text", "tier", "category")

    return [h for h in headers if wanted(h)]


def load_any(
    path: str | Path,
    *,
    mapping: Mapping[str, str] | None = None,
    sheet: str | int | None = None,
    extra_columns: Iterable[Column] = (),
    unit: str | None = None,
    decimal: str | None = None,
    first: Iterable[str] | None = None,
) -> Portfolio | Panel:
    """A portfolio, or a panel when the path is a folder of monthly files or the file has a
    month column (the file read once either way); a dataset (part files, a glob) is read
    part by part into one portfolio. With ``first``, a Parquet file's ``first`` columns are
    read and the others left for later (see ``workbench.files.first_columns``)."""
    extra = tuple(extra_columns)
    if is_dataset(path):
        return load_dataset(
            find_dataset(path), mapping=mapping, extra_columns=extra, unit=unit, decimal=decimal
        )
    path = Path(path)
    if first is not None and not path.is_dir():
        early = read_first(path, first, mapping=mapping, extra_columns=extra, unit=unit, decimal=decimal)
        if early is not None:
            return early
    with ordinary_pages():  # see workbench.core.pages
        if path.is_dir():
            return load_panel(
                path, mapping=mapping, sheet=sheet, extra_columns=extra, unit=unit, decimal=decimal
            )
        table = read_table(path, sheet, header_score(known_columns(extra), mapping))
        if month_column(table.frame.columns, mapping) is not None:
            return _one_file(path, table, mapping, extra, unit, decimal)
        return portfolio_from_frame(
            table.frame, path.name, path=path, mapping=mapping, extra_columns=extra,
            reading=reading_of(table, parse_user_unit(unit), parse_decimal(decimal)), owned=True,
        )  # fmt: skip


def month_column(headers: Iterable[object], mapping: Mapping[str, str] | None) -> object | None:
    return next(
        (
            c
            for c in headers
            if str(c).strip().lower() in MONTH_HEADERS or (mapping or {}).get(str(c)) == "month"
        ),
        None,
    )


def _no_month_column(where: str) -> PortfolioError:
    return PortfolioError(
        f"{where}: no month column ({', '.join(MONTH_HEADERS[:4])}); a portfolio over time has one "
        "row per customer per month, or is a folder of monthly files",
        zh=f"{where}:没有月份列(月份、统计月份、数据日期);按月的客户数据每户每月一行,或是按月的文件夹",
    )


def _months_of(
    codes: np.ndarray, distinct: list[object], numbers: np.ndarray, where: str, column: object
) -> list[tuple[str, np.ndarray | slice]]:
    """Each month's rows, oldest first, from the distinct values of the month column
    (``codes`` index them, -1 = empty), every row checked (a slice when the file holds the
    months one after another)."""
    parsed = [month_of_value(v) for v in distinct]
    valid = sorted({m for m in parsed if m is not None})
    rank = np.array([valid.index(m) if m is not None else -1 for m in parsed] + [-1], dtype=np.int64)
    months = rank[np.where(codes < 0, len(distinct), codes)]  # each row's month, as its place in ``valid``
    bad = np.flatnonzero(months < 0)
    if len(bad):
        values = [distinct[codes[i]] if codes[i] >= 0 else "" for i in bad[:5]]
        shown = "; ".join(f"row {int(numbers[i])}: found {v!r}" for i, v in zip(bad, values, strict=False))
        raise PortfolioError(
            f"{where}: column {column!r}: {shown} — expected a month (2026-01, 202601, 2026年1月 or a date)",
            zh=f"{where}:列 {column!r}:{shown} —— 应为月份(2026-01、202601、2026年1月或日期)",
        )
    parts: list[tuple[str, np.ndarray | slice]] = []
    if (months[1:] >= months[:-1]).all():  # month after month, as exports usually are: slices
        starts = np.searchsorted(months, np.arange(len(valid) + 1))
        parts = [(m, slice(int(starts[i]), int(starts[i + 1]))) for i, m in enumerate(valid)]
    else:
        order = np.argsort(months, kind="stable")
        bounds = np.searchsorted(months[order], np.arange(len(valid) + 1))
        parts = [(m, order[bounds[i] : bounds[i + 1]]) for i, m in enumerate(valid)]
    return parts


def _month_portfolio(
    path: Path,
    table: RawTable,
    month: str,
    numbers: np.ndarray,
    mapping: Mapping[str, str] | None,
    extra: tuple[Column, ...],
    unit: str | None,
    decimal: str | None,
) -> Portfolio:
    """One month's rows (``table.frame``, the file's row ``numbers``) as a portfolio."""
    reading = reading_of(table, parse_user_unit(unit), parse_decimal(decimal))
    reading = replace(reading, where=f"{table.where}, month {month}", row_numbers=numbers, empty_cells=None)
    return portfolio_from_frame(
        table.frame,
        f"{path.name} ({month})",
        path=path,
        mapping=mapping,
        extra_columns=extra,
        reading=reading,
    )


def _one_file(
    path: Path,
    table: RawTable,
    mapping: Mapping[str, str] | None,
    extra: tuple[Column, ...],
    unit: str | None,
    decimal: str | None,
) -> Panel:
    frame = table.frame
    column = month_column(frame.columns, mapping)
    if column is None:
        raise _no_month_column(table.where)
    numbers = np.asarray(
        table.row_numbers if table.row_numbers is not None else table.first_data_row + np.arange(len(frame))
    )
    codes, distinct = pd.factorize(frame[column], use_na_sentinel=True)  # few distinct values
    parts = _months_of(codes, list(distinct), numbers, table.where, column)
    frame = frame.drop(columns=[column])
    out = []
    for month, rows in parts:
        # rows of one month side by side: a slice, not a copy of every column
        part = frame.iloc[rows].reset_index(drop=True)
        month_table = replace(table, frame=part)
        out.append(
            (month, _month_portfolio(path, month_table, month, numbers[rows], mapping, extra, unit, decimal))
        )
    return Panel(tuple(m for m, _ in out), tuple(p for _, p in out), path.name)


def _parquet_panel(
    path: Path,
    mapping: Mapping[str, str] | None,
    extra: tuple[Column, ...],
    unit: str | None,
    decimal: str | None,
    keep: set[str] | None,
) -> Panel:
    """A Parquet panel read as Arrow and converted a month at a time: the whole file is
    never a pandas frame, and with ``keep`` only those columns are read from disk."""
    headers = pq.ParquetFile(path).schema_arrow.names
    column = month_column(headers, mapping)
    if column is None:
        raise _no_month_column(path.name)
    selected = headers if keep is None else _kept(headers, mapping, extra, keep)
    table = parquet_table(path, selected)
    encoded = pc.dictionary_encode(table.column(str(column))).combine_chunks()
    codes = encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)
    distinct = encoded.dictionary.to_pylist()
    numbers = np.arange(1, table.num_rows + 1)  # a Parquet file's rows, counted from 1
    parts = _months_of(codes, distinct, numbers, path.name, column)
    table = table.drop_columns([str(column)])
    out = []
    for month, rows in parts:
        if isinstance(rows, slice):
            arrow = table.slice(rows.start, rows.stop - rows.start)
        else:
            arrow = table.take(pa.array(rows))
        frame = arrow.to_pandas(split_blocks=True)
        raw = RawTable(frame, 1, None, (), where=path.name)
        out.append((month, _month_portfolio(path, raw, month, numbers[rows], mapping, extra, unit, decimal)))
    return Panel(tuple(m for m, _ in out), tuple(p for _, p in out), path.name)


def shown_month(panel: Panel, index: int, portfolio: Portfolio, window: int = 1) -> Portfolio:
    """Month ``index`` of the panel (``portfolio``: that month, its half-year figures over
    ``window`` months) as the portfolio to tune, with a note saying which month it is."""
    month = panel.months[index]
    note = Text(
        f"{panel.name} holds {len(panel)} months ({panel.months[0]} to {panel.months[-1]}): {month} is "
        "shown; `workbench replay` (or the timeline, m) replays every month",
        f"{panel.name} 含 {len(panel)} 个月({panel.months[0]} 至 {panel.months[-1]}):显示 {month};"
        "`workbench replay`(或时间线 m)逐月回放",
    )
    notes = [note]
    if window > 1:
        notes.append(
            Text(
                f"{month}: money figures over the last {window} months the customer was present "
                "(balances averaged, flows summed), as the evaluation policy's window_months says",
                f"{month}:金额按客户在场的最近 {window} 个月计算(余额取平均,流量取合计),"
                "依评定规则的 window_months",
            )
        )
    return replace(
        portfolio,
        notes=(*portfolio.notes, *notes),
        title=Text(f"{panel.name} ({month})", f"{panel.name}({month})"),
    )
