"""Shared fixtures. The plugin-author kit is loaded exactly as a plugin's tests would."""

from __future__ import annotations

import pytest

from workbench.scheme.registry import Registry

pytest_plugins = ["workbench.testing"]


@pytest.fixture(scope="session")
def registry(workbench_registry: Registry) -> Registry:
    return workbench_registry


@pytest.fixture(autouse=True)
def state_dir(tmp_path_factory, monkeypatch):
    """Each test keeps the workbench's state (the recovery file) in a folder of its own,
    never in the user's."""
    path = tmp_path_factory.mktemp("state")
    monkeypatch.setenv("WORKBENCH_STATE_DIR", str(path))
    return path
