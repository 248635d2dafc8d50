"""A portfolio: one row per customer in canonical, typed columns.

Made by ``workbench.files.portfolios`` from a bank's export or by the
synthetic sample; the engine reads it as numpy arrays (cached per column) and
household membership (computed once). It remembers where each row came
from in the file, so messages can name the file's own row numbers.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from workbench.core.households import Households
from workbench.core.ids import first_seen
from workbench.errors import PortfolioError, UnmappedColumns, WorkbenchError
from workbench.scheme.columns import COLUMNS
from workbench.scheme.model import Column
from workbench.text import Lang, Text

# The columns read later: a frame of the same rows, the notes on reading them, the columns
# converted from 万 (wan).
LaterColumns = tuple[pd.DataFrame, tuple[Text, ...], tuple[str, ...]]


@dataclass
class Later:
    """Columns of the file left to be read after the first figures (see
    ``workbench.files.first_columns``): ``read`` reads and converts them, or raises what is
    wrong with them; ``order`` is every column's place in a portfolio read in one go."""

    columns: frozenset[str]
    read: Callable[[], LaterColumns]
    order: tuple[str, ...]
    lock: threading.Lock = field(default_factory=threading.Lock)
    error: WorkbenchError | None = None


@dataclass(repr=False)
class Portfolio:
    """Customers in canonical columns.

    ``frame`` holds only recognised columns, typed: money as float64,
    booleans as bool, categories as ordered pandas categoricals, keys and
    text as strings. ``mapping`` records source header -> canonical column,
    ``unrecognised`` the headers that were not used, ``scaled`` the columns
    converted from 万 (wan). While ``later`` is set, the file's other columns are still to
    be read: they count as present, and whatever needs one waits for them (``finish``).
    """

    frame: pd.DataFrame
    name: str
    path: Path | None = None
    mapping: dict[str, str] = field(default_factory=dict)
    unrecognised: tuple[str, ...] = ()
    headers: tuple[str, ...] = ()
    scaled: tuple[str, ...] = ()
    first_data_row: int = 2
    row_numbers: np.ndarray | None = None  # each row's number in the file, when rows were left out
    notes: tuple[Text, ...] = ()  # how the file was read, when not plainly (both languages)
    columns_spec: dict[str, Column] = field(default_factory=lambda: dict(COLUMNS))
    title: Text | None = None  # the name in both languages, when it is not the file's
    _arrays: dict[str, np.ndarray] = field(default_factory=dict, repr=False)
    _households: Households | None = field(default=None, repr=False)
    later: Later | None = field(default=None, repr=False)

    def __len__(self) -> int:
        return len(self.frame)

    def __repr__(self) -> str:
        return f"Portfolio({self.name!r}, {self.rows:,} rows, columns {', '.join(self.frame.columns)})"

    def label(self, lang: Lang = "en") -> str:
        """The name people read: the file's name, or the sample's in ``lang``."""
        return self.title.get(lang) if self.title is not None else self.name

    @property
    def rows(self) -> int:
        return len(self.frame)

    def has(self, column: str) -> bool:
        return column in self.frame.columns or column in self.pending

    @property
    def pending(self) -> frozenset[str]:
        """The file's columns still to be read (or that could not be)."""
        later = self.later
        return later.columns if later is not None else frozenset()

    @property
    def complete(self) -> bool:
        """Whether every column of the file has been read."""
        return self.later is None

    def finish(self) -> bool:
        """Read the columns left for later, once: a second caller waits for the first.
        Raises what is wrong with them (each time asked); True when this call read them."""
        later = self.later
        if later is None:
            return False
        with later.lock:
            if self.later is None:
                return False
            if later.error is not None:
                raise later.error
            try:
                frame, notes, scaled = later.read()
            except WorkbenchError as exc:
                later.error = exc
                raise
            merged = pd.concat([self.frame, frame], axis=1)
            self.frame = merged[[c for c in later.order if c in merged.columns]]
            converted = {*self.scaled, *scaled}
            self.notes, self.scaled = (*self.notes, *notes), tuple(c for c in later.order if c in converted)
            self.later = None
            return True

    def refusal(self, columns: Iterable[str]) -> WorkbenchError | None:
        """What went wrong reading the file's later columns, when one of ``columns`` is one."""
        later = self.later
        if later is None or later.error is None or later.columns.isdisjoint(columns):
            return None
        return later.error

    def _needs(self, column: str) -> None:
        if column in self.pending:
            self.finish()

    def spec(self, column: str) -> Column:
        return self.columns_spec[column]

    def array(self, column: str) -> np.ndarray:
        """A column as numpy, typed by kind; a missing optional column is its
        default for every customer. Cached."""
        cached = self._arrays.get(column)
        if cached is not None:
            return cached
        self._needs(column)
        spec = self.columns_spec.get(column)
        if spec is None:
            raise PortfolioError(f"unknown column {column!r}")
        if column in self.frame.columns:
            series = self.frame[column]
            if spec.kind in ("money", "number"):
                arr = series.to_numpy(dtype=np.float64)
            elif spec.kind == "bool":
                arr = series.to_numpy(dtype=bool)
            elif spec.kind == "category":
                arr = series.cat.codes.to_numpy().astype(np.int8)
            else:
                arr = series.to_numpy(dtype=object)
        else:
            if spec.default is None:
                raise PortfolioError(f"portfolio {self.name} has no column {column}")
            arr = _default_array(spec, self.rows)
        self._arrays[column] = arr
        return arr

    def distinct(self, column: str) -> tuple[np.ndarray, list[str]]:
        """A text column as codes into its distinct values, each value once (fast on
        millions of rows with few values, above all when the file stored them as a
        dictionary)."""
        self._needs(column)
        if column not in self.frame.columns:
            return np.zeros(self.rows, dtype=np.int32), [str(self.spec(column).default or "")]
        series = self.frame[column]
        codes: np.ndarray
        if isinstance(series.dtype, pd.CategoricalDtype):  # its codes: factorised again, 0.2 s at 10M
            codes = series.cat.codes.to_numpy().astype(np.int32)
            values = [str(u) for u in series.cat.categories]
        else:
            codes, uniques = pd.factorize(series, use_na_sentinel=True)
            values = [str(u) for u in uniques]
        if (codes < 0).any():
            codes = np.where(codes < 0, len(values), codes)
            values.append("")
        return codes, values

    def categories(self, column: str) -> tuple[str, ...]:
        return self.columns_spec[column].categories

    @property
    def households(self) -> Households:
        """Household codes and sizes; an empty household id is a household of one."""
        if self._households is None:
            self._needs("household_id")
            self._households = households_of(self.frame)
        return self._households

    def row_label(self, index: int) -> str:
        """How a person finds data row ``index`` (0-based) in the source."""
        return f"row {row_number(index, self.first_data_row, self.row_numbers)}"

    def where(self, index: int | None = None, column: str | None = None) -> str:
        """``file, row N, column X (canonical)`` for messages."""
        parts = [self.name]
        if index is not None:
            parts.append(self.row_label(index))
        if column is not None:
            source = next((h for h, c in self.mapping.items() if c == column), column)
            parts.append(f"column {source}" + (f" ({column})" if source != column else ""))
        return ", ".join(parts)

    def missing(self, columns: Iterable[str]) -> list[str]:
        return [c for c in columns if not self.has(c)]

    def missing_error(
        self, scheme_id: str, missing: list[str], suggested: dict[str, str] | None = None
    ) -> UnmappedColumns:
        """The error for columns scheme ``scheme_id`` needs and this portfolio lacks: which,
        what they hold, what was recognised, what was not (``suggested``: likely mappings)."""
        names = ", ".join(
            f"{c} ({self.spec(c).description.en} / {self.spec(c).description.zh})"
            if c in self.columns_spec
            else c
            for c in missing
        )
        found = ", ".join(map(str, self.mapping)) or "none"
        unrecognised = f"; unrecognised headers: {', '.join(self.unrecognised)}" if self.unrecognised else ""
        return UnmappedColumns(
            f"{self.name}: scheme {scheme_id!r} needs column{'s' if len(missing) > 1 else ''} "
            f"{names}; recognised headers: {found}{unrecognised}",
            headers=list(self.headers),
            mapping=dict(self.mapping),
            missing=missing,
            suggested=suggested,
            unrecognised=list(self.unrecognised),
        )

    def fingerprint(self) -> str:
        """A content hash of the canonical columns, to tie figures to data: the same for
        the same customers in any row order and any split into files."""
        self.finish()
        return fingerprint_of(self.frame.columns, self.rows, row_digest(self.frame))


def column_hashes(frame: pd.DataFrame) -> dict[str, np.ndarray]:
    """Each column's values hashed (uint64 per row)."""
    return {c: pd.util.hash_pandas_object(frame[c], index=False).to_numpy() for c in frame.columns}


def _mixed(x: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser: every bit of a row's hash depends on every bit of its parts."""
    x = x ^ (x >> np.uint64(30))
    x *= np.uint64(0xBF58476D1CE4E5B9)
    x ^= x >> np.uint64(27)
    x *= np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


def row_digest(frame: pd.DataFrame, hashes: dict[str, np.ndarray] | None = None) -> int:
    """Every row's hash over its columns (each weighted by its name's hash), mixed, and
    summed (mod 2**64): parts of a book add up to the whole book's digest."""
    if frame.empty:
        return 0
    hashes = hashes or column_hashes(frame)
    row = np.zeros(len(frame), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for column in sorted(frame.columns):
            weight = int.from_bytes(hashlib.sha256(str(column).encode()).digest()[:8], "little") | 1
            row += hashes[column] * np.uint64(weight)
        return int(_mixed(row).sum(dtype=np.uint64))


def fingerprint_of(columns: Iterable[str], rows: int, digest: int) -> str:
    """The fingerprint of a book with these columns, rows and summed row digest."""
    h = hashlib.sha256()
    h.update(",".join(sorted(map(str, columns))).encode())
    h.update(rows.to_bytes(8, "little"))
    h.update((digest % 2**64).to_bytes(8, "little"))
    return h.hexdigest()[:16]


def _default_array(spec: Column, rows: int) -> np.ndarray:
    if spec.kind in ("money", "number"):
        return np.full(rows, float(spec.default), dtype=np.float64)
    if spec.kind == "bool":
        return np.full(rows, bool(spec.default), dtype=bool)
    if spec.kind == "category":
        return np.full(rows, spec.categories.index(spec.default), dtype=np.int8)
    return np.full(rows, spec.default, dtype=object)


def row_number(index: int, first: int, numbers: np.ndarray | None) -> int:
    """The file's row number of data row ``index`` (0-based)."""
    return int(numbers[index]) if numbers is not None else index + first


def households_of(frame: pd.DataFrame) -> Households:
    """Household membership from a frame's ``household_id`` column (none without one);
    an empty household id is a household of one. Within ``ids.reading_once``, ids the
    file's checks parsed already are not parsed again."""
    if "household_id" not in frame.columns:
        return Households.none(len(frame))
    ids = frame["household_id"]
    quick = first_seen(ids)  # ids that are numbers in disguise: no strings hashed
    codes = quick[0] if quick is not None else None
    if codes is None:
        codes, _ = pd.factorize(ids.where(ids != "", None), use_na_sentinel=True)
    return Households.from_codes(codes)
