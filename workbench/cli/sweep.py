"""``workbench sweep``: the figures at each value of one parameter, and where cost bends."""

from __future__ import annotations

import argparse
import sys

from workbench.cli.common import (
    UsageError,
    cluster_for,
    emit,
    engine_and_settings,
    engine_arguments,
    inputs_of,
    min_cell_argument,
    min_cell_of,
    output_format,
    refuse_overwriting_inputs,
    sayer,
    scenario_arguments,
    scenario_from_args,
)
from workbench.fmt import parse_number
from workbench.planning.runs import Session
from workbench.planning.sweep import sweep, sweep_of, sweep_plan
from workbench.present.shapes import csv_text, sweep_json, sweep_rows, to_json
from workbench.scale.session import book_notes, cluster_batch
from workbench.scale.tally import Job
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
    min_cell_argument(p, "every output of a sweep")
    engine_arguments(p)


def run(args: argparse.Namespace, registry: Registry) -> int:
    from workbench.reports import write_sweep
    from workbench.reports.options import ReportOptions
    from workbench.reports.sweeping import text_report

    scenario = scenario_from_args(args)
    refuse_overwriting_inputs(args.output, inputs_of([scenario]))
    try:
        start, stop = parse_number(args.start), parse_number(args.stop)
    except ValueError as exc:
        raise UsageError(f"--from/--to: {exc} is not a number") from None
    min_cell = min_cell_of(args)
    spec = cluster_for(args, scenario.portfolio, scenario.base_dir)
    if spec is None:
        _, scenario, engine, settings = engine_and_settings(args, registry)
        result = sweep(engine, settings, args.param, start, stop, args.steps)
    else:
        session = Session(registry)
        scheme = registry.scheme(scenario.scheme, scenario.where, scenario.scheme_file_path())
        settings = session.settings(scenario, scheme)
        parameter, plan = sweep_plan(scheme, settings, args.param, start, stop, args.steps)
        jobs = [Job(scheme, at) for _, at in plan if not isinstance(at, str)]
        batch, reading = cluster_batch(
            session, jobs, scenario.portfolio, scenario.base_dir, spec, sayer(args.lang)
        )
        if batch.figures:
            for note in book_notes(batch, reading, batch.figures[0]):
                sayer(args.lang)(note)
        current = float(settings.params[args.param])
        result = sweep_of(scheme, parameter, current, plan, iter(batch.figures))
    if output_format(args, FORMATS):
        path = write_sweep(result, args.output, ReportOptions(args.lang, min_cell))
        print(f"wrote {path}", file=sys.stderr)
        return 0
    if args.format == "json":
        emit(to_json(sweep_json(result, min_cell)), None)
    elif args.format == "csv":
        emit(csv_text(sweep_rows(result, min_cell)), None)
    else:
        emit(text_report(result, args.lang, min_cell), None)
    return 0
