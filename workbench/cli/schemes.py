"""``workbench schemes``: the installed schemes and scheme files, their ids, parameters and
rules, plugin and file errors; ``--export ID`` writes a scheme as a scheme file."""

from __future__ import annotations

import argparse

import tomli_w

from workbench.cli.common import UsageError, emit, interactive, refuse_overwriting_inputs, resolved
from workbench.core.policy import Policy
from workbench.present.conditions import tier_sentence
from workbench.present.shapes import schemes_json, to_json
from workbench.present.words import word
from workbench.scheme.exporting import scheme_data
from workbench.scheme.registry import DISABLE_ENV, ENTRY_POINT_GROUP, Registry
from workbench.scheme.scheme_files import SCHEMES_ENV
from workbench.text import Lang

HELP = "list installed schemes and scheme files, plugin errors; export a scheme as a file"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument(
        "--scheme-file", metavar="FILE", action="append", help="read this scheme file too (repeatable)"
    )
    p.add_argument("--export", metavar="ID", help="write scheme ID as a scheme file (TOML)")
    p.add_argument(
        "--output", metavar="FILE", help="with --export: the file to write (default: standard output)"
    )
    p.add_argument("--force", action="store_true", help="with --export: replace an existing --output file")


def _shown(value: object) -> str:
    return ",".join(map(str, value)) if isinstance(value, list) else str(value)


def export(args: argparse.Namespace, registry: Registry) -> int:
    scheme = registry.scheme(args.export)
    text = "# Exported by `workbench schemes --export`; docs/scheme-files.md explains every key.\n"
    text += tomli_w.dumps(scheme_data(scheme), multiline_strings=True)
    if args.output and args.output != "-":
        target = resolved(args.output)
        refuse_overwriting_inputs(args.output, [("scheme file", p) for p in registry.scheme_files.values()])
        if target.exists() and not args.force:
            hint = "" if interactive() else " (no terminal to ask)"
            raise UsageError(f"--output {args.output}: the file exists{hint}; pass --force to replace it")
    emit(text, args.output)
    return 0


def run(args: argparse.Namespace, registry: Registry) -> int:
    for path in args.scheme_file or ():
        registry.add_file(resolved(path))
    if args.export:
        return export(args, registry)
    if args.output:
        raise UsageError("--output goes with --export ID")
    if args.json:
        emit(to_json(schemes_json(registry)), None)
        return 0
    emit(listing(registry, args.lang), None)
    return 0


def listing(registry: Registry, lang: Lang) -> str:
    """Every scheme with its tiers, rules, parameters, options, policy and columns, then what
    did not load, in ``lang`` (ids, keys and values as the files and plugins spell them)."""

    def w(key: str, **values: object) -> str:
        return word(f"schemes.{key}", lang, **values)

    lines = []
    for scheme_id in sorted(registry.schemes):
        s = registry.schemes[scheme_id]
        origin = registry.scheme_plugin[s.id]
        origin = w("file", path=origin[5:]) if origin.startswith("file ") else w("plugin", name=origin)
        lines.append(f"{s.id}  {s.name.en} / {s.name.zh}   ({origin})")
        lines.append(w("tiers") + ", ".join(f"{t.id} ({t.name.zh})" for t in s.tiers))
        for t in reversed(s.tiers[1:]):
            lines.append("    " + tier_sentence(s, t, s.default_params, lang, s.default_options))
        lines.append(w("parameters") + ", ".join(f"{p.id}={p.default:g}" for p in s.parameters))
        if s.options:
            choices = (
                f"{o.id}=" + "|".join(c.value for c in o.choices) + w("default", value=o.default)
                for o in s.options
            )
            lines.append(w("options") + ", ".join(choices))
        policy = Policy.default(s).as_dict()
        lines.append(w("policy") + ", ".join(f"{k}={_shown(v)}" for k, v in policy.items()))
        optional = w("optional", columns=", ".join(s.optional_columns)) if s.optional_columns else ""
        lines.append(w("columns") + ", ".join(s.required_columns) + optional)
        lines.append("")
    if registry.disabled:
        lines.append(w("disabled", env=DISABLE_ENV, ids=", ".join(registry.disabled)))
    if registry.folder is not None:
        lines.append(w("folder", path=registry.folder, env=SCHEMES_ENV))
    if registry.failures:
        lines.append(w("errors"))
        lines.extend(f"  {f.plugin} ({f.stage}): {f.in_lang(lang)}" for f in registry.failures)
    if not registry.schemes:
        lines.append(w("none", group=ENTRY_POINT_GROUP))
    return "\n".join(lines).rstrip()
