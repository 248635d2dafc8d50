"""The folder a served workbench may use: every file a browser user opens, saves or exports
stays inside it (``workbench serve --root DIR``, passed to each workbench process as
``$WORKBENCH_ROOT``). Paths are compared after resolving symbolic links, so a link that
leads outside is outside."""

from __future__ import annotations

import os
from pathlib import Path

from workbench.errors import WorkbenchError
from workbench.text import Text

ROOT_ENV = "WORKBENCH_ROOT"


class OutsideRoot(WorkbenchError):
    """A path outside the folder this workbench may use."""


def root() -> Path | None:
    """The folder this workbench is confined to, if any."""
    value = os.environ.get(ROOT_ENV)
    return Path(value).expanduser().resolve() if value else None


def inside(path: Path | str, folder: Path | None = None) -> bool:
    """Whether ``path`` (links resolved) lies in the confining folder (always, when none)."""
    folder = folder if folder is not None else root()
    if folder is None:
        return True
    try:
        return Path(path).expanduser().resolve().is_relative_to(folder)
    except (OSError, RuntimeError):  # a loop of links: not inside anything
        return False


def check(path: Path | str, what: Text | None = None) -> Path:
    """``path`` itself when inside the confining folder; otherwise an ``OutsideRoot`` error
    naming the folder (``what``: the kind of file, e.g. "portfolio")."""
    folder = root()
    if folder is None or inside(path, folder):
        return Path(path)
    kind = what or Text("file", "文件")
    raise OutsideRoot(
        Text(
            f"{path}: outside {folder}, the folder this workbench may use; choose a {kind.en} inside it",
            f"{path}:不在本工作台可用的文件夹 {folder} 内;请选择该文件夹内的{kind.zh}",
        )
    )
