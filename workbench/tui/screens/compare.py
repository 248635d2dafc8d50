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
from workbench.live import Run
from workbench.present.comparing import differences, letters, side_by_side
from workbench.present.words import word
from workbench.text import Lang


class CompareScreen(Screen):
    BINDINGS = [Binding("escape,c,q", "close", "back to the workbench")]

    def __init__(self, runs: Sequence[Run], lang: Lang = "en") -> None:
        super().__init__()
        self.runs, self.lang = list(runs), lang

    def compose(self) -> ComposeResult:
        lang = self.lang
        portfolio = self.runs[0].portfolio
        yield Label(
            word("compare.title", lang, portfolio=portfolio.name, rows=fmt.number(portfolio.rows)),
            classes="screen-title",
        )
        with VerticalScroll():
            yield Static(id="legend")
            yield DataTable(id="compare-table", cursor_type="row", zebra_stripes=True)
            yield Label(word("compare.differs", lang), classes="section-title")
            yield Static(id="differences")
            yield Label(word("compare.against_a", lang), classes="section-title")
            yield Static(id="moves")
        yield Footer()

    def on_mount(self) -> None:
        legend = Text()
        for i, (tag, name) in enumerate(letters(self.runs)):
            legend.append(f" {tag} ", style="bold reverse")
            legend.append(f" {name}")
            if i == 0:
                legend.append(word("compare.reference", self.lang), style="dim")
            legend.append("\n")
        self.query_one("#legend", Static).update(legend)
        table = side_by_side(self.runs, self.lang)
        widget = self.query_one("#compare-table", DataTable)
        for i, header in enumerate(table.headers):
            widget.add_column(header, key=str(i))
        for row in [*table.rows, *table.footer]:
            cells = []
            for value, align, header in zip(row, table.align, table.headers, strict=True):
                style = ""
                if header.startswith("Δ") and value not in ("", "0"):
                    style = (
                        "green" if value.startswith("+") != ("cost" in header or "成本" in header) else "red"
                    )
                cells.append(Text(value, style=style, justify="right" if align == ">" else "left"))
            widget.add_row(*cells)
        diffs = differences(self.runs)
        text = Text()
        if not diffs:
            text.append(word("compare.no_differences", self.lang), style="dim")
        for d in diffs:
            text.append(d.describe() + "\n")
        self.query_one("#differences", Static).update(text)
        moves = Text()
        first = self.runs[0]
        for (tag, _), run in zip(letters(self.runs)[1:], self.runs[1:], strict=True):
            if run.comparison is None:
                continue
            delta = fmt.signed_money(
                run.result.total_benefit_cost - first.result.total_benefit_cost, self.lang
            )
            moves.append(f" {tag} ", style="bold reverse")
            moves.append(
                word("compare.moves", self.lang, moved=fmt.number(run.comparison.moved), delta=delta)
            )
            moves.append("\n")
        self.query_one("#moves", Static).update(moves)

    def action_close(self) -> None:
        self.app.pop_screen()
