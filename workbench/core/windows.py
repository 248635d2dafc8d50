"""Half-year figures over a panel's months: balances as the mean of the monthly values,
flows (transactions, card spending) as their sum, over the last ``window`` months the
customer was present. The replay windows every month at once; ``month_over`` gives one
month's portfolio so windowed, the month a planner tunes. Both reduce the same way, so
their figures agree to the fen."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np
import pandas as pd

from workbench.core.portfolio import Portfolio


def window_of(block: np.ndarray, flow: bool) -> np.ndarray:
    """One month from ``block`` (months x customers, oldest first, NaN = absent): the sum
    or the mean over the months present, rounded to the fen (NaN when absent throughout)."""
    present = ~np.isnan(block)
    total = np.where(present, block, 0.0).sum(axis=0)
    count = present.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = total if flow else total / count
    out[count == 0] = np.nan
    return np.round(out, 2)  # to the fen, as a bank's figures are


def windowed(values: np.ndarray, window: int, flow: bool) -> np.ndarray:
    """Per month, the mean (a balance) or the sum (a flow) of the last ``window`` months'
    values, over the months the customer was present (NaN = absent)."""
    out = np.empty_like(values)
    for m in range(values.shape[0]):
        out[m] = window_of(values[max(0, m - window + 1) : m + 1], flow)
    return out


def money_columns(portfolios: Sequence[Portfolio]) -> list[str]:
    """The money columns any of the months holds, in a fixed order (a month without one
    counts the column's default)."""
    held = {c for p in portfolios for c in p.frame.columns}
    return sorted(c for c in held if portfolios[0].spec(c).kind == "money")


def month_over(portfolios: Sequence[Portfolio], index: int, window: int) -> Portfolio:
    """Month ``index`` of a panel with every money column over the last ``window`` months
    (the month itself when ``window`` is 1)."""
    month = portfolios[index]
    if window <= 1:
        return month
    span = portfolios[max(0, index - window + 1) : index + 1]
    ids = pd.Index(month.frame["customer_id"])
    rows = [ids.get_indexer(pd.Index(p.frame["customer_id"])) for p in span]  # each month's rows here
    changed = {}
    for column in money_columns(span):  # a superset of what any scheme reads
        block = np.full((len(span), month.rows), np.nan)
        for m, (p, at) in enumerate(zip(span, rows, strict=True)):
            inside = at >= 0
            block[m, at[inside]] = p.array(column)[inside]
        changed[column] = window_of(block, month.spec(column).flow)
    return replace(month, frame=month.frame.assign(**changed), _arrays={}, _households=month._households)
