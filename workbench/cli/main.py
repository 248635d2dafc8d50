"""The ``workbench`` command (``docs/cli.md``): the parser and the way errors end a run.

Command names, options and JSON shapes are an interface planners' scripts
depend on: add to them, never rename. User mistakes exit with status 1 and a
one-paragraph message on stderr, never a traceback; usage errors exit 2;
Ctrl+C exits 130.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from types import ModuleType

from workbench import __version__
from workbench.cli import classify, compare, explain, sample, schemes, simulate, solve, sweep, tui
from workbench.cli.common import UsageError, error_text, scenario_arguments
from workbench.errors import WorkbenchError
from workbench.scheme.registry import Registry

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
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="workbench",
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
        for failure in registry.failures if args.command != "schemes" else ():
            print(f"warning: plugin {failure.plugin} not loaded: {failure.message}", file=sys.stderr)
        module = COMMANDS.get(args.command)
        return module.run(args, registry) if module else tui.run_default(args, registry)
    except UsageError as exc:
        parser.print_usage(sys.stderr)
        print(f"workbench: error: {exc}", file=sys.stderr)
        return 2
    except WorkbenchError as exc:
        print(f"workbench: error: {error_text(exc)}", file=sys.stderr)
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
