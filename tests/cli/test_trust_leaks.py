"""Nothing a file held runs in the spreadsheets we write; masked ids cannot be looked up;
report files do not show figures built from a handful of customers."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from workbench.cli import main

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
PUBLISHED = str(SCENARIOS / "industrial-bank-baseline.toml")
PLATINUM_500K = str(SCENARIOS / "industrial-bank-platinum-500k.toml")
RISKY = ['=HYPERLINK("http://x","y")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(1)", "\t=1"]


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def risky(tmp_path: Path) -> Path:
    frame = pd.DataFrame({"customer_id": RISKY, "aum": [400_000, 350_000, 320_000, 310_000, 900_000]})
    path = tmp_path / "risky.csv"
    frame.to_csv(path, index=False)
    return path


def test_no_text_becomes_a_formula_in_a_workbook(capsys, tmp_path, risky):
    report = tmp_path / "report.xlsx"
    code, _, err = run(
        capsys,
        "compare",
        PUBLISHED,
        PLATINUM_500K,
        "--portfolio",
        str(risky),
        "--output",
        str(report),
        "--per-customer",
        "--min-cell",
        "1",
    )
    assert code == 0, err
    sheet = openpyxl.load_workbook(report)["Customers who move"]
    ids = [row[0] for row in sheet.iter_rows(min_row=3)]
    assert {c.value for c in ids} <= set(RISKY) and ids
    assert all(c.data_type == "s" for c in ids)  # text, not a formula
    for ws in openpyxl.load_workbook(report):
        for row in ws.iter_rows():
            assert not any(c.data_type == "f" for c in row), ws.title


def test_a_scenario_named_like_a_formula_stays_text(capsys, tmp_path):
    scenario = tmp_path / "evil.toml"
    scenario.write_text('name = "=1+1"\nnotes = "@SUM(A1)"\nscheme = "branch-layers"\n', encoding="utf-8")
    report = tmp_path / "r.xlsx"
    assert (
        run(capsys, "compare", str(scenario), str(scenario), "--sample-rows", "200", "--output", str(report))[
            0
        ]
        == 0
    )
    cells = [
        c for ws in openpyxl.load_workbook(report) for row in ws.iter_rows() for c in row if c.value == "=1+1"
    ]
    assert cells and all(c.data_type == "s" for c in cells)
    csv_report = tmp_path / "r.csv"
    assert (
        run(
            capsys,
            "compare",
            str(scenario),
            str(scenario),
            "--sample-rows",
            "200",
            "--output",
            str(csv_report),
        )[0]
        == 0
    )
    assert "'=1+1" in csv_report.read_text(encoding="utf-8-sig")


def test_csv_outputs_quote_risky_text_as_owasp_says(capsys, tmp_path, risky):
    out = tmp_path / "tiers.csv"
    assert (
        run(capsys, "classify", "--scheme", "branch-layers", "--portfolio", str(risky), "--output", str(out))[
            0
        ]
        == 0
    )
    ids = pd.read_csv(out, keep_default_na=False)["customer_id"].tolist()
    assert ids == ["'" + r.strip() for r in RISKY]  # read trimmed, written safe
    code, text, _ = run(
        capsys, "classify", "--scheme", "branch-layers", "--portfolio", str(risky), "--output", "-"
    )
    assert code == 0 and "\n=HYPERLINK" not in text and "'=HYPERLINK" in text


# -- masking ---------------------------------------------------------------------------------


def test_explain_masks_the_household_and_shows_no_real_id_by_way_of_example(capsys, tmp_path):
    path = tmp_path / "p.csv"
    path.write_text("客户号,家庭号,日均资产\nK0000001,HH-778,100\nK0000002,HH-778,50\n", encoding="utf-8")
    base = ["explain", "--scheme", "industrial-bank", "--portfolio", str(path), "--mask-ids"]
    code, out, _ = run(capsys, *base, "--customer", "K0000001", "--format", "json")
    assert code == 0 and "HH-778" not in out and "K0000001" not in out
    assert json.loads(out)["customer"]["inputs"]["household_id"].startswith("m-")
    code, _, err = run(capsys, *base, "--customer", "K9999999")
    assert code == 1 and "K0000001" not in err and "K9999999" not in err and "is not in p.csv" in err
    code, _, err = run(capsys, *base[:-1], "--customer", "K9999999")
    assert code == 1 and "ids look like 'K0000001'" in err  # unmasked, the example helps


# -- the minimum cell size -------------------------------------------------------------------------


@pytest.fixture
def few(tmp_path: Path) -> Path:
    """One black-gold customer, three platinum, many below."""
    rows = [("BG", 2_000_000.0), ("P1", 400_000.0), ("P2", 350_000.0), ("P3", 320_000.0)]
    rows += [(f"G{i}", 150_000.0 + i) for i in range(30)] + [(f"S{i}", 1_000.0 + i) for i in range(60)]
    path = tmp_path / "few.csv"
    pd.DataFrame(rows, columns=["customer_id", "aum"]).to_csv(path, index=False)
    return path


def tiers(report: Path, label: str = "A") -> dict[str, dict]:
    data = json.loads(report.read_text(encoding="utf-8"))
    scenario = next(s for s in data["scenarios"] if s["label"] == label)
    return {t["tier"]: t for t in scenario["tiers"]}


def test_report_files_suppress_money_of_tiers_with_few_customers(capsys, tmp_path, few):
    report = tmp_path / "c.json"
    args = ["compare", PUBLISHED, PLATINUM_500K, "--portfolio", str(few), "--output", str(report)]
    assert run(capsys, *args)[0] == 0
    a = tiers(report)
    assert (
        a["black_gold"]["customers"] == 1 and a["black_gold"]["aum"] is None and a["black_gold"]["suppressed"]
    )
    assert a["platinum"]["customers"] == 3 and a["platinum"]["benefit_cost"] is None
    assert a["gold"]["aum"] == round(sum(150_000.0 + i for i in range(30)), 2)  # 30 customers: shown
    b = tiers(report, "B")  # platinum from 500k: two of the three fall to gold
    assert b["gold"]["aum"] is None  # two customers moved into gold: their balances would show
    assert run(capsys, *args, "--min-cell", "1")[0] == 0
    assert tiers(report)["black_gold"]["aum"] == 2_000_000


def test_one_suppressed_tier_takes_another_with_it(capsys, tmp_path, few):
    """Otherwise the total less the others gives the suppressed tier's AUM."""
    (tmp_path / "two.csv").write_text(
        "customer_id,aum\n"
        + "".join(f"G{i},{150_000 + i}\n" for i in range(30))
        + "BG,2000000\n"
        + "".join(f"S{i},{1000 + i}\n" for i in range(40)),
        encoding="utf-8",
    )
    report = tmp_path / "c.json"
    assert (
        run(capsys, "compare", PUBLISHED, "--portfolio", str(tmp_path / "two.csv"), "--output", str(report))[
            0
        ]
        == 0
    )
    a = tiers(report)
    assert a["black_gold"]["aum"] is None and a["gold"]["aum"] is None  # gold (30) is the smallest other
    assert a["silver"]["aum"] is not None


def test_the_screen_commands_keep_exact_figures(capsys, few):
    code, out, _ = run(capsys, "simulate", PUBLISHED, "--portfolio", str(few), "--format", "json")
    assert code == 0
    assert {t["tier"]: t["aum"] for t in json.loads(out)["tiers"]}["black_gold"] == 2_000_000
    code, out, _ = run(
        capsys, "compare", PUBLISHED, PLATINUM_500K, "--portfolio", str(few), "--format", "json"
    )
    assert code == 0 and "null" not in out


def test_a_sweep_does_not_give_away_who_moved_between_steps(capsys, few):
    args = ["sweep", PUBLISHED, "--portfolio", str(few), "--param", "platinum_personal"]
    code, out, _ = run(
        capsys, *args, "--from", "300000", "--to", "420000", "--steps", "13", "--format", "json"
    )
    assert code == 0
    points = json.loads(out)["points"]
    # platinum 300k -> 330k moves P3 (320,000) to gold: one customer, so gold's AUM is not shown there
    at = {p["value"]: p for p in points}
    assert at[330_000]["aum"]["gold"] is None
    assert at[300_000]["aum"]["gold"] is not None
    assert all(p["aum"]["black_gold"] is None for p in points)  # one customer, always
    code, out, _ = run(
        capsys,
        *args,
        "--from",
        "300000",
        "--to",
        "420000",
        "--steps",
        "13",
        "--min-cell",
        "1",
        "--format",
        "json",
    )
    assert all(p["aum"]["black_gold"] == 2_000_000 for p in json.loads(out)["points"])


def test_markdown_reports_pass_no_html_from_notes(capsys, tmp_path):
    scenario = tmp_path / "x.toml"
    scenario.write_text(
        'name = "<b>bold</b> [click](javascript:alert(1))"\nnotes = "<script>alert(1)</script>"\n'
        'scheme = "branch-layers"\n',
        encoding="utf-8",
    )
    report = tmp_path / "r.md"
    assert (
        run(capsys, "compare", str(scenario), str(scenario), "--sample-rows", "100", "--output", str(report))[
            0
        ]
        == 0
    )
    text = report.read_text(encoding="utf-8")
    assert "<script>" not in text and "<b>" not in text and "](javascript" not in text
    assert "&lt;script&gt;" in text
