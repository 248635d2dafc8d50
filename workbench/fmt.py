"""Formatting numbers and CNY amounts for people: separators, 万 and 亿, signs."""

from __future__ import annotations

import math
import re

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


def money(value: float, lang: Lang = "en", compact: bool = False) -> str:
    """A CNY amount. English: ``1,234,567`` or compact ``1.23m``; Chinese:
    ``123.46万`` from 10,000 up and ``70.6亿`` from 100 million up."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    sign = "-" if value < 0 else ""
    v = abs(value)
    if lang == "zh":
        if v >= 1e8:
            return f"{sign}{trimmed(v / 1e8, 2)}亿"
        if v >= 1e4:
            return f"{sign}{trimmed(v / 1e4, 2)}万"
        return sign + number(v)
    if not compact:
        return sign + number(v)
    for limit, suffix in ((1e9, "bn"), (1e6, "m"), (1e3, "k")):
        if v >= limit:
            return f"{sign}{v / limit:.2f}{suffix}"
    return sign + number(v)


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
