"""Scenarios side by side: tiers by scenario, and what differs between them."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Label, Static

from workbench import fmt
from workbench.comparing import differences, side_by_side
from workbench.session import Run
from workbench.text import Lang


class CompareScreen(Screen):
    BINDINGS = [Binding("escape,c,q", "close", "back to the workbench")]

    def __init__(self, runs: Sequence[Run], lang: Lang = "en") -> None:
        super().__init__()
        self.runs, self.lang = list(runs), lang

    def compose(self) -> ComposeResult:
        zh = self.lang == "zh"
        names = ", ".join(run.scenario.display_name for run in self.runs)
        yield Label(("情景对比:" if zh else "Compare: ") + names, classes="screen-title")
        with VerticalScroll():
            yield DataTable(id="compare-table", cursor_type="row", zebra_stripes=True)
            yield Label("差异" if zh else "What differs", classes="section-title")
            yield Static(id="differences")
            yield Label(
                "相对第一个情景的迁移" if zh else "Customers moved against the first scenario",
                classes="section-title",
            )
            yield Static(id="moves")
        yield Footer()

    def on_mount(self) -> None:
        table = side_by_side(self.runs, self.lang)
        widget = self.query_one("#compare-table", DataTable)
        for i, header in enumerate(table.headers):
            widget.add_column(header, key=str(i))
        for row in [*table.rows, *table.footer]:
            widget.add_row(
                *(
                    Text(c, justify="right" if a == ">" else "left")
                    for c, a in zip(row, table.align, strict=True)
                )
            )
        diffs = differences(self.runs)
        text = Text()
        if not diffs:
            text.append("no differences in settings" if self.lang == "en" else "设置无差异", style="dim")
        for d in diffs:
            text.append(d.describe() + "\n")
        self.query_one("#differences", Static).update(text)
        moves = Text()
        first = self.runs[0]
        for run in self.runs[1:]:
            if run.comparison is None:
                continue
            moved = run.comparison.moved
            delta = run.result.total_benefit_cost - first.result.total_benefit_cost
            moves.append(f"{run.scenario.display_name}: ", style="bold")
            moves.append(
                f"{fmt.number(moved)} moved, benefit cost {fmt.signed_money(delta, self.lang)}\n"
                if self.lang == "en"
                else f"迁移{fmt.number(moved)}户,权益成本{fmt.signed_money(delta, 'zh')}\n"
            )
        self.query_one("#moves", Static).update(moves)

    def action_close(self) -> None:
        self.app.pop_screen()
