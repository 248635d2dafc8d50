"""Customer ids in what leaves the workbench: masked when the user asks.

A masked id keeps its first two and last two characters (``C00012345`` ->
``C0*****45``): enough for a colleague to recognise a customer they already know,
not enough to look one up. Ids of four characters or fewer are masked whole.
"""

from __future__ import annotations

import pandas as pd

KEEP = 2  # characters kept at each end


def mask(customer_id: str) -> str:
    """One id, masked."""
    if len(customer_id) <= 2 * KEEP:
        return "*" * len(customer_id)
    return customer_id[:KEEP] + "*" * (len(customer_id) - 2 * KEEP) + customer_id[-KEEP:]


def mask_ids(ids: pd.Series) -> pd.Series:
    """Every id of a column, masked (vectorised: one pass per distinct id length)."""
    text = ids.astype(str)
    lengths = text.str.len()
    out = text.copy()
    for length in lengths.unique():
        rows = lengths == length
        if length <= 2 * KEEP:
            out[rows] = "*" * int(length)
        else:
            out[rows] = text[rows].str.slice_replace(KEEP, int(length) - KEEP, "*" * (int(length) - 2 * KEEP))
    return out
