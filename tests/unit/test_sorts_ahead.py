"""Sorts started as a portfolio loads: the first tuner takes them instead of sorting again,
with the same figures; what a weight change replaces is let go of; a failure is raised
where the layout is taken."""

import gc
import threading
import weakref

import numpy as np
import pytest
from helpers import make_portfolio
from test_tuning import assert_same

from workbench.core import layouts, tuning
from workbench.core.engine import Engine
from workbench.core.layouts import Layout, SortsAhead
from workbench.core.tuning import Tuner, threshold_metrics
from workbench.files.scenarios import PortfolioRef, Scenario
from workbench.live.session import LiveSession


@pytest.fixture
def sorted_on(monkeypatch):
    """The names of the threads each ``Layout.sorting`` ran on."""
    threads: list[str] = []
    original = Layout.sorting

    def sorting(values, pool=None):
        threads.append(threading.current_thread().name)
        return original(values, pool)

    monkeypatch.setattr(Layout, "sorting", staticmethod(sorting))
    return threads


def industrial_bank(registry, rows: int = 4_000) -> Engine:
    rng = np.random.default_rng(11)
    aum = rng.lognormal(11.5, 1.4, rows).round(2)
    households = [f"H{i // 3:05d}" if i % 5 else "" for i in range(rows)]
    portfolio = make_portfolio([{"aum": a, "household_id": h} for a, h in zip(aum, households, strict=True)])
    return Engine(registry.schemes["industrial-bank"], portfolio, registry.drivers)


def test_the_first_tuner_takes_the_sorts_started_ahead(registry, sorted_on):
    engine = industrial_bank(registry)
    settings = engine.settings()
    ahead = SortsAhead(threshold_metrics(engine, settings))  # personal and household AUM
    tuner = Tuner(engine, settings, engine.simulate())
    tuner.take_sorts(ahead)
    ahead.wait()  # both sorted before the tuner asks
    assert tuner.prepare() and tuner.prepared
    assert sorted_on == [layouts.AHEAD_THREAD] * 2  # sorted once each, ahead; never again
    tuner.update(engine.settings({"platinum_personal": 420_000.0, "gold_household": 95_000.0}))
    assert tuner.path == "incremental"
    assert_same(tuner, engine, tuner.baseline)


def test_sorts_of_other_arrays_are_not_taken(registry, sorted_on):
    engine = industrial_bank(registry)
    settings = engine.settings()
    values = threshold_metrics(engine, settings)[0]
    ahead = SortsAhead([values.copy()])  # equal values, another array: not this metric's sort
    assert ahead.take(values) is None
    tuner = Tuner(engine, settings, engine.simulate())
    tuner.take_sorts(ahead)
    assert tuner.prepare()
    assert sorted_on.count(layouts.AHEAD_THREAD) == 1 and len(sorted_on) == 3


def test_a_weight_change_before_preparing_lets_go_of_the_sort_ahead(registry):
    rows = [{"aum_short_6m": a, "aum_long_6m": a // 2} for a in range(0, 9_000_000, 30_000)]
    engine = Engine(registry.schemes["icbc-stars"], make_portfolio(rows), registry.drivers)
    settings = engine.settings()
    points = threshold_metrics(engine, settings)
    ahead = SortsAhead(points)
    tuner = Tuner(engine, settings, engine.simulate())
    tuner.take_sorts(ahead)
    old = weakref.ref(points[0])
    del points
    tuner.update(engine.settings({"w_short_term_assets": 150.0}))  # new star points
    ahead.wait()
    gc.collect()
    assert tuner.path == "full" and old() is None  # neither the sort nor its values are held
    assert tuner.prepare() and tuner.prepared
    tuner.update(engine.settings({"w_short_term_assets": 150.0, "star4": 600.0}))
    assert tuner.path == "incremental"
    assert_same(tuner, engine, tuner.baseline)


def test_a_sort_not_started_when_taken_is_the_tuners_on_every_core(registry, monkeypatch):
    engine = industrial_bank(registry)
    settings = engine.settings()
    personal, household = threshold_metrics(engine, settings)
    release, calls = threading.Event(), []
    original = Layout.sorting

    def sorting(values, pool=None):
        calls.append((values is personal, threading.current_thread().name, type(pool).__name__))
        if threading.current_thread().name == layouts.AHEAD_THREAD:
            assert release.wait(10)  # the first sort ahead is still running when taken
        return original(values, pool)

    monkeypatch.setattr(Layout, "sorting", staticmethod(sorting))
    ahead = SortsAhead([personal, household])
    tuner = Tuner(engine, settings, engine.simulate())
    tuner.take_sorts(ahead)
    assert ahead.take(household) is None  # not started: not to be made ahead now
    release.set()
    ahead.wait()
    # Ahead: on threads that take one core until a tuner waits for them
    assert calls == [(True, layouts.AHEAD_THREAD, "Widening")]
    assert tuner.prepare() and tuner.prepared
    assert [c[0] for c in calls] == [True, False] and calls[1][1] != layouts.AHEAD_THREAD
    assert calls[1][2] == "NoneType"  # the tuner's own sort: the sort's threads, every core
    tuner.update(engine.settings({"platinum_personal": 420_000.0, "gold_household": 95_000.0}))
    assert tuner.path == "incremental"
    assert_same(tuner, engine, tuner.baseline)


def test_a_sort_that_fails_ahead_fails_where_it_is_taken(registry, monkeypatch):
    def failing(values, pool=None):
        raise MemoryError("no room for the sort")

    monkeypatch.setattr(Layout, "sorting", staticmethod(failing))
    values = np.arange(10.0)
    ahead = SortsAhead([values])
    with pytest.raises(MemoryError, match="no room"):
        ahead.take(values)
    assert ahead.take(values) is None  # taken once, failed or not


def test_loading_starts_the_sorts_the_first_tuner_takes(registry, sorted_on, monkeypatch):
    monkeypatch.setattr(tuning, "AHEAD_FROM_ROWS", 1_000)  # the sample below counts as big
    scenario = Scenario(scheme="postal-savings", portfolio=PortfolioRef(sample_rows=3_000, sample_seed=5))
    live = LiveSession(registry, scenario)
    portfolio = live.load(scenario.portfolio, None, lambda step, rows: None)
    live.adopt(portfolio, scenario.portfolio)
    live._ahead.wait()  # both sorted before the tuner asks (one not started would be the tuner's)
    view = live.compute_view(live.request())
    tuner = live.needs_preparing()
    assert tuner is not None and live.prepare(tuner, lambda done, total: None, lambda: False)
    metrics = len(threshold_metrics(tuner.engine, tuner.settings))
    assert metrics == 2 and sorted_on == [layouts.AHEAD_THREAD] * metrics  # balance, household income
    expected = Engine(live.scheme, portfolio, registry.drivers).simulate()
    assert view.result.counts.tolist() == expected.counts.tolist()


def test_small_portfolios_sort_when_prepared(registry, sorted_on):
    scenario = Scenario(scheme="industrial-bank", portfolio=PortfolioRef(sample_rows=3_000, sample_seed=5))
    live = LiveSession(registry, scenario)
    portfolio = live.load(scenario.portfolio, None, lambda step, rows: None)
    live.adopt(portfolio, scenario.portfolio)
    live.compute_view(live.request())
    tuner = live.needs_preparing()
    assert tuner is not None and live.prepare(tuner, lambda done, total: None, lambda: False)
    assert sorted_on and layouts.AHEAD_THREAD not in sorted_on


def test_widening_threads_run_one_task_until_widened_then_two_at_once():
    """Before ``widen`` a second task waits for the first; after, both run at once (the
    first waits for the second at a barrier, which only two tasks at once can pass)."""
    from workbench.core.parallel import Widening

    threads = Widening("test-widening")
    both = threading.Barrier(2, timeout=10)
    first_in, widened, seen = threading.Event(), threading.Event(), []

    def first() -> None:
        first_in.set()
        both.wait()

    def second() -> None:
        seen.append(widened.is_set())  # entered only once widened: the first holds the core
        both.wait()

    done = [threads.submit(first), threads.submit(second)]
    assert first_in.wait(10)
    widened.set()
    threads.widen()
    for future in done:
        future.result(timeout=10)
    assert seen == [True]


def test_taking_a_sort_ahead_lets_it_use_every_core(registry, monkeypatch):
    """The tuner waits once it takes a sort: the sort's threads are widened then, and a
    radix sort on such threads, two chunks at a time or one, orders as numpy does."""
    from workbench.core.parallel import Widening
    from workbench.core.sorting import RADIX_FROM, sorted_order

    widened = []
    original = Widening.widen
    monkeypatch.setattr(Widening, "widen", lambda self: (widened.append(self), original(self))[1])
    values = np.round(np.random.default_rng(3).lognormal(9, 2, RADIX_FROM + 999), 2)
    ahead = SortsAhead([values])
    layout = ahead.take(values)
    assert layout is not None and len(widened) == 1
    np.testing.assert_array_equal(layout.ascending, np.sort(values))
    for widen in (False, True):
        threads = Widening("test-sort")
        if widen:
            threads.widen()
        order, ascending = sorted_order(values, 2, pool=threads)
        np.testing.assert_array_equal(order, np.argsort(values, kind="stable"))
        np.testing.assert_array_equal(ascending, values[order])
