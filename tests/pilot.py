"""Helpers for driving the workbench with Textual's pilot."""

from __future__ import annotations

import asyncio

from workbench.files.scenarios import PortfolioRef, Scenario
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
        if app.settled:
            await app.workers.wait_for_complete()
            await pilot.wait_for_scheduled_animations()
            await pilot.pause()  # the messages the workers posted are handled, the screen laid out
            if app.settled:
                return
    raise AssertionError("the workbench did not settle")
