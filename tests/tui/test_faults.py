"""Faults in the workbench: a scheme that fails, and unsaved changes across a crash."""

from dataclasses import replace

import numpy as np
from pilot import settled, small
from test_workbench import SIZE, cell

from workbench import Benefit, Criterion, Parameter, Scheme, Text, Tier, metrics
from workbench.core.engine import DEFAULT_DRIVERS
from workbench.files import recovery
from workbench.files.scenarios import load_scenario, save_scenario
from workbench.scheme.registry import Registry
from workbench.tui.app import KEEP_AFTER_S, WorkbenchApp
from workbench.tui.screens.dialogs import ChoiceDialog, ConfirmDialog, MessageDialog
from workbench.tui.widgets.tables import TierTable


def fragile_scheme() -> Scheme:
    """A plugin's scheme whose own classify function fails above 150,000."""

    def classify(ctx):
        if ctx.params["vip_aum"] > 150_000:
            raise RuntimeError("the rule service is down")
        return (ctx.metrics["aum"] >= ctx.params["vip_aum"]).astype(np.int8)

    return Scheme(
        id="fragile",
        name=Text("Fragile", "易错"),
        tiers=(
            Tier("base", Text("Base", "基础")),
            Tier("vip", Text("VIP", "贵宾"), criteria=(Criterion("aum", "vip_aum"),)),
        ),
        metrics=(metrics.column("aum"),),
        parameters=(Parameter("vip_aum", Text("VIP AUM", "贵宾资产"), 100_000, "CNY", step=10_000),),
        required_columns=("customer_id", "aum"),
        benefits=(Benefit("gift", Text("Gift", "礼品"), "per_customer", {"unit_cost": 100}, {"vip": {}}),),
        classify=classify,
    )


async def wait_for(pilot, app, kind, tries: int = 100):
    for _ in range(tries):
        if isinstance(app.screen, kind):
            return app.screen
        await pilot.pause(0.05)
    raise AssertionError(f"no {kind.__name__} appeared")


async def test_a_scheme_that_raises_is_reported_and_the_app_keeps_running(registry):
    schemes = {**registry.schemes, "fragile": fragile_scheme()}
    with_fragile = Registry(schemes=schemes, drivers=dict(DEFAULT_DRIVERS))
    app = WorkbenchApp(small("fragile"), registry=with_fragile)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot, app)
        vip_at_150k = int((app.portfolio.array("aum") >= 150_000).sum())
        await pilot.press(*["right"] * 5)  # 150,000: still works
        await settled(pilot, app)
        assert cell(app.main.query_one(TierTable), "vip", "customers") == f"{vip_at_150k:,}"
        await pilot.press("right")  # 160,000: the plugin raises
        dialog = await wait_for(pilot, app, MessageDialog)
        assert "scheme 'fragile' failed while classifying: RuntimeError: the rule service is down" in (
            dialog.message
        )
        await pilot.press("enter")
        # The last good figures stay; stepping back works again.
        assert cell(app.main.query_one(TierTable), "vip", "customers") == f"{vip_at_150k:,}"
        await pilot.press("left", "left")
        await settled(pilot, app)
        vip_at_140k = int((app.portfolio.array("aum") >= 140_000).sum())
        assert cell(app.main.query_one(TierTable), "vip", "customers") == f"{vip_at_140k:,}"
        assert app.is_running


async def test_unsaved_changes_survive_a_crash_and_are_offered_at_the_next_start(registry, tmp_path):
    path = tmp_path / "october.toml"
    save_scenario(replace(small(), name="October"), path)
    app = WorkbenchApp(load_scenario(path), registry=registry)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot, app)
        await pilot.press("down", "down", "right")  # platinum_personal 300,000 -> 310,000
        await settled(pilot, app)
        await pilot.pause(KEEP_AFTER_S + 0.3)
        assert app.live.recovery.path.exists()
    # The app ended without quitting (as a crash or a killed terminal would): the file stays.
    kept = app.live.recovery.path.read_text(encoding="utf-8")
    assert "platinum_personal = 310000" in kept
    assert "customer_id" not in kept and "C0" not in kept  # settings only, no customer data

    again = WorkbenchApp(registry=registry)  # a plain start, on another scenario
    async with again.run_test(size=SIZE) as pilot:
        dialog = await wait_for(pilot, again, ChoiceDialog)
        assert "October" in dialog.message and str(path) in dialog.message
        await pilot.press("enter")  # restore
        await settled(pilot, again)
        assert again.edit.params["platinum_personal"] == 310_000
        assert again.edit.scenario.path == path and again.dirty
        assert again.portfolio.rows == 5_000  # the scenario's own portfolio
        await pilot.press("s")  # save to October's file
        await pilot.pause(0.1)
        assert load_scenario(path).parameters["platinum_personal"] == 310_000
        assert recovery.recovery_files() == []


async def test_quitting_on_purpose_leaves_no_recovery_file(registry):
    app = WorkbenchApp(small(), registry=registry)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot, app)
        await pilot.press("down", "right")
        await settled(pilot, app)
        await pilot.pause(KEEP_AFTER_S + 0.3)
        assert app.live.recovery.path.exists()
        await pilot.press("q")
        await wait_for(pilot, app, ConfirmDialog)
        await pilot.click("#discard")
        await pilot.pause(0.1)
    assert recovery.recovery_files() == []


def crashed(scenario):
    """A workbench that kept unsaved changes and ended without quitting."""
    gone = recovery.Instance()
    gone.keep(scenario)
    gone.release()
    return gone


async def test_discarding_the_recovered_changes_opens_as_asked(registry):
    crashed(small(name="lost", parameters={"gold_personal": 150_000}))
    app = WorkbenchApp(small(), registry=registry)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, app, ChoiceDialog)
        await pilot.click("#discard")
        await settled(pilot, app)
        assert app.edit.params["gold_personal"] == 100_000 and not app.dirty
    assert recovery.recovery_files() == []


async def test_a_running_workbench_is_not_offered_another_ones_changes(registry):
    running = recovery.Instance()  # another workbench, still running, with unsaved changes
    running.keep(small(name="live elsewhere", parameters={"gold_personal": 150_000}))
    app = WorkbenchApp(small(), registry=registry)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot, app)
        assert not isinstance(app.screen, ChoiceDialog)
        await pilot.press("down", "right")  # this one's own changes go to its own file
        await settled(pilot, app)
        await pilot.pause(KEEP_AFTER_S + 0.3)
        assert app.live.recovery.path != running.path and app.live.recovery.path.exists()
        await pilot.press("q")
        await wait_for(pilot, app, ConfirmDialog)
        await pilot.click("#discard")
        await pilot.pause(0.1)
    assert recovery.recovery_files() == [running.path]  # the other's changes are untouched
    running.close()


async def test_save_as_onto_an_existing_file_asks_first(registry, tmp_path):
    from workbench.tui.screens.dialogs import PathDialog

    other = tmp_path / "other.toml"
    save_scenario(replace(small(), name="someone else's"), other)
    before = other.read_text(encoding="utf-8")
    app = WorkbenchApp(small(), registry=registry)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot, app)
        await pilot.press("right", "S")
        dialog = await wait_for(pilot, app, PathDialog)
        dialog.query_one("#path").value = str(other)
        await pilot.press("enter")
        await wait_for(pilot, app, ChoiceDialog)
        await pilot.click("#cancel")
        await pilot.pause(0.1)
        assert other.read_text(encoding="utf-8") == before and app.dirty
        await pilot.press("S")
        dialog = await wait_for(pilot, app, PathDialog)
        dialog.query_one("#path").value = str(other)
        await pilot.press("enter")
        await wait_for(pilot, app, ChoiceDialog)
        await pilot.click("#replace")
        await pilot.pause(0.2)
        assert load_scenario(other).parameters["gold_personal"] == 110_000 and not app.dirty


async def test_a_file_changed_on_disk_since_it_was_opened_is_not_overwritten_silently(registry, tmp_path):
    path = tmp_path / "shared.toml"
    save_scenario(replace(small(), name="shared"), path)
    app = WorkbenchApp(load_scenario(path), registry=registry)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot, app)
        # another workbench saves the same file meanwhile
        save_scenario(replace(small(), name="shared", parameters={"gold_personal": 150_000}), path)
        theirs = path.read_text(encoding="utf-8")
        await pilot.press("down", "down", "right", "s")
        dialog = await wait_for(pilot, app, ChoiceDialog)
        assert "changed on disk" in dialog.message
        await pilot.click("#cancel")
        await pilot.pause(0.1)
        assert path.read_text(encoding="utf-8") == theirs
        await pilot.press("s")
        await wait_for(pilot, app, ChoiceDialog)
        await pilot.click("#replace")
        await pilot.pause(0.2)
        assert load_scenario(path).parameters["platinum_personal"] == 310_000
        await pilot.press("right", "s")  # saved by this workbench since: no question now
        await pilot.pause(0.2)
        assert not isinstance(app.screen, ChoiceDialog)
        assert load_scenario(path).parameters["platinum_personal"] == 320_000
