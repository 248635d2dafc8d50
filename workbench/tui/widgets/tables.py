"""Tier, migration, "qualified by" and cost tables."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.message import Message
from textual.widgets import DataTable

from workbench import fmt
from workbench.live import Interval, TierIntervals, View, breakdown_labels
from workbench.present.words import label, word
from workbench.text import Lang
from workbench.tui.style import delta, right
from workbench.tui.widgets.cellcache import KeptCells
from workbench.tui.widgets.sized import ShownForWidth


def cell_width(cell: object) -> int:
    return cell.cell_len if isinstance(cell, Text) else cell_len(str(cell))


def content_widths(columns: list[tuple[str, str]], rows: list[tuple[str, list]]) -> list[int]:
    """Each column's width for its header and cells (terminal columns, padding apart)."""
    return [
        max([cell_len(head), *(cell_width(cells[i]) for _, cells in rows)])
        for i, (_, head) in enumerate(columns)
    ]


def with_gutters(
    columns: list[tuple[str, str]], rows: list[tuple[str, list]]
) -> tuple[list[tuple[str, str]], list[tuple[str, list]]]:
    """The table's headers and cells, each led by a space: gutters of one between the
    columns when drawn without padding."""

    def led(cell: object) -> object:
        if isinstance(cell, Text):
            cell = cell.copy()
            cell.pad_left(1)
            return cell
        return f" {cell}"

    heads = [(key, f" {head}") for key, head in columns]
    return heads, [(key, [led(c) for c in cells]) for key, cells in rows]


def same_cell(a: object, b: object) -> bool:
    """Whether two cells look the same (text, style and alignment)."""
    if isinstance(a, Text) and isinstance(b, Text):
        return a.plain == b.plain and a.style == b.style and a.justify == b.justify and a.spans == b.spans
    return type(a) is type(b) and a == b


class RefreshingTable(KeptCells):
    """A table rebuilt from a list of (key, cells); the cursor stays on its row.

    Cells are updated in place when the rows and columns are the same and every
    value still fits its column (and, in a table wider than its room, no column could
    narrow); otherwise the rows are rebuilt (DataTable keeps rendered lines cached
    after a column widens in place, and never narrows one).

    A table wider than its room with gutters of two between its columns gets gutters of
    one (each cell led by a space, no padding) before it would scroll sideways: Chinese
    tier names are twice as wide, and a cell that ends at the border reads as cut.
    """

    tight = False  # gutters of one: the cells carry them

    def watch_virtual_size(self, old: object, new: object) -> None:
        # An auto-height table whose rows changed after its first layout keeps its old
        # height unless asked to lay out again.
        if old != new:
            self.refresh(layout=True)

    async def _on_idle(self, event: events.Idle) -> None:
        # DataTable measures new rows' widths when idle, but keeps the lines it rendered
        # before that (cached by its update count, not by width): a rebuild painted twice
        # in a burst (a language switch, then a nudge) stayed cut to the headers' widths.
        measuring = self._require_update_dimensions or bool(self._updated_cells)
        await super()._on_idle(event)
        if measuring:
            self._update_count += 1
            self.refresh()

    def fits(self, columns: list[tuple[str, str]], rows: list[tuple[str, list]]) -> bool:
        """Whether the table would fit its width without scrolling (true before layout)."""
        return self.excess(columns, rows) <= 0

    def excess(self, columns: list[tuple[str, str]], rows: list[tuple[str, list]]) -> int:
        """How many terminal columns the table is wider than its room with gutters of two
        (0 before layout)."""
        width = self.scrollable_content_region.width + (1 if self.tight else 0)  # its own gutter
        if width <= 1:
            return 0
        return sum(w + 2 for w in content_widths(columns, rows)) - width

    def replace_rows(self, columns: list[tuple[str, str]], rows: list[tuple[str, list]]) -> None:
        over = self.excess(columns, rows)
        tight = 0 < over <= len(columns) - 1  # one gutter fewer a column: then it fits
        if tight:
            columns, rows = with_gutters(columns, rows)
        rebuild = tight != self.tight  # every column's width changes
        if rebuild:
            self.tight = tight
            self.cell_padding = 0 if tight else 1
            self.styles.padding = (0, 1, 0, 0) if tight else 0  # the gutter after the last column
        self._replace_rows(columns, rows, rebuild)

    def _replace_rows(
        self, columns: list[tuple[str, str]], rows: list[tuple[str, list]], rebuild: bool
    ) -> None:
        selected = None
        if self.row_count and self.cursor_type == "row":
            selected = self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value
        current = self.ordered_columns
        same_shape = (
            [str(c.key.value) for c in current] == [k for k, _ in columns]
            and all(str(c.label) == lab for c, (_, lab) in zip(current, columns, strict=True))
            and [str(r.key.value) for r in self.ordered_rows] == [k for k, _ in rows]
        )
        # In place when every cell fits its column; and, where the columns are wider than
        # the room, when none could narrow (DataTable never narrows one in place, so a
        # table shown again for less room would stay cut).
        needed = content_widths(columns, rows)
        fits = same_shape and all(n <= c.content_width for c, n in zip(current, needed, strict=True))
        fits = fits and not rebuild
        room = self.scrollable_content_region.width
        if fits and room > 0 and sum(c.content_width + 2 * self.cell_padding for c in current) > room:
            fits = all(n == c.content_width for c, n in zip(current, needed, strict=True))
        if fits:
            # Every update makes DataTable render all its cells again: update only what changed.
            for key, cells in rows:
                for (column, _), cell in zip(columns, cells, strict=True):
                    if not same_cell(self.get_cell(key, column), cell):
                        self.update_cell(key, column, cell)
            return
        self.clear(columns=True)
        for key, lab in columns:
            self.add_column(lab, key=key)
        for key, cells in rows:
            self.add_row(*cells, key=key)
        keys = [k for k, _ in rows]
        if selected in keys and self.cursor_type == "row":
            self.move_cursor(row=keys.index(selected), animate=False)


class TierTable(RefreshingTable, ShownForWidth):
    """Per tier: customers, share, AUM, AUM share, cost, with deltas against the baseline."""

    class TierSelected(Message):
        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(cursor_type="row", **kwargs)
        self.compact = False
        self.changes = False

    def _change_specs(self, view: View, lang: Lang) -> list:
        """Columns of changes against the baseline, one per figure."""
        result, base = view.result, view.comparison.baseline
        before = base.rows()
        compact = self.compact
        totals, totals0 = result.totals, base.totals
        n, n0 = totals.customers, totals0.customers
        per, per0 = totals.cost_per_customer, totals0.cost_per_customer
        bp, bp0 = totals.cost_bp, totals0.cost_bp

        def pp(value: float) -> Text:
            return delta(value, text=fmt.signed_percent_points(value), quiet_below=0.0005)

        def money(value: float, good: bool, short: bool = False) -> Text:
            return delta(value, money=True, lang=lang, higher_is_good=good, compact=compact or short)

        def b(r):
            return before[r.index]

        return [
            (
                "customers",
                "customers",
                lambda r: delta(r.customers - b(r).customers),
                lambda: delta(n - n0),
                True,
                True,
            ),
            ("share", "share", lambda r: pp(r.share - b(r).share), lambda: right(""), True, True),
            (
                "aum",
                "aum_short",
                lambda r: money(r.aum - b(r).aum, True, short=True),
                lambda: money(result.total_aum - base.total_aum, True, short=True),
                True,
                True,
            ),
            (
                "aum_share",
                "aum_share",
                lambda r: pp(r.aum_share - b(r).aum_share),
                lambda: right(""),
                True,
                True,
            ),
            (
                "cost",
                "cost_short",
                lambda r: money(r.benefit_cost - b(r).benefit_cost, False),
                lambda: money(result.total_benefit_cost - base.total_benefit_cost, False),
                True,
                True,
            ),
            (
                "per",
                "per_customer_short",
                lambda r: money(r.cost_per_customer - b(r).cost_per_customer, False),
                lambda: money(per - per0, False),
                True,
                True,
            ),
            (
                "bp",
                "bp_short",
                lambda r: delta(
                    r.cost_bp - b(r).cost_bp,
                    text=fmt.signed(r.cost_bp - b(r).cost_bp, 2),
                    higher_is_good=False,
                ),
                lambda: delta(bp - bp0, text=fmt.signed(bp - bp0, 2), higher_is_good=False),
                True,
                True,
            ),
        ]

    def show(self, view: View, lang: Lang) -> None:
        self.shown(lambda: self.show(view, lang))  # its columns are chosen by its width
        columns, rows = self._table(view, lang, short_money=self.compact)
        if not self.compact and not self.fits(columns, rows):
            columns, rows = self._table(view, lang, short_money=True)  # 1.46bn, not 1,462,948,499
            if not self.fits(columns, rows):  # ± columns beside estimates: the essential ones only
                columns, rows = self._table(view, lang, short_money=True, narrow=True)
        self.replace_rows(columns, rows)

    def _table(self, view: View, lang: Lang, short_money: bool, narrow: bool = False) -> tuple[list, list]:
        result, comparison = view.result, view.comparison
        deltas = comparison.lined_up
        compact = short_money
        no_change = np.zeros(len(result.scheme.tiers))
        dc = comparison.delta_customers() if deltas else no_change
        dk = comparison.delta_cost() if deltas else no_change
        total_cost = result.total_benefit_cost
        n = result.customers
        tier_rows = result.rows()

        def column(values: list[float], short: bool, signed: bool = False) -> list[str]:
            """A column's amounts in one unit: the tiers', then the total."""
            return fmt.money_column(values, lang, compact=short, signed=signed)

        aums = column([r.aum for r in tier_rows] + [result.total_aum], True)
        costs = column([r.benefit_cost for r in tier_rows] + [total_cost], compact)
        dks = column([float(v) for v in dk] + [float(dk.sum())], compact, signed=True)

        def money(text: str, bold: bool = False) -> Text:
            return right(text, "bold" if bold else "")

        def change(value: float, text: str) -> Text:
            return delta(value, text=text, higher_is_good=False)

        # key, header, cell for tier row r, cell for the total row, shown when compact, needs a baseline
        specs = [
            (
                "customers",
                "customers",
                lambda r: right(fmt.number(r.customers)),
                lambda: right(fmt.number(n), "bold"),
                True,
                False,
            ),
            ("share", "share", lambda r: right(fmt.percent(r.share)), lambda: right(""), False, False),
            ("d_customers", "delta", lambda r: delta(dc[r.index]), lambda: delta(int(dc.sum())), True, True),
            (
                "aum",
                "aum",
                lambda r: right(aums[r.index]),
                lambda: right(aums[-1], "bold"),
                True,
                False,
            ),
            (
                "aum_share",
                "aum_share",
                lambda r: right(fmt.percent(r.aum_share)),
                lambda: right(""),
                False,
                False,
            ),
            (
                "cost",
                "benefit_cost",
                lambda r: money(costs[r.index]),
                lambda: money(costs[-1], True),
                True,
                False,
            ),
            (
                "d_cost",
                "delta_cost",
                lambda r: change(float(dk[r.index]), dks[r.index]),
                lambda: change(float(dk.sum()), dks[-1]),
                True,
                True,
            ),
            (
                "per",
                "cost_per_customer",
                lambda r: right(fmt.money(r.cost_per_customer, lang)),
                lambda: right(fmt.money(result.totals.cost_per_customer, lang)),
                False,
                False,
            ),
            (
                "bp",
                "cost_bp",
                lambda r: right(fmt.number(r.cost_bp, 2)),
                lambda: right(fmt.number(result.totals.cost_bp, 2)),
                False,
                False,
            ),
        ]
        if self.changes and deltas:
            specs = self._change_specs(view, lang)
        else:
            specs = [s for s in specs if (s[4] or not (self.compact or narrow)) and (deltas or not s[5])]
        if view.estimates is not None:
            specs = with_intervals(specs, view, lang)
        short = {"cost_per_customer": "per_customer_short", "cost_bp": "bp_short"}
        if compact:
            short |= {"aum": "aum_short", "benefit_cost": "cost_short"}
        prefix = label("delta", lang) + " " if self.changes and deltas else ""
        columns = [("tier", label("tier", lang))] + [
            (key, prefix + label(short.get(head, head), lang)) for key, head, *_ in specs
        ]
        rows = [
            (r.tier, [result.tier_label(r.index, lang), *(cell(r) for _, _, cell, *_ in specs)])
            for r in reversed(result.rows())
        ]
        rows.append(
            ("__total__", [Text(label("total", lang), style="bold"), *(total() for *_, total, _, _ in specs)])
        )
        return columns, rows

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        key = event.row_key.value if event.row_key is not None else None
        if key and key != "__total__":
            self.post_message(self.TierSelected(self.row_count - 2 - event.cursor_row))


class MigrationTable(RefreshingTable):
    """Customers (or AUM) from each baseline tier (rows) to each tier (columns)."""

    can_focus = False

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(cursor_type="none", **kwargs)

    compact = False

    def show(self, view: View, lang: Lang, measure: str) -> None:
        if self.compact:
            self._show_moves(view, lang)
            return
        comparison = view.comparison
        base, res = comparison.baseline.scheme, comparison.result.scheme
        matrix = comparison.migration_customers if measure == "customers" else comparison.migration_aum
        columns = [("from", label("from_to", lang))] + [(t.id, t.name.get(lang)) for t in reversed(res.tiers)]
        rows = []
        same = comparison.same_tiers
        for i in range(len(base.tiers) - 1, -1, -1):  # highest first both ways: stayers on the diagonal
            cells: list = [base.tiers[i].name.get(lang)]
            for j in range(len(res.tiers) - 1, -1, -1):
                v = matrix[i, j]
                text = (
                    fmt.number(int(v)) if measure == "customers" else fmt.money(float(v), lang, compact=True)
                )
                if v == 0:
                    cells.append(right("·", "dim"))
                elif same and i == j:
                    cells.append(right(text, "dim"))
                else:
                    cells.append(right(text, "bold yellow" if same else ""))
            rows.append((base.tiers[i].id, cells))
        self.replace_rows(columns, rows)

    def _show_moves(self, view: View, lang: Lang) -> None:
        """Compact form: the moves, largest first, then how many stayed."""
        comparison = view.comparison
        base, res = comparison.baseline.scheme, comparison.result.scheme
        m, a = comparison.migration_customers, comparison.migration_aum
        same = comparison.same_tiers
        moves = [
            (int(m[i, j]), i, j)
            for i in range(m.shape[0])
            for j in range(m.shape[1])
            if m[i, j] and not (same and i == j)
        ]
        moves.sort(reverse=True)
        columns = [
            ("from", label("from_to", lang).split(" ")[0]),
            ("arrow", ""),
            ("to", ""),
            ("customers", label("customers", lang)),
            ("aum", label("aum_short", lang)),
        ]
        rows = []
        for count, i, j in moves[:12]:
            rows.append(
                (
                    f"{i}-{j}",
                    [
                        base.tiers[i].name.get(lang),
                        "→",
                        res.tiers[j].name.get(lang),
                        right(fmt.number(count), "bold yellow"),
                        right(fmt.money(float(a[i, j]), lang, compact=True)),
                    ],
                )
            )
        if len(moves) > 12:
            rest = sum(c for c, _, _ in moves[12:])
            more = word("more_moves", lang, count=len(moves) - 12)
            rows.append(("more", [more, "", "", right(fmt.number(rest)), ""]))
        if same:
            stayed = int(m.trace())
            rows.append(
                (
                    "stayed",
                    [Text(label("stayed", lang), style="dim"), "", "", right(fmt.number(stayed), "dim"), ""],
                )
            )
        self.replace_rows(columns, rows)


class BreakdownTable(RefreshingTable):
    """Per tier above the lowest: customers by the criterion that qualified them."""

    can_focus = False

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(cursor_type="none", **kwargs)

    def applies(self, view: View) -> bool:
        scheme = view.result.scheme
        return (
            bool(scheme.groups)
            and scheme.classify is None
            and (len(scheme.groups) > 1 or bool(scheme.floors) or bool(scheme.overrides))
        )

    def show(self, view: View, lang: Lang) -> None:
        result = view.result
        scheme = result.scheme
        labels = breakdown_labels(scheme)
        structural = {
            "several": len(scheme.groups) > 1,
            "floor": bool(scheme.floors),
            "override": bool(scheme.overrides),
            "none": False,
        }
        used = [j for j, key in enumerate(labels) if structural.get(key, True)]
        columns = [("tier", label("tier", lang))]
        for j in used:
            key = labels[j]
            name = (
                word("only", lang, group=scheme.groups[j].name.get(lang))
                if j < len(scheme.groups)
                else label(key, lang)
            )
            columns.append((key, name))
        rows = []
        for i in range(len(scheme.tiers) - 1, 0, -1):
            cells: list = [result.tier_label(i, lang)]
            for j in used:
                v = int(result.breakdown[i, j])
                cells.append(right(fmt.number(v) if v else "·", "" if v else "dim"))
            rows.append((scheme.tiers[i].id, cells))
        self.replace_rows(columns, rows)


def with_intervals(specs: list, view: View, lang: Lang) -> list:
    """On a sample of a book: each estimated figure followed by its ± 95%; once confirmed on
    the full book, the exact figures followed by the estimate that stood for them."""
    estimates = view.estimates
    assert estimates is not None

    def half(interval: Interval, money: bool) -> str:
        width = (interval.high - interval.low) / 2
        return "±" + (fmt.money(width, lang, compact=True) if money else fmt.number(round(width)))

    def beside(interval: Interval, money: bool) -> str:
        shown = fmt.money(interval.value, lang, compact=True) if money else fmt.number(round(interval.value))
        return f"{shown} {half(interval, money)}"

    def cells(figure: str, money: bool) -> tuple[Callable, Callable]:
        def of(t: TierIntervals) -> Interval:
            return getattr(t, figure)

        show = beside if view.exact else half

        def tier(r: Any) -> Text:
            return right(show(of(estimates.tiers[r.index]), money), "dim")

        def total() -> Text:
            return right(show(of(estimates.total), money), "dim")

        return tier, total

    head = "estimated" if view.exact else "plus_minus"
    out = []
    for spec in specs:
        out.append(spec)
        figure = {"customers": "customers", "aum": "aum", "cost": "benefit_cost"}.get(spec[0])
        if figure is not None:
            tier, total = cells(figure, figure != "customers")
            out.append((f"pm_{spec[0]}", head, tier, total, True, False))
    return out
