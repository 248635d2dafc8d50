"""Reading portfolio files as bank systems write them.

The content decides the reader, not the name: a ``.xls`` that is really
tab-separated text is read as text, and a file that is none of the formats
says what it looks like. Only regular files are read (a pipe would hang the
read), and every reader checks the size a file states before it reads, so a
file cannot make the workbench run out of memory. Text is read by
``files.delimited``, workbooks by ``files.workbooks``. Title rows above the
header are kept (they may state the unit of the amounts); rows with nothing in
them are left out. Row numbers stay the file's own, for messages.
"""

from __future__ import annotations

import csv
import errno
import os
import stat
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from workbench.errors import PortfolioError, WorkbenchError
from workbench.files.decoding import decoded
from workbench.text import Text, place

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
KIND_NAMES_ZH = {
    TEXT: "文本(CSV)",
    XLSX: "Excel 工作簿(.xlsx)",
    XLS: "旧版 Excel 工作簿(.xls)",
    PARQUET: "Parquet 文件",
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
MEMORY_SHARE = 0.6  # a table may take at most this share of the machine's memory

# How much a row looks like the header (0: not at all): given by the caller, who knows
# the column names.
HeaderScore = Callable[[Sequence[str]], int]
# What a cell that reads as empty really holds (a workbook's error value, or a formula
# with no saved value), by the file's row number and the column's header; None if empty.
EmptyCells = Callable[[int, str], str | None]


@dataclass(frozen=True)
class Merge:
    """Cells merged over several data rows of one column: the value reaches every row."""

    column: str
    first_row: int  # the file's row numbers, inclusive
    last_row: int
    value: object


@dataclass(frozen=True)
class RawTable:
    """A file's table: the header row's cells as columns, every cell as read.

    ``titles`` holds the text of the rows above the header (they may state a
    unit); ``where`` names the file (and sheet) in messages; ``delimiter`` is a
    text file's; ``merges`` the merged cells a workbook's values were filled from;
    ``empty_cells`` explains cells that read as empty (a workbook's errors and
    unsaved formulas)."""

    frame: pd.DataFrame
    first_data_row: int  # the file's row (line) number of the frame's first row
    row_numbers: np.ndarray | None = None  # each row's number, when rows were left out
    notes: tuple[Text, ...] = ()  # how the file was read, in both languages
    titles: tuple[str, ...] = ()
    where: str = ""
    delimiter: str | None = None
    merges: tuple[Merge, ...] = ()
    empty_cells: EmptyCells | None = None


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


def regular_file(
    path: Path,
    what: str = "file",
    expected: str = "a CSV, Excel or Parquet file",
    error: type[WorkbenchError] = PortfolioError,
) -> None:
    """Refuse what is not a readable regular file: missing, a folder, a pipe or device, a
    symbolic link loop."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise error(f"{path}: no such {what}", zh=f"{path}:文件不存在") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise error(
                f"{path}: a symbolic link that points back at itself (a loop)",
                zh=f"{path}:符号链接指向自身(循环)",
            ) from None
        raise error(
            f"{path}: cannot be read ({exc.strerror})", zh=f"{path}:无法读取({exc.strerror})"
        ) from None
    if stat.S_ISDIR(mode):
        raise error(f"{path}: is a folder, expected {expected}", zh=f"{path}:这是一个文件夹,不是文件")
    if not stat.S_ISREG(mode):
        kind = "a pipe (FIFO)" if stat.S_ISFIFO(mode) else "a device or socket"
        raise error(
            f"{path}: is {kind}, not a regular file; save the data to a file and open that",
            zh=f"{path}:不是普通文件(管道或设备);请把数据保存为文件后再打开",
        )


def memory_bytes() -> int:
    """This machine's memory, in bytes."""
    try:
        return int(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES"))
    except (ValueError, OSError, AttributeError):
        return 8 << 30


def check_fits(path: Path, needed: float, what: str) -> None:
    """Refuse a table that would take more memory than the machine can give it."""
    limit = memory_bytes() * MEMORY_SHARE
    if needed > limit:
        need, have = f"{needed / 2**30:,.1f}", f"{limit / 2**30:,.1f}"
        raise PortfolioError(
            f"{path}: {what} would take about {need} GB of memory, more than this machine "
            f"can give a portfolio ({have} GB); split it, or read a sample of it",
            zh=f"{path}:读取约需 {need} GB 内存,超过本机可用于客户数据的 {have} GB;请拆分文件或只读取一部分",
        )


def read_table(
    path: Path, sheet: str | int | None = None, header_score: HeaderScore | None = None
) -> RawTable:
    """The table in a file, whatever its name says. ``PortfolioError`` names the file and
    what was expected when it is not a table we can read."""
    from workbench.files import delimited, workbooks

    regular_file(path)
    named = SUFFIXES.get(path.suffix.lower())
    kind = sniff(path)
    if kind == "empty":
        raise PortfolioError(
            f"{path}: the file is empty; expected a header row and customer rows",
            zh=f"{path}:文件是空的;应有表头行和客户行",
        )
    if kind not in KIND_NAMES:
        expected = KIND_NAMES[named] if named else "CSV, Excel (.xlsx, .xls) or Parquet"
        hint = "; open it in Excel and save it as .xlsx" if kind == "a web page (HTML)" else ""
        raise PortfolioError(
            f"{path}: expected {expected}, but the file is {kind}{hint}",
            zh=f"{path}:应为 CSV、Excel(.xlsx、.xls)或 Parquet 文件,但它是 {kind}{hint}",
        )
    notes: list[Text] = []
    if named is not None and named != kind and not (named == XLS and kind == XLSX):
        notes.append(
            Text(
                f"{path.name} is {KIND_NAMES[kind]}, not {KIND_NAMES[named]} as its name says; read as such",
                f"{path.name} 实为{KIND_NAMES_ZH[kind]},"
                f"而非文件名所示的{KIND_NAMES_ZH[named]};已按实际格式读取",
            )
        )
    score = header_score or (lambda cells: 0)
    try:
        if kind == PARQUET:
            return _read_parquet(path, notes)
        if kind in (XLSX, XLS):
            return workbooks.read_workbook(path, kind, sheet, score, notes)
        check_fits(path, path.stat().st_size * 6, "reading this text file")
        return delimited.read_text(path, score, notes)
    except PortfolioError:
        raise
    except (ValueError, OSError, KeyError, csv.Error) as exc:
        raise PortfolioError(
            f"{path}: cannot be read as {KIND_NAMES[kind]} ({exc})",
            zh=f"{path}:无法按{KIND_NAMES_ZH[kind]}读取({exc})",
        ) from exc
    except Exception as exc:  # readers raise many types on corrupt input
        raise PortfolioError(
            f"{path}: cannot be read as {KIND_NAMES[kind]} ({type(exc).__name__}: {exc})",
            zh=f"{path}:无法按{KIND_NAMES_ZH[kind]}读取({type(exc).__name__}:{exc})",
        ) from exc


def _reading_pool() -> pa.MemoryPool:
    try:
        pool = pa.jemalloc_memory_pool()
    except NotImplementedError:  # an Arrow built without it
        return pa.default_memory_pool()
    pa.jemalloc_set_decay_ms(0)  # what is freed goes back at once, not after seconds
    return pool


_POOL = _reading_pool()
_PARQUET = ds.ParquetFileFormat(default_fragment_scan_options=ds.ParquetFragmentScanOptions(pre_buffer=False))
# Float columns stay in Arrow's memory (no copy now): converting them to amounts in fen
# is the one copy they need.
_KEPT_IN_ARROW = {pa.float64(): pd.ArrowDtype(pa.float64())}


def _read_parquet(path: Path, notes: list[Text]) -> RawTable:
    return RawTable(parquet_frame(path), 1, None, tuple(notes), where=path.name)


def parquet_frame(path: Path, columns: list[str] | None = None, threads: bool = True) -> pd.DataFrame:
    """A Parquet file's columns as a raw frame: each Arrow column freed as soon as pandas
    has it (float columns kept as Arrow), the memory given back at once, so the peak stays
    near one copy of the table. ``threads=False`` decodes on one core only."""
    table = parquet_table(path, columns, threads)
    give_back_memory()  # the file's compressed pages
    frame = table.to_pandas(
        self_destruct=True, split_blocks=True, types_mapper=_KEPT_IN_ARROW.get, memory_pool=_POOL,
        use_threads=threads,
    )  # fmt: skip
    del table
    give_back_memory()
    return frame


def give_back_memory() -> None:
    """Return the memory Arrow freed to the system: its allocator keeps it otherwise, and
    numpy's arrays would need memory of their own beside it."""
    _POOL.release_unused()
    pa.default_memory_pool().release_unused()


def parquet_table(path: Path, columns: list[str] | None = None, threads: bool = True) -> pa.Table:
    """A Parquet file's table (only ``columns``, when given) as Arrow, checked: its stated
    size first; columns of lists, maps or structs are refused by name, binary columns
    decoded as UTF-8 (a value that is not is named). ``threads=False``: on one core."""
    parquet = pq.ParquetFile(path)
    meta = parquet.metadata
    names = parquet.schema_arrow.names
    wanted = {names.index(c) for c in columns} if columns is not None else set(range(len(names)))
    size = sum(
        meta.row_group(g).column(c).total_uncompressed_size
        for g in range(meta.num_row_groups)
        for c in wanted
    )
    check_fits(path, size * 2.5, f"{meta.num_rows:,} rows")

    def arrow(some: list[str]) -> pa.Table:
        # not mapped (the file's pages are not ours to hold), pages read as needed, into
        # jemalloc's memory where Arrow has it: 1.3-1.5 s for the 10M sample where
        # ``pq.read_table`` took 2.6-2.9 s in a fresh process (its default allocator
        # faults in every fresh page more slowly here)
        dataset = ds.dataset(path, format=_PARQUET)
        return dataset.to_table(columns=some, memory_pool=_POOL, use_threads=threads)

    table = decoded(path, columns if columns is not None else names, parquet.schema_arrow, arrow, threads)
    checked = []
    for name, column in zip(table.column_names, table.columns, strict=True):
        kind = column.type
        if pa.types.is_nested(kind):
            raise PortfolioError(
                f"{path}: column {name} holds {kind} (lists or records), expected one value per customer",
                zh=f"{path}:{name} 列是 {kind}(列表或记录),每位客户应只有一个值",
            )
        if pa.types.is_binary(kind) or pa.types.is_large_binary(kind):
            column = _binary_as_text(path, name, column)
        checked.append(column)
    return pa.table(checked, names=table.column_names)


def _binary_as_text(path: Path, name: str, column: pa.ChunkedArray) -> pa.ChunkedArray:
    try:
        return column.cast(pa.string())
    except pa.ArrowInvalid:
        values = column.to_pylist()
        for i, value in enumerate(values):
            if value is not None:
                try:
                    value.decode("utf-8")
                except UnicodeDecodeError:
                    raise PortfolioError(
                        f"{path}: row {i + 1}, column {name}: {value[:24]!r} is not UTF-8 text; "
                        "expected text (write the column as UTF-8 strings)",
                        zh=f"{path}:第 {i + 1} 行 {name} 列:{value[:24]!r} 不是 UTF-8 文本"
                        "(请把该列写成 UTF-8 字符串)",
                    ) from None
        raise


# -- shared -------------------------------------------------------------------------------


def header_row(rows: list[list[str]], score: HeaderScore) -> int:
    """The row that looks most like the header (the first of equals), or 0."""
    best, best_score = 0, 0
    for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        found = score([c.strip() for c in row])
        if found > best_score:
            best, best_score = i, found
    return best


def duplicate_headers(path_name: str, cells: list[str]) -> None:
    """Two columns with one name: the second would be lost without a word."""
    seen: dict[str, int] = {}
    for i, cell in enumerate(cells):
        name = cell.strip()
        if not name:
            continue
        if name in seen:
            first, second = letter(seen[name]), letter(i)
            raise PortfolioError(
                f"{path_name}: the header names {name!r} twice (columns {first} and {second}); rename one, "
                "or delete the copy",
                zh=f"{path_name}:表头 {name!r} 出现了两次({first} 列和 {second} 列);请改名或删去重复的列",
            )
        seen[name] = i


def letter(index: int) -> str:
    """A 0-based column index as a spreadsheet's letters (0 -> A, 26 -> AA)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _is_empty(series: pd.Series) -> np.ndarray:
    """Cells with nothing in them (missing, or an empty string)."""
    return (series.isna() | (series == "")).to_numpy(dtype=bool)


def tidy(table: RawTable) -> RawTable:
    """Leave out rows with nothing in them and unnamed columns with nothing in them,
    keeping each row's number in the file."""
    frame, first_row, notes, name = table.frame, table.first_data_row, list(table.notes), table.where
    unnamed = [c for c in frame.columns if str(c).startswith(("Unnamed: ", "(column "))]
    empty_columns = [c for c in unnamed if _is_empty(frame[c]).all()]
    if empty_columns:
        frame = frame.drop(columns=empty_columns)
    if not len(frame.columns) or not len(frame):
        return replace(table, frame=frame, notes=tuple(notes), row_numbers=None)
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
                    Text(
                        f"{name}: {len(inside)} empty row{'s' if len(inside) != 1 else ''} left out "
                        f"(row {rows})",
                        f"{place(name).zh}:略去{len(inside)}个空行(第 {rows} 行)",
                    )
                )
            return replace(table, frame=frame, notes=tuple(notes), row_numbers=numbers)
    return replace(table, frame=frame, notes=tuple(notes), row_numbers=None)
