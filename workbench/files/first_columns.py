"""A Parquet portfolio read in two steps: the columns a scheme reads first, the rest after.

The workbench's first figures need only the shown scheme's own columns (Industrial Bank
reads customer_id, household_id and aum of the sample's nineteen), and reading them alone
takes about half as long as reading every column. ``read_first`` reads those, converted
and checked as a read in one go would; the portfolio it returns keeps the others for later
(``Portfolio.finish`` reads them, and whatever needs one of them before that waits for
it). Their problems are reported as a read in one go reports them, rows named as the file
numbers them.

Both steps leave out the same rows as one read would. A row is left out when its customer
key says 合计 / Total, or when its key is empty and another text cell says so; an empty key
is a problem in the first step, which then gives up, and the file is read in one go (which
leaves the row out or names it). So a portfolio read in two steps equals one read at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from workbench.core.ids import reading_once
from workbench.core.memory import give_back
from workbench.core.pages import ordinary_pages
from workbench.core.portfolio import Later, LaterColumns, Portfolio
from workbench.errors import PortfolioError
from workbench.files.cells import Problems, Reading
from workbench.files.convert import convert_frame
from workbench.files.headers import map_headers
from workbench.files.portfolios import known_columns, parse_decimal, parse_user_unit, portfolio_from_frame
from workbench.files.reading import PARQUET, SUFFIXES, parquet_frame, regular_file, sniff
from workbench.scheme.model import Column

# Columns read and converted at a time after the first figures: one, as the prepared
# portfolio holds its memory meanwhile (ICBC at 10M, reading household_id, aum,
# designated_card_level and household_income: peak 2,228-2,255 MB four at a time,
# 2,193-2,198 MB one at a time, the read 0.56-0.60 s -> 0.64 s on its one core).
REST_GROUP = 1


def read_first(
    path: Path,
    needed: Iterable[str],
    *,
    mapping: Mapping[str, str] | None = None,
    extra_columns: Iterable[Column] = (),
    unit: str | None = None,
    decimal: str | None = None,
) -> Portfolio | None:
    """The portfolio in Parquet file ``path`` with the customer key and the ``needed``
    canonical columns read, the file's other columns left for later; None when the file is
    better read in one go (not Parquet, nothing to leave for later, a month column, or
    something the first step cannot decide alone: the one read then says what is wrong)."""
    regular_file(path)
    if SUFFIXES.get(path.suffix.lower()) != PARQUET or sniff(path) != PARQUET:
        return None
    from workbench.files.panel import month_column  # the panel module reads portfolios

    schema = pq.ParquetFile(path).schema_arrow
    headers = [str(h) for h in schema.names]
    columns = known_columns(extra_columns)
    try:
        header_map, unrecognised = map_headers(headers, columns, mapping, where=path.name)
    except PortfolioError:
        return None
    wanted = {"customer_id", *needed}
    first = [h for h in headers if header_map.get(h) in wanted]
    rest = [h for h in headers if h in header_map and h not in first]
    # amounts written as text: their decimal mark is decided from all of them at once
    as_text = [
        h
        for h, c in header_map.items()
        if columns[c].kind in ("money", "number") and not _numeric(schema.field(h).type)
    ]
    keyed = "customer_id" in header_map.values()
    if as_text or not rest or not keyed or month_column(headers, mapping) is not None:
        return None
    user_unit, user_decimal = parse_user_unit(unit), parse_decimal(decimal)
    with ordinary_pages():
        try:
            portfolio = portfolio_from_frame(
                parquet_frame(path, first), path.name, path=path, mapping={h: header_map[h] for h in first},
                extra_columns=extra_columns, owned=True, households="household_id" in wanted,
                reading=Reading(path.name, 1, unit=user_unit, decimal=user_decimal),  # rows from 1
            )  # fmt: skip
        except PortfolioError:
            return None
    reading = Reading(path.name, 1, portfolio.row_numbers, unit=user_unit, decimal=user_decimal)

    def read_rest() -> LaterColumns:
        return _rest(path, rest, {h: header_map[h] for h in rest}, columns, reading)

    portfolio.mapping, portfolio.headers = header_map, tuple(headers)  # the whole file's
    portfolio.unrecognised = tuple(unrecognised)
    order = tuple(header_map[h] for h in headers if h in header_map)
    portfolio.later = Later(frozenset(header_map[h] for h in rest), read_rest, order)
    return portfolio


def _numeric(kind: pa.DataType) -> bool:
    return bool(pa.types.is_integer(kind) or pa.types.is_floating(kind) or pa.types.is_decimal(kind))


def _rest(
    path: Path, headers: list[str], mapping: dict[str, str], columns: Mapping[str, Column], reading: Reading
) -> LaterColumns:
    """The other columns, read on one core (the first figures and tuning keep the other)
    ``REST_GROUP`` at a time (the prepared portfolio holds its memory meanwhile), the rows the first
    step left out left out again, converted and checked: every problem is said at once."""
    own = replace(reading, notes=[])
    problems = Problems(own)
    parts, scaled = [], []
    with ordinary_pages(), reading_once():
        for start in range(0, len(headers), REST_GROUP):
            group = headers[start : start + REST_GROUP]
            raw = parquet_frame(path, group, threads=False)
            if reading.row_numbers is not None:  # totals rows left out: the same rows again
                kept = np.asarray(reading.row_numbers) - reading.first_data_row
                raw = raw.iloc[kept].reset_index(drop=True)
            part, converted = convert_frame(
                raw, {h: mapping[h] for h in group}, columns, own, owned=True, problems=problems
            )
            del raw
            parts.append(part)
            scaled += converted
            give_back()
    problems.raise_if_any()
    return pd.concat(parts, axis=1), tuple(own.notes), tuple(scaled)
