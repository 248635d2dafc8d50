"""``workbench classify``: each customer's tier, as CSV."""

from __future__ import annotations

import argparse
import sys
from typing import Any

import numpy as np
import pandas as pd

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
from workbench.files.privacy import mask_ids
from workbench.files.spreadsheets import csv_safe
from workbench.planning.runs import CustomerRun, Session
from workbench.scheme.registry import Registry

HELP = "each customer's tier, as CSV"


def add_arguments(p: argparse.ArgumentParser) -> None:
    scenario_arguments(p)
    p.add_argument("--output", required=True, metavar="FILE.csv", help="output CSV file ('-' for stdout)")
    mask_arguments(p)


def qualified_by_labels(run: CustomerRun) -> np.ndarray:
    """Per customer: the criterion groups met at the tier, joined by '+',
    or ``floor`` / ``override``; empty when none."""
    scheme, c = run.scheme, run.result.classification
    n = run.portfolio.rows
    if c.qualified is None or not scheme.groups:
        out = np.full(n, "", dtype=object)
    else:
        names = [g.id for g in scheme.groups]
        table = np.array(
            [
                "+".join(names[g] for g in range(len(names)) if mask >> g & 1)
                for mask in range(1 << len(names))
            ],
            dtype=object,
        )
        out = table[c.qualified]
    if c.raised is not None:
        out = np.where(c.raised, "floor", out)
    if c.overridden is not None:
        out = np.where(c.overridden, "override", out)
    return out


def run(args: argparse.Namespace, registry: Registry) -> int:
    session = Session(registry)
    scenario = scenario_from_args(args)
    refuse_overwriting_inputs(args.output, inputs_of([scenario]))
    run = session.run(scenario)
    print_notes(run, args.lang)
    scheme, result = run.scheme, run.result
    tier_ids = np.array(scheme.tier_ids, dtype=object)
    ids = run.portfolio.frame["customer_id"]
    columns: dict[str, Any] = {
        "customer_id": (mask_ids(ids) if args.mask_ids else ids).to_numpy(),
        "tier": tier_ids[result.tiers],
    }
    if scheme.base_tier_column and result.classification.base is not None:
        columns[scheme.base_tier_column] = tier_ids[result.classification.base]
    engine = session.engine(scheme, run.portfolio)
    for metric_id, values in engine.explain_metrics(result.settings).items():
        columns[metric_id] = values
    if scheme.groups and scheme.classify is None:
        columns["qualified_by"] = qualified_by_labels(run)
    frame = csv_safe(pd.DataFrame(columns))
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
