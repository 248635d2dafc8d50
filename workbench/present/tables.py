"""Tables of formatted cells, and plain-text rendering of them.

The command line prints these; reports and the TUI take the same cells, so
a figure reads the same everywhere. Widths count Chinese characters as two
columns.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field


def display_width(text: str) -> int:
    """Terminal columns ``text`` takes: wide (CJK) characters count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, width: int, align: str = "<") -> str:
    gap = max(0, width - display_width(text))
    return text + " " * gap if align == "<" else " " * gap + text


def truncate(text: str, width: int) -> str:
    """``text`` cut to ``width`` terminal columns, with an ellipsis when cut."""
    if display_width(text) <= width:
        return text
    while text and display_width(text) > width - 1:
        text = text[:-1]
    return text + "…"


HIGHER, LOWER = "higher", "lower"  # which way a column's change is good for the bank


@dataclass
class Table:
    """Formatted cells. ``align`` holds ``"<"`` or ``">"`` per column; ``good`` says, per
    column of signed changes, whether ``HIGHER`` or ``LOWER`` is good for the bank (empty:
    not a change, or neither), so every output colours a change by its meaning."""

    title: str
    headers: list[str]
    rows: list[list[str]]
    align: list[str]
    footer: list[list[str]] = field(default_factory=list)
    good: list[str] = field(default_factory=list)

    def meaning(self, column: int, value: str) -> str:
        """``"good"``, ``"bad"`` or ``""`` for a cell: a signed change read by its column."""
        way = self.good[column] if column < len(self.good) else ""
        if not way or len(value) < 2 or value[0] not in "+-":
            return ""
        up = value[0] == "+"
        return "good" if up == (way == HIGHER) else "bad"

    def render(self) -> str:
        body = [self.headers, *self.rows, *self.footer]
        widths = [max(display_width(r[i]) for r in body) for i in range(len(self.headers))]
        lines = [self.title] if self.title else []

        def line(cells: list[str]) -> str:
            return "  ".join(pad(c, w, a) for c, w, a in zip(cells, widths, self.align, strict=True)).rstrip()

        lines.append(line(self.headers))
        lines.append("  ".join("-" * w for w in widths))
        lines.extend(line(r) for r in self.rows)
        if self.footer:
            lines.append("  ".join("-" * w for w in widths))
            lines.extend(line(r) for r in self.footer)
        return "\n".join(lines)
