"""The key footer, rebuilt only when the keys it shows change.

Textual's ``Footer`` rebuilds all its keys (a score of widgets, each styled anew) every
time a screen says its bindings may have changed: on each focus change and each
``refresh_bindings``, once per call. Opening the workbench says so a dozen times (labels
in the language shown, the palette key, the width adapted, the first focus), and those
rebuilds took about half a second of the interface's thread while the first portfolio
was being read beside it (``benchmarks/README.md``). ``KeyFooter`` rebuilds at most once
per refresh, and not at all when the keys, labels and states it would show are the
ones it shows.
"""

from __future__ import annotations

from collections.abc import Hashable

from textual.screen import Screen
from textual.widgets import Footer


class KeyFooter(Footer):
    """A ``Footer`` that coalesces rebuilds and skips those that would change nothing."""

    _pending = False
    _shown: Hashable | None = None

    def bindings_changed(self, screen: Screen) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus or self._pending:
            return
        if self.is_attached and screen is self.screen:
            self._pending = True
            self.call_after_refresh(self._rebuild)

    async def _rebuild(self) -> None:
        self._pending = False
        shown = self.shown()
        if shown == self._shown:
            return
        self._shown = shown
        await self.recompose()

    def shown(self) -> Hashable:
        """What the footer's keys would show now: each binding's key, label, action,
        tooltip, group and whether it is enabled, and whether the palette key shows."""
        return (
            self.show_command_palette,
            tuple(
                (
                    node_key,
                    binding.key,
                    self.app.get_key_display(binding),
                    binding.description,
                    binding.action,
                    binding.show,
                    binding.tooltip,
                    None if binding.group is None else (binding.group.description, binding.group.compact),
                    enabled,
                    tooltip,
                )
                for node_key, (_, binding, enabled, tooltip) in self.screen.active_bindings.items()
            ),
        )
