"""What the benchmarks share: the cached Parquet sample, medians, the naive baseline."""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
CACHE = HERE / ".cache"
SEED = 20_261_122
WORKBENCH = Path(sys.executable).with_name("workbench")
# The environment as the user gave it, before the workbench sets Polars' allocator for its
# own reads (``workbench.files.decoding``): Polars the peer reads with its own defaults.
USER_ENV = dict(os.environ)
POLARS_READ = """
import sys, time, json
import polars as pl
started = time.perf_counter()
pl.read_parquet(sys.argv[1], columns=json.loads(sys.argv[2]))
print(time.perf_counter() - started)
"""


def polars_read_s(path: Path, columns: list[str] | None = None, runs: int = 3) -> float:
    """Seconds Polars takes to read ``path`` (only ``columns``, when given) in a fresh
    interpreter with the user's environment, as a script of the planner's would: the median
    of ``runs`` processes (its import not counted)."""
    times = []
    for _ in range(runs):
        command = [sys.executable, "-c", POLARS_READ, str(path), json.dumps(columns)]
        done = subprocess.run(command, env=USER_ENV, capture_output=True, text=True, check=True)
        times.append(float(done.stdout))
    return statistics.median(times)


def sample_file(rows: int) -> Path:
    """The sample as Parquet, written once by the `workbench sample` command."""
    CACHE.mkdir(exist_ok=True)
    path = CACHE / f"sample-{rows}-{SEED}.parquet"
    if not path.exists():
        command = [str(WORKBENCH), "sample", "--rows", str(rows), "--seed", str(SEED), "--output", str(path)]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return path


def median_ms(fn, repeat: int) -> float:
    times = []
    for i in range(repeat):
        start = time.perf_counter()
        fn(i)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def naive_pandas(engine, settings) -> pd.DataFrame:
    """What a spreadsheet-minded script does: cut each metric at its threshold, keep the
    highest tier met, group for counts and AUM."""
    scheme = engine.scheme
    n = engine.portfolio.rows
    tier = pd.Series(np.zeros(n, dtype=np.int64))
    for index, t in enumerate(scheme.tiers[1:], start=1):
        met_any = pd.Series(np.zeros(n, dtype=bool))
        for criterion in t.criteria:
            values = pd.Series(engine.metric(criterion.metric, settings.params, settings.options))
            if criterion.threshold is None:
                limit = float(index)
            elif isinstance(criterion.threshold, str):
                limit = settings.params[criterion.threshold]
            else:
                limit = float(criterion.threshold)
            cut = pd.cut(values, [-np.inf, limit, np.inf], right=False, labels=[0, 1])
            met_any |= cut.astype(float).eq(1)
        tier = tier.where(~met_any, index)
    aum = pd.Series(engine.aum_values(settings))
    return (
        pd.DataFrame({"tier": tier, "aum": aum})
        .groupby("tier")
        .agg(customers=("aum", "size"), aum=("aum", "sum"))
    )


def each_scheme(script: str, args, options: list[str], schemes: list[str]) -> list[dict]:
    """Run ``script --in-process`` once per scheme, each in its own process (so its peak
    memory is its own), and collect the JSON object each prints last."""
    sample_file(args.rows)
    results = []
    for scheme in schemes:
        command = [
            sys.executable,
            script,
            "--rows",
            str(args.rows),
            "--scheme",
            scheme,
            *options,
            "--in-process",
        ]
        out = subprocess.run(command, check=True, capture_output=True, text=True)
        results.append(json.loads(out.stdout.strip().splitlines()[-1]))
    return results


def report(results: list[dict], args, header: str, columns: list[tuple[str, str, int]]) -> None:
    """The results as JSON (one object with ``--scheme``, else a list) or as a table of
    (key, heading, width) columns."""
    if args.json:
        print(json.dumps(results[0] if args.scheme else results, indent=2))
        return
    print(header)
    print(f"{'scheme':16} " + " ".join(f"{title:>{width}}" for _, title, width in columns))
    for r in results:
        cells = (
            f"{r[key]:>{width},}" if isinstance(r[key], int) else f"{r[key]:>{width}}"
            for key, _, width in columns
        )
        print(f"{r['scheme']:16} " + " ".join(cells))


def arguments(doc: str) -> argparse.ArgumentParser:
    """The options every benchmark takes; add its own."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--scheme")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--in-process", action="store_true", help=argparse.SUPPRESS)
    return parser
