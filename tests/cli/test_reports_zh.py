"""Reports written with --lang zh are Chinese throughout, and every output colours a change
by what it means for the bank (a saving is good, whatever its sign)."""

import re
from pathlib import Path

import openpyxl
import pandas as pd

from workbench.cli import main
from workbench.present.words_reports import REPORT_WORDS

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
TWO = [str(SCENARIOS / n) for n in ("industrial-bank-baseline.toml", "industrial-bank-platinum-500k.toml")]
SMALL = ["--sample-rows", "4000", "--sample-seed", "3"]
# Words of the report catalogue that must not be left in English in a Chinese report.
ENGLISH = [
    REPORT_WORDS[k].en for k in ("report.comparison", "report.what_differs", "report.tiers_by_scenario")
]


def write(capsys, tmp_path: Path, name: str) -> Path:
    target = tmp_path / name
    assert main(["compare", *TWO, *SMALL, "--lang", "zh", "--output", str(target)]) == 0
    capsys.readouterr()
    return target


def test_chinese_workbook_has_chinese_sheets_headings_and_tier_order(capsys, tmp_path):
    wb = openpyxl.load_workbook(write(capsys, tmp_path, "r.xlsx"))
    assert wb.sheetnames[0] == "汇总" and "迁移 B 对 A" in wb.sheetnames
    summary = wb["汇总"]
    texts = [str(c.value) for row in summary.iter_rows() for c in row if isinstance(c.value, str)]
    assert texts[0] == "情景对比"
    assert "等级" in texts and "权益成本变化(相对A)" in texts
    assert not any(english in texts for english in ENGLISH)
    migration = wb["迁移 B 对 A"]
    assert migration["A5"].value == "黑金卡" and migration["A8"].value == "银卡"  # as the summary
    assert [migration.cell(row=4, column=c).value for c in range(2, 6)] == [
        "黑金卡",
        "白金卡",
        "金卡",
        "银卡",
    ]


def test_chinese_html_and_markdown_speak_chinese(capsys, tmp_path):
    for name in ("r.html", "r.md"):
        text = write(capsys, tmp_path, name).read_text(encoding="utf-8")
        assert "情景对比" in text and "设置差异" in text and "示例客户" in text
        assert not any(english in text for english in ENGLISH), name
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert '<html lang="zh-CN">' in html


def test_a_saving_is_green_and_a_cost_increase_red(capsys, tmp_path):
    html = write(capsys, tmp_path, "r.html").read_text(encoding="utf-8")
    # raising the platinum bar saves cost (Δ cost negative: good) and moves customers down
    # out of platinum (Δ customers negative there: bad for the tier)
    cost_cells = re.findall(r'<td class="num (good|bad)">(-[\d.,]+万|[-+][\d,]+)</td>', html)
    assert any(v.endswith("万") for _, v in cost_cells), "no coloured cost change"
    for meaning, value in cost_cells:
        if value.endswith("万"):  # a cost change
            assert meaning == ("good" if value.startswith("-") else "bad"), value


def test_chinese_csv_has_chinese_headers(capsys, tmp_path):
    frame = pd.read_csv(write(capsys, tmp_path, "r.csv"))
    assert {"情景", "等级", "客户数", "权益成本(元)"} <= set(frame.columns)
    english = pd.read_csv(
        tmp_path / "e.csv"
        if main(["compare", *TWO, *SMALL, "--output", str(tmp_path / "e.csv")]) == 0
        else None
    )
    assert {"scenario", "customers", "benefit_cost"} <= set(english.columns)


def test_a_bad_file_is_explained_in_chinese_with_lang_zh(capsys, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("customer_id,aum\nc1,abc\nc2,\nc1,3\n", encoding="utf-8")
    assert main(["simulate", "--portfolio", str(path), "--lang", "zh"]) == 1
    err = capsys.readouterr().err
    assert "bad.csv:3个值无法使用" in err
    assert "第 2 行 aum 列:应为以元计的金额(无则填 0),实为'abc'" in err
    assert "第 3 行 aum 列:应为以元计的金额(无则填 0),实为空单元格" in err
    assert "实为'c1',已在第 2 行出现" in err
    assert main(["simulate", "--portfolio", str(path)]) == 1  # English by default
    assert "row 2, column aum: expected an amount in CNY (0 for none), found 'abc'" in capsys.readouterr().err


def test_common_file_errors_exist_in_chinese(capsys, tmp_path):
    cases = {
        "missing.csv": (None, "文件不存在"),
        "empty.csv": (b"", "文件是空的"),
        "ragged.csv": ("客户号,日均资产\nA1,100,7\n".encode(), "第 2 行有 3 个值"),
        "twice.csv": (b"customer_id,aum,aum\nc1,1,2\n", "出现了两次"),
        "scenario.toml": (b"scheme = ", "不是有效的 TOML"),
    }
    for name, (data, chinese) in cases.items():
        path = tmp_path / name
        if data is not None:
            path.write_bytes(data)
        argv = [str(path)] if name.endswith(".toml") else ["--portfolio", str(path)]
        assert main(["simulate", *argv, "--lang", "zh"]) == 1, name
        assert chinese in capsys.readouterr().err, name


def test_a_chinese_sweep_workbook_names_its_columns_and_charts_its_own_cells(capsys, tmp_path):
    target = tmp_path / "s.xlsx"
    argv = ["sweep", "--scheme", "industrial-bank", "--param", "platinum_personal", "--from", "200k"]
    assert main([*argv, "--to", "600k", "--steps", "5", *SMALL, "--lang", "zh", "--output", str(target)]) == 0
    book = openpyxl.load_workbook(target)
    assert book.sheetnames == ["扫描", "图表"]
    header = [c.value for c in book["扫描"][5]]
    assert header[0] == "白金卡:个人资产" and "客户数:黑金卡" in header and header[-1] == "权益成本合计(元)"
    charts = book["图表"]._charts
    assert len(charts) == 1  # a native chart: Excel draws its Chinese in its own fonts
    from openpyxl.utils import get_column_letter

    column = get_column_letter(len(header))  # the table's total-cost column, its rows 6 to 10
    assert charts[0].series[0].yVal.numRef.f == f"'扫描'!${column}$6:${column}$10"
