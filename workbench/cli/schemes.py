"""``workbench schemes``: the installed schemes, their ids and parameters, plugin errors."""

from __future__ import annotations

import argparse

from workbench.cli.common import emit
from workbench.present.shapes import schemes_json, to_json
from workbench.scheme.registry import DISABLE_ENV, ENTRY_POINT_GROUP, Registry

HELP = "list installed schemes and plugin errors"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help="machine-readable output")


def run(args: argparse.Namespace, registry: Registry) -> int:
    if args.json:
        emit(to_json(schemes_json(registry)), None)
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
