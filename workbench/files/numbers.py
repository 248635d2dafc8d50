"""Amounts as bank exports write them: units, separators, decimal commas.

- A **unit** may be stated in a header (``资产(万元)``, ``AUM (CNY '000)``), in a
  title row above the header (``单位：万元``, ``(金额单位:元)``), in a cell
  (``50万``, ``1.2亿``) or by the user (``--unit``, ``[portfolio] unit``). A
  header's own unit wins over the user's, the user's over a title row's.
  Amounts in another currency are refused: the workbench reads CNY.
- The **number format** (decimal point or decimal comma) is decided once per
  file from the evidence of every amount in it: ``1,234.56`` and ``12.5`` say
  decimal point, ``1.234,56`` and ``300000,50`` say decimal comma; ``1,234``
  says nothing. A file with both is refused; so is a value that fits neither
  (``1,2,3``). ``--decimal`` (``[portfolio] decimal``) settles a file that
  says nothing.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

# The largest amount taken as one customer's: beyond it, sums in fen stop being exact.
MAX_AMOUNT = 1e12


@dataclass(frozen=True)
class Unit:
    """An amount unit: how it was written and how many CNY one of it is."""

    written: str
    factor: float

    @property
    def plain(self) -> bool:
        return self.factor == 1.0


# Chinese units, longest first; "万" and "亿" alone too.
_ZH_UNITS = (
    ("千万元", 1e7),
    ("百万元", 1e6),
    ("十万元", 1e5),
    ("亿元", 1e8),
    ("万元", 1e4),
    ("千元", 1e3),
    ("千万", 1e7),
    ("百万", 1e6),
    ("亿", 1e8),
    ("万", 1e4),
    ("元", 1.0),
)
_CNY = r"(?:cny|rmb|yuan|人民币|¥|￥)"
_EN_UNITS = (
    (re.compile(rf"^(?:{_CNY}\s*)?(?:'?000s?|thousands?|k)(?:\s*(?:of\s*)?{_CNY})?$"), 1e3),
    (re.compile(rf"^(?:thousands?\s*(?:of\s*)?{_CNY}|{_CNY}\s*thousands?)$"), 1e3),
    (re.compile(rf"^(?:{_CNY}\s*)?(?:mn|mio|millions?|m)(?:\s*(?:of\s*)?{_CNY})?$"), 1e6),
    (re.compile(rf"^(?:{_CNY}\s*)?(?:bn|billions?)(?:\s*(?:of\s*)?{_CNY})?$"), 1e9),
    (re.compile(rf"^(?:in\s*)?{_CNY}$"), 1.0),
)
_FOREIGN = re.compile(
    r"美元|美金|港币|港元|欧元|日元|英镑|澳元|加元|新加坡元|\busd\b|\bus\$|\bhkd\b|\beur\b|\bjpy\b|\bgbp\b|"
    r"\baud\b|\bcad\b|\bsgd\b|dollars?|euros?",
    re.IGNORECASE,
)
_BRACKETS = re.compile(r"[（(\[【]\s*([^)）\]】]*?)\s*[)）\]】]")


def parse_unit(text: str) -> Unit | None:
    """A unit written on its own (``万元``, ``thousand CNY``, ``元``), or None."""
    t = re.sub(
        r"^(?:单位|金额单位|货币单位|unit|units|amounts?|金额)\s*[:：]?\s*", "", text.strip(), flags=re.I
    )
    t = re.sub(r"^(?:人民币|rmb\s*|cny\s*)(?=[千百十万亿元])", "", t, flags=re.I).strip()
    for written, factor in _ZH_UNITS:
        if t == written:
            return Unit(text.strip(), factor)
    low = re.sub(r"\s+", " ", t.lower()).strip(" .")
    for pattern, factor in _EN_UNITS:
        if pattern.match(low):
            return Unit(text.strip(), factor)
    return None


class UnitProblem(ValueError):
    """A unit that the workbench must not guess: another currency, or unreadable."""


def foreign(text: str) -> bool:
    return bool(_FOREIGN.search(text))


def header_unit(header: str) -> Unit | None:
    """The unit a header states for its own values, or None. Raises ``UnitProblem`` for a
    currency other than CNY."""
    text = str(header)
    for inside in _BRACKETS.findall(text):
        unit = parse_unit(inside)
        if unit is not None:
            return unit
        if foreign(inside):
            raise UnitProblem(inside)
    # a trailing unit: 日均资产万元, 日均资产_万元, 资产-元 (but not a word that ends in 万)
    stripped = _BRACKETS.sub("", text).strip()
    for written, factor in _ZH_UNITS:
        if len(written) > 1 and stripped.endswith(written) and len(stripped) > len(written):
            return Unit(written, factor)
    if foreign(stripped):
        raise UnitProblem(stripped)
    return None


_STATEMENT = re.compile(
    r"(?:金额单位|货币单位|单位|unit|units|amounts? in|in)\s*[:：]?\s*([^,，;；)）]{1,20})", re.IGNORECASE
)


def statement_unit(cells: list[str]) -> tuple[Unit, str] | None:
    """The unit a title row states for every amount (``单位：万元``), with the cell that says
    it; None when none does. Raises ``UnitProblem`` naming a unit it cannot take."""
    for cell in cells:
        text = str(cell).strip()
        if not text or len(text) > 80:
            continue
        for found in _STATEMENT.finditer(text):
            said = found.group(1).strip()
            unit = parse_unit(said)
            if unit is not None:
                return Unit(said, unit.factor), text
            if foreign(said):
                raise UnitProblem(text)
            if found.group(0).lower().startswith(("单位", "金额单位", "货币单位", "unit")):
                raise UnitProblem(text)
    return None


# -- number formats ----------------------------------------------------------------

_PLAIN_INT = r"[-+]?\d+"
POINT_ONLY = re.compile(r"^[-+]?(?:\d+\.\d{1,2}|\d+\.\d{4,}|\d{1,3}(?:,\d{3})+\.\d+|\d{1,3}(?:,\d{3}){2,})$")
COMMA_ONLY = re.compile(r"^[-+]?(?:\d+,\d{1,2}|\d+,\d{4,}|\d{1,3}(?:\.\d{3})+,\d+|\d{1,3}(?:\.\d{3}){2,})$")
POINT_FORM = re.compile(r"^[-+]?(?:\d+(?:\.\d+)?|\d{1,3}(?:,\d{3})+(?:\.\d+)?|\.\d+)$")
COMMA_FORM = re.compile(r"^[-+]?(?:\d+(?:,\d+)?|\d{1,3}(?:\.\d{3})+(?:,\d+)?|,\d+)$")
_SPACES = re.compile(r"[\s\u00a0\u202f'’_]")
_CURRENCY = re.compile(r"^(?:cny|rmb|人民币|¥|￥)\s*|\s*(?:元|cny|rmb)$", re.IGNORECASE)
_CELL_UNIT = re.compile(r"^(.*?)\s*(亿元|万元|千元|亿|万|千)$")


@dataclass(frozen=True)
class Evidence:
    """What a file's amounts say about its number format: a row where each form was seen."""

    point: tuple[str, int, str] | None = None  # (column, row index, value)
    comma: tuple[str, int, str] | None = None


def strip_decoration(text: pd.Series) -> pd.Series:
    """Amount text without currency signs, 元 and grouping spaces (a unit suffix stays)."""
    out = text.str.strip().str.replace(_CURRENCY, "", regex=True)
    return out.str.replace(_SPACES, "", regex=True)


def evidence(column: str, text: pd.Series) -> Evidence:
    """Where a column's values say decimal point or decimal comma, if anywhere."""
    core = text.str.replace(_CELL_UNIT, r"\1", regex=True)
    found: dict[str, tuple[str, int, str] | None] = {}
    for name, pattern in (("point", POINT_ONLY), ("comma", COMMA_ONLY)):
        hits = np.flatnonzero(core.str.fullmatch(pattern).to_numpy(dtype=bool, na_value=False))
        found[name] = (column, int(hits[0]), str(text.iloc[int(hits[0])])) if len(hits) else None
    return Evidence(found["point"], found["comma"])


def combine(a: Evidence, b: Evidence) -> Evidence:
    return Evidence(a.point or b.point, a.comma or b.comma)


def to_amounts(text: pd.Series, decimal: str) -> tuple[np.ndarray, np.ndarray]:
    """Amount text as float64 CNY (before any header or file unit) under ``decimal``
    (``"."`` or ``","``); cell units (``50万``, ``1.2亿``) applied. NaN where a value is no
    amount in that format."""
    unit = text.str.extract(_CELL_UNIT)
    has_unit = unit[1].notna().to_numpy().copy()
    core = text.where(~has_unit, unit[0])
    form = POINT_FORM if decimal == "." else COMMA_FORM
    ok = core.str.fullmatch(form).to_numpy(dtype=bool, na_value=False)
    if decimal == ".":
        cleaned = core.str.replace(",", "", regex=False)
    else:
        cleaned = core.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
    values = pd.to_numeric(cleaned.where(ok, None), errors="coerce").to_numpy(
        dtype=np.float64, na_value=np.nan
    )
    if has_unit.any():
        factors = unit[1].map({"亿元": 1e8, "亿": 1e8, "万元": 1e4, "万": 1e4, "千元": 1e3, "千": 1e3})
        values = values * factors.fillna(1.0).to_numpy(dtype=np.float64)
    return values, has_unit


def finite_amount(value: float) -> bool:
    return math.isfinite(value) and abs(value) <= MAX_AMOUNT
