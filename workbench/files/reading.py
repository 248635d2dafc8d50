"""Reading portfolio files as bank systems write them.

The content decides the reader, not the name: a ``.xls`` that is really
tab-separated text is read as text, and a file that is none of the formats
says what it looks like. Text may be UTF-8 (with or without a byte-order
mark), UTF-16 (Excel's "Unicode text") or GB18030/GBK (Chinese spreadsheets),
separated by commas, tabs, semicolons or bars. Title rows above the header
and a workbook's other sheets are skipped to the table; rows with nothing in
them are left out. Row numbers stay the file's own, for messages.
"""

from __future__ import annotations

import csv
import re
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq

from workbench.errors import PortfolioError

TEXT, XLSX, XLS, PARQUET = "text", "xlsx", "xls", "parquet"
SUFFIXES = {
    ".csv": TEXT,
    ".txt": TEXT,
    ".tsv": TEXT,
    ".xlsx": XLSX,
    ".xlsm": XLSX,
    ".xls": XLS,
    ".parquet": PARQUET,
    ".pq": PARQUET,
}
KIND_NAMES = {
    TEXT: "text (CSV)",
    XLSX: "an Excel workbook (.xlsx)",
    XLS: "an old Excel workbook (.xls)",
    PARQUET: "a Parquet file",
}
OTHER_FORMATS = (  # files people pick by mistake, named by their first bytes
    (b"%PDF", "a PDF document"),
    (b"\x1f\x8b", "gzip-compressed (unpack it first)"),
    (b"7z\xbc\xaf", "a 7-Zip archive (unpack it first)"),
    (b"Rar!", "a RAR archive (unpack it first)"),
    (b"SQLite format 3", "an SQLite database"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
)
HEADER_SEARCH_ROWS = 30  # title rows above the header are looked through this far
SAMPLE_BYTES = 256 * 1024  # read to find the header, the delimiter and the encoding
DELIMITERS = (",", "\t", ";", "|")

# How much a row looks like the header (0: not at all): given by the caller, who knows
# the column names.
HeaderScore = Callable[[Sequence[str]], int]


@dataclass(frozen=True)
class RawTable:
    """A file's table: the header row's cells as columns, every cell as read."""

    frame: pd.DataFrame
    first_data_row: int  # the file's row (line) number of the frame's first row
    row_numbers: np.ndarray | None = None  # each row's number, when rows were left out
    notes: tuple[str, ...] = ()


def sniff(path: Path) -> str:
    """What a file is by its first bytes: one of TEXT, XLSX, XLS, PARQUET, or a word for
    something else ("empty", "a zip archive", "a web page (HTML)", "binary data")."""
    with open(path, "rb") as handle:
        head = handle.read(4096)
    if not head:
        return "empty"
    if head.startswith(b"PAR1"):
        return PARQUET
    if head.startswith(b"PK\x03\x04"):
        return XLSX if b"[Content_Types].xml" in head or b"xl/" in head else "a zip archive"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return XLS
    for magic, what in OTHER_FORMATS:
        if head.startswith(magic):
            return what
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return TEXT  # UTF-16 with a byte-order mark
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith((b"<!doctype html", b"<html", b"<table", b"<?xml")):
        return "a web page (HTML)" if b"<html" in head.lower() or b"<table" in head.lower() else "XML"
    if b"\x00" in head:
        return "binary data"
    return TEXT


def read_table(
    path: Path, sheet: str | int | None = None, header_score: HeaderScore | None = None
) -> RawTable:
    """The table in a file, whatever its name says. ``PortfolioError`` names the file and
    what was expected when it is not a table we can read."""
    if not path.exists():
        raise PortfolioError(f"{path}: no such file")
    if path.is_dir():
        raise PortfolioError(f"{path}: is a folder, expected a CSV, Excel or Parquet file")
    named = SUFFIXES.get(path.suffix.lower())
    kind = sniff(path)
    if kind == "empty":
        raise PortfolioError(f"{path}: the file is empty; expected a header row and customer rows")
    if kind not in KIND_NAMES:
        expected = KIND_NAMES[named] if named else "CSV, Excel (.xlsx, .xls) or Parquet"
        hint = "; open it in Excel and save it as .xlsx" if kind == "a web page (HTML)" else ""
        raise PortfolioError(f"{path}: expected {expected}, but the file is {kind}{hint}")
    notes = []
    if named is not None and named != kind and not (named == XLS and kind == XLSX):
        notes.append(
            f"{path.name} is {KIND_NAMES[kind]}, not {KIND_NAMES[named]} as its name says; read as such"
        )
    score = header_score or (lambda cells: 0)
    try:
        if kind == PARQUET:
            # Memory-mapped, and each Arrow column freed as soon as pandas has it: the
            # peak stays near one copy of the table.
            table = pq.read_table(path, memory_map=True)
            return RawTable(table.to_pandas(self_destruct=True, split_blocks=True), 1, None, tuple(notes))
        if kind in (XLSX, XLS):
            return _read_workbook(path, sheet, score, notes)
        return _read_text(path, score, notes)
    except PortfolioError:
        raise
    except (ValueError, OSError, KeyError, csv.Error) as exc:
        raise PortfolioError(f"{path}: cannot be read as {KIND_NAMES[kind]} ({exc})") from exc
    except Exception as exc:  # readers raise many types on corrupt input
        raise PortfolioError(
            f"{path}: cannot be read as {KIND_NAMES[kind]} ({type(exc).__name__}: {exc})"
        ) from exc


# -- text ----------------------------------------------------------------------


def _encodings(path: Path) -> tuple[str, ...]:
    with open(path, "rb") as handle:
        head = handle.read(4)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return ("utf-16",)
    return ("utf-8-sig", "gb18030")  # GB18030 reads GBK and GB2312 too


def _sample_rows(path: Path, encoding: str) -> tuple[list[str], str]:
    """The first lines of a text file, and the delimiter they use most consistently."""
    with open(path, "rb") as handle:
        raw = handle.read(SAMPLE_BYTES)
    try:
        text = raw.decode(encoding)  # strict: a wrong guess must fail here, not read as noise
    except UnicodeDecodeError as exc:
        if len(raw) < SAMPLE_BYTES or exc.start < len(raw) - 4:
            raise
        text = raw[: exc.start].decode(encoding)  # a character cut by the sample's end
    lines = text.splitlines()[: HEADER_SEARCH_ROWS + 20]
    if len(raw) == SAMPLE_BYTES and len(lines) > 1:
        lines = lines[:-1]  # the last line may be cut
    best, best_score = ",", -1
    for delimiter in DELIMITERS:
        counts = [len(row) for row in csv.reader(lines, delimiter=delimiter) if row]
        if not counts:
            continue
        widest = max(counts)
        consistent = sum(1 for c in counts if c == widest) if widest > 1 else 0
        if consistent > best_score:
            best, best_score = delimiter, consistent
    return lines, best


def _read_text(path: Path, score: HeaderScore, notes: list[str]) -> RawTable:
    last: Exception | None = None
    for encoding in _encodings(path):
        try:
            lines, delimiter = _sample_rows(path, encoding)
            rows = list(csv.reader(lines, delimiter=delimiter))
            header = _header_row(rows, score)
            _check_widths(path, rows, header, delimiter)
            with warnings.catch_warnings():
                # Values beyond the header's columns are checked above; empty ones (a
                # delimiter closing every line) are dropped without a word.
                warnings.simplefilter("ignore", pd.errors.ParserWarning)
                frame = pd.read_csv(
                    path,
                    sep=delimiter,
                    encoding=encoding,
                    dtype=str,
                    keep_default_na=False,
                    skip_blank_lines=False,
                    skiprows=header,
                    header=0,
                    index_col=False,  # a delimiter at the end of every line is not an index column
                )
        except UnicodeDecodeError as exc:
            last = exc
            continue
        except pd.errors.EmptyDataError as exc:
            raise PortfolioError(f"{path}: the file is empty; expected a header row") from exc
        except pd.errors.ParserError as exc:
            raise PortfolioError(f"{path}: {_ragged(str(exc), delimiter)}") from exc
        if encoding == "gb18030":
            notes.append(f"{path.name} is GB18030/GBK text (a Chinese spreadsheet's CSV); read as such")
        if delimiter != ",":
            name = {"\t": "tabs", ";": "semicolons", "|": "bars"}[delimiter]
            notes.append(f"{path.name}: columns separated by {name}")
        if header:
            notes.append(f"{path.name}: the header is on line {header + 1}; the lines above it were skipped")
        return _tidy(frame, header + 2, notes, path.name)
    raise PortfolioError(f"{path}: not UTF-8, UTF-16 or GB18030 text ({last})")


def _check_widths(path: Path, rows: list[list[str]], header: int, delimiter: str) -> None:
    """A line (among the first) with values beyond the header's columns is an error: they
    would otherwise be dropped."""
    if header >= len(rows):
        return
    width = len(rows[header])
    for i in range(header + 1, len(rows)):
        if len(rows[i]) > width and any(cell.strip() for cell in rows[i][width:]):
            message = f"Expected {width} fields in line {i + 1}, saw {len(rows[i])}"
            raise PortfolioError(f"{path}: {_ragged(message, delimiter)}")


def _ragged(message: str, delimiter: str) -> str:
    """The tokenizer's complaint about a line with too many values, in a planner's words."""
    found = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", message)
    if not found:
        return f"cannot be read as delimited text ({message.strip()})"
    expected, line, saw = found.groups()
    name = {",": "comma", "\t": "tab", ";": "semicolon", "|": "bar"}[delimiter]
    return (
        f"line {line} has {saw} values but the header names {expected} columns; expected one value per "
        f"column (a {name} inside a value must be in double quotes)"
    )


# -- workbooks -------------------------------------------------------------------


def _read_workbook(path: Path, sheet: str | int | None, score: HeaderScore, notes: list[str]) -> RawTable:
    book = pd.ExcelFile(path, engine="calamine")
    names = [str(n) for n in book.sheet_names]
    if sheet is not None:
        if isinstance(sheet, str) and sheet not in names:
            raise PortfolioError(f"{path}: no sheet {sheet!r}; its sheets: {', '.join(names)}")
        if isinstance(sheet, int) and not 0 <= sheet < len(names):
            raise PortfolioError(f"{path}: no sheet number {sheet}; it has {len(names)}: {', '.join(names)}")
        chosen = sheet if isinstance(sheet, str) else names[sheet]
    else:
        chosen = _table_sheet(book, names, score)
        if chosen != names[0]:
            others = ", ".join(n for n in names if n != chosen)
            notes.append(
                f"{path.name}: read sheet {chosen!r}, the first with the customer table (others: {others})"
            )
    cells = pd.read_excel(book, sheet_name=chosen, header=None, dtype=object)
    rows = [[_cell_text(v) for v in row] for row in cells.head(HEADER_SEARCH_ROWS).itertuples(index=False)]
    header = _header_row(rows, score)
    if header:
        notes.append(f"{path.name}: the header is on row {header + 1}; the rows above it were skipped")
    columns = [_cell_text(v) for v in cells.iloc[header]] if len(cells) else []
    frame = cells.iloc[header + 1 :]
    frame.columns = _names(columns)
    frame = frame.reset_index(drop=True)
    return _tidy(frame, header + 2, notes, path.name)


def _table_sheet(book: pd.ExcelFile, names: list[str], score: HeaderScore) -> str:
    """The first sheet whose first rows hold the best-looking header."""
    best, best_score = names[0], 0
    for name in names:
        cells = pd.read_excel(book, sheet_name=name, header=None, dtype=object, nrows=HEADER_SEARCH_ROWS)
        rows = [[_cell_text(v) for v in row] for row in cells.itertuples(index=False)]
        found = max((score(r) for r in rows), default=0)
        if found > best_score:
            best, best_score = name, found
    return best


def _cell_text(value: object) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    return str(value).strip()


def _names(cells: list[str]) -> list[str]:
    """Header cells as column names: an empty one is named by its spreadsheet letter."""
    names = []
    for i, cell in enumerate(cells):
        names.append(cell if cell else f"(column {_letter(i)})")
    return names


def _letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


# -- shared ----------------------------------------------------------------------


def _header_row(rows: list[list[str]], score: HeaderScore) -> int:
    """The row that looks most like the header (the first of equals), or 0."""
    best, best_score = 0, 0
    for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        found = score([c.strip() for c in row])
        if found > best_score:
            best, best_score = i, found
    return best


def _is_empty(series: pd.Series) -> np.ndarray:
    """Cells with nothing in them (missing, or an empty string)."""
    return (series.isna() | (series == "")).to_numpy(dtype=bool)


def _tidy(frame: pd.DataFrame, first_row: int, notes: list[str], name: str) -> RawTable:
    """Leave out rows with nothing in them and unnamed columns with nothing in them,
    keeping each row's number in the file."""
    unnamed = [c for c in frame.columns if str(c).startswith(("Unnamed: ", "(column "))]
    empty_columns = [c for c in unnamed if _is_empty(frame[c]).all()]
    if empty_columns:
        frame = frame.drop(columns=empty_columns)
    if not len(frame.columns) or not len(frame):
        return RawTable(frame, first_row, None, tuple(notes))
    candidates = np.flatnonzero(_is_empty(frame.iloc[:, 0]))  # cheap: one column first
    if len(candidates):
        rest = frame.iloc[candidates]
        blank = np.ones(len(candidates), dtype=bool)
        for column in rest.columns:
            blank &= _is_empty(rest[column])
        drop = candidates[blank]
        if len(drop):
            keep = np.ones(len(frame), dtype=bool)
            keep[drop] = False
            numbers = np.flatnonzero(keep) + first_row
            frame = frame.iloc[keep].reset_index(drop=True)
            inside = drop[drop < len(keep) - 1]  # an empty last row is no news
            if len(inside):
                rows = ", ".join(str(first_row + int(i)) for i in inside[:5]) + (
                    ", ..." if len(inside) > 5 else ""
                )
                notes.append(
                    f"{name}: {len(inside)} empty row{'s' if len(inside) != 1 else ''} left out (row {rows})"
                )
            return RawTable(frame, first_row, numbers, tuple(notes))
    return RawTable(frame, first_row, None, tuple(notes))
