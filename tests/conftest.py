"""Shared fixtures. The plugin-author kit is loaded exactly as a plugin's tests would."""

from __future__ import annotations

import pytest

from workbench.plugins import Registry

pytest_plugins = ["workbench.testing"]


@pytest.fixture(scope="session")
def registry(workbench_registry: Registry) -> Registry:
    return workbench_registry
