"""The editing model behind the TUI: nudges, refusals, undo and redo, dirty tracking."""

import pytest

from workbench.files.scenarios import Scenario
from workbench.live.editing import EditSession


@pytest.fixture
def edit(registry):
    return EditSession(registry, Scenario(scheme="industrial-bank"))


def test_nudge_by_step_and_large_step(edit):
    assert edit.nudge("platinum_personal", 1) is None
    assert edit.params["platinum_personal"] == 310_000
    assert edit.nudge("platinum_personal", -1, big=True) is None
    assert edit.params["platinum_personal"] == 210_000
    assert edit.last_change == ("platinum_personal", -1)
    assert edit.dirty


def test_refused_nudge_changes_nothing_and_says_why(edit):
    edit.set_param("platinum_personal", 990_000)
    before = edit.state
    error = edit.nudge("platinum_personal", 1)
    assert error.en == (
        "black_gold_personal = 1,000,000 must be above platinum_personal = 1,000,000: thresholds rise with the tier"
    )
    assert error.zh == "黑金卡:个人资产 = 1,000,000 必须高于 白金卡:个人资产 = 1,000,000:阈值随等级上升"
    assert edit.state == before


def test_bounds_stop_a_nudge(edit):
    edit.set_param("gold_household", 0)
    refused = edit.nudge("gold_household", -1)
    assert refused.en == "gold_household is at its bound (0)" and refused.zh == "金卡:家庭资产已到边界(0)"


def test_undo_redo_and_dirty(edit):
    edit.nudge("gold_personal", 2)
    edit.cycle_option("household_basis")
    assert edit.options["household_basis"] == "sum"
    assert edit.undo() and edit.options["household_basis"] == "mean"
    assert edit.undo() and edit.params["gold_personal"] == 100_000
    assert not edit.dirty
    assert not edit.undo()
    assert edit.redo() and edit.params["gold_personal"] == 120_000
    edit.nudge("gold_personal", 1)
    assert not edit.can_redo  # a new change drops the redo history


def test_assumptions_per_tier_and_for_every_tier(edit):
    assert edit.set_assumptions("airport_lounge", "platinum", {"uses_per_year": 0.5}) is None
    assert edit.set_assumptions("airport_lounge", None, {"unit_cost": 180}) is None
    assert edit.costs == {"airport_lounge": {"unit_cost": 180, "tiers": {"platinum": {"uses_per_year": 0.5}}}}
    error = edit.set_assumptions("golf", "platinum", {"uptake": 3})
    assert "uptake is a share between 0 and 1" in error
    edit.reset_assumptions("airport_lounge", "platinum")
    assert edit.costs == {"airport_lounge": {"unit_cost": 180}}


def test_switch_scheme_is_undoable(edit):
    edit.nudge("gold_personal", 1)
    edit.switch_scheme("postal-savings")
    assert edit.scheme.id == "postal-savings"
    assert edit.params["gold_balance"] == 50_000
    edit.undo()
    assert edit.scheme.id == "industrial-bank" and edit.params["gold_personal"] == 110_000


def test_to_scenario_writes_every_setting(edit):
    edit.nudge("gold_personal", 1)
    scenario = edit.to_scenario()
    assert scenario.parameters["gold_personal"] == 110_000
    assert set(scenario.parameters) == set(edit.scheme.default_params)
    assert scenario.options == {"household_basis": "mean"}
