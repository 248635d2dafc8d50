"""Keep a DataTable's rendered cells while they do not change.

DataTable renders every visible cell again after any update: its caches are keyed
by a counter that each ``update_cell`` bumps. The workbench's tables change a few
cells a nudge, and rendering the rest through Rich was most of a repaint (about
35 ms of 50 at 160x48). This mixin keeps each cell's lines while the cell object,
its style, width and highlight are the same. It overrides DataTable's private
``_render_cell``: textual is pinned to 8.2.x in pyproject.toml for this reason.
"""

from __future__ import annotations

from typing import Any

from rich.segment import Segment
from rich.style import Style
from textual.widgets import DataTable

KEEP_AT_MOST = 20_000  # cells' renders; more are dropped (a table with many columns)


class KeptCells(DataTable):
    """A DataTable that renders a cell again only when it changed."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._kept: dict[
            tuple[Any, ...], tuple[object, list[list[Segment]]]
        ] = {}  # DataTable's init clears caches
        super().__init__(*args, **kwargs)

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

    def notify_style_update(self) -> None:
        self._kept.clear()
        super().notify_style_update()
