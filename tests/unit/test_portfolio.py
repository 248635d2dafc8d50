"""Loading portfolios: file types, Chinese and English headers, mapping, and clear errors."""

import numpy as np
import pandas as pd
import pytest

from workbench.errors import PortfolioError
from workbench.files.headers import map_headers
from workbench.files.portfolios import load_portfolio
from workbench.scheme.columns import COLUMNS


def write_csv(path, text, encoding="utf-8"):
    path.write_bytes(text.encode(encoding))
    return path


def test_chinese_headers_are_recognised(tmp_path):
    path = write_csv(
        tmp_path / "export.csv",
        "客户号,日均资产(元),家庭号,家庭年收入,信用卡,理财金账户\n"
        'A1,"120,000.50",H1,300000,金卡,是\n'
        "A2,0,,0,无,否\n",
    )
    p = load_portfolio(path)
    assert p.mapping == {
        "客户号": "customer_id",
        "日均资产(元)": "aum",
        "家庭号": "household_id",
        "家庭年收入": "household_income",
        "信用卡": "credit_card",
        "理财金账户": "wealth_account",
    }
    assert p.array("aum").tolist() == [120_000.5, 0.0]
    assert p.array("credit_card").tolist() == [2, 0]  # none, standard, gold, platinum
    assert p.array("wealth_account").tolist() == [True, False]
    assert p.households.sizes.tolist() == [1, 1]


def test_wan_columns_are_converted(tmp_path):
    path = write_csv(tmp_path / "wan.csv", "客户编号,月日均资产(万元)\nA1,12.5\nA2,100\n")
    p = load_portfolio(path)
    assert p.array("aum").tolist() == [125_000.0, 1_000_000.0]
    assert p.scaled == ("aum",)


def test_gb18030_csv_and_byte_order_mark(tmp_path):
    gbk = write_csv(tmp_path / "gbk.csv", "客户号,日均资产\nA1,5\n", encoding="gb18030")
    assert load_portfolio(gbk).array("aum").tolist() == [5.0]
    bom = write_csv(tmp_path / "bom.csv", "\ufeffcustomer_id,aum\nA1,7\n")
    assert load_portfolio(bom).mapping == {"customer_id": "customer_id", "aum": "aum"}


def test_excel_and_parquet(tmp_path):
    frame = pd.DataFrame({"客户号": ["A1", "A2"], "日均综合金融资产": [100_000, 300_000.25]})
    frame.to_excel(tmp_path / "export.xlsx", index=False)
    frame.to_parquet(tmp_path / "export.parquet", index=False)
    for name in ("export.xlsx", "export.parquet"):
        p = load_portfolio(tmp_path / name)
        assert p.array("aum").tolist() == [100_000, 300_000.25]
        assert p.frame["customer_id"].tolist() == ["A1", "A2"]


def test_parquet_in_row_groups_with_gaps_and_a_frame_left_as_it_was(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    from workbench.files.portfolios import portfolio_from_frame

    table = pa.table(
        {
            "customer_id": ["C001", "C002", "C003", "C004"],
            "household_id": ["H01", "", "H01", "H02"],
            "aum": [1.005, 2.675, 300_000.125, 4.0],
            "branch": pa.array(["朝阳支行", "NULL", "海淀支行", "朝阳支行"]).dictionary_encode(),
        }
    )
    pq.write_table(table, tmp_path / "groups.parquet", row_group_size=3)
    p = load_portfolio(tmp_path / "groups.parquet")
    assert p.array("aum").tolist() == [1.0, 2.68, 300_000.12, 4.0]  # numpy rounds 2.675 * 100 = 267.5 to 268
    assert p.households.codes.tolist() == [0, -1, 0, 1] and p.households.sizes.tolist() == [2, 1, 2, 1]
    assert p.frame["customer_id"].tolist() == ["C001", "C002", "C003", "C004"]

    gap = table.set_column(2, "aum", pa.array([1.0, None, 3.0, -4.0]))
    pq.write_table(gap, tmp_path / "gap.parquet", row_group_size=3)
    with pytest.raises(PortfolioError) as raised:
        load_portfolio(tmp_path / "gap.parquet")
    # a Parquet file has no header row: its customers are rows 1, 2, 3 ...
    assert "row 2, column aum: expected an amount in CNY (0 for none), found an empty cell" in str(
        raised.value
    )
    assert "row 4, column aum: expected an amount in CNY >= 0, found -4.0" in str(raised.value)

    frame = table.to_pandas()
    portfolio_from_frame(frame, "given")
    assert frame["aum"].tolist() == [1.005, 2.675, 300_000.125, 4.0]  # a caller's frame is not used up
    assert list(frame.columns) == ["customer_id", "household_id", "aum", "branch"]


def test_explicit_mapping_wins(tmp_path):
    path = write_csv(tmp_path / "x.csv", "客户,资产,余额\nA1,1,2\n")
    p = load_portfolio(path, mapping={"余额": "aum", "资产": "household_income"})
    assert p.array("aum").tolist() == [2.0]
    assert p.array("household_income").tolist() == [1.0]


def test_two_headers_for_one_column_is_an_error():
    with pytest.raises(PortfolioError, match="'日均资产' and 'aum' both map to column 'aum'"):
        map_headers(["customer_id", "日均资产", "aum"], COLUMNS)


def test_bad_values_name_row_and_column(tmp_path):
    path = write_csv(
        tmp_path / "bad.csv", "客户号,日均资产,信用卡\nA1,100,金卡\nA2,abc,普卡\nA3,-5,钛金卡\nA1,,无\n"
    )
    with pytest.raises(PortfolioError) as info:
        load_portfolio(path)
    message = str(info.value)
    assert message.startswith("bad.csv: 5 values cannot be used:")
    assert "row 3, column 日均资产 (aum): expected an amount in CNY (0 for none), found 'abc'" in message
    assert (
        "row 5, column 日均资产 (aum): expected an amount in CNY (0 for none), found an empty cell" in message
    )
    assert "row 4, column 日均资产 (aum): expected an amount in CNY >= 0, found '-5'" in message
    assert (
        "row 4, column 信用卡 (credit_card): expected one of none, standard, gold, platinum, found '钛金卡'"
        in message
    )
    assert (
        "row 5, column 客户号 (customer_id): expected a key not used on an earlier row, found 'A1'" in message
    )


def test_missing_file_and_wrong_type(tmp_path):
    with pytest.raises(PortfolioError, match="no such file"):
        load_portfolio(tmp_path / "nope.csv")
    (tmp_path / "data.bin").write_bytes(b"\x00\x01binary")
    with pytest.raises(
        PortfolioError,
        match=r"data.bin: expected CSV, Excel \(.xlsx, .xls\) or Parquet, but the file is binary data",
    ):
        load_portfolio(tmp_path / "data.bin")
    (tmp_path / "fake.xlsx").write_text("not a workbook")
    with pytest.raises(
        PortfolioError, match=r"fake.xlsx is text \(CSV\), not an Excel workbook \(.xlsx\) as its name says"
    ):
        load_portfolio(tmp_path / "fake.xlsx")


def test_no_customer_key_and_empty_file(tmp_path):
    with pytest.raises(PortfolioError, match="no customer key column"):
        load_portfolio(write_csv(tmp_path / "a.csv", "name,aum\nx,1\n"))
    with pytest.raises(PortfolioError, match="the file is empty"):
        load_portfolio(write_csv(tmp_path / "b.csv", ""))
    with pytest.raises(PortfolioError, match="has a header but no customer rows"):
        load_portfolio(write_csv(tmp_path / "c.csv", "customer_id,aum\n"))


def test_households(tmp_path):
    path = write_csv(tmp_path / "h.csv", "customer_id,aum,household_id\na,1,H1\nb,1,H1\nc,1,\nd,1,H2\n")
    hh = load_portfolio(path).households
    assert hh.sizes.tolist() == [2, 2, 1, 1]
    assert hh.codes[0] == hh.codes[1] and hh.codes[2] == -1
    assert hh.count == 2


def test_fingerprint_follows_content(tmp_path):
    a = load_portfolio(write_csv(tmp_path / "a.csv", "customer_id,aum\na,1\n"))
    b = load_portfolio(write_csv(tmp_path / "b.csv", "客户号,日均资产\na,1\n"))
    c = load_portfolio(write_csv(tmp_path / "c.csv", "customer_id,aum\na,2\n"))
    assert a.fingerprint() == b.fingerprint() != c.fingerprint()
    assert isinstance(np.asarray(a.array("aum")), np.ndarray)


def test_fingerprint_is_the_customers_not_their_order(tmp_path):
    one = load_portfolio(write_csv(tmp_path / "one.csv", "customer_id,aum\na,1\nb,2\nc,3\n"))
    shuffled = load_portfolio(write_csv(tmp_path / "two.csv", "customer_id,aum\nc,3\na,1\nb,2\n"))
    swapped = load_portfolio(write_csv(tmp_path / "three.csv", "customer_id,aum\na,2\nb,1\nc,3\n"))
    assert one.fingerprint() == shuffled.fingerprint() != swapped.fingerprint()


def test_problems_of_many_columns_are_listed_in_the_columns_order(tmp_path):
    # amounts are converted on other threads: the report is still the first eight problems
    # taking the columns left to right, then sorted by row
    rows = ["customer_id,aum,household_income,wealth_account,mortgage_6m"]
    rows += [f"C{i},x{i},-{i},maybe,y{i}" for i in range(1, 5)]
    path = write_csv(tmp_path / "bad.csv", "\n".join(rows) + "\n")
    with pytest.raises(PortfolioError) as raised:
        load_portfolio(path)
    message = str(raised.value)
    assert message.startswith("bad.csv: 16 values cannot be used:")
    listed = [line.strip() for line in message.splitlines()[1:]]
    assert listed[-1] == "... and 8 more"
    assert [line.split(":")[0] for line in listed[:-1]] == [
        f"row {r}, column {c}" for r in (2, 3, 4, 5) for c in ("aum", "household_income")
    ]
    assert "found 'x1'" in listed[0] and "expected an amount in CNY >= 0, found '-1'" in listed[1]
