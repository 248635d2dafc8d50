"""Excel workbooks (.xlsx, .xls) as bank systems write them, read with python-calamine.

- **Which sheet**: the one named, else the visible sheet whose first rows hold
  the best customer-table header (the active sheet wins a tie, then the
  longest); hidden sheets only when no visible one holds a table. A note says
  which sheet was read and which others exist.
- **Stated sizes are checked first**: a sheet whose stated range (or whose
  farthest cell) is larger than can be read is refused before calamine
  allocates it.
- **Merged cells** reach every row they cover (a household id merged over its
  members); ``Merge`` records where, and amounts merged over several customers
  are refused by the portfolio reader.
- **Cells that read as empty** but hold an Excel error (``#N/A``) or a formula
  with no saved value are named as such in messages (``empty_cells``).
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pandas as pd
import python_calamine as calamine

from workbench.errors import PortfolioError
from workbench.files.reading import (
    HEADER_SEARCH_ROWS,
    XLSX,
    HeaderScore,
    Merge,
    RawTable,
    duplicate_headers,
    header_row,
    letter,
    tidy,
)
from workbench.text import Text, place

MAX_CELLS = 60_000_000  # about 1,048,576 rows x 57 columns: calamine holds each cell in memory
_DIMENSION = re.compile(rb'<dimension ref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"')
_CELL_REF = re.compile(rb'<c r="([A-Z]+)(\d+)"')
_NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ch - 64)
    return n


# -- what the workbook says about itself (xlsx) -----------------------------------------


def _sheet_parts(path: Path) -> tuple[dict[str, str], int]:
    """Sheet name -> its part in the zip, and the active sheet's position."""
    with zipfile.ZipFile(path) as z:
        book = ElementTree.fromstring(z.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in rels}
    parts = {}
    for sheet in book.iterfind("m:sheets/m:sheet", _NS):
        target = targets.get(sheet.get(_REL), "")
        target = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        parts[sheet.get("name", "")] = target
    view = book.find("m:bookViews/m:workbookView", _NS)
    active = int(view.get("activeTab", "0")) if view is not None else 0
    return parts, active


def _extent(path: Path, part: str) -> tuple[int, int, str]:
    """A sheet's rows and columns as it states them (its dimension), or, when it states
    none or more than can be read, as its farthest cell; with that cell's reference."""
    with zipfile.ZipFile(path) as z, z.open(part) as handle:
        head = handle.read(16_384)
        found = _DIMENSION.search(head)
        if found and found.group(3):
            rows, cols = int(found.group(4)), _column_number(found.group(3))
            if rows * cols <= MAX_CELLS:
                return rows, cols, (found.group(3) + found.group(4)).decode()
        rows = cols = 0
        far = ""
        chunk, tail = head, b""
        while chunk:
            data = tail + chunk
            for ref in _CELL_REF.finditer(data):
                r, c = int(ref.group(2)), _column_number(ref.group(1))
                if r * c > rows * cols or r > rows or c > cols:
                    rows, cols = max(rows, r), max(cols, c)
                    if r * c >= rows * cols:
                        far = (ref.group(1) + ref.group(2)).decode()
            tail = data[-32:]
            chunk = handle.read(1 << 20)
    return rows, cols, far


def _guard(path: Path, sheet: str, parts: dict[str, str]) -> None:
    part = parts.get(sheet)
    if part is None:
        return
    rows, cols, far = _extent(path, part)
    if rows * cols > MAX_CELLS:
        raise PortfolioError(
            f"{path.name}, sheet {sheet}: spans {rows:,} rows x {cols:,} columns (to cell {far}), "
            f"more than can be read ({MAX_CELLS:,} cells); a stray value far from the table? Delete the "
            "rows and columns beyond the table, save, and open it again",
            zh=f"{path.name},工作表 {sheet}:范围达 {rows:,} 行 × {cols:,} 列(到 {far} 单元格),"
            f"超过可读取的 {MAX_CELLS:,} 个单元格;是否有远离表格的零散数值?"
            "请删除表格以外的行和列,保存后再打开",
        )


# -- choosing the sheet -------------------------------------------------------------------


def _cell_text(value: object) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return str(value).strip()


def _first_rows(book: calamine.CalamineWorkbook, name: str) -> list[list[str]]:
    rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False)[:HEADER_SEARCH_ROWS]
    return [[_cell_text(v) for v in row] for row in rows]


def _choose(
    path: Path,
    book: calamine.CalamineWorkbook,
    score: HeaderScore,
    active: int,
    parts: dict[str, str],
) -> tuple[str, list[Text]]:
    """The sheet that holds the customer table, and notes on the choice."""
    meta = [m for m in book.sheets_metadata if m.typ == calamine.SheetTypeEnum.WorkSheet]
    if not meta:
        raise PortfolioError(f"{path}: the workbook has no worksheet", zh=f"{path}:工作簿中没有工作表")
    names = [m.name for m in book.sheets_metadata]
    visible = [m.name for m in meta if m.visible == calamine.SheetVisibleEnum.Visible]
    hidden = [m.name for m in meta if m.name not in visible]

    def best(candidates: list[str]) -> tuple[str, int]:
        scored = []
        for name in candidates:
            _guard(path, name, parts)
            found = max((score(r) for r in _first_rows(book, name)), default=0)
            is_active = names.index(name) == active
            height = book.get_sheet_by_name(name).total_height
            scored.append((found, is_active, height, -names.index(name), name))
        top = max(scored)
        return top[-1], top[0]

    chosen, found = best(visible or hidden)
    notes = []
    if found < 100 and visible and hidden:  # no customer key on a visible sheet: a hidden one?
        other, other_found = best(hidden)
        if other_found > found:
            chosen, found = other, other_found
            notes.append(
                Text(
                    f"{path.name}: read the hidden sheet {chosen!r}, the only one with the customer table",
                    f"{path.name}:读取了隐藏的工作表 {chosen!r},只有它含客户表",
                )
            )
    if len(meta) > 1:
        others = ", ".join(f"{n!r}" + (" (hidden)" if n in hidden else "") for n in names if n != chosen)
        others_zh = "、".join(f"{n!r}" + ("(隐藏)" if n in hidden else "") for n in names if n != chosen)
        notes.append(
            Text(
                f"{path.name}: read sheet {chosen!r} ({{rows}}); other sheets: {others}",
                f"{path.name}:读取了工作表 {chosen!r}({{rows_zh}});其他工作表:{others_zh}",
            )
        )
    return chosen, notes


# -- reading ----------------------------------------------------------------------------------


def read_workbook(
    path: Path, kind: str, sheet: str | int | None, score: HeaderScore, notes: list[Text]
) -> RawTable:
    book = calamine.CalamineWorkbook.from_path(str(path))
    names = [str(n) for n in book.sheet_names]
    parts, active = _sheet_parts(path) if kind == XLSX else ({}, 0)
    if sheet is not None:
        if isinstance(sheet, str) and sheet not in names:
            raise PortfolioError(
                f"{path}: no sheet {sheet!r}; its sheets: {', '.join(names)}",
                zh=f"{path}:没有工作表 {sheet!r};它的工作表:{'、'.join(names)}",
            )
        if isinstance(sheet, int) and not 0 <= sheet < len(names):
            raise PortfolioError(
                f"{path}: no sheet number {sheet}; it has {len(names)}: {', '.join(names)}",
                zh=f"{path}:没有第 {sheet} 个工作表;它有 {len(names)} 个:{'、'.join(names)}",
            )
        chosen = sheet if isinstance(sheet, str) else names[sheet]
        _guard(path, chosen, parts)
    else:
        chosen, chosen_notes = _choose(path, book, score, active, parts)
        notes.extend(chosen_notes)
    data = book.get_sheet_by_name(chosen)
    cells: list[list[Any]] = [list(row) for row in data.to_python(skip_empty_area=False)]  # from A1
    start_row = start_col = 0
    merged = _fill_merged(cells, data.merged_cell_ranges or [], start_row, start_col)
    rows = [[_cell_text(v) for v in row] for row in cells[:HEADER_SEARCH_ROWS]]
    header = header_row(rows, score)
    where = f"{path.name}, sheet {chosen}"
    if header:
        notes.append(
            Text(
                f"{where}: the header is on row {start_row + header + 1}; the rows above it were skipped",
                f"{place(where).zh}:表头在第 {start_row + header + 1} 行,其上各行已跳过",
            )
        )
    columns = [_cell_text(v) for v in cells[header]] if cells else []
    duplicate_headers(where, columns)
    names_ = [c if c else f"(column {letter(start_col + i)})" for i, c in enumerate(columns)]
    frame = pd.DataFrame(cells[header + 1 :], columns=names_ or None, dtype=object)
    first_row = start_row + header + 2  # the file's row number of the first data row
    titles = tuple(cell for row in rows[:header] for cell in row if cell)
    merges = tuple(
        Merge(names_[c - start_col], r0 + 1, r1 + 1, value)
        for (r0, c0), (r1, c1), value in merged
        for c in range(c0, c1 + 1)
        if r0 > start_row + header and r1 > r0 and 0 <= c - start_col < len(names_)
    )
    explain = (
        _EmptyCells(path, chosen, {name: start_col + i for i, name in enumerate(names_)})
        if kind == XLSX
        else None
    )
    table = tidy(RawTable(frame, first_row, None, tuple(notes), titles, where, None, merges, explain))
    below = f"{len(table.frame):,} row{'s' if len(table.frame) != 1 else ''} below the header"
    below_zh = f"表头下{len(table.frame):,}行"
    said = tuple(
        Text(n.en.replace("{rows}", below), n.zh.replace("{rows_zh}", below_zh)) for n in table.notes
    )
    return replace(table, notes=said)


def _fill_merged(
    cells: list[list[Any]], ranges: list[tuple[tuple[int, int], tuple[int, int]]], row0: int, col0: int
) -> list[tuple[tuple[int, int], tuple[int, int], Any]]:
    """Give every cell of a merged range the value of its first cell; the ranges filled."""
    filled = []
    for (r0, c0), (r1, c1) in ranges:
        top, left = r0 - row0, c0 - col0
        if not (0 <= top < len(cells) and 0 <= left < len(cells[top])):
            continue
        value = cells[top][left]
        for r in range(top, min(r1 - row0, len(cells) - 1) + 1):
            for c in range(left, min(c1 - col0, len(cells[r]) - 1) + 1):
                cells[r][c] = value
        filled.append(((r0, c0), (r1, c1), value))
    return filled


class _EmptyCells:
    """What a cell that calamine reads as empty holds: an Excel error (``#N/A``) or a
    formula whose value was never saved (a file written by a program, not by Excel).
    Opened with openpyxl only when a message needs it."""

    def __init__(self, path: Path, sheet: str, columns: dict[str, int]) -> None:
        self.path, self.sheet, self.columns = path, sheet, columns

    @lru_cache(maxsize=1)  # noqa: B019 - one workbook per reader, dropped with it
    def _sheet(self) -> Any:
        import openpyxl

        return openpyxl.load_workbook(self.path, read_only=True, data_only=False)[self.sheet]

    def __call__(self, row: int, header: str) -> str | None:
        column = self.columns.get(header)
        if column is None:
            return None
        try:
            cell = self._sheet().cell(row=row, column=column + 1)
        except Exception:  # an unreadable workbook part: the plain message stands
            return None
        value = cell.value
        if cell.data_type == "e" or (
            isinstance(value, str) and value.startswith("#") and value.endswith(("!", "A", "?"))
        ):
            return f"the Excel error {value}"
        if cell.data_type == "f" or (isinstance(value, str) and value.startswith("=")):
            return (
                f"a formula with no saved value ({value}); open the file in Excel or WPS and save it, so "
                "that its values are stored"
            )
        return None
