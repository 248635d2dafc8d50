"""What a report is written with: its language, the minimum cell size, customer rows."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from workbench.present.disclosure import MIN_CELL
from workbench.text import Lang


@dataclass(frozen=True)
class ReportOptions:
    """``min_cell``: money built from fewer customers is suppressed (None or 1: every
    figure exact); ``per_customer``: the customers who move, only when asked for."""

    lang: Lang = "en"
    min_cell: int | None = MIN_CELL
    per_customer: pd.DataFrame | None = None
