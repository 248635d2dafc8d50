"""Replays over months, by hand: each policy key alone and combined, joiners and leavers,
windows, quarters; with the default policy every month is that month's simulation."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import make_portfolio
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbench.core.engine import Engine
from workbench.core.policy import Policy
from workbench.core.replay import replay
from workbench.core.windows import windowed
from workbench.errors import ScenarioError

MONTHS = ("2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06")


def run(registry, rows_by_month, months=MONTHS, scheme_id="industrial-bank", **policy):
    scheme = registry.schemes[scheme_id]
    portfolios = [make_portfolio(rows) for rows in rows_by_month]
    engine = Engine(scheme, portfolios[0], registry.drivers)
    return replay(
        scheme,
        months[: len(portfolios)],
        portfolios,
        engine.settings(),
        Policy.checked(scheme, policy),
        registry.drivers,
    )


def held(r, customer: str) -> list[str]:
    i = int(np.searchsorted(r.customer_ids, customer))
    return [r.scheme.tier_ids[t] if t >= 0 else "-" for t in r.held[:, i]]


def months_of(*values: float, cid: str = "c1") -> list[list[dict]]:
    return [[{"customer_id": cid, "aum": v}] for v in values]


def test_default_policy_follows_the_rules_every_month(registry):
    r = run(registry, months_of(150_000, 90_000, 99_999.99, 100_000, 300_000, 299_999))
    assert held(r, "c1") == ["gold", "silver", "silver", "gold", "platinum", "gold"]
    assert [m.upgrades for m in r.months] == [0, 0, 0, 1, 1, 0]
    assert [m.downgrades for m in r.months] == [0, 1, 0, 0, 0, 1]


def test_a_downgrade_waits_for_the_nth_consecutive_month(registry):
    r = run(registry, months_of(150_000, 90_000, 90_000, 90_000, 150_000, 90_000), downgrade_after_months=3)
    assert held(r, "c1") == ["gold", "gold", "gold", "silver", "gold", "gold"]
    r = run(registry, months_of(150_000, 90_000, 90_000, 120_000, 90_000, 90_000), downgrade_after_months=3)
    assert held(r, "c1") == ["gold"] * 6  # the streak starts again after a month at gold


def test_retention_keeps_a_tier_at_its_share_of_the_threshold(registry):
    r = run(registry, months_of(150_000, 90_000, 89_999.99, 95_000), retention_ratio=0.9)
    assert held(r, "c1") == ["gold", "gold", "silver", "silver"]  # reaching gold again needs 100,000


def test_downgrades_wait_for_a_rating_day(registry):
    r = run(registry, months_of(150_000, 90_000, 90_000, 90_000, 90_000, 90_000), downgrade_months="3,6")
    assert held(r, "c1") == ["gold", "gold", "silver", "silver", "silver", "silver"]
    r = run(registry, months_of(150_000, 90_000, 150_000, 90_000, 90_000, 90_000), downgrade_months="3,6")
    assert held(r, "c1") == ["gold", "gold", "gold", "gold", "gold", "silver"]
    # upgrades take effect in any month
    r = run(registry, months_of(90_000, 150_000, 90_000), downgrade_months=[3])
    assert held(r, "c1") == ["silver", "gold", "silver"]


def test_policy_keys_combined(registry):
    values = (150_000, 92_000, 80_000, 85_000, 80_000, 80_000)
    r = run(registry, months_of(*values), retention_ratio=0.9, downgrade_after_months=2, downgrade_months="6")
    # 92,000 keeps gold (>= 90,000); 80,000 and 85,000 are two lower months, but only June may downgrade
    assert held(r, "c1") == ["gold", "gold", "gold", "gold", "gold", "silver"]


def test_joiners_and_leavers(registry):
    months = [
        [{"customer_id": "a", "aum": 150_000}, {"customer_id": "b", "aum": 50_000}],
        [{"customer_id": "a", "aum": 150_000}, {"customer_id": "b", "aum": 50_000}],
        [{"customer_id": "a", "aum": 150_000}, {"customer_id": "c", "aum": 400_000}],  # b leaves, c joins
        [
            {"customer_id": "a", "aum": 90_000},
            {"customer_id": "c", "aum": 400_000},
            {"customer_id": "b", "aum": 5},
        ],
    ]
    r = run(registry, months, downgrade_after_months=2)
    assert held(r, "c") == ["-", "-", "platinum", "platinum"]  # the rules' tier the first month
    assert held(r, "b") == ["silver", "silver", "-", "silver"]  # back again: starts again
    assert [(m.joined, m.left, m.customers) for m in r.months] == [(0, 0, 2), (0, 0, 2), (1, 1, 2), (1, 0, 3)]
    assert held(r, "a")[-1] == "gold"  # the first of two lower months


def test_windows_average_balances_and_sum_flows():
    values = np.array([[100.0, 10.0], [200.0, np.nan], [300.0, 30.0]])
    assert windowed(values, 2, flow=False).tolist()[2] == [250.0, 30.0]
    assert windowed(values, 2, flow=False).tolist()[1][0] == 150.0
    assert windowed(values, 2, flow=True).tolist() == [[100.0, 10.0], [300.0, 10.0], [500.0, 30.0]]
    assert np.isnan(windowed(values, 1, flow=True)[1, 1])


def test_icbc_points_over_six_months(registry):
    # a customer spending 10,000 by card each month: 400 points per 10,000 over the half-year
    rows = [
        [{"customer_id": "s", "card_spend_6m": 10_000, "aum_short_6m": 0, "aum_long_6m": 0}] for _ in range(6)
    ]
    r = run(registry, rows, scheme_id="icbc-stars")
    assert r.policy.window_months == 6  # the scheme's own default
    points = [400 * (m + 1) for m in range(6)]  # 400, 800, ... 2,400
    expected = ["star3" if p < 500 else "star4" if p < 2000 else "star5" for p in points]
    assert held(r, "s") == expected


def test_quarters_count_since_the_start_of_the_year(registry):
    rows = [[{"customer_id": f"c{i}", "aum": 150_000} for i in range(n)] for n in (10, 11, 12, 14)]
    months = ("2025-12", "2026-01", "2026-02", "2026-03")
    r = run(registry, rows, months=months)
    q4, q1 = r.quarters
    assert (q4.quarter, q4.since) == ("2025-Q4", "2025-12")  # the panel starts there: its own start
    gold = r.scheme.tier_index("gold")
    assert q1.quarter == "2026-Q1" and q1.since == "2025-12"
    assert (int(q1.counts[gold]), int(q1.change[gold]), q1.change_pct[gold]) == (14, 4, 40.0)


def test_policy_values_are_checked(registry):
    scheme = registry.schemes["industrial-bank"]
    for bad in (
        {"retention_ratio": 0},
        {"downgrade_months": "3,13"},
        {"downgrade_after_months": 0},
        {"grace": 1},
    ):
        with pytest.raises(ScenarioError):
            Policy.checked(scheme, bad)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=st.lists(
        st.lists(
            st.sampled_from([0.0, 50_000.0, 99_999.99, 100_000.0, 300_000.0, 1_000_000.0]),
            min_size=4,
            max_size=4,
        ),
        min_size=1,
        max_size=6,
    ),
    scheme_id=st.sampled_from(["industrial-bank", "postal-savings", "branch-layers"]),
)
def test_with_the_default_policy_each_month_is_that_months_simulation(registry, data, scheme_id):
    homes = ["h1", "h1", "", "h2"]  # households across months: the panel hashes their ids once
    rows = [
        [{"customer_id": f"c{i}", "household_id": homes[i], "aum": v} for i, v in enumerate(month)]
        for month in data
    ]
    r = run(registry, rows, scheme_id=scheme_id)
    scheme = registry.schemes[scheme_id]
    for m, month in enumerate(rows):
        single = Engine(scheme, make_portfolio(month), registry.drivers).simulate()
        assert r.months[m].counts.tolist() == single.counts.tolist()
        assert r.months[m].aum.tolist() == single.aum.tolist()
        assert r.months[m].cost.sum() == pytest.approx(single.total_benefit_cost / 12)


def test_why_each_month_is_held(registry):
    from workbench.core.replay import customer_months

    values = (150_000, 95_000, 80_000, 80_000, 80_000, 80_000)
    r = run(
        registry, months_of(*values), retention_ratio=0.9, downgrade_after_months=3, downgrade_months="3,6"
    )
    reasons = [(c.reason, c.streak) for c in customer_months(r, r.customer("c1"))]
    assert reasons == [
        ("joined", 0),
        ("retained", 0),  # 95,000 is above 90% of the gold threshold
        ("grace", 1),
        ("grace", 2),
        ("rating_day", 3),  # the third lower month is May: downgrades wait for June
        ("downgrade", 0),
    ]
    assert held(r, "c1") == ["gold"] * 5 + ["silver"]
    assert r.customer("nobody") is None


def test_the_cli_explains_a_customers_months(capsys, registry, tmp_path):
    from workbench.cli import main

    path = tmp_path / "p.csv"
    lines = ["customer_id,month,aum"] + [
        f"A,2026-0{m + 1},{v}" for m, v in enumerate((150_000, 80_000, 80_000))
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert (
        main(["replay", "--portfolio", str(path), "--customer", "A", "--policy", "downgrade_after_months=2"])
        == 0
    )
    out = capsys.readouterr().out
    assert (
        "lower month 1 of the 2 before a downgrade" in out and "downgraded to the tier the rules give" in out
    )


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(min_value=0, max_value=1_000),
    factors=st.lists(st.floats(min_value=0.5, max_value=2.0), min_size=1, max_size=4),
    ratio=st.sampled_from([1.0, 0.9]),
    scheme_id=st.sampled_from(["industrial-bank", "postal-savings", "icbc-stars"]),
)
def test_a_threshold_change_replays_only_what_it_moves(registry, seed, factors, ratio, scheme_id):
    from workbench.core.replay import Replayer
    from workbench.files.sample_panel import generate_panel

    scheme = registry.schemes[scheme_id]
    frame = generate_panel(300, 6, seed=seed)
    months = sorted(frame["month"].unique())
    portfolios = [
        make_portfolio(frame[frame["month"] == m].drop(columns=["month"]).to_dict("records")) for m in months
    ]
    policy = Policy.checked(scheme, {"retention_ratio": ratio, "downgrade_after_months": 2})
    replayer = Replayer(scheme, months, portfolios, registry.drivers)
    engine = Engine(scheme, portfolios[0], registry.drivers)
    current = engine.settings()
    replayer.run(current, policy)
    thresholds = [p for p in scheme.parameters if p.kind == "threshold"]
    for i, factor in enumerate(factors):
        p = thresholds[(seed + i) % len(thresholds)]
        try:
            current = current.with_params(
                scheme, {**current.params, p.id: round(current.params[p.id] * factor, 2)}
            )
        except Exception:
            continue  # would break the rising order
        again = replayer.run(current, policy)
        assert replayer.last_classified < sum(x.rows for x in portfolios) or factor == 1
        fresh = replay(scheme, months, portfolios, current, policy, registry.drivers)
        assert np.array_equal(again.held, fresh.held)
        assert [m.counts.tolist() for m in again.months] == [m.counts.tolist() for m in fresh.months]
        assert [m.bounced_back for m in again.months] == [m.bounced_back for m in fresh.months]
        moves = [(m.upgrades, m.downgrades, m.joined, m.left, m.aum.tolist()) for m in again.months]
        assert moves == [(m.upgrades, m.downgrades, m.joined, m.left, m.aum.tolist()) for m in fresh.months]


def test_bounce_backs(registry):
    r = run(registry, months_of(150_000, 90_000, 90_000, 150_000, 90_000, 300_000))
    assert [m.bounced_back for m in r.months] == [0, 0, 0, 1, 0, 1]


def test_one_month_over_its_window_agrees_with_the_replay(registry):
    from workbench.core.windows import month_over

    # c1 in every month, c2 leaves after month 2 and c3 joins in month 3
    def row(cid: str, short: float, spend: float) -> dict:
        return {"customer_id": cid, "aum_short_6m": short, "aum_long_6m": 0.0, "card_spend_6m": spend}

    rows = [
        [row("c1", 100.0, 10.0), row("c2", 50.0, 5.0)],
        [row("c2", 70.0, 5.0), row("c1", 200.0, 20.0)],
        [row("c3", 9.0, 1.0), row("c1", 600.0, 30.0)],
    ]
    portfolios = [make_portfolio(r) for r in rows]
    third = month_over(portfolios, 2, 2)
    assert third.frame["customer_id"].tolist() == ["c3", "c1"]  # the month's own rows, in order
    assert third.array("aum_short_6m").tolist() == [9.0, 400.0]  # c1: (200 + 600) / 2; c3 present once
    assert third.array("card_spend_6m").tolist() == [1.0, 50.0]  # a flow: summed
    assert month_over(portfolios, 2, 1) is portfolios[2]
    r = run(registry, rows, months=MONTHS[:3], scheme_id="icbc-stars", window_months=2)
    # the replay's third month classifies the same figures
    single = Engine(registry.schemes["icbc-stars"], third, registry.drivers).simulate()
    assert r.months[2].counts.tolist() == single.counts.tolist()


def test_policy_keys_nudge_within_their_bounds():
    p = Policy()
    assert p.nudged("window_months", 1).window_months == 2
    assert p.nudged("window_months", -1).window_months == 1  # at its bound
    assert p.nudged("retention_ratio", -2).retention_ratio == 0.9
    assert p.nudged("retention_ratio", 1).retention_ratio == 1.0
    assert p.nudged("downgrade_months", 1).downgrade_months == (3, 6, 9, 12)
    assert p.nudged("downgrade_months", 5).downgrade_months == (12,)
    assert p.nudged("downgrade_after_months", 2).downgrade_after_months == 3


@pytest.mark.parametrize("seed", range(3))
def test_month_figures_equal_numpys_counts_sums_and_moves(seed):
    from workbench.core.replay import month_figures

    rng = np.random.default_rng(seed)
    months, customers, k = 4, 3_000, 5
    held = rng.integers(-1, k, (months, customers)).astype(np.int8)  # -1: absent that month
    for m in range(months):
        rows_at = rng.permutation(np.flatnonzero(held[m] >= 0))  # the month's rows, in file order
        fen = np.round(rng.lognormal(12, 2, len(rows_at)))
        counts, fen_sums, moves = month_figures(held, m, rows_at, fen, k)
        mine = held[m, rows_at]
        assert counts.tolist() == np.bincount(mine, minlength=k).tolist()
        assert fen_sums.tolist() == np.bincount(mine, weights=fen, minlength=k).tolist()  # same order
        before, now = (held[m - 1], held[m]) if m else (held[m], held[m])
        here, there = before >= 0, now >= 0
        both = here & there
        expected = [
            np.count_nonzero(both & (now > before)),
            np.count_nonzero(both & (now < before)),
            np.count_nonzero(there & ~here) if m else 0,
            np.count_nonzero(here & ~there) if m else 0,
        ]
        assert moves.tolist() == expected


def test_month_figures_by_hand():
    from workbench.core.replay import month_figures

    held = np.array([[0, 1, -1, 2], [1, 1, 0, -1]], dtype=np.int8)  # 4 customers, 2 months
    counts, fen, moves = month_figures(held, 1, np.array([2, 0, 1]), np.array([500.0, 100.0, 250.0]), 3)
    assert counts.tolist() == [1, 2, 0] and fen.tolist() == [500.0, 350.0, 0.0]
    assert moves.tolist() == [1, 0, 1, 1]  # customer 1 up, customer 3 joined, customer 4 left
    with pytest.raises(ValueError):
        month_figures(held, 0, np.array([2]), np.array([1.0]), 3)  # absent, yet on a row
