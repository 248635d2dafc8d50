"""Nudge-to-repaint latency of the workbench, driven headless with Textual's pilot.

    python benchmarks/tui_latency.py --rows 10000000 [--scheme ID] [--nudges 30] [--json]

For each scheme, in its own process: the app opens the Parquet sample written by
``workbench sample`` (cached under ``benchmarks/.cache``), shows its first figures
(``first_paint_s``, when the refresh showing them ended, as the app records it) and
prepares instant tuning in the background (``prepared_s``, looked for every 50 ms; both
from the app's start). Then the first threshold is nudged ``--nudges`` times,
alternately up and down, waiting for each result to be painted: the app records, for
every change, the time from the key press to the first screen refresh after the new
figures are in the widgets (``repaint_ms_*``); ``paths`` counts how the figures were
brought up to date. The app reads a Parquet file's columns the scheme needs first and the
others once tuning is prepared and the planner pauses (``workbench.files.first_columns``):
after the nudges the run waits for them, and ``rest_read_s`` is how long reading them took
(``rest_columns`` of them). A naive pandas recompute (``pd.cut`` + ``groupby``) of the same
scheme on the same portfolio is measured in the same run as the baseline.
``peak_rss_mb`` is the process's peak before that baseline runs, with every column read.
``polars_load_s`` is Polars reading the same file (the median of three fresh processes,
``common.polars_read_s``), measured after the app has closed, and
``prepared_vs_polars_load`` the ratio of ``prepared_s`` to it.
"""

from __future__ import annotations

import asyncio
import json
import os
import resource
import statistics
import sys
import tempfile
import time
from collections import Counter

from common import arguments, each_scheme, median_ms, naive_pandas, polars_read_s, report, sample_file

from workbench.core.engine import Engine
from workbench.files.scenarios import PortfolioRef, Scenario
from workbench.scheme.registry import load_registry
from workbench.tui.app import WorkbenchApp


async def wait_for(pilot, condition, every: float = 0.005, timeout: float = 600.0) -> None:
    """Until ``condition()``, looked at ``every`` seconds: each look runs the pilot on the
    app's own thread, so looking often at a file being loaded slows the loading."""
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        await pilot.pause(every)
        if condition():
            return
    raise TimeoutError("the workbench did not settle")


# The first figures and the end of preparing are looked for every 50 ms (so the times
# are up to 50 ms late): looking every 5 ms, as for a nudge, made the loading worker wait
# for the interpreter and the first figures 2-3 s later at 10M (5.3-5.4 s -> 7.2-7.9 s).
SLOW_LOOK = 0.05


def settled(app: WorkbenchApp) -> bool:
    busy = any(w.is_running for w in app.workers)
    return not busy and app.painted_seq == app.live.seq > 0


async def measure(scheme_id: str, rows: int, nudges: int) -> dict:
    registry = load_registry()
    path = sample_file(rows)
    scenario = Scenario(scheme=scheme_id, portfolio=PortfolioRef(path=str(path)))
    app = WorkbenchApp(scenario, registry=registry)
    started = time.perf_counter()
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_for(pilot, lambda: app.painted_seq > 0, every=SLOW_LOOK)
        assert app.first_figures_at is not None
        first_paint_s = app.first_figures_at - started  # the refresh that showed them
        await wait_for(
            pilot,
            lambda: settled(app) and app.live.tuner is not None and app.live.tuner.prepared,
            every=SLOW_LOOK,
        )
        prepared_s = time.perf_counter() - started
        app.latencies.clear()
        paths: Counter[str] = Counter()
        for i in range(nudges):
            await pilot.press("right" if i % 2 == 0 else "left")
            await wait_for(pilot, lambda: settled(app))
            paths[app.view.path] += 1
        latencies = list(app.latencies)
        await wait_for(pilot, lambda: app.portfolio.complete and settled(app), every=SLOW_LOOK)
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        engine = Engine(app.edit.scheme, app.portfolio, registry.drivers)
        settings = engine.settings()
        naive = median_ms(lambda i: naive_pandas(engine, settings), 3)
    polars_load_s = polars_read_s(path)
    return {
        "rows": rows,
        "scheme": scheme_id,
        "nudges": len(latencies),
        "paths": dict(paths),
        "repaint_ms_median": round(statistics.median(latencies), 1),
        "repaint_ms_p90": round(sorted(latencies)[int(0.9 * (len(latencies) - 1))], 1),
        "repaint_ms_max": round(max(latencies), 1),
        "naive_pandas_ms_median": round(naive, 1),
        "first_paint_s": round(first_paint_s, 2),
        "prepared_s": round(prepared_s, 2),
        "polars_load_s": round(polars_load_s, 2),
        "prepared_vs_polars_load": round(prepared_s / polars_load_s, 2),
        "rest_read_s": None if app.rest_read_s is None else round(app.rest_read_s, 2),
        "rest_columns": app.rest_columns,
        "peak_rss_mb": round(peak_mb, 1),
        "cpus": os.cpu_count(),
    }


def main(argv=None) -> int:
    parser = arguments(__doc__)
    parser.add_argument("--nudges", type=int, default=30)
    args = parser.parse_args(argv)
    if args.scheme and args.in_process:
        # a state folder of its own: the user's unsaved work is neither offered nor touched
        with tempfile.TemporaryDirectory(prefix="workbench-bench-") as state:
            os.environ["WORKBENCH_STATE_DIR"] = state
            print(json.dumps(asyncio.run(measure(args.scheme, args.rows, args.nudges))))
        return 0
    schemes = [args.scheme] if args.scheme else sorted(load_registry().schemes)
    results = each_scheme(__file__, args, ["--nudges", str(args.nudges)], schemes)
    columns = [
        ("repaint_ms_median", "median ms", 9),
        ("repaint_ms_p90", "p90 ms", 7),
        ("repaint_ms_max", "max ms", 7),
        ("naive_pandas_ms_median", "naive ms", 9),
        ("first_paint_s", "first paint s", 13),
        ("prepared_s", "prepared s", 10),
        ("prepared_vs_polars_load", "x pl load", 9),
        ("rest_read_s", "rest s", 7),
        ("peak_rss_mb", "peak MB", 8),
    ]
    header = f"{args.rows:,} customers, {args.nudges} nudges each, headless 160x48, {os.cpu_count()} CPUs"
    report(results, args, header, columns)
    return 0


if __name__ == "__main__":
    sys.exit(main())
