"""The workbench itself: ``workbench`` without a command, and ``workbench open``."""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace

from workbench.cli.common import (
    UsageError,
    emit,
    interactive,
    print_notes,
    scenario_and_changes,
    scenario_arguments,
    scenario_from_args,
)
from workbench.cli.simulate import run_text
from workbench.planning.runs import Session
from workbench.scheme.registry import Registry

HELP = "open a scenario in the workbench"


def add_arguments(p: argparse.ArgumentParser) -> None:
    scenario_arguments(p)


def run_tui(args: argparse.Namespace, registry: Registry) -> int:
    from workbench.tui import run

    scenario, params, options = scenario_and_changes(args)
    check = replace(
        scenario,
        parameters={**scenario.parameters, **params},
        options={**scenario.options, **options},
    )
    # Report mistakes before the screen opens.
    Session(registry).settings(check, registry.scheme(check.scheme, check.where, check.scheme_file_path()))
    run(scenario, params=params, options=options, lang=args.lang)
    return 0


def run_default(args: argparse.Namespace, registry: Registry) -> int:
    """Without a command: the workbench, or the default tiers when there is no terminal."""
    if interactive():
        return run_tui(args, registry)
    print(
        "note: no terminal, so the tier table is printed; `workbench simulate` is the scripting command",
        file=sys.stderr,
    )
    result = Session(registry).run(scenario_from_args(args))
    print_notes(result, args.lang)
    emit(run_text(result, args.lang), None)
    return 0


def run(args: argparse.Namespace, registry: Registry) -> int:
    """``workbench open``: a scenario in the workbench."""
    if not interactive():
        raise UsageError("`workbench open` needs a terminal; use `workbench simulate` in scripts")
    return run_tui(args, registry)
