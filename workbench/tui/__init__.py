"""The Textual workbench. Only this package imports textual."""

from __future__ import annotations

from collections.abc import Mapping

from workbench.live import Scenario
from workbench.text import Lang


def run(
    scenario: Scenario | None = None,
    *,
    params: Mapping[str, float] | None = None,
    options: Mapping[str, str] | None = None,
    lang: Lang = "en",
) -> None:
    """Open the workbench in this terminal; ``params`` and ``options`` are applied as unsaved edits."""
    from multiprocessing import resource_tracker

    from workbench.tui.app import WorkbenchApp

    # A local Dask cluster (a book too big for memory) starts worker processes, and their
    # resource tracker needs the real standard error, which the screen takes: start it now.
    resource_tracker.ensure_running()
    WorkbenchApp(scenario, params=params, options=options, lang=lang).run()
