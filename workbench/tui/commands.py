"""Command palette providers: schemes and scenarios (actions are system commands).

A provider lists its items once each time the palette opens (``startup``), not
on every keystroke: listing scenarios reads their files.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from typing import TYPE_CHECKING, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider

if TYPE_CHECKING:
    from workbench.tui.app import WorkbenchApp

Item = tuple[str, Callable[[], object], str]


class ItemsProvider(Provider):
    """Offers a list of (text, command, help) items, all shown before typing."""

    _items: list[Item] | None = None

    @property
    def workbench(self) -> WorkbenchApp:
        return cast("WorkbenchApp", self.app)

    def items(self) -> Iterator[Item]:
        raise NotImplementedError

    async def startup(self) -> None:
        self._items = list(self.items())

    def listed(self) -> list[Item]:
        if self._items is None:
            self._items = list(self.items())
        return self._items

    async def discover(self) -> Hits:
        for text, command, help_text in self.listed():
            yield DiscoveryHit(text, command, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for text, command, help_text in self.listed():
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, matcher.highlight(text), command, help=help_text)


class SchemeCommands(ItemsProvider):
    """``Scheme: ...`` switches to a scheme."""

    def items(self) -> Iterator[Item]:
        app = self.workbench
        for scheme in sorted(app.registry.schemes.values(), key=lambda s: s.id):
            text = f"Scheme: {scheme.name.en} / {scheme.name.zh} ({scheme.id})"
            yield text, partial(app.switch_scheme, scheme.id), scheme.description.get(app.lang)


class ScenarioCommands(ItemsProvider):
    """``Open scenario: ...`` for the scenario files the workbench can see."""

    def items(self) -> Iterator[Item]:
        app = self.workbench
        for f in app.live.scenario_files():
            text = f"Open scenario: {f.name} ({f.path.name})"
            yield text, partial(app.open_scenario_file, f.path), str(f.path)
