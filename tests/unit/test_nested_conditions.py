"""Tiers with their own logic: nested any/all conditions and yes/no columns, checked by hand,
through explain, the threshold chains and the incremental engine."""

from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_tuning import assert_same, walk_changes

from workbench.core.engine import Engine
from workbench.core.tuning import Tuner
from workbench.planning.explain import explain
from workbench.present.conditions import tier_sentence
from workbench.present.explaining import explanation_lines
from workbench.scheme.registry import load_registry
from workbench.scheme.validation import threshold_problems
from workbench.testing import costs_of, hand_portfolio, portfolio_for, tiers_of

EXAMPLES = Path(__file__).parents[2] / "examples" / "schemes"
CITY = EXAMPLES / "city-bank-wealth.toml"


@pytest.fixture(scope="module")
def city():
    registry = load_registry()
    registry.add_file(CITY)
    return registry


ROWS = [
    {"aum": 120_000},  # gold by balance
    {"aum": 40_000, "payroll_card": "是"},  # gold by payroll card and 30,000 of balance
    {"aum": 20_000, "payroll_card": "true"},  # payroll card, too little balance
    {"aum": 40_000},  # no payroll card
    {"aum": 7_000_000, "risk_assessed": "yes"},  # private banking
    {"aum": 7_000_000, "risk_assessed": "否"},  # no risk assessment: platinum
    {"aum": 600_000},
]


def test_hand_table(city):
    assert tiers_of("city-bank-wealth", ROWS, registry=city) == [
        "gold", "gold", "standard", "standard", "private", "platinum", "platinum",
    ]  # fmt: skip


def test_an_option_switches_a_nested_route_off(city):
    tiers = tiers_of("city-bank-wealth", ROWS, options={"payroll": "off"}, registry=city)
    assert tiers[:2] == ["gold", "standard"]


def test_a_threshold_inside_an_all_moves_its_customers(city):
    tiers = tiers_of("city-bank-wealth", ROWS, params={"gold_payroll_min": 15_000}, registry=city)
    assert tiers[2] == "gold"


def test_qualified_by_counts_an_all_as_its_group(city):
    scheme = city.schemes["city-bank-wealth"]
    result = Engine(scheme, hand_portfolio(ROWS, scheme), city.drivers).simulate()
    gold = result.rows()[scheme.tier_index("gold")]
    assert gold.qualified_by == {"balance": 1, "payroll": 1}


def test_costs_of_a_file_benefit(city):
    costs = costs_of("city-bank-wealth", ROWS, registry=city)
    assert costs["private"]["concierge"] == pytest.approx(20_000 * 0.8)
    assert costs["private"]["manager"] == pytest.approx(400_000 / 50)


def test_explain_says_what_is_missing(city):
    scheme = city.schemes["city-bank-wealth"]
    engine = Engine(scheme, hand_portfolio(ROWS, scheme), city.drivers)
    e = explain(engine, engine.settings(), "c6", "test")
    assert e.tier == "platinum" and not e.tier_holds["private"]
    lines = "\n".join(explanation_lines(e))
    assert "✗  Risk assessed: no" in lines
    assert "✓  Daily-average AUM 7,000,000 >= private_min 6,000,000" in lines
    zh = "\n".join(explanation_lines(explain(engine, engine.settings(), "c2", "test"), "zh"))
    assert "✓  全部满足 · 代发:" in zh and "✓  代发工资卡: 是" in zh


def test_sentences_in_both_languages(city):
    scheme = city.schemes["city-bank-wealth"]
    private, gold = scheme.tier("private"), scheme.tier("gold")
    params = scheme.default_params
    assert tier_sentence(scheme, private, params) == (
        "Private banking: Daily-average AUM >= 6,000,000 and Risk assessed"
    )
    assert tier_sentence(scheme, private, params, "zh") == "私人银行客户:日均资产 >= 600万 且 已做风险评估"
    assert tier_sentence(scheme, gold, params) == (
        "Gold: Daily-average AUM >= 100,000 or (Payroll card and Daily-average AUM >= 30,000)"
    )
    off = {"payroll": "off"}
    assert tier_sentence(scheme, gold, params, options=off) == "Gold: Daily-average AUM >= 100,000"


def test_a_gate_does_not_exempt_a_threshold_from_rising(city):
    scheme = city.schemes["city-bank-wealth"]
    params = {**scheme.default_params, "private_min": 400_000}  # below platinum's 500,000
    problems = [p.en for p in threshold_problems(scheme, params)]
    assert problems == [
        "private_min = 400,000 must be above platinum_min = 500,000: thresholds rise with the tier"
    ]
    # the payroll route sits on another path: a low balance there is no problem
    assert threshold_problems(scheme, {**scheme.default_params, "gold_payroll_min": 10_000}) == []


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(min_value=0, max_value=10_000), data=st.data())
def test_incremental_equals_full_with_nested_conditions(city, seed, data):
    scheme = city.schemes["city-bank-wealth"]
    walk_changes(Engine(scheme, portfolio_for(scheme, rows=400, seed=seed), city.drivers), data)


def test_a_threshold_inside_an_all_touches_only_its_slice(city):
    scheme = city.schemes["city-bank-wealth"]
    engine = Engine(scheme, portfolio_for(scheme, rows=5_000, seed=3), city.drivers)
    tuner = Tuner(engine, engine.settings(), engine.simulate())
    tuner.prepare()
    new = engine.settings({"gold_payroll_min": 25_000})
    aum = engine.metric("aum", new.params, new.options)
    between = int(np.count_nonzero((aum >= 25_000) & (aum < 30_000)))
    assert tuner.cost(new) == between
    tuner.update(new)
    assert tuner.path == "incremental"
    assert_same(tuner, engine, tuner.baseline)


def test_the_kit_catches_a_reversed_comparison(registry):
    from workbench import Parameter, Scheme, Text, Tier, metrics
    from workbench.testing import check_thresholds_bite

    def classify(ctx):
        return (ctx.metrics["aum"] <= ctx.params["vip_min"]).astype(np.int8)  # meant >=

    scheme = Scheme(
        id="reversed",
        name=Text("Reversed", "反了"),
        tiers=(Tier("base", Text("Base", "普通")), Tier("vip", Text("VIP", "贵宾"))),
        metrics=(metrics.column("aum"),),
        parameters=(Parameter("vip_min", Text("VIP from", "贵宾下限"), 100_000, "CNY"),),
        required_columns=("customer_id", "aum"),
        classify=classify,
    )
    portfolio = hand_portfolio([{"aum": a} for a in (50_000, 99_000, 100_000, 100_001, 300_000)])
    with pytest.raises(AssertionError, match="is a comparison in classify reversed"):
        check_thresholds_bite(scheme, portfolio, registry)
