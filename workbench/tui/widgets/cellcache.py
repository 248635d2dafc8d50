"""Keep a DataTable's rendered cells and lines while they do not change.

DataTable renders every visible cell again after any update: its caches are keyed
by a counter that each ``update_cell`` bumps. The workbench's tables change a few
cells a nudge, and rendering the rest through Rich was most of a repaint (about
35 ms of 50 at 160x48). This mixin keeps each cell's lines while the cell object,
its style, width and highlight are the same, and each table line while the cells
of its row are the same objects (a line put together again costs the table's
styles looked up through the DOM for every line), and its style for one pass
of rendering. It overrides DataTable's private ``_render_cell`` and
``_render_line``: textual is pinned to 8.2.x in pyproject.toml for this reason.
"""

from __future__ import annotations

from typing import Any

from rich.segment import Segment
from rich.style import Style
from textual.geometry import Region
from textual.strip import Strip
from textual.widgets import DataTable

KEEP_AT_MOST = 20_000  # cells' renders; more are dropped (a table with many columns)


class KeptCells(DataTable):
    """A DataTable that renders a cell again only when it changed."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._kept: dict[
            tuple[Any, ...], tuple[object, list[list[Segment]]]
        ] = {}  # DataTable's init clears caches
        self._kept_lines: dict[tuple[Any, ...], tuple[tuple[object, ...], Strip]] = {}
        self._pass_style: Style | None = None
        super().__init__(*args, **kwargs)

    def render_lines(self, crop: Region) -> list[Strip]:
        # DataTable looks its style up through the DOM for every line (a walk over every
        # ancestor's styles); within one pass it cannot change.
        self._pass_style = super().rich_style
        try:
            return super().render_lines(crop)
        finally:
            self._pass_style = None

    @property
    def rich_style(self) -> Style:
        style = self._pass_style
        return style if style is not None else super().rich_style

    def _render_line(self, y: int, x1: int, x2: int, base_style: Style) -> Strip:
        try:
            row_key, line_in_row = self._get_offsets(y)
        except LookupError:
            return super()._render_line(y, x1, x2, base_style)
        if row_key is not self._header_row_key and self.rows[row_key].height != 1:
            return super()._render_line(y, x1, x2, base_style)
        columns = self.ordered_columns
        if row_key is self._header_row_key:
            cells: tuple[object, ...] = tuple(c.label for c in columns)
        else:
            data = self._data[row_key]
            cells = (self.rows[row_key].label, *(data.get(c.key) for c in columns))
        key = (
            y,
            x1,
            x2,
            self.size.width,
            row_key,
            line_in_row,
            tuple(c.get_render_width(self) for c in columns),
            self.fixed_columns,
            self.show_row_labels,
            self.cursor_coordinate,
            self.hover_coordinate,
            base_style,
            self.cursor_type,
            self.show_cursor,
            self._show_hover_cursor,
            self._pseudo_class_state,
        )
        kept = self._kept_lines.get(key)
        if (
            kept is not None
            and len(kept[0]) == len(cells)
            and all(a is b for a, b in zip(kept[0], cells, strict=True))
        ):
            return kept[1]
        strip = super()._render_line(y, x1, x2, base_style)
        if len(self._kept_lines) >= KEEP_AT_MOST:
            self._kept_lines.clear()
        self._kept_lines[key] = (cells, strip)
        return strip

    def _render_cell(
        self,
        row_index: int,
        column_index: int,
        base_style: Style,
        width: int,
        cursor: bool = False,
        hover: bool = False,
    ) -> list[list[Segment]]:
        column_key = self._column_locations.get_key(column_index) if column_index >= 0 else None
        if row_index == -1:
            row_key: Any = self._header_row_key
            cell = self.columns[column_key].label if column_key is not None else None
        else:
            row_key = self._row_locations.get_key(row_index)
            row = self.rows[row_key]
            if row.height != 1:  # auto-height rows are measured as they render
                return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
            cell = self._data[row_key][column_key] if column_key is not None else row.label
        key = (
            row_key,
            column_key,
            row_index,
            column_index,
            base_style,
            width,
            cursor,
            hover,
            self.show_cursor,
            self._show_hover_cursor,
            self._pseudo_class_state,
        )
        kept = self._kept.get(key)
        if kept is not None and kept[0] is cell:
            return kept[1]
        lines = super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        if len(self._kept) >= KEEP_AT_MOST:
            self._kept.clear()
        self._kept[key] = (cell, lines)
        return lines

    def _clear_caches(self) -> None:
        super()._clear_caches()
        self._kept.clear()
        self._kept_lines.clear()

    def notify_style_update(self) -> None:
        self._kept.clear()
        self._kept_lines.clear()
        super().notify_style_update()
