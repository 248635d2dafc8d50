"""Command palette providers: schemes and scenarios (actions are system commands)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from typing import TYPE_CHECKING, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider

if TYPE_CHECKING:
    from workbench.tui.app import WorkbenchApp

Item = tuple[str, Callable[[], object], str]


class ItemsProvider(Provider):
    """Offers a fixed list of (text, command, help) items, all shown before typing."""

    @property
    def workbench(self) -> WorkbenchApp:
        return cast("WorkbenchApp", self.app)

    def items(self) -> Iterator[Item]:
        raise NotImplementedError

    async def discover(self) -> Hits:
        for text, command, help_text in self.items():
            yield DiscoveryHit(text, command, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for text, command, help_text in self.items():
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
        for path, name in app.scenario_files():
            yield f"Open scenario: {name} ({path.name})", partial(app.open_scenario_file, path), str(path)
