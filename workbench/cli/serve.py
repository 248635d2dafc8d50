"""``workbench serve``: the workbench in a browser, one workbench per tab (docs/serve.md).

Safe by default: it binds to 127.0.0.1, and every request needs the access token printed
in the address. Another address also needs ``--root DIR``: every file the browser user
opens, saves or exports then stays inside that folder."""

from __future__ import annotations

import argparse
import os
import shlex
import sys
from dataclasses import replace
from pathlib import Path

from workbench.cli.common import UsageError, resolved, scenario_and_changes, scenario_arguments
from workbench.files import confine
from workbench.planning.runs import Session
from workbench.present.words import word
from workbench.scheme.registry import Registry

HELP = "serve the workbench to web browsers (each tab its own workbench)"
MIN_TOKEN = 16


def add_arguments(p: argparse.ArgumentParser) -> None:
    scenario_arguments(p)
    p.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine only)"
    )
    p.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    p.add_argument(
        "--root",
        metavar="DIR",
        help="the folder every file the browser user opens, saves or exports stays in (needed off 127.0.0.1)",
    )
    p.add_argument(
        "--token", help=f"the access token (default: a new random one; at least {MIN_TOKEN} characters)"
    )
    p.add_argument(
        "--public-url",
        metavar="URL",
        help="the address browsers use, behind a reverse proxy (e.g. https://wb.bank.example/tiering)",
    )


def _absolute(value: str | None, root: Path | None, what: str) -> str | None:
    """A path argument made absolute for the workbench processes, inside ``root``."""
    if value is None:
        return None
    path = resolved(value)
    if root is not None and not confine.inside(path, root):
        raise UsageError(f"{what} {value}: outside --root {root}")
    return str(path)


def tab_command(args: argparse.Namespace, root: Path | None) -> list[str]:
    """The command each browser tab runs: this workbench with the same arguments."""
    out = [sys.executable, "-m", "workbench", "open"]
    scenario = _absolute(args.scenario, root, "scenario")
    if scenario:
        out.append(scenario)
    for flag, value in (
        ("--scheme", args.scheme),
        ("--scheme-file", _absolute(args.scheme_file, root, "--scheme-file")),
        ("--portfolio", _absolute(args.portfolio, root, "--portfolio")),
        ("--sheet", args.sheet),
        ("--unit", args.unit),
        ("--decimal", args.decimal),
        ("--sample-rows", None if args.sample_rows is None else str(args.sample_rows)),
        ("--sample-seed", None if args.sample_seed is None else str(args.sample_seed)),
        ("--lang", args.lang),
    ):
        if value is not None:
            out += [flag, value]
    for flag, values in (("--map", args.map), ("--set", args.set), ("--option", args.option)):
        for value in values or ():
            out += [flag, value]
    return out


def run(args: argparse.Namespace, registry: Registry) -> int:
    from workbench.web.server import GuardedServer, is_loopback, new_token

    root = resolved(args.root) if args.root else None
    if root is not None and not root.is_dir():
        raise UsageError(f"--root {args.root}: not a folder")
    if not is_loopback(args.host) and root is None:
        raise UsageError(
            f"--host {args.host} lets other machines in: give --root DIR too, the folder their files stay in"
        )
    if args.token is not None and len(args.token) < MIN_TOKEN:
        raise UsageError(f"--token: at least {MIN_TOKEN} characters, so that it cannot be guessed")
    if not 0 < args.port < 65536:
        raise UsageError(f"--port {args.port}: expected 1-65535")
    command = tab_command(args, root)
    # Mistakes in the scenario are reported here, once, not in every tab.
    scenario, params, options = scenario_and_changes(args)
    check = replace(
        scenario, parameters={**scenario.parameters, **params}, options={**scenario.options, **options}
    )
    Session(registry).settings(check, registry.scheme(check.scheme, check.where, check.scheme_file_path()))
    if root is not None:
        os.environ[confine.ROOT_ENV] = str(root)
        os.chdir(root)  # scenarios/ and reports are looked for in the folder

    def ready(url: str) -> None:
        print(word("serve.at", args.lang, url=url), flush=True)
        key = "serve.each_tab_root" if root else "serve.each_tab"
        print(word(key, args.lang, root=root), flush=True)

    server = GuardedServer(
        shlex.join(command),
        args.token or new_token(),
        host=args.host,
        port=args.port,
        public_url=args.public_url,
        on_ready=ready,
    )
    server.serve()
    return 0
