"""Scenarios side by side: tiers by scenario, what differs between them, and the migration
of each scenario against the first; exported as the command line's report."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Label, Static

from workbench import fmt
from workbench.live import Run
from workbench.present.comparing import differences, letters, side_by_side
from workbench.present.tables import Table
from workbench.present.tiers import migration_table
from workbench.present.words import word
from workbench.text import Lang
from workbench.tui import keys
from workbench.tui.style import DOWN_BAD, QUIET, UP_GOOD
from workbench.tui.widgets.footer import KeyFooter

STYLES = {"good": UP_GOOD, "bad": DOWN_BAD}


def fill(widget: DataTable, table: Table, diagonal_quiet: bool = False) -> None:
    """Put a present-layer table into a DataTable: changes coloured by their meaning, zeros
    and (for a migration) the diagonal quiet."""
    widget.clear(columns=True)
    for i, header in enumerate(table.headers):
        widget.add_column(header, key=str(i))
    for r, row in enumerate([*table.rows, *table.footer]):
        cells = []
        for c, (value, align) in enumerate(zip(row, table.align, strict=True)):
            style = STYLES.get(table.meaning(c, value), "")
            if value in ("0", "·") or (diagonal_quiet and c == r + 1):
                style = QUIET
            elif diagonal_quiet and c > 0:
                style = "bold yellow"
            cells.append(Text(value, style=style, justify="right" if align == ">" else "left"))
        widget.add_row(*cells)


class CompareScreen(Screen):
    BINDINGS = keys.bindings("compare")

    def __init__(self, runs: Sequence[Run], lang: Lang = "en") -> None:
        super().__init__()
        self.runs, self.lang = list(runs), lang
        self.measure = "customers"

    def compose(self) -> ComposeResult:
        lang = self.lang
        portfolio = self.runs[0].portfolio
        yield Label(
            Text(
                word("compare.title", lang, portfolio=portfolio.label(lang), rows=fmt.number(portfolio.rows))
            ),
            classes="screen-title",
        )
        with VerticalScroll():
            yield Static(id="legend")
            yield DataTable(id="compare-table", cursor_type="row", zebra_stripes=True)
            yield Label(Text(word("compare.differs", lang)), classes="section-title")
            yield Static(id="differences")
            yield Label(Text(word("compare.against_a", lang)), classes="section-title")
            yield Static(id="moves")
            for i, run in enumerate(self.runs[1:], start=1):
                if run.comparison is not None:
                    yield Label("", id=f"migration-title-{i}", classes="section-title")
                    yield DataTable(id=f"migration-{i}", cursor_type="none", zebra_stripes=False)
        yield KeyFooter()

    def on_mount(self) -> None:
        keys.localize(self, "compare", self.lang)
        legend = Text()
        for i, (tag, name) in enumerate(letters(self.runs)):
            legend.append(f" {tag} ", style="bold reverse")
            legend.append(f" {name}")
            if i == 0:
                legend.append(word("compare.reference", self.lang), style="dim")
            legend.append("\n")
        self.query_one("#legend", Static).update(legend)
        fill(self.query_one("#compare-table", DataTable), side_by_side(self.runs, self.lang))
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
        self.show_migrations()

    def show_migrations(self) -> None:
        """Each scenario's migration from A, in customers or AUM (``a`` switches)."""
        tags = letters(self.runs)
        for i, run in enumerate(self.runs[1:], start=1):
            if run.comparison is None:
                continue
            table = migration_table(run.comparison, self.lang, self.measure)
            what = word("compare.migration_aum" if self.measure == "aum" else "compare.migration", self.lang)
            title = word("compare.migration_title", self.lang, tag=tags[i][0], what=what)
            self.query_one(f"#migration-title-{i}", Label).update(f"{title} · {table.title}")
            widget = self.query_one(f"#migration-{i}", DataTable)
            fill(widget, table, diagonal_quiet=run.comparison.same_tiers)

    def action_toggle_measure(self) -> None:
        self.measure = "aum" if self.measure == "customers" else "customers"
        self.show_migrations()

    def action_export(self) -> None:
        export = getattr(self.app, "action_export", None)
        if export is not None:
            export(self.runs)

    def action_close(self) -> None:
        self.app.pop_screen()
