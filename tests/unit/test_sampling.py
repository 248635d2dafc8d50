"""Stratified samples and their 95% intervals: by hand, and over repeated draws."""

from __future__ import annotations

import json

import numpy as np
import pytest

from workbench.cli import main
from workbench.core.sampling import Design, allocate, expand, stratum_stats
from workbench.files.sample import sample_portfolio
from workbench.files.scenarios import PortfolioRef, Scenario
from workbench.planning.estimates import draw, estimate_run, sample_of, sampling_frame
from workbench.planning.runs import Session


def test_the_estimate_and_its_interval_by_hand():
    # one stratum of 4 single-customer units; units valued 1 and 3 drawn
    design = Design(
        0.5, 1, np.array([4.0]), np.array([2.0]), np.array([0.5]), np.array([4.0]), np.array([2.0])
    )
    estimate, error = expand(np.array([[1.0], [3.0]]), np.array([0, 0]), np.array([1, 1]), design)
    assert estimate[0] == pytest.approx(4 * (1 + 3) / 2)  # 8
    # variance N^2 (1 - n/N) s^2 / n; s^2 = 2 is below the rare-figure floor
    # top^2 p(1-p) n/(n-1) with p = (2+1)/(2+2): 9 * 3/16 * 2 = 3.375
    assert error[0] == pytest.approx(np.sqrt(16 * 0.5 * 3.375 / 2))


def test_customers_per_stratum_come_out_exact_with_households_of_any_size():
    design = Design(
        0.5, 1, np.array([4.0]), np.array([2.0]), np.array([0.5]), np.array([10.0]), np.array([5.0])
    )
    sizes = np.array([1, 4])
    estimate, error = expand(sizes[:, None].astype(float), np.array([0, 0]), sizes, design)
    assert estimate[0] == pytest.approx(10) and error[0] == 0


def test_allocation_takes_a_small_top_stratum_whole_and_every_stratum_some():
    strata = np.repeat([0, 1, 2], [100_000, 5_000, 40])
    values = np.concatenate(
        [np.full(100_000, 1_000.0), np.linspace(1e5, 1e6, 5_000), np.linspace(1e7, 1e9, 40)]
    )
    stats = stratum_stats(strata, values + np.arange(len(values)) % 7, np.ones(len(values)), 3)
    drawn = allocate(stats, 0.01)
    assert drawn[2] == 40  # the top: all of it
    assert drawn[0] >= 30 and drawn[1] >= 30
    assert drawn.sum() == pytest.approx(0.01 * len(values), rel=0.05)


@pytest.fixture(scope="module")
def book():
    return sample_portfolio(1_000_000, 7)


@pytest.mark.parametrize(
    ("scheme", "moved"),
    [
        ("industrial-bank", {"platinum_personal": 500_000, "gold_household": 120_000}),
        ("postal-savings", {"gold_balance": 80_000, "platinum_income": 600_000}),
    ],
)
def test_intervals_from_a_two_percent_sample_cover_the_exact_figures(book, scheme, moved):
    """Drawn once at the scheme's defaults, then estimated at other thresholds, as the
    workbench does while tuning: over 20 draws, about 95% of the intervals hold the exact
    counts, AUM and costs, and none is so wide as to say nothing."""
    session = Session()
    ref = PortfolioRef(sample_rows=1_000_000, sample_seed=7)
    tuned = Scenario(scheme=scheme, portfolio=ref, parameters=moved)
    exact = session.run(tuned, portfolio=book).result
    s = session.registry.schemes[scheme]
    frame = sampling_frame(book, session.engine(s, book), session.settings(Scenario(scheme=scheme), s))
    hits, widths = [], []
    for seed in range(20):
        e = estimate_run(session, tuned, draw(frame, 0.02, seed))
        for t, n, a, c in zip(e.tiers, exact.counts, exact.aum, exact.cost_by_tier, strict=True):
            hits += [t.customers.covers(n), t.aum.covers(a), t.benefit_cost.covers(c)]
            widths.append((t.customers.high - t.customers.low) / 2 / n)
        assert e.run.result.customers == 1_000_000  # known, not estimated
    assert 0.88 <= np.mean(hits) <= 1.0
    assert max(widths) < 0.15


def test_the_draw_is_the_same_in_any_row_order(book):
    session = Session()
    scenario = Scenario(scheme="industrial-bank")
    shuffled = sample_portfolio(1_000_000, 7)
    order = np.random.default_rng(3).permutation(shuffled.rows)
    shuffled.frame = shuffled.frame.iloc[order].reset_index(drop=True)
    one = sample_of(session, scenario, book, 0.01, 5).portfolio.frame["customer_id"]
    two = sample_of(Session(), scenario, shuffled, 0.01, 5).portfolio.frame["customer_id"]
    assert sorted(one) == sorted(two)


def test_households_are_drawn_whole(book):
    sample = sample_of(Session(), Scenario(scheme="industrial-bank"), book, 0.01, 2).portfolio.frame
    members = book.frame[book.frame.household_id != ""].groupby("household_id").size()
    drawn = sample[sample.household_id != ""].groupby("household_id").size()
    assert len(drawn) > 100
    assert (drawn == members.loc[drawn.index]).all()


def test_simulate_sample_prints_estimates_with_intervals(capsys):
    code = main(["simulate", "--scheme", "postal-savings", "--sample-rows", "200000", "--sample", "2%",
                 "--set", "gold_balance=80000", "--format", "json"])  # fmt: skip
    out, err = capsys.readouterr()
    assert code == 0, err
    data = json.loads(out)
    assert data["sample"]["fraction"] == 0.02 and data["sample"]["units_are"] == "customers"
    assert 0.015 * 200_000 < data["sample"]["customers"] < 0.03 * 200_000
    assert data["interval"]["customers"] == {"estimate": 200_000, "low": 200_000, "high": 200_000}
    for tier in data["tiers"]:
        band = tier["interval"]["customers"]
        assert band["low"] <= tier["customers"] <= band["high"]
    assert "stratified sample" in err


@pytest.mark.parametrize(("share", "message"), [("0", "expected a share"), ("150%", "expected a share")])
def test_a_bad_share_is_refused(capsys, share, message):
    code = main(["simulate", "--sample-rows", "1000", "--sample", share])
    _, err = capsys.readouterr()
    assert code != 0 and message in err
