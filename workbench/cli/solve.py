"""``workbench solve``: thresholds for a target share or a cost budget, as a new scenario."""

from __future__ import annotations

import argparse
from pathlib import Path

from workbench.cli.common import (
    UsageError,
    emit,
    engine_and_settings,
    inputs_of,
    refuse_overwriting_inputs,
    scenario_arguments,
)
from workbench.files.scenarios import Scenario, save_scenario
from workbench.fmt import parse_number
from workbench.planning.solve import Solver, parse_target
from workbench.present.shapes import solve_json, to_json
from workbench.present.solving import describe
from workbench.scheme.registry import Registry

HELP = "find thresholds for a target share or a cost budget"


def add_arguments(p: argparse.ArgumentParser) -> None:
    scenario_arguments(p)
    p.add_argument(
        "--target",
        action="append",
        metavar="TIER=PERCENT",
        help="share of customers at or above a tier, e.g. platinum=20 (repeatable)",
    )
    p.add_argument("--budget", metavar="CNY", help="total benefit cost a year to stay within")
    p.add_argument(
        "--vary",
        action="append",
        nargs="+",
        metavar="PARAM",
        help="parameters the solver may change (default: the target tiers' thresholds; for "
        "a budget, every threshold)",
    )
    p.add_argument("--output", required=True, metavar="NEW.toml", help="the solved scenario")
    p.add_argument("--name", help="name of the solved scenario")
    p.add_argument("--format", choices=("table", "json"), default="table")


def run(args: argparse.Namespace, registry: Registry) -> int:
    if bool(args.target) == (args.budget is not None):
        raise UsageError("give --target TIER=PERCENT (one or more) or --budget CNY, not both")
    if not args.output.lower().endswith(".toml"):
        raise UsageError(f"--output {args.output}: solve writes a scenario; name a .toml file")
    _, scenario, engine, settings = engine_and_settings(args, registry)
    refuse_overwriting_inputs(args.output, inputs_of([scenario]))
    vary = [p for group in args.vary or () for p in group] or None
    for pid in vary or ():
        if pid not in engine.scheme.default_params:
            raise UsageError(
                f"--vary {pid}: unknown parameter of {engine.scheme.id}; valid: "
                + ", ".join(engine.scheme.default_params)
            )
    solver = Solver(engine, settings)
    if args.target:
        targets = [parse_target(t, engine.scheme) for t in args.target]
        outcome = solver.targets(targets, vary)
        goal = ", ".join(f"{t.tier} {t.share:.2%} or above" for t in targets)
    else:
        try:
            budget = parse_number(args.budget)
        except ValueError:
            raise UsageError(f"--budget {args.budget}: expected an amount such as 8000000 or 800万") from None
        outcome = solver.budget(budget, vary)
        goal = f"benefit cost within {budget:,.0f}"
    out = Path(args.output)
    solved = Scenario(
        scheme=engine.scheme.id,
        name=args.name or f"{scenario.display_name}: solved for {goal}",
        notes=f"Solved by `workbench solve` for {goal}.\n" + describe(outcome),
        parameters=dict(outcome.params),
        options=dict(settings.options),
        costs=dict(scenario.costs),
        portfolio=scenario.portfolio,
        path=scenario.path,
        baseline=scenario.path.name if scenario.path else None,  # relative to the scenario's folder
        scheme_file=scenario.scheme_file,
    )
    save_scenario(solved, out)
    if args.format == "json":
        emit(to_json(solve_json(outcome, str(out), [line.en for line in outcome.lines])), None)
    else:
        emit(describe(outcome) + f"\nwrote {out}", None)
    return 0
