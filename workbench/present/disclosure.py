"""Figures that would reveal one customer, left out of report files (``--min-cell``).

A tier holding a handful of customers shows their balances in its AUM, and
two figures that differ by a handful of customers (two scenarios, two steps
of a sweep) show the balances of those who moved. In report files
(``compare --output``, every ``sweep`` output) a figure built from fewer than
``min_cell`` customers (10 by default) is suppressed and marked ``<10``:

- a tier's AUM, AUM share, benefit cost, cost per customer and bp, when the
  tier holds 1 to ``min_cell - 1`` customers;
- against the first scenario, or the previous step of a sweep, the same
  figures of a tier that 1 to ``min_cell - 1`` customers entered or left;
- one more tier when only one would be suppressed, so that the total does
  not give it away (secondary suppression); likewise in migration matrices,
  row by row and column by column.

Head counts are never suppressed; screens and ``simulate`` keep exact figures
(the person running them has the data).
"""

from __future__ import annotations

import numpy as np

MIN_CELL = 10


def mark(min_cell: int) -> str:
    """How a suppressed figure is shown."""
    return f"<{min_cell}"


def _secondary(hidden: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """One more hidden when exactly one is: the smallest other with customers."""
    if hidden.sum() == 1:
        others = np.flatnonzero(~hidden & (counts > 0))
        if len(others):
            hidden = hidden.copy()
            hidden[others[np.argmin(counts[others])]] = True
    return hidden


def small(counts: np.ndarray, min_cell: int) -> np.ndarray:
    return (counts > 0) & (counts < min_cell)


def hidden_tiers(counts: np.ndarray, min_cell: int, movers: np.ndarray | None = None) -> np.ndarray:
    """Which tiers' money figures to suppress: few customers, or (with ``movers``, per tier
    the customers who entered or left against a reference) few who moved."""
    counts = np.asarray(counts)
    if min_cell <= 1:
        return np.zeros(len(counts), dtype=bool)
    hidden = small(counts, min_cell)
    if movers is not None:
        hidden |= small(np.asarray(movers), min_cell)
    return _secondary(hidden, counts)


def movers(migration: np.ndarray) -> np.ndarray:
    """Per tier of the result, the customers who entered or left it (a square migration
    matrix from the reference's tiers to the result's)."""
    m = np.asarray(migration)
    stayed = np.diag(m)
    return (m.sum(axis=0) - stayed) + (m.sum(axis=1) - stayed)


def hidden_cells(counts: np.ndarray, min_cell: int) -> np.ndarray:
    """Which cells of a migration matrix's AUM to suppress: few customers, then one more in
    any row or column with exactly one, until none has."""
    counts = np.asarray(counts)
    hidden = small(counts, min_cell) if min_cell > 1 else np.zeros(counts.shape, dtype=bool)
    for _ in range(counts.size):
        before = hidden.copy()
        for i in range(counts.shape[0]):
            hidden[i] = _secondary(hidden[i], counts[i])
        for j in range(counts.shape[1]):
            hidden[:, j] = _secondary(hidden[:, j], counts[:, j])
        if (hidden == before).all():
            break
    return hidden


def sweep_hidden(counts: list[np.ndarray], min_cell: int) -> tuple[list[np.ndarray], list[bool]]:
    """For each step of a sweep: which tiers' money figures to suppress, and whether the
    total cost is (fewer than ``min_cell`` customers moved since the last step shown)."""
    tiers, totals = [], []
    last_shown: dict[int, np.ndarray] = {}
    last_total: np.ndarray | None = None
    for point in counts:
        point = np.asarray(point)
        moved = np.array(
            [abs(point[t] - last_shown[t][t]) if t in last_shown else 0 for t in range(len(point))]
        )
        hidden = hidden_tiers(point, min_cell, moved)
        for t in np.flatnonzero(~hidden):
            last_shown[int(t)] = point
        tiers.append(hidden)
        total_moved = 0 if last_total is None else int(np.abs(point - last_total).sum() // 2)
        hide_total = min_cell > 1 and 0 < total_moved < min_cell
        if not hide_total:
            last_total = point
        totals.append(hide_total)
    return tiers, totals
