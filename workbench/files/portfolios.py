"""Loading portfolios: a bank's export as canonical, typed columns.

``load_portfolio`` reads a bank's export (CSV or other delimited text, Excel
.xlsx or .xls, Parquet; see ``workbench.files.reading``), recognises its headers
(canonical names, Chinese and English aliases, or an explicit mapping),
converts values by column kind and reports every problem with the file, row
and column it is in. Rows are counted as the file shows them: the header is
row 1 of a CSV file or sheet unless title rows come before it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from workbench.core.ids import as_numbers, reading_once
from workbench.core.memory import give_back
from workbench.core.pages import ordinary_pages
from workbench.core.portfolio import Portfolio, households_of
from workbench.errors import PortfolioError, UnmappedColumns
from workbench.files import delimited, numbers, workbooks
from workbench.files.cells import Reading, as_text
from workbench.files.convert import convert_frame
from workbench.files.headers import header_score, map_headers, suggest_mapping
from workbench.files.reading import SUFFIXES, RawTable, read_table
from workbench.files.spreadsheets import csv_safe
from workbench.scheme.columns import COLUMNS
from workbench.scheme.model import Column, Scheme
from workbench.text import Text, place

# ``read_table`` imports its text and workbook readers when first called (they import it);
# importing them here, with the package, keeps that import out of a loading worker, where
# each of its file lookups would wait for an interpreter busy drawing the app.
READERS = (delimited, workbooks)
SUPPORTED_SUFFIXES = tuple(SUFFIXES)
# A totals row, not a customer: 合计, 合 计, 合计:, 总计（元）, TOTAL:, Grand total, 小计, Subtotal ...
TOTALS = re.compile(
    r"^(?:合计|总计|小计|共计|汇总|总合计|全行合计|(?:grand\s*|sub\s*)?totals?|sum|summe)(?:\W.*)?$",
    re.IGNORECASE,
)
_TOTAL_NOISE = re.compile(r"[\s\u3000:：]+")


def portfolio_from_frame(
    raw: pd.DataFrame,
    name: str,
    *,
    path: Path | None = None,
    mapping: Mapping[str, str] | None = None,
    first_data_row: int = 2,
    row_numbers: np.ndarray | None = None,
    notes: Iterable[Text] = (),
    extra_columns: Iterable[Column] = (),
    reading: Reading | None = None,
    owned: bool = False,
    households: bool = False,
) -> Portfolio:
    """A ``Portfolio`` from a raw table: map headers, leave out totals rows, convert,
    validate. ``reading`` carries what the reader learned of the file (its title rows,
    delimiter, merged cells) and the user's unit and decimal mark; an ``owned`` table
    (the reader's, nobody else's) is used up on the way, not held beside the portfolio.
    With ``households``, household membership is made while the checks' parse of the
    household ids is at hand (a scheme that reads households asks for it next)."""
    reading = reading or Reading(name, first_data_row, row_numbers)
    reading.notes[:0] = list(notes)
    columns = known_columns(extra_columns)
    header_map, unrecognised = map_headers(raw.columns, columns, mapping, where=reading.where)
    if "customer_id" not in header_map.values():
        suggested = suggest_mapping(["customer_id"], unrecognised, columns)
        raise UnmappedColumns(
            f"{reading.where}: no customer key column (customer_id, 客户号, ...); headers: "
            + ", ".join(map(str, raw.columns)),
            headers=[str(h) for h in raw.columns],
            mapping=header_map,
            missing=["customer_id"],
            suggested=suggested,
            notes=tuple(reading.notes),
        )
    with reading_once():  # the key and household columns' ids are parsed once, not per check
        given = raw
        raw = _without_totals(raw, header_map, columns, reading)
        if raw.empty:
            raise PortfolioError(
                f"{reading.where}: has a header but no customer rows",
                zh=f"{place(reading.where).zh}:只有表头,没有客户行",
            )
        headers = tuple(str(h) for h in raw.columns)
        owned = owned or raw is not given  # rows left out: a frame of our own
        frame, scaled = convert_frame(raw, header_map, columns, reading, owned=owned)
        membership = households_of(frame) if households and "household_id" in frame.columns else None
    give_back()  # what the checks' block-wise passes freed
    return Portfolio(
        frame=frame,
        name=name,
        path=path,
        mapping=header_map,
        unrecognised=tuple(unrecognised),
        headers=headers,
        scaled=tuple(scaled),
        first_data_row=reading.first_data_row,
        row_numbers=reading.row_numbers,
        notes=tuple(reading.notes),
        columns_spec=columns,
        _households=membership,
    )


def known_columns(extra_columns: Iterable[Column] = ()) -> dict[str, Column]:
    """The canonical columns and those plugins add."""
    columns = dict(COLUMNS)
    for col in extra_columns:
        columns.setdefault(col.name, col)
    return columns


def _without_totals(
    raw: pd.DataFrame, header_map: Mapping[str, str], columns: Mapping[str, Column], reading: Reading
) -> pd.DataFrame:
    """Leave out totals and subtotals rows (合计, 小计, TOTAL:, Grand total ...) wherever
    they are: a row whose customer key, or (with no key) any text cell, says so. It is not
    a customer, and counting it would double the AUM."""
    key = next(h for h, c in header_map.items() if c == "customer_id")
    text_headers = [h for h, c in header_map.items() if columns[c].kind in ("id", "text", "tier", "category")]
    text_headers += [h for h in raw.columns if h not in header_map and raw[h].dtype == object]
    keys = reading.text(raw, key)
    key_totals = _totals(keys)
    found = np.zeros(len(raw), dtype=bool)
    said: dict[int, str] = {}  # the cell that says so, for the first rows found
    for header in [key, *(h for h in text_headers if h != key)]:
        cells = reading.text(raw, header) if header in header_map else as_text(raw[header])
        hits = key_totals if header == key else _totals(cells)
        if not hits.any():
            continue
        if header != key:
            hits &= (keys == "").to_numpy() | key_totals
        for i in np.flatnonzero(hits & ~found)[:5]:
            said.setdefault(int(i), str(cells.iloc[int(i)]))
        found |= hits
    if not found.any():
        return raw
    rows = np.flatnonzero(found)
    listed = ", ".join(f"{reading.row(int(i))} ({said.get(int(i), '').strip()})" for i in rows[:5])
    if len(rows) == 1:
        what = f"row {listed} is a totals row, not a customer"
    else:
        more = f" and {len(rows) - 5:,} more" if len(rows) > 5 else ""
        what = f"rows {listed}{more} are totals rows, not customers"
    more_zh = f"等{len(rows):,}行" if len(rows) > 5 else ""
    reading.notes.append(
        Text(
            f"{reading.where}: {what}: left out",
            f"{place(reading.where).zh}:第 {listed} 行{more_zh}是合计行,不是客户,已略去",
        )
    )
    keep = ~found
    numbers_ = (
        (np.arange(len(raw)) + reading.first_data_row) if reading.row_numbers is None else reading.row_numbers
    )
    reading.row_numbers = numbers_[keep]
    return raw.iloc[keep].reset_index(drop=True)


def _totals(cells: pd.Series) -> np.ndarray:
    """Which cells say 合计, 小计, TOTAL: ... (a categorical column: its few categories are
    read, not every row)."""
    if isinstance(cells.dtype, pd.CategoricalDtype):
        said = _totals(pd.Series(cells.cat.categories.astype(str), dtype="str"))
        if not said.any():  # no category says so: no row needs looking at
            return np.zeros(len(cells), dtype=bool)
        codes = cells.cat.codes.to_numpy()
        return np.append(said, False)[np.where(codes < 0, len(said), codes)]
    if as_numbers([cells]) is not None:  # one prefix and fixed-width digits (C00000123): no word
        return np.zeros(len(cells), dtype=bool)
    candidates = cells.str.contains(r"合|总|小|共|汇|total|sum", case=False, regex=True).to_numpy(dtype=bool)
    hits = np.zeros(len(cells), dtype=bool)
    if candidates.any():
        normal = cells[candidates].str.replace(_TOTAL_NOISE, "", regex=True)
        hits[np.flatnonzero(candidates)] = normal.str.match(TOTALS).to_numpy(dtype=bool)
    return hits


def parse_user_unit(text: str | None) -> numbers.Unit | None:
    """The unit a user gave (``--unit 万元``, ``[portfolio] unit``), checked."""
    if text is None or not str(text).strip():
        return None
    unit = numbers.parse_unit(str(text))
    if unit is None:
        raise PortfolioError(
            f"unit {text!r}: expected a unit of CNY such as 元, 千元, 万元, 百万元, 亿元, 'thousand CNY' or "
            "'million CNY'",
            zh=f"单位 {text!r}:应为人民币单位,如 元、千元、万元、百万元、亿元",
        )
    return unit


def parse_decimal(text: str | None) -> str | None:
    """The decimal mark a user gave: ``.`` (``point``) or ``,`` (``comma``)."""
    if text is None or not str(text).strip():
        return None
    mark = {".": ".", "point": ".", "dot": ".", ",": ",", "comma": ","}.get(str(text).strip().lower())
    if mark is None:
        raise PortfolioError(
            f"decimal {text!r}: expected . (point) or , (comma)", zh=f"小数点 {text!r}:应为 .(句点)或 ,(逗号)"
        )
    return mark


def load_portfolio(
    path: str | Path,
    *,
    mapping: Mapping[str, str] | None = None,
    sheet: str | int | None = None,
    extra_columns: Iterable[Column] = (),
    unit: str | None = None,
    decimal: str | None = None,
) -> Portfolio:
    """Read and validate a portfolio file (CSV or other delimited text, Excel, Parquet).
    ``unit`` is the unit of amounts that state none (``万元``); ``decimal`` the decimal mark
    when the file does not tell."""
    path = Path(path)
    with ordinary_pages():
        table = read_table(path, sheet, header_score(known_columns(extra_columns), mapping))
        return portfolio_from_frame(
            table.frame,
            path.name,
            path=path,
            mapping=mapping,
            extra_columns=extra_columns,
            reading=reading_of(table, parse_user_unit(unit), parse_decimal(decimal)),
            owned=True,
        )


def reading_of(table: RawTable, unit: numbers.Unit | None, decimal: str | None) -> Reading:
    return Reading(
        where=table.where,
        first_data_row=table.first_data_row,
        row_numbers=table.row_numbers,
        titles=table.titles,
        delimiter=table.delimiter,
        unit=unit,
        decimal=decimal,
        empty_cells=table.empty_cells,
        merges=table.merges,
        notes=list(table.notes),
    )


def write_portfolio(frame: pd.DataFrame, path: str | Path) -> Path:
    """Write a table as CSV, Parquet or .xlsx by extension, atomically."""
    return write_portfolio_parts([frame], path)


def write_portfolio_parts(parts: Iterable[pd.DataFrame], path: str | Path) -> Path:
    """Write a table that comes in parts (a panel month by month) as one CSV, Parquet or
    .xlsx file, atomically: CSV and Parquet are written a part at a time, so the whole
    table never needs to be in memory."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from workbench.files.atomic import atomic_path

    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".parquet", ".pq", ".xlsx"):
        raise PortfolioError(
            f"{path}: unsupported output type {suffix or '(none)'}; use .csv, .parquet or .xlsx",
            zh=f"{path}:不支持的输出类型 {suffix or '(无)'};请用 .csv、.parquet 或 .xlsx",
        )
    with atomic_path(path) as tmp:
        if suffix == ".xlsx":
            frame = pd.concat(list(parts), ignore_index=True)
            if len(frame) > 1_048_575:
                raise PortfolioError(
                    f"{path}: {len(frame):,} rows do not fit an Excel sheet (1,048,576 rows with the "
                    "header); write .parquet or .csv",
                    zh=f"{path}:{len(frame):,} 行超出 Excel 工作表的容量(含表头 1,048,576 行);"
                    "请写成 .parquet 或 .csv",
                )
            _write_xlsx(frame, tmp)
        elif suffix == ".csv":
            for i, part in enumerate(parts):
                csv_safe(part).to_csv(tmp, index=False, mode="a" if i else "w", header=not i)
        else:
            writer, schema = None, None
            try:
                for part in parts:
                    table = pa.Table.from_pandas(part, preserve_index=False)
                    if writer is None:
                        schema = table.schema
                        writer = pq.ParquetWriter(tmp, schema)
                    writer.write_table(table.cast(schema))
            finally:
                if writer is not None:
                    writer.close()
    return path


def _write_xlsx(frame: pd.DataFrame, path: Path) -> None:
    """A table as one sheet, every text stored as text (never a formula)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    book = Workbook(write_only=True)
    sheet = book.create_sheet("portfolio")

    def cell(value: object) -> WriteOnlyCell:
        value = value.item() if hasattr(value, "item") else value
        if isinstance(value, float) and value != value:
            value = None
        made = WriteOnlyCell(sheet, value=value)
        if isinstance(value, str):
            made.data_type = "s"
        return made

    sheet.append([cell(str(c)) for c in frame.columns])
    for record in frame.astype(object).itertuples(index=False):
        sheet.append([cell(v) for v in record])
    book.save(path)


def check_columns(scheme: Scheme, portfolio: Portfolio) -> None:
    """Raise ``UnmappedColumns`` when the portfolio lacks a column the scheme requires, with
    the unrecognised headers most like the missing columns in ``suggested``."""
    missing = portfolio.missing(scheme.required_columns)
    if missing:
        suggested = suggest_mapping(missing, list(portfolio.unrecognised), portfolio.columns_spec)
        raise portfolio.missing_error(scheme.id, missing, suggested)
