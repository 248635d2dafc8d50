"""A Dask LocalCluster of two worker processes, and a dataset whose files cut through
households, shared by the tests of batch work and samples."""

from __future__ import annotations

from pathlib import Path

import pytest
from books import write_book

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="session")
def cluster():
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, memory_limit="2GB"
    ) as local:
        yield local.scheduler_address


@pytest.fixture(scope="session")
def dataset(tmp_path_factory) -> Path:
    return write_book(tmp_path_factory.mktemp("book"))
