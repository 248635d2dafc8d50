"""The scenario files the workbench lists: beside the open one, ``scenarios/``, and more."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from workbench.errors import WorkbenchError
from workbench.files import confine
from workbench.files.scenarios import load_scenario


@dataclass(frozen=True)
class ScenarioFile:
    """A scenario file the workbench can open, with its display name."""

    path: Path
    name: str
    readable: bool


def scenario_dirs(open_path: Path | None, extra: Iterable[Path]) -> list[Path]:
    """Beside the open scenario (``open_path``), ``scenarios/``, then ``extra``: the folders
    that exist, each once; served, only those inside the folder it may use, which comes last."""
    dirs = [Path.cwd() / "scenarios", *extra]
    if open_path is not None:
        dirs.insert(0, open_path.parent)
    folder = confine.root()
    if folder is not None:
        dirs = [*(d for d in dirs if confine.inside(d, folder)), folder]
    seen, out = set(), []
    for d in dirs:
        key = d.resolve()
        if d.is_dir() and key not in seen:
            seen.add(key)
            out.append(d)
    return out


class ScenarioList:
    """Scenario files in folders, each file read again only when it changed on disk."""

    def __init__(self) -> None:
        self._names: dict[Path, tuple[float, ScenarioFile]] = {}

    def files(self, dirs: Iterable[Path]) -> list[ScenarioFile]:
        files = []
        seen: set[Path] = set()
        for d in dirs:
            for path in sorted(d.glob("*.toml")):
                real = path.resolve()
                if real in seen:
                    continue
                seen.add(real)
                files.append(self._entry(path, real))
        return files

    def _entry(self, path: Path, real: Path) -> ScenarioFile:
        try:
            mtime = real.stat().st_mtime
        except OSError:
            return ScenarioFile(path, f"{path.stem} (unreadable)", False)
        cached = self._names.get(real)
        if cached is not None and cached[0] == mtime:
            return replace(cached[1], path=path)
        try:
            entry = ScenarioFile(path, load_scenario(path).display_name, True)
        except WorkbenchError:
            entry = ScenarioFile(path, f"{path.stem} (unreadable)", False)
        self._names[real] = (mtime, entry)
        return entry
