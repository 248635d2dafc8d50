"""The ``workbench`` command (``docs/cli.md``).

Command names, options and JSON shapes are an interface planners' scripts
depend on: add to them, never rename. User mistakes exit with status 1 and a
one-paragraph message on stderr, never a traceback; usage errors exit 2;
Ctrl+C exits 130.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from workbench import __version__
from workbench.atomic import atomic_write_text
from workbench.costs import resolve_assumptions
from workbench.errors import WorkbenchError
from workbench.fmt import parse_number
from workbench.plugins import DISABLE_ENV, ENTRY_POINT_GROUP, Registry
from workbench.portfolio import write_portfolio
from workbench.privacy import mask_ids
from workbench.result import tier_csv_row
from workbench.sample import DEFAULT_ROWS, DEFAULT_SEED, generate_frame
from workbench.scenario import PortfolioRef, Scenario, load_scenario
from workbench.session import Run, Session, portfolio_notes
from workbench.tables import breakdown_table, cost_table, migration_table, tier_table


class UsageError(WorkbenchError):
    """A command-line argument is wrong (exit status 2)."""


def _pairs(items: Sequence[str] | None, flag: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in items or ():
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"{flag} {item!r}: expected NAME=VALUE")
        out[key.strip()] = value.strip()
    return out


def _params(items: Sequence[str] | None) -> dict[str, float]:
    out = {}
    for key, value in _pairs(items, "--set").items():
        try:
            out[key] = parse_number(value)
        except ValueError:
            raise UsageError(f"--set {key}={value}: expected a number such as 300000, 300k or 30万") from None
    return out


# -- building the scenario from arguments -------------------------------------


def scenario_and_changes(args: argparse.Namespace) -> tuple[Scenario, dict[str, float], dict[str, str]]:
    """The scenario (a file as written, or a new one) and the --set / --option changes to it."""
    if getattr(args, "scenario", None):
        scenario = load_scenario(args.scenario)
        if args.scheme and args.scheme != scenario.scheme:
            raise UsageError(
                f"--scheme {args.scheme} differs from the scenario's scheme {scenario.scheme!r}; "
                "give a scenario or --scheme, not both"
            )
    else:
        scenario = Scenario(scheme=args.scheme or "industrial-bank")
    mapping = _pairs(getattr(args, "map", None), "--map")
    if args.portfolio:
        scenario.portfolio = PortfolioRef(
            path=str(Path(args.portfolio).resolve()), sheet=args.sheet, columns=mapping
        )
    else:
        if mapping:
            scenario.portfolio.columns.update(mapping)
        if args.sample_rows is not None or args.sample_seed is not None:
            scenario.portfolio = PortfolioRef(
                sample_rows=args.sample_rows or DEFAULT_ROWS,
                sample_seed=args.sample_seed if args.sample_seed is not None else DEFAULT_SEED,
            )
    return scenario, _params(args.set), _pairs(args.option, "--option")


def scenario_from_args(args: argparse.Namespace) -> Scenario:
    """The scenario given (if any) with the command line's changes applied."""
    scenario, params, options = scenario_and_changes(args)
    scenario.parameters.update(params)
    scenario.options.update(options)
    return scenario


# -- output ---------------------------------------------------------------


def emit(text: str, output: str | None) -> None:
    """Print ``text``, or write it atomically to ``output``."""
    if output and output != "-":
        atomic_write_text(output, text if text.endswith("\n") else text + "\n")
    else:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")


def print_notes(run: Run) -> None:
    for note in run.notes:
        print(f"note: {note}", file=sys.stderr)


def run_to_json(run: Run) -> dict[str, Any]:
    out = run.result.to_dict()
    out["scenario"] = {
        "name": run.scenario.display_name,
        "path": str(run.scenario.path) if run.scenario.path else None,
        "notes": run.scenario.notes,
    }
    out["portfolio"]["fingerprint"] = run.portfolio.fingerprint()
    out["notes"] = run.notes
    if run.comparison is not None:
        comparison = run.comparison.to_dict()
        out["baseline"] = comparison["baseline"]
        out["baseline"]["name"] = run.baseline_scenario.display_name if run.baseline_scenario else None
        out["delta_total_benefit_cost"] = comparison["delta_total_benefit_cost"]
        out["moved_customers"] = comparison["moved_customers"]
        out["migration"] = comparison["migration"]
        if run.comparison.same_tiers:
            dc, da, dk = (
                run.comparison.delta_customers(),
                run.comparison.delta_aum(),
                run.comparison.delta_cost(),
            )
            for i, tier in enumerate(out["tiers"]):
                tier["delta_customers"] = int(dc[i])
                tier["delta_aum"] = round(float(da[i]), 2)
                tier["delta_benefit_cost"] = round(float(dk[i]), 2)
    return out


def run_to_csv(run: Run) -> str:
    rows = []
    data = run_to_json(run)
    for tier in data["tiers"]:
        row = tier_csv_row(tier)
        rows.append(row)
    total = {
        "tier": "total",
        "name_en": "total",
        "name_zh": "合计",
        "customers": data["customers"],
        "share": 1.0,
        "aum": data["aum"],
        "aum_share": 1.0,
        "benefit_cost": data["total_benefit_cost"],
    }
    rows.append(total)
    buffer = io.StringIO()
    pd.DataFrame(rows).to_csv(buffer, index=False)
    return buffer.getvalue()


def run_to_text(run: Run, lang: str) -> str:
    parts = []
    scenario = run.scenario
    header = f"Scenario: {scenario.display_name}"
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


# -- commands ---------------------------------------------------------------


def cmd_schemes(args: argparse.Namespace, registry: Registry) -> int:
    if args.json:
        emit(json.dumps(schemes_json(registry), ensure_ascii=False, indent=2), None)
        return 0
    lines = []
    for scheme_id in sorted(registry.schemes):
        s = registry.schemes[scheme_id]
        lines.append(f"{s.id}  {s.name.en} / {s.name.zh}   (plugin {registry.scheme_plugin[s.id]})")
        lines.append("  tiers:      " + ", ".join(f"{t.id} ({t.name.zh})" for t in s.tiers))
        lines.append("  parameters: " + ", ".join(f"{p.id}={p.default:g}" for p in s.parameters))
        if s.options:
            lines.append(
                "  options:    "
                + ", ".join(
                    f"{o.id}=" + "|".join(c.value for c in o.choices) + f" (default {o.default})"
                    for o in s.options
                )
            )
        lines.append(
            "  columns:    "
            + ", ".join(s.required_columns)
            + (" (optional: " + ", ".join(s.optional_columns) + ")" if s.optional_columns else "")
        )
        lines.append("")
    if registry.disabled:
        lines.append(f"disabled by {DISABLE_ENV}: " + ", ".join(registry.disabled))
    if registry.failures:
        lines.append("plugin errors:")
        lines.extend(f"  {f.plugin} ({f.stage}): {f.message}" for f in registry.failures)
    if not registry.schemes:
        lines.append(f"no schemes installed (entry-point group {ENTRY_POINT_GROUP})")
    emit("\n".join(lines).rstrip(), None)
    return 0


def schemes_json(registry: Registry) -> dict[str, Any]:
    return {
        "schemes": [
            {
                "id": s.id,
                "name": {"en": s.name.en, "zh": s.name.zh},
                "plugin": registry.scheme_plugin[s.id],
                "source": s.source,
                "tiers": [{"id": t.id, "name": {"en": t.name.en, "zh": t.name.zh}} for t in s.tiers],
                "parameters": [
                    {
                        "id": p.id,
                        "name": {"en": p.name.en, "zh": p.name.zh},
                        "default": p.default,
                        "unit": p.unit,
                        "kind": p.kind,
                        "minimum": p.minimum,
                        "maximum": p.maximum,
                        "step": p.step,
                        "tier": s.tier_of_parameter(p.id),
                    }
                    for p in s.parameters
                ],
                "options": [
                    {
                        "id": o.id,
                        "name": {"en": o.name.en, "zh": o.name.zh},
                        "default": o.default,
                        "choices": list(o.values),
                    }
                    for o in s.options
                ],
                "required_columns": list(s.required_columns),
                "optional_columns": list(s.optional_columns),
                "benefits": [
                    {
                        "id": b.id,
                        "name": {"en": b.name.en, "zh": b.name.zh},
                        "driver": b.driver,
                        "tiers": list(b.tiers),
                    }
                    for b in s.benefits
                ],
            }
            for s in sorted(registry.schemes.values(), key=lambda s: s.id)
        ],
        "disabled": registry.disabled,
        "errors": [{"plugin": f.plugin, "stage": f.stage, "message": f.message} for f in registry.failures],
    }


def cmd_sample(args: argparse.Namespace, registry: Registry) -> int:
    if args.rows < 1:
        raise UsageError("--rows: expected at least 1")
    frame = generate_frame(args.rows, args.seed)
    path = write_portfolio(frame, args.output)
    print(f"wrote {len(frame):,} customers (seed {args.seed}) to {path}", file=sys.stderr)
    return 0


def qualified_by_labels(run: Run) -> np.ndarray:
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


def cmd_classify(args: argparse.Namespace, registry: Registry) -> int:
    session = Session(registry)
    scenario = scenario_from_args(args)
    run = session.run(scenario)
    print_notes(run)
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
    frame = pd.DataFrame(columns)
    output = args.output
    if output == "-":
        frame.to_csv(sys.stdout, index=False)
    else:
        if not output.lower().endswith(".csv"):
            raise UsageError(f"--output {output}: classify writes CSV; name a .csv file")
        from workbench.atomic import atomic_path

        with atomic_path(output) as tmp:
            frame.to_csv(tmp, index=False)
        print(f"wrote {len(frame):,} customers to {output}", file=sys.stderr)
    return 0


def cmd_simulate(args: argparse.Namespace, registry: Registry) -> int:
    session = Session(registry)
    scenario = scenario_from_args(args)
    baseline = load_scenario(args.baseline) if args.baseline else None
    run = session.run(scenario, baseline=baseline)
    print_notes(run)
    if args.format == "json":
        text = json.dumps(run_to_json(run), ensure_ascii=False, indent=2)
    elif args.format == "csv":
        text = run_to_csv(run)
    else:
        text = run_to_text(run, args.lang)
    emit(text, args.output)
    return 0


def _interactive() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


def run_tui(args: argparse.Namespace, registry: Registry) -> int:
    from workbench.tui import run

    scenario, params, options = scenario_and_changes(args)
    check = Scenario(
        **{
            **scenario.__dict__,
            "parameters": {**scenario.parameters, **params},
            "options": {**scenario.options, **options},
        }
    )
    # Report mistakes before the screen opens.
    Session(registry).settings(check, registry.scheme(check.scheme, check.where))
    run(scenario, params=params, options=options, lang=args.lang)
    return 0


def cmd_default(args: argparse.Namespace, registry: Registry) -> int:
    """Without a command: the workbench, or the default tiers when there is no terminal."""
    if _interactive():
        return run_tui(args, registry)
    print(
        "note: no terminal, so the tier table is printed; `workbench simulate` is the scripting command",
        file=sys.stderr,
    )
    run = Session(registry).run(scenario_from_args(args))
    print_notes(run)
    emit(run_to_text(run, args.lang), None)
    return 0


def _portfolio_override(args: argparse.Namespace) -> PortfolioRef | None:
    mapping = _pairs(getattr(args, "map", None), "--map")
    if args.portfolio:
        return PortfolioRef(path=str(Path(args.portfolio).resolve()), sheet=args.sheet, columns=mapping)
    if args.sample_rows is not None or args.sample_seed is not None:
        return PortfolioRef(
            sample_rows=args.sample_rows or DEFAULT_ROWS,
            sample_seed=args.sample_seed if args.sample_seed is not None else DEFAULT_SEED,
        )
    return None


def _output_format(args: argparse.Namespace, formats: dict[str, str]) -> str | None:
    """The report type of --output, checked against --format when both are given."""
    if not args.output:
        return None
    suffix = Path(args.output).suffix.lower()
    if suffix not in formats:
        raise UsageError(
            f"--output {args.output}: unsupported type {suffix or '(none)'}; use one of " + ", ".join(formats)
        )
    if args.format and formats[suffix] != args.format and args.format != "table":
        raise UsageError(f"--format {args.format} does not match --output {args.output}")
    return suffix


def cmd_compare(args: argparse.Namespace, registry: Registry) -> int:
    from workbench.comparing import comparison_json, comparison_rows, movers, run_all
    from workbench.reports import write_comparison
    from workbench.reports.comparison import markdown_report, text_report

    scenarios = [load_scenario(path) for path in args.scenarios]
    session = Session(registry)
    ref = _portfolio_override(args)
    portfolio = session.portfolio(ref, None) if ref else None
    runs = run_all(session, scenarios, portfolio=portfolio)
    for run in runs:
        print_notes(run)
    suffix = _output_format(
        args,
        {
            ".xlsx": "xlsx",
            ".html": "html",
            ".md": "markdown",
            ".csv": "csv",
            ".json": "json",
            ".txt": "table",
        },
    )
    per_customer = None
    if args.per_customer:
        if not suffix:
            raise UsageError("--per-customer writes a sheet of an Excel report: add --output FILE.xlsx")
        per_customer = movers(runs, args.lang, masked=args.mask_ids)
    if suffix:
        path = write_comparison(runs, args.output, args.lang, per_customer)
        print(f"wrote {path}", file=sys.stderr)
        return 0
    fmt_ = args.format or "table"
    if fmt_ == "json":
        text = json.dumps(comparison_json(runs), ensure_ascii=False, indent=2)
    elif fmt_ == "csv":
        buffer = io.StringIO()
        pd.DataFrame(comparison_rows(runs)).to_csv(buffer, index=False)
        text = buffer.getvalue()
    elif fmt_ == "markdown":
        text = markdown_report(runs, args.lang)
    else:
        text = text_report(runs, args.lang)
    emit(text, None)
    return 0


def _engine_and_settings(args: argparse.Namespace, registry: Registry):
    session = Session(registry)
    scenario = scenario_from_args(args)
    portfolio = session.portfolio(scenario.portfolio, scenario.base_dir)
    scheme = registry.scheme(scenario.scheme, scenario.where)
    engine = session.engine(scheme, portfolio)
    settings = session.settings(scenario, scheme)
    where = scenario.where
    resolve_assumptions(scheme, engine.drivers, settings.costs, where=where)
    for note in portfolio_notes(portfolio, scheme, engine.defaulted):
        print(f"note: {note}", file=sys.stderr)
    return session, scenario, engine, settings


def cmd_sweep(args: argparse.Namespace, registry: Registry) -> int:
    from workbench.reports import write_sweep
    from workbench.reports.sweeping import rows, text_report
    from workbench.sweep import sweep

    _, _, engine, settings = _engine_and_settings(args, registry)
    try:
        start, stop = parse_number(args.start), parse_number(args.stop)
    except ValueError as exc:
        raise UsageError(f"--from/--to: {exc} is not a number") from None
    result = sweep(engine, settings, args.param, start, stop, args.steps)
    suffix = _output_format(
        args,
        {
            ".xlsx": "xlsx",
            ".html": "html",
            ".png": "png",
            ".md": "markdown",
            ".csv": "csv",
            ".json": "json",
            ".txt": "table",
        },
    )
    if suffix:
        path = write_sweep(result, args.output, args.lang)
        print(f"wrote {path}", file=sys.stderr)
        return 0
    if args.format == "json":
        emit(json.dumps(result.to_dict(), ensure_ascii=False, indent=2), None)
    elif args.format == "csv":
        buffer = io.StringIO()
        pd.DataFrame(rows(result)).to_csv(buffer, index=False)
        emit(buffer.getvalue(), None)
    else:
        emit(text_report(result, args.lang), None)
    return 0


def cmd_solve(args: argparse.Namespace, registry: Registry) -> int:
    from workbench.scenario import save_scenario
    from workbench.solve import Solver, describe, parse_target

    if bool(args.target) == (args.budget is not None):
        raise UsageError("give --target TIER=PERCENT (one or more) or --budget CNY, not both")
    if not args.output.lower().endswith(".toml"):
        raise UsageError(f"--output {args.output}: solve writes a scenario; name a .toml file")
    _, scenario, engine, settings = _engine_and_settings(args, registry)
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
    )
    save_scenario(solved, out)
    if args.format == "json":
        emit(
            json.dumps(
                {
                    "reached": outcome.reached,
                    "output": str(out),
                    "changed": {k: {"from": a, "to": b} for k, (a, b) in outcome.changed.items()},
                    "parameters": outcome.params,
                    "total_benefit_cost": round(outcome.result.total_benefit_cost, 2),
                    "messages": outcome.lines,
                },
                ensure_ascii=False,
                indent=2,
            ),
            None,
        )
    else:
        emit(describe(outcome) + f"\nwrote {out}", None)
    return 0


def cmd_explain(args: argparse.Namespace, registry: Registry) -> int:
    from workbench.explain import differences, explain

    session, scenario, engine, settings = _engine_and_settings(args, registry)
    first = explain(engine, settings, args.customer, scenario.display_name, masked=args.mask)
    second = None
    if args.vs:
        other = load_scenario(args.vs)
        other_scheme = registry.scheme(other.scheme)
        other_engine = session.engine(other_scheme, engine.portfolio)
        second = explain(
            other_engine,
            session.settings(other, other_scheme),
            args.customer,
            other.display_name,
            masked=args.mask,
        )
    if args.format == "json":
        data = {"customer": first.to_dict()}
        if second is not None:
            data["vs"] = second.to_dict()
            data["differences"] = differences(first, second)
        emit(json.dumps(data, ensure_ascii=False, indent=2), None)
        return 0
    lines = first.lines(args.lang)
    if second is not None:
        lines += [
            "",
            *second.lines(args.lang),
            "",
            "Why it differs:",
            *("  " + d for d in differences(first, second)),
        ]
    emit("\n".join(lines), None)
    return 0


def cmd_open(args: argparse.Namespace, registry: Registry) -> int:
    """Open a scenario in the workbench."""
    if not _interactive():
        raise UsageError("`workbench open` needs a terminal; use `workbench simulate` in scripts")
    return run_tui(args, registry)


# -- parser -------------------------------------------------------------------


def _scenario_arguments(p: argparse.ArgumentParser, positional: bool = True) -> None:
    if positional:
        p.add_argument("scenario", nargs="?", help="a scenario TOML file")
    p.add_argument("--scheme", help="scheme id (see `workbench schemes`)")
    p.add_argument(
        "--portfolio",
        metavar="FILE",
        help="portfolio file: .csv, .xlsx or .parquet (default: the built-in sample)",
    )
    p.add_argument("--sheet", help="sheet name of an .xlsx portfolio (default: the first)")
    p.add_argument(
        "--map",
        action="append",
        metavar="HEADER=COLUMN",
        help="map a file header to a canonical column (repeatable)",
    )
    p.add_argument("--sample-rows", type=int, metavar="N", help="size of the built-in sample")
    p.add_argument("--sample-seed", type=int, metavar="S", help="seed of the built-in sample")
    p.add_argument(
        "--set",
        action="append",
        metavar="PARAM=VALUE",
        help="set a parameter, e.g. platinum_personal=500k (repeatable)",
    )
    p.add_argument(
        "--option",
        action="append",
        metavar="NAME=VALUE",
        help="set an option, e.g. household_basis=sum (repeatable)",
    )
    p.add_argument(
        "--lang", choices=("en", "zh"), default="en", help="language of labels and money in tables"
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="workbench",
        description="Tiering Workbench: tune bank customer tiering schemes and see tiers, AUM and "
        "benefit costs move. Without a command, opens the workbench on the built-in sample "
        "(or --portfolio FILE).",
    )
    parser.add_argument("--version", action="version", version=f"workbench {__version__}")
    _scenario_arguments(parser, positional=False)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("open", help="open a scenario in the workbench")
    _scenario_arguments(p)

    p = sub.add_parser("schemes", help="list installed schemes and plugin errors")
    p.add_argument("--json", action="store_true", help="machine-readable output")

    p = sub.add_parser("sample", help="write the synthetic sample portfolio")
    p.add_argument("--rows", type=int, default=DEFAULT_ROWS, help=f"customers (default {DEFAULT_ROWS:,})")
    p.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})")
    p.add_argument("--output", required=True, metavar="FILE", help="output file: .csv, .parquet or .xlsx")

    p = sub.add_parser("classify", help="each customer's tier, as CSV")
    _scenario_arguments(p)
    p.add_argument("--output", required=True, metavar="FILE.csv", help="output CSV file ('-' for stdout)")
    p.add_argument("--mask-ids", action="store_true", help="mask customer ids (C0*****45) in the output")

    p = sub.add_parser("simulate", help="per-tier customers, AUM and benefit costs")
    _scenario_arguments(p)
    p.add_argument(
        "--baseline", metavar="SCENARIO.toml", help="compare with this scenario (migration matrix)"
    )
    p.add_argument("--format", choices=("table", "json", "csv"), default="table")
    p.add_argument("--output", metavar="FILE", help="write to a file instead of stdout")

    p = sub.add_parser("compare", help="scenarios side by side, with reports")
    p.add_argument(
        "scenarios", nargs="+", metavar="SCENARIO.toml", help="scenarios; the first is the reference"
    )
    p.add_argument("--portfolio", metavar="FILE", help="run every scenario on this portfolio")
    p.add_argument("--sheet", help="sheet name of an .xlsx portfolio")
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
    p.add_argument("--mask-ids", action="store_true", help="mask customer ids (C0*****45) in the output")

    p = sub.add_parser("sweep", help="figures at each value of one parameter")
    _scenario_arguments(p)
    p.add_argument("--param", required=True, metavar="NAME", help="the parameter to sweep")
    p.add_argument("--from", dest="start", required=True, metavar="X", help="first value (300k, 30万 work)")
    p.add_argument("--to", dest="stop", required=True, metavar="Y", help="last value")
    p.add_argument("--steps", type=int, default=21, metavar="N", help="number of values (default 21)")
    p.add_argument("--format", choices=("table", "json", "csv"), default="table")
    p.add_argument("--output", metavar="FILE", help="report file: .html, .png, .xlsx, .md, .csv, .json, .txt")

    p = sub.add_parser("solve", help="find thresholds for a target share or a cost budget")
    _scenario_arguments(p)
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

    p = sub.add_parser("explain", help="why a customer is in their tier")
    _scenario_arguments(p)
    p.add_argument("--customer", required=True, metavar="ID", help="the customer key")
    p.add_argument("--vs", metavar="OTHER.toml", help="explain why the tier differs in another scenario")
    p.add_argument(
        "--mask-ids", "--mask", dest="mask", action="store_true", help="mask the customer id in the output"
    )
    p.add_argument("--format", choices=("table", "json"), default="table")
    return parser


COMMANDS = {
    "compare": cmd_compare,
    "sweep": cmd_sweep,
    "solve": cmd_solve,
    "explain": cmd_explain,
    "open": cmd_open,
    "schemes": cmd_schemes,
    "sample": cmd_sample,
    "classify": cmd_classify,
    "simulate": cmd_simulate,
}


def main(argv: Sequence[str] | None = None, registry: Registry | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if registry is None:
            from workbench.plugins import default_registry

            registry = default_registry()
        for failure in registry.failures if args.command not in ("schemes",) else ():
            print(f"warning: plugin {failure.plugin} not loaded: {failure.message}", file=sys.stderr)
        command = COMMANDS.get(args.command, cmd_default)
        return command(args, registry)
    except UsageError as exc:
        parser.print_usage(sys.stderr)
        print(f"workbench: error: {exc}", file=sys.stderr)
        return 2
    except WorkbenchError as exc:
        print(f"workbench: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("workbench: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except OSError as exc:  # an output folder that is missing, a disk that is full, ...
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"workbench: error: {where}{exc.strerror or exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
