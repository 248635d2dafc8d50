"""The workbench's files: switch scheme, open a portfolio, open and save scenarios."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual.widgets.button import ButtonVariant

from workbench.errors import WorkbenchError
from workbench.live import SUPPORTED_SUFFIXES, PortfolioRef, is_scheme_file
from workbench.tui.base import WorkbenchBase
from workbench.tui.screens.dialogs import ChoiceDialog, PathDialog
from workbench.tui.screens.picking import PickDialog
from workbench.tui.screens.rules import RulesScreen
from workbench.tui.screens.timeline import TimelineScreen, edit_policy


class FileActions(WorkbenchBase):
    def action_pick_scheme(self) -> None:
        items = [
            (s.id, f"{s.name.en} / {s.name.zh}  ({s.id})")
            for s in sorted(self.registry.schemes.values(), key=lambda s: s.id)
        ]

        def apply(choice: str | None) -> None:
            if choice:
                self.switch_scheme(choice)

        self.push_screen(PickDialog(self.w("dialog.scheme"), items, self.edit.state.scheme, self.lang), apply)

    def action_open_portfolio(self) -> None:
        start = self.live.scenario.base_dir or Path.cwd()

        def apply(path: Path | None) -> None:
            if path is not None:
                self.load_portfolio(PortfolioRef(path=str(path.resolve())), None)

        self.push_screen(
            PathDialog(self.w("dialog.open_portfolio"), start, SUPPORTED_SUFFIXES, lang=self.lang), apply
        )

    def action_open_scenario(self) -> None:
        items = [(str(f.path), f"{f.name}  ({f.path.name})") for f in self.live.scenario_files()]
        items.append(("__browse__", self.w("dialog.browse")))

        def picked(choice: str | None) -> None:
            if choice == "__browse__":
                dirs = self.live.scenario_dirs()
                self.push_screen(
                    PathDialog(
                        self.w("dialog.open_scenario"),
                        dirs[0] if dirs else Path.cwd(),
                        (".toml",),
                        lang=self.lang,
                    ),
                    self._open_picked,
                )
            elif choice:
                self.open_scenario_file(Path(choice))

        def ask() -> None:
            self.push_screen(PickDialog(self.w("dialog.open_scenario"), items, lang=self.lang), picked)

        self.guard(ask)

    def _open_picked(self, path: Path | None) -> None:
        if path is not None:
            self.open_scenario_file(path)

    def open_scenario_file(self, path: Path) -> None:
        if is_scheme_file(path):
            self.open_scheme_file(path)
            return
        try:
            scenario = self.live.open_scenario(path)
        except WorkbenchError as exc:
            self.show_error(self.w("error.open"), self.said(exc))
            return
        self.selected_tier = None
        self.status(self.w("status.opened", path=path))
        self.load_portfolio(scenario.portfolio, scenario.base_dir)

    def open_scheme_file(self, path: Path) -> None:
        """A scheme file opened like a scenario: its scheme, as a new untitled scenario."""
        try:
            self.live.open_scheme_file(path)
        except WorkbenchError as exc:
            self.show_error(self.w("error.open"), self.said(exc))
            return
        self.selected_tier = None
        self.status(self.w("status.opened", path=path))
        self.changed()

    def watch_rules(self) -> None:
        """Say which plugins and scheme files did not load, and watch the shown scheme's
        file for changes on disk."""
        self.report_failures()
        self._offered: Path | None = None
        self.set_interval(2.0, self.check_scheme_file)

    def check_scheme_file(self) -> None:
        """A scheme file changed on disk (an editor saved it): offered for reload, once."""
        path = self.live.scheme_file_changed()
        if path is None or path == self._offered:
            return
        self._offered = path

        def answer(choice: str | None) -> None:
            if choice != "reload":
                return
            try:
                self.live.reload_scheme_file(path)
            except WorkbenchError as exc:
                self.show_error(self.w("error.reload_rules"), self.said(exc))
                return
            self._offered = None
            self.status(self.w("status.reloaded_rules", path=path))
            self.changed()

        choices: list[tuple[str, str, ButtonVariant]] = [
            ("reload", self.w("rules.reload"), "primary"),
            ("keep", self.w("rules.keep"), "default"),
        ]
        self.push_screen(
            ChoiceDialog(self.w("rules.changed_title"), self.w("rules.changed_on_disk", path=path), choices),
            answer,
        )

    def report_failures(self) -> None:
        """Plugins and scheme files that did not load, said on the screen (not only on the
        terminal before it was drawn); ``workbench schemes`` gives the details."""
        failures = self.registry.failures
        if failures:
            names = ", ".join(dict.fromkeys(Path(f.plugin).name for f in failures))
            message = self.w("status.plugins_failed", count=len(failures), names=names)
            self.notify(message, severity="warning", timeout=12, markup=False)

    def action_timeline(self) -> None:
        """The timeline of a portfolio over months (replayed in a worker)."""
        if self.live.months.panel is None:
            self.notify(self.w("timeline.single_month"), severity="warning", markup=False)
            return
        self.push_screen(TimelineScreen(self.lang))

    def timeline_policy(self) -> None:
        """Enter on a policy key: every key in one dialog."""
        edit_policy(self, self.lang, self.changed)

    def action_rules(self) -> None:
        """The rules screen: tiers and conditions, changed and saved as a scheme file."""
        self.push_screen(RulesScreen(self.lang))

    def action_save(self) -> None:
        self.save()

    def action_save_as(self) -> None:
        self.save(ask=True)

    def save(self, ask: bool = False, then: Callable[[], None] | None = None) -> None:
        path = self.live.scenario.path
        if ask or path is None:
            dirs = self.live.scenario_dirs()
            initial = path.name if path else f"{self.edit.state.scheme}-scenario.toml"

            def chosen(target: Path | None) -> None:
                if target is None:
                    return
                if target.suffix.lower() != ".toml":
                    target = target.with_suffix(".toml")
                if target.exists():
                    self._ask_replace(target, then)
                else:
                    self._write(target, then)

            self.push_screen(
                PathDialog(
                    self.w("dialog.save_as"),
                    dirs[0] if dirs else Path.cwd(),
                    (".toml",),
                    initial=initial,
                    must_exist=False,
                    lang=self.lang,
                ),
                chosen,
            )
            return
        if self.live.changed_on_disk(path):
            self._ask_changed(path, then)
            return
        self._write(path, then)

    def _ask_replace(self, path: Path, then: Callable[[], None] | None) -> None:
        """Save As onto a file that exists: only when the planner says so."""
        self.ask_replace(path, lambda: self._write(path, then), lambda: self.save(ask=True, then=then))

    def _ask_changed(self, path: Path, then: Callable[[], None] | None) -> None:
        """The open file changed on disk since it was read (another workbench saved it)."""
        self.ask_replace(
            path, lambda: self._write(path, then), lambda: self.save(ask=True, then=then), changed=True
        )

    def _write(self, path: Path, then: Callable[[], None] | None = None) -> None:
        try:
            self.live.save(path)
        except (WorkbenchError, OSError) as exc:
            self.show_error(self.w("error.save"), self.said(exc))
            return
        self.keep_now()  # nothing unsaved: the recovery file goes
        self.status(self.w("status.saved", path=path))
        if self.view is not None:
            self.paint(self.view)
        if then is not None:
            then()
