"""``workbench replay``: every month of a panel portfolio under a scheme and its evaluation
policy (docs/replay.md)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from workbench.cli.common import (
    UsageError,
    cluster_for,
    emit,
    engine_arguments,
    pairs,
    refuse_overwriting_inputs,
    resolved,
    sayer,
    scenario_arguments,
    scenario_from_args,
)
from workbench.core.policy import Policy
from workbench.core.replay import Replay, replay
from workbench.files.panel import load_panel, monthly_files
from workbench.files.scenarios import Scenario, load_scenario
from workbench.planning.runs import Session
from workbench.present.replaying import (
    customer_json,
    customer_table,
    months_table,
    quarters_table,
    replay_json,
)
from workbench.present.shapes import to_json
from workbench.present.words import word
from workbench.reports.replaying import REPLAY_FORMATS, write_replay
from workbench.scale.cluster import ClusterSpec
from workbench.scale.replaying import MonthReading, cluster_replay
from workbench.scheme.registry import Registry
from workbench.text import Text

HELP = "replay every month of a panel portfolio under the evaluation policy"


def add_arguments(p: argparse.ArgumentParser) -> None:
    scenario_arguments(p)
    p.add_argument(
        "--policy",
        action="append",
        metavar="KEY=VALUE",
        help="an evaluation-policy key: window_months, downgrade_after_months, retention_ratio, "
        "downgrade_months (comma-separated months, e.g. 3,6,9,12); repeatable",
    )
    p.add_argument("--baseline", metavar="SCENARIO.toml", help="the same months under this scenario too")
    p.add_argument(
        "--customer",
        metavar="ID",
        help="one customer's months: the metric, the tier the rules give, held, and why",
    )
    p.add_argument("--format", choices=("table", "json"), default="table")
    engine_arguments(p)
    p.add_argument(
        "--output",
        metavar="FILE",
        help="write to a file: .xlsx or .html (a report with a chart), else the table or JSON",
    )


def replayed(
    scenario: Scenario,
    registry: Registry,
    policy_changes: dict[str, str],
    panel_path: str,
    spec: ClusterSpec | None = None,
    say: Callable[[Text], object] = print,
) -> Replay:
    session = Session(registry)
    scheme = registry.scheme(scenario.scheme, scenario.where, scenario.scheme_file_path())
    settings = session.settings(scenario, scheme)
    policy = Policy.checked(scheme, {**scenario.policy, **policy_changes}, scenario.where)
    ref = scenario.portfolio
    if spec is not None:  # on a cluster: a folder of monthly files, shuffled by household
        path = Path(panel_path)
        if not path.is_dir():
            raise UsageError(
                f"--portfolio {ref.path}: on a cluster, a panel is a folder of monthly files "
                "(2026-01.parquet, ...)",
                zh=f"--portfolio {ref.path}:在集群上,按月名单应为每月一个文件的文件夹(2026-01.parquet 等)",
            )
        files = tuple(monthly_files(path))
        reading = MonthReading(
            path.name, files, dict(ref.columns), tuple(scheme.new_columns), ref.unit, ref.decimal
        )
        return cluster_replay(reading, scheme, settings, policy, registry.drivers, spec, say)
    panel = load_panel(
        panel_path, mapping=ref.columns, sheet=ref.sheet, extra_columns=scheme.new_columns,
        unit=ref.unit, decimal=ref.decimal, columns=scheme.columns,  # only what the scheme reads
    )  # fmt: skip
    return replay(scheme, panel.months, panel.portfolios, settings, policy, registry.drivers)


def run(args: argparse.Namespace, registry: Registry) -> int:
    scenario = scenario_from_args(args)
    if scenario.portfolio.is_sample:
        raise UsageError(
            "replay needs a panel: --portfolio FILE with a month column, or a folder of monthly files "
            "(make one with `workbench sample --months 12 --output panel.parquet`)"
        )
    panel = str(scenario.portfolio.resolve(scenario.base_dir))
    refuse_overwriting_inputs(args.output, [("portfolio", resolved(panel))])
    changes = pairs(args.policy, "--policy")
    spec = (
        None
        if args.engine == "auto" and args.cluster == "local"
        else cluster_for(args, scenario.portfolio, None)
    )
    if spec is not None and args.customer:
        raise UsageError(
            "--customer explains one customer's months, which needs the panel in memory: --engine memory",
            zh="--customer 解释一位客户的各月,需要按月名单在内存中:请用 --engine memory",
        )
    say = sayer(args.lang)
    result = replayed(scenario, registry, changes, panel, spec, say)
    baseline = None
    if args.baseline:
        other = load_scenario(args.baseline)
        other = replace(other, portfolio=scenario.portfolio)
        baseline = replayed(other, registry, changes, panel, spec, say)
    if args.output and Path(args.output).suffix.lower() in REPLAY_FORMATS and not args.customer:
        path = write_replay(result, resolved(args.output), args.lang)
        print(f"wrote {path}", file=sys.stderr)
        return 0
    index = None
    if args.customer:
        index = result.customer(args.customer)
        if index is None:
            raise UsageError(
                Text(
                    f"--customer {args.customer}: not in the panel {panel}",
                    f"--customer {args.customer}:不在 {panel} 中",
                )
            )
    if args.format == "json":
        data = replay_json(result, baseline)
        if index is not None:
            data["customer"] = {"customer_id": args.customer, "months": customer_json(result, index)}
        emit(to_json(data), args.output)
        return 0
    if index is not None:
        emit(customer_table(result, index, args.lang).render(), args.output)
        return 0
    parts = [months_table(result, args.lang).render()]
    if result.quarters:
        parts.append(quarters_table(result, args.lang).render())
    if baseline is not None:
        name = other.display_name
        parts.append(word("replay.baseline", args.lang, name=name))
        parts.append(months_table(baseline, args.lang).render())
    emit("\n\n".join(parts), args.output)
    return 0
