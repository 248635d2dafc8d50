"""Full simulation time per built-in scheme, against a naive pandas recompute.

    python benchmarks/full_simulate.py --rows 1000000 [--scheme ID] [--repeat 7] [--json]

For each scheme: the median time of ``Engine.simulate`` with a fresh threshold
value each time (metrics cached, as while tuning), of a full pass that also
recomputes every metric (a weight or option change), and of a naive pandas
recompute measured in the same run (``pd.cut`` per criterion + ``groupby``
for counts and AUM). Figures are for this machine; ratios are what compare.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time

import numpy as np
import pandas as pd

from workbench.engine import Engine
from workbench.plugins import load_registry
from workbench.portfolio import portfolio_from_frame
from workbench.sample import generate_frame


def median_ms(fn, repeat: int) -> float:
    times = []
    for i in range(repeat):
        start = time.perf_counter()
        fn(i)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def naive_pandas(engine: Engine, frame: pd.DataFrame, params: dict, options: dict) -> pd.DataFrame:
    """What a spreadsheet-minded script does: cut each metric, take the max, group."""
    scheme = engine.scheme
    tier = pd.Series(0, index=frame.index)
    for index, t in enumerate(scheme.tiers[1:], start=1):
        for criterion in t.criteria:
            values = pd.Series(engine.metric(criterion.metric, params, options), index=frame.index)
            limit = (
                params[criterion.threshold]
                if isinstance(criterion.threshold, str)
                else (float(criterion.threshold) if criterion.threshold is not None else float(index))
            )
            met = pd.cut(values, [-np.inf, limit, np.inf], right=False, labels=[0, 1]).astype(float) == 1
            tier = tier.where(~met, index)
    aum = pd.Series(engine.aum_values(engine.settings(params, options)), index=frame.index)
    return (
        pd.DataFrame({"tier": tier, "aum": aum})
        .groupby("tier")
        .agg(customers=("aum", "size"), aum=("aum", "sum"))
    )


def bench(scheme_id: str, portfolio, frame: pd.DataFrame, registry, repeat: int) -> dict:
    scheme = registry.schemes[scheme_id]
    start = time.perf_counter()
    engine = Engine(scheme, portfolio, registry.drivers)
    engine.simulate()  # computes and caches the metrics
    prepare_s = time.perf_counter() - start
    threshold = next(p for p in scheme.parameters if p.kind == "threshold")

    def tune(i: int) -> None:
        engine.simulate(params={threshold.id: threshold.default + threshold.step * (i % 3)})

    def full(i: int) -> None:
        engine._metrics.clear()
        engine.simulate()

    settings = engine.settings()
    naive = median_ms(lambda i: naive_pandas(engine, frame, settings.params, settings.options), repeat)
    threshold_ms = median_ms(tune, repeat)
    full_ms = median_ms(full, repeat)
    return {
        "rows": portfolio.rows,
        "scheme": scheme_id,
        "threshold_change_ms_median": round(threshold_ms, 1),
        "full_ms_median": round(full_ms, 1),
        "naive_pandas_ms_median": round(naive, 1),
        "speedup_vs_naive": round(naive / threshold_ms, 1),
        "prepare_s": round(prepare_s, 2),
        "cpus": os.cpu_count(),
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--scheme")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    registry = load_registry()
    start = time.perf_counter()
    frame = generate_frame(args.rows)
    generated = time.perf_counter() - start
    portfolio = portfolio_from_frame(frame, f"sample {args.rows:,}", first_data_row=1)
    loaded = time.perf_counter() - start - generated
    schemes = [args.scheme] if args.scheme else sorted(registry.schemes)
    results = [bench(s, portfolio, frame, registry, args.repeat) for s in schemes]
    if args.json:
        print(json.dumps(results[0] if args.scheme else results, indent=2))
        return 0
    print(
        f"{args.rows:,} customers; sample generated in {generated:.1f} s, validated in {loaded:.1f} s; "
        f"{os.cpu_count()} CPUs"
    )
    print(
        f"{'scheme':16} {'threshold ms':>12} {'full ms':>9} {'naive ms':>9} {'x naive':>8} {'prepare s':>9}"
    )
    for r in results:
        print(
            f"{r['scheme']:16} {r['threshold_change_ms_median']:>12} {r['full_ms_median']:>9} "
            f"{r['naive_pandas_ms_median']:>9} {r['speedup_vs_naive']:>8} {r['prepare_s']:>9}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
