"""Compare, reports, sweep, solve and explain from the command line, read back from the files."""

import base64
import json
import re
import tomllib
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from workbench.cli import main

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
THREE = [
    str(SCENARIOS / n)
    for n in (
        "industrial-bank-baseline.toml",
        "industrial-bank-platinum-500k.toml",
        "industrial-bank-household-sum.toml",
    )
]
SMALL = ["--sample-rows", "4000", "--sample-seed", "3"]
PNG = b"\x89PNG\r\n\x1a\n"


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


class Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tables = 0
        self.images: list[bytes] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables += 1
        if tag == "img":
            src = dict(attrs)["src"]
            assert src.startswith("data:image/svg+xml;base64,"), "charts are inlined as SVG"
            self.images.append(base64.b64decode(src.split(",", 1)[1]))
        if tag in ("link", "script") and any(k in ("href", "src") for k, _ in attrs):
            raise AssertionError(f"external {tag}: the page must stand alone")

    def handle_data(self, data):
        self.text.append(data)


def test_compare_json_shape(capsys):
    code, out, _ = run(capsys, "compare", *THREE, *SMALL, "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["portfolio"]["rows"] == 4000 and re.fullmatch(
        r"[0-9a-f]{16}", data["portfolio"]["fingerprint"]
    )
    names = [s["name"] for s in data["scenarios"]]
    assert names == [
        "Industrial Bank: as published",
        "Industrial Bank: platinum raised to 500k",
        "Industrial Bank: household total instead of mean",
    ]
    for s in data["scenarios"]:
        assert sum(t["customers"] for t in s["tiers"]) == 4000
        assert s["total_benefit_cost"] == pytest.approx(sum(t["benefit_cost"] for t in s["tiers"]), abs=0.05)
    b = data["scenarios"][1]
    moved = b["migration"]["customers"][2][1]
    assert b["moved_customers"] == moved and b["tiers"][1]["delta_customers"] == moved
    assert {d["key"] for d in data["differences"]} == {
        "parameters.platinum_personal",
        "options.household_basis",
    }
    diff = next(d for d in data["differences"] if d["key"] == "parameters.platinum_personal")
    assert diff["values"] == [300000.0, 500000.0, 300000.0]


def test_compare_table_has_fingerprint_and_migrations(capsys):
    code, out, _ = run(capsys, "compare", *THREE[:2], *SMALL)
    assert code == 0
    assert "fingerprint" in out and "Migration: B against A (" in out
    assert "parameters.platinum_personal: 300,000 -> 500,000" in out


def test_excel_report(capsys, tmp_path):
    target = tmp_path / "compare.xlsx"
    assert run(capsys, "compare", *THREE, *SMALL, "--output", str(target))[0] == 0
    _, out, _ = run(capsys, "compare", *THREE, *SMALL, "--format", "json")
    data = json.loads(out)
    wb = openpyxl.load_workbook(target)
    assert wb.sheetnames[0] == "Summary"
    assert [n for n in wb.sheetnames if n.startswith("Migration")] == ["Migration B vs A", "Migration C vs A"]
    assert len([n for n in wb.sheetnames if n[:2] in ("A ", "B ", "C ")]) == 3
    summary = wb["Summary"]
    assert summary.freeze_panes is not None
    header_row = next(r for r in range(1, 20) if summary.cell(row=r, column=1).value == "scenario")
    assert summary.cell(row=header_row, column=3).value == "customers"
    first = header_row + 1  # A's highest tier
    assert summary.cell(row=first, column=1).value == "A"
    assert summary.cell(row=first, column=3).value == data["scenarios"][0]["tiers"][-1]["customers"]
    assert summary.cell(row=first, column=3).number_format == "#,##0"
    assert summary.cell(row=first, column=4).number_format == "0.0%"
    migration = wb["Migration B vs A"]
    assert migration["A5"].value == "Black gold"  # highest tier first, as on the summary
    assert migration["B4"].value == "Black gold"
    b = data["scenarios"][1]["migration"]["customers"]
    assert migration["D6"].value == b[2][1]  # platinum (row 6) -> gold (column D)
    scenario_sheet = wb[next(n for n in wb.sheetnames if n.startswith("A "))]
    assert scenario_sheet.freeze_panes == "A5"


def test_html_report(capsys, tmp_path):
    target = tmp_path / "compare.html"
    assert run(capsys, "compare", *THREE, *SMALL, "--output", str(target))[0] == 0
    page = Page()
    page.feed(target.read_text(encoding="utf-8"))
    text = " ".join(page.text)
    assert page.tables >= 6  # tiers, 2 migrations, 3 cost tables
    assert len(page.images) == 4  # cost chart and a pyramid per scenario
    assert all(b"<svg" in img[:400] and len(img) > 2_000 for img in page.images)
    assert "Industrial Bank: household total instead of mean" in text and "fingerprint" in text


def test_markdown_and_csv_reports(capsys, tmp_path):
    md, csv = tmp_path / "c.md", tmp_path / "c.csv"
    run(capsys, "compare", *THREE[:2], *SMALL, "--output", str(md))
    run(capsys, "compare", *THREE[:2], *SMALL, "--output", str(csv))
    text = md.read_text(encoding="utf-8")
    assert text.startswith("# Scenario comparison") and "## Migration: B against A" in text
    assert "|---:|" in text.replace(":---|", "|")
    frame = pd.read_csv(csv)
    assert len(frame) == 8 and frame.groupby("scenario").customers.sum().tolist() == [4000, 4000]


def test_report_type_must_be_known(capsys, tmp_path):
    code, _, err = run(capsys, "compare", *THREE[:2], *SMALL, "--output", str(tmp_path / "c.docx"))
    assert code == 2 and "unsupported type .docx" in err


def test_sweep_outputs(capsys, tmp_path):
    args = [
        "sweep",
        THREE[0],
        *SMALL,
        "--param",
        "platinum_personal",
        "--from",
        "150k",
        "--to",
        "950k",
        "--steps",
        "9",
    ]
    code, out, _ = run(capsys, *args)
    assert code == 0 and "300,000 *" in out and "bends" in out
    code, out, _ = run(capsys, *args, "--format", "json")
    data = json.loads(out)
    assert [p["value"] for p in data["points"]][:3] == [150_000, 250_000, 300_000]
    assert data["bend"] is not None and data["summary"].startswith("the cost curve bends")
    run(capsys, *args, "--output", str(tmp_path / "s.png"))
    assert (tmp_path / "s.png").read_bytes().startswith(PNG)
    run(capsys, *args, "--output", str(tmp_path / "s.html"))
    page = Page()
    page.feed((tmp_path / "s.html").read_text(encoding="utf-8"))
    assert page.tables == 1 and len(page.images) == 1
    run(capsys, *args, "--output", str(tmp_path / "s.csv"))
    assert len(pd.read_csv(tmp_path / "s.csv")) == 10
    run(capsys, *args, "--output", str(tmp_path / "s.xlsx"))
    assert openpyxl.load_workbook(tmp_path / "s.xlsx").sheetnames == ["Sweep", "Chart"]


def test_sweep_mistakes_name_the_flag(capsys):
    args = ["sweep", THREE[0], *SMALL, "--param", "platinum_personal", "--from", "1", "--to", "2"]
    code, _, err = run(capsys, *args, "--steps", "1")
    assert code == 1 and "--steps: expected 2 to 1000" in err
    code, _, err = run(capsys, *args[:-4], "--from", "5", "--to", "5")
    assert code == 1 and "--from/--to: the first and last values are the same" in err


def test_solve_writes_a_scenario_that_reproduces_the_target(capsys, tmp_path):
    target = tmp_path / "solved.toml"
    code, out, _ = run(
        capsys,
        "solve",
        THREE[0],
        *SMALL,
        "--target",
        "platinum=6",
        "--output",
        str(target),
        "--format",
        "json",
    )
    assert code == 0
    report = json.loads(out)
    assert report["reached"] and set(report["changed"]) == {"platinum_personal", "platinum_household"}
    saved = tomllib.loads(target.read_text())
    assert saved["parameters"]["platinum_personal"] == report["parameters"]["platinum_personal"]
    assert saved["baseline"].endswith("industrial-bank-baseline.toml")
    _, out, _ = run(capsys, "simulate", str(target), *SMALL, "--format", "json")
    tiers = {t["tier"]: t["customers"] for t in json.loads(out)["tiers"]}
    share = (tiers["platinum"] + tiers["black_gold"]) / 4000
    assert abs(share - 0.06) < 0.001


def test_solve_budget_and_mistakes(capsys, tmp_path):
    target = tmp_path / "budget.toml"
    code, out, _ = run(
        capsys, "solve", "--scheme", "postal-savings", *SMALL, "--budget", "30万", "--output", str(target)
    )
    assert code == 0 and "within 300,000" in out
    code, _, err = run(
        capsys,
        "solve",
        "--scheme",
        "postal-savings",
        *SMALL,
        "--budget",
        "1",
        "--target",
        "gold=5",
        "--output",
        str(target),
    )
    assert code == 2 and "not both" in err
    code, _, err = run(
        capsys,
        "solve",
        "--scheme",
        "postal-savings",
        *SMALL,
        "--target",
        "gold=5",
        "--vary",
        "gold_balanc",
        "--output",
        str(target),
    )
    assert code == 2 and "--vary gold_balanc: unknown parameter" in err


def test_explain(capsys):
    code, out, _ = run(capsys, "explain", THREE[0], *SMALL, "--customer", "C00000002", "--vs", THREE[1])
    assert code == 0
    assert out.startswith(
        "Customer C00000002 · Industrial Bank family wealth cards · Industrial Bank: as published"
    )
    assert "Tier:" in out and "Why it differs:" in out
    code, out, _ = run(
        capsys, "explain", THREE[0], *SMALL, "--customer", "C00000002", "--mask", "--format", "json"
    )
    data = json.loads(out)
    assert data["customer"]["customer_id"].startswith("m-") and "C00000002" not in out
    code, _, err = run(capsys, "explain", THREE[0], *SMALL, "--customer", "X1")
    assert code == 1 and "customer 'X1' is not in sample (4,000, seed 3)" in err
