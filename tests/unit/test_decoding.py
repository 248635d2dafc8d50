"""Parquet columns decoded by Polars where it is faster equal Arrow's decoding of them,
type by type, nulls and NaN kept apart; Arrow decodes the rest, and everything when
Polars cannot read the file."""

import datetime as dt
from decimal import Decimal

import numpy as np
import pandas as pd
import polars
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from workbench.errors import PortfolioError
from workbench.files import decoding
from workbench.files.portfolios import load_portfolio
from workbench.files.reading import parquet_table

MIXED = pa.table(
    {
        "customer_id": pa.array(["C001", "C002", "C003", "C004"]),
        "aum": pa.array([1.5, None, float("nan"), -0.0]),
        "count": pa.array([1, None, -3, 2**40], pa.int64()),
        "small": pa.array([0, 255, None, 7], pa.uint8()),
        "ratio": pa.array([0.25, None, 1e-30, 3.0], pa.float32()),
        "vip": pa.array([True, None, False, True]),
        "note": pa.array(["", None, "合计", "x" * 300], pa.large_string()),
        "tier": pa.array(["gold", None, "gold", "silver"]).dictionary_encode(),
        "price": pa.array([Decimal("1.10"), None, Decimal("-2.00"), Decimal("0.01")], pa.decimal128(9, 2)),
        "opened": pa.array([dt.date(2024, 1, 31), None, dt.date(1999, 12, 1), dt.date(2026, 6, 30)]),
        "raw": pa.array([b"abc", None, "中文".encode(), b""], pa.binary()),
    }
)


def values(column: pa.ChunkedArray) -> list:
    """A column's values, NaN written as "NaN" so that equal columns compare equal."""
    return ["NaN" if isinstance(v, float) and v != v else v for v in column.to_pylist()]


@pytest.fixture
def mixed(tmp_path):
    path = tmp_path / "mixed.parquet"
    pq.write_table(MIXED, path, row_group_size=3)  # two row groups: chunks joined in order
    return path


def test_every_type_reads_the_same_values_as_arrow_alone(mixed):
    both = parquet_table(mixed)
    arrow = parquet_table(mixed, threads=False)  # one core: Arrow decodes every column
    assert both.column_names == arrow.column_names == MIXED.column_names
    for name in MIXED.column_names:
        assert values(both.column(name)) == values(arrow.column(name)), name
    assert values(both.column("aum")) == [1.5, None, "NaN", -0.0]  # a null stays a null, NaN NaN
    assert both.column("customer_id").type == pa.large_string()  # Polars decoded it
    assert arrow.column("customer_id").type == pa.string()
    assert both.column("tier").type == arrow.column("tier").type  # Arrow keeps its dictionary
    assert both.column("raw").type == pa.string()  # binary read as UTF-8 text either way


def test_a_file_polars_cannot_read_is_read_by_arrow(mixed, monkeypatch):
    def refuse(*args, **kwargs):
        raise polars.exceptions.ComputeError("cannot read this")

    monkeypatch.setattr(polars, "read_parquet", refuse)
    table = parquet_table(mixed)
    assert table.column("customer_id").type == pa.string()  # Arrow's decoding
    assert table.column("note").to_pylist() == ["", None, "合计", "x" * 300]


def test_without_polars_arrow_reads_every_column(mixed, monkeypatch):
    monkeypatch.setattr(decoding, "_polars", lambda: None)
    alone, one_core = parquet_table(mixed), parquet_table(mixed, threads=False)
    assert alone.schema == one_core.schema
    assert all(values(alone.column(n)) == values(one_core.column(n)) for n in MIXED.column_names)


def test_a_portfolio_reads_the_same_with_polars_or_without(tmp_path, monkeypatch):
    frame = pd.DataFrame(
        {
            "客户号": [f"C{i:06d}" for i in range(1, 2_001)],
            "家庭号": [f"H{i // 3:05d}" if i % 4 else "" for i in range(2_000)],
            "日均资产": np.round(np.random.default_rng(3).lognormal(11, 1.5, 2_000), 2),
        }
    )
    path = tmp_path / "book.parquet"
    frame.to_parquet(path, row_group_size=500)
    with_polars = load_portfolio(path)
    monkeypatch.setattr(decoding, "_polars", lambda: None)
    without = load_portfolio(path)
    pd.testing.assert_frame_equal(with_polars.frame, without.frame)
    assert with_polars.rows == 2_000 and with_polars.frame["customer_id"].iloc[-1] == "C002000"


def test_a_name_used_twice_is_refused_as_before(tmp_path):
    path = tmp_path / "twice.parquet"
    table = pa.table(
        [pa.array(["C1", "C2"]), pa.array([1.0, 2.0]), pa.array([3.0, 4.0])], ["id", "aum", "aum"]
    )
    pq.write_table(table, path)
    with pytest.raises(PortfolioError, match="twice.parquet: cannot be read as a Parquet file.*duplicate"):
        load_portfolio(path)
