"""Formatting numbers and CNY amounts for people: separators, 万 and 亿, signs."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from workbench.text import Lang


def number(value: float, decimals: int = 0) -> str:
    """``1234567.8`` -> ``"1,234,568"``; NaN -> ``"-"``."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    text = f"{value:,.{decimals}f}"
    return "0" if text in ("-0", "-0.0", "-0.00") else text


def trimmed(value: float, decimals: int = 2) -> str:
    """A number with separators and at most ``decimals`` decimals, no trailing zeros."""
    text = number(value, decimals)
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


# One money policy per language, for every output (tables, charts, reports, dialogs):
# Chinese counts in 万 and 亿, English compacts to k, m and bn; both give two decimals in
# the unit (a whole number of the unit shows none), so figures side by side read alike.
_UNITS: dict[str, tuple[tuple[float, str], ...]] = {
    "zh": ((1e8, "亿"), (1e4, "万")),
    "en": ((1e9, "bn"), (1e6, "m"), (1e3, "k")),
}


def _in_unit(v: float, units: tuple[tuple[float, str], ...], decimals: int) -> str | None:
    """``v`` (not negative) in the largest unit it reaches once rounded, or None below all."""
    for index, (size, suffix) in enumerate(units):
        scaled = round(v / size, decimals)
        if scaled >= 1:
            bigger = units[index - 1] if index else None
            if bigger is not None and scaled * size >= bigger[0]:  # 9,999.999万 is 1.00亿
                size, suffix = bigger
            whole = v % size == 0  # exactly 30万, not 29.999,9万 rounded
            return number(v / size, 0 if whole else decimals) + suffix
    return None


def money(value: float, lang: Lang = "en", compact: bool = False) -> str:
    """A CNY amount. Chinese: ``7,887``, ``95.60万``, ``8,121.73万``, ``3.40亿`` (always in
    万 and 亿); English: ``1,234,567``, or compact ``339.90m``, ``4.73bn``, ``300k``."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "-"
    sign = "-" if value < 0 else ""
    v = abs(value)
    if lang == "zh" or compact:
        text = _in_unit(v, _UNITS["zh" if lang == "zh" else "en"], 2)
        if text is not None:
            return sign + text
    text = number(v)
    return "0" if text == "0" else sign + text


def money_column(
    values: Sequence[float], lang: Lang = "en", compact: bool = False, signed: bool = False
) -> list[str]:
    """Amounts that stand in one column, in the unit of the largest (``5,147.90万`` beside
    ``1.57亿`` reads ``0.51亿``), two decimals each; an amount under a tenth of that unit
    keeps its own (``875.19万``, not ``0.09亿``), and zero is ``0``. ``signed``: changes."""
    units = _UNITS["zh" if lang == "zh" else "en"]
    finite = [abs(v) for v in values if v is not None and math.isfinite(v)]
    largest = max(finite, default=0.0)
    scale = None
    if lang == "zh" or compact:
        text = _in_unit(largest, units, 2)
        scale = next(((size, suffix) for size, suffix in units if text and text.endswith(suffix)), None)
    out = []
    for v in values:
        if v is None or not math.isfinite(v):
            out.append("-")
            continue
        one = signed_money(v, lang, compact) if signed else money(v, lang, compact)
        if scale is not None and abs(v) >= scale[0] / 10 and not one.endswith(scale[1]):
            whole = abs(v) % scale[0] == 0
            text = number(abs(v) / scale[0], 0 if whole else 2) + scale[1]
            sign = "-" if v < 0 else ("+" if signed and v > 0 else "")
            one = sign + text
        out.append(one)
    return out


def tick(value: float, lang: Lang = "en") -> str:
    """An axis label: ``100k``, ``1.5m`` / ``10万``, ``1亿`` (no trailing zeros)."""
    sign = "-" if value < 0 else ""
    v = abs(value)
    for size, suffix in _UNITS["zh" if lang == "zh" else "en"]:
        if v >= size:
            return f"{sign}{trimmed(v / size, 2)}{suffix}"
    return sign + trimmed(v, 2)


def signed(value: float, decimals: int = 0) -> str:
    """``+1,245``, ``-1,245``; zero is ``0`` without a sign."""
    text = number(value, decimals)
    if text.lstrip("-").strip("0.,") == "":
        return "0"
    return text if text.startswith("-") else "+" + text


def signed_money(value: float, lang: Lang = "en", compact: bool = False) -> str:
    """A signed CNY amount; zero is ``0``."""
    if round(value, 2) == 0:
        return "0"
    text = money(value, lang, compact)
    return text if text.startswith("-") else "+" + text


def percent(share: float, decimals: int = 1) -> str:
    """``0.0123`` -> ``"1.2%"``."""
    if share is None or (isinstance(share, float) and math.isnan(share)):
        return "-"
    return f"{share * 100:.{decimals}f}%"


def signed_percent_points(delta: float, decimals: int = 1) -> str:
    """A change of share in percentage points: ``+1.2pp``; zero is ``0``."""
    value = round(delta * 100, decimals)
    if value == 0:
        return "0"
    return f"{value:+.{decimals}f}pp"


_SUFFIXES = {"k": 1e3, "m": 1e6, "bn": 1e9, "万": 1e4, "亿": 1e8, "w": 1e4}
_NUMBER = re.compile(r"^\s*([-+]?[\d,_]*\.?\d+)\s*(k|m|bn|万|亿|w)?\s*$", re.IGNORECASE)


def parse_number(text: str) -> float:
    """``300000``, ``300,000``, ``300k``, ``30万``, ``1.5m`` -> float."""
    match = _NUMBER.match(text)
    if not match:
        raise ValueError(text)
    value = float(match.group(1).replace(",", "").replace("_", ""))
    suffix = (match.group(2) or "").lower()
    return value * _SUFFIXES.get(suffix, 1.0)
