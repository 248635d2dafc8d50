"""Fixtures for driving the workbench with Textual's pilot."""

from __future__ import annotations

import pytest
from pilot import small

from workbench.files.scenarios import Scenario
from workbench.tui.app import WorkbenchApp


@pytest.fixture
def make_app(registry):
    def make(scenario: Scenario | None = None, **kwargs) -> WorkbenchApp:
        return WorkbenchApp(scenario or small(), registry=registry, **kwargs)

    return make
