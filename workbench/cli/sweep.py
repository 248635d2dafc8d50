"""``workbench sweep``: the figures at each value of one parameter, and where cost bends."""

from __future__ import annotations

import argparse
import json
import sys

from workbench.cli.common import UsageError, emit, engine_and_settings, output_format, scenario_arguments
from workbench.fmt import parse_number
from workbench.planning.sweep import sweep
from workbench.present.shapes import csv_text, sweep_json, sweep_rows
from workbench.scheme.registry import Registry

HELP = "figures at each value of one parameter"
FORMATS = {
    ".xlsx": "xlsx",
    ".html": "html",
    ".png": "png",
    ".md": "markdown",
    ".csv": "csv",
    ".json": "json",
    ".txt": "table",
}


def add_arguments(p: argparse.ArgumentParser) -> None:
    scenario_arguments(p)
    p.add_argument("--param", required=True, metavar="NAME", help="the parameter to sweep")
    p.add_argument("--from", dest="start", required=True, metavar="X", help="first value (300k, 30万 work)")
    p.add_argument("--to", dest="stop", required=True, metavar="Y", help="last value")
    p.add_argument("--steps", type=int, default=21, metavar="N", help="number of values (default 21)")
    p.add_argument("--format", choices=("table", "json", "csv"), default="table")
    p.add_argument("--output", metavar="FILE", help="report file: .html, .png, .xlsx, .md, .csv, .json, .txt")


def run(args: argparse.Namespace, registry: Registry) -> int:
    from workbench.reports import write_sweep
    from workbench.reports.sweeping import text_report

    _, _, engine, settings = engine_and_settings(args, registry)
    try:
        start, stop = parse_number(args.start), parse_number(args.stop)
    except ValueError as exc:
        raise UsageError(f"--from/--to: {exc} is not a number") from None
    result = sweep(engine, settings, args.param, start, stop, args.steps)
    if output_format(args, FORMATS):
        path = write_sweep(result, args.output, args.lang)
        print(f"wrote {path}", file=sys.stderr)
        return 0
    if args.format == "json":
        emit(json.dumps(sweep_json(result), ensure_ascii=False, indent=2), None)
    elif args.format == "csv":
        emit(csv_text(sweep_rows(result)), None)
    else:
        emit(text_report(result, args.lang), None)
    return 0
