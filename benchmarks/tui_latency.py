"""Nudge-to-repaint latency of the workbench, driven headless with Textual's pilot.

    python benchmarks/tui_latency.py --rows 1000000 [--scheme ID] [--nudges 30] [--json]

For each scheme: the app loads the sample, then the first threshold is nudged
``--nudges`` times (alternately up and down), waiting for each result to be
painted. The app records, for every change, the time from the key press to
the first screen refresh after the new figures are in the widgets. A naive
pandas recompute (``pd.cut`` + ``groupby``) of the same scheme on the same
portfolio is measured in the same run as the baseline.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import time

from full_simulate import median_ms, naive_pandas

from workbench.engine import Engine
from workbench.plugins import load_registry
from workbench.scenario import PortfolioRef, Scenario
from workbench.tui.app import WorkbenchApp


async def settle(pilot, app: WorkbenchApp, timeout: float = 300.0) -> None:
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        await pilot.pause(0.005)
        busy = any(w.is_running for w in app.workers)
        if not busy and app.painted_seq == app._seq > 0:
            return
    raise TimeoutError("the workbench did not settle")


async def measure(scheme_id: str, rows: int, nudges: int, registry) -> dict:
    scenario = Scenario(scheme=scheme_id, portfolio=PortfolioRef(sample_rows=rows))
    app = WorkbenchApp(scenario, registry=registry)
    started = time.perf_counter()
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot, app)
        ready_s = time.perf_counter() - started
        app.latencies.clear()
        for i in range(nudges):
            await pilot.press("right" if i % 2 == 0 else "left")
            await settle(pilot, app)
        latencies = list(app.latencies)
        engine = Engine(app.edit.scheme, app.portfolio, registry.drivers)
        settings = engine.settings()
        naive = median_ms(
            lambda i: naive_pandas(engine, app.portfolio.frame, settings.params, settings.options), 5
        )
    return {
        "rows": rows,
        "scheme": scheme_id,
        "nudges": len(latencies),
        "repaint_ms_median": round(statistics.median(latencies), 1),
        "repaint_ms_p90": round(sorted(latencies)[int(0.9 * (len(latencies) - 1))], 1),
        "repaint_ms_max": round(max(latencies), 1),
        "naive_pandas_ms_median": round(naive, 1),
        "ready_s": round(ready_s, 1),
        "cpus": os.cpu_count(),
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--scheme")
    parser.add_argument("--nudges", type=int, default=30)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    registry = load_registry()
    schemes = [args.scheme] if args.scheme else sorted(registry.schemes)
    results = [asyncio.run(measure(s, args.rows, args.nudges, registry)) for s in schemes]
    if args.json:
        print(json.dumps(results[0] if args.scheme else results, indent=2))
        return 0
    print(f"{args.rows:,} customers, {args.nudges} nudges each, headless 160x48, {os.cpu_count()} CPUs")
    print(f"{'scheme':16} {'median ms':>9} {'p90 ms':>7} {'max ms':>7} {'naive ms':>9} {'ready s':>8}")
    for r in results:
        print(
            f"{r['scheme']:16} {r['repaint_ms_median']:>9} {r['repaint_ms_p90']:>7} {r['repaint_ms_max']:>7} "
            f"{r['naive_pandas_ms_median']:>9} {r['ready_s']:>8}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
