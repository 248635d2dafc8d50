"""No figure is misread silently: units, totals rows, number formats, placeholders,
non-finite amounts, workbooks, duplicated headers, encodings, rounding. Each class with
several variants; each case either reads the amounts as meant (and says how) or is refused
with a message naming the file, row and column."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import openpyxl
import pytest

from workbench.cli import main

SIMULATE = ["simulate", "--scheme", "branch-layers", "--format", "json"]


def simulate(capsys, path: Path, *extra: str) -> tuple[int, dict | None, str]:
    code = main([*SIMULATE, "--portfolio", str(path), *extra])
    captured = capsys.readouterr()
    data = json.loads(captured.out, parse_constant=_no_constants) if code == 0 else None
    return code, data, captured.err


def _no_constants(name: str):
    raise AssertionError(f"JSON holds {name}: output must be strict JSON")


def csv(tmp_path: Path, text: str, name: str = "export.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding=encoding)
    return path


def per_tier(data: dict) -> dict[str, int]:
    return {t["tier"]: t["customers"] for t in data["tiers"] if t["customers"]}


# -- units ---------------------------------------------------------------------------------

UNITS = [
    ("a title row 单位：万元", "客户资产表\n单位：万元\n客户号,日均资产\nA,50\nB,4\n", 540_000, "10,000 CNY"),
    (
        "a title cell (金额单位:万元)",
        "（金额单位:万元）,\n客户号,日均资产\nA,50\nB,4\n",
        540_000,
        "10,000 CNY",
    ),
    ("a title row saying 元", "(金额单位:元)\n客户号,日均资产\nA,50\nB,4\n", 54, None),
    ("a header in 千元", "客户号,日均资产(千元)\nA,500\nB,40\n", 540_000, "1,000 CNY"),
    ("a header in 百万元", "客户号,日均资产(百万元)\nA,0.5\nB,0.04\n", 540_000, "1,000,000 CNY"),
    ("a header in 亿元", "客户号,日均资产（亿元）\nA,0.005\nB,0.0004\n", 540_000, "100,000,000 CNY"),
    ("a header in 万", "客户号,日均资产(万)\nA,50\nB,4\n", 540_000, "10,000 CNY"),
    ("a header in thousand CNY", "customer_id,AUM (thousand CNY)\nA,500\nB,40\n", 540_000, "1,000 CNY"),
    ("a header in CNY '000", "customer_id,AUM (CNY '000)\nA,500\nB,40\n", 540_000, "1,000 CNY"),
    ("a header's own unit beats the title's", "单位：万元\n客户号,日均资产(元)\nA,50\nB,4\n", 54, None),
    ("cells written in 万 and 亿", "客户号,日均资产\nA,50万\nB,0.0004亿\n", 540_000, "万 or 亿"),
]


@pytest.mark.parametrize(("case", "text", "total", "said"), UNITS, ids=[u[0] for u in UNITS])
def test_amounts_are_read_in_the_unit_the_file_states(capsys, tmp_path, case, text, total, said):
    code, data, err = simulate(capsys, csv(tmp_path, text))
    assert code == 0, err
    assert data["aum"] == total
    if said:
        assert said in err  # the note says how the amounts were read


@pytest.mark.parametrize(
    ("case", "text", "fragment"),
    [
        ("a title row in US dollars", "单位：美元\n客户号,日均资产\nA,50\n", "单位：美元"),
        ("a header in USD", "customer_id,AUM (USD)\nA,50\n", "column AUM (USD) is in USD"),
        ("a header in 港币", "客户号,日均资产(港币)\nA,50\n", "is in 港币"),
        ("a unit nobody can read", "单位：箱\n客户号,日均资产\nA,50\n", "单位：箱"),
    ],
)
def test_a_unit_that_is_not_cny_is_refused(capsys, tmp_path, case, text, fragment):
    code, _, err = simulate(capsys, csv(tmp_path, text))
    assert code == 1 and fragment in err and "export.csv" in err


def test_the_unit_can_be_given_on_the_command_line_and_in_a_scenario(capsys, tmp_path):
    path = csv(tmp_path, "客户号,日均资产\nA,50\nB,4\n")
    code, data, err = simulate(capsys, path, "--unit", "万元")
    assert code == 0 and data["aum"] == 540_000 and "(given)" in err
    scenario = tmp_path / "s.toml"
    scenario.write_text(
        f'scheme = "branch-layers"\n[portfolio]\npath = "{path.name}"\nunit = "万元"\n', encoding="utf-8"
    )
    assert main(["simulate", str(scenario), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["aum"] == 540_000
    code, _, err = simulate(capsys, path, "--unit", "箱")
    assert code == 1 and "unit '箱': expected a unit of CNY" in err


def test_a_title_in_dollars_can_be_overridden_only_by_a_given_unit(capsys, tmp_path):
    path = csv(tmp_path, "单位：美元\n客户号,日均资产\nA,50\n")
    code, _, err = simulate(capsys, path)
    assert code == 1 and "--unit" in err
    code, data, _ = simulate(capsys, path, "--unit", "元")
    assert code == 0 and data["aum"] == 50


# -- totals rows ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "label", ["合计", "合计:", "合 计", "总计（元）", "TOTAL:", "Grand total", "小计", "Subtotal", "合计："]
)
@pytest.mark.parametrize("where", ["bottom", "top", "middle"])
def test_a_totals_row_is_never_a_customer(capsys, tmp_path, label, where):
    rows = ["A,100", "B,250", "C,50"]
    at = {"bottom": 3, "top": 0, "middle": 2}[where]
    rows.insert(at, f'"{label}",400')
    code, data, err = simulate(capsys, csv(tmp_path, "客户号,日均资产\n" + "\n".join(rows) + "\n"))
    assert code == 0, err
    assert data["customers"] == 3 and data["aum"] == 400
    assert "is a totals row, not a customer: left out" in err


def test_a_totals_row_labelled_in_another_column(capsys, tmp_path):
    text = "客户号,网点,日均资产\nA,朝阳,100\nB,海淀,250\n,合计,350\n,小计 ,350\n"
    code, data, err = simulate(capsys, csv(tmp_path, text))
    assert code == 0, err
    assert data["customers"] == 2 and data["aum"] == 350
    assert "rows 4 (合计), 5 (小计) are totals rows" in err


def test_a_customer_named_like_a_branch_is_still_a_customer(capsys, tmp_path):
    text = "客户号,网点,日均资产\nA,总行营业部,100\nB,小店支行,250\n"
    code, data, _ = simulate(capsys, csv(tmp_path, text))
    assert code == 0 and data["customers"] == 2


# -- number formats ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "total"),
    [
        ("客户号;日均资产\nA;300000,50\nB;100\n", 300_100.50),
        ("客户号;日均资产\nA;300.000,00\nB;1.500,25\n", 301_500.25),
        ("客户号;日均资产\nA;1.234.567\nB;0,5\n", 1_234_567.5),
        ('客户号,日均资产\nA,"1,234.56"\nB,"1,000"\n', 2_234.56),
        ('客户号,日均资产\nA,"1,234,567"\nB,12.5\n', 1_234_579.5),
        ("客户号,日均资产\nA,1 234 567\nB,3\n", 1_234_570),
    ],
)
def test_the_decimal_mark_is_decided_from_the_whole_file(capsys, tmp_path, text, total):
    code, data, err = simulate(capsys, csv(tmp_path, text))
    assert code == 0, err
    assert data["aum"] == pytest.approx(total, abs=0.001)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ('客户号,日均资产\nA,"1,2,3"\n', "row 2, column 日均资产 (aum): expected an amount in CNY"),
        ('客户号;日均资产\nA;1.234,5\nB;"1,234.5"\n', "amounts are written two ways"),
        ("客户号;日均资产\nA;1.234\nB;2.000\n", "depending on the decimal mark"),
        ('客户号,日均资产\nA,"1,23,4"\n', "found '1,23,4'"),
    ],
)
def test_an_amount_that_fits_no_format_or_two_is_refused(capsys, tmp_path, text, fragment):
    code, _, err = simulate(capsys, csv(tmp_path, text))
    assert code == 1 and fragment in err, err


def test_the_decimal_mark_can_be_given_when_the_file_does_not_tell(capsys, tmp_path):
    path = csv(tmp_path, "客户号;日均资产\nA;1.234\nB;2.000\n")
    code, data, _ = simulate(capsys, path, "--decimal", ",")
    assert code == 0 and data["aum"] == 3_234
    code, data, _ = simulate(capsys, path, "--decimal", ".")
    assert code == 0 and data["aum"] == 3.23  # 1.234 + 2.000, every amount kept to the fen


# -- placeholders ------------------------------------------------------------------------------------


@pytest.mark.parametrize("placeholder", ["NULL", "NaN", "-", "无", "N/A", "0", "null", "#N/A", "—"])
def test_a_placeholder_household_id_pools_nobody(capsys, tmp_path, placeholder):
    # Pooled, the three strangers' mean (83,333) would make all of them gold by household.
    text = f"客户号,家庭号,日均资产\nA,{placeholder},100000\nB,{placeholder},60000\nC,{placeholder},90000\n"
    code = main(
        [
            "simulate",
            "--scheme",
            "industrial-bank",
            "--portfolio",
            str(csv(tmp_path, text)),
            "--format",
            "json",
        ]
    )
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert per_tier(json.loads(captured.out)) == {"silver": 2, "gold": 1}
    assert "read as none" in captured.err


# -- amounts that are not finite ------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["inf", "-inf", "Infinity", "1e309", "NaN", "1e20", "5e12"])
def test_an_amount_that_is_not_a_finite_balance_is_refused(capsys, tmp_path, value):
    code, _, err = simulate(capsys, csv(tmp_path, f"客户号,日均资产\nA,100\nB,{value}\n"))
    assert code == 1 and "row 3, column 日均资产 (aum)" in err


def test_json_output_is_strict(capsys, tmp_path):
    """Every number is finite: an explanation of a metric that does not apply is null."""
    path = csv(tmp_path, "客户号,日均资产\nA,100\n")
    code = main(
        [
            "explain",
            "--scheme",
            "industrial-bank",
            "--portfolio",
            str(path),
            "--customer",
            "A",
            "--format",
            "json",
        ]
    )
    out = capsys.readouterr().out
    assert code == 0
    data = json.loads(out, parse_constant=_no_constants)
    assert data["customer"]["metrics"]["household_aum"] is None


# -- workbooks -----------------------------------------------------------------------------------------


def workbook(tmp_path: Path, build) -> Path:
    book = openpyxl.Workbook()
    build(book)
    path = tmp_path / "export.xlsx"
    book.save(path)
    return path


def test_a_merged_household_id_reaches_every_member(capsys, tmp_path):
    def build(book):
        ws = book.active
        ws.append(["客户号", "家庭号", "日均资产"])
        for row in (["A", "H1", 100_000], ["B", None, 60_000], ["C", None, 90_000], ["D", "", 10]):
            ws.append(row)
        ws.merge_cells("B2:B4")

    path = workbook(tmp_path, build)
    code = main(["simulate", "--scheme", "industrial-bank", "--portfolio", str(path), "--format", "json"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert per_tier(json.loads(captured.out)) == {"silver": 1, "gold": 3}  # household mean 83,333
    assert "column 家庭号, rows 2-4 are merged: 'H1' read for each of those rows" in captured.err


def test_an_amount_merged_over_several_customers_is_refused(capsys, tmp_path):
    def build(book):
        ws = book.active
        ws.append(["客户号", "日均资产"])
        ws.append(["A", 300_000])
        ws.append(["B", None])
        ws.merge_cells("B2:B3")

    code, _, err = simulate(capsys, workbook(tmp_path, build))
    assert code == 1 and "column 日均资产, rows 2-3 are merged into one cell" in err


def test_the_visible_sheet_with_the_table_is_read_not_a_hidden_one(capsys, tmp_path):
    def build(book):
        hidden = book.active
        hidden.title = "old"
        hidden.append(["客户号", "日均资产"])
        hidden.append(["OLD", 999_999_999])
        hidden.sheet_state = "hidden"
        summary = book.create_sheet("汇总")
        summary.append(["网点", "客户数", "日均资产"])
        summary.append(["朝阳", 2, 600])
        table = book.create_sheet("客户")
        table.append(["客户号", "日均资产"])
        table.append(["A", 100])
        table.append(["B", 500])
        book.active = 1

    code, data, err = simulate(capsys, workbook(tmp_path, build))
    assert code == 0, err
    assert data["customers"] == 2 and data["aum"] == 600
    assert "read sheet '客户' (2 rows below the header); other sheets: 'old' (hidden), '汇总'" in err


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        (datetime.date(2026, 10, 31), "found a date (2026-10-31)"),
        ("=B2*2", "found a formula with no saved value (=B2*2)"),
        ("#N/A", "found the Excel error #N/A"),
    ],
)
def test_dates_errors_and_unsaved_formulas_in_amounts_are_named(capsys, tmp_path, value, fragment):
    def build(book):
        ws = book.active
        ws.append(["客户号", "日均资产"])
        ws.append(["A", 100])
        ws.append(["B", value])
        if value == "#N/A":
            ws["B3"].data_type = "e"

    code, _, err = simulate(capsys, workbook(tmp_path, build))
    assert code == 1 and "export.xlsx, sheet Sheet" in err and "row 3, column 日均资产 (aum)" in err
    assert fragment in err, err


# -- duplicated headers --------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["客户号,aum,aum\nA,1,2\n", "customer_id;日均资产;日均资产\nA;1;2\n"])
def test_a_header_named_twice_is_refused(capsys, tmp_path, text):
    code, _, err = simulate(capsys, csv(tmp_path, text))
    assert code == 1 and "twice (columns B and C)" in err


def test_a_header_named_twice_in_a_workbook_is_refused(capsys, tmp_path):
    def build(book):
        book.active.append(["客户号", "日均资产", "日均资产"])
        book.active.append(["A", 1, 2])

    code, _, err = simulate(capsys, workbook(tmp_path, build))
    assert code == 1 and "export.xlsx, sheet Sheet: the header names '日均资产' twice" in err


# -- encodings -------------------------------------------------------------------------------------------


def test_a_utf8_file_with_a_gbk_line_reads_each_line_as_written(capsys, tmp_path):
    path = tmp_path / "mixed.csv"
    head = "客户号,网点,日均资产\n".encode() + "A,朝阳支行,100\n".encode()
    path.write_bytes(head + b"B," + "海淀支行".encode("gbk") + b",250\n" + "C,西城支行,50\n".encode())
    code = main(["classify", "--scheme", "branch-layers", "--portfolio", str(path), "--output", "-"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert "1 line is GB18030/GBK (line 3)" in captured.err
    code = main([*SIMULATE, "--portfolio", str(path)])
    assert code == 0 and json.loads(capsys.readouterr().out)["aum"] == 400


def test_a_line_in_no_known_encoding_is_named(capsys, tmp_path):
    path = tmp_path / "broken.csv"
    path.write_bytes("客户号,日均资产\nA,100\n".encode() + b"B\xff\xfe\xfd,5\n")
    code, _, err = simulate(capsys, path)
    assert code == 1 and "line 3 is neither UTF-8 nor GB18030/GBK text" in err


# -- one rounding rule --------------------------------------------------------------------------------


def test_personal_and_household_amounts_are_compared_at_the_fen_alike(capsys, tmp_path):
    """79,999.995 is 80,000.00 to the fen, for a person as for a household."""
    text = "客户号,家庭号,日均资产\nALONE,,79999.995\nP1,H,79999.995\nP2,H,79999.995\n"
    argv = [
        "simulate",
        "--scheme",
        "industrial-bank",
        "--portfolio",
        str(csv(tmp_path, text)),
        "--format",
        "json",
    ]
    code = main([*argv, "--set", "gold_personal=80000", "--set", "gold_household=80000"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert per_tier(json.loads(captured.out)) == {"gold": 3}
