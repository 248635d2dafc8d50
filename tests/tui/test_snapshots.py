"""Screens as a product manager sees them, compared with committed SVG snapshots.

After an intended change: `make snapshot-update`, then look at the new SVGs before committing.
"""

from pathlib import Path

from pilot import settled

from workbench.files.scenarios import load_scenario
from workbench.planning.runs import Session
from workbench.tui.app import WorkbenchApp
from workbench.tui.screens.compare import CompareScreen

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"


def workbench(registry, scenario=None, **kwargs) -> WorkbenchApp:
    from pilot import small

    return WorkbenchApp(scenario or small(), registry=registry, show_timings=False, **kwargs)


def test_main_screen(snap_compare, registry):
    app = workbench(registry)

    async def tune(pilot):
        await settled(pilot, app)
        await pilot.press("down", "down", "right", "right")
        await settled(pilot, app)

    assert snap_compare(app, terminal_size=(160, 48), run_before=tune)


def test_main_screen_narrow_chinese(snap_compare, registry):
    from pilot import small

    app = workbench(registry, small("icbc-stars"), lang="zh")

    async def tune(pilot):
        await settled(pilot, app)
        await pilot.press("down", "down", "right")
        await settled(pilot, app)

    assert snap_compare(app, terminal_size=(100, 30), run_before=tune)


def test_seven_tiers_in_chinese(snap_compare, registry):
    from pilot import small

    app = workbench(registry, small("icbc-stars"), lang="zh")

    async def tune(pilot):
        await settled(pilot, app)
        await pilot.press("right")
        await settled(pilot, app)

    assert snap_compare(app, terminal_size=(160, 48), run_before=tune)


def test_main_screen_narrow_english(snap_compare, registry):
    app = workbench(registry)

    async def tune(pilot):
        await settled(pilot, app)
        await pilot.press("down", "down", "right")
        await settled(pilot, app)

    assert snap_compare(app, terminal_size=(100, 30), run_before=tune)


def test_compare_view(snap_compare, registry):
    app = workbench(registry)

    async def compare(pilot):
        await settled(pilot, app)
        session = Session(registry)
        scenarios = [
            load_scenario(SCENARIOS / name)
            for name in (
                "industrial-bank-baseline.toml",
                "industrial-bank-platinum-500k.toml",
                "industrial-bank-household-sum.toml",
            )
        ]
        from workbench.planning.compare import run_all

        runs = run_all(session, scenarios, portfolio=app.portfolio)
        await app.push_screen(CompareScreen(runs))
        await pilot.pause()

    assert snap_compare(app, terminal_size=(160, 48), run_before=compare)
