"""A book in parts for the tests of batch work and samples: the sample cut into part
files by row range, so households span files."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from workbench.files.sample import generate_frame

ROWS, PARTS = 6_000, 5


def write_book(folder: Path, rows: int = ROWS, parts: int = PARTS, seed: int = 11) -> Path:
    frame = generate_frame(rows, seed)
    for i, part in enumerate(np.array_split(np.arange(rows), parts)):
        frame.iloc[part].to_parquet(folder / f"part-{i}.parquet", index=False)
    return folder
