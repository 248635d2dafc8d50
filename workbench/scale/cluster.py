"""Dask clusters: a local one started for the run, or a running scheduler to connect to;
waiting on work with a progress bar, and cancelling it cleanly on Ctrl+C."""

from __future__ import annotations

import contextlib
import logging
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from workbench.errors import WorkbenchError
from workbench.text import Text

if TYPE_CHECKING:
    from distributed import Client, Future


class ClusterError(WorkbenchError):
    """The cluster could not be started or reached, or lost the work."""


@dataclass(frozen=True)
class ClusterSpec:
    """Where batch work runs: ``local`` (a ``LocalCluster`` started for the run, ``workers``
    processes with ``memory_limit`` each) or a scheduler's address (``tcp://host:8786``)."""

    address: str = "local"
    workers: int | None = None
    memory_limit: str | None = None  # per worker: "4GB", "auto"

    @property
    def local(self) -> bool:
        return self.address == "local"


def check_spec(spec: ClusterSpec) -> None:
    if not spec.local and not spec.address.startswith(("tcp://", "tls://", "ucx://", "inproc://")):
        raise ClusterError(
            f"{spec.address!r}: expected local or a scheduler address such as tcp://host:8786",
            field="cluster",
            zh=f"{spec.address!r}:应为 local 或调度器地址,如 tcp://host:8786",
        )
    if spec.workers is not None and not 1 <= spec.workers <= 1024:
        raise ClusterError(
            f"{spec.workers}: expected 1 to 1024 workers", field="workers", zh="工作进程数应为 1 到 1024"
        )


def default_workers() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


@contextlib.contextmanager
def connected(spec: ClusterSpec, say: Callable[[Text], object]) -> Iterator[Client]:
    """A client of the cluster ``spec`` names, closed (and a local cluster stopped) after."""
    check_spec(spec)
    from distributed import Client, LocalCluster

    cluster = None
    try:
        if spec.local:
            cluster = LocalCluster(
                n_workers=spec.workers or default_workers(),
                threads_per_worker=1,
                processes=True,
                memory_limit=spec.memory_limit or "auto",
                dashboard_address=":0",
                silence_logs=logging.ERROR,
            )
            client = Client(cluster)
        else:
            client = Client(spec.address, timeout="20s")
    except (OSError, TimeoutError, ValueError) as exc:
        raise ClusterError(
            f"Dask cluster {spec.address}: cannot be {'started' if spec.local else 'reached'} ({exc})",
            zh=f"Dask 集群 {spec.address}:无法{'启动' if spec.local else '连接'}({exc})",
        ) from exc
    try:
        info = client.scheduler_info()
        workers = len(info.get("workers", {}))
        board = f"; dashboard {client.dashboard_link}" if "dashboard" in info.get("services", {}) else ""
        board_zh = f";监控面板 {client.dashboard_link}" if board else ""
        say(
            Text(
                f"Dask cluster {spec.address}: {workers} workers{board}",
                f"Dask 集群 {spec.address}:{workers} 个工作进程{board_zh}",
            )
        )
        yield client
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


class Progress:
    """A bar on standard error while parts complete (only at a terminal)."""

    def __init__(self, what: str, total: int, stream: Any = None) -> None:
        self.what, self.total, self.done = what, total, 0
        self.stream = stream or sys.stderr
        # only on a terminal's own standard error (not under the workbench's screen)
        real = stream is not None or sys.stderr is sys.__stderr__
        self.shown = real and bool(getattr(self.stream, "isatty", lambda: False)())

    def step(self) -> None:
        self.done += 1
        if self.shown:
            width = 30
            filled = width * self.done // max(self.total, 1)
            bar = "█" * filled + "·" * (width - filled)
            self.stream.write(f"\r{self.what} {bar} {self.done}/{self.total}")
            if self.done == self.total:
                self.stream.write("\n")
            self.stream.flush()


def gather(client: Client, futures: Sequence[Future], what: str, watched: Sequence[Future] = ()) -> list[Any]:
    """Every future's result, in order, with a progress bar over ``watched`` (default: all
    of them); Ctrl+C cancels the cluster's work before it is passed on."""
    from distributed import as_completed

    counted = list(watched or futures)
    progress = Progress(what, len(counted))
    try:
        for _ in as_completed(counted):
            progress.step()
        return list(client.gather(list(futures)))
    except KeyboardInterrupt:
        client.cancel(list(futures), force=True)
        raise
