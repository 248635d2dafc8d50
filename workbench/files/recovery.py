"""Unsaved changes kept on disk, so that a crash does not lose an afternoon's tuning.

While the workbench has unsaved changes it keeps the scenario being edited in a
recovery file (written atomically, a second after the last change); saving or
quitting on purpose removes it. A recovery file found at the next start is
offered back. The file is a scenario and where it came from: settings only,
never customer data.

The file lives in ``$WORKBENCH_STATE_DIR``, else ``$XDG_STATE_HOME/tiering-workbench``,
else ``~/.local/state/tiering-workbench``.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

import tomli_w

from workbench.errors import ScenarioError
from workbench.files.atomic import atomic_write_text
from workbench.files.scenarios import Scenario, rebased, scenario_from_dict, user_path

FILE_NAME = "unsaved.toml"


@dataclass(frozen=True)
class Recovered:
    """Unsaved changes found on disk: the scenario as it was being edited, when it was
    written, and the file it was opened from (None when it was never saved)."""

    scenario: Scenario
    written: datetime
    original: Path | None


def state_dir() -> Path:
    """Where the workbench keeps its state between runs."""
    explicit = os.environ.get("WORKBENCH_STATE_DIR")
    if explicit:
        return user_path(explicit)
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return user_path(base) / "tiering-workbench"


def recovery_path() -> Path:
    return state_dir() / FILE_NAME


def keep(scenario: Scenario) -> Path:
    """Write the scenario being edited to the recovery file (atomically)."""
    path = recovery_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    here = rebased(scenario, path)
    data = {
        "recovery": {
            "written": datetime.now().replace(microsecond=0).isoformat(),
            "original": str(scenario.path) if scenario.path else "",
        },
        "scenario": here.to_dict(),
    }
    atomic_write_text(path, tomli_w.dumps(data, multiline_strings=True))
    return path


def discard() -> None:
    """Remove the recovery file: the changes were saved or given up on purpose."""
    recovery_path().unlink(missing_ok=True)


def pending() -> Recovered | None:
    """Unsaved changes left by a workbench that did not close normally, if any.

    A recovery file that cannot be read is a ``ScenarioError`` naming it (the caller
    reports it and may discard it)."""
    path = recovery_path()
    if not path.exists():
        return None
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        meta = data["recovery"]
        written = datetime.fromisoformat(str(meta["written"]))
        original = Path(meta["original"]) if meta.get("original") else None
        scenario = scenario_from_dict(data["scenario"], str(path), path)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, KeyError, TypeError, ValueError) as exc:
        raise ScenarioError(f"{path}: the recovery file cannot be read ({exc}); it can be deleted") from exc
    if original is not None:
        scenario = replace(rebased(scenario, original), path=original)
    else:
        scenario = replace(rebased(scenario, None), path=None)
    return Recovered(scenario, written, original)
