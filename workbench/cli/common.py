"""What every command shares: the scenario from the arguments, output, and the words of
the command line (flag names in messages, the column-mapping hint)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path

from workbench.core.engine import Engine
from workbench.core.settings import Settings
from workbench.errors import UnmappedColumns, WorkbenchError
from workbench.files.atomic import atomic_write_text
from workbench.files.sample import DEFAULT_ROWS, DEFAULT_SEED
from workbench.files.scenarios import PortfolioRef, Scenario, load_scenario
from workbench.fmt import parse_number
from workbench.planning.runs import Run, Session, portfolio_notes
from workbench.scheme.registry import Registry

# The command line's name for each input a library error may name (``WorkbenchError.field``).
FLAGS = {
    "steps": "--steps",
    "range": "--from/--to",
    "param": "--param",
    "target": "--target",
    "vary": "--vary",
    "budget": "--budget",
    "output": "--output",
}


class UsageError(WorkbenchError):
    """A command-line argument is wrong (exit status 2)."""


def mapping_hint(suggested: Mapping[str, str]) -> str:
    """How to apply suggested mappings, on the command line and in a scenario."""
    if not suggested:
        return ""
    pairs = list(suggested.items())
    guesses = ", ".join(f"{h!r} -> {c}" for h, c in pairs)
    flags = " ".join(f"--map '{h}={c}'" for h, c in pairs)
    toml = "; ".join(f'"{h}" = "{c}"' for h, c in pairs)
    return f"; perhaps {guesses}: pass {flags}, or add {toml} to the scenario's [portfolio.columns]"


def error_text(exc: WorkbenchError) -> str:
    """A library error in the command line's words: the flag named, the mapping hint added."""
    if isinstance(exc, UnmappedColumns):
        hint = mapping_hint(exc.suggested)
        if not hint and exc.unrecognised and exc.missing != ["customer_id"]:
            hint = " (map them in the scenario's [portfolio.columns] or with --map)"
        return exc.base + hint + "".join(f"; {note}" for note in exc.notes)
    flag = FLAGS.get(exc.field or "")
    if flag is None:
        return str(exc)
    return f"{flag} {exc}" if exc.value else f"{flag}: {exc}"


def pairs(items: Sequence[str] | None, flag: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in items or ():
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"{flag} {item!r}: expected NAME=VALUE")
        out[key.strip()] = value.strip()
    return out


def parameter_values(items: Sequence[str] | None) -> dict[str, float]:
    out = {}
    for key, value in pairs(items, "--set").items():
        try:
            out[key] = parse_number(value)
        except ValueError:
            raise UsageError(f"--set {key}={value}: expected a number such as 300000, 300k or 30万") from None
    return out


def portfolio_override(args: argparse.Namespace) -> PortfolioRef | None:
    """The portfolio the arguments name (``--portfolio`` or ``--sample-rows/--sample-seed``)."""
    mapping = pairs(getattr(args, "map", None), "--map")
    if args.portfolio:
        return PortfolioRef(path=str(Path(args.portfolio).resolve()), sheet=args.sheet, columns=mapping)
    if args.sample_rows is not None or args.sample_seed is not None:
        return PortfolioRef(
            sample_rows=args.sample_rows or DEFAULT_ROWS,
            sample_seed=args.sample_seed if args.sample_seed is not None else DEFAULT_SEED,
        )
    return None


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
    override = portfolio_override(args)
    if override is not None:
        scenario = replace(scenario, portfolio=override)
    else:
        mapping = pairs(getattr(args, "map", None), "--map")
        if mapping:
            columns = {**scenario.portfolio.columns, **mapping}
            scenario = replace(scenario, portfolio=replace(scenario.portfolio, columns=columns))
    return scenario, parameter_values(args.set), pairs(args.option, "--option")


def scenario_from_args(args: argparse.Namespace) -> Scenario:
    """The scenario given (if any) with the command line's changes applied."""
    scenario, params, options = scenario_and_changes(args)
    return replace(
        scenario,
        parameters={**scenario.parameters, **params},
        options={**scenario.options, **options},
    )


def engine_and_settings(
    args: argparse.Namespace, registry: Registry
) -> tuple[Session, Scenario, Engine, Settings]:
    """The scenario of the arguments, its engine on its portfolio, and its checked settings;
    notes on how the portfolio was read go to stderr."""
    session = Session(registry)
    scenario = scenario_from_args(args)
    portfolio = session.portfolio(scenario.portfolio, scenario.base_dir)
    scheme = registry.scheme(scenario.scheme, scenario.where)
    engine = session.engine(scheme, portfolio)
    settings = session.settings(scenario, scheme)
    for note in portfolio_notes(portfolio, scheme, engine.defaulted):
        print(f"note: {note}", file=sys.stderr)
    return session, scenario, engine, settings


def emit(text: str, output: str | None) -> None:
    """Print ``text``, or write it atomically to ``output``."""
    if output and output != "-":
        atomic_write_text(output, text if text.endswith("\n") else text + "\n")
    else:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")


def print_notes(run: Run) -> None:
    for note in run.notes:
        print(f"note: {note}", file=sys.stderr)


def output_format(args: argparse.Namespace, formats: dict[str, str]) -> str | None:
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


def interactive() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


def scenario_arguments(p: argparse.ArgumentParser, positional: bool = True) -> None:
    """The arguments that say which scenario, scheme, portfolio and changes."""
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
