"""The workbench screen: parameters, tiers, charts, migration, costs; painted from a ``View``."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen

from workbench.live import EditSession, View
from workbench.present.words import unit_word, word
from workbench.text import Lang
from workbench.tui import keys
from workbench.tui.widgets.bars import HeaderBar, StatusLine
from workbench.tui.widgets.charts import DistributionChart, PyramidChart
from workbench.tui.widgets.costs import CostTable
from workbench.tui.widgets.footer import KeyFooter
from workbench.tui.widgets.parameters import ParameterTable
from workbench.tui.widgets.redraw import retitle
from workbench.tui.widgets.tables import BreakdownTable, MigrationTable, TierTable

NARROW = 140  # below this width the panels tighten


class MainScreen(Screen):
    """The workbench screen. Widgets get what to show; they post what the planner asked."""

    BINDINGS = keys.bindings("screen", prefix="app.")
    lang: Lang = "en"
    narrow = False

    def compose(self) -> ComposeResult:
        yield HeaderBar(id="header")
        with Horizontal(id="body"):
            with Vertical(id="left"):
                yield ParameterTable(id="parameters")
                yield DistributionChart(id="distribution")
            with Vertical(id="right"):
                yield TierTable(id="tiers")  # never scrolls away: the figures being tuned
                with VerticalScroll(id="below-tiers", can_focus=False):
                    with Horizontal(id="charts"):
                        yield PyramidChart(id="pyramid")
                        yield MigrationTable(id="migration")
                    yield BreakdownTable(id="breakdown")
                    yield CostTable(id="costs")
        yield StatusLine(id="status")
        yield KeyFooter()

    @property
    def status_line(self) -> StatusLine:
        return self.query_one(StatusLine)

    def adapt(self, width: int) -> None:
        """Tighten the panels below ``NARROW`` columns."""
        narrow = width < NARROW
        self.narrow = narrow
        self.set_class(narrow, "narrow")
        self.query_one(TierTable).compact = narrow
        self.query_one(CostTable).compact = narrow
        self.query_one(ParameterTable).compact = narrow
        self.query_one(HeaderBar).compact = narrow
        self.query_one(DistributionChart).compact = narrow
        self.query_one(MigrationTable).compact = narrow
        self.query_one(CostTable).name_width = 20 if narrow else 34
        self.query_one(KeyFooter).compact = narrow
        self.label_keys()  # the footer of a narrow screen shows fewer keys, all of them whole

    def label_keys(self) -> None:
        """Footer labels in the language shown, as many as the width holds."""
        lang, narrow = self.lang, self.narrow
        keys.localize(self, "screen", lang, prefix="app.", narrow=narrow)
        keys.localize_palette(self.app, self.app.COMMAND_PALETTE_BINDING, lang)
        keys.localize(self.query_one(ParameterTable), "parameters", lang, narrow=narrow)
        keys.localize(self.query_one(CostTable), "costs", lang, narrow=narrow)

    def titles(self, lang: Lang, measure: str) -> None:
        """Panel titles and footer labels in ``lang``."""
        self.lang = lang
        self.label_keys()
        titles = {
            "#parameters": word("panel.parameters", lang),
            "#distribution": word("panel.distribution", lang),
            "#pyramid": word("panel.pyramid", lang),
            "#migration": word("panel.migration_aum" if measure == "aum" else "panel.migration", lang),
            "#breakdown": word("panel.breakdown", lang),
        }
        for selector, title in titles.items():
            retitle(self.query_one(selector), title)

    def show_parameters(self, edit: EditSession, lang: Lang) -> None:
        policy = self.app.live.months.rows(lang)  # type: ignore[attr-defined]  # a panel's policy keys
        self.query_one(ParameterTable).show(edit.scheme, edit.state, edit.last_change, lang, policy)

    def paint(
        self, view: View, lang: Lang, *, scenario: str, dirty: bool, tier: int | None, measure: str
    ) -> None:
        """Every panel from ``view``; ``tier`` is the one whose costs are listed (the top one
        when None)."""
        scheme = view.result.scheme
        portfolio = view.result.book
        self.query_one(HeaderBar).show(
            portfolio=portfolio.label(lang),
            customers=portfolio.rows,
            aum=view.result.total_aum,
            scheme=scheme.name.get(lang),
            scenario=scenario,
            dirty=dirty,
            lang=lang,
        )
        tiers = self.query_one(TierTable)
        title = "panel.tier_changes" if tiers.changes else "panel.tiers"
        retitle(tiers, word(title, lang, baseline=view.baseline_name.get(lang)))
        self.set_class(len(scheme.tiers) > 6, "many-tiers")
        tiers.show(view, lang)
        self.query_one(PyramidChart).show(view, lang)
        self.query_one(MigrationTable).show(view, lang, measure)
        breakdown = self.query_one(BreakdownTable)
        breakdown.display = breakdown.applies(view)
        if breakdown.display:
            breakdown.show(view, lang)
        self.show_costs(view, len(scheme.tiers) - 1 if tier is None else tier, lang)
        distribution = self.query_one(DistributionChart)
        metric = scheme.metric(view.metric)
        unit = f" ({unit_word(metric.unit, lang)})" if metric.unit != "CNY" else word("panel.log", lang)
        retitle(distribution, word("panel.distribution_of", lang, metric=metric.name.get(lang), unit=unit))
        distribution.show(view, lang)

    def show_costs(self, view: View, tier: int, lang: Lang) -> None:
        costs = self.query_one(CostTable)
        retitle(costs, costs.show(view, tier, lang))
