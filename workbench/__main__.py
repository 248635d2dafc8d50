"""The ``workbench`` command (also ``python -m workbench``).

Ctrl+C at any moment, even while the libraries are still being imported, ends
the command with a one-line message and exit status 130, never a traceback.
"""

from __future__ import annotations

import sys


def run() -> int:
    try:
        from workbench.cli import main

        return main()
    except KeyboardInterrupt:
        print("workbench: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(run())
