"""The live session the workbench drives, without a screen: loading, figures, the at-once
policy, baselines, planner tools on their own engine, scenario files."""

import os

import pytest
from helpers import make_portfolio

from workbench.core.engine import Engine
from workbench.errors import UnmappedColumns
from workbench.files.scenarios import PortfolioRef, Scenario, save_scenario
from workbench.live import scenario_list
from workbench.live.session import LiveSession


def small(scheme: str = "industrial-bank", **kwargs) -> Scenario:
    return Scenario(scheme=scheme, portfolio=PortfolioRef(sample_rows=3_000, sample_seed=5), **kwargs)


def loaded(registry, scenario=None) -> LiveSession:
    live = LiveSession(registry, scenario or small())
    steps = []
    portfolio = live.load(live.scenario.portfolio, None, lambda step, rows: steps.append((step, rows)))
    assert steps == [(0, 0), (1, 3_000)]
    live.adopt(portfolio, live.scenario.portfolio)
    return live


def expected(live, **params):
    return Engine(live.scheme, live.portfolio, live.registry.drivers).simulate(params=params)


def test_the_first_view_is_the_engines_figures_against_the_defaults(registry):
    live = loaded(registry)
    view = live.compute_view(live.request())
    assert view.result.counts.tolist() == expected(live).counts.tolist()
    assert view.baseline_name.en == "scheme defaults" and view.comparison.moved == 0
    assert [m.param for m in view.markers] == ["gold_personal", "platinum_personal", "black_gold_personal"]


def test_a_prepared_threshold_change_is_computed_at_once_and_incrementally(registry):
    live = loaded(registry)
    live.compute_view(live.request())
    tuner = live.needs_preparing()
    assert tuner is not None and live.prepare(tuner, lambda done, total: None, lambda: False)
    assert live.needs_preparing() is None
    assert live.edit.set_param("platinum_personal", 500_000) is None
    view = live.view_at_once(live.request())
    assert view is not None and view.path == "incremental"
    assert view.result.counts.tolist() == expected(live, platinum_personal=500_000).counts.tolist()
    assert view.comparison.moved == int(
        (expected(live).tiers != expected(live, platinum_personal=500_000).tiers).sum()
    )


def test_a_stale_request_is_dropped(registry):
    live = loaded(registry)
    old = live.request()
    live.request()
    assert live.compute_view(old) is None


def test_a_weight_change_takes_the_full_path_and_asks_to_prepare_again(registry):
    live = loaded(registry, small("icbc-stars"))
    live.compute_view(live.request())
    tuner = live.needs_preparing()
    live.prepare(tuner, lambda done, total: None, lambda: False)
    live.edit.set_param("w_card_spend", 300)
    view = live.compute_view(live.request())
    assert view.path == "full" and live.needs_preparing() is tuner


def test_pinning_the_baseline_compares_with_the_settings_of_the_moment(registry):
    live = loaded(registry)
    live.edit.set_param("gold_personal", 150_000)
    live.pin_baseline("pinned 10:00")
    live.edit.set_param("gold_personal", 200_000)
    view = live.compute_view(live.request())
    assert view.baseline_name.en == "pinned 10:00"
    assert view.comparison.baseline.counts.tolist() == expected(live, gold_personal=150_000).counts.tolist()
    live.default_baseline()
    view = live.compute_view(live.request())
    assert view.comparison.baseline.counts.tolist() == expected(live).counts.tolist()


def test_planner_tools_run_on_their_own_engine(registry):
    live = loaded(registry, small("icbc-stars"))
    live.compute_view(live.request())
    points = live.tuner.engine.metric("star_points", live.edit.params, live.edit.options)
    result = live.sweep("w_card_spend", 100, 500, 5)
    assert [p.value for p in result.points] == [100, 200, 300, 400, 500]
    outcome = live.solve("target", "star5", 10, None)
    assert outcome.changed
    # the tuner's metric is still the one it sorted: tuning is not disturbed
    assert live.tuner.engine.metric("star_points", live.edit.params, live.edit.options) is points
    customer = live.example_customer()
    now, before = live.explain(customer)
    assert now.customer_id == before.customer_id == customer


def test_solve_refuses_what_it_cannot_do_with_the_field_named(registry):
    live = loaded(registry)
    with pytest.raises(Exception, match="unknown parameters: nope") as info:
        live.solve("target", "gold", 10, ["nope"])
    assert info.value.field == "vary"
    with pytest.raises(Exception, match="between 0 and 100") as info:
        live.solve("target", "gold", 120, None)
    assert info.value.field == "target"


def test_switching_to_a_scheme_the_portfolio_cannot_serve_changes_nothing(registry):
    live = LiveSession(registry, small())
    live.adopt(make_portfolio([{"aum": 10}]), PortfolioRef())
    with pytest.raises(UnmappedColumns, match="icbc-stars"):
        live.switch_scheme("icbc-stars")
    assert live.scheme.id == "industrial-bank"


def test_scenario_files_are_read_again_only_when_they_change(registry, tmp_path, monkeypatch):
    folder = tmp_path / "mine"
    folder.mkdir()
    path = folder / "a.toml"
    save_scenario(small(name="first"), path)
    live = LiveSession(registry, small(), scenario_dirs=[folder])
    reads = []
    real = scenario_list.load_scenario
    monkeypatch.setattr(scenario_list, "load_scenario", lambda p: reads.append(p) or real(p))
    assert [f.name for f in live.scenario_files() if f.path == path] == ["first"]
    assert [f.name for f in live.scenario_files() if f.path == path] == ["first"]
    assert reads.count(path) == 1
    save_scenario(small(name="second"), path)
    os.utime(path, (1, 1))
    assert [f.name for f in live.scenario_files() if f.path == path] == ["second"]
    assert reads.count(path) == 2
