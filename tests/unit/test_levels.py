"""Classifying by levels (tiers that nest) gives what ``Engine.classify`` gives, state
for state and fen for fen; tiers that do not nest have no plan."""

from pathlib import Path

import numpy as np
import pytest

from workbench.core.engine import Engine
from workbench.core.fused import tally_states
from workbench.core.levels import _levels, _nested, classification, level_plan
from workbench.core.results import breakdown_labels
from workbench.core.tuning import Tuner
from workbench.scheme.registry import load_registry
from workbench.testing import hand_portfolio, portfolio_for

CITY = Path(__file__).parents[2] / "examples" / "schemes" / "city-bank-wealth.toml"


@pytest.fixture(scope="module")
def schemes():
    registry = load_registry()
    registry.add_file(CITY)
    return registry


def both_ways(engine, settings, baseline):
    """(state, counts, fen) from the level plan and from the general path, in two blocks."""
    plan = level_plan(engine, settings)
    assert plan is not None
    n, k = engine.portfolio.rows, len(engine.scheme.tiers)
    sizes = (k, k, len(breakdown_labels(engine.scheme)))
    fen = engine.aum_fen(settings)
    out = []
    for way in ("levels", "general"):
        state = np.zeros((n, 2), dtype=np.int8)
        parts = []
        for a, b in ((0, n // 3), (n // 3, n)):
            if way == "levels":
                parts.append(plan.tally(a, b, baseline[a:b], fen[a:b], state[a:b], sizes))
            else:
                full = engine.classify(settings)
                cut = type(full)(*(None if v is None else v[a:b] for v in (
                    full.tiers, full.base, full.qualified, full.raised, full.overridden)))  # fmt: skip
                parts.append(tally_states(engine.scheme, cut, baseline[a:b], fen[a:b], state[a:b], sizes))
        counts = sum(p[0] for p in parts)
        fen_sums = sum(p[1] for p in parts)
        out.append((state, counts, fen_sums))
    return out


def random_nested(scheme, settings, rng):
    """Every threshold scaled by its own random factor, then sorted up the tiers per
    criterion, so that the tiers still nest."""
    params = dict(settings.params)
    for p in scheme.parameters:
        if p.kind == "threshold":
            params[p.id] = round(params[p.id] * float(rng.uniform(0.3, 3.0)), 2)
    chains: dict[tuple, list[str]] = {}
    for tier in scheme.tiers[1:]:
        for path, leaf in scheme.leaves(tier):
            if isinstance(getattr(leaf, "threshold", None), str):
                chains.setdefault(path, []).append(leaf.threshold)
    for chain in chains.values():
        for pid, value in zip(chain, sorted(params[p] for p in chain), strict=True):
            params[pid] = value
    return params


@pytest.mark.parametrize("scheme_id", ["industrial-bank", "icbc-stars", "postal-savings", "branch-layers"])
@pytest.mark.parametrize("seed", range(4))
def test_levels_equal_the_general_path(schemes, scheme_id, seed):
    scheme = schemes.schemes[scheme_id]
    engine = Engine(scheme, portfolio_for(scheme, rows=4_000, seed=seed), schemes.drivers)
    rng = np.random.default_rng(seed)
    options = {o.id: o.choices[seed % len(o.choices)].value for o in scheme.options}
    settings = engine.settings(options=options)
    settings = engine.settings(random_nested(scheme, settings, rng), options)
    baseline = rng.integers(0, len(scheme.tiers), engine.portfolio.rows).astype(np.int8)
    (state, counts, fen), (state2, counts2, fen2) = both_ways(engine, settings, baseline)
    np.testing.assert_array_equal(state, state2)
    np.testing.assert_array_equal(counts, counts2)
    np.testing.assert_array_equal(fen, fen2)
    assert len(np.unique(state[:, 0])) >= 2  # not a degenerate portfolio


@pytest.mark.parametrize("scheme_id", ["industrial-bank", "icbc-stars", "postal-savings", "branch-layers"])
@pytest.mark.parametrize("seed", range(4))
def test_a_classification_by_levels_is_the_general_one_array_for_array(monkeypatch, schemes, scheme_id, seed):
    """Tiers, base tiers, groups met, floors that raised and overrides, with and without
    options, in blocks of a few rows (``map_blocks`` with its block made small)."""
    from workbench.core import levels

    scheme = schemes.schemes[scheme_id]
    engine = Engine(scheme, portfolio_for(scheme, rows=3_000, seed=seed), schemes.drivers)
    rng = np.random.default_rng(seed)
    options = {o.id: o.choices[seed % len(o.choices)].value for o in scheme.options}
    settings = engine.settings(random_nested(scheme, engine.settings(options=options), rng), options)
    general = engine.classify(settings)
    original = levels.map_blocks
    monkeypatch.setattr(levels, "map_blocks", lambda n, work: original(n, work, block=700))
    by_levels = classification(engine, settings)
    assert by_levels is not None
    for field in ("tiers", "base", "qualified", "raised", "overridden"):
        mine, theirs = getattr(by_levels, field), getattr(general, field)
        assert (mine is None) == (theirs is None), field
        if mine is not None:
            np.testing.assert_array_equal(mine, theirs, err_msg=field)
            assert mine.dtype == theirs.dtype, field
    assert len(np.unique(general.tiers)) >= 2


def test_hand_table_industrial_bank(schemes):
    """Gold from 100,000 personal or 80,000 household mean; platinum 300,000 / 250,000:
    the tier is the higher route's, and "qualified by" names every route that reaches it."""
    scheme = schemes.schemes["industrial-bank"]
    rows = [
        {"aum": 600_000},  # platinum, personal
        {"aum": 120_000, "household_id": "h1"},  # household mean (120,000 + 400,000) / 2 = 260,000
        {"aum": 400_000, "household_id": "h1"},  # platinum both ways
        {"aum": 99_999.99},  # silver
        {"aum": 100_000, "household_id": "h2"},  # mean 90,000: gold both ways
        {"aum": 80_000, "household_id": "h2"},  # gold by household only
    ]
    engine = Engine(scheme, hand_portfolio(rows), schemes.drivers)
    settings = engine.settings()
    tuner = Tuner(engine, settings, engine.simulate(settings=settings))
    tuner.recompute(engine.settings({"gold_personal": 100_000}))  # the full path, by levels
    assert level_plan(engine, tuner.settings) is not None
    tiers = [scheme.tiers[t].id for t in tuner.state[:, 0]]
    assert tiers == ["platinum", "platinum", "platinum", "silver", "gold", "gold"]
    labels = breakdown_labels(scheme)
    assert [labels[c] for c in tuner.state[:, 1]] == [
        "personal", "household", "several", "none", "several", "household",
    ]  # fmt: skip


def test_levels_count_the_tiers_a_value_meets():
    """ICBC's pre-star needs points above 0 (strict), the stars at least their threshold."""
    values = np.array([-1.0, 0.0, 0.5, 49.99, 50.0, 500.0, np.nan])
    out = np.empty(len(values), dtype=np.uint8)
    _levels(values, np.array([0.0, 50.0, 500.0]), np.array([True, False, False]), out)
    assert out.tolist() == [0, 0, 1, 1, 2, 3, 0]


def test_which_chains_nest():
    strict, loose = np.array([True, False]), np.array([False, False])
    assert _nested(np.array([0.0, 50.0]), strict)
    assert _nested(np.array([50.0, 50.0]), loose)  # the same threshold twice: both tiers at once
    assert not _nested(np.array([50.0, 50.0]), strict)  # > 50 for the lower, >= 50 for the higher
    assert not _nested(np.array([500.0, 50.0]), loose)
    assert not _nested(np.array([np.nan, 50.0]), loose)


def test_tiers_that_do_not_nest_have_no_plan(schemes):
    city = schemes.schemes["city-bank-wealth"]  # gold has a payroll route, platinum none
    engine = Engine(city, portfolio_for(city, rows=2_000), schemes.drivers)
    assert level_plan(engine, engine.settings()) is None
    # Still the same figures through the tuner's full path (the general one).
    settings = engine.settings({"gold_min": 150_000})
    tuner = Tuner(engine, engine.settings(), engine.simulate())
    tuner.recompute(settings)
    np.testing.assert_array_equal(tuner.outputs()[0].counts, engine.simulate(settings=settings).counts)
