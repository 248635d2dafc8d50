"""The ``workbench`` command (``docs/cli.md``): the parser and the way errors end a run.

Command names, options and JSON shapes are an interface planners' scripts
depend on: add to them, never rename. User mistakes exit with status 1 and a
one-paragraph message on stderr, never a traceback; usage errors exit 2;
Ctrl+C exits 130.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from types import ModuleType

from workbench import __version__
from workbench.cli import (
    classify,
    compare,
    explain,
    replay,
    sample,
    schemes,
    serve,
    simulate,
    solve,
    sweep,
    tui,
)
from workbench.cli.common import UsageError, apply_mask_key, error_text, scenario_arguments
from workbench.errors import WorkbenchError
from workbench.scheme.registry import Registry
from workbench.text import Lang

# One module per command, in the order `workbench --help` lists them.
COMMANDS: dict[str, ModuleType] = {
    "open": tui,
    "schemes": schemes,
    "sample": sample,
    "classify": classify,
    "simulate": simulate,
    "compare": compare,
    "sweep": sweep,
    "solve": solve,
    "explain": explain,
    "replay": replay,
    "serve": serve,
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="workbench",
        allow_abbrev=False,  # "simulate --sample 1%" is not an abbreviation of --sample-rows
        description="Tiering Workbench: tune bank customer tiering schemes and see tiers, AUM and "
        "benefit costs move. Without a command, opens the workbench on the built-in sample "
        "(or --portfolio FILE).",
    )
    parser.add_argument("--version", action="version", version=f"workbench {__version__}")
    scenario_arguments(parser, positional=False)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, module in COMMANDS.items():
        module.add_arguments(sub.add_parser(name, help=module.HELP))
    return parser


def main(argv: Sequence[str] | None = None, registry: Registry | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if registry is None:
            from workbench.scheme.registry import default_registry

            registry = default_registry()
        lang: Lang = "zh" if getattr(args, "lang", "en") == "zh" else "en"
        for failure in registry.failures if args.command != "schemes" else ():
            said = failure.in_lang(lang)
            if lang == "zh":
                print(f"警告:插件 {failure.plugin} 未加载:{said}", file=sys.stderr)
            else:
                print(f"warning: plugin {failure.plugin} not loaded: {said}", file=sys.stderr)
        apply_mask_key(args)
        module = COMMANDS.get(args.command)
        code = module.run(args, registry) if module else tui.run_default(args, registry)
        if sys.stdout is not None:
            sys.stdout.flush()  # a full disk or a closed pipe is an error now, not a silent loss
        return code
    except UsageError as exc:
        parser.print_usage(sys.stderr)
        print(f"workbench: error: {exc.in_lang(getattr(args, 'lang', 'en'))}", file=sys.stderr)
        return 2
    except WorkbenchError as exc:
        print(f"workbench: error: {error_text(exc, getattr(args, 'lang', 'en'))}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("workbench: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader stopped (``| head``): what it read is what it wanted
        _drop_stdout()
        return 0
    except OSError as exc:  # standard output on a full disk, ...
        where = f"{exc.filename}: " if exc.filename else "standard output: "
        print(f"workbench: error: {where}cannot be written ({exc.strerror or exc})", file=sys.stderr)
        _drop_stdout()
        return 1


def _drop_stdout() -> None:
    """Point standard output at the null device, so that the interpreter's last flush of
    what could not be written stays quiet."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
    except (OSError, AttributeError, ValueError):
        pass


if __name__ == "__main__":
    sys.exit(main())
