"""``workbench sample``: write the synthetic sample portfolio."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator

import pandas as pd

from workbench.cli.common import UsageError
from workbench.errors import WorkbenchError
from workbench.files.datasets import output_folder, staged, write_parts
from workbench.files.portfolios import write_portfolio, write_portfolio_parts
from workbench.files.sample import (
    CHUNK_ROWS,
    DEFAULT_ROWS,
    DEFAULT_SEED,
    check_sample,
    generate_frame,
    sample_chunks,
)
from workbench.files.sample_panel import panel_months
from workbench.scheme.registry import Registry

HELP = "write the synthetic sample portfolio"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--rows", type=int, default=DEFAULT_ROWS, help=f"customers (default {DEFAULT_ROWS:,})")
    p.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})")
    p.add_argument(
        "--output",
        required=True,
        metavar="FILE",
        help="output file: .csv, .parquet or .xlsx; with --parts, a folder (docs/scale-out.md)",
    )
    p.add_argument(
        "--parts",
        type=int,
        metavar="K",
        help="a dataset of K Parquet part files in the --output folder, cut by row range (households "
        "span parts, as in exports); generated a chunk at a time, so larger than memory is fine",
    )
    p.add_argument("--force", action="store_true", help="with --parts: replace the part files already there")
    p.add_argument(
        "--months",
        type=int,
        metavar="M",
        help="a panel over M months: one row per customer per month, with a month column (docs/replay.md)",
    )


def run(args: argparse.Namespace, registry: Registry) -> int:
    try:
        # in parts, the sample is generated a chunk at a time: only a chunk must fit in memory
        rows = min(args.rows, CHUNK_ROWS) if args.parts is not None and args.rows > 0 else args.rows
        check_sample(rows, args.seed, where="")
    except WorkbenchError as exc:  # the flags' own words
        raise UsageError(
            str(exc).replace(" rows:", "--rows:", 1).replace(" seed:", "--seed:", 1).strip()
        ) from None
    if args.parts is not None:
        if args.months is not None:
            raise UsageError(
                "--parts and --months: choose one (a dataset in parts, or a panel over months)",
                zh="--parts 与 --months 只能选一个(分片数据集,或按月名单)",
            )
        if not 1 <= args.parts <= 100_000:
            raise UsageError(
                f"--parts {args.parts}: expected 1 to 100,000", zh=f"--parts {args.parts}:应为 1 到 100,000"
            )
        folder = output_folder(args.output, args.force)
        with staged(folder) as staging:
            rows, parts = write_parts(
                sample_chunks(args.rows, args.seed), staging, -(-args.rows // args.parts)
            )
        print(f"wrote {rows:,} customers (seed {args.seed}) in {parts} parts to {folder}", file=sys.stderr)
        return 0
    if args.months is not None:
        if not 1 <= args.months <= 120:
            raise UsageError(f"--months {args.months}: expected 1 to 120")
        written = [0]

        def counted(parts: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
            for part in parts:
                written[0] += len(part)
                yield part

        path = write_portfolio_parts(counted(panel_months(args.rows, args.months, args.seed)), args.output)
        print(
            f"wrote {written[0]:,} customer-months ({args.months} months, seed {args.seed}) to {path}",
            file=sys.stderr,
        )
        return 0
    frame = generate_frame(args.rows, args.seed)
    path = write_portfolio(frame, args.output)
    print(f"wrote {len(frame):,} customers (seed {args.seed}) to {path}", file=sys.stderr)
    return 0
