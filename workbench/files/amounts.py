"""Money and number columns: the decimal mark, the unit and each amount to the fen.

Amounts follow ``files.numbers`` (units, number format); every amount is kept to
the fen, must be finite, at least 0 and at most ``MAX_AMOUNT``; bad values are
collected in ``Problems`` with their rows.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
from numba import njit

from workbench.errors import PortfolioError
from workbench.files import numbers
from workbench.files.cells import Problems, Reading, as_text
from workbench.fmt import trimmed
from workbench.scheme.model import Column
from workbench.text import Text, place


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
    *,
    reuse: bool = False,
) -> np.ndarray:
    """A money or number column as float64 (money in CNY to the fen), bad values reported.
    With ``reuse`` the column's own memory (nobody else's) takes the amounts in fen."""
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
        quick = _numeric_amounts(series, factor, fen=spec.kind == "money")
        if quick is not None:  # all finite, >= 0, within bounds: scaled and to the fen already
            if factor != 1.0:
                reading.notes.append(_converted_note(reading, header, factor, source))
            return quick
        values = _floats(series)
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
        reading.notes.append(_converted_note(reading, header, factor, source))
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
        values = to_fen(values, values if values.flags.owndata or (reuse and _writable(values)) else None)
    return values


def _converted_note(reading: Reading, header: str, factor: float, source: Text) -> Text:
    return Text(
        f"{reading.where}: column {header} is in units of {trimmed(factor, 0)} CNY ({source.en}): "
        "converted to CNY",
        f"{place(reading.where).zh}:{header} 列的单位是 {trimmed(factor, 0)} 元({source.zh}):已换算为元",
    )


def _numeric_amounts(series: pd.Series, factor: float, *, fen: bool) -> np.ndarray | None:
    """A numeric column's values times ``factor`` (to the fen when ``fen``), checked in
    the same compiled pass per chunk: None when any value is missing, negative or too
    large (the caller then names the rows)."""
    out = np.empty(len(series), dtype=np.float64)
    at = 0
    for chunk in _float_chunks(series):
        if not _scaled_within(chunk, out[at : at + len(chunk)], factor, fen, numbers.MAX_AMOUNT):
            return None
        at += len(chunk)
    return out


def _float_chunks(series: pd.Series) -> list[np.ndarray]:
    """A numeric column as float64 arrays (missing: NaN), Arrow's chunks without a copy
    where they have no nulls."""
    if not (isinstance(series.dtype, pd.ArrowDtype) and pa.types.is_float64(series.dtype.pyarrow_dtype)):
        return [series.to_numpy(dtype=np.float64, na_value=np.nan)]
    arrow = pa.array(series.array)
    chunks = arrow.chunks if isinstance(arrow, pa.ChunkedArray) else [arrow]
    return [chunk.to_numpy(zero_copy_only=False) for chunk in chunks]  # nulls: NaN


@njit(nogil=True, cache=True)
def _scaled_within(  # pragma: no cover - compiled
    values: np.ndarray, out: np.ndarray, factor: float, fen: bool, limit: float
) -> bool:
    """``out = values * factor`` (then ``rint(x * 100) / 100``, numpy's ``round(x, 2)``,
    when ``fen``); False when a value is NaN, below 0 or beyond ``limit`` after scaling.
    (One flag for all rows, no early exit: the loop stays vectorised.)"""
    bad = False
    for i in range(len(values)):
        value = values[i]
        scaled = value * factor
        bad |= not (value >= 0.0 and abs(scaled) <= limit)  # NaN fails both
        out[i] = np.rint(scaled * 100.0) / 100.0 if fen else scaled
    return not bad


def _floats(series: pd.Series) -> np.ndarray:
    """A numeric column as float64 (missing: NaN); Arrow's floats copied once, chunk by chunk."""
    if not (isinstance(series.dtype, pd.ArrowDtype) and pa.types.is_float64(series.dtype.pyarrow_dtype)):
        return series.to_numpy(dtype=np.float64, na_value=np.nan)
    arrow = pa.array(series.array)
    out, at = np.empty(len(series), dtype=np.float64), 0
    for chunk in arrow.chunks if isinstance(arrow, pa.ChunkedArray) else [arrow]:
        out[at : at + len(chunk)] = chunk.to_numpy(zero_copy_only=False)  # nulls: NaN
        at += len(chunk)
    return out


def _writable(values: np.ndarray) -> bool:
    """Whether ``values`` can take writes: pandas hands out its own arrays read-only."""
    try:
        values.flags.writeable = True
    except ValueError:  # a view of memory that is not writable (Arrow's, a file's)
        return False
    return True


def to_fen(values: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """``np.round(values, 2)`` in one compiled pass (numpy's own rule: ``rint(v * 100) /
    100``, the same floats; tested)."""
    out = np.empty_like(values) if out is None else out
    _to_fen(values, out)
    return out


@njit(nogil=True, cache=True)
def _to_fen(values: np.ndarray, out: np.ndarray) -> None:  # pragma: no cover - compiled
    for i in range(len(values)):
        out[i] = np.rint(values[i] * 100.0) / 100.0


def _plain_number(value: object) -> float | None:
    """A workbook's numeric cell as it is (None for text, dates and booleans)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float | np.integer | np.floating):
        return float(value)
    return None
