"""A full screen of the workbench that reads the live session, in the language shown."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.screen import Screen

from workbench.present.words import word
from workbench.text import Lang

if TYPE_CHECKING:
    from workbench.live import LiveSession


class LiveScreen(Screen):
    def __init__(self, lang: Lang = "en") -> None:
        super().__init__()
        self.lang = lang

    @property
    def live(self) -> LiveSession:
        return self.app.live  # type: ignore[attr-defined]

    def w(self, key: str, **values: object) -> str:
        """A word of the catalogue in the screen's language."""
        return word(key, self.lang, **values)

    def settings_changed(self) -> None:
        """The settings, the policy or the month shown changed (the screen repaints what
        depends on them; most show nothing that does)."""
