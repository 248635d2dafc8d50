"""Helpers for driving the workbench with Textual's pilot."""

from __future__ import annotations

import asyncio

from workbench.scenario import PortfolioRef, Scenario
from workbench.tui.app import WorkbenchApp

ROWS = 5_000


def small(scheme: str = "industrial-bank", **kwargs) -> Scenario:
    return Scenario(scheme=scheme, portfolio=PortfolioRef(sample_rows=ROWS, sample_seed=11), **kwargs)


async def settled(pilot, app: WorkbenchApp, timeout: float = 20.0) -> None:
    """Wait until the newest requested simulation has been painted and workers are idle."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        await pilot.pause(0.02)
        busy = any(not w.is_finished for w in app.workers)
        if not busy and app.painted_seq == app._seq > 0:
            await pilot.pause(0.02)
            return
    raise AssertionError("the workbench did not settle")
