"""Where the time of loading a Parquet portfolio goes, stage by stage, in fresh processes.

    python benchmarks/load_stages.py --rows 10000000 [--runs 3] [--json]

Each run opens the cached sample (``workbench sample``, seed 20261122, written on first
use) with ``load_portfolio`` in a process of its own, as the workbench's first file is,
and times its stages: ``parquet_s`` (the file into Arrow), ``to_pandas_s`` (Arrow to the
raw frame), ``totals_s`` (totals rows and clean text), ``convert_s`` (typed columns, the
checks, amounts on two threads), ``load_s`` (all of it) and then ``households_s``
(numbering and ordering the households, as Industrial Bank's first figures need);
``peak_rss_mb`` is the process's peak. Polars reading the same file (``polars_read_s``)
is measured after it, in a fresh process with the user's environment.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

from common import polars_read_s, sample_file


def timed(module: Any, name: str, times: dict[str, float]) -> None:
    """Add the time spent in ``module.name`` to ``times[name]``."""
    original: Callable[..., Any] = getattr(module, name)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            times[name] = times.get(name, 0.0) + time.perf_counter() - started

    setattr(module, name, wrapper)


def one_run(rows: int) -> dict:
    import workbench.files.portfolios as portfolios
    import workbench.files.reading as reading

    path = sample_file(rows)
    times: dict[str, float] = {}
    for module, name in ((reading, "parquet_table"), (reading, "_read_parquet")):
        timed(module, name, times)
    for name in ("_without_totals", "convert_frame"):
        timed(portfolios, name, times)
    started = time.perf_counter()
    portfolio = portfolios.load_portfolio(path)
    load_s = time.perf_counter() - started
    started = time.perf_counter()
    portfolio.households  # noqa: B018 - computed once, as the first household metric does
    households_s = time.perf_counter() - started
    figures = {
        "rows": portfolio.rows,
        "parquet_s": round(times["parquet_table"], 2),
        "to_pandas_s": round(times["_read_parquet"] - times["parquet_table"], 2),
        "totals_s": round(times["_without_totals"], 2),
        "convert_s": round(times["convert_frame"], 2),
        "load_s": round(load_s, 2),
        "households_s": round(households_s, 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }
    del portfolio
    figures["polars_read_s"] = round(polars_read_s(path, runs=1), 2)
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--in-process", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.in_process:
        print(json.dumps(one_run(args.rows)))
        return 0
    sample_file(args.rows)  # written once, before any run is timed
    runs = []
    for _ in range(args.runs):
        command = [sys.executable, __file__, "--rows", str(args.rows), "--in-process"]
        out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
        runs.append(json.loads(out.strip().splitlines()[-1]))
    if args.json:
        print(json.dumps(runs, indent=2))
    else:
        keys = [k for k in runs[0] if k != "rows"]
        print(f"{args.rows:,} customers, {args.runs} fresh processes")
        for key in keys:
            print(f"  {key:<14}" + "  ".join(f"{r.get(key, '-')!s:>7}" for r in runs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
