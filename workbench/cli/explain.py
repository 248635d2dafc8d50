"""``workbench explain``: why a customer is in their tier, and why it differs in another
scenario."""

from __future__ import annotations

import argparse
from typing import Any

from workbench.cli.common import emit, engine_and_settings, mask_arguments, scenario_arguments
from workbench.files.scenarios import load_scenario
from workbench.planning.explain import explain
from workbench.present.explaining import differences, explanation_lines
from workbench.present.shapes import explanation_json, to_json
from workbench.scheme.registry import Registry

HELP = "why a customer is in their tier"


def add_arguments(p: argparse.ArgumentParser) -> None:
    scenario_arguments(p)
    p.add_argument("--customer", required=True, metavar="ID", help="the customer key")
    p.add_argument("--vs", metavar="OTHER.toml", help="explain why the tier differs in another scenario")
    mask_arguments(p, aliases=("--mask",))
    p.add_argument("--format", choices=("table", "json"), default="table")


def run(args: argparse.Namespace, registry: Registry) -> int:
    session, scenario, engine, settings = engine_and_settings(args, registry)
    first = explain(engine, settings, args.customer, scenario.display_name, masked=args.mask_ids)
    second = None
    if args.vs:
        other = load_scenario(args.vs)
        other_scheme = registry.scheme(other.scheme, other.where, other.scheme_file_path())
        other_engine = session.engine(other_scheme, engine.portfolio)
        second = explain(
            other_engine,
            session.settings(other, other_scheme),
            args.customer,
            other.display_name,
            masked=args.mask_ids,
        )
    if args.format == "json":
        data: dict[str, Any] = {"customer": explanation_json(first)}
        if second is not None:
            data["vs"] = explanation_json(second)
            data["differences"] = differences(first, second)
        emit(to_json(data), None)
        return 0
    lines = explanation_lines(first, args.lang)
    if second is not None:
        lines += [
            "",
            *explanation_lines(second, args.lang),
            "",
            "Why it differs:",
            *("  " + d for d in differences(first, second)),
        ]
    emit("\n".join(lines), None)
    return 0
