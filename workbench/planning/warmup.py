"""Compile the engine's kernels once, before the first real portfolio waits for them.

The compiled loops (``workbench.core.fused``, ``levels``, ``households``, ``sorting``) are built
on first use and cached on disk; the first build takes a few seconds. ``make``
runs this after installing (``python -m workbench.planning.warmup``) so that the
workbench's first portfolio does not pay for it. It reads a sample written as
Parquet, as a bank's file is read, and runs every built-in scheme through the same
calls a portfolio takes: simulate, prepare, the distribution, a threshold change (and
the same change in full), and a replay of two months.
"""

from __future__ import annotations

import tempfile
from contextlib import suppress
from pathlib import Path

from workbench.core.distribution import histogram, near_threshold
from workbench.core.engine import Engine
from workbench.core.policy import Policy
from workbench.core.replay import replay
from workbench.core.sorting import RADIX_FROM
from workbench.core.tuning import Tuner
from workbench.errors import WorkbenchError
from workbench.files.portfolios import load_portfolio, write_portfolio
from workbench.files.sample import sample_portfolio
from workbench.scheme.registry import default_registry


def warm(rows: int = RADIX_FROM + 1) -> list[str]:
    """Run each built-in scheme once on a small sample; the schemes run."""
    registry = default_registry()
    with tempfile.TemporaryDirectory(prefix="workbench-warmup-") as folder:
        path = write_portfolio(sample_portfolio(rows, 1).frame, Path(folder) / "sample.parquet")
        portfolio = load_portfolio(path)  # the file's kernels: ids, amounts, households
    ran = []
    for scheme in registry.schemes.values():
        engine = Engine(scheme, portfolio, registry.drivers)
        settings = engine.settings()
        tuner = Tuner(engine, settings, engine.simulate(settings=settings))
        tuner.prepare()
        for metric in scheme.metrics:  # the distribution panel, as the workbench draws it
            values = engine.metric(metric.id, settings.params, settings.options)
            histogram(values, log=metric.scale == "money")
            near_threshold(values, 1.0)  # the counts either side of a threshold
        threshold = next((p for p in scheme.parameters if scheme.criterion_of_parameter(p.id)), None)
        if threshold is not None:
            value = settings.params[threshold.id] * 1.01
            with suppress(WorkbenchError):  # a plugin's thresholds that cannot move so
                moved = settings.with_params(scheme, {**settings.params, threshold.id: value})
                tuner.update(moved)
                assert tuner.state is not None  # the rows brought up to date (a scatter, when kept in order)
                tuner.recompute(moved)  # the full path, as after a weight or an option
        with suppress(WorkbenchError):  # the months' figures, as a panel's replay counts them
            months = ("2026-01", "2026-02")
            replay(scheme, months, (portfolio, portfolio), settings, Policy.checked(scheme), registry.drivers)
        ran.append(scheme.id)
    return ran


if __name__ == "__main__":
    print(f"compiled the engine's kernels ({', '.join(warm())})")
