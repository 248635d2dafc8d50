"""Widgets whose content is made for the width they have (bars cut to it, columns chosen
by it): shown again when that width changes."""

from __future__ import annotations

from collections.abc import Callable

from textual.widget import Widget


class ShownForWidth(Widget):
    """Mixin: ``shown(again)`` after showing; ``again`` shows the same content once more
    and is called when the widget's width changes (a screen widened after a narrow paint
    kept narrow tables and a cut header until the next change)."""

    _again: tuple[Callable[[], None], int] | None = None

    def shown(self, again: Callable[[], None]) -> None:
        self._again = (again, self.size.width)

    def on_resize(self) -> None:
        again = self._again
        if again is not None and again[1] != self.size.width:
            again[0]()
