"""``workbench simulate``: per-tier customers, AUM and benefit costs, against a baseline."""

from __future__ import annotations

import argparse

from workbench.cli.common import (
    UsageError,
    cluster_for,
    emit,
    engine_arguments,
    inputs_of,
    print_notes,
    refuse_overwriting_inputs,
    sayer,
    scenario_arguments,
    scenario_from_args,
)
from workbench.files.scenarios import Scenario, load_scenario
from workbench.planning.estimates import estimate_run, parse_fraction, sample_of
from workbench.planning.runs import Run, Session
from workbench.present.estimates import estimate_json, estimate_table
from workbench.present.shapes import csv_text, run_csv_rows, run_json, to_json
from workbench.present.tiers import breakdown_table, cost_table, migration_table, tier_table
from workbench.scale.sampling import cluster_sample
from workbench.scale.session import Pairing, cluster_runs
from workbench.scheme.registry import Registry
from workbench.text import Lang

HELP = "per-tier customers, AUM and benefit costs"


def add_arguments(p: argparse.ArgumentParser) -> None:
    scenario_arguments(p)
    engine_arguments(p)
    p.add_argument(
        "--baseline", metavar="SCENARIO.toml", help="compare with this scenario (migration matrix)"
    )
    p.add_argument(
        "--sample",
        metavar="SHARE",
        help="estimate from a stratified sample of the book (1%%, 0.5%%, 0.02), each figure with its 95%% "
        "interval (docs/scale-out.md)",
    )
    p.add_argument(
        "--draw-seed", type=int, default=1, metavar="N", help="with --sample: the draw's seed (default 1)"
    )
    p.add_argument("--format", choices=("table", "json", "csv"), default="table")
    p.add_argument("--output", metavar="FILE", help="write to a file instead of stdout")


def run_text(run: Run, lang: Lang) -> str:
    """The tables a run prints: tiers, "qualified by", migration, costs."""
    parts = []
    header = f"Scenario: {run.scenario.display_name}"
    if run.baseline_scenario is not None:
        header += f"   Baseline: {run.baseline_scenario.display_name}"
    parts.append(header)
    parts.append(tier_table(run.result, run.comparison, lang).render())
    breakdown = breakdown_table(run.result, lang)
    if breakdown is not None:
        parts.append(breakdown.render())
    if run.comparison is not None:
        parts.append(migration_table(run.comparison, lang).render())
    parts.append(cost_table(run.result, lang).render())
    return "\n\n".join(parts)


def run(args: argparse.Namespace, registry: Registry) -> int:
    session = Session(registry)
    scenario = scenario_from_args(args)
    baseline = load_scenario(args.baseline) if args.baseline else None
    extra = [("baseline scenario", baseline.path)] if baseline is not None and baseline.path else []
    refuse_overwriting_inputs(args.output, [*inputs_of([scenario]), *extra])
    if args.sample is not None:
        return estimate(args, session, scenario, baseline)
    spec = cluster_for(args, scenario.portfolio, scenario.base_dir)
    if spec is None:
        result: Run = session.run(scenario, baseline=baseline)
    else:
        baseline = session.baseline_of(scenario, baseline)
        [result] = cluster_runs(
            session,
            [Pairing(scenario, baseline)],
            scenario.portfolio,
            scenario.base_dir,
            spec,
            sayer(args.lang),
        )
    print_notes(result, args.lang)
    if args.format == "json":
        text = to_json(run_json(result))
    elif args.format == "csv":
        text = csv_text(run_csv_rows(result))
    else:
        text = run_text(result, args.lang)
    emit(text, args.output)
    return 0


def estimate(
    args: argparse.Namespace, session: Session, scenario: Scenario, baseline: Scenario | None
) -> int:
    """``simulate --sample``: the book's figures estimated from a stratified sample."""
    if args.format == "csv":
        raise UsageError(
            "--sample prints a table or JSON (--format table or json)",
            zh="--sample 输出表格或 JSON(--format table 或 json)",
        )
    fraction = parse_fraction(args.sample)
    spec = cluster_for(args, scenario.portfolio, scenario.base_dir)
    if spec is None:
        portfolio = session.portfolio(scenario.portfolio, scenario.base_dir)
        sample = sample_of(session, scenario, portfolio, fraction, args.draw_seed)
    else:
        ref, base = scenario.portfolio, scenario.base_dir
        sample = cluster_sample(
            session, scenario, ref, base, spec, sayer(args.lang), fraction, args.draw_seed
        )
    estimated = estimate_run(session, scenario, sample, baseline)
    for note in estimated.notes:
        sayer(args.lang)(note)
    print_notes(estimated.run, args.lang)
    if args.format == "json":
        text = to_json(estimate_json(estimated))
    else:
        text = estimate_table(estimated, args.lang).render()
    emit(text, args.output)
    return 0
