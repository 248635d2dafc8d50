"""Threshold-change latency at scale: incremental, full recompute and naive pandas, per scheme.

    python benchmarks/threshold_latency.py --rows 10000000 [--scheme ID] [--repeat 21] [--json]

For each built-in scheme, in its own process (so its peak memory is its own):

- ``prepare_s``: load the Parquet sample written by ``workbench sample`` (cached under
  ``benchmarks/.cache``), compute the metrics and the baseline, sort the threshold
  metrics and co-sort what reclassification reads: what a planner waits for before
  tuning. Its parts: ``load_s``, ``first_simulation_s``, ``sort_s``.
- ``incremental_ms_median``: a threshold change that moves ``--share`` of the customers
  (1% unless told), alternately up and down: counts, AUM, costs and the migration matrix
  brought up to date. ``moved_customers_median`` says how many changed tier.
- ``full_ms_median``: a full recompute, metrics included (as after a new scheme; a
  weight or option change recomputes only the metrics it touches), with the migration
  matrix; alternately at the moved value and at one moving twice as many customers, never
  at the baseline's own settings (whose classification the workbench already has).
- ``naive_pandas_ms_median``: the same scheme recomputed the spreadsheet way, ``pd.cut``
  per criterion and ``groupby`` for counts and AUM, measured in the same run.
- ``speedup_vs_naive``: naive / incremental.
- ``peak_rss_mb``: the process's peak while loading, preparing and tuning (read before
  the naive pandas pass, whose memory is the baseline's, not ours).
- ``first_columns_ready_s``: in a process of its own, the same preparation as the
  workbench makes it when it opens a Parquet file: the customer key and the scheme's own
  columns read (``load_any(path, first=...)``; the rest is read after, see
  ``workbench.files.first_columns``), the baseline, the sort. Beside it Polars reading the
  whole file (``polars_load_s``) and the same columns (``polars_load_first_columns_s``),
  each the median of three fresh processes with the user's environment (Polars' own
  allocator settings, not the ones the workbench sets for its reads), and the ratios.

Prints one JSON object per scheme with ``--scheme``, a list otherwise (``--json``), or a
table.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import sys
import time

import numpy as np
from common import (
    arguments,
    each_scheme,
    median_ms,
    naive_pandas,
    polars_read_s,
    report,
    sample_file,
)
from peers import PEERS, inputs, read_bandwidth_gb_s, workbench_figures


def moving_value(tuner, param_id: str, share: float) -> float:
    """A value of the threshold ``param_id`` that moves about ``share`` of the customers."""
    scheme = tuner.scheme
    criterion = scheme.criterion_of_parameter(param_id)
    values = tuner.engine.metric(criterion.metric, tuner.settings.params, tuner.settings.options)
    layout = tuner.layout_for(values)
    ascending = layout.ascending[np.isfinite(layout.ascending)]
    current = tuner.settings.params[param_id]
    at = int(np.searchsorted(ascending, current))
    step = max(1, int(share * tuner.engine.portfolio.rows))
    target = at + step if at + step < len(ascending) else at - step
    return float(ascending[max(0, min(target, len(ascending) - 1))])


def measure(scheme_id: str, rows: int, repeat: int, share: float) -> dict:
    # Polars the peer computes in this process with the allocator setting the workbench
    # makes for its reads (``workbench.files.decoding``): its full recompute measured alike
    # with Polars' defaults (7 runs each, alternating three times: Industrial Bank 2.6-3.2 s
    # either way, ICBC 0.75-0.90 s).
    from workbench.core.engine import Engine
    from workbench.core.tuning import Tuner
    from workbench.files.portfolios import load_portfolio
    from workbench.scheme.registry import default_registry

    path = sample_file(rows)
    registry = default_registry()
    start = time.perf_counter()
    portfolio = load_portfolio(path)
    loaded = time.perf_counter()
    engine = Engine(registry.schemes[scheme_id], portfolio, registry.drivers)
    settings = engine.settings()
    baseline = engine.simulate(settings=settings)
    tuner = Tuner(engine, settings, baseline)
    simulated = time.perf_counter()
    tuner.prepare()
    prepared = time.perf_counter()
    prepare_s = prepared - start

    scheme = engine.scheme
    param = next(
        p for p in scheme.parameters if p.kind == "threshold" and scheme.criterion_of_parameter(p.id)
    )
    values = [settings.params[param.id], moving_value(tuner, param.id, share)]
    full_values = [values[1], moving_value(tuner, param.id, 2 * share)]  # neither the baseline's
    moved = []

    def nudge(i: int) -> None:
        # As the workbench nudges: the current settings with one parameter changed, checked
        # (the cost assumptions are unchanged, so not resolved again).
        params = {**tuner.settings.params, param.id: values[(i + 1) % 2]}
        tuner.update(tuner.settings.with_params(scheme, params))
        moved.append(tuner.moved_last)
        assert tuner.path == "incremental", tuner.path

    incremental = median_ms(nudge, repeat)

    def full(i: int) -> None:
        engine.forget_metrics()  # as after a weight change or a new scheme: metrics computed again
        tuner.recompute(engine.settings({param.id: full_values[i % 2]}))

    full(0), full(1)  # warm: memory a process touches first is slow on this VM, for every contender
    full_ms = median_ms(full, max(5, repeat // 2))
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # before pandas' share
    naive = median_ms(lambda i: naive_pandas(engine, settings), 3)
    checked = [*values, full_values[1]]
    expected = [workbench_figures(*tuner.recompute(engine.settings({param.id: v}))) for v in checked]
    peers, floor_ms, polars_load_s = measure_peers(
        engine, baseline, param.id, checked, expected, repeat, path
    )
    fastest_full = min(p["full_ms_median"] for p in peers.values())
    fastest_threshold = min(p["threshold_ms_median"] for p in peers.values())
    return {
        "rows": rows,
        "scheme": scheme_id,
        "parameter": param.id,
        "moved_customers_median": int(statistics.median(moved)),
        "incremental_ms_median": round(incremental, 3),
        "full_ms_median": round(full_ms, 1),
        "naive_pandas_ms_median": round(naive, 1),
        "speedup_vs_naive": round(naive / incremental, 1),
        "prepare_s": round(prepare_s, 2),
        "load_s": round(loaded - start, 2),
        "first_simulation_s": round(simulated - loaded, 2),
        "sort_s": round(prepared - simulated, 2),
        "peak_rss_mb": round(peak_mb, 1),
        "cpus": os.cpu_count(),
        "peers": peers,
        "bandwidth_floor_ms": round(floor_ms, 2),
        "polars_load_s": round(polars_load_s, 2),
        "full_vs_fastest_peer": round(fastest_full / full_ms, 2),
        "threshold_vs_fastest_peer": round(fastest_threshold / incremental, 1),
        "full_vs_bandwidth_floor": round(full_ms / floor_ms, 1),
    }


def time_peer(peer, settings, expected, repeat: int) -> dict:
    """One peer's full recompute and threshold change (its metrics kept), checked first.
    ``settings``: the baseline's, the moved value's, the value moving twice as many; the
    full recompute alternates between the last two, the threshold change the first two."""
    for s, figures in zip(settings, expected, strict=True):
        if not peer.run(s, keep_metrics=False).same_as(figures):
            raise SystemExit(f"{peer.name} differs from the workbench on {peer.scheme.id}: {s.params}")
    peer.run(settings[1], keep_metrics=False)  # warm, as the workbench was
    full = median_ms(lambda i: peer.run(settings[1 + i % 2], keep_metrics=False), repeat)
    peer.run(settings[0], keep_metrics=False)  # metrics in place: a threshold change reuses them
    threshold = median_ms(lambda i: peer.run(settings[(i + 1) % 2], keep_metrics=True), repeat)
    return {"threshold_ms_median": round(threshold, 2), "full_ms_median": round(full, 1)}


def measure_peers(engine, baseline, param_id, values, expected, repeat, path):
    """DuckDB, Polars and numpy doing the same full recompute and the same threshold
    change, each checked equal to the workbench's figures (the run stops if one differs);
    the bandwidth floor of the bytes a full recompute reads; Polars reading the file."""
    data = inputs(engine, baseline.tiers)
    settings = [engine.settings({param_id: v}) for v in values]
    out = {}
    for kind in PEERS:
        out[kind.name] = time_peer(kind(engine.scheme, data), settings, expected, max(5, repeat // 2))
    floor_ms = data.nbytes / (read_bandwidth_gb_s() * 1e9) * 1000
    return out, floor_ms, polars_read_s(path)


def first_columns_ready(scheme_id: str, rows: int) -> dict:
    """Ready to tune as the workbench opens a Parquet file, beside Polars' reads (each in
    fresh processes of its own, ``polars_read_s``)."""
    path = sample_file(rows)
    ready, headers = ready_from_first_columns(scheme_id, path)
    polars_first, polars_all = polars_read_s(path, headers), polars_read_s(path)
    return {
        "first_columns_read": len(headers),
        "first_columns_ready_s": round(ready, 2),
        "polars_load_first_columns_s": round(polars_first, 2),
        "first_columns_ready_vs_polars_load": round(ready / polars_all, 2),
        "first_columns_ready_vs_polars_same_columns": round(ready / polars_first, 2),
    }


def ready_from_first_columns(scheme_id: str, path) -> tuple[float, list[str]]:
    """Seconds until tuning is prepared when the scheme's columns are read first, and the
    headers read: the threshold metrics sorted while the first figures are computed, as
    the workbench's session does (``LiveSession.load``)."""
    from workbench.core.engine import Engine, columns_needed
    from workbench.core.levels import make_inputs
    from workbench.core.tuning import Tuner, sort_ahead
    from workbench.files.panel import load_any
    from workbench.scheme.registry import default_registry

    registry = default_registry()
    scheme = registry.schemes[scheme_id]
    start = time.perf_counter()
    portfolio = load_any(path, first=columns_needed(scheme))
    engine = Engine(scheme, portfolio, registry.drivers)
    settings = engine.settings()
    make_inputs(engine, settings)
    ahead = sort_ahead(engine, settings)
    tuner = Tuner(engine, settings, engine.simulate(settings=settings))
    if ahead is not None:
        tuner.take_sorts(ahead)
    tuner.prepare()
    ready = time.perf_counter() - start
    read = set(portfolio.frame.columns)
    return ready, [h for h in portfolio.headers if portfolio.mapping.get(h) in read]


def main(argv=None) -> int:
    parser = arguments(__doc__)
    parser.add_argument("--repeat", type=int, default=21)
    parser.add_argument("--share", type=float, default=0.01, help="customers a threshold change moves")
    parser.add_argument(
        "--first-columns", action="store_true", help="only first_columns_ready_s (in-process)"
    )
    args = parser.parse_args(argv)
    if args.scheme and args.in_process:
        if args.first_columns:
            print(json.dumps(first_columns_ready(args.scheme, args.rows)))
        else:
            print(json.dumps(measure(args.scheme, args.rows, args.repeat, args.share)))
        return 0
    from workbench.scheme.registry import default_registry

    schemes = [args.scheme] if args.scheme else sorted(default_registry().schemes)
    options = ["--repeat", str(args.repeat), "--share", str(args.share)]
    results = each_scheme(__file__, args, options, schemes)
    for result, first in zip(results, each_scheme(__file__, args, ["--first-columns"], schemes), strict=True):
        result.update(first)
    columns = [
        ("moved_customers_median", "moved", 8),
        ("incremental_ms_median", "incr ms", 8),
        ("full_ms_median", "full ms", 8),
        ("naive_pandas_ms_median", "naive ms", 9),
        ("speedup_vs_naive", "x naive", 8),
        ("prepare_s", "prepare s", 9),
        ("peak_rss_mb", "peak MB", 8),
        ("full_vs_fastest_peer", "x peer", 7),
        ("threshold_vs_fastest_peer", "x peer thr", 10),
        ("bandwidth_floor_ms", "floor ms", 8),
        ("polars_load_s", "pl load s", 9),
        ("first_columns_ready_s", "first cols s", 12),
    ]
    report(results, args, f"{args.rows:,} customers, {os.cpu_count()} CPUs", columns)
    return 0


if __name__ == "__main__":
    sys.exit(main())
