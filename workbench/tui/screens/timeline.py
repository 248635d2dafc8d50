"""The timeline of a portfolio over months: the tiers held month by month under the
scheme's evaluation policy (upgrades, downgrades, joiners, leavers, the month's cost),
each tier's trend, and the quarter table; the policy is edited here (``p``)."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from rich.text import Text as RichText
from textual import work
from textual.app import App, ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, DataTable, Input, Label, Static

from workbench.errors import WorkbenchError
from workbench.present.replaying import months_table, quarters_table, trend_lines
from workbench.present.words import word
from workbench.text import Lang
from workbench.tui import keys
from workbench.tui.screens.compare import fill
from workbench.tui.screens.dialogs import FormDialog
from workbench.tui.screens.live_screen import LiveScreen
from workbench.tui.widgets.footer import KeyFooter
from workbench.tui.widgets.parameters import ParameterTable

if TYPE_CHECKING:
    from collections.abc import Callable

    from workbench.live.months import Replay

REPLAY_AFTER_S = 0.15  # a burst of nudges replays once
POLICY_KEYS = ("window_months", "downgrade_after_months", "retention_ratio", "downgrade_months")


class PolicyDialog(FormDialog):
    """The four evaluation-policy keys; lists comma-separated."""

    def __init__(self, values: dict[str, object], lang: Lang) -> None:
        super().__init__()
        self.values, self.lang = values, lang

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(RichText(self.w("timeline.policy_title")), classes="dialog-title")
            for key in POLICY_KEYS:
                value = self.values[key]
                shown = ",".join(map(str, value)) if isinstance(value, list | tuple) else str(value)
                yield Label(RichText(f"{self.w('policy.' + key)} ({key})"))
                yield Input(shown, id=key)
            yield Static("", id="error", classes="error")
            yield Button("OK", variant="primary")

    def submit(self) -> None:
        self.dismiss({key: self.query_one(f"#{key}", Input).value.strip() for key in POLICY_KEYS})


def edit_policy(app: App, lang: Lang, after: Callable[[], None]) -> None:
    """The policy dialog; ``after`` runs once the change is made (not when refused)."""
    live = app.live  # type: ignore[attr-defined]

    def chosen(values: dict[str, str] | None) -> None:
        if values is None:
            return
        try:
            live.months.set_policy(values)
        except WorkbenchError as exc:
            app.show_error(word("error.policy", lang), exc.in_lang(lang))  # type: ignore[attr-defined]
            return
        after()

    app.push_screen(PolicyDialog(live.months.policy.as_dict(), lang), chosen)


class TimelineScreen(LiveScreen):
    """Thresholds and policy keys on the left (nudged as on the workbench: the months are
    replayed again in a worker and repainted), the months on the right; enter on a month
    shows it in the other panels."""

    BINDINGS = keys.bindings("timeline")

    def compose(self) -> ComposeResult:
        yield Label("", id="timeline-title", classes="screen-title")
        with Horizontal(id="timeline-body"):
            yield ParameterTable(id="timeline-parameters")
            with VerticalScroll(id="timeline-right", can_focus=False):
                yield Static(RichText(self.w("timeline.replaying"), style="dim"), id="timeline-trends")
                yield DataTable(id="timeline-months", cursor_type="row", zebra_stripes=True)
                yield Label(RichText(self.w("quarters_title")), classes="section-title")
                yield DataTable(id="timeline-quarters", cursor_type="none")
        yield KeyFooter()

    def on_mount(self) -> None:
        keys.localize(self, "timeline", self.lang)
        self.result: Replay | None = None
        table = self.query_one(ParameterTable)
        table.compact = True  # the months take the width
        keys.localize(table, "parameters", self.lang, narrow=True)
        table.border_title = self.w("panel.parameters")
        self.show_parameters()
        self.compute()

    def show_parameters(self) -> None:
        live = self.live
        edit = live.edit
        self.query_one(ParameterTable).show(
            edit.scheme, edit.state, edit.last_change, self.lang, live.months.rows(self.lang)
        )

    def settings_changed(self) -> None:
        """A threshold, weight, option or policy key changed: replay again (a burst of
        nudges replays once)."""
        self.show_parameters()
        self.compute(wait=REPLAY_AFTER_S)

    @work(exclusive=True, group="timeline", exit_on_error=False)
    async def compute(self, wait: float = 0.0) -> None:
        """Replay in a thread after ``wait`` seconds; a newer change cancels this one."""
        if wait:
            await asyncio.sleep(wait)
        try:
            result = await asyncio.to_thread(self.live.months.replay)
        except WorkbenchError as exc:
            self.failed(exc.in_lang(self.lang))
            return
        self.show(result)

    def failed(self, message: str) -> None:
        self.query_one("#timeline-trends", Static).update(RichText(message, style="bold red"))

    def show(self, result: Replay) -> None:
        self.result = result
        lang = self.lang
        live = self.live
        panel, shown = live.months.panel, live.months.shown
        policy = ", ".join(
            f"{k}={','.join(map(str, v)) if isinstance(v, list) else v}"
            for k, v in result.policy.as_dict().items()
        )
        title = self.w(
            "timeline.title", name=panel.name if panel else "", months=len(result.months), policy=policy
        )
        if shown is not None:
            title += " · " + self.w("timeline.shown", month=shown.panel.months[shown.index])
        self.query_one("#timeline-title", Label).update(RichText(title))
        trends = RichText()
        lines = trend_lines(result, lang)
        width = max(len(name) for name, _, _ in lines) + 2
        for name, shape, span in lines:
            trends.append(f" {name:<{width}}", style="bold")
            trends.append(shape, style="cyan")
            trends.append(f"  {span}\n", style="dim")
        self.query_one("#timeline-trends", Static).update(trends)
        months = self.query_one("#timeline-months", DataTable)
        row = months.cursor_row
        fill(months, months_table(result, lang))
        months.move_cursor(row=min(row, months.row_count - 1))
        fill(self.query_one("#timeline-quarters", DataTable), quarters_table(result, lang))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter on a month: the other panels show that month."""
        if event.data_table.id != "timeline-months" or self.result is None:
            return
        event.stop()
        month = self.result.months[event.cursor_row].month
        try:
            self.live.months.show_month(month)
        except WorkbenchError as exc:
            self.failed(exc.in_lang(self.lang))
            return
        self.app.changed()  # type: ignore[attr-defined]
        self.notify(self.w("timeline.shown", month=month), markup=False)
        self.compute()

    def action_policy(self) -> None:
        edit_policy(self.app, self.lang, self.app.changed)  # type: ignore[attr-defined]

    def action_close(self) -> None:
        self.app.pop_screen()
