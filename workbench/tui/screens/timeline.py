"""The timeline of a portfolio over months: the tiers held month by month under the
scheme's evaluation policy (upgrades, downgrades, joiners, leavers, the month's cost),
each tier's trend, and the quarter table; the policy is edited here (``p``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text as RichText
from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Button, DataTable, Footer, Input, Label, Static

from workbench.errors import WorkbenchError
from workbench.present.replaying import months_table, quarters_table, trend_lines
from workbench.text import Lang
from workbench.tui import keys
from workbench.tui.screens.compare import fill
from workbench.tui.screens.dialogs import FormDialog
from workbench.tui.screens.live_screen import LiveScreen

if TYPE_CHECKING:
    from workbench.live.months import Replay

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


class TimelineScreen(LiveScreen):
    BINDINGS = keys.bindings("timeline")

    def compose(self) -> ComposeResult:
        yield Label("", id="timeline-title", classes="screen-title")
        with VerticalScroll():
            yield Static(RichText(self.w("timeline.replaying"), style="dim"), id="timeline-trends")
            yield DataTable(id="timeline-months", cursor_type="row", zebra_stripes=True)
            yield Label(RichText(self.w("quarters_title")), classes="section-title")
            yield DataTable(id="timeline-quarters", cursor_type="none")
        yield Footer()

    def on_mount(self) -> None:
        keys.localize(self, "timeline", self.lang)
        self.compute()

    @work(thread=True, exclusive=True, group="timeline", exit_on_error=False)
    def compute(self) -> None:
        try:
            result = self.live.months.replay()
        except WorkbenchError as exc:
            self.app.call_from_thread(self.failed, exc.in_lang(self.lang))
            return
        self.app.call_from_thread(self.show, result)

    def failed(self, message: str) -> None:
        self.query_one("#timeline-trends", Static).update(RichText(message, style="bold red"))

    def show(self, result: Replay) -> None:
        lang = self.lang
        panel = self.live.months.panel
        policy = ", ".join(
            f"{k}={','.join(map(str, v)) if isinstance(v, list) else v}"
            for k, v in result.policy.as_dict().items()
        )
        title = self.w(
            "timeline.title", name=panel.name if panel else "", months=len(result.months), policy=policy
        )
        self.query_one("#timeline-title", Label).update(RichText(title))
        trends = RichText()
        lines = trend_lines(result, lang)
        width = max(len(name) for name, _, _ in lines) + 2
        for name, shape, span in lines:
            trends.append(f" {name:<{width}}", style="bold")
            trends.append(shape, style="cyan")
            trends.append(f"  {span}\n", style="dim")
        self.query_one("#timeline-trends", Static).update(trends)
        fill(self.query_one("#timeline-months", DataTable), months_table(result, lang))
        fill(self.query_one("#timeline-quarters", DataTable), quarters_table(result, lang))

    def action_policy(self) -> None:
        def chosen(values: dict[str, str] | None) -> None:
            if values is None:
                return
            try:
                self.live.months.set_policy(values)
            except WorkbenchError as exc:
                self.app.show_error(self.w("error.policy"), exc.in_lang(self.lang))  # type: ignore[attr-defined]
                return
            self.query_one("#timeline-trends", Static).update(
                RichText(self.w("timeline.replaying"), style="dim")
            )
            self.compute()

        self.app.push_screen(PolicyDialog(self.live.months.policy.as_dict(), self.lang), chosen)

    def action_close(self) -> None:
        self.app.pop_screen()
