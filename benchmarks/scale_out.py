"""Scale-out: the Dask batch on a partitioned dataset, against the in-memory engine and
DuckDB in the same run where the book fits in memory.

    python benchmarks/scale_out.py --rows 10000000 [--parts 20] [--workers 2] [--json]
    python benchmarks/scale_out.py --rows 100000000 --parts 100 --memory-limit 9GB

Writes the dataset once (`workbench sample --rows N --parts P`, cached in .cache/), then
per built-in scheme times `simulate` on a LocalCluster (parts read and checked on the
workers, the household shuffle included where a scheme reads households), and where the
book fits: the in-memory engine (load once, then simulate) and DuckDB (read the Parquet
files into a table, then the same figures in SQL), every result checked equal to the
cluster's (the run stops if not). Peak memory per worker is each worker process's
maximum resident size. Figures in benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import platform
import resource
import subprocess
import time

from common import CACHE, SEED, WORKBENCH

from workbench.files.datasets import find_dataset
from workbench.files.scenarios import PortfolioRef, Scenario
from workbench.planning.runs import Session
from workbench.scale.choose import memory_fit
from workbench.scale.cluster import ClusterSpec, connected
from workbench.scale.parts import PartReading
from workbench.scale.runner import run_batch
from workbench.scale.session import Pairing, jobs_of

SCHEMES = ("industrial-bank", "icbc-stars", "postal-savings", "branch-layers")


def dataset(rows: int, parts: int):
    path = CACHE / f"parts-{rows}-{parts}-{SEED}"
    if not path.exists():
        CACHE.mkdir(exist_ok=True)
        command = [str(WORKBENCH), "sample", "--rows", str(rows), "--parts", str(parts)]
        command += ["--seed", str(SEED), "--output", str(path)]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return path


def peak_mb(client) -> dict[str, float]:
    """Each worker's peak resident memory so far, in MB (Linux reports KB)."""
    peaks = client.run(lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    return {address.rsplit(":", 1)[-1]: round(mb) for address, mb in peaks.items()}


def duckdb_figures(path, scheme, engine, settings):
    """DuckDB: the Parquet files read into a table, then the scheme's figures in SQL (the
    peer of benchmarks/peers.py, fed from that table)."""
    import duckdb
    import numpy as np
    from peers import DuckdbPeer, inputs

    con = duckdb.connect()
    con.execute("SET threads = 2")
    started = time.perf_counter()
    con.execute(f"CREATE TABLE raw AS SELECT * FROM read_parquet('{path}/*.parquet')")
    read_s = time.perf_counter() - started
    del con
    peer = DuckdbPeer(scheme, inputs(engine, np.zeros(engine.portfolio.rows, dtype=np.int8)))
    started = time.perf_counter()
    figures = peer.run(settings, keep_metrics=False)
    return read_s, time.perf_counter() - started, figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--parts", type=int)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--memory-limit", default="auto", help="per worker, e.g. 9GB")
    parser.add_argument("--scheme", action="append", help="one scheme (repeatable; default: all four)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    parts = args.parts or max(8, min(200, args.rows // 1_000_000))
    started = time.perf_counter()
    path = dataset(args.rows, parts)
    written_s = time.perf_counter() - started
    session = Session()
    schemes = args.scheme or list(SCHEMES)
    fits = memory_fit(args.rows).fits
    out: dict = {
        "rows": args.rows,
        "parts": parts,
        "workers": args.workers,
        "memory_limit": args.memory_limit,
        "machine": f"{platform.machine()}, {len(__import__('os').sched_getaffinity(0))} cores",
        "dataset_s": round(written_s, 1),
        "schemes": {},
    }
    reading = PartReading(find_dataset(path), {}, tuple(session.extra_columns()))
    spec = ClusterSpec("local", args.workers, args.memory_limit)
    started = time.perf_counter()
    with connected(spec, lambda text: None) as client:
        out["cluster_start_s"] = round(time.perf_counter() - started, 2)
        for scheme_id in schemes:
            scenario = Scenario(scheme=scheme_id, portfolio=PortfolioRef(path=str(path)))
            jobs, _ = jobs_of(session, [Pairing(scenario)])
            started = time.perf_counter()
            batch = run_batch(client, reading, jobs, session.registry.drivers)
            out["schemes"][scheme_id] = {
                "dask_s": round(time.perf_counter() - started, 2),
                "shuffled": batch.shuffled,
                "customers": batch.figures[0].customers,
                "worker_peak_mb": peak_mb(client),
            }
            out["schemes"][scheme_id]["_figures"] = batch.figures[0]
    if fits:
        started = time.perf_counter()
        portfolio = session.portfolio(PortfolioRef(path=str(path)))
        out["memory_load_s"] = round(time.perf_counter() - started, 2)
        for scheme_id in schemes:
            row = out["schemes"][scheme_id]
            scenario = Scenario(scheme=scheme_id, portfolio=PortfolioRef(path=str(path)))
            started = time.perf_counter()
            memory = session.run(scenario, portfolio=portfolio)
            row["memory_s"] = round(time.perf_counter() - started, 2)
            dask_figures = row.pop("_figures")
            same = run_json_figures(dask_figures) == run_json_figures(memory.result)
            if not same:
                raise SystemExit(f"{scheme_id}: the cluster's figures differ from the in-memory engine's")
            row["checked_equal"] = True
            if importlib.util.find_spec("duckdb") is None:  # the `bench` extra is not installed
                continue
            engine = session.engine(memory.scheme, portfolio)
            read_s, query_s, peer = duckdb_figures(path, memory.scheme, engine, memory.result.settings)
            if not (peer.counts == memory.result.counts).all():
                raise SystemExit(f"{scheme_id}: DuckDB's counts differ")
            row["duckdb_read_s"], row["duckdb_query_s"] = round(read_s, 2), round(query_s, 2)
    else:
        for row in out["schemes"].values():
            row.pop("_figures")
    out["client_peak_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    if args.json:
        print(json.dumps(out, indent=2))
        return
    print(f"{args.rows:,} customers in {parts} parts; {args.workers} workers ({args.memory_limit} each)")
    for scheme_id, row in out["schemes"].items():
        extra = ""
        if "memory_s" in row:
            extra = f"; in memory {row['memory_s']} s (load {out['memory_load_s']} s once)"
        if "duckdb_read_s" in row:
            extra += f"; DuckDB read {row['duckdb_read_s']} s + query {row['duckdb_query_s']} s"
        print(f"{scheme_id}: dask {row['dask_s']} s{extra}; worker peaks {row['worker_peak_mb']} MB")


def run_json_figures(figures) -> tuple:
    return (tuple(figures.counts.tolist()), tuple(round(a, 2) for a in figures.aum.tolist()))


if __name__ == "__main__":
    main()
