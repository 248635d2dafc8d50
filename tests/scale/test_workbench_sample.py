"""The workbench on a book too big for memory: it tunes a stratified sample, shows the
book's estimates with their intervals, and confirms on the full book on the cluster."""

from __future__ import annotations

from books import ROWS
from pilot import settled
from rich.text import Text

from workbench import fmt
from workbench.files.scenarios import PortfolioRef, Scenario
from workbench.planning.runs import Session
from workbench.tui.app import WorkbenchApp
from workbench.tui.widgets.tables import TierTable


def cell(table, row: str, column: str) -> str:
    value = table.get_cell(row, column)
    return value.plain if isinstance(value, Text) else str(value)


async def test_a_big_book_is_tuned_on_a_sample_then_confirmed(monkeypatch, registry, cluster, dataset):
    monkeypatch.setattr("workbench.scale.choose.BYTES_PER_CUSTOMER", 10**9)  # 6,000 customers: too big
    monkeypatch.setenv("WORKBENCH_CLUSTER", cluster)
    scenario = Scenario(scheme="icbc-stars", portfolio=PortfolioRef(path=str(dataset)))
    app = WorkbenchApp(scenario, registry=registry)
    async with app.run_test(size=(160, 48)) as pilot:
        await settled(pilot, app, timeout=60)
        book = app.live.book
        assert book.active and book.sample is not None
        assert app.portfolio is not None and app.portfolio.rows < ROWS  # a sample is tuned
        assert book.sample.by_household  # whole households: any scheme can be switched to
        view = app.view
        assert view is not None and view.estimates is not None and not view.exact
        assert view.result.book.rows == ROWS and view.result.customers == ROWS
        tiers = app.main.query_one(TierTable)
        assert cell(tiers, "__total__", "customers") == fmt.number(ROWS)
        assert cell(tiers, "star5", "pm_customers").startswith("±")
        await pilot.press("F")
        await settled(pilot, app, timeout=60)
        await app.workers.wait_for_complete()
        await settled(pilot, app, timeout=60)
        view = app.view
        assert view is not None and view.exact
        exact = Session(registry).run(scenario).result
        for tier in ("star3", "star5", "star7"):
            index = exact.scheme.tier_index(tier)
            assert cell(tiers, tier, "customers") == fmt.number(int(exact.counts[index]))
            assert "±" in cell(tiers, tier, "pm_customers")  # the estimate beside it
        await pilot.press("right")  # the next change: estimates again
        await settled(pilot, app, timeout=60)
        assert app.view is not None and not app.view.exact and app.view.estimates is not None


async def test_on_a_sample_compare_and_export_use_the_full_book(monkeypatch, registry, cluster, dataset):
    import pytest

    from workbench.errors import WorkbenchError

    monkeypatch.setattr("workbench.scale.choose.BYTES_PER_CUSTOMER", 10**9)
    monkeypatch.setenv("WORKBENCH_CLUSTER", cluster)
    scenario = Scenario(scheme="postal-savings", portfolio=PortfolioRef(path=str(dataset)))
    app = WorkbenchApp(scenario, registry=registry)
    async with app.run_test(size=(160, 48)) as pilot:
        await settled(pilot, app, timeout=60)
        assert app.live.book.active
        runs = app.live.report_runs("en")  # what an export writes: exact, not the sample's counts
        exact = Session(registry).run(scenario).result
        assert [int(n) for n in runs[-1].result.counts] == [int(n) for n in exact.counts]
        with pytest.raises(WorkbenchError, match="--engine dask"):
            app.live.planning_engine()
