"""The project's own docs/schemes.md names every built-in scheme's ids and defaults, and the
repository points at nothing outside itself."""

import re
import subprocess
from pathlib import Path

import pytest

from workbench.scheme.registry import load_registry

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "schemes.md").read_text(encoding="utf-8")
BUILT_IN = ["industrial-bank", "icbc-stars", "postal-savings", "branch-layers"]


@pytest.mark.parametrize("scheme_id", BUILT_IN)
def test_every_id_and_default_is_in_the_reference(scheme_id):
    scheme = load_registry().schemes[scheme_id]
    row = next(line for line in DOC.splitlines() if line.startswith(f"| `{scheme_id}` |"))
    assert ", ".join(scheme.tier_ids) in row
    for p in scheme.parameters:
        assert re.search(rf"`{p.id}` {int(p.default)}\b", row), f"{p.id} {p.default:g} is not in the table"
    for o in scheme.options:
        assert f"`{o.id}`" in row and all(v in row for v in o.values)


def test_nothing_points_outside_the_repository():
    files = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    for name in files.split():
        path = ROOT / name
        if path.suffix in {".py", ".md", ".toml", ".cfg", ".txt", ".tcss"} and path.is_file():
            text = path.read_text(encoding="utf-8", errors="replace")
            outside = "../" + "shared"  # spelled apart so that this file does not match itself
            assert outside not in text and "shared/" + "seeds" not in text, name
