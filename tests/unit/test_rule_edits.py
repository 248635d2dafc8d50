"""Editing rules in a live session: a tier added above the top and below a tier, a condition,
a benefit; each validated, undoable, saved as a scheme file that a scenario names."""

from pathlib import Path

import pytest

from workbench.errors import SchemeError
from workbench.files.scenarios import PortfolioRef, Scenario, load_scenario
from workbench.live import LiveSession
from workbench.scheme import editing
from workbench.scheme.registry import load_registry
from workbench.text import Text


@pytest.fixture
def live():
    scenario = Scenario(scheme="postal-savings", portfolio=PortfolioRef(sample_rows=5_000))
    session = LiveSession(load_registry(), scenario)
    session.adopt(session.load(scenario.portfolio, None, lambda *_: None), scenario.portfolio)
    return session


def counts(live):
    view = live.compute_view(live.request())
    return {t: int(n) for t, n in zip(view.result.scheme.tier_ids, view.result.counts, strict=True)}


def test_a_tier_on_top_takes_its_customers_from_the_one_below(live):
    before = counts(live)
    live.rules.apply(lambda s: editing.add_tier(s, Text("Diamond plus", "至尊钻石")))
    scheme = live.edit.scheme
    assert scheme.tier_ids[-1] == "diamond_plus"
    assert scheme.parameter("diamond_plus_min").default == 3_000_000  # twice the diamond balance
    after = counts(live)
    assert after["diamond"] + after["diamond_plus"] == before["diamond"]
    assert after["ordinary"] == before["ordinary"]
    assert live.rules.undo() and live.edit.scheme.tier_ids[-1] == "diamond"
    assert counts(live) == before


def test_a_tier_below_sits_between_its_neighbours(live):
    live.rules.apply(lambda s: editing.add_tier(s, Text("Silver", "银卡"), below="gold"))
    scheme = live.edit.scheme
    assert scheme.tier_ids[:3] == ("ordinary", "silver", "gold")
    assert 0 < scheme.parameter("silver_min").default < scheme.parameter("gold_balance").default


def test_an_invalid_change_is_refused_and_changes_nothing(live):
    live.rules.apply(
        lambda s: editing.add_condition(editing.add_tier(s, Text("Top", "顶级")), "top", "household_income")
    )
    before = live.edit.scheme
    with pytest.raises(SchemeError, match="lowest tier"):
        live.rules.apply(lambda s: editing.remove_tier(s, "ordinary"))
    with pytest.raises(SchemeError, match="diamond_balance = 10,000 must be above platinum_balance"):
        live.rules.apply(_falling)
    assert live.edit.scheme is before and "top" in before.tier_ids


def _falling(scheme):
    from dataclasses import replace

    params = tuple(replace(p, default=10_000) if p.id == "diamond_balance" else p for p in scheme.parameters)
    return replace(scheme, parameters=params)


def test_saved_rules_are_a_scheme_file_the_scenario_names(live, tmp_path: Path):
    live.rules.apply(lambda s: editing.add_tier(s, Text("Diamond plus", "至尊钻石")))
    live.rules.apply(
        lambda s: editing.add_benefit(
            s, Text("Concierge", "私人管家"), live.registry.drivers["per_customer"], ("diamond_plus",)
        )
    )
    assert live.rules.unsaved
    rules = tmp_path / "postal-plus.toml"
    live.rules.save(rules)
    assert not live.rules.unsaved
    live.save(tmp_path / "plan.toml")
    saved = load_scenario(tmp_path / "plan.toml")
    assert saved.scheme_file == "postal-plus.toml"  # beside the scenario: relative
    fresh = load_registry()
    scheme = fresh.scheme(saved.scheme, file=saved.scheme_file_path())
    assert scheme.tier_ids[-1] == "diamond_plus" and scheme.benefit("concierge").tiers == {"diamond_plus": {}}


def test_unsaved_rules_survive_a_crash_beside_the_recovery_file(live):
    from workbench.files import recovery

    live.rules.apply(lambda s: editing.add_tier(s, Text("Diamond plus", "至尊钻石")))
    live.keep_unsaved()
    live.recovery.release()  # as if the workbench died
    found = recovery.pending()
    assert len(found) == 1
    scenario = found[0].scenario
    scheme = load_registry().scheme(scenario.scheme, file=scenario.scheme_file_path())
    assert scheme.tier_ids[-1] == "diamond_plus"
    assert scenario.parameters["diamond_plus_min"] == 3_000_000


def test_a_scheme_file_changed_on_disk_is_read_again(tmp_path):
    import os

    source = Path(__file__).parents[2] / "examples" / "schemes" / "city-bank-wealth.toml"
    rules = tmp_path / "city.toml"
    rules.write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    scenario = Scenario(
        scheme="city-bank-wealth", scheme_file=str(rules), portfolio=PortfolioRef(sample_rows=2_000)
    )
    live = LiveSession(load_registry(), scenario)
    assert live.edit.set_param("gold_min", 120_000) is None
    assert live.scheme_file_changed() is None
    rules.write_text(
        rules.read_text(encoding="utf-8").replace("default = 6_000_000", "default = 5_000_000"),
        encoding="utf-8",
    )
    os.utime(rules, ns=(1, 1))  # a different stamp even within the clock's resolution
    assert live.scheme_file_changed() == rules.resolve()
    live.reload_scheme_file(rules)
    assert live.edit.params["private_min"] == 5_000_000  # it was at the old default: follows the new
    assert live.edit.params["gold_min"] == 120_000  # the planner's own value stays
    assert live.scheme_file_changed() is None
