"""Each customer's tier as a table: what ``classify`` writes, in memory or part by part."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from workbench.core.engine import Engine
from workbench.core.results import Classification, Result
from workbench.files.privacy import mask_ids
from workbench.files.spreadsheets import csv_safe
from workbench.scheme.model import Scheme


def qualified_by_labels(scheme: Scheme, c: Classification) -> np.ndarray:
    """Per customer: the criterion groups met at the tier, joined by '+',
    or ``floor`` / ``override``; empty when none."""
    n = len(c.tiers)
    if c.qualified is None or not scheme.groups:
        out = np.full(n, "", dtype=object)
    else:
        names = [g.id for g in scheme.groups]
        table = np.array(
            [
                "+".join(names[g] for g in range(len(names)) if mask >> g & 1)
                for mask in range(1 << len(names))
            ],
            dtype=object,
        )
        out = table[c.qualified]
    if c.raised is not None:
        out = np.where(c.raised, "floor", out)
    if c.overridden is not None:
        out = np.where(c.overridden, "override", out)
    return out


def classified_frame(
    engine: Engine, result: Result, masked: bool = False, secret: bytes | None = None
) -> pd.DataFrame:
    """Customer key (masked when asked), tier, the tier before floors and overrides where the
    scheme has one, the scheme's explanation metrics and what qualified each customer; every
    text cell safe to open in a spreadsheet."""
    scheme = engine.scheme
    tier_ids = np.array(scheme.tier_ids, dtype=object)
    ids = engine.portfolio.frame["customer_id"]
    columns: dict[str, Any] = {
        "customer_id": (mask_ids(ids, secret) if masked else ids).to_numpy(),
        "tier": tier_ids[result.tiers],
    }
    if scheme.base_tier_column and result.classification.base is not None:
        columns[scheme.base_tier_column] = tier_ids[result.classification.base]
    for metric_id, values in engine.explain_metrics(result.settings).items():
        columns[metric_id] = values
    if scheme.groups and scheme.classify is None:
        columns["qualified_by"] = qualified_by_labels(scheme, result.classification)
    return csv_safe(pd.DataFrame(columns))
