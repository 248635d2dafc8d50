"""The synthetic sample over months (``workbench sample --months M``), from a fixed seed.

Calibration (``docs/replay.md``): each customer's balances move month to month by a
persistent factor (an AR(1) in logs, coefficient 0.85, monthly shocks of 6%), with
deposit peaks at quarter ends (+2%) and around Chinese New Year (February, +4%);
monthly flows (transactions, card spending) are a sixth of the half-year figures of
the single-month sample, with 25% noise. Each month about 1% of households leave
(together) and as many new customers join. With these figures a few percent of the
top tiers' customers change tier each month, as in a real book.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pandas as pd

from workbench.files.sample import DEFAULT_SEED, generate_frame
from workbench.scheme.columns import COLUMNS

AR, SHOCK, LEAVE = 0.85, 0.06, 0.01
PEAKS = {3: 0.02, 6: 0.02, 9: 0.02, 12: 0.02, 2: 0.04}


def month_names(months: int, start: str = "2026-01") -> list[str]:
    year, month = int(start[:4]), int(start[5:7])
    out = []
    for i in range(months):
        y, m = divmod(month - 1 + i, 12)
        out.append(f"{year + y:04d}-{m + 1:02d}")
    return out


def generate_panel(rows: int, months: int, seed: int = DEFAULT_SEED, start: str = "2026-01") -> pd.DataFrame:
    """``rows`` customers a month (about: some leave, as many join) over ``months`` months,
    one row per customer per month with a ``month`` column."""
    return pd.concat(list(panel_months(rows, months, seed, start)), ignore_index=True)


def panel_months(
    rows: int, months: int, seed: int = DEFAULT_SEED, start: str = "2026-01"
) -> Iterator[pd.DataFrame]:
    """The panel of ``generate_panel`` a month at a time (to write one far larger than memory
    would hold whole)."""
    rng = np.random.default_rng([seed, months])
    pool = generate_frame(int(rows * (1 + LEAVE * months * 1.5)) + 10, seed)  # joiners come from here
    money = [c for c in pool.columns if COLUMNS[c].kind == "money" and c != "household_income"]
    flows = {c for c in money if COLUMNS[c].flow}
    households = pool["household_id"].where(pool["household_id"] != "", pool["customer_id"])
    codes, unique = pd.factorize(households, sort=True)  # households leave together, hashed once
    active = np.zeros(len(pool), dtype=bool)
    active[:rows] = True
    next_joiner = rows
    log_factor = np.zeros(len(pool))
    for i, name in enumerate(month_names(months, start)):
        if i:
            leaving = (rng.random(len(unique)) < LEAVE)[codes] & active
            active &= ~leaving
            joining = min(int(leaving.sum()), len(pool) - next_joiner)
            active[next_joiner : next_joiner + joining] = True
            next_joiner += joining
            log_factor = AR * log_factor + rng.normal(0.0, SHOCK, len(pool))
        peak = PEAKS.get(int(name[5:7]), 0.0)
        month = pool.loc[active].copy()
        factor = np.exp(log_factor[active]) * (1 + peak)
        for column in money:
            base = month[column].to_numpy(dtype=float)
            if column in flows:
                noise = rng.lognormal(0.0, 0.25, len(base))
                month[column] = np.round(base / 6 * noise * factor, 2)
            else:
                month[column] = np.round(base * factor, 2)
        month.insert(0, "month", name)
        yield month.reset_index(drop=True)
