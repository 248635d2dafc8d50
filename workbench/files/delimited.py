"""Delimited text (CSV and friends) as Chinese and English bank systems write it.

Text may be UTF-8 (with or without a byte-order mark), UTF-16 (Excel's
"Unicode text") or GB18030/GBK (Chinese spreadsheets), separated by commas,
tabs, semicolons or bars. A UTF-8 file with a few lines in GBK (rows pasted
from another export) is read line by line, each line as it was written, with
a note naming the lines; a line that is neither is an error naming it.
"""

from __future__ import annotations

import csv
import io
import re
import warnings
from pathlib import Path

import pandas as pd

from workbench.errors import PortfolioError
from workbench.files.reading import (
    HEADER_SEARCH_ROWS,
    HeaderScore,
    RawTable,
    duplicate_headers,
    header_row,
    tidy,
)
from workbench.text import Text

SAMPLE_BYTES = 256 * 1024  # read to find the header, the delimiter and the encoding
DELIMITERS = (",", "\t", ";", "|")
DELIMITER_NAMES = {",": "comma", "\t": "tab", ";": "semicolon", "|": "bar"}


MIXED = "mixed"  # UTF-8 with some GB18030 lines: decoded line by line


def _encodings(path: Path) -> tuple[str, ...]:
    """The encodings to try, most likely first. A sample that is not UTF-8 but has lines
    that are (with Chinese in them) is UTF-8 with some lines pasted from a GBK file."""
    with open(path, "rb") as handle:
        head = handle.read(SAMPLE_BYTES)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return ("utf-16",)
    try:
        head.decode("utf-8")
        return ("utf-8-sig", "gb18030")
    except UnicodeDecodeError as exc:
        if len(head) == SAMPLE_BYTES and exc.start >= len(head) - 4:
            return ("utf-8-sig", "gb18030")  # a character cut by the sample's end
    lines = head.split(b"\n")[:-1] if len(head) == SAMPLE_BYTES else head.split(b"\n")
    for line in lines:
        if any(b >= 0x80 for b in line):
            try:
                line.decode("utf-8")
                return (MIXED, "gb18030")
            except UnicodeDecodeError:
                continue
    return ("gb18030",)  # GB18030 reads GBK and GB2312 too


def _sample_rows(path: Path, encoding: str) -> tuple[list[str], str]:
    """The first lines of a text file, and the delimiter they use most consistently."""
    with open(path, "rb") as handle:
        raw = handle.read(SAMPLE_BYTES)
    try:
        if encoding == MIXED:
            text = decode_mixed(raw if len(raw) < SAMPLE_BYTES else raw[: raw.rfind(b"\n") + 1], path.name)[0]
        else:
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


def decode_mixed(data: bytes, name: str) -> tuple[str, list[int]]:
    """UTF-8 text in which some lines are GB18030/GBK: each line decoded as written. Returns
    the text and the numbers of the GB18030 lines; a line that is neither is an error."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    parts: list[str] = []
    gbk: list[int] = []
    pos, line = 0, 1
    while True:
        try:
            parts.append(data[pos:].decode("utf-8"))
            return "".join(parts), gbk
        except UnicodeDecodeError as exc:
            bad = pos + exc.start
        newline = data.rfind(b"\n", pos, bad)
        start = newline + 1 if newline >= 0 else pos
        end = data.find(b"\n", bad)
        end = len(data) if end < 0 else end + 1
        parts.append(data[pos:start].decode("utf-8"))
        line += data.count(b"\n", pos, start)
        try:
            parts.append(data[start:end].decode("gb18030"))
        except UnicodeDecodeError:
            raise PortfolioError(
                f"{name}: line {line} is neither UTF-8 nor GB18030/GBK text; save the file in one encoding "
                "(UTF-8 is best)",
                zh=f"{name}:第 {line} 行既不是 UTF-8 也不是 GB18030/GBK 文本;"
                "请用同一种编码保存文件(最好是 UTF-8)",
            ) from None
        gbk.append(line)
        line += 1
        pos = end


def _read_csv(source: Path | io.StringIO, encoding: str | None, delimiter: str, header: int) -> pd.DataFrame:
    with warnings.catch_warnings():
        # Values beyond the header's columns are checked before; empty ones (a delimiter
        # closing every line) are dropped without a word.
        warnings.simplefilter("ignore", pd.errors.ParserWarning)
        return pd.read_csv(
            source,
            sep=delimiter,
            encoding=encoding,
            dtype=str,
            keep_default_na=False,
            skip_blank_lines=False,
            skiprows=header,
            header=0,
            index_col=False,  # a delimiter at the end of every line is not an index column
        )


def read_text(path: Path, score: HeaderScore, notes: list[Text]) -> RawTable:
    last: Exception | None = None
    for encoding in _encodings(path):
        try:
            lines, delimiter = _sample_rows(path, encoding)
        except UnicodeDecodeError as exc:
            last = exc
            continue
        rows = list(csv.reader(lines, delimiter=delimiter))
        header = header_row(rows, score)
        if header < len(rows):
            duplicate_headers(path.name, rows[header])
        _check_widths(path, rows, header, delimiter)
        try:
            try:
                if encoding == MIXED:
                    raise UnicodeDecodeError("utf-8", b"", 0, 1, "some lines are GB18030")
                frame = _read_csv(path, encoding, delimiter, header)
            except UnicodeDecodeError:
                if encoding not in ("utf-8-sig", MIXED):
                    raise
                text, gbk = decode_mixed(path.read_bytes(), path.name)
                frame = _read_csv(io.StringIO(text), None, delimiter, header)
                shown = ", ".join(str(n) for n in gbk[:8]) + (", ..." if len(gbk) > 8 else "")
                notes.append(
                    Text(
                        f"{path.name} is UTF-8 text but {len(gbk):,} "
                        f"line{'s are' if len(gbk) != 1 else ' is'} GB18030/GBK (line {shown}); "
                        "each line read as it was written",
                        f"{path.name} 是 UTF-8 文本,但有{len(gbk):,}行是 GB18030/GBK 编码(第 {shown} 行);"
                        "每行按其编码读取",
                    )
                )
        except UnicodeDecodeError as exc:
            last = exc
            continue
        except pd.errors.EmptyDataError as exc:
            raise PortfolioError(
                f"{path}: the file is empty; expected a header row", zh=f"{path}:文件是空的;应有表头行"
            ) from exc
        except pd.errors.ParserError as exc:
            raise PortfolioError(_ragged(path, str(exc), delimiter)) from exc
        if encoding == "gb18030":
            notes.append(
                Text(
                    f"{path.name} is GB18030/GBK text (a Chinese spreadsheet's CSV); read as such",
                    f"{path.name} 是 GB18030/GBK 编码的文本(中文表格导出的 CSV),已按此读取",
                )
            )
        if delimiter != ",":
            name = {"\t": ("tabs", "制表符"), ";": ("semicolons", "分号"), "|": ("bars", "竖线")}[delimiter]
            notes.append(
                Text(f"{path.name}: columns separated by {name[0]}", f"{path.name}:各列以{name[1]}分隔")
            )
        if header:
            notes.append(
                Text(
                    f"{path.name}: the header is on line {header + 1}; the lines above it were skipped",
                    f"{path.name}:表头在第 {header + 1} 行,其上各行已跳过",
                )
            )
        titles = tuple(cell.strip() for row in rows[:header] for cell in row if cell.strip())
        table = RawTable(frame, header + 2, None, tuple(notes), titles, path.name, delimiter)
        return tidy(table)
    raise PortfolioError(
        f"{path}: not UTF-8, UTF-16 or GB18030 text ({last})",
        zh=f"{path}:不是 UTF-8、UTF-16 或 GB18030 文本({last})",
    )


def _check_widths(path: Path, rows: list[list[str]], header: int, delimiter: str) -> None:
    """A line (among the first) with values beyond the header's columns is an error: they
    would otherwise be dropped."""
    if header >= len(rows):
        return
    width = len(rows[header])
    for i in range(header + 1, len(rows)):
        if len(rows[i]) > width and any(cell.strip() for cell in rows[i][width:]):
            message = f"Expected {width} fields in line {i + 1}, saw {len(rows[i])}"
            raise PortfolioError(_ragged(path, message, delimiter))


def _ragged(path: Path, message: str, delimiter: str) -> Text:
    """The tokenizer's complaint about a line with too many values, in a planner's words."""
    found = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", message)
    if not found:
        said = message.strip()
        return Text(
            f"{path}: cannot be read as delimited text ({said})", f"{path}:无法按分隔文本读取({said})"
        )
    expected, line, saw = found.groups()
    name = DELIMITER_NAMES[delimiter]
    return Text(
        f"{path}: line {line} has {saw} values but the header names {expected} columns; expected one value "
        f"per column (a {name} inside a value must be in double quotes)",
        f"{path}:第 {line} 行有 {saw} 个值,但表头只有 {expected} 列;"
        "每列应只有一个值(值中的分隔符须放在双引号内)",
    )
