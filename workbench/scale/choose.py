"""Which engine runs a command: in memory when the book fits comfortably, else a cluster."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from workbench.files.datasets import PART_SUFFIXES, find_dataset, is_dataset
from workbench.files.reading import MEMORY_SHARE, memory_bytes

# Peak memory per customer in memory, measured: 3.1-5.1 GB for the 10M sample with a
# scheme's tuning layout (benchmarks/threshold_latency.py); the upper end, rounded up.
BYTES_PER_CUSTOMER = 550


@dataclass(frozen=True)
class Fit:
    """Whether ``rows`` customers fit this machine's memory, and the figures behind it."""

    rows: int
    needed: float
    available: float

    @property
    def fits(self) -> bool:
        return self.needed <= self.available

    def describe(self) -> str:
        return (
            f"{self.rows:,} customers need about {self.needed / 2**30:,.1f} GB in memory; "
            f"this machine gives a portfolio {self.available / 2**30:,.1f} GB"
        )

    def describe_zh(self) -> str:
        return (
            f"{self.rows:,} 位客户在内存中约需 {self.needed / 2**30:,.1f} GB;"
            f"本机可用于客户数据的内存为 {self.available / 2**30:,.1f} GB"
        )


LIMIT_ENV = "WORKBENCH_MEMORY_LIMIT"  # the memory a portfolio may take, e.g. 8GB (docs/scale-out.md)


def memory_limit() -> float:
    """The memory a portfolio may take: ``WORKBENCH_MEMORY_LIMIT`` (``8GB``, ``512MB``)
    when set, else a share of this machine's."""
    text = os.environ.get(LIMIT_ENV, "").strip().upper().replace(" ", "")
    match = re.fullmatch(r"(\d+(?:\.\d+)?)(GB|G|MB|M|TB|T)?", text)
    if not match:
        return memory_bytes() * MEMORY_SHARE
    scale = {"T": 2**40, "G": 2**30, "M": 2**20}[(match.group(2) or "G")[0]]
    return float(match.group(1)) * scale


def memory_fit(rows: int) -> Fit:
    return Fit(rows, rows * BYTES_PER_CUSTOMER, memory_limit())


def is_partitioned(path: Path) -> bool:
    """A dataset, or a single Parquet file (a dataset of one part)."""
    return is_dataset(path) or (path.is_file() and path.suffix.lower() in PART_SUFFIXES)


def book_rows(path: Path) -> int | None:
    """Customers in a dataset or Parquet file, from the footers alone (None for other files)."""
    return find_dataset(path).rows if is_partitioned(path) else None
