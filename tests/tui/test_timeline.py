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
