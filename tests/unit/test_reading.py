"""Messy but readable bank exports: each is read as the bank meant it, and says how."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from workbench.errors import PortfolioError
from workbench.files.portfolios import load_portfolio
from workbench.files.reading import sniff

ROWS = "客户号,月日均资产\nA1,100\nA2,250\n"


def aum(path: Path, **kwargs) -> tuple[list[str], float, tuple[str, ...]]:
    portfolio = load_portfolio(path, **kwargs)
    return (
        portfolio.frame["customer_id"].tolist(),
        float(portfolio.array("aum").sum()),
        tuple(note.en for note in portfolio.notes),
    )


def test_gbk_with_a_title_line_above_the_header(tmp_path):
    path = tmp_path / "十月.csv"
    path.write_text("2026年10月客户资产报表\n单位:元\n" + ROWS, encoding="gbk")
    ids, total, notes = aum(path)
    assert (ids, total) == (["A1", "A2"], 350.0)
    assert "十月.csv is GB18030/GBK text (a Chinese spreadsheet's CSV); read as such" in notes
    assert "十月.csv: the header is on line 3; the lines above it were skipped" in notes


def test_byte_order_mark(tmp_path):
    path = tmp_path / "bom.csv"
    path.write_text(ROWS, encoding="utf-8-sig")
    assert aum(path) == (["A1", "A2"], 350.0, ())


def test_excel_unicode_text_is_utf16_with_tabs(tmp_path):
    path = tmp_path / "导出.txt"
    path.write_text(ROWS.replace(",", "\t"), encoding="utf-16")
    ids, total, notes = aum(path)
    assert (ids, total) == (["A1", "A2"], 350.0)
    assert notes == ("导出.txt: columns separated by tabs",)


def test_semicolons(tmp_path):
    path = tmp_path / "eu.csv"
    path.write_text(ROWS.replace(",", ";"), encoding="utf-8")
    assert aum(path)[:2] == (["A1", "A2"], 350.0)


def test_text_saved_with_an_xls_name(tmp_path):
    path = tmp_path / "core-banking.xls"
    path.write_text(ROWS.replace(",", "\t"), encoding="gbk")
    ids, total, notes = aum(path)
    assert (ids, total) == (["A1", "A2"], 350.0)
    assert (
        notes[0]
        == "core-banking.xls is text (CSV), not an old Excel workbook (.xls) as its name says; read as such"
    )


def test_workbook_with_a_notes_sheet_first_and_title_rows(tmp_path):
    path = tmp_path / "export.xlsx"
    with pd.ExcelWriter(path) as writer:
        pd.DataFrame([["本表说明"], ["金额单位:元"]]).to_excel(
            writer, sheet_name="说明", header=False, index=False
        )
        pd.DataFrame(
            [["客户资产明细", None], [None, None], ["客户号", "月日均资产"], ["A1", 100], ["A2", 250]]
        ).to_excel(writer, sheet_name="客户", header=False, index=False)
    ids, total, notes = aum(path)
    assert (ids, total) == (["A1", "A2"], 350.0)
    assert "export.xlsx: read sheet '客户' (2 rows below the header); other sheets: '说明'" in notes
    assert "export.xlsx, sheet 客户: the header is on row 3; the rows above it were skipped" in notes


def test_a_bad_value_below_title_and_empty_rows_names_the_files_own_row(tmp_path):
    path = tmp_path / "gaps.csv"
    path.write_text("报表\n客户号,月日均资产\nA1,100\n\n,\nA2,abc\n", encoding="utf-8")
    with pytest.raises(PortfolioError, match=r"row 6, column 月日均资产 \(aum\): expected an amount in CNY"):
        load_portfolio(path)


def test_empty_rows_are_left_out_and_said(tmp_path):
    path = tmp_path / "gaps.csv"
    path.write_text("客户号,月日均资产\nA1,100\n\n,\nA2,250\n", encoding="utf-8")
    ids, total, notes = aum(path)
    assert (ids, total) == (["A1", "A2"], 350.0)
    assert notes == ("gaps.csv: 2 empty rows left out (row 3, 4)",)


def test_a_totals_row_is_not_a_customer(tmp_path):
    path = tmp_path / "totals.csv"
    path.write_text(ROWS + "合计,350\n", encoding="utf-8")
    ids, total, notes = aum(path)
    assert (ids, total) == (["A1", "A2"], 350.0)  # not 700: the total is not counted twice
    assert notes == ("totals.csv: row 4 (合计) is a totals row, not a customer: left out",)


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"PAR1....", "parquet"),
        (b"PK\x03\x04....[Content_Types].xml", "xlsx"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "xls"),
        (b"\xff\xfec\x00", "text"),
        (b"<!DOCTYPE html><html>", "a web page (HTML)"),
        (b"%PDF-1.4", "a PDF document"),
        (b"a,b\n1,2\n", "text"),
        (b"", "empty"),
    ],
)
def test_sniff(tmp_path, data, kind):
    path = tmp_path / "f"
    path.write_bytes(data)
    assert sniff(path) == kind


def test_a_delimiter_closing_every_line_shifts_nothing(tmp_path):
    path = tmp_path / "core.csv"
    path.write_text("客户号,月日均资产,\nA1,100,\nA2,250,\n", encoding="utf-8")
    assert aum(path)[:2] == (["A1", "A2"], 350.0)


def test_values_beyond_the_header_are_refused_not_dropped(tmp_path):
    path = tmp_path / "shifted.csv"
    path.write_text("客户号,月日均资产\nA1,100,7\nA2,250,8\n", encoding="utf-8")
    with pytest.raises(PortfolioError, match="line 2 has 3 values but the header names 2 columns"):
        load_portfolio(path)


def test_notes_exist_in_chinese_too(tmp_path):
    path = tmp_path / "totals.csv"
    path.write_text("单位:万元\n客户号,日均资产\nA1,50\nA2,1\n合计,51\n", encoding="gb18030")
    portfolio = load_portfolio(path)
    chinese = [note.zh for note in portfolio.notes]
    assert all(note.zh and note.zh != note.en for note in portfolio.notes)
    assert any("合计行" in n for n in chinese) and any("已换算为元" in n for n in chinese)
    assert portfolio.array("aum").tolist() == [500_000.0, 10_000.0]
