"""Unsaved changes kept on disk, so that a crash does not lose an afternoon's tuning.

Each running workbench is an ``Instance`` with a recovery file of its own
(``unsaved-<id>.toml``) and a lock file it holds while it runs. While it has
unsaved changes it keeps the scenario being edited in its recovery file
(written atomically, half a second after the last change); saving or quitting
on purpose removes it. At the next start, ``pending`` offers only the recovery
files whose workbench is gone (their lock is free): two workbenches running at
once never see each other's live changes. The file is a scenario and where it
came from: settings only, never customer data.

The files live in ``$WORKBENCH_STATE_DIR``, else ``$XDG_STATE_HOME/tiering-workbench``,
else ``~/.local/state/tiering-workbench``.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import tomllib
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import IO

import tomli_w

from workbench.errors import ScenarioError
from workbench.files.atomic import atomic_write_text
from workbench.files.scenarios import Scenario, rebased, scenario_from_dict, user_path

try:  # POSIX; where there is no fcntl, recovery files are not locked
    import fcntl
except ImportError:  # pragma: no cover
    fcntl = None  # type: ignore[assignment]

PREFIX = "unsaved-"
LEGACY = "unsaved.toml"  # the one recovery file of earlier versions


def state_dir() -> Path:
    """Where the workbench keeps its state between runs."""
    explicit = os.environ.get("WORKBENCH_STATE_DIR")
    if explicit:
        return user_path(explicit)
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return user_path(base) / "tiering-workbench"


def _lock(path: Path) -> IO[bytes] | None:
    """The lock file at ``path``, locked by this process; None when another holds it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = open(path, "a+b")  # noqa: SIM115 - held open while the lock is held
    if fcntl is None:
        return handle
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.close()
        return None
    return handle


def _release(handle: IO[bytes] | None, path: Path | None = None) -> None:
    if handle is None:
        return
    with contextlib.suppress(OSError):
        if path is not None:
            path.unlink(missing_ok=True)
        handle.close()


class Instance:
    """This workbench's recovery file, locked for as long as it runs."""

    def __init__(self) -> None:
        self.id = f"{os.getpid()}-{secrets.token_hex(4)}"
        self.path = state_dir() / f"{PREFIX}{self.id}.toml"
        self.lock_path = self.path.with_suffix(".lock")
        self._handle: IO[bytes] | None = None

    def keep(self, scenario: Scenario) -> Path:
        """Write the scenario being edited to this workbench's recovery file (atomically)."""
        if self._handle is None:
            self._handle = _lock(self.lock_path)
        write(self.path, scenario)
        return self.path

    def discard(self) -> None:
        """Remove the recovery file: the changes were saved or given up on purpose."""
        self.path.unlink(missing_ok=True)

    def release(self) -> None:
        """Let the lock go, as the process ending would (the file stays if there is one)."""
        _release(self._handle)
        self._handle = None

    def close(self) -> None:
        """Quit on purpose: no recovery file, no lock."""
        self.discard()
        _release(self._handle, self.lock_path)
        self._handle = None


def write(path: Path, scenario: Scenario) -> None:
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


@dataclass
class Recovered:
    """Unsaved changes a workbench that did not close normally left: the scenario as it was
    being edited, when it was written, and the file it was opened from (None when it was
    never saved). Held (locked) by this workbench until ``resolve``."""

    scenario: Scenario
    written: datetime
    original: Path | None
    path: Path
    _handle: IO[bytes] | None = field(default=None, repr=False)

    def release(self) -> None:
        """Not decided now: leave it for a later start."""
        _release(self._handle)
        self._handle = None

    def resolve(self) -> None:
        """Restored or discarded: the left file goes."""
        self.path.unlink(missing_ok=True)
        lock = self.path.with_suffix(".lock")
        _release(self._handle, lock if self.path.name != LEGACY else None)
        self._handle = None


def read(path: Path) -> Recovered:
    """A recovery file; one that cannot be read is a ``ScenarioError`` naming it."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        meta = data["recovery"]
        written = datetime.fromisoformat(str(meta["written"]))
        original = Path(meta["original"]) if meta.get("original") else None
        scenario = scenario_from_dict(data["scenario"], str(path), path)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, KeyError, TypeError, ValueError) as exc:
        raise ScenarioError(
            f"{path}: the recovery file cannot be read ({exc}); it can be deleted",
            zh=f"{path}:恢复文件无法读取({exc});可以删除它",
        ) from exc
    if original is not None:
        scenario = replace(rebased(scenario, original), path=original)
    else:
        scenario = replace(rebased(scenario, None), path=None)
    return Recovered(scenario, written, original, path)


def pending() -> list[Recovered]:
    """Unsaved changes left by workbenches that are gone, newest first; each is held by
    this workbench (no other offers it) until resolved. A file that cannot be read is a
    ``ScenarioError`` naming it (the caller reports it and may delete it)."""
    folder = state_dir()
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.glob(f"{PREFIX}*.toml")) + [p for p in [folder / LEGACY] if p.exists()]:
        handle = _lock(path.with_suffix(".lock")) if path.name != LEGACY else _lock(folder / "unsaved.lock")
        if handle is None:
            continue  # its workbench is still running
        try:
            recovered = read(path)
        except ScenarioError:
            _release(handle)
            raise
        recovered._handle = handle
        found.append(recovered)
    return sorted(found, key=lambda r: r.written, reverse=True)


def recovery_files() -> list[Path]:
    """Every recovery file in the state folder (for tests and for people looking)."""
    folder = state_dir()
    return sorted(folder.glob(f"{PREFIX}*.toml")) + [p for p in [folder / LEGACY] if p.exists()]
