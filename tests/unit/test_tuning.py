"""The incremental path equals a full recompute, for every built-in scheme and a custom one."""

import threading

import numpy as np
import pytest
from helpers import make_portfolio, portfolios
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbench import Parameter, Scheme, Text, Tier, metrics
from workbench.core.engine import DEFAULT_DRIVERS, Engine
from workbench.core.results import compare
from workbench.core.settings import Settings
from workbench.core.tuning import Tuner
from workbench.errors import WorkbenchError

SCHEMES = ["industrial-bank", "icbc-stars", "postal-savings", "branch-layers"]


def assert_same(tuner: Tuner, engine: Engine, baseline) -> None:
    result, comparison = tuner.outputs()
    full = engine.simulate(settings=tuner.settings)
    expected = compare(full, baseline)
    assert np.array_equal(result.tiers, full.tiers)
    assert np.array_equal(result.counts, full.counts)
    assert np.array_equal(result.breakdown, full.breakdown)
    assert np.array_equal(result.aum, full.aum)  # exact: sums in whole fen
    assert np.array_equal(comparison.migration_customers, expected.migration_customers)
    assert np.array_equal(comparison.migration_aum, expected.migration_aum)
    assert result.total_benefit_cost == full.total_benefit_cost


@st.composite
def changes(draw, scheme: Scheme, engine: Engine):
    """A sequence of setting changes: thresholds (often onto a customer's exact value),
    weights, options and cost assumptions."""
    steps = []
    for _ in range(draw(st.integers(min_value=1, max_value=12))):
        kind = draw(st.sampled_from(["threshold"] * 6 + ["thresholds", "weight", "option", "cost"]))
        if kind == "thresholds":  # several at once, as a scenario or an undo brings them
            chosen = draw(
                st.lists(
                    st.sampled_from([p for p in scheme.parameters if p.kind == "threshold"]),
                    min_size=2,
                    max_size=4,
                    unique=True,
                )
            )
            factors = draw(st.lists(st.floats(min_value=0.5, max_value=2.0), min_size=4, max_size=4))
            steps.append(
                (
                    "params",
                    None,
                    {p.id: round(p.default * f, 2) for p, f in zip(chosen, factors, strict=False)},
                )
            )
        elif kind == "threshold":
            p = draw(st.sampled_from([p for p in scheme.parameters if p.kind == "threshold"]))
            criterion = scheme.criterion_of_parameter(p.id)
            values = engine.metric(criterion.metric, scheme.default_params, scheme.default_options)
            finite = values[np.isfinite(values)]
            if len(finite) and draw(st.booleans()):
                value = float(draw(st.sampled_from(sorted(set(finite.tolist())))))
            else:
                value = p.default * draw(st.floats(min_value=0.3, max_value=3.0))
            steps.append(("param", p.id, round(value, 2)))
        elif kind == "weight" and any(p.kind == "weight" for p in scheme.parameters):
            p = draw(st.sampled_from([p for p in scheme.parameters if p.kind == "weight"]))
            steps.append(("param", p.id, float(draw(st.integers(min_value=0, max_value=600)))))
        elif kind == "option" and scheme.options:
            o = draw(st.sampled_from(scheme.options))
            steps.append(("option", o.id, draw(st.sampled_from(o.values))))
        elif kind == "cost" and scheme.benefits:
            b = next(b for b in scheme.benefits if b.driver != "not_costed")
            field = next(f for f in DEFAULT_DRIVERS[b.driver].fields if not f.share)
            steps.append(("cost", b.id, {field.id: float(draw(st.integers(min_value=0, max_value=5_000)))}))
    return steps


def apply(scheme: Scheme, current: Settings, step) -> Settings | None:
    kind, key, value = step
    try:
        if kind == "param":
            return current.with_params(scheme, {**current.params, key: value})
        if kind == "params":
            return current.with_params(scheme, {**current.params, **value})
        if kind == "option":
            options = {**current.options, key: value}
            return Settings.checked(scheme, DEFAULT_DRIVERS, current.params, options, current.costs)
        costs = {**current.costs, key: value}
        return Settings.checked(scheme, DEFAULT_DRIVERS, current.params, current.options, costs)
    except WorkbenchError:
        return None  # breaks the rising order: the workbench refuses it too


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(portfolio=portfolios(), scheme_id=st.sampled_from(SCHEMES), data=st.data())
def test_incremental_equals_full(registry, portfolio, scheme_id, data):
    scheme = registry.schemes[scheme_id]
    walk_changes(Engine(scheme, portfolio, registry.drivers), data)


def walk_changes(engine: Engine, data) -> None:
    """Tune through drawn changes; after each, the tuner's figures equal a full recompute."""
    scheme = engine.scheme
    start = engine.settings()
    baseline = engine.simulate(settings=start)
    tuner = Tuner(engine, start, baseline)
    tuner.prepare()
    current = start
    for step in data.draw(changes(scheme, engine)):
        new = apply(scheme, current, step)
        if new is None:
            continue
        current = new
        tuner.update(current)
        if tuner.path == "full":
            tuner.prepare()  # weights or options changed the metrics: sort them again
        assert_same(tuner, engine, baseline)


def test_threshold_change_takes_the_incremental_path(registry):
    rows = [{"aum": a} for a in (50_000, 150_000, 350_000, 450_000, 2_000_000)]
    engine = Engine(registry.schemes["industrial-bank"], make_portfolio(rows), registry.drivers)
    baseline = engine.simulate()
    tuner = Tuner(engine, engine.settings(), baseline)
    tuner.prepare()
    _, comparison = tuner.update(engine.settings({"platinum_personal": 400_000}))
    assert tuner.path == "incremental" and tuner.moved_last == 1  # the customer at 350,000
    assert comparison.migration_customers[2, 1] == 1
    tuner.update(engine.settings({"platinum_personal": 400_000}, costs={"golf": {"unit_cost": 10}}))
    assert tuner.path == "costs"
    tuner.update(engine.settings({"platinum_personal": 400_000}, {"household_basis": "sum"}))
    assert tuner.path == "full"


def test_without_sort_orders_the_full_path_is_taken(registry):
    engine = Engine(registry.schemes["branch-layers"], make_portfolio([{"aum": 5_000}]), registry.drivers)
    tuner = Tuner(engine, engine.settings(), engine.simulate())
    assert not tuner.prepared
    tuner.update(engine.settings({"layer2_min": 4_000}))
    assert tuner.path == "full"
    assert_same(tuner, engine, tuner.baseline)


@pytest.mark.parametrize("seed", range(5))
def test_custom_classify_scheme_takes_the_full_path_and_agrees(seed):
    def classify(ctx):
        return np.minimum((ctx.metrics["aum"] / ctx.params["step"]).astype(np.int64), 2)

    scheme = Scheme(
        id="custom",
        name=Text("Custom", "自定义"),
        tiers=(Tier("a", Text("A", "甲")), Tier("b", Text("B", "乙")), Tier("c", Text("C", "丙"))),
        metrics=(metrics.column("aum"),),
        parameters=(Parameter("step", Text("Step", "步长"), 100_000, "CNY"),),
        required_columns=("customer_id", "aum"),
        classify=classify,
    )
    rng = np.random.default_rng(seed)
    portfolio = make_portfolio([{"aum": float(a)} for a in rng.integers(0, 400_000, 200)])
    engine = Engine(scheme, portfolio, DEFAULT_DRIVERS)
    baseline = engine.simulate()
    tuner = Tuner(engine, engine.settings(), baseline)
    tuner.prepare()
    for value in rng.integers(50_000, 250_000, 5):
        tuner.update(engine.settings({"step": float(value)}))
        assert tuner.path == "full"
        assert_same(tuner, engine, baseline)


def test_rebase(registry):
    rows = [{"aum": a} for a in (50_000, 150_000, 350_000)]
    engine = Engine(registry.schemes["industrial-bank"], make_portfolio(rows), registry.drivers)
    tuner = Tuner(engine, engine.settings(), engine.simulate())
    tuner.prepare()
    new_baseline = engine.simulate(params={"gold_personal": 200_000})
    _, comparison = tuner.rebase(new_baseline)
    assert (
        comparison.migration_customers.tolist()
        == compare(engine.simulate(), new_baseline).migration_customers.tolist()
    )


def test_prepare_reports_progress_and_can_stop(registry):
    rows = [{"aum": a, "household_id": "h1" if a < 100_000 else ""} for a in range(10_000, 500_000, 7_000)]
    engine = Engine(registry.schemes["industrial-bank"], make_portfolio(rows), registry.drivers)
    tuner = Tuner(engine, engine.settings(), engine.simulate())
    assert not tuner.prepare(should_stop=lambda: True)
    assert not tuner.prepared
    seen = []
    assert tuner.prepare(on_progress=lambda done, total: seen.append((done, total)))
    assert tuner.prepared
    # two metrics sorted (aum, household_aum); each co-sorts the other and the baseline;
    # AUM in fen is computed from AUM, which both hold, so neither copies it
    assert seen[-1] == (6, 6) and [d for d, _ in seen] == list(range(1, 7))


def test_rebase_keeps_the_incremental_path(registry):
    rows = [{"aum": a} for a in (50_000, 150_000, 350_000, 450_000, 2_000_000)]
    engine = Engine(registry.schemes["industrial-bank"], make_portfolio(rows), registry.drivers)
    tuner = Tuner(engine, engine.settings(), engine.simulate())
    tuner.prepare()
    tuner.rebase(engine.simulate(params={"gold_personal": 200_000}))
    assert tuner.prepared
    tuner.update(engine.settings({"platinum_personal": 400_000}))
    assert tuner.path == "incremental"
    assert_same(tuner, engine, tuner.baseline)


def test_preparing_beside_updates_changes_no_figure(registry):
    """The workbench prepares in the background while the planner keeps nudging."""
    rng = np.random.default_rng(7)
    portfolio = make_portfolio([{"aum": float(a)} for a in rng.integers(0, 3_000_000, 5_000)])
    engine = Engine(registry.schemes["branch-layers"], portfolio, registry.drivers)
    baseline = engine.simulate()
    tuner = Tuner(engine, engine.settings(), baseline)
    worker = threading.Thread(target=tuner.prepare)
    worker.start()
    for value in rng.integers(10_000, 45_000, 40):
        tuner.update(engine.settings({"layer1_min": float(value)}))
    worker.join()
    for value in rng.integers(10_000, 45_000, 10):
        tuner.update(engine.settings({"layer1_min": float(value)}))
        assert tuner.path == "incremental"
    assert_same(tuner, engine, baseline)


def test_several_thresholds_at_once_are_incremental(registry):
    rows = [{"aum": 120_000}, {"aum": 350_000, "household_id": "h2"}, {"aum": 60_000, "household_id": "h2"}]
    rows += [{"aum": 5_000}] * 45  # silver whatever the thresholds
    engine = Engine(registry.schemes["industrial-bank"], make_portfolio(rows), registry.drivers)
    baseline = engine.simulate()
    tuner = Tuner(engine, engine.settings(), baseline)
    tuner.prepare()
    # gold by personal AUM from 100k to 130k: the 120k customer drops to silver; platinum by
    # household mean from 250k down to 200k: h2's mean of 205k lifts its 60k member from gold
    settings = engine.settings({"gold_personal": 130_000, "platinum_household": 200_000})
    path, slices = tuner.plan(settings)
    assert path == "incremental" and len(slices) == 2
    tuner.update(settings)
    assert tuner.moved_last == 2
    _, comparison = tuner.outputs()
    assert comparison.migration_customers[1, 0] == 1 and comparison.migration_customers[1, 2] == 1
    assert_same(tuner, engine, baseline)
    # the household mean's layout holds h2's two members only: no household threshold moves
    # the 46 customers without a household of two (NaN)
    household = engine.metric("household_aum", settings.params, settings.options)
    layout = tuner.layout_for(household)
    assert sorted(layout.order.tolist()) == [1, 2] and layout.ascending.tolist() == [205_000.0] * 2
    for value in (80_001.0, 205_000.0, 205_000.01, 799_999.0):  # on, just above, far either side
        tuner.update(engine.settings({"gold_personal": 130_000, "platinum_household": value}))
        assert tuner.path == "incremental"
        assert_same(tuner, engine, baseline)


def test_a_weight_change_lets_go_of_the_old_sort(registry):
    import gc
    import weakref

    rows = [{"aum_short_6m": a, "aum_long_6m": a // 2} for a in range(0, 9_000_000, 30_000)]
    engine = Engine(registry.schemes["icbc-stars"], make_portfolio(rows), registry.drivers)
    tuner = Tuner(engine, engine.settings(), engine.simulate())
    tuner.prepare()
    points = weakref.ref(engine.metric("star_points", tuner.settings.params, tuner.settings.options))
    assert tuner.prepared and tuner.layout_for(points()) is not None
    heavier = engine.settings({"w_short_term_assets": 150.0})
    tuner.update(heavier)  # new star points: the layout sorted by the old ones is of no use
    gc.collect()
    assert tuner.path == "full" and points() is None  # nothing holds the old points any more
    assert not tuner.prepared
    tuner.prepare()
    assert tuner.prepared
    tuner.update(engine.settings({"w_short_term_assets": 150.0, "star4": 600.0}))
    assert tuner.path == "incremental"
    assert_same(tuner, engine, tuner.baseline)


def test_whole_numbers_are_co_sorted_in_the_narrowest_integer_type():
    from workbench.core.layouts import narrowed

    assert narrowed(np.array([-1.0, 0.0, 3.0, 127.0])).dtype == np.int8
    assert narrowed(np.array([-1.0, 300.0])).dtype == np.int16
    assert narrowed(np.array([0.0, 70_000.0])).dtype == np.int32
    for kept in ([0.0, 0.5], [1.0, np.nan], [0.0, 3e9], [1.0, np.inf], []):
        values = np.array(kept, dtype=np.float64)
        assert narrowed(values) is values  # decimals, NaN, out of range: kept as they are
    ones = np.ones(5_000)
    ones[4_000] = 0.25  # a decimal past the first rows looked at is still seen
    assert narrowed(ones) is ones


def test_layouts_keep_card_levels_in_a_byte_and_compute_fen_from_aum(registry):
    cards = ["", "gold", "platinum", "diamond"]
    rows = [
        {"aum": 1_000.0 * i + 0.37, "designated_card_level": cards[i % 4], "household_income": 3_000.0 * i}
        for i in range(400)
    ]
    engine = Engine(registry.schemes["postal-savings"], make_portfolio(rows), registry.drivers)
    tuner = Tuner(engine, engine.settings(), engine.simulate())
    tuner.prepare()
    fen, aum = engine.aum_fen(tuner.settings), engine.aum_values(tuner.settings)
    level = next(a for a in engine.classify_inputs(tuner.settings) if a is not aum and np.nanmax(a) < 10)
    layout = tuner.layout_for(aum)
    assert layout is not None and layout.has(fen) and id(fen) not in layout._copies  # computed, not copied
    assert layout._copies[id(level)][1].dtype == np.int8
    part = slice(10, 250)
    assert layout.take(level, part).dtype == np.float64
    assert np.array_equal(layout.take(level, part), level[layout.order][part])
    assert np.array_equal(layout.take(fen, part), fen[layout.order][part])
    assert fen[layout.order][part][0] == round(aum[layout.order][part][0] * 100)
    before = tuner.outputs()[0].aum.copy()
    gold = tuner.settings.params["gold_balance"]
    tuner.update(engine.settings({"gold_balance": gold + 20_000}))  # 20 customers of 400
    assert tuner.path == "incremental" and tuner.moved_last > 0
    assert not np.array_equal(tuner.outputs()[0].aum, before)
    assert_same(tuner, engine, tuner.baseline)


def test_a_full_recompute_lets_go_of_old_sorts_before_making_new_metrics(registry):
    from workbench.core.buffers import POOL_FROM

    rows = [
        {"aum_short_6m": float(a % 9_000_000), "aum_long_6m": float(a % 70_000)} for a in range(POOL_FROM)
    ]
    engine = Engine(registry.schemes["icbc-stars"], make_portfolio(rows), registry.drivers)
    tuner = Tuner(engine, engine.settings(), engine.simulate())
    tuner.prepare()
    made = engine.buffers.made
    engine.forget_metrics()  # every metric made again, as the benchmark's full step does
    tuner.recompute(engine.settings())
    # The star points' layout held the old metrics (its own and the copies' sources):
    # dropped first, they are written again; kept to the end, three arrays came afresh.
    assert engine.buffers.made == made
    assert_same(tuner, engine, tuner.baseline)


def test_freed_memory_goes_back_to_the_system_where_the_c_library_can():
    import sys

    from workbench.core.memory import give_back

    assert give_back() is sys.platform.startswith("linux")
