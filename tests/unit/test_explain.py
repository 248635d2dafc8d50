"""Explaining one customer's tier, and why it differs between scenarios."""

import hashlib
import hmac

from helpers import make_portfolio

from workbench.core.engine import Engine
from workbench.files.privacy import mask
from workbench.planning.explain import explain
from workbench.present.explaining import differences, explanation_lines


def test_household_qualifies(registry):
    engine = Engine(
        registry.schemes["industrial-bank"],
        make_portfolio([{"aum": 50_000, "household_id": "H"}, {"aum": 110_000, "household_id": "H"}]),
        registry.drivers,
    )
    e = explain(engine, engine.settings(), "c1", "as published")
    assert e.tier == "gold"
    checks = {(c.tier, c.metric): c for c in e.checks}
    assert not checks[("gold", "aum")].met and checks[("gold", "aum")].gap == 50_000
    assert checks[("gold", "household_aum")].met and checks[("gold", "household_aum")].value == 80_000
    text = "\n".join(explanation_lines(e))
    assert "✗  Personal daily-average AUM 50,000 < gold_personal 100,000 (50,000 short)" in text
    assert "✓  Household daily-average AUM 80,000 >= gold_household 80,000" in text
    assert "household_members: 2" in text


def test_floor_and_override(registry):
    engine = Engine(
        registry.schemes["icbc-stars"],
        make_portfolio(
            [
                {"aum_short_6m": 10_000, "aum_long_6m": 0, "credit_card": "platinum"},
                {"aum_short_6m": 0, "aum_long_6m": 0, "service_star_override": "star5"},
            ]
        ),
        registry.drivers,
    )
    first = explain(engine, engine.settings(), "c1", "s")
    assert (first.base_tier, first.tier) == ("star3", "star6")
    assert ("product held", "star6", True) in first.floors
    second = explain(engine, engine.settings(), "c2", "s")
    assert second.override == "star5" and second.tier == "star5"


def test_why_the_tier_differs(registry):
    engine = Engine(registry.schemes["industrial-bank"], make_portfolio([{"aum": 350_000}]), registry.drivers)
    before = explain(engine, engine.settings(), "c1", "A")
    after = explain(engine, engine.settings({"platinum_personal": 400_000}), "c1", "B")
    lines = differences(before, after)
    assert lines[0] == "A: Platinum  ->  B: Gold"
    assert (
        "Platinum, Personal daily-average AUM: no longer met: platinum_personal 300,000 -> 400,000" in lines
    )


def test_option_switches_a_criterion_off(registry):
    engine = Engine(
        registry.schemes["postal-savings"],
        make_portfolio([{"aum": 0, "designated_card_level": "platinum"}]),
        registry.drivers,
    )
    on = explain(engine, engine.settings(), "c1", "card on")
    off = explain(engine, engine.settings(options={"card_criterion": "off"}), "c1", "card off")
    assert (on.tier, off.tier) == ("platinum", "ordinary")
    assert any("an option switches the criterion off" in line for line in differences(on, off))


def test_mask_is_keyed():
    expected = "m-" + hmac.new(b"k", b"C00012345", hashlib.sha256).hexdigest()[:16]
    assert mask("C00012345", b"k") == expected
    assert mask("C00012345", b"other") != expected
    assert mask("", b"k") == ""
