"""Atomic file writes: a reader sees the old file or the new one, never half of one.

A write that fails (a full disk, no permission, a read-only folder) is a
``WriteError`` naming the file the user asked for, never the temporary file
beside it, with what to do; the old file is left as it was.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from workbench.errors import WorkbenchError

_WHY = {
    errno.ENOSPC: "the disk is full: free some space, or write to another disk",
    errno.EDQUOT: "the disk quota is used up: free some space, or write elsewhere",
    errno.EACCES: "there is no permission to write there: choose another folder",
    errno.EPERM: "there is no permission to write there: choose another folder",
    errno.EROFS: "the folder is read-only: choose another folder",
    errno.ENOENT: "the folder does not exist: create it, or choose another",
    errno.ENOTDIR: "a part of the path is a file, not a folder",
    errno.EISDIR: "it is a folder: give a file name",
}


_WHY_ZH = {
    errno.ENOSPC: "磁盘已满:请腾出空间,或写到另一个磁盘",
    errno.EDQUOT: "磁盘配额已用完:请腾出空间,或写到别处",
    errno.EACCES: "没有写入权限:请换一个文件夹",
    errno.EPERM: "没有写入权限:请换一个文件夹",
    errno.EROFS: "文件夹是只读的:请换一个文件夹",
    errno.ENOENT: "文件夹不存在:请先创建,或换一个",
    errno.ENOTDIR: "路径中有一段是文件而不是文件夹",
    errno.EISDIR: "这是一个文件夹:请给出文件名",
}


class WriteError(WorkbenchError):
    """A file could not be written; nothing was changed."""


def write_failed(path: Path, exc: OSError) -> WriteError:
    why = _WHY.get(exc.errno or 0, exc.strerror or str(exc))
    why_zh = _WHY_ZH.get(exc.errno or 0, exc.strerror or str(exc))
    return WriteError(
        f"{path}: cannot be written ({why}); the old file, if any, is unchanged",
        zh=f"{path}:无法写入({why_zh});原有文件(如有)未被改动",
    )


@contextlib.contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success it replaces ``path``.

    The temporary file is flushed to disk before the rename, and removed if
    the block raises, so an interrupted save leaves the old file intact.
    """
    path = Path(path)
    directory = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise write_failed(path, IsADirectoryError(errno.EISDIR, "is a folder"))
    if not directory.is_dir():
        raise WriteError(
            f"{path}: cannot be written (there is no folder {directory}: create it, or choose another)",
            zh=f"{path}:无法写入(文件夹 {directory} 不存在:请先创建,或换一个)",
        )
    try:
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise write_failed(path, exc) from exc
    tmp = Path(name)
    try:  # from here on, whatever stops the block (Ctrl+C included) removes the file
        os.close(fd)
        yield tmp
        with open(tmp, "rb+") as handle:
            os.fsync(handle.fileno())
        # mkstemp makes the file private; give it the mode a plain write would have.
        os.chmod(tmp, path.stat().st_mode & 0o7777 if path.exists() else 0o666 & ~_umask())
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise write_failed(path, exc) from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def atomic_write_text(path: str | Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` atomically."""
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")


def _umask() -> int:
    """The process's umask (read without changing it where the system allows)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except OSError:
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
