"""Helpers for tests: hand-written portfolios and quick simulations."""

from __future__ import annotations

from typing import Any

import pandas as pd
from hypothesis import strategies as st

from workbench.core.engine import Engine
from workbench.core.portfolio import Portfolio
from workbench.core.results import Result
from workbench.files.portfolios import portfolio_from_frame
from workbench.scheme.columns import COLUMNS
from workbench.scheme.registry import Registry


def make_portfolio(rows: list[dict[str, Any]], name: str = "hand.csv") -> Portfolio:
    """A portfolio from hand-written rows; customer ids c1, c2, ... when not given."""
    records = [{"customer_id": f"c{i + 1}", **row} for i, row in enumerate(rows)]
    frame = pd.DataFrame(records)
    for column in frame.columns:
        default = COLUMNS[column].default
        if default is not None:
            frame[column] = frame[column].astype(object).where(frame[column].notna(), default)
    return portfolio_from_frame(frame, name)


def simulate(registry: Registry, scheme_id: str, rows: list[dict[str, Any]], **kwargs: Any) -> Result:
    engine = Engine(registry.schemes[scheme_id], make_portfolio(rows), registry.drivers)
    return engine.simulate(**kwargs)


def tier_ids(result: Result) -> list[str]:
    ids = result.scheme.tier_ids
    return [ids[i] for i in result.tiers]


MONEY = st.one_of(
    st.sampled_from([0.0, 1_000.0, 50_000.0, 80_000.0, 100_000.0, 300_000.0, 1_000_000.0, 3_000_000.0]),
    st.floats(min_value=0, max_value=2e7, allow_nan=False).map(lambda x: round(x, 2)),
)


@st.composite
def portfolios(draw):
    n = draw(st.integers(min_value=1, max_value=40))
    rows = {
        "customer_id": [f"c{i}" for i in range(n)],
        "household_id": draw(st.lists(st.sampled_from(["", "", "H1", "H2", "H3"]), min_size=n, max_size=n)),
        "aum": draw(st.lists(MONEY, min_size=n, max_size=n)),
        "household_income": draw(st.lists(MONEY, min_size=n, max_size=n)),
        "designated_card_level": draw(
            st.lists(st.sampled_from(["none", "gold", "platinum", "diamond"]), min_size=n, max_size=n)
        ),
        "credit_card": draw(
            st.lists(st.sampled_from(["none", "standard", "gold", "platinum"]), min_size=n, max_size=n)
        ),
        "private_banking": draw(st.lists(st.booleans(), min_size=n, max_size=n)),
    }
    for column in ("aum_short_6m", "aum_long_6m", "card_spend_6m", "mortgage_6m"):
        rows[column] = draw(st.lists(MONEY, min_size=n, max_size=n))
    return portfolio_from_frame(pd.DataFrame(rows), "generated")
