"""The synthetic sample: deterministic and calibrated per schemes.md."""

import numpy as np
import pytest

from workbench.files.sample import AUM_BANDS, generate_frame, sample_portfolio

TARGET_CUSTOMER_SHARES = [0.921, 0.019, 0.022, 0.013, 0.0136, 0.0081, 0.0024, 0.0008]


@pytest.fixture(scope="module")
def frame():
    return generate_frame(100_000, 20261122)


def test_deterministic_from_seed():
    a, b, c = generate_frame(2_000, 5), generate_frame(2_000, 5), generate_frame(2_000, 6)
    assert a.equals(b)
    assert not a["aum"].equals(c["aum"])


def test_customer_shares_by_band(frame):
    aum = frame["aum"].to_numpy()
    for (low, high, _, _), target in zip(AUM_BANDS, TARGET_CUSTOMER_SHARES, strict=True):
        share = np.mean((aum >= low) & (aum < high)) if high < 4e8 else np.mean(aum >= low)
        assert abs(share - target) < 0.002, (low, share, target)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_aum_shares_match_the_annual_reports(seed):
    aum = generate_frame(100_000, seed)["aum"].to_numpy()
    total = aum.sum()
    assert 0.78 <= aum[aum >= 5e5].sum() / total <= 0.85  # CMB: 80-82%
    assert 0.26 <= aum[aum >= 1e7].sum() / total <= 0.36  # CMB: about 31%
    assert 60_000 <= aum.mean() <= 80_000  # about 70,000
    assert 11_000 <= aum[aum < 5e5].mean() <= 15_000  # about 13,000


def test_households_and_products(frame):
    sizes = frame[frame.household_id != ""].groupby("household_id").size()
    assert set(sizes.unique()) <= {2, 3, 4}
    assert 0.40 <= (frame.household_id != "").mean() <= 0.46
    rich, small = frame[frame.aum >= 1e6], frame[frame.aum < 5e4]
    assert (rich.credit_card != "none").mean() > (small.credit_card != "none").mean()
    assert rich.wealth_account.mean() > small.wealth_account.mean()
    assert rich.household_income.median() > small.household_income.median()
    assert 0.05 < (frame.mortgage_6m > 0).mean() < 0.2
    # half-year figures near the latest month, not equal to it
    half_year = frame.aum_short_6m + frame.aum_long_6m
    ratio = (half_year / frame.aum)[frame.aum > 10_000]
    assert 0.9 < ratio.median() < 1.1 and (ratio != 1).mean() > 0.9


def test_household_assets_correlate(frame):
    members = frame[frame.household_id != ""]
    first = members.groupby("household_id").aum.first()
    last = members.groupby("household_id").aum.last()
    corr = np.corrcoef(np.log1p(first), np.log1p(last))[0, 1]
    assert corr > 0.3


def test_sample_portfolio_has_every_column_the_schemes_use(registry):
    portfolio = sample_portfolio(500, 1)
    for scheme in registry.schemes.values():
        assert portfolio.missing(scheme.columns) in ([], ["current_tier"]), scheme.id
