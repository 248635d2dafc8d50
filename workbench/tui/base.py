"""What every part of the workbench app shares: the live session, words, status, errors.

``WorkbenchApp`` is this base with the planner's and the files' actions mixed in
(``tui.planner``, ``tui.files``); each part calls the others through the
methods declared here.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.app import App
from textual.reactive import reactive
from textual.worker import Worker, WorkerState

from workbench.errors import WorkbenchError
from workbench.live import EditSession, LiveSession, Portfolio, PortfolioRef, Registry, View
from workbench.present.words import word
from workbench.text import Lang, Text
from workbench.tui.screens.dialogs import ChoiceDialog, ConfirmDialog, MessageDialog
from workbench.tui.screens.main import MainScreen

NOTES_SHOWN_S = 15  # how long notes on how a file was read stay on screen


class WorkbenchBase(App[None]):
    lang: reactive[Lang] = reactive("en", init=False)
    registry: Registry
    live: LiveSession
    main: MainScreen | None
    view: View | None
    selected_tier: int | None
    measure: str  # "customers" or "aum": what the migration matrix counts
    show_timings: bool  # how long loading and recomputing took, on the status line

    @property
    def edit(self) -> EditSession:
        return self.live.edit

    @property
    def portfolio(self) -> Portfolio | None:
        return self.live.portfolio

    @property
    def dirty(self) -> bool:
        return self.live.dirty

    @property
    def screen_main(self) -> MainScreen:
        assert self.main is not None, "the workbench screen is not mounted yet"
        return self.main

    def w(self, key: str, **values: Any) -> str:
        """A word of the catalogue in the language shown."""
        return word(key, self.lang, **values)

    def said(self, exc: BaseException) -> str:
        """An error's message in the language shown (a library error has both)."""
        return exc.in_lang(self.lang) if isinstance(exc, WorkbenchError) else str(exc)

    def status(self, message: str, error: bool = False) -> None:
        self.screen_main.status_line.say(message, "bold red" if error else "")

    def schedule(self) -> None:
        """Re-simulate for the current settings (the app's own)."""
        raise NotImplementedError

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A worker that failed unexpectedly says so, instead of leaving a task shown as
        running (the expected failures are reported by the workers themselves)."""
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            error = event.worker.error
            self.show_error(self.w("error.unexpected"), f"{type(error).__name__}: {self.said(error)}")

    def show_error(self, title: str, message: str) -> None:
        self.status(message.splitlines()[0], error=True)
        self.push_screen(MessageDialog(title, message, error=True, lang=self.lang))

    def guard(self, then: Callable[[], None]) -> None:
        """Run ``then`` now, or after asking what to do with unsaved changes."""
        if not self.dirty:
            then()
            return

        def decide(choice: str | None) -> None:
            if choice == "discard":
                then()
            elif choice == "save":
                self.save(then=then)

        message = self.w("dialog.unsaved", name=self.live.title.get(self.lang))
        self.push_screen(ConfirmDialog(message, self.lang), decide)

    def ask_replace(
        self, path: Path, replace: Callable[[], None], other: Callable[[], None], changed: bool = False
    ) -> None:
        """A file is there already (``changed``: the open file changed on disk since it was
        read): replace it only when the planner says so, or choose another name."""

        def decide(choice: str | None) -> None:
            if choice == "replace":
                replace()
            elif choice == "other":
                other()

        kind = "changed" if changed else "exists"
        self.push_screen(
            ChoiceDialog(
                self.w(f"dialog.{kind}_title"),
                self.w(f"dialog.{kind}", path=path),
                [
                    ("other", self.w("dialog.other_name"), "primary"),
                    ("replace", self.w("dialog.replace_theirs" if changed else "dialog.replace"), "error"),
                    ("cancel", self.w("dialog.cancel"), "default"),
                ],
            ),
            decide,
        )

    # -- provided by the other parts ----------------------------------------------------

    def changed(self, error: str | Text | None = None) -> None:
        raise NotImplementedError

    def paint(self, view: View) -> None:
        raise NotImplementedError

    def keep_now(self) -> None:
        raise NotImplementedError

    def keep_later(self) -> None:
        raise NotImplementedError

    def timeline_policy(self) -> None:
        raise NotImplementedError

    def load_portfolio(self, ref: PortfolioRef, base_dir: Path | None) -> None:
        raise NotImplementedError

    def save(self, ask: bool = False, then: Callable[[], None] | None = None) -> None:
        raise NotImplementedError

    def switch_scheme(self, scheme_id: str) -> None:
        raise NotImplementedError
