"""The engine's general mechanisms, on schemes declared in the test."""

import numpy as np
import pytest
from helpers import make_portfolio

from workbench import Benefit, Criterion, Group, Metric, Parameter, Scheme, Text, Tier, metrics
from workbench.core.engine import DEFAULT_DRIVERS, Engine
from workbench.core.results import compare
from workbench.errors import PortfolioError, SchemeError


def two_metric_scheme(combine="all", classify=None):
    return Scheme(
        id="test-all-of",
        name=Text("Test", "测试"),
        tiers=(
            Tier("base", Text("Base", "基础")),
            Tier(
                "vip",
                Text("VIP", "贵宾"),
                criteria=(
                    Criterion("aum", "vip_aum", group="aum"),
                    Criterion("household_income", "vip_income", group="income"),
                ),
            ),
        ),
        groups=(Group("aum", Text("AUM", "资产")), Group("income", Text("income", "收入"))),
        combine=combine,
        metrics=(metrics.column("aum"), metrics.column("household_income")),
        parameters=(
            Parameter("vip_aum", Text("VIP AUM", "贵宾资产"), 100_000, "CNY"),
            Parameter("vip_income", Text("VIP income", "贵宾收入"), 300_000, "CNY"),
        ),
        required_columns=("customer_id", "aum", "household_income"),
        benefits=(Benefit("gift", Text("Gift", "礼品"), "per_customer", {"unit_cost": 100}, {"vip": {}}),),
        classify=classify,
    )


ROWS = [
    {"aum": 100_000, "household_income": 300_000},
    {"aum": 100_000, "household_income": 0},
    {"aum": 0, "household_income": 300_000},
]


def test_all_of_needs_every_criterion():
    engine = Engine(two_metric_scheme("all"), make_portfolio(ROWS), DEFAULT_DRIVERS)
    assert engine.simulate().tiers.tolist() == [1, 0, 0]


def test_any_of_needs_one():
    engine = Engine(two_metric_scheme("any"), make_portfolio(ROWS), DEFAULT_DRIVERS)
    result = engine.simulate()
    assert result.tiers.tolist() == [1, 1, 1]
    assert result.rows()[1].qualified_by == {"several": 1, "aum": 1, "income": 1}
    assert result.rows()[1].benefit_cost == 300


def test_custom_classify_function():
    def classify(ctx):
        return (ctx.metrics["aum"] + ctx.metrics["household_income"] > 250_000).astype(np.int8)

    engine = Engine(two_metric_scheme(classify=classify), make_portfolio(ROWS), DEFAULT_DRIVERS)
    assert engine.simulate().tiers.tolist() == [1, 0, 1]


def test_custom_classify_that_raises_is_a_scheme_error():
    def classify(ctx):
        raise ZeroDivisionError("bad plugin")

    engine = Engine(two_metric_scheme(classify=classify), make_portfolio(ROWS), DEFAULT_DRIVERS)
    with pytest.raises(SchemeError, match="test-all-of.*failed while classifying: ZeroDivisionError"):
        engine.simulate()


def test_custom_classify_out_of_range_is_rejected():
    engine = Engine(
        two_metric_scheme(classify=lambda ctx: np.full(3, 7)), make_portfolio(ROWS), DEFAULT_DRIVERS
    )
    with pytest.raises(SchemeError, match="outside 0..1"):
        engine.simulate()


def test_metric_that_raises_is_a_scheme_error():
    broken = Metric("aum", Text("x", "x"), "CNY", lambda ctx: 1 / 0, columns=("aum",))
    scheme = two_metric_scheme()
    scheme = Scheme(**{**scheme.__dict__, "metrics": (broken, metrics.column("household_income"))})
    with pytest.raises(SchemeError, match="failed computing metric 'aum'"):
        Engine(scheme, make_portfolio(ROWS), DEFAULT_DRIVERS).simulate()


def test_missing_required_column_names_it_and_the_scheme():
    portfolio = make_portfolio([{"aum": 1}])
    with pytest.raises(PortfolioError, match="scheme 'test-all-of' needs column household_income"):
        Engine(two_metric_scheme(), portfolio, DEFAULT_DRIVERS)


def test_migration_matrix_and_deltas(registry):
    rows = [{"aum": a} for a in (50_000, 150_000, 350_000, 450_000, 2_000_000)]
    engine = Engine(registry.schemes["industrial-bank"], make_portfolio(rows), registry.drivers)
    base = engine.simulate()
    after = engine.simulate(params={"platinum_personal": 400_000})
    comparison = compare(after, base)
    m = comparison.migration_customers
    assert m.tolist() == [[1, 0, 0, 0], [0, 1, 0, 0], [0, 1, 1, 0], [0, 0, 0, 1]]
    assert comparison.moved == 1
    assert comparison.migration_aum[2, 1] == 350_000
    assert comparison.delta_customers().tolist() == [0, 1, -1, 0]
    assert comparison.delta_aum().tolist() == [0, 350_000, -350_000, 0]


def test_metrics_are_reused_between_threshold_changes(registry):
    engine = Engine(
        registry.schemes["icbc-stars"],
        make_portfolio([{"aum_short_6m": 1, "aum_long_6m": 2}]),
        registry.drivers,
    )
    first = engine.metric("star_points", engine.settings().params, engine.settings().options)
    again = engine.metric("star_points", engine.settings({"star3": 60}).params, engine.settings().options)
    assert first is again
    changed = engine.metric(
        "star_points", engine.settings({"w_card_spend": 300}).params, engine.settings().options
    )
    assert changed is not first


def test_an_override_column_reads_tier_ids_and_names_in_either_language(registry):
    values = ["star7", "七星级", "", "5 STARS", " pre_star "]
    rows = [{"aum_short_6m": 1_000.0, "aum_long_6m": 0.0, "service_star_override": v} for v in values]
    engine = Engine(registry.schemes["icbc-stars"], make_portfolio(rows), registry.drivers)
    # tier indexes from the lowest (unrated 0) up: 7 stars 6, 5 stars 4, pre-star 1
    assert engine.override_codes("service_star_override").tolist() == [6, 6, -1, 4, 1]


def test_an_override_that_is_no_tier_is_named_by_row(registry):
    values = ["star7", "gold", "", "gold", "diamond"]
    rows = [{"aum_short_6m": 1_000.0, "aum_long_6m": 0.0, "service_star_override": v} for v in values]
    engine = Engine(registry.schemes["icbc-stars"], make_portfolio(rows), registry.drivers)
    with pytest.raises(PortfolioError) as caught:
        engine.override_codes("service_star_override")
    said = str(caught.value)
    assert "row 3, column service_star_override: found 'gold'" in said
    assert "row 5" in said and "found 'diamond'" in said and "row 2" not in said
    assert "expected a tier of icbc-stars (unrated, pre_star, star3" in said
