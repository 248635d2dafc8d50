"""``python -m workbench.cli``: the same as the ``workbench`` command."""

import sys

from workbench.__main__ import run

sys.exit(run())
