"""How arrays take memory from the system.

numpy asks the kernel for transparent huge pages on every large array (``madvise``).
Where the kernel then compacts memory synchronously to find them (``defrag`` set to
``madvise`` or ``defer+madvise``, as on the machine the benchmarks run on), a fresh 80 MB
array cost 100-140 ms instead of 25-35 ms: a full recompute of 10 million customers took
twice as long and loading 75% longer (benchmarks/README.md). On such a kernel the
workbench asks numpy for ordinary pages, unless ``NUMPY_MADVISE_HUGEPAGE`` is set (the
user's own choice, which numpy reads). Processes started from this one (a local Dask
cluster's workers) inherit the setting.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ENV = "NUMPY_MADVISE_HUGEPAGE"
DEFRAG = Path("/sys/kernel/mm/transparent_hugepage/defrag")


def compacts_on_madvise(defrag: Path = DEFRAG) -> bool:
    """Whether a huge-page request made with ``madvise`` waits for the kernel to compact
    memory (the setting in brackets is the one in force)."""
    try:
        text = defrag.read_text(encoding="ascii")
    except OSError:
        return False
    return "[madvise]" in text or "[defer+madvise]" in text


def use_ordinary_pages(defrag: Path = DEFRAG) -> bool:
    """Ask numpy not to request huge pages where they cost more than they give; True when
    it was asked."""
    if os.environ.get(ENV) is not None or not compacts_on_madvise(defrag):
        return False
    os.environ[ENV] = "0"  # read by numpy when it is first imported
    numpy = sys.modules.get("numpy")
    if numpy is not None:  # already imported (by a plugin or a script): tell it directly
        multiarray = getattr(getattr(numpy, "_core", None), "multiarray", None)
        setter = getattr(multiarray, "_set_madvise_hugepage", None)
        if setter is not None:
            setter(False)
    return True
