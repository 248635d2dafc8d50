"""The ``workbench`` command line: a parser and one module per command."""

from __future__ import annotations

from workbench.cli.main import main

__all__ = ["main"]
