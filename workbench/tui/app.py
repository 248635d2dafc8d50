"""The Tiering Workbench application: the screen in front of a ``LiveSession``.

Every change asks the live session for figures: at once when that takes a
few milliseconds, else in a thread worker, whose result is painted when it
arrives unless a newer change was made since. Workers post messages; widgets
receive what to show ("attributes down") and report what the planner asked
for ("messages up"). No figure is computed here.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.reactive import reactive
from textual.screen import Screen
from textual.timer import Timer
from textual.worker import get_current_worker

from workbench.errors import UnmappedColumns, WorkbenchError
from workbench.live import LiveSession, PortfolioRef, Registry, Scenario, Tuner, View, default_registry
from workbench.present.words import word
from workbench.text import Lang
from workbench.tui import keys, messages
from workbench.tui.base import NOTES_SHOWN_S
from workbench.tui.commands import ScenarioCommands, SchemeCommands
from workbench.tui.confirming import ConfirmActions
from workbench.tui.editing import EditActions
from workbench.tui.exporting import ExportActions
from workbench.tui.files import FileActions
from workbench.tui.heap import settle_heap
from workbench.tui.language import LanguageActions
from workbench.tui.planner import PlannerActions
from workbench.tui.rest import RestActions
from workbench.tui.screens.dialogs import AssumptionDialog, ChoiceDialog, ColumnMappingDialog
from workbench.tui.screens.help import HelpScreen
from workbench.tui.screens.main import MainScreen
from workbench.tui.screens.picking import PickDialog
from workbench.tui.widgets.costs import CostTable
from workbench.tui.widgets.parameters import ParameterTable
from workbench.tui.widgets.tables import MigrationTable, TierTable

PREPARE_AFTER_S = 0.4  # quiet time before sorting for instant tuning after a weight change
PROGRESS_FROM_ROWS = 1_000_000  # below, preparing is over before progress could be read
LOAD_STEPS = 3  # reading, computing metrics, classifying
KEEP_AFTER_S = 0.5  # quiet time before unsaved changes are written for recovery


class WorkbenchApp(
    EditActions, PlannerActions, FileActions, ExportActions, ConfirmActions, LanguageActions, RestActions
):
    CSS_PATH = "workbench.tcss"
    TITLE = "Tiering Workbench"
    COMMANDS = App.COMMANDS | {SchemeCommands, ScenarioCommands}
    BINDINGS = [Binding("f1", "help", "help", show=False)]

    measure: reactive[str] = reactive("customers", init=False)

    def __init__(
        self,
        scenario: Scenario | None = None,
        *,
        params: Mapping[str, float] | None = None,
        options: Mapping[str, str] | None = None,
        portfolio_path: Path | None = None,
        registry: Registry | None = None,
        scenario_dirs: Iterable[Path] = (),
        lang: Lang = "en",
        show_timings: bool = True,
    ) -> None:
        super().__init__()
        self.show_timings = show_timings
        self.registry = registry or default_registry()
        scenario = scenario or Scenario(scheme=self._default_scheme())
        if portfolio_path is not None:
            scenario = replace(scenario, portfolio=PortfolioRef(path=str(Path(portfolio_path).resolve())))
        self.live = LiveSession(
            self.registry, scenario, params=params, options=options, scenario_dirs=scenario_dirs
        )
        self.main: MainScreen | None = None
        self.view: View | None = None
        self.selected_tier: int | None = None
        self.latencies: list[float] = []  # ms from each change to the refresh showing it
        self.first_figures_at: float | None = None  # perf_counter() at the first such refresh
        self.painted_seq = 0
        self._load_shown = False
        self._change_started: float | None = None
        self._keep_timer: Timer | None = None
        self._prepare_timer: Timer | None = None
        self.set_reactive(WorkbenchApp.lang, lang)

    def _default_scheme(self) -> str:
        ids = sorted(self.registry.schemes)
        if not ids:
            raise WorkbenchError(word("error.no_schemes"))
        return "industrial-bank" if "industrial-bank" in ids else ids[0]

    # -- layout --------------------------------------------------------------------------

    async def on_mount(self) -> None:
        self.main = MainScreen()
        await self.push_screen(self.main)
        self.screen_main.titles(self.lang, self.measure)
        self.screen_main.adapt(self.size.width)
        self.screen_main.query_one(ParameterTable).focus()
        self.screen_main.show_parameters(self.edit, self.lang)
        self.watch_rules()
        if not self._offer_recovery():
            self._begin()

    def _begin(self) -> None:
        """Load the scenario's baseline and portfolio."""
        try:
            self.live.begin()
        except WorkbenchError as exc:
            self.status(self.w("status.baseline_not_loaded", error=exc), error=True)
        scenario = self.live.scenario
        self.load_portfolio_worker(scenario.portfolio, scenario.base_dir)

    def on_resize(self, event: Any) -> None:
        if self.main is None:
            return
        self.screen_main.adapt(event.size.width)
        # Painted once the panels have their new sizes: the tables choose their columns
        # and the header its words by the width they have (painted now, a screen widened
        # from 100 columns kept the narrow tables and a cut header until the next change).
        self.call_after_refresh(self._paint_resized)

    def _paint_resized(self) -> None:
        if self.portfolio is not None:
            self.screen_main.show_parameters(self.edit, self.lang)
        if self.view is not None:
            self.paint(self.view)

    # -- unsaved changes kept against a crash ------------------------------------------

    def _offer_recovery(self) -> bool:
        """Offer back the unsaved changes a previous workbench left; True when asked."""
        try:
            found = self.live.pending_recovery()
        except WorkbenchError as exc:
            self.show_error(self.w("error.recover"), self.said(exc))
            return False
        if found is None:
            return False
        scenario = found.scenario
        where = str(found.original) if found.original else self.w("never_saved")
        when = found.written.strftime("%Y-%m-%d %H:%M")
        message = self.w("dialog.recovered", when=when, name=scenario.display_name, where=where)

        def decide(choice: str | None) -> None:
            if choice == "discard":
                found.resolve()
                self._begin()
                return
            try:  # restore (escape too: nothing is lost by restoring)
                self.live.restore(scenario)
            except WorkbenchError as exc:
                found.release()
                self.show_error(self.w("error.restore"), self.said(exc))
                self._begin()
                return
            found.resolve()
            self.keep_now()  # the changes are this workbench's to keep from now on
            self.screen_main.show_parameters(self.edit, self.lang)
            self.status(self.w("status.restored"))
            self._begin()

        self.push_screen(
            ChoiceDialog(
                self.w("dialog.recovered_title"),
                message,
                [
                    ("restore", self.w("dialog.restore"), "primary"),
                    ("discard", self.w("dialog.discard"), "error"),
                ],
            ),
            decide,
        )
        return True

    def keep_later(self) -> None:
        """Write the recovery file shortly (a burst of nudges writes it once)."""
        if self._keep_timer is not None:
            self._keep_timer.stop()
        self._keep_timer = self.set_timer(KEEP_AFTER_S, self.keep_now)

    def keep_now(self) -> None:
        self._keep_timer = None
        try:
            self.live.keep_unsaved()
        except (OSError, WorkbenchError) as exc:
            self.status(self.w("status.not_kept", error=exc), True)

    def on_unmount(self) -> None:
        """The app is gone, as a process that ends is: its lock goes, its recovery file (if
        any) stays for the next start to offer."""
        self.live.recovery.release()

    def _leave(self) -> None:
        """Quit on purpose: the changes were saved or given up, so no recovery is needed."""
        if self._keep_timer is not None:
            self._keep_timer.stop()
        self.live.close()
        self.exit()

    # -- portfolios --------------------------------------------------------------------------

    def load_portfolio(self, ref: PortfolioRef, base_dir: Path | None) -> None:
        self.load_portfolio_worker(ref, base_dir)

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def load_portfolio_worker(self, ref: PortfolioRef, base_dir: Path | None) -> None:
        started = time.perf_counter()

        def step(number: int, rows: int) -> None:
            self.post_message(messages.LoadStep(number, rows, ref))

        self.live.say = lambda text: self.post_message(messages.LoadStep(0, 0, ref, text.get(self.lang)))
        try:
            portfolio = self.live.load(ref, base_dir, step)
        except UnmappedColumns as exc:
            self.post_message(messages.MappingNeeded(ref, base_dir, exc))
            return
        except WorkbenchError as exc:
            settle = self.w(f"settle.{exc.settle}") if exc.settle else ""
            self.post_message(messages.LoadFailed(self.said(exc) + settle))
            return
        self.post_message(messages.Loaded(portfolio, ref, time.perf_counter() - started))

    def on_load_step(self, message: messages.LoadStep) -> None:
        ref = message.ref
        if message.note:  # a book too big for memory: its sample is being drawn on a cluster
            what = message.note
        elif message.step == 0:
            what = (
                self.w("status.generating", rows=f"{ref.sample_rows:,}")
                if ref.is_sample
                else self.w("status.reading", name=Path(str(ref.path)).name)
            )
        else:
            what = self.w("status.metrics", rows=f"{message.rows:,}")
        self._loading(what, message.step)

    def _loading(self, what: str, step: int) -> None:
        """Loading's progress, step by step (no animation: it would take the CPU the
        loading needs)."""
        text = self.w("status.step", what=what, step=step + 1, steps=LOAD_STEPS)
        self.screen_main.status_line.activity(text, step / LOAD_STEPS, percent=False)
        self._load_shown = True

    def on_load_failed(self, message: messages.LoadFailed) -> None:
        self.screen_main.status_line.activity("")
        kept = self.w("error.keeping", name=self.portfolio.label(self.lang)) if self.portfolio else ""
        self.show_error(self.w("error.load") + kept, message.message)

    def on_mapping_needed(self, message: messages.MappingNeeded) -> None:
        self.screen_main.status_line.activity("")
        columns = self.live.mapping_choices(self.lang)
        ref, exc = message.ref, message.error

        def apply(mapping: dict[str, str] | None) -> None:
            if mapping is None:
                self.status(self.w("status.load_cancelled" if self.portfolio else "status.no_portfolio"))
                return
            self.load_portfolio_worker(replace(ref, columns=mapping), message.base_dir)

        name = Path(ref.path).name if ref.path else "portfolio"
        self.push_screen(
            ColumnMappingDialog(
                name, self.said(exc), exc.headers, {**exc.mapping, **exc.suggested}, columns, lang=self.lang
            ),
            apply,
        )

    def on_loaded(self, message: messages.Loaded) -> None:
        self._loading(self.w("status.classifying"), 2)
        portfolio, ref = message.portfolio, message.ref
        was_changed = self.live.portfolio_changed
        notes = self.live.adopt(portfolio, ref)
        if self.live.portfolio_changed and not was_changed:
            self.keep_later()
        took = self.w("status.took", seconds=f"{message.elapsed:.1f}") if self.show_timings else ""
        self.status(
            self.w("status.ready", name=portfolio.label(self.lang), rows=f"{portfolio.rows:,}", took=took)
        )
        if notes and not ref.is_sample:
            title = self.w("notes.title", name=portfolio.label(self.lang))
            said = "\n".join(note.get(self.lang) for note in notes)
            self.notify(said, title=title, timeout=NOTES_SHOWN_S, markup=False)  # file text is not markup
        self.schedule()

    # -- simulation ------------------------------------------------------------------------

    def schedule(self) -> None:
        """Re-simulate for the current settings (the newest request wins)."""
        if self.portfolio is None:
            return
        seq = self.live.request()
        self._change_started = time.perf_counter()
        view = self.live.view_at_once(seq)
        if view is None:
            self.simulate_worker(seq)
            return
        self.apply_view(view)
        self._prepare_when_quiet(view)

    @work(thread=True, exclusive=True, group="simulate", exit_on_error=False)
    def simulate_worker(self, seq: int) -> None:
        worker = get_current_worker()
        if worker.is_cancelled:
            return
        try:
            view = self.live.compute_view(seq)
        except WorkbenchError as exc:
            self.post_message(messages.SimulationFailed(seq, self.said(exc)))
            return
        if view is not None and not worker.is_cancelled:
            self.post_message(messages.ViewReady(view))

    def on_view_ready(self, message: messages.ViewReady) -> None:
        self._prepare_when_quiet(message.view)  # a new tuner's sorts start before the paint
        self.apply_view(message.view)

    def on_simulation_failed(self, message: messages.SimulationFailed) -> None:
        if message.seq == self.live.seq:
            self.show_error(self.w("error.simulate"), message.message)

    def _prepare_when_quiet(self, view: View) -> None:
        """Prepare the tuner in the background: a new one at once; after a weight or option
        change, once the planner has paused (each change makes the sort stale)."""
        tuner = self.live.needs_preparing()
        if tuner is None:
            return
        if self._prepare_timer is not None:
            self._prepare_timer.stop()
            self._prepare_timer = None
        if view.path == "same":  # at once: on the other core while the figures are painted
            self.prepare_worker(tuner)
            return

        def start() -> None:
            self._prepare_timer = None
            self.prepare_worker(tuner)

        self._prepare_timer = self.set_timer(PREPARE_AFTER_S, start)

    @property
    def settled(self) -> bool:
        """Whether the newest change is painted and nothing is running or waiting to run."""
        return (
            self.painted_seq == self.live.seq > 0
            and self._prepare_timer is None
            and all(w.is_finished for w in self.workers)
        )

    @work(thread=True, exclusive=True, group="prepare", exit_on_error=False)
    def prepare_worker(self, tuner: Tuner) -> None:
        """Sort and co-sort in the background, so that threshold changes cost what moves;
        until then they take the full path."""
        worker = get_current_worker()
        started = time.perf_counter()
        rows = tuner.engine.portfolio.rows

        def progress(done: int, total: int) -> None:
            if rows >= PROGRESS_FROM_ROWS:  # smaller portfolios are ready before it could be read
                self.post_message(messages.Preparing(tuner, done, total))

        try:
            finished = self.live.prepare(tuner, progress, lambda: worker.is_cancelled)
        except WorkbenchError as exc:
            self.post_message(messages.PrepareFailed(self.said(exc)))
            return
        if finished and rows >= PROGRESS_FROM_ROWS:
            self.post_message(messages.Preparing(tuner, 1, 1, time.perf_counter() - started))

    def on_preparing(self, message: messages.Preparing) -> None:
        line = self.screen_main.status_line
        rows = message.tuner.engine.portfolio.rows
        if message.took is not None:
            line.activity("")
            took = self.w("status.took", seconds=f"{message.took:.1f}") if self.show_timings else ""
            self.status(self.w("status.prepared", rows=f"{rows:,}", took=took))
            settle_heap(False)
            return
        total = message.total
        line.activity(self.w("status.preparing"), message.done / total if total else None)

    def on_prepare_failed(self, message: messages.PrepareFailed) -> None:
        self.screen_main.status_line.activity("")
        self.status(self.w("status.prepare_failed", error=message.message), True)

    def apply_view(self, view: View) -> None:
        if view.seq != self.live.seq:
            return  # a newer change is on its way
        self.view = view
        self.paint(view)
        started = self._change_started
        if started is not None:  # first: the figures are on screen before the heap settles
            self.call_after_refresh(self._record_latency, started, view)
        if self._load_shown:
            self._load_shown = False
            self.screen_main.status_line.activity("")
            self.call_after_refresh(settle_heap, True)

    def _record_latency(self, started: float, view: View) -> None:
        """Time from the change to the first refresh showing its figures."""
        now = time.perf_counter()
        total = (now - started) * 1000
        self.latencies.append(total)
        if self.first_figures_at is None:
            self.first_figures_at = now
        self.painted_seq = view.seq
        self.read_rest_when_quiet()
        if self.show_timings:
            took = f"{view.elapsed_ms:.1f}" if view.elapsed_ms < 10 else f"{view.elapsed_ms:.0f}"
            key = {"incremental": "status.moved", "full": "status.all"}.get(view.path)
            how = self.w(key, count=f"{view.moved:,}") if key else ""
            shown = self.w("status.recomputed", ms=took, how=how, painted=f"{total:.0f}")
            self.screen_main.status_line.timed(shown)

    def paint(self, view: View) -> None:
        self.screen_main.show_parameters(self.edit, self.lang)
        self.screen_main.paint(
            view,
            self.lang,
            scenario=self.live.title.get(self.lang),
            dirty=self.dirty,
            tier=self.selected_tier,
            measure=self.measure,
        )

    # -- messages from widgets -----------------------------------------------------------

    def on_tier_table_tier_selected(self, message: TierTable.TierSelected) -> None:
        self.selected_tier = message.index
        if self.view is not None:
            self.screen_main.show_costs(self.view, message.index, self.lang)

    def on_cost_table_edit_assumption(self, message: CostTable.EditAssumption) -> None:
        scheme = self.edit.scheme
        current = next(
            a
            for a in self.edit.settings().assumptions
            if a.benefit == message.benefit and a.tier == message.tier
        )
        driver = self.registry.drivers[current.driver]
        benefit_name = scheme.benefit(message.benefit).name.get(self.lang)
        if not driver.fields:
            self.status(self.w("costs.not_costed", benefit=benefit_name), error=True)
            return
        title = f"{benefit_name} · {scheme.tier(message.tier).name.get(self.lang)}"

        def apply(answer: dict[str, Any] | None) -> None:
            if answer is None:
                return
            tier = None if answer["all_tiers"] else message.tier
            changed = {k: v for k, v in answer["values"].items() if v != current.values.get(k)}
            if changed:
                self.changed(self.edit.set_assumptions(message.benefit, tier, changed))

        self.push_screen(AssumptionDialog(title, driver, current.values, self.lang), apply)

    def on_cost_table_reset_assumption(self, message: CostTable.ResetAssumption) -> None:
        self.edit.reset_assumptions(message.benefit, message.tier)
        self.changed()

    # -- actions ---------------------------------------------------------------------------

    def action_jump(self) -> None:
        """Pick a parameter or option by name (filtered as you type); the panel moves to it."""
        table = self.screen_main.query_one(ParameterTable)
        items = table.names(self.lang)

        def go(key: str | None) -> None:
            if key:
                table.select(key)

        self.push_screen(PickDialog(self.w("dialog.jump"), items, table.selected_key, self.lang), go)

    def action_help(self) -> None:
        self.push_screen(HelpScreen(self.lang))

    def action_undo(self) -> None:
        self.changed(None if self.edit.undo() else self.w("status.nothing_to_undo"))

    def action_redo(self) -> None:
        self.changed(None if self.edit.redo() else self.w("status.nothing_to_redo"))

    def action_reset_all(self) -> None:
        self.edit.reset_all()
        self.changed()

    def action_toggle_changes(self) -> None:
        tiers = self.screen_main.query_one(TierTable)
        tiers.changes = not tiers.changes
        if self.view is not None:
            self.paint(self.view)

    def action_toggle_measure(self) -> None:
        self.measure = "aum" if self.measure == "customers" else "customers"

    def watch_measure(self) -> None:
        if self.main is None:
            return
        self.screen_main.titles(self.lang, self.measure)
        if self.view is not None:
            self.screen_main.query_one(MigrationTable).show(self.view, self.lang, self.measure)

    def action_pin_baseline(self) -> None:
        self.live.pin_baseline(self.w("pinned", time=time.strftime("%H:%M:%S")))
        self.status(self.w("status.pinned"))
        self.schedule()

    def action_default_baseline(self) -> None:
        self.live.default_baseline()
        self.status(self.w("status.default_baseline"))
        self.schedule()

    def switch_scheme(self, scheme_id: str) -> None:
        try:
            self.live.switch_scheme(scheme_id)
        except WorkbenchError as exc:
            self.show_error(self.w("error.scheme_columns"), self.said(exc))
            return
        self.selected_tier = None
        self.changed()

    def action_quit_guarded(self) -> None:
        self.guard(self._leave)

    async def action_quit(self) -> None:
        """Ctrl+Q asks about unsaved changes too."""
        self.action_quit_guarded()

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for command, key in keys.palette_commands():
            assert command.palette is not None
            action = getattr(self, f"action_{command.action}")
            help_text = f"{key.does.get(self.lang)} ({key.shown})"
            yield SystemCommand(command.palette.get(self.lang), help_text, action)
