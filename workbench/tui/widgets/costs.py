"""The cost table: one tier's benefits, the assumption behind each cost, the cost."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.message import Message

from workbench import fmt
from workbench.live import View
from workbench.present.tables import display_width, truncate
from workbench.present.words import label, word
from workbench.text import Lang
from workbench.tui import keys
from workbench.tui.style import delta, right
from workbench.tui.widgets.sized import ShownForWidth
from workbench.tui.widgets.tables import RefreshingTable

MIN_TEXT = 8  # terminal columns a shortened text column keeps


class CostTable(RefreshingTable, ShownForWidth):
    """One tier's benefits: driver, the assumption behind the cost, the cost and its change.

    Figures are never cut: where the table is wider than its room, amounts are shown in
    one unit per column (``28.91m``, ``2,891.40万``), then the assumptions and benefit names
    are shortened (with an ellipsis) to what is left."""

    BINDINGS = keys.bindings("costs")

    class EditAssumption(Message):
        def __init__(self, benefit: str, tier: str) -> None:
            super().__init__()
            self.benefit, self.tier = benefit, tier

    class ResetAssumption(Message):
        def __init__(self, benefit: str, tier: str) -> None:
            super().__init__()
            self.benefit, self.tier = benefit, tier

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(cursor_type="row", **kwargs)
        self.tier: str | None = None
        self.name_width = 34
        self.compact = False

    def show(self, view: View, tier_index: int, lang: Lang) -> str:
        """Show the tier's benefits; returns the panel title."""

        def again() -> None:  # fitted to its width: shown again when that changes
            self.show(view, tier_index, lang)

        self.shown(again)
        result = view.result
        scheme = result.scheme
        tier_index = min(tier_index, len(scheme.tiers) - 1)
        tier = scheme.tiers[tier_index]
        self.tier = tier.id
        columns, rows = self._table(view, tier.id, lang, short_money=False)
        if not self.fits(columns, rows):
            columns, rows = self._table(view, tier.id, lang, short_money=True)
            over = self.excess(columns, rows)
            if over > 0:
                columns, rows = self._table(view, tier.id, lang, short_money=True, shorter_by=over)
        self.replace_rows(columns, rows)
        n = int(result.counts[tier_index])
        return word("panel.costs", lang, tier=tier.name.get(lang), count=fmt.number(n))

    def _table(
        self, view: View, tier: str, lang: Lang, short_money: bool, shorter_by: int = 0
    ) -> tuple[list, list]:
        """Columns and rows; ``shorter_by`` columns taken from the assumptions (down to
        ``MIN_TEXT``), then from the benefit names."""
        result = view.result
        scheme = result.scheme
        base_costs = {}
        if view.comparison.same_tiers:
            base_costs = {
                line.assumption.benefit: line.cost
                for line in view.comparison.baseline.cost_lines
                if line.assumption.tier == tier
            }
        lines = sorted((c for c in result.cost_lines if c.assumption.tier == tier), key=lambda c: -c.cost)
        keep = (
            ("benefit", "assumption", "cost")
            if self.compact
            else ("benefit", "driver", "assumption", "cost", "d_cost")
        )
        headers = {
            "benefit": "benefit",
            "driver": "driver",
            "assumption": "assumption",
            "cost": "cost_year",
            "d_cost": "delta",
        }
        columns = [(key, label(headers[key], lang)) for key in keep]
        total = sum(c.cost for c in lines)
        costs = fmt.money_column([c.cost for c in lines] + [total], lang, compact=short_money)
        names = [scheme.benefit(c.assumption.benefit).name.get(lang) for c in lines]
        explains = [
            "—" if c.assumption.driver == "not_costed" else c.assumption.explain(result.drivers, lang)
            for c in lines
        ]
        name_width = min(self.name_width, max(map(display_width, names), default=0))
        explain_width = max(map(display_width, explains), default=0)
        from_explains = min(shorter_by, max(0, explain_width - MIN_TEXT))
        explain_width -= from_explains
        name_width = max(MIN_TEXT, name_width - (shorter_by - from_explains))
        rows = []
        for line, name, explained, cost in zip(lines, names, explains, costs, strict=False):
            a = line.assumption
            edited = any(s == "scenario" for s in a.sources.values())
            explain = Text(truncate(explained, explain_width - (2 if edited else 0)))
            if edited:
                explain.append(" *", style="bold yellow")
            cells = {
                "benefit": truncate(name, name_width),
                "driver": Text(result.drivers[a.driver].name.get(lang), style="dim"),
                "assumption": explain,
                "cost": right(cost, "dim" if a.driver == "not_costed" else ""),
                "d_cost": delta(
                    line.cost - base_costs.get(a.benefit, 0.0),
                    money=True,
                    lang=lang,
                    higher_is_good=False,
                    compact=short_money,
                ),
            }
            rows.append((a.benefit, [cells[key] for key in keep]))
        totals = {
            "benefit": Text(label("total", lang), style="bold"),
            "cost": right(costs[-1], "bold"),
        }
        rows.append(("__total__", [totals.get(key, "") for key in keep]))
        return columns, rows

    def _selected_benefit(self) -> str | None:
        if not self.row_count:
            return None
        key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value
        return None if key == "__total__" else key

    def action_edit(self) -> None:
        benefit = self._selected_benefit()
        if benefit and self.tier:
            self.post_message(self.EditAssumption(benefit, self.tier))

    def action_reset(self) -> None:
        benefit = self._selected_benefit()
        if benefit and self.tier:
            self.post_message(self.ResetAssumption(benefit, self.tier))
