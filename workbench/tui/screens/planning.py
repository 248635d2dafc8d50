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

from workbench import Scheme, fmt
from workbench.fmt import parse_number, trimmed
from workbench.live import Sweep
from workbench.present.sweeping import sentence, sweep_table
from workbench.present.words import word
from workbench.text import Lang
from workbench.tui import keys
from workbench.tui.screens.dialogs import Dialog, FormDialog


class SweepDialog(FormDialog):
    """Which parameter, from, to, steps."""

    def __init__(
        self, scheme: Scheme, params: dict[str, float], selected: str | None, lang: Lang = "en"
    ) -> None:
        super().__init__()
        self.scheme, self.params, self.selected, self.lang = scheme, params, selected, lang

    def compose(self) -> ComposeResult:
        pid = self.selected or self.scheme.parameters[0].id
        value = self.params[pid]
        with Vertical(classes="dialog"):
            yield Label(Text(self.w("sweep.title")), classes="dialog-title")
            with Grid(classes="fields"):
                yield Label(Text(self.w("sweep.parameter")))
                yield Select(
                    [(p.name.get(self.lang), p.id) for p in self.scheme.parameters],
                    value=pid,
                    allow_blank=False,
                    id="param",
                )
                yield Label(Text(self.w("sweep.from")))
                yield Input(trimmed(value / 2, 2), id="from")
                yield Label(Text(self.w("sweep.to")))
                yield Input(trimmed(value * 2, 2), id="to")
                yield Label(Text(self.w("sweep.steps")))
                yield Input("21", id="steps")
            yield Static(Text(self.w("sweep.hint")), classes="hint")
            yield Static("", id="error", classes="error")
            with Horizontal(classes="buttons"):
                yield Button(self.w("sweep.go"), variant="primary", id="go")
                yield Button(self.w("dialog.cancel"), id="cancel")

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
            self.error(self.w("sweep.numbers"))
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

    BINDINGS = keys.bindings("sweep")

    def __init__(self, sweep: Sweep, lang: Lang = "en") -> None:
        super().__init__()
        self.sweep, self.lang = sweep, lang

    def compose(self) -> ComposeResult:
        s = self.sweep
        title = word(
            "sweep.screen",
            self.lang,
            param=s.parameter.name.get(self.lang),
            scheme=s.scheme.name.get(self.lang),
        )
        yield Label(Text(title), classes="screen-title")
        with VerticalScroll():
            yield Static(Text(sentence(s, self.lang), style="bold"))
            yield Static(id="curve")
            yield DataTable(id="sweep-table", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        keys.localize(self, "sweep", self.lang)
        table = sweep_table(self.sweep, self.lang)
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
            first, last = fmt.money(costs[0], self.lang), fmt.money(costs[-1], self.lang)
            curve = word("sweep.curve", self.lang, first=first, line=line, last=last)
            self.query_one("#curve", Static).update(Text(curve, style="cyan"))
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


ALL = "__all__"


class SolveDialog(FormDialog):
    """A target share at or above a tier, or a budget; which parameters may move. The
    target starts at the chosen tier's share today (one the portfolio can reach), the
    budget at today's cost; every choice is named, not an id."""

    def __init__(
        self,
        scheme: Scheme,
        lang: Lang = "en",
        shares: Sequence[float] = (),
        cost: float = 0.0,
    ) -> None:
        """``shares``: today's share of customers at or above each tier; ``cost``: today's
        total benefit cost."""
        super().__init__()
        self.scheme, self.lang, self.shares, self.cost = scheme, lang, list(shares), cost

    def _default(self, goal: str, tier: str) -> str:
        if goal == "budget":
            return trimmed(round(self.cost), 0)
        index = self.scheme.tier_index(tier)
        share = self.shares[index] if index < len(self.shares) else 0.2
        return trimmed(share * 100, 1)

    def compose(self) -> ComposeResult:
        tiers = [(t.name.get(self.lang), t.id) for t in self.scheme.tiers[1:]]
        vary = [(self.w("solve.vary_tier"), ALL)] + [
            (p.name.get(self.lang), p.id) for p in self.scheme.parameters if p.kind == "threshold"
        ]
        with Vertical(classes="dialog"):
            yield Label(Text(self.w("solve.title")), classes="dialog-title")
            with Grid(classes="fields"):
                yield Label(Text(self.w("solve.goal")))
                yield Select(
                    [(self.w("solve.target"), "target"), (self.w("solve.budget"), "budget")],
                    value="target",
                    allow_blank=False,
                    id="goal",
                )
                yield Label(Text(self.w("solve.tier")))
                yield Select(tiers, value=tiers[-1][1], allow_blank=False, id="tier")
                yield Label(Text(self.w("solve.amount")))
                yield Input(self._default("target", tiers[-1][1]), id="amount")
                yield Label(Text(self.w("solve.vary")))
                yield Select(vary, value=ALL, allow_blank=False, id="vary")
            yield Static(Text(self.w("solve.hint")), classes="hint")
            yield Static("", id="error", classes="error")
            with Horizontal(classes="buttons"):
                yield Button(self.w("solve.go"), variant="primary", id="go")
                yield Button(self.w("dialog.cancel"), id="cancel")

    def on_mount(self) -> None:
        self.query_one("#amount", Input).focus()

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id in ("goal", "tier"):
            goal = str(self.query_one("#goal", Select).value)
            tier = str(self.query_one("#tier", Select).value)
            self.query_one("#amount", Input).value = self._default(goal, tier)

    def submit(self) -> None:
        goal = str(self.query_one("#goal", Select).value)
        try:
            amount = parse_number(self.query_one("#amount", Input).value.rstrip("%"))
        except ValueError:
            self.error(self.w("solve.amount_number"))
            return
        vary = str(self.query_one("#vary", Select).value)
        self.dismiss(
            {
                "goal": goal,
                "tier": str(self.query_one("#tier", Select).value),
                "amount": amount,
                "vary": None if vary == ALL else [vary],
            }
        )


class OutcomeDialog(Dialog):
    """The solver's report; enter applies its values (when there are any), escape not."""

    BINDINGS = [Binding("escape", "cancel", "cancel", show=False)]

    def __init__(self, title: str, text: str, can_apply: bool, lang: Lang = "en") -> None:
        super().__init__()
        self.title_text, self.text, self.can_apply, self.lang = title, text, can_apply, lang

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label(Text(self.title_text), classes="dialog-title")
            with VerticalScroll(classes="message"):
                yield Static(Text(self.text))
            with Horizontal(classes="buttons"):
                if self.can_apply:
                    yield Button(self.w("solve.apply"), variant="primary", id="apply")
                yield Button(self.w("dialog.close"), id="close")

    def on_mount(self) -> None:
        self.query_one("#apply" if self.can_apply else "#close", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "apply")


class ExplainDialog(Dialog):
    """Which customer."""

    def __init__(self, example: str, lang: Lang = "en") -> None:
        super().__init__()
        self.example, self.lang = example, lang

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(Text(self.w("explain.title")), classes="dialog-title")
            yield Input("", placeholder=self.w("explain.placeholder", example=self.example), id="customer")
            yield Static(Text(self.w("explain.hint")), classes="hint")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.value.strip():
            self.dismiss(event.value.strip())


class ExplainScreen(Screen):
    BINDINGS = keys.bindings("explain")

    def on_mount(self) -> None:
        keys.localize(self, "explain", self.lang)

    def __init__(self, title: str, lines: Sequence[str], lang: Lang = "en") -> None:
        super().__init__()
        self.title_text, self.lines, self.lang = title, lines, lang

    def compose(self) -> ComposeResult:
        yield Label(Text(self.title_text), classes="screen-title")
        with VerticalScroll():
            text = Text()
            for line in self.lines:
                style = (
                    "green"
                    if "✓" in line
                    else "red"
                    if "✗" in line
                    else "bold"
                    if line.startswith(("Tier", "Why", "Customer", "等级", "客户"))
                    else ""
                )
                text.append(line + "\n", style=style)
            yield Static(text)
        yield Footer()

    def action_close(self) -> None:
        self.app.pop_screen()
