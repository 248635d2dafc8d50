"""Helpers shared by report writers: Markdown and HTML tables, inline images, sheet names."""

from __future__ import annotations

import base64
import html as htmlmod
import re
from collections.abc import Iterable, Sequence

from workbench.present.tables import Table

_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


_MARKDOWN = re.compile(r"([\\`*_\[\]{}()#+!|~>-])")


def md_text(text: object) -> str:
    """Text as plain Markdown: no HTML passes through (``<`` and ``&`` become entities), and
    no character formats, links or images (each Markdown mark is escaped)."""
    plain = htmlmod.escape(str(text), quote=False).replace("\r", " ").replace("\n", " ")
    return _MARKDOWN.sub(r"\\\1", plain)


def markdown_table(headers: Sequence[str], rows: Iterable[Sequence[str]], align: Sequence[str]) -> str:
    """A pipe table; ``align`` holds ``"<"`` or ``">"`` per column; every cell plain text."""

    def cell(text: str) -> str:
        return md_text(text)

    lines = [
        "| " + " | ".join(cell(h) for h in headers) + " |",
        "|" + "|".join("---:" if a == ">" else ":---" for a in align) + "|",
    ]
    lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def sheet_name(wanted: str, taken: Sequence[str]) -> str:
    """A readable, valid, unique Excel sheet name: at most 31 characters, none of
    ``[]:*?/\\``, spaces collapsed, cut at a word with an ellipsis, numbered when taken."""
    base = " ".join(_SHEET_FORBIDDEN.sub(" ", wanted).replace("'", " ").split()) or "Sheet"

    def cut(text: str, size: int) -> str:
        if len(text) <= size:
            return text
        head = text[: size - 1]
        word_end = head.rfind(" ")
        return (head[:word_end] if word_end > size // 2 else head).rstrip() + "…"

    name, n = cut(base, 31), 2
    taken_lower = {t.lower() for t in taken}  # Excel compares sheet names case-blind
    while name.lower() in taken_lower:
        suffix = f" ({n})"
        name = cut(base, 31 - len(suffix)) + suffix
        n += 1
    return name


STYLE = """
body { font-family: -apple-system, "Segoe UI", "Helvetica Neue", Arial, "PingFang SC", "Microsoft YaHei",
       sans-serif; margin: 2em auto; max-width: 1100px; color: #222; }
h1 { font-size: 1.5em; } h2 { font-size: 1.15em; margin-top: 2em; border-bottom: 1px solid #ccc; }
table { border-collapse: collapse; margin: 0.6em 0; font-size: 0.88em; }
th, td { border: 1px solid #ddd; padding: 3px 8px; }
th { background: #eef3f8; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.total td { font-weight: bold; background: #fafafa; }
.bad { color: #b00020; } .good { color: #1b7f3b; } .muted { color: #777; }
img { max-width: 100%; }
"""


def html_table(table: Table, css_class: str = "") -> str:
    """A table; footer rows (totals) in bold; changes coloured by what they mean for the
    bank (``Table.good``), never by their sign alone."""
    rows = [*table.rows, *table.footer]
    out = [
        f'<table class="{css_class}">',
        "<tr>" + "".join(f"<th>{htmlmod.escape(h)}</th>" for h in table.headers) + "</tr>",
    ]
    for i, row in enumerate(rows):
        total = i >= len(table.rows)
        cells = []
        for column, (value, align) in enumerate(zip(row, table.align, strict=True)):
            cls = ["num"] if align == ">" else []
            meaning = table.meaning(column, value)  # green is good for the bank, red bad
            if meaning:
                cls.append(meaning)
            cells.append(f'<td class="{" ".join(cls)}">{htmlmod.escape(value)}</td>')
        out.append(f'<tr class="{"total" if total else ""}">' + "".join(cells) + "</tr>")
    out.append("</table>")
    return "\n".join(out)


def html_svg(svg: bytes, alt: str = "") -> str:
    """An SVG chart as an image of the page (its text drawn in the reader's fonts)."""
    data = base64.b64encode(svg).decode()
    return f'<img alt="{htmlmod.escape(alt)}" src="data:image/svg+xml;base64,{data}">'
