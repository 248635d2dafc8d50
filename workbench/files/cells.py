"""What is known while a file's cells are converted, and how bad cells are named.

``Reading`` carries the file's place (file and sheet, row numbers, title rows,
merged cells) and each column's cleaned text; ``Problems`` collects bad values
to be reported at once, each with the file, row and column, what was found and
what was expected; ``as_text`` reads any column as clean text.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from workbench.core.ids import numbers_and_shape, remember_as
from workbench.core.portfolio import row_number
from workbench.errors import PortfolioError
from workbench.files import numbers
from workbench.files.problem_words import chinese
from workbench.files.reading import EmptyCells, Merge
from workbench.text import Text, place

MAX_REPORTED_PROBLEMS = 8


@dataclass
class Reading:
    """What is known about the file while its cells are converted."""

    where: str  # the file (and sheet), for messages
    first_data_row: int
    row_numbers: np.ndarray | None = None
    titles: tuple[str, ...] = ()
    delimiter: str | None = None
    unit: numbers.Unit | None = None  # the user's (--unit, [portfolio] unit)
    decimal: str | None = None  # the user's ("." or ","), else decided from the file
    empty_cells: EmptyCells | None = None
    merges: tuple[Merge, ...] = ()
    notes: list[Text] = field(default_factory=list)
    # Each column's text (``as_text``) by header, with the frame it was read from: made
    # once while the frame keeps its rows (the totals check and the conversion share it).
    texts: dict[object, tuple[pd.DataFrame, pd.Series]] = field(default_factory=dict, repr=False)

    def row(self, index: int) -> int:
        return row_number(index, self.first_data_row, self.row_numbers)

    def text(self, raw: pd.DataFrame, header: object) -> pd.Series:
        """``as_text`` of column ``header`` of ``raw`` (positions from 0), read once."""
        if any(frame is not raw for frame, _ in self.texts.values()):
            self.texts.clear()  # rows left out since: texts of the old frame are no use
        held = self.texts.get(header)
        if held is None:
            held = self.texts[header] = (raw, as_text(raw[header].reset_index(drop=True)))
        return held[1]


class Problems:
    """Bad values, collected to be reported at once (the first few in file order)."""

    def __init__(self, reading: Reading) -> None:
        self.reading = reading
        self.items: list[tuple[int, Text]] = []
        self.total = 0

    def describe(self, value: object, row: int, header: str) -> str:
        empty = value is None or str(value).strip() == "" or (not isinstance(value, str) and _missing(value))
        if empty:
            held = self.reading.empty_cells(row, header) if self.reading.empty_cells else None
            return held or "an empty cell"
        if isinstance(value, datetime.datetime | datetime.date | pd.Timestamp):
            return f"a date ({str(value)[:10]})"
        if isinstance(value, datetime.time | datetime.timedelta):
            return f"a time ({value})"
        return repr(value.item() if hasattr(value, "item") else value)

    def add(
        self,
        header: str,
        column: str,
        rows: np.ndarray,
        expected: str,
        found: pd.Series,
        context: Callable[[int], str] | None = None,
    ) -> None:
        """Problems on ``rows``; ``context`` adds what else to know about a row (e.g. where
        the same key was first)."""
        label = header if header == column else f"{header} ({column})"
        for i in rows[:MAX_REPORTED_PROBLEMS]:
            if len(self.items) < MAX_REPORTED_PROBLEMS:
                row = self.reading.row(int(i))
                shown = self.describe(found.iloc[int(i)], row, header)
                extra = context(int(i)) if context is not None else ""
                en = f"row {row}, column {label}: expected {expected}, found {shown}{extra}"
                zh = f"第 {row} 行 {label} 列:应为{chinese(expected)},实为{chinese(shown)}{chinese(extra)}"
                self.items.append((row, Text(en, zh)))
        self.total += len(rows)

    def absorb(self, other: Problems) -> None:
        """``other``'s problems after these, as if they had been added here."""
        room = MAX_REPORTED_PROBLEMS - len(self.items)
        self.items.extend(other.items[: max(room, 0)])
        self.total += other.total

    def raise_if_any(self) -> None:
        if not self.items:
            return
        more = self.total - len(self.items)
        listed = sorted(self.items, key=lambda item: item[0])
        raise PortfolioError(
            Text(
                f"{self.reading.where}: {self.total} value{'s' if self.total != 1 else ''} "
                "cannot be used:\n  "
                + "\n  ".join(text.en for _, text in listed)
                + (f"\n  ... and {more} more" if more > 0 else ""),
                f"{place(self.reading.where).zh}:{self.total}个值无法使用:\n  "
                + "\n  ".join(text.zh for _, text in listed)
                + (f"\n  ……另有{more}个" if more > 0 else ""),
            )
        )


def as_text(series: pd.Series) -> pd.Series:
    """Text as (Arrow-backed) strings: missing is empty, surrounding space stripped,
    whole numbers read as floats (``1001.0``) written as ``1001``. Categorical columns
    (Parquet dictionaries) stay categorical: their few categories are cleaned, not every row."""
    if isinstance(series.dtype, pd.CategoricalDtype):
        labels = [*as_text(pd.Series(series.cat.categories)).tolist(), ""]
        merged, categories = pd.factorize(pd.Series(labels, dtype=object))  # cleaning can merge some
        codes = series.cat.codes.to_numpy()
        if (merged[:-1] == np.arange(len(labels) - 1)).all() and codes.min(initial=0) >= 0:
            rows = codes  # nothing merged, nothing missing: the codes as they are
        else:
            rows = merged[np.where(codes < 0, len(labels) - 1, codes)]
        return pd.Series(pd.Categorical.from_codes(rows, categories=categories))
    clean = _clean_ids(series)
    if clean is not None:
        return clean
    if series.dtype.kind == "f":
        whole = series.notna() & (series == series.round())
        text = series.astype("str").where(~whole, series.where(whole).astype("Int64").astype("str"))
    elif series.dtype == object:
        text = series.map(_cell_str, na_action="ignore").astype("str")
    else:
        text = series.astype("str")
    return text.fillna("").str.strip()


def _clean_ids(series: pd.Series) -> pd.Series | None:
    """Arrow text that is numbers in disguise (one prefix without leading space, then
    fixed-width digits; none missing) is clean already: kept as it is, not stripped row by
    row; None for any other column."""
    if getattr(series.dtype, "storage", None) != "pyarrow" or series.dtype.kind != "O":
        return None
    found = numbers_and_shape([series])  # None when a value is missing or of another shape
    if found is None:
        return None
    prefix = found[1][0].decode("utf-8", "replace") if found[1] is not None else ""
    if prefix != prefix.lstrip():
        return None
    text = series.astype("str")
    remember_as(series, text)
    return text


def _cell_str(value: object) -> str:
    """A workbook cell as text: whole floats without ``.0``, dates as ISO dates."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()[:10]
    return str(value)


def _missing(value: object) -> bool:
    """Whether a scalar cell is a missing value (NaN, NaT, pd.NA)."""
    if value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float | np.floating) and bool(np.isnan(value))
