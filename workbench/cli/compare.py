"""``workbench compare``: scenarios side by side on one portfolio, with reports."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from workbench.cli.common import (
    UsageError,
    cluster_for,
    emit,
    engine_arguments,
    inputs_of,
    mask_arguments,
    min_cell_argument,
    min_cell_of,
    output_format,
    portfolio_override,
    portfolio_reading_arguments,
    print_notes,
    refuse_overwriting_inputs,
    sayer,
)
from workbench.files.scenarios import load_scenario
from workbench.planning.compare import movers, run_all
from workbench.planning.runs import CustomerRun, Run, Session
from workbench.present.shapes import comparison_json, comparison_rows, csv_text, to_json
from workbench.scale.session import Pairing, cluster_runs
from workbench.scheme.registry import Registry

HELP = "scenarios side by side, with reports"
FORMATS = {
    ".xlsx": "xlsx",
    ".html": "html",
    ".md": "markdown",
    ".csv": "csv",
    ".json": "json",
    ".txt": "table",
}


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "scenarios", nargs="+", metavar="SCENARIO.toml", help="scenarios; the first is the reference"
    )
    p.add_argument("--portfolio", metavar="FILE", help="run every scenario on this portfolio")
    p.add_argument("--sheet", help="sheet name of an .xlsx portfolio")
    portfolio_reading_arguments(p)
    p.add_argument("--map", action="append", metavar="HEADER=COLUMN", help="map a file header (repeatable)")
    p.add_argument("--sample-rows", type=int, metavar="N", help="run on the built-in sample of this size")
    p.add_argument("--sample-seed", type=int, metavar="S", help="seed of the built-in sample")
    p.add_argument("--format", choices=("table", "json", "csv", "markdown"))
    p.add_argument("--output", metavar="FILE", help="report file: .xlsx, .html, .md, .csv, .json or .txt")
    p.add_argument("--lang", choices=("en", "zh"), default="en")
    p.add_argument(
        "--per-customer",
        action="store_true",
        help="add the customers whose tier changes (id, AUM, tier per scenario) to an .xlsx report; "
        "reports carry no customer-level data without it",
    )
    mask_arguments(p)
    min_cell_argument(p, "report files (--output)")
    engine_arguments(p)


def run(args: argparse.Namespace, registry: Registry) -> int:
    from workbench.reports import write_comparison
    from workbench.reports.comparison import markdown_report, text_report
    from workbench.reports.options import ReportOptions

    scenarios = [load_scenario(path) for path in args.scenarios]
    session = Session(registry)
    ref = portfolio_override(args)
    extra = [("portfolio", Path(ref.path))] if ref is not None and ref.path else []
    refuse_overwriting_inputs(args.output, [*inputs_of(scenarios), *extra])
    spec = cluster_for(args, ref or scenarios[0].portfolio, None if ref else scenarios[0].base_dir)
    runs: list[Run]
    in_memory: list[CustomerRun] = []
    if spec is None:
        portfolio = session.portfolio(ref, None) if ref else None
        in_memory = run_all(session, scenarios, portfolio=portfolio)
        runs = list(in_memory)
    else:
        if args.per_customer:
            raise UsageError(
                "--per-customer lists customers, which needs them in memory: add --engine memory",
                zh="--per-customer 列出客户,需要名单在内存中:请加 --engine memory",
            )
        pairings = [Pairing(s, scenarios[0]) for s in scenarios]
        where = (ref, None) if ref else (scenarios[0].portfolio, scenarios[0].base_dir)
        runs = cluster_runs(session, pairings, *where, spec, sayer(args.lang))
    for r in runs:
        print_notes(r, args.lang)
    suffix = output_format(args, FORMATS)
    per_customer = None
    if args.per_customer:
        if not suffix:
            raise UsageError("--per-customer writes a sheet of an Excel report: add --output FILE.xlsx")
        per_customer = movers(in_memory, args.lang, masked=args.mask_ids)
    if suffix:
        options = ReportOptions(args.lang, min_cell_of(args), per_customer)
        path = write_comparison(runs, args.output, options)
        print(f"wrote {path}", file=sys.stderr)
        return 0
    fmt_ = args.format or "table"
    if fmt_ == "json":
        text = to_json(comparison_json(runs))
    elif fmt_ == "csv":
        text = csv_text(comparison_rows(runs))
    elif fmt_ == "markdown":
        text = markdown_report(runs, args.lang)
    else:
        text = text_report(runs, args.lang)
    emit(text, None)
    return 0
