"""The built-in synthetic portfolio: deterministic from a seed, calibrated.

The AUM distribution follows a joint-stock bank's retail book (China Merchants
Bank annual reports 2021-2025, see ``docs/schemes.md``): the share of customers in
each AUM band is allocated exactly, values within a band are drawn by
stratified sampling so that AUM shares are stable between seeds. Households
of 1-4 members hold correlated assets (each customer's rank in the AUM
distribution follows a latent household wealth score), products and credit
cards are more common at higher AUM, incomes follow household assets, a
minority has loans, and half-year figures are close to, not equal to, the
latest month. Nothing in it is real customer data.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from workbench.core.portfolio import Portfolio
from workbench.errors import ScenarioError
from workbench.files.portfolios import portfolio_from_frame
from workbench.text import Text

DEFAULT_ROWS = 100_000
DEFAULT_SEED = 20_261_122

# (lower, upper, share of customers, Pareto shape within the band)
AUM_BANDS: tuple[tuple[float, float, float, float], ...] = (
    (0.0, 50_000.0, 0.9211, 0.0),  # drawn from a truncated log-normal, see _small_balances
    (50_000.0, 100_000.0, 0.019, 1.5),
    (100_000.0, 300_000.0, 0.022, 1.3),
    (300_000.0, 500_000.0, 0.013, 1.2),
    (500_000.0, 1_000_000.0, 0.0136, 1.3),
    (1_000_000.0, 3_000_000.0, 0.0081, 1.4),
    (3_000_000.0, 10_000_000.0, 0.0024, 1.3),
    (10_000_000.0, 400_000_000.0, 0.0008, 1.45),
)
DORMANT_SHARE = 0.05  # accounts with exactly zero assets
SMALL_MEDIAN, SMALL_SIGMA = 1_200.0, 1.6
HOUSEHOLD_MEMBER_SHARE = 0.45  # customers who belong to a household of 2-4
HOUSEHOLD_SIZES = ((2, 0.55), (3, 0.30), (4, 0.15))
CARDS = ("none", "standard", "gold", "platinum")
DESIGNATED = ("none", "gold", "platinum", "diamond")
OVERRIDES = ("", "star4", "star5", "star6", "star7")
BRANCHES = ("朝阳支行", "海淀支行", "西城支行", "东城支行", "丰台支行", "通州支行", "昌平支行", "顺义支行")
BRANCH_WEIGHTS = (0.18, 0.2, 0.12, 0.1, 0.12, 0.1, 0.1, 0.08)


def band_counts(rows: int) -> np.ndarray:
    """Customers per AUM band: the shares, rounded by largest remainder."""
    shares = np.array([b[2] for b in AUM_BANDS])
    exact = shares / shares.sum() * rows
    counts = np.floor(exact).astype(np.int64)
    short = rows - counts.sum()
    counts[np.argsort(exact - counts)[::-1][:short]] += 1
    return counts


def _stratified(rng: np.random.Generator, m: int) -> np.ndarray:
    return (np.arange(m) + rng.random(m)) / max(m, 1)


def _bounded_pareto(u: np.ndarray, low: float, high: float, alpha: float) -> np.ndarray:
    la, ha = low**-alpha, high**-alpha
    return (la - u * (la - ha)) ** (-1.0 / alpha)


def _small_balances(rng: np.random.Generator, m: int, upper: float) -> np.ndarray:
    values = rng.lognormal(np.log(SMALL_MEDIAN), SMALL_SIGMA, m)
    while True:
        over = values >= upper
        if not over.any():
            break
        values[over] = rng.lognormal(np.log(SMALL_MEDIAN), SMALL_SIGMA, int(over.sum()))
    values[rng.random(m) < DORMANT_SHARE] = 0.0
    return values


def aum_values(rng: np.random.Generator, rows: int) -> np.ndarray:
    """AUM for ``rows`` customers, sorted ascending."""
    parts = []
    for (low, high, _, alpha), m in zip(AUM_BANDS, band_counts(rows), strict=True):
        if m == 0:
            continue
        if alpha == 0.0:
            parts.append(_small_balances(rng, int(m), high))
        else:
            parts.append(_bounded_pareto(_stratified(rng, int(m)), low, high, alpha))
    values = np.round(np.concatenate(parts), 2)
    values.sort()
    return values


def _households(rng: np.random.Generator, rows: int) -> tuple[np.ndarray, int]:
    """Household code per customer (-1 alone), members of a household adjacent."""
    codes = np.full(rows, -1, dtype=np.int64)
    target = int(rows * HOUSEHOLD_MEMBER_SHARE)
    sizes_choice = np.array([s for s, _ in HOUSEHOLD_SIZES])
    probs = np.array([p for _, p in HOUSEHOLD_SIZES])
    sizes = rng.choice(sizes_choice, size=max(target // 2, 1), p=probs)
    sizes = sizes[np.cumsum(sizes) <= target]
    members = int(sizes.sum())
    positions = rng.permutation(rows)[:members]
    codes[positions] = np.repeat(np.arange(len(sizes)), sizes)
    return codes, len(sizes)


BYTES_PER_ROW = 350  # the generator's peak memory per customer: 307 bytes measured at 2,000,000
MAX_SEED = 2**63 - 1


def max_sample_rows() -> int:
    """The largest sample this machine's memory can generate."""
    from workbench.files.reading import MEMORY_SHARE, memory_bytes

    return int(memory_bytes() * MEMORY_SHARE / BYTES_PER_ROW)


def check_sample(rows: object, seed: object, where: str = "sample") -> tuple[int, int]:
    """A sample's size and seed, checked: whole numbers, at least one customer and no more
    than the memory holds, a seed from 0 to 2**63 - 1."""
    if isinstance(rows, bool) or not isinstance(rows, int):
        raise ScenarioError(
            f"{where} rows: expected a whole number of customers, found {rows!r}",
            zh=f"{where} rows:客户数应为整数,实为 {rows!r}",
        )
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise ScenarioError(
            f"{where} seed: expected a whole number, found {seed!r}",
            zh=f"{where} seed:应为整数,实为 {seed!r}",
        )
    if rows < 1:
        raise ScenarioError(
            f"{where} rows: expected at least 1, found {rows}", zh=f"{where} rows:至少为 1,实为 {rows}"
        )
    limit = max_sample_rows()
    if rows > limit:
        raise ScenarioError(
            f"{where} rows: {rows:,} customers would take about {rows * BYTES_PER_ROW / 2**30:,.0f} GB of "
            f"memory; this machine can generate at most {limit:,}",
            zh=f"{where} rows:{rows:,} 户约需 {rows * BYTES_PER_ROW / 2**30:,.0f} GB 内存;"
            f"本机最多生成 {limit:,} 户",
        )
    if not 0 <= seed <= MAX_SEED:
        raise ScenarioError(
            f"{where} seed: expected a number from 0 to {MAX_SEED:,}, found {seed:,}",
            zh=f"{where} seed:应为 0 到 {MAX_SEED:,} 之间的数,实为 {seed:,}",
        )
    return rows, seed


def generate_frame(
    rows: int = DEFAULT_ROWS,
    seed: int = DEFAULT_SEED,
    *,
    first_customer: int = 1,
    first_household: int = 1,
    widths: tuple[int, int] | None = None,
) -> pd.DataFrame:
    """The sample as a table of canonical columns (strings, numbers, booleans). Customers
    and households are numbered from ``first_customer`` and ``first_household`` with
    ``widths`` digits (a chunk of a larger sample: ``sample_chunks``)."""
    check_sample(rows, seed)
    rng = np.random.default_rng(seed)
    household, n_households = _households(rng, rows)

    # Latent wealth: household members share part of it, so their assets correlate.
    household_score = rng.standard_normal(max(n_households, 1))
    own = rng.standard_normal(rows)
    latent = np.where(household >= 0, 0.75 * household_score[np.maximum(household, 0)] + 0.66 * own, own)
    aum = np.empty(rows)
    aum[np.argsort(latent, kind="stable")] = aum_values(rng, rows)

    log_aum = np.log10(aum + 1.0)
    # Half-year balances: near the latest month, split by a wealth-dependent short-term share.
    half_year = aum * rng.lognormal(0.0, 0.08, rows)
    short_share = np.clip(0.9 - 0.12 * np.maximum(log_aum - 3.0, 0.0) + rng.normal(0, 0.05, rows), 0.15, 0.98)
    aum_short = np.round(half_year * short_share, 2)
    aum_long = np.round(half_year - aum_short, 2)

    # Cards and products, more common with wealth.
    holder = rng.random(rows) < 0.12 + 0.6 * np.clip((log_aum - 3.0) / 4.0, 0.0, 1.0)
    card_score = log_aum + rng.normal(0.0, 0.6, rows)
    card = np.select([~holder, card_score < 5.3, card_score < 6.1], [0, 1, 2], 3).astype(np.int8)
    del card_score
    wealth_account = rng.random(rows) < np.clip((log_aum - 4.0) / 2.5, 0.0, 0.8)
    wealth_card = rng.random(rows) < np.where(aum >= 1e6, 0.6, np.where(aum >= 5e5, 0.15, 0.0))
    private_banking = rng.random(rows) < np.where(aum >= 8e6, 0.6, np.where(aum >= 6e6, 0.1, 0.0))
    override = np.zeros(rows, dtype=np.int8)  # codes into OVERRIDES
    picked = rng.random(rows) < 0.001
    override[picked] = 1 + rng.choice(4, int(picked.sum()), p=[0.3, 0.4, 0.2, 0.1])

    # Household income: shared by the household, following its total assets.
    if n_households:
        household_total = np.bincount(
            household[household >= 0], weights=aum[household >= 0], minlength=n_households
        )
        household_noise = rng.lognormal(0.0, 0.5, n_households)
    own_noise = rng.lognormal(0.0, 0.5, rows)
    basis = np.where(household >= 0, household_total[np.maximum(household, 0)] if n_households else aum, aum)
    noise = np.where(
        household >= 0, household_noise[np.maximum(household, 0)] if n_households else own_noise, own_noise
    )
    income = np.round(60_000.0 * noise * (1.0 + basis / 400_000.0) ** 0.6, -2)

    rand = rng.random(rows)
    designated = np.select(
        [(card == 3) & (aum >= 5e6) & (rand < 0.3), (card == 3) & (rand < 0.35), (card == 2) & (rand < 0.3)],
        [3, 2, 1],
        0,
    ).astype(np.int8)

    # Loans for a minority; transactions over the half year.
    mid_wealth = (aum >= 5e4) & (aum < 2e6)
    mortgage = np.where(
        rng.random(rows) < np.where(mid_wealth, 0.2, 0.08), rng.lognormal(np.log(600_000), 0.6, rows), 0.0
    )
    other_loans = np.where(rng.random(rows) < 0.06, rng.lognormal(np.log(100_000), 0.8, rows), 0.0)
    overdraft = np.where(holder & (rng.random(rows) < 0.15), rng.lognormal(np.log(8_000), 0.9, rows), 0.0)
    investing = rng.random(rows) < np.clip((log_aum - 4.0) / 3.0, 0.0, 0.7)
    investment = np.where(investing, aum_long * rng.lognormal(np.log(0.3), 0.7, rows), 0.0)
    spending = rng.random(rows) < 0.45 + 0.4 * holder
    card_spend = np.where(
        spending, 6_000.0 * (1.0 + aum / 200_000.0) ** 0.4 * rng.lognormal(0.0, 0.8, rows), 0.0
    )
    settlement = np.where(
        rng.random(rows) < 0.15,
        20_000.0 * (1.0 + aum / 500_000.0) ** 0.3 * rng.lognormal(0.0, 1.0, rows),
        0.0,
    )

    branch = rng.choice(len(BRANCHES), rows, p=BRANCH_WEIGHTS).astype(np.int8)
    return pd.DataFrame(
        {
            "customer_id": _keys(
                "C",
                np.arange(first_customer, first_customer + rows),
                widths[0] if widths else max(8, len(str(rows))),
            ),
            "household_id": _keys(
                "H",
                household + first_household,
                widths[1] if widths else max(7, len(str(n_households))),
                missing=household < 0,
            ),
            "aum": aum,
            "aum_short_6m": aum_short,
            "aum_long_6m": aum_long,
            "mortgage_6m": np.round(mortgage, 2),
            "other_loans_6m": np.round(other_loans, 2),
            "card_overdraft_6m": np.round(overdraft, 2),
            "investment_txn_6m": np.round(investment, 2),
            "card_spend_6m": np.round(card_spend, 2),
            "settlement_txn_6m": np.round(settlement, 2),
            "credit_card": pd.Categorical.from_codes(card, pd.Index(CARDS)),
            "wealth_account": wealth_account,
            "wealth_card": wealth_card,
            "private_banking": private_banking,
            "service_star_override": pd.Categorical.from_codes(override, pd.Index(OVERRIDES)),
            "designated_card_level": pd.Categorical.from_codes(designated, pd.Index(DESIGNATED)),
            "household_income": income,
            "branch": pd.Categorical.from_codes(branch, pd.Index(BRANCHES)),
        },
        copy=False,
    )


CHUNK_ROWS = 5_000_000


def sample_chunks(
    rows: int, seed: int = DEFAULT_SEED, chunk_rows: int = CHUNK_ROWS
) -> Iterator[pd.DataFrame]:
    """A sample of ``rows`` customers, ``chunk_rows`` at a time, to write one larger than
    memory would hold whole: one chunk is exactly ``generate_frame(rows, seed)``; chunk ``j``
    of several is generated with seed ``seed + j`` and numbered on from the chunk before."""
    if rows <= chunk_rows:
        yield generate_frame(rows, seed)
        return
    widths = (max(8, len(str(rows))), max(7, len(str(rows))))
    customer, household = 1, 1
    for j, start in enumerate(range(0, rows, chunk_rows)):
        m = min(chunk_rows, rows - start)
        frame = generate_frame(m, seed + j, first_customer=customer, first_household=household, widths=widths)
        customer += m
        ids = frame["household_id"]
        household += int(ids[ids != ""].nunique())
        yield frame


def _keys(prefix: str, numbers: np.ndarray, width: int, missing: np.ndarray | None = None) -> pd.Series:
    """``prefix`` + zero-padded numbers as Arrow strings (empty where ``missing``), built
    without a Python string per row."""
    text = pc.utf8_lpad(pa.array(numbers, pa.int64()).cast(pa.string()), width, padding="0")
    keys = pc.binary_join_element_wise(prefix, text, "")
    if missing is not None:
        keys = pc.if_else(pa.array(missing), "", keys)
    return pd.Series(pd.array(keys, dtype=pd.ArrowDtype(pa.string())))


def sample_name(rows: int, seed: int) -> str:
    return sample_title(rows, seed).en


def sample_title(rows: int, seed: int) -> Text:
    if rows == DEFAULT_ROWS:
        return Text(f"sample (seed {seed})", f"示例客户(种子 {seed})")
    return Text(f"sample ({rows:,}, seed {seed})", f"示例客户({rows:,}户,种子 {seed})")


def sample_portfolio(rows: int = DEFAULT_ROWS, seed: int = DEFAULT_SEED) -> Portfolio:
    """The synthetic sample as a ``Portfolio``."""
    portfolio = portfolio_from_frame(
        generate_frame(rows, seed), sample_name(rows, seed), first_data_row=1, owned=True
    )
    portfolio.title = sample_title(rows, seed)
    return portfolio
