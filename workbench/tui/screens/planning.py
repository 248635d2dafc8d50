"""Planner tools in the workbench: sweep a parameter, solve for a target, explain a customer.

Each asks for its inputs in a dialog, runs in the library, and shows the
outcome; a sweep value or a solution can be applied to the scenario being
edited (one undoable change), then saved like any other edit.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, DataTable, Footer, Input, Label, Select, Static

from workbench import fmt
from workbench.fmt import parse_number, trimmed
from workbench.model import Scheme
from workbench.sweep import Sweep
from workbench.tui.screens.dialogs import Dialog, FormDialog


class SweepDialog(FormDialog):
    """Which parameter, from, to, steps."""

    def __init__(self, scheme: Scheme, params: dict[str, float], selected: str | None) -> None:
        super().__init__()
        self.scheme, self.params, self.selected = scheme, params, selected

    def compose(self) -> ComposeResult:
        pid = self.selected or self.scheme.parameters[0].id
        value = self.params[pid]
        with Vertical(classes="dialog"):
            yield Label("Sweep a parameter", classes="dialog-title")
            with Grid(classes="fields"):
                yield Label("parameter")
                yield Select(
                    [(p.id, p.id) for p in self.scheme.parameters], value=pid, allow_blank=False, id="param"
                )
                yield Label("from")
                yield Input(trimmed(value / 2, 2), id="from")
                yield Label("to")
                yield Input(trimmed(value * 2, 2), id="to")
                yield Label("steps")
                yield Input("21", id="steps")
            yield Static("values outside the rising order are listed as not allowed", classes="hint")
            yield Static("", id="error", classes="error")
            with Horizontal(classes="buttons"):
                yield Button("Sweep", variant="primary", id="go")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#from", Input).focus()

    def on_select_changed(self, event: Select.Changed) -> None:
        value = self.params[str(event.value)]
        self.query_one("#from", Input).value = trimmed(value / 2, 2)
        self.query_one("#to", Input).value = trimmed(value * 2, 2)

    def submit(self) -> None:
        try:
            start = parse_number(self.query_one("#from", Input).value)
            stop = parse_number(self.query_one("#to", Input).value)
            steps = int(self.query_one("#steps", Input).value)
        except ValueError:
            self.error("from, to and steps must be numbers")
            return
        self.dismiss(
            {
                "param": str(self.query_one("#param", Select).value),
                "start": start,
                "stop": stop,
                "steps": steps,
            }
        )


class SweepScreen(Screen):
    """The sweep's table, its cost curve, and enter to use a value."""

    BINDINGS = [Binding("escape,q", "close", "back"), Binding("enter", "use", "use this value")]

    def __init__(self, sweep: Sweep, lang: str = "en") -> None:
        super().__init__()
        self.sweep, self.lang = sweep, lang

    def compose(self) -> ComposeResult:
        s = self.sweep
        yield Label(f"Sweep of {s.parameter.id} · {s.scheme.name.get(self.lang)}", classes="screen-title")
        with VerticalScroll():
            yield Static(Text(s.sentence(), style="bold"))
            yield Static(id="curve")
            yield DataTable(id="sweep-table", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.sweep.table(self.lang)
        widget = self.query_one(DataTable)
        for i, header in enumerate(table.headers):
            widget.add_column(header, key=str(i))
        current = 0
        for i, (point, row) in enumerate(zip(self.sweep.points, table.rows, strict=True)):
            style = "dim" if point.error else ("bold yellow" if point.value == self.sweep.current else "")
            widget.add_row(
                *(
                    Text(c, style=style, justify="right" if a == ">" else "left")
                    for c, a in zip(row, table.align, strict=True)
                ),
                key=str(i),
            )
            if point.value == self.sweep.current:
                current = i
        widget.move_cursor(row=current)
        valid = self.sweep.valid
        if valid:
            costs = [p.total_cost for p in valid]
            lo, hi = min(costs), max(costs)
            blocks = " ▁▂▃▄▅▆▇█"
            line = "".join(blocks[1 + int((c - lo) / (hi - lo) * 7) if hi > lo else 4] for c in costs)
            self.query_one("#curve", Static).update(
                Text(f"benefit cost {fmt.money(costs[0])} {line} {fmt.money(costs[-1])}", style="cyan")
            )
        widget.focus()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_use()

    def action_use(self) -> None:
        widget = self.query_one(DataTable)
        point = self.sweep.points[widget.cursor_row]
        if point.error:
            self.app.bell()
            return
        self.dismiss(point.value)

    def action_close(self) -> None:
        self.dismiss(None)


class SolveDialog(FormDialog):
    """A target share at or above a tier, or a budget; which parameters may move."""

    def __init__(self, scheme: Scheme) -> None:
        super().__init__()
        self.scheme = scheme

    def compose(self) -> ComposeResult:
        tiers = [(t.name.en, t.id) for t in self.scheme.tiers[1:]]
        with Vertical(classes="dialog"):
            yield Label("Solve for thresholds", classes="dialog-title")
            with Grid(classes="fields"):
                yield Label("goal")
                yield Select(
                    [("share at or above tier", "target"), ("cost within budget", "budget")],
                    value="target",
                    allow_blank=False,
                    id="goal",
                )
                yield Label("tier")
                yield Select(tiers, value=tiers[-1][1], allow_blank=False, id="tier")
                yield Label("share % (target) / CNY (budget)")
                yield Input("20", id="amount")
                yield Label("vary (empty: the tier's thresholds, or all for a budget)")
                yield Input("", placeholder="platinum_personal, platinum_household", id="vary")
            yield Static("", id="error", classes="error")
            with Horizontal(classes="buttons"):
                yield Button("Solve", variant="primary", id="go")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#amount", Input).focus()

    def submit(self) -> None:
        goal = str(self.query_one("#goal", Select).value)
        try:
            amount = parse_number(self.query_one("#amount", Input).value.rstrip("%"))
        except ValueError:
            self.error("the amount must be a number")
            return
        vary = [v.strip() for v in self.query_one("#vary", Input).value.split(",") if v.strip()]
        unknown = [v for v in vary if v not in self.scheme.default_params]
        if unknown:
            self.error("unknown parameters: " + ", ".join(unknown))
            return
        self.dismiss(
            {
                "goal": goal,
                "tier": str(self.query_one("#tier", Select).value),
                "amount": amount,
                "vary": vary or None,
            }
        )


class OutcomeDialog(Dialog):
    """The solver's report; apply its values or not."""

    def __init__(self, title: str, text: str, can_apply: bool) -> None:
        super().__init__()
        self.title_text, self.text, self.can_apply = title, text, can_apply

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label(self.title_text, classes="dialog-title")
            with VerticalScroll(classes="message"):
                yield Static(Text(self.text))
            with Horizontal(classes="buttons"):
                if self.can_apply:
                    yield Button("Apply to the scenario", variant="primary", id="apply")
                yield Button("Close", id="close")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "apply")


class ExplainDialog(Dialog):
    """Which customer."""

    def __init__(self, example: str) -> None:
        super().__init__()
        self.example = example

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Explain a customer's tier", classes="dialog-title")
            yield Input("", placeholder=f"customer key, e.g. {self.example}", id="customer")
            yield Static("explained under the current settings and against the baseline", classes="hint")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.value.strip():
            self.dismiss(event.value.strip())


class ExplainScreen(Screen):
    BINDINGS = [Binding("escape,q", "close", "back")]

    def __init__(self, title: str, lines: Sequence[str]) -> None:
        super().__init__()
        self.title_text, self.lines = title, lines

    def compose(self) -> ComposeResult:
        yield Label(self.title_text, classes="screen-title")
        with VerticalScroll():
            text = Text()
            for line in self.lines:
                style = (
                    "green"
                    if "✓" in line
                    else "red"
                    if "✗" in line
                    else "bold"
                    if line.startswith(("Tier", "Why", "Customer"))
                    else ""
                )
                text.append(line + "\n", style=style)
            yield Static(text)
        yield Footer()

    def action_close(self) -> None:
        self.app.pop_screen()
