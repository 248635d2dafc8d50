"""Converting a raw table's cells to typed canonical columns, naming every bad value.

Amounts follow ``files.numbers`` (units, number format); every amount is
kept to the fen, must be finite, at least 0 and at most ``MAX_AMOUNT``. Yes/no
columns take the standard spellings (是/否, true/false, 1/0, ...) and a
column's own; placeholders such as ``NULL``, ``-``, ``无`` or ``0`` in a
household or tier column mean "none". Problems are collected and reported at
once, each with the file (and sheet), row, column, what was found and what
was expected.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from workbench.core.ids import numbers_and_shape, repeats
from workbench.core.portfolio import row_number
from workbench.errors import PortfolioError
from workbench.files import numbers
from workbench.files.problem_words import chinese
from workbench.files.reading import EmptyCells, Merge
from workbench.fmt import trimmed
from workbench.scheme.columns import BOOL_ALIASES
from workbench.scheme.model import Column
from workbench.text import Text, place

MAX_REPORTED_PROBLEMS = 8
YES_NO = "yes/no (是/否, true/false, 1/0)"
# Written where a household or a manual tier is meant to be absent.
PLACEHOLDERS = frozenset(
    {
        "null",
        "none",
        "nan",
        "n/a",
        "na",
        "#n/a",
        "-",
        "--",
        "—",
        "/",
        "无",
        "空",
        "没有",
        "0",
        "nil",
        "(null)",
    }
)


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


# -- text ---------------------------------------------------------------------------------


def as_text(series: pd.Series) -> pd.Series:
    """Text as (Arrow-backed) strings: missing is empty, surrounding space stripped,
    whole numbers read as floats (``1001.0``) written as ``1001``. Categorical columns
    (Parquet dictionaries) stay categorical: their few categories are cleaned, not every row."""
    if isinstance(series.dtype, pd.CategoricalDtype):
        labels = [*as_text(pd.Series(series.cat.categories)).tolist(), ""]
        merged, categories = pd.factorize(pd.Series(labels, dtype=object))  # cleaning can merge some
        codes = series.cat.codes.to_numpy()
        rows = merged[np.where(codes < 0, len(labels) - 1, codes)]
        return pd.Series(pd.Categorical.from_codes(rows, categories=categories))
    if series.dtype.kind == "f":
        whole = series.notna() & (series == series.round())
        text = series.astype("str").where(~whole, series.where(whole).astype("Int64").astype("str"))
    elif series.dtype == object:
        text = series.map(_cell_str, na_action="ignore").astype("str")
    else:
        text = series.astype("str")
    return text.fillna("").str.strip()


def _cell_str(value: object) -> str:
    """A workbook cell as text: whole floats without ``.0``, dates as ISO dates."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()[:10]
    return str(value)


def has_duplicates(text: pd.Series) -> bool:
    """Whether any value repeats: sorting with Arrow, then comparing neighbours, takes a
    fraction of the time of hashing millions of strings."""
    if len(text) < 2:
        return False
    quick = repeats(text) if not isinstance(text.dtype, pd.CategoricalDtype) else None
    if quick is not None:  # ids that are numbers in disguise: integers compared, not strings
        return quick
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
    text = as_text(series)
    if isinstance(text.dtype, pd.CategoricalDtype):
        codes, uniques = text.cat.codes.to_numpy(), text.cat.categories
    else:
        codes, uniques = pd.factorize(text, use_na_sentinel=True)
    table = np.array([translate(str(u).lower()) for u in uniques] + [translate("")], dtype=np.int64)
    return table[codes]  # code -1 (missing) takes the last entry: the empty value


def without_placeholders(text: pd.Series, reading: Reading, header: str) -> pd.Series:
    """``NULL``, ``-``, ``无``, ``0`` ... read as empty, with a note saying how many."""
    if not isinstance(text.dtype, pd.CategoricalDtype):
        shaped = numbers_and_shape([text])
        if shaped is not None and shaped[1] not in (None, (b"", 1)):
            return text  # a prefix and digits, or several digits (H0000123): no placeholder
    normal = (
        text.str.lower() if not isinstance(text.dtype, pd.CategoricalDtype) else text.astype(str).str.lower()
    )
    placeholder = normal.isin(PLACEHOLDERS).to_numpy()
    if not placeholder.any():
        return text
    found = sorted(set(text[placeholder].astype(str)))
    count, values = int(placeholder.sum()), ", ".join(repr(v) for v in found[:5])
    reading.notes.append(
        Text(
            f"{reading.where}: {count:,} cell{'s' if count != 1 else ''} of column {header} hold {values}: "
            "read as none (no household or tier)",
            f"{place(reading.where).zh}:{header} 列有{count:,}个单元格为 {values}:视为空(无家庭或等级)",
        )
    )
    cleaned = text.astype(str).where(~placeholder, "")
    return cleaned.astype(text.dtype) if not isinstance(text.dtype, pd.CategoricalDtype) else cleaned


# -- amounts --------------------------------------------------------------------------------


def decide_decimal(raw: pd.DataFrame, headers: list[str], reading: Reading) -> str:
    """The file's decimal mark from the evidence of all its amounts (see ``files.numbers``)."""
    if reading.decimal:
        return reading.decimal
    seen = numbers.Evidence()
    ambiguous: tuple[str, int, str] | None = None
    for header in headers:
        series = raw[header]
        if series.dtype != object and not pd.api.types.is_string_dtype(series.dtype):
            continue
        text = numbers.strip_decoration(as_text(series))
        seen = numbers.combine(seen, numbers.evidence(header, text))
        if ambiguous is None:
            hits = np.flatnonzero(text.str.contains(r"^\d{1,3}[.,]\d{3}$", regex=True).to_numpy(dtype=bool))
            if len(hits):
                ambiguous = (header, int(hits[0]), str(text.iloc[int(hits[0])]))
    if seen.point and seen.comma:
        (c1, r1, v1), (c2, r2, v2) = seen.point, seen.comma
        row1, row2 = reading.row(r1), reading.row(r2)
        raise PortfolioError(
            f"{reading.where}: amounts are written two ways: row {row1}, column {c1} has {v1!r} "
            f"(a decimal point) and row {row2}, column {c2} has {v2!r} (a decimal comma); write "
            "every amount the same way",
            zh=f"{place(reading.where).zh}:金额有两种写法:第 {row1} 行 {c1} 列是 {v1!r}(句点作小数点),"
            f"第 {row2} 行 {c2} 列是 {v2!r}(逗号作小数点);请统一写法",
        )
    if seen.comma:
        column, row, value = seen.comma
        reading.notes.append(
            Text(
                f"{reading.where}: amounts use a decimal comma ({value!r} on row {reading.row(row)}, column "
                f"{column}); read 1.234,56 as 1234.56",
                f"{place(reading.where).zh}:金额以逗号作小数点"
                f"(第 {reading.row(row)} 行 {column} 列的 {value!r});1.234,56 读作 1234.56",
            )
        )
        return ","
    if not seen.point and ambiguous and reading.delimiter == ";":
        column, row, value = ambiguous
        raise PortfolioError(
            f"{reading.where}: row {reading.row(row)}, column {column} has {value!r}, which is a thousand or "
            "one and a fraction depending on the decimal mark, and no amount in the file tells which; give "
            "the decimal mark",
            settle="decimal",
            zh=f"{place(reading.where).zh}:第 {reading.row(row)} 行 {column} 列的 {value!r} "
            "因小数点不同可读作一千"
            "或一点几,文件中没有金额能说明是哪一种;请指定小数点",
        )
    return "."


GIVEN = Text("given", "指定")


def file_unit(reading: Reading) -> tuple[numbers.Unit | None, Text]:
    """The unit every amount without its own is in: the user's, else a title row's."""
    try:
        stated = numbers.statement_unit(list(reading.titles))
    except numbers.UnitProblem as exc:
        if reading.unit is not None:
            return reading.unit, GIVEN
        raise PortfolioError(
            f"{reading.where}: the title says {exc!s} and the workbench reads amounts in CNY; convert them, "
            "or give the unit of the amounts",
            settle="unit",
            zh=f"{place(reading.where).zh}:标题注明 {exc!s},工作台只读人民币金额;请先换算,或指定金额的单位",
        ) from None
    if reading.unit is not None:
        if stated is not None and stated[0].factor != reading.unit.factor:
            reading.notes.append(
                Text(
                    f"{reading.where}: the title says {stated[1]!r}, but the unit given is "
                    f"{reading.unit.written}: the unit given is used",
                    f"{place(reading.where).zh}:标题写的是 {stated[1]!r},但指定的单位是 "
                    f"{reading.unit.written}:按指定的单位读取",
                )
            )
        return reading.unit, GIVEN
    if stated is None:
        return None, Text("", "")
    return stated[0], Text(f"the title says {stated[1]!r}", f"标题注明 {stated[1]!r}")


def convert_amounts(
    series: pd.Series,
    header: str,
    column: str,
    spec: Column,
    reading: Reading,
    problems: Problems,
    decimal: str,
    unit: tuple[numbers.Unit | None, Text],
) -> np.ndarray:
    """A money or number column as float64 (money in CNY to the fen), bad values reported."""
    what = "an amount in CNY" if spec.kind == "money" else "a number"
    factor, source = 1.0, Text("", "")
    if spec.kind == "money":
        try:
            own = numbers.header_unit(header)
        except numbers.UnitProblem as exc:
            raise PortfolioError(
                f"{reading.where}: column {header} is in {exc}; the workbench reads amounts in CNY: convert "
                "them first",
                zh=f"{place(reading.where).zh}:{header} 列是 {exc};工作台只读人民币金额:请先换算",
            ) from None
        if own is not None:
            factor, source = own.factor, Text(f"its header says {own.written}", f"表头注明 {own.written}")
        elif unit[0] is not None:
            factor, source = unit[0].factor, unit[1]
    if pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(series.dtype):
        values = series.to_numpy(dtype=np.float64, na_value=np.nan)
        cell_units = np.zeros(len(values), dtype=bool)
    else:
        numeric = series.map(_plain_number, na_action="ignore") if series.dtype == object else None
        text = numbers.strip_decoration(as_text(series))
        values, cell_units = numbers.to_amounts(text, decimal)
        if numeric is not None:
            given = numeric.notna().to_numpy()
            values = np.where(given, numeric.to_numpy(dtype=np.float64, na_value=np.nan), values)
            cell_units &= ~given
    # the extremes first (reductions, no temporaries): rows are looked for only when some are wrong
    none = np.empty(0, dtype=np.intp)
    low, high = (float(np.fmin.reduce(values)), float(np.fmax.reduce(values))) if len(values) else (0.0, 0.0)
    missing = np.isnan(values)
    bad = np.flatnonzero(missing) if missing.any() else none
    if len(bad):
        problems.add(header, column, bad, f"{what} (0 for none)", series)
    reach = max(abs(low), abs(high)) if not (np.isnan(low) or np.isnan(high)) else 0.0
    huge = (
        np.flatnonzero(
            ~np.isnan(values) & (np.abs(values * np.where(cell_units, 1.0, factor)) > numbers.MAX_AMOUNT)
        )
        if reach * max(factor, 1.0) > numbers.MAX_AMOUNT
        else none
    )
    if len(huge):
        limit = trimmed(numbers.MAX_AMOUNT, 0)
        problems.add(
            header,
            column,
            huge,
            f"a finite {what.removeprefix('an ').removeprefix('a ')} up to {limit}",
            series,
        )
    negative = np.flatnonzero(values < 0) if low < 0 else none
    if len(negative):
        problems.add(header, column, negative, f"{what} >= 0", series)
    if factor != 1.0:
        values = np.where(cell_units, values, values * factor)
        reading.notes.append(
            Text(
                f"{reading.where}: column {header} is in units of {trimmed(factor, 0)} CNY ({source.en}): "
                "converted to CNY",
                f"{place(reading.where).zh}:{header} 列的单位是 {trimmed(factor, 0)} 元({source.zh}):"
                "已换算为元",
            )
        )
    if cell_units.any():
        first = int(np.flatnonzero(cell_units)[0])
        example, row = as_text(series).iloc[first], reading.row(first)
        reading.notes.append(
            Text(
                f"{reading.where}: column {header} has amounts written with 万 or 亿 (e.g. {example!r} on "
                f"row {row}): read as written",
                f"{place(reading.where).zh}:{header} 列有带“万”或“亿”的金额"
                f"(如第 {row} 行的 {example!r}):按所写读取",
            )
        )
    if spec.kind == "money":
        # every amount to the fen, one rule for comparing (in place when the array is ours)
        values = np.round(values, 2, out=values) if values.flags.owndata else np.round(values, 2)
    return values


def _plain_number(value: object) -> float | None:
    """A workbook's numeric cell as it is (None for text, dates and booleans)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float | np.integer | np.floating):
        return float(value)
    return None


# -- yes/no and categories ------------------------------------------------------------------


def convert_bool(series: pd.Series, spec: Column, header: str, problems: Problems) -> np.ndarray:
    if pd.api.types.is_bool_dtype(series.dtype):
        return series.to_numpy(dtype=bool, na_value=False)
    if pd.api.types.is_numeric_dtype(series.dtype):
        values = series.to_numpy(dtype=np.float64, na_value=np.nan)
        bad = np.flatnonzero(~np.isin(values, (0.0, 1.0)))
        if len(bad):
            problems.add(header, spec.name, bad, YES_NO, series)
        return values == 1.0
    meaning = {"true": 1, "false": 0}
    aliases = {**BOOL_ALIASES, **{k.lower(): v for k, v in spec.value_aliases.items()}}
    codes = _codes_by_unique_value(series, lambda v: meaning.get(aliases.get(v, ""), -1))
    bad = np.flatnonzero(codes < 0)
    if len(bad):
        problems.add(header, spec.name, bad, YES_NO, series)
    return codes == 1


def convert_category(series: pd.Series, spec: Column, header: str, problems: Problems) -> pd.Categorical[str]:
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


# -- the frame --------------------------------------------------------------------------------


def convert_frame(
    raw: pd.DataFrame, mapping: Mapping[str, str], columns: Mapping[str, Column], reading: Reading
) -> tuple[pd.DataFrame, list[str]]:
    """The canonical, typed frame and the money columns converted from another unit;
    raises ``PortfolioError`` listing bad values."""
    problems = Problems(reading)
    _check_merges(mapping, columns, reading)
    amounts = [h for h, c in mapping.items() if columns[c].kind in ("money", "number")]
    decimal = decide_decimal(raw, amounts, reading)
    money = any(columns[mapping[h]].kind == "money" for h in amounts)
    unit = file_unit(reading) if money else (None, Text("", ""))
    out: dict[str, object] = {}
    scaled: list[str] = []
    for header, column in mapping.items():
        spec = columns[column]
        series = raw[header].reset_index(drop=True)
        if spec.kind in ("money", "number"):
            before = len(reading.notes)
            out[column] = convert_amounts(series, header, column, spec, reading, problems, decimal, unit)
            if any("converted to CNY" in n.en for n in reading.notes[before:]):
                scaled.append(column)
        elif spec.kind == "bool":
            out[column] = convert_bool(series, spec, header, problems)
        elif spec.kind == "category":
            out[column] = convert_category(series, spec, header, problems)
        else:
            text = reading.text(raw, header)
            if column == "household_id" or spec.kind == "tier":
                text = without_placeholders(text, reading, header)
            if spec.kind == "id":
                _check_keys(text, header, column, series, problems)
            out[column] = text
    problems.raise_if_any()
    return pd.DataFrame(out, copy=False), scaled


def _check_keys(text: pd.Series, header: str, column: str, series: pd.Series, problems: Problems) -> None:
    empty = np.flatnonzero((text == "").to_numpy())
    if len(empty):
        problems.add(header, column, empty, "a customer key", series)
    if has_duplicates(text):  # then find which rows repeat an earlier one
        repeated = text.duplicated(keep="first").to_numpy() & (text != "").to_numpy()
        duplicated = np.flatnonzero(repeated)
        if len(duplicated):
            first = pd.Series(np.arange(len(text))).groupby(text.to_numpy()).transform("first").to_numpy()
            reading = problems.reading

            def earlier(i: int) -> str:
                return f", already on row {reading.row(int(first[i]))}"

            problems.add(header, column, duplicated, "a key not used on an earlier row", series, earlier)


def _check_merges(mapping: Mapping[str, str], columns: Mapping[str, Column], reading: Reading) -> None:
    """Merged cells: a household id or a text reaches every row it covers (noted); one amount
    merged over several customers cannot be split between them (refused)."""
    for merge in reading.merges:
        column = mapping.get(merge.column)
        if column is None:
            continue
        cells = f"column {merge.column}, rows {merge.first_row}-{merge.last_row}"
        if columns[column].kind in ("money", "number", "id"):
            raise PortfolioError(
                f"{reading.where}: {cells} are merged into one cell ({merge.value!r}); each customer needs "
                "a value of their own: unmerge the cells and fill in every row",
                zh=f"{place(reading.where).zh}:{cells} 合并成了一个单元格({merge.value!r});"
                "每位客户需要自己的值:"
                "请取消合并并填满每一行",
            )
        reading.notes.append(
            Text(
                f"{reading.where}: {cells} are merged: {merge.value!r} read for each of those rows",
                f"{place(reading.where).zh}:{cells} 是合并单元格:这些行都读作 {merge.value!r}",
            )
        )


def _missing(value: object) -> bool:
    """Whether a scalar cell is a missing value (NaN, NaT, pd.NA)."""
    if value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float | np.floating) and bool(np.isnan(value))
