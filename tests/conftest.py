"""Shared fixtures. The plugin-author kit is loaded exactly as a plugin's tests would."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile

# Compiled kernels are cached in a folder of this run's own, never beside the user's
# files (set before anything imports numba; command-line runs inherit it).
os.environ["NUMBA_CACHE_DIR"] = _numba_cache = tempfile.mkdtemp(prefix="workbench-numba-")
atexit.register(shutil.rmtree, _numba_cache, ignore_errors=True)

import pytest  # noqa: E402
from hypothesis import settings  # noqa: E402

from workbench.scheme.registry import Registry  # noqa: E402

pytest_plugins = ["workbench.testing"]

# No test depends on timing: a first call that compiles a kernel is not a failure.
settings.register_profile("workbench", deadline=None)
settings.load_profile("workbench")


@pytest.fixture(scope="session")
def registry(workbench_registry: Registry) -> Registry:
    return workbench_registry


@pytest.fixture(autouse=True)
def state_dir(tmp_path_factory, monkeypatch):
    """Each test keeps the workbench's state (the recovery file) in a folder of its own,
    never in the user's, and has a home of its own: subprocesses inherit both."""
    path = tmp_path_factory.mktemp("state")
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("WORKBENCH_STATE_DIR", str(path))
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / ".local" / "state"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.delenv("WORKBENCH_MASK_KEY", raising=False)
    monkeypatch.setenv("WORKBENCH_SCHEMES", str(tmp_path_factory.mktemp("schemes")))  # empty: no user's files
    return path
