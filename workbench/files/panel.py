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

from workbench.core.portfolio import Portfolio
from workbench.errors import PortfolioError
from workbench.files.headers import header_score
from workbench.files.portfolios import (
    known_columns,
    load_portfolio,
    parse_decimal,
    parse_user_unit,
    portfolio_from_frame,
    reading_of,
)
from workbench.files.reading import SUFFIXES, RawTable, read_table
from workbench.scheme.model import Column
from workbench.text import Text

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
) -> Panel:
    """Read a panel: a folder of monthly files, or one file with a month column."""
    path = Path(path)
    extra = tuple(extra_columns)
    if path.is_dir():
        files = [p for p in sorted(path.iterdir()) if p.is_file() and p.suffix.lower() in SUFFIXES]
        dated = [(month_of_name(p.name), p) for p in files]
        undated = [p.name for m, p in dated if m is None]
        if undated or not dated:
            raise PortfolioError(
                f"{path}: every file of a monthly folder names its month (2026-01.csv, 客户月报_202601.xlsx);"
                " "
                + (
                    f"these do not: {', '.join(undated[:5])}"
                    if undated
                    else "the folder has no portfolio files"
                ),
                zh=f"{path}:月度文件夹中每个文件名都应含月份(如 2026-01.csv、客户月报_202601.xlsx)",
            )
        months = [m for m, _ in dated if m is not None]
        repeated = sorted({m for m in months if months.count(m) > 1})
        if repeated:
            raise PortfolioError(
                f"{path}: more than one file for {', '.join(repeated)}; keep one file a month",
                zh=f"{path}:{', '.join(repeated)} 有多个文件;每月只保留一个",
            )
        loaded = [
            (
                m,
                load_portfolio(
                    p, mapping=mapping, sheet=sheet, extra_columns=extra, unit=unit, decimal=decimal
                ),
            )
            for m, p in sorted((m, p) for m, p in dated if m is not None)
        ]
        return Panel(tuple(m for m, _ in loaded), tuple(p for _, p in loaded), path.name)
    table = read_table(path, sheet, header_score(known_columns(extra), mapping))
    return _one_file(path, table, mapping, extra, unit, decimal)


def load_any(
    path: str | Path,
    *,
    mapping: Mapping[str, str] | None = None,
    sheet: str | int | None = None,
    extra_columns: Iterable[Column] = (),
    unit: str | None = None,
    decimal: str | None = None,
) -> Portfolio | Panel:
    """A portfolio, or a panel when the path is a folder or the file has a month column
    (the file read once either way)."""
    path = Path(path)
    extra = tuple(extra_columns)
    if path.is_dir():
        return load_panel(path, mapping=mapping, sheet=sheet, extra_columns=extra, unit=unit, decimal=decimal)
    table = read_table(path, sheet, header_score(known_columns(extra), mapping))
    if _month_column(table.frame, mapping) is not None:
        return _one_file(path, table, mapping, extra, unit, decimal)
    return portfolio_from_frame(
        table.frame, path.name, path=path, mapping=mapping, extra_columns=extra,
        reading=reading_of(table, parse_user_unit(unit), parse_decimal(decimal)),
    )  # fmt: skip


def _month_column(frame: pd.DataFrame, mapping: Mapping[str, str] | None) -> object | None:
    return next(
        (
            c
            for c in frame.columns
            if str(c).strip().lower() in MONTH_HEADERS or (mapping or {}).get(str(c)) == "month"
        ),
        None,
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
    column = _month_column(frame, mapping)
    if column is None:
        raise PortfolioError(
            f"{table.where}: no month column ({', '.join(MONTH_HEADERS[:4])}); a portfolio over time has one "
            "row per customer per month, or is a folder of monthly files",
            zh=f"{table.where}:没有月份列(月份、统计月份、数据日期);按月的客户数据每户每月一行,或是按月的文件夹",
        )
    numbers = (
        table.row_numbers if table.row_numbers is not None else table.first_data_row + np.arange(len(frame))
    )
    codes, distinct = pd.factorize(frame[column], use_na_sentinel=True)  # few distinct values
    parsed = np.array([month_of_value(v) for v in distinct] + [None], dtype=object)
    months = parsed[np.where(codes < 0, len(distinct), codes)]
    bad = np.flatnonzero(pd.isna(months))
    if len(bad):
        shown = "; ".join(f"row {int(numbers[i])}: found {frame[column].iloc[i]!r}" for i in bad[:5])
        raise PortfolioError(
            f"{table.where}: column {column!r}: {shown} — expected a month "
            "(2026-01, 202601, 2026年1月 or a date)",
            zh=f"{table.where}:列 {column!r}:{shown} —— 应为月份(2026-01、202601、2026年1月或日期)",
        )
    out = []
    order = np.argsort(months.astype(str), kind="stable")
    ordered = months[order]
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
    in_order = bool((order[1:] > order[:-1]).all())  # month after month, as exports usually are
    frame = frame.drop(columns=[column])
    for start, stop in zip(starts, [*starts[1:], len(order)], strict=True):
        month, rows = str(ordered[start]), order[start:stop]
        # rows of one month side by side: a slice, not a copy of every column
        part = frame.iloc[start:stop] if in_order else frame.iloc[rows]
        part = part.reset_index(drop=True)
        reading = reading_of(table, parse_user_unit(unit), parse_decimal(decimal))
        reading = replace(
            reading,
            where=f"{table.where}, month {month}",
            row_numbers=np.asarray(numbers)[rows],
            empty_cells=None,
        )
        portfolio = portfolio_from_frame(
            part, f"{path.name} ({month})", path=path, mapping=mapping, extra_columns=extra, reading=reading
        )
        out.append((month, portfolio))
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
                "依评级规则 window_months",
            )
        )
    return replace(
        portfolio,
        notes=(*portfolio.notes, *notes),
        title=Text(f"{panel.name} ({month})", f"{panel.name}({month})"),
    )
