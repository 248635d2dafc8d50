"""``workbench classify``: each customer's tier, as CSV."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from workbench.cli.common import (
    UsageError,
    cluster_for,
    engine_arguments,
    inputs_of,
    mask_arguments,
    print_notes,
    refuse_overwriting_inputs,
    sayer,
    scenario_arguments,
    scenario_from_args,
    stdout,
)
from workbench.files import privacy
from workbench.files.atomic import atomic_path
from workbench.files.datasets import output_folder, staged, write_parts
from workbench.planning.classified import classified_frame
from workbench.planning.runs import Session
from workbench.scale.session import Pairing, cluster_runs
from workbench.scheme.registry import Registry

HELP = "each customer's tier, as CSV"


def add_arguments(p: argparse.ArgumentParser) -> None:
    scenario_arguments(p)
    p.add_argument(
        "--output",
        required=True,
        metavar="FILE.csv|FOLDER",
        help="output CSV file ('-' for stdout), or a folder: a Parquet dataset, one part file per "
        "partition (docs/scale-out.md)",
    )
    p.add_argument(
        "--force", action="store_true", help="with a folder --output: replace the part files there"
    )
    mask_arguments(p)
    engine_arguments(p)


def is_folder(output: str) -> bool:
    """A folder --output: one that exists, ends with a slash, or names no file type."""
    return output != "-" and (
        output.endswith(("/", os.sep)) or Path(output).is_dir() or not Path(output).suffix
    )


def run(args: argparse.Namespace, registry: Registry) -> int:
    session = Session(registry)
    scenario = scenario_from_args(args)
    refuse_overwriting_inputs(args.output, inputs_of([scenario]))
    output = args.output
    folder = output_folder(output, args.force) if is_folder(output) else None
    if folder is None and output != "-" and not output.lower().endswith(".csv"):
        raise UsageError(
            f"--output {output}: classify writes CSV, or Parquet parts into a folder; name a .csv file",
            zh=f"--output {output}:classify 写出 CSV,或写入文件夹的 Parquet 分片;请给出 .csv 文件名",
        )
    spec = cluster_for(args, scenario.portfolio, scenario.base_dir)
    if spec is not None:
        if folder is None:
            raise UsageError(
                f"--output {output}: on a cluster, classify writes a Parquet dataset: give a folder",
                zh=f"--output {output}:在集群上 classify 写出 Parquet 数据集:请给出文件夹",
            )
        with staged(folder) as staging:
            secret = privacy.key() if args.mask_ids else None
            pairing = Pairing(scenario)
            [run] = cluster_runs(
                session, [pairing], scenario.portfolio, scenario.base_dir, spec, sayer(args.lang),
                classify_to=staging.resolve(), secret=secret,
            )  # fmt: skip
            parts = len(list(staging.iterdir()))
        print_notes(run, args.lang)
        print(f"wrote {run.result.customers:,} customers in {parts} parts to {folder}", file=sys.stderr)
        return 0
    in_memory = session.run(scenario)
    print_notes(in_memory, args.lang)
    frame = classified_frame(
        session.engine(in_memory.scheme, in_memory.portfolio), in_memory.result, args.mask_ids
    )
    if output == "-":
        frame.to_csv(stdout(), index=False)
    elif folder is not None:
        with staged(folder) as staging:
            write_parts([frame], staging, max(len(frame), 1))
        print(f"wrote {len(frame):,} customers in 1 part to {folder}", file=sys.stderr)
    else:
        with atomic_path(output) as tmp:
            frame.to_csv(tmp, index=False)
        print(f"wrote {len(frame):,} customers to {output}", file=sys.stderr)
    return 0
