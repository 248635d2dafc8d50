"""Loading portfolios: a bank's export as canonical, typed columns.

``load_portfolio`` reads a bank's export (CSV or other delimited text, Excel
.xlsx or .xls, Parquet; see ``workbench.files.reading``), recognises its headers
(canonical names, Chinese and English aliases, or an explicit mapping),
converts values by column kind and reports every problem with the file, row
and column it is in. Rows are counted as the file shows them: the header is
row 1 of a CSV file or sheet unless title rows come before it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from workbench.core.portfolio import Portfolio, row_number
from workbench.errors import PortfolioError, UnmappedColumns
from workbench.files.headers import header_scale, header_score, map_headers, suggest_mapping
from workbench.files.reading import SUFFIXES, read_table
from workbench.scheme.columns import COLUMNS
from workbench.scheme.model import Column, Scheme

MAX_REPORTED_PROBLEMS = 8
SUPPORTED_SUFFIXES = tuple(SUFFIXES)
TOTAL_KEYS = ("合计", "总计", "小计", "total", "grand total", "sum")  # a totals row, not a customer


# -- mapping and converting --------------------------------------------------


class _Problems:
    def __init__(self, name: str, first_row: int, numbers: np.ndarray | None = None) -> None:
        self.name = name
        self.first_row = first_row
        self.numbers = numbers
        self.items: list[tuple[int, str]] = []
        self.total = 0

    def add(self, header: str, column: str, rows: np.ndarray, expected: str, found: pd.Series) -> None:
        label = header if header == column else f"{header} ({column})"
        for i in rows[:MAX_REPORTED_PROBLEMS]:
            self.total += 1
            if len(self.items) < MAX_REPORTED_PROBLEMS:
                value = found.iloc[int(i)]
                empty = value is None or pd.isna(value) or str(value).strip() == ""
                shown = "an empty cell" if empty else repr(value.item() if hasattr(value, "item") else value)
                row = row_number(int(i), self.first_row, self.numbers)
                self.items.append((row, f"row {row}, column {label}: expected {expected}, found {shown}"))
        self.total += max(0, len(rows) - MAX_REPORTED_PROBLEMS)

    def raise_if_any(self) -> None:
        if not self.items:
            return
        more = self.total - len(self.items)
        tail = f"\n  ... and {more} more" if more > 0 else ""
        raise PortfolioError(
            f"{self.name}: {self.total} value{'s' if self.total != 1 else ''} cannot be used:\n  "
            + "\n  ".join(text for _, text in sorted(self.items, key=lambda item: item[0]))
            + tail
        )


def _to_money(series: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Amounts as float64 and the positions that are not amounts."""
    if pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(series.dtype):
        values = series.to_numpy(dtype=np.float64, na_value=np.nan)
        return values, np.flatnonzero(np.isnan(values))
    text = series.astype(str).str.strip()
    cleaned = text.str.replace(r"[,\s¥￥元]|CNY|RMB", "", regex=True)
    values = pd.to_numeric(cleaned.where(cleaned != "", None), errors="coerce").to_numpy(
        dtype=np.float64, na_value=np.nan
    )
    return values, np.flatnonzero(np.isnan(values))


def _text(series: pd.Series) -> pd.Series:
    """Text as (Arrow-backed) strings: missing is empty, surrounding space stripped,
    whole numbers read as floats (``1001.0``) written as ``1001``. Categorical columns
    (Parquet dictionaries) stay categorical: their few categories are cleaned, not every row."""
    if isinstance(series.dtype, pd.CategoricalDtype):
        labels = [*_text(pd.Series(series.cat.categories)).tolist(), ""]
        merged, categories = pd.factorize(pd.Series(labels, dtype=object))  # cleaning can merge some
        codes = series.cat.codes.to_numpy()
        rows = merged[np.where(codes < 0, len(labels) - 1, codes)]
        return pd.Series(pd.Categorical.from_codes(rows, categories=categories))
    if series.dtype.kind == "f":
        whole = series.notna() & (series == series.round())
        text = series.astype("str").where(~whole, series.where(whole).astype("Int64").astype("str"))
    elif series.dtype.kind in "iub":
        text = series.astype("str")
    else:
        text = series.astype("str")
    return text.fillna("").str.strip()


def has_duplicates(text: pd.Series) -> bool:
    """Whether any value repeats: sorting with Arrow, then comparing neighbours, takes a
    fraction of the time of hashing millions of strings."""
    if len(text) < 2:
        return False
    if isinstance(text.dtype, pd.CategoricalDtype):
        codes = text.cat.codes.to_numpy()
        return bool(np.bincount(codes[codes >= 0]).max(initial=0) > 1)
    values = pa.array(text.array)
    ordered = values.take(pc.sort_indices(values))
    return bool(pc.any(pc.equal(ordered.slice(1), ordered.slice(0, len(ordered) - 1))).as_py())


def _codes_by_unique_value(series: pd.Series, translate: Callable[[str], int]) -> np.ndarray:
    """``translate`` each distinct (stripped, lower-case) value once; codes per row.

    Vectorised for millions of rows with few distinct values (categories, yes/no).
    """
    text = _text(series)
    if isinstance(text.dtype, pd.CategoricalDtype):
        codes, uniques = text.cat.codes.to_numpy(), text.cat.categories
    else:
        codes, uniques = pd.factorize(text, use_na_sentinel=True)
    table = np.array([translate(str(u).lower()) for u in uniques] + [translate("")], dtype=np.int64)
    return table[codes]  # code -1 (missing) takes the last entry: the empty value


def convert_frame(
    raw: pd.DataFrame,
    mapping: Mapping[str, str],
    columns: Mapping[str, Column],
    name: str,
    first_data_row: int,
    row_numbers: np.ndarray | None = None,
) -> tuple[pd.DataFrame, list[str]]:
    """The canonical, typed frame; raises ``PortfolioError`` listing bad values."""
    problems = _Problems(name, first_data_row, row_numbers)
    out: dict[str, object] = {}
    scaled: list[str] = []
    for header, column in mapping.items():
        spec = columns[column]
        series = raw[header].reset_index(drop=True)
        if spec.kind in ("money", "number"):
            values, bad = _to_money(series)
            what = "an amount in CNY" if spec.kind == "money" else "a number"
            if len(bad):
                problems.add(header, column, bad, f"{what} (0 for none)", series)
            negative = np.flatnonzero(values < 0)
            if len(negative):
                problems.add(header, column, negative, f"{what} >= 0", series)
            scale = header_scale(header) if spec.kind == "money" else 1.0
            if scale != 1.0:
                values = values * scale
                scaled.append(column)
            out[column] = values
        elif spec.kind == "bool":
            out[column] = _convert_bool(series, spec, header, problems)
        elif spec.kind == "category":
            out[column] = _convert_category(series, spec, header, problems)
        else:
            text = _text(series)
            if spec.kind == "id":
                empty = np.flatnonzero((text == "").to_numpy())
                if len(empty):
                    problems.add(header, column, empty, "a customer key", series)
                if has_duplicates(text):  # then find which rows repeat an earlier one
                    repeated = text.duplicated(keep="first").to_numpy() & (text != "").to_numpy()
                    duplicated = np.flatnonzero(repeated)
                    if len(duplicated):
                        problems.add(header, column, duplicated, "a key not used on an earlier row", series)
            out[column] = text
    problems.raise_if_any()
    frame = pd.DataFrame(out, copy=False)
    return frame, scaled


YES_NO = "yes/no (是/否, true/false, 1/0)"


def _convert_bool(series: pd.Series, spec: Column, header: str, problems: _Problems) -> np.ndarray:
    if pd.api.types.is_bool_dtype(series.dtype):
        return series.to_numpy(dtype=bool, na_value=False)
    if pd.api.types.is_numeric_dtype(series.dtype):
        values = series.to_numpy(dtype=np.float64, na_value=np.nan)
        bad = np.flatnonzero(~np.isin(values, (0.0, 1.0)))
        if len(bad):
            problems.add(header, spec.name, bad, YES_NO, series)
        return values == 1.0
    meaning = {"true": 1, "false": 0}
    codes = _codes_by_unique_value(series, lambda v: meaning.get(spec.value_aliases.get(v, ""), -1))
    bad = np.flatnonzero(codes < 0)
    if len(bad):
        problems.add(header, spec.name, bad, YES_NO, series)
    return codes == 1


def _convert_category(
    series: pd.Series, spec: Column, header: str, problems: _Problems
) -> pd.Categorical[str]:
    lookup = {c.lower(): c for c in spec.categories}
    lookup.update({k.lower(): v for k, v in spec.value_aliases.items()})
    position = {c: i for i, c in enumerate(spec.categories)}
    codes = _codes_by_unique_value(series, lambda v: position.get(lookup.get(v, ""), -1))
    bad = np.flatnonzero(codes < 0)
    if len(bad):
        problems.add(header, spec.name, bad, "one of " + ", ".join(spec.categories), series)
        codes = np.where(codes < 0, spec.categories.index(spec.default), codes)
    categories = pd.Index(list(spec.categories))
    return pd.Categorical.from_codes(codes.astype(np.int8), categories=categories, ordered=True)


def portfolio_from_frame(
    raw: pd.DataFrame,
    name: str,
    *,
    path: Path | None = None,
    mapping: Mapping[str, str] | None = None,
    first_data_row: int = 2,
    row_numbers: np.ndarray | None = None,
    notes: Iterable[str] = (),
    extra_columns: Iterable[Column] = (),
) -> Portfolio:
    """A ``Portfolio`` from a raw table: map headers, convert, validate."""
    columns = known_columns(extra_columns)
    header_map, unrecognised = map_headers(raw.columns, columns, mapping, where=name)
    if "customer_id" not in header_map.values():
        suggested = suggest_mapping(["customer_id"], unrecognised, columns)
        raise UnmappedColumns(
            f"{name}: no customer key column (customer_id, 客户号, ...); headers: "
            + ", ".join(map(str, raw.columns)),
            headers=[str(h) for h in raw.columns],
            mapping=header_map,
            missing=["customer_id"],
            suggested=suggested,
            notes=tuple(notes),
        )
    notes = list(notes)
    raw, row_numbers = _without_totals(raw, name, header_map, first_data_row, row_numbers, notes)
    if raw.empty:
        raise PortfolioError(f"{name}: has a header but no customer rows")
    frame, scaled = convert_frame(raw, header_map, columns, name, first_data_row, row_numbers)
    return Portfolio(
        frame=frame,
        name=name,
        path=path,
        mapping=header_map,
        unrecognised=tuple(unrecognised),
        headers=tuple(str(h) for h in raw.columns),
        scaled=tuple(scaled),
        first_data_row=first_data_row,
        row_numbers=row_numbers,
        notes=tuple(notes),
        columns_spec=columns,
    )


def known_columns(extra_columns: Iterable[Column] = ()) -> dict[str, Column]:
    """The canonical columns and those plugins add."""
    columns = dict(COLUMNS)
    for col in extra_columns:
        columns.setdefault(col.name, col)
    return columns


def _without_totals(
    raw: pd.DataFrame,
    name: str,
    header_map: Mapping[str, str],
    first: int,
    numbers: np.ndarray | None,
    notes: list[str],
) -> tuple[pd.DataFrame, np.ndarray | None]:
    """Leave out a totals row (合计, total) at the top or bottom: it is not a customer, and
    counting it would double the AUM."""
    key = next(h for h, c in header_map.items() if c == "customer_id")
    ends = sorted({*range(min(2, len(raw))), *range(max(0, len(raw) - 2), len(raw))})
    totals = [i for i in ends if str(raw[key].iloc[i]).strip().lower() in TOTAL_KEYS]
    if not totals:
        return raw, numbers
    keep = np.ones(len(raw), dtype=bool)
    keep[totals] = False
    for i in totals:
        notes.append(
            f"{name}: row {row_number(i, first, numbers)} ({str(raw[key].iloc[i]).strip()}) is a totals row, "
            "not a customer: left out"
        )
    numbers = (np.arange(len(raw)) + first if numbers is None else numbers)[keep]
    return raw.iloc[keep].reset_index(drop=True), numbers


def load_portfolio(
    path: str | Path,
    *,
    mapping: Mapping[str, str] | None = None,
    sheet: str | int | None = None,
    extra_columns: Iterable[Column] = (),
) -> Portfolio:
    """Read and validate a portfolio file (CSV or other delimited text, Excel, Parquet)."""
    path = Path(path)
    table = read_table(path, sheet, header_score(known_columns(extra_columns), mapping))
    return portfolio_from_frame(
        table.frame,
        path.name,
        path=path,
        mapping=mapping,
        first_data_row=table.first_data_row,
        row_numbers=table.row_numbers,
        notes=table.notes,
        extra_columns=extra_columns,
    )


def write_portfolio(frame: pd.DataFrame, path: str | Path) -> Path:
    """Write a table as CSV, Parquet or .xlsx by extension, atomically."""
    from workbench.files.atomic import atomic_path

    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".parquet", ".pq", ".xlsx"):
        raise PortfolioError(
            f"{path}: unsupported output type {suffix or '(none)'}; use .csv, .parquet or .xlsx"
        )
    if suffix == ".xlsx" and len(frame) > 1_048_575:
        raise PortfolioError(
            f"{path}: {len(frame):,} rows do not fit an Excel sheet (1,048,576 rows with the "
            "header); write .parquet or .csv"
        )
    with atomic_path(path) as tmp:
        if suffix == ".csv":
            frame.to_csv(tmp, index=False)
        elif suffix in (".parquet", ".pq"):
            frame.to_parquet(tmp, index=False)
        else:
            frame.to_excel(tmp, index=False, engine="openpyxl")
    return path


def check_columns(scheme: Scheme, portfolio: Portfolio) -> None:
    """Raise ``UnmappedColumns`` when the portfolio lacks a column the scheme requires, with
    the unrecognised headers most like the missing columns in ``suggested``."""
    missing = portfolio.missing(scheme.required_columns)
    if missing:
        suggested = suggest_mapping(missing, list(portfolio.unrecognised), portfolio.columns_spec)
        raise portfolio.missing_error(scheme.id, missing, suggested)
