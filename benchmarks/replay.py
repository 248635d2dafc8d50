"""Replay speed: a panel of N customers x M months, every month under the scheme and the
evaluation policy, then again after a threshold change.

    python benchmarks/replay.py --rows 1000000 --months 24 [--scheme ID] [--json]

Prints load time (only the columns the scheme reads, as `workbench replay` reads them),
replay time, re-replay time after a 5% threshold move (checked equal to a replay from
scratch), and peak memory before that check (figures in benchmarks/README.md).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import time

from common import CACHE, SEED, WORKBENCH

from workbench.core.engine import Engine
from workbench.core.policy import Policy
from workbench.core.replay import Replayer, replay
from workbench.files.panel import load_panel
from workbench.scheme.registry import load_registry

THRESHOLD = {
    "industrial-bank": "platinum_personal",
    "icbc-stars": "star5",
    "postal-savings": "platinum_balance",
    "branch-layers": "layer3_min",
}


def panel_file(rows: int, months: int):
    CACHE.mkdir(exist_ok=True)
    path = CACHE / f"panel-{rows}-{months}-{SEED}.parquet"
    if not path.exists():
        command = [str(WORKBENCH), "sample", "--rows", str(rows), "--months", str(months)]
        command += ["--seed", str(SEED), "--output", str(path)]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--scheme", default="industrial-bank")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    path = panel_file(args.rows, args.months)
    registry = load_registry()
    scheme = registry.schemes[args.scheme]
    started = time.perf_counter()
    panel = load_panel(path, columns=scheme.columns)  # as `workbench replay` reads it
    load_s = time.perf_counter() - started
    settings = Engine(scheme, panel.portfolios[0], registry.drivers).settings()
    policy = Policy.checked(scheme)
    started = time.perf_counter()
    replayer = Replayer(scheme, panel.months, panel.portfolios, registry.drivers)
    first = replayer.run(settings, policy)
    replay_s = time.perf_counter() - started
    param = THRESHOLD[args.scheme]
    moved = settings.with_params(scheme, {**settings.params, param: settings.params[param] * 1.05})
    started = time.perf_counter()
    again = replayer.run(moved, policy)  # the workbench's path: only the customer-months it can move
    rereplay_s = time.perf_counter() - started
    reclassified, added = (
        replayer.last_classified,
        sum(b.downgrades for b in again.months) - sum(a.downgrades for a in first.months),
    )
    peak_mb = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)  # before the check's own
    del replayer, first
    check = replay(scheme, panel.months, panel.portfolios, moved, policy, registry.drivers)
    assert (check.held == again.held).all(), "the re-replay differs from a replay from scratch"
    figures = {
        "rows": args.rows,
        "months": args.months,
        "scheme": args.scheme,
        "customer_months": sum(p.rows for p in panel.portfolios),
        "load_s": round(load_s, 2),
        "replay_s": round(replay_s, 2),
        "rereplay_after_threshold_s": round(rereplay_s, 2),
        "peak_mb": peak_mb,
        "reclassified_customer_months": reclassified,
        "downgrades_added": added,
    }
    print(json.dumps(figures) if args.json else "\n".join(f"{k}: {v}" for k, v in figures.items()))


if __name__ == "__main__":
    main()
