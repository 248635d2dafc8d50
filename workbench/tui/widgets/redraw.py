"""Drawing again only what changed: each paint sets every panel's title and text, and
Textual repaints a widget whose title is set (whatever the title) and lays the whole
screen out again after ``Static.update`` unless told the size stays."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.widget import Widget
from textual.widgets import Static


def retitle(widget: Widget, title: str) -> None:
    """Set ``widget``'s border title when it is not that already."""
    if widget.border_title != title:
        widget.border_title = title


def _shape(text: Text) -> tuple[int, int]:
    """Lines and the widest line's cells."""
    lines = text.plain.split("\n")
    return len(lines), max(cell_len(line) for line in lines)


class Redrawn(Static):
    """A Static drawn as a whole text each time: ``redraw(text)`` repaints it only when the
    text or its style differs, and lays the screen out again only when its size can follow
    that change (its lines or widest line under ``height: auto``, the widest under ``width:
    auto``)."""

    _drawn: Text | None = None

    def redraw(self, text: Text) -> None:
        old = self._drawn
        if old is not None and old == text and old.style == text.style:
            return
        self._drawn = text
        self.update(text, layout=old is None or self._resized(_shape(old), _shape(text)))

    def _resized(self, old: tuple[int, int], new: tuple[int, int]) -> bool:
        """Whether the size may follow the text's change: an unset size fills the room; a
        line may wrap, so ``height: auto`` follows the widest line too."""
        width, height = self.styles.width, self.styles.height
        auto_height = height is not None and height.is_auto
        return (auto_height and old != new) or (width is not None and width.is_auto and old[1] != new[1])
