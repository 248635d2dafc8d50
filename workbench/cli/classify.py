"""``workbench classify``: each customer's tier, as CSV."""

from __future__ import annotations

import argparse
import sys

from workbench.cli.common import (
    UsageError,
    inputs_of,
    mask_arguments,
    print_notes,
    refuse_overwriting_inputs,
    scenario_arguments,
    scenario_from_args,
    stdout,
)
from workbench.files.atomic import atomic_path
from workbench.planning.classified import classified_frame
from workbench.planning.runs import Session
from workbench.scheme.registry import Registry

HELP = "each customer's tier, as CSV"


def add_arguments(p: argparse.ArgumentParser) -> None:
    scenario_arguments(p)
    p.add_argument("--output", required=True, metavar="FILE.csv", help="output CSV file ('-' for stdout)")
    mask_arguments(p)


def run(args: argparse.Namespace, registry: Registry) -> int:
    session = Session(registry)
    scenario = scenario_from_args(args)
    refuse_overwriting_inputs(args.output, inputs_of([scenario]))
    run = session.run(scenario)
    print_notes(run, args.lang)
    frame = classified_frame(session.engine(run.scheme, run.portfolio), run.result, masked=args.mask_ids)
    output = args.output
    if output == "-":
        frame.to_csv(stdout(), index=False)
    else:
        if not output.lower().endswith(".csv"):
            raise UsageError(f"--output {output}: classify writes CSV; name a .csv file")
        with atomic_path(output) as tmp:
            frame.to_csv(tmp, index=False)
        print(f"wrote {len(frame):,} customers to {output}", file=sys.stderr)
    return 0
