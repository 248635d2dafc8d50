"""The timeline of a portfolio over months: every month replayed in a worker, the policy
edited on the screen, the months replayed again."""

from pilot import settled
from test_workbench import SIZE

from workbench.files.sample_panel import generate_panel
from workbench.files.scenarios import PortfolioRef, Scenario
from workbench.tui.screens.timeline import PolicyDialog, TimelineScreen


async def test_the_timeline_replays_every_month(make_app, tmp_path):
    path = tmp_path / "panel.csv"
    generate_panel(2_000, 6, seed=3).to_csv(path, index=False)
    app = make_app(Scenario(scheme="industrial-bank", portfolio=PortfolioRef(path=str(path))))
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot, app)
        assert app.portfolio is not None and app.portfolio.label("en") == "panel.csv (2026-06)"
        expected = app.live.months.replay()
        await pilot.press("m")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, TimelineScreen)
        await app.workers.wait_for_complete()
        await pilot.pause()
        table = screen.query_one("#timeline-months")
        assert table.row_count == 6
        first = [str(c) for c in table.get_row_at(1)]
        assert first[0] == "2026-02" and first[-5].replace(",", "") == str(expected.months[1].upgrades)
        await pilot.press("p")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, PolicyDialog)
        dialog.query_one("#downgrade_months").value = "6"
        dialog.submit()
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.live.months.policy.downgrade_months == (6,)
        rows = [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]
        assert [r[-4] for r in rows[1:5]] == ["0", "0", "0", "0"]  # downgrades wait for June
        assert app.live.dirty  # the policy is saved with the scenario


async def test_policy_keys_nudge_and_a_month_is_chosen(make_app, tmp_path):
    path = tmp_path / "panel.csv"
    generate_panel(1_500, 6, seed=5).to_csv(path, index=False)
    app = make_app(Scenario(scheme="icbc-stars", portfolio=PortfolioRef(path=str(path))))
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot, app)
        shown = app.live.months.shown
        assert shown is not None and (shown.index, shown.window) == (5, 6)  # ICBC: six months
        params = app.screen.query_one("#parameters")
        params.select("policy:window_months")
        await pilot.press("left")
        await settled(pilot, app)
        assert app.live.months.policy.window_months == 5
        assert app.live.months.shown.window == 5  # the month tuned follows the window
        assert app.live.dirty
        row = [str(c) for c in params.get_row_at(params.get_row_index("policy:window_months"))]
        assert row == ["Policy", "window", "5 mo", "≠"]
        await pilot.press("ctrl+z")  # a policy nudge is undone like a threshold's
        await settled(pilot, app)
        assert app.live.months.policy.window_months == 6 and app.live.months.shown.window == 6
        await pilot.press("ctrl+y")
        await settled(pilot, app)
        assert app.live.months.policy.window_months == 5 and app.live.months.shown.window == 5
        assert app.live.edit.to_scenario().policy == {"window_months": 5}  # saved with the scenario
        await pilot.press("m")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, TimelineScreen)
        assert screen.result is not None and screen.result.policy.window_months == 5
        # a threshold nudged on the timeline: the months are replayed again
        before = screen.result.months[-1].counts.tolist()
        table = screen.query_one("#timeline-parameters")
        table.select("param:star4")
        for _ in range(20):
            await pilot.press("shift+right")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.edit.params["star4"] > 500
        expected = app.live.months.replay()
        assert screen.result.months[-1].counts.tolist() == expected.months[-1].counts.tolist() != before
        # enter on March: the other panels show March
        months = screen.query_one("#timeline-months")
        months.focus()
        months.move_cursor(row=2)
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await settled(pilot, app)
        assert app.live.months.shown.index == 2
        assert app.portfolio.label("en") == "panel.csv (2026-03)"
        # its figures are March's over the five-month window: the replay's March (default keys)
        assert app.view is not None and app.view.result.counts.tolist() == expected.months[2].counts.tolist()
