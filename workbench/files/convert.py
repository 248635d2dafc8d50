"""Converting a raw table's cells to typed canonical columns, naming every bad value.

Amounts are ``files.amounts``' (every amount to the fen, finite, at least 0). Yes/no
columns take the standard spellings (是/否, true/false, 1/0, ...) and a
column's own; placeholders such as ``NULL``, ``-``, ``无`` or ``0`` in a
household or tier column mean "none". Problems are collected and reported at
once, each with the file (and sheet), row, column, what was found and what
was expected.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import replace

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from workbench.core.ids import numbers_and_shape, repeats
from workbench.errors import PortfolioError
from workbench.files.amounts import convert_amounts, decide_decimal, file_unit
from workbench.files.cells import Problems, Reading, as_text
from workbench.files.reading import give_back_memory
from workbench.scheme.columns import BOOL_ALIASES
from workbench.scheme.model import Column
from workbench.text import Text, place

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


# -- text ---------------------------------------------------------------------------------


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
    if len(table) and table.min() >= -128 and table.max() < 128:
        table = table.astype(np.int8)  # a tenth of the memory to fill for millions of rows
    return table[codes]  # code -1 (missing) takes the last entry: the empty value


def without_placeholders(text: pd.Series, reading: Reading, header: str) -> pd.Series:
    """``NULL``, ``-``, ``无``, ``0`` ... read as empty, with a note saying how many (a
    categorical column: its few categories are read, not every row)."""
    categorical = isinstance(text.dtype, pd.CategoricalDtype)
    if categorical:
        labels = pd.Series(text.cat.categories.astype(str), dtype="str")
        said = np.append(labels.str.lower().isin(PLACEHOLDERS).to_numpy(), False)
        if not said.any():
            return text
        codes = text.cat.codes.to_numpy()
        placeholder = said[np.where(codes < 0, len(said) - 1, codes)]
    else:
        shaped = numbers_and_shape([text])
        if shaped is not None and shaped[1] not in (None, (b"", 1)):
            return text  # a prefix and digits, or several digits (H0000123): no placeholder
        placeholder = text.str.lower().isin(PLACEHOLDERS).to_numpy()
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
    if categorical:
        kept = [("" if gone else str(label)) for label, gone in zip(labels, said[:-1], strict=True)]
        merged, categories = pd.factorize(pd.Series([*kept, ""], dtype=object))
        return pd.Series(pd.Categorical.from_codes(merged[np.where(codes < 0, len(kept), codes)], categories))
    return text.astype(str).where(~placeholder, "").astype(text.dtype)


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
    return pd.Categorical.from_codes(codes.astype(np.int8, copy=False), categories=categories, ordered=True)


# -- the frame --------------------------------------------------------------------------------


def convert_frame(
    raw: pd.DataFrame,
    mapping: Mapping[str, str],
    columns: Mapping[str, Column],
    reading: Reading,
    *,
    owned: bool = False,
    problems: Problems | None = None,
) -> tuple[pd.DataFrame, list[str]]:
    """The canonical, typed frame and the money columns converted from another unit;
    raises ``PortfolioError`` listing bad values (or adds them to ``problems``, for a file
    converted a few columns at a time, to raise once at the end). An ``owned`` frame (the
    reader's own, nobody else's) gives up each column as it is converted, its memory reused or freed:
    the file is not held twice. Amount columns are converted on other threads meanwhile;
    each column keeps its own problems and notes, merged in the columns' order (the same
    report as one column after another)."""
    _check_merges(mapping, columns, reading)
    amounts = [h for h, c in mapping.items() if columns[c].kind in ("money", "number")]
    decimal = decide_decimal(raw, amounts, reading)
    money = any(columns[mapping[h]].kind == "money" for h in amounts)
    unit = file_unit(reading) if money else (None, Text("", ""))

    def take(header: str) -> pd.Series:
        return (raw.pop(header) if owned else raw[header]).reset_index(drop=True)

    def amount(header: str, series: pd.Series) -> Converted:
        own = replace(reading, notes=[])
        problems = Problems(own)
        column = mapping[header]
        values = convert_amounts(
            series, header, column, columns[column], own, problems, decimal, unit, reuse=owned
        )
        del series
        if owned:
            give_back_memory()  # the raw column's Arrow memory, before the next is converted
        return values, problems, own.notes

    pending = {h: _POOL.submit(amount, h, take(h)) for h in amounts}
    converted: dict[str, Converted | Future[Converted]] = dict(pending)
    for header, column in mapping.items():
        if header not in pending:
            text = reading.text(raw, header) if columns[column].kind in ("id", "text", "tier") else None
            converted[header] = _convert(header, column, columns[column], take(header), text, reading)
            if owned:
                give_back_memory()
    found_here = Problems(reading) if problems is None else problems
    out: dict[str, object] = {}
    scaled: list[str] = []
    for header, column in mapping.items():
        done = converted[header]
        values, found, notes = done.result() if isinstance(done, Future) else done
        out[column] = values
        found_here.absorb(found)
        reading.notes.extend(notes)
        if header in pending and any("converted to CNY" in n.en for n in notes):
            scaled.append(column)
    if problems is None:
        found_here.raise_if_any()
    return pd.DataFrame(out, copy=False), scaled


Converted = tuple[object, Problems, list[Text]]
_POOL = ThreadPoolExecutor(max_workers=2, thread_name_prefix="workbench-convert")


def _convert(
    header: str, column: str, spec: Column, series: pd.Series, text: pd.Series | None, reading: Reading
) -> Converted:
    """One column other than amounts, with its own problems and notes."""
    own = replace(reading, notes=[])
    problems = Problems(own)
    values: object = None
    if spec.kind == "bool":
        values = convert_bool(series, spec, header, problems)
    elif spec.kind == "category":
        values = convert_category(series, spec, header, problems)
    elif text is not None:
        if column == "household_id" or spec.kind == "tier":
            text = without_placeholders(text, own, header)
        if spec.kind == "id":
            _check_keys(text, header, column, series, problems)
        values = text
    return values, problems, own.notes


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
