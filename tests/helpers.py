"""Helpers for tests: hand-written portfolios and quick simulations."""

from __future__ import annotations

from typing import Any

import pandas as pd

from workbench.columns import COLUMNS
from workbench.engine import Engine
from workbench.plugins import Registry
from workbench.portfolio import Portfolio, portfolio_from_frame
from workbench.result import Result


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
