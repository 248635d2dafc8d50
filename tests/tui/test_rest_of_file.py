"""A Parquet portfolio's other columns, read once the first figures are up."""

import asyncio

from pilot import settled

from workbench.files.portfolios import write_portfolio
from workbench.files.sample import sample_portfolio
from workbench.files.scenarios import PortfolioRef, Scenario
from workbench.tui import rest
from workbench.tui.screens.dialogs import MessageDialog

SIZE = (160, 48)


async def until(pilot, condition, timeout: float = 20.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        assert loop.time() < deadline, "timed out"
        await pilot.pause(0.02)


async def test_the_other_columns_are_read_after_the_figures_and_said_so(make_app, tmp_path, monkeypatch):
    monkeypatch.setattr(rest, "REST_AFTER_S", 0.05)
    path = write_portfolio(sample_portfolio(2_000, 3).frame, tmp_path / "book.parquet")
    app = make_app(
        Scenario(scheme="branch-layers", portfolio=PortfolioRef(path=str(path))), show_timings=False
    )
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot, app)
        await until(pilot, lambda: app.portfolio.complete)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert len(app.portfolio.frame.columns) == 19
        status = app.main.query_one("#status").message
        assert status == "book.parquet: all 19 columns read (the other 16 after the figures)"


async def test_a_bad_value_in_the_other_columns_is_shown_with_its_row_and_column(
    make_app, tmp_path, monkeypatch
):
    monkeypatch.setattr(rest, "REST_AFTER_S", 0.05)
    frame = sample_portfolio(2_000, 3).frame
    frame.loc[41, "card_spend_6m"] = -5.0
    path = write_portfolio(frame, tmp_path / "book.parquet")
    app = make_app(Scenario(scheme="branch-layers", portfolio=PortfolioRef(path=str(path))), lang="zh")
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot, app)
        await until(pilot, lambda: isinstance(app.screen, MessageDialog))
        message = app.screen.message
        assert app.screen.title_text == "客户数据的其余列无法读取"
        assert "当前数字只用到 customer_id, aum, branch,保持不变" in message
        assert "book.parquet" in message and "42" in message and "card_spend_6m" in message
        assert not app.portfolio.complete  # the figures stay, the rest is refused
        await pilot.press("enter")
        app.switch_scheme("postal-savings")  # reads household_income, which the file spoiled
        await pilot.pause()
        assert app.edit.scheme.id == "branch-layers"  # nothing changed
        assert isinstance(app.screen, MessageDialog) and "42" in app.screen.message
        assert app.screen.title_text == "该客户数据不适用于此方案"
