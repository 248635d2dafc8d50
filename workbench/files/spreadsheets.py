"""Text that cannot become a formula in the spreadsheets the workbench writes.

A customer id, scenario name or note that begins with ``=``, ``+``, ``-``,
``@`` (or a tab or carriage return) would run as a formula when a spreadsheet
opens the file (CSV or formula injection). The rule, everywhere:

- in ``.xlsx`` files every text is stored as text (an inline string), never a
  formula, whatever it begins with; the value is unchanged;
- in CSV files such a text gets a leading apostrophe (``'=1+1``), as OWASP
  recommends: Excel and WPS then show it as text, and the apostrophe tells a
  reader it was added.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

RISKY = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def csv_text(value: Any) -> Any:
    """A value for a CSV cell: risky text with a leading apostrophe, the rest as it is."""
    if isinstance(value, str) and value.startswith(RISKY):
        return "'" + value
    return value


def csv_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells cannot become formulas (numbers are untouched)."""
    out = frame.copy()
    for name in out.columns:
        column = out[name]
        if column.dtype == object or pd.api.types.is_string_dtype(column.dtype):
            text = column.astype("str")
            risky = text.str.startswith(RISKY).fillna(False).to_numpy(dtype=bool)
            if risky.any():
                out[name] = text.where(~risky, "'" + text)
    if any(isinstance(c, str) and c.startswith(RISKY) for c in out.columns):
        out.columns = [csv_text(c) for c in out.columns]
    return out


def put(ws: Any, row: int, column: int, value: Any, number_format: str | None = None) -> Any:
    """Write one cell of an openpyxl sheet; text is always stored as text."""
    if hasattr(value, "item"):
        value = value.item()
    cell = ws.cell(row=row, column=column, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    if number_format is not None:
        cell.number_format = number_format
    return cell


def put_row(ws: Any, row: int, values: list[Any], formats: list[str | None] | None = None) -> None:
    for i, value in enumerate(values, start=1):
        put(ws, row, i, value, formats[i - 1] if formats else None)
