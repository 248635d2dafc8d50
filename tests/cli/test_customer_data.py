"""Customer-level data leaves the workbench only when asked for, and masked when asked."""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from workbench.cli import main

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
PUBLISHED = str(SCENARIOS / "industrial-bank-baseline.toml")
PLATINUM_500K = str(SCENARIOS / "industrial-bank-platinum-500k.toml")

# Platinum from 300,000 (published) to 500,000: K0000001 and K0000004 fall to gold.
CUSTOMERS = "customer_id,aum\nK0000001,412345.67\nK0000002,600000\nK0000003,50000\nK0000004,350000\n"


@pytest.fixture
def portfolio(tmp_path: Path) -> Path:
    path = tmp_path / "branch.csv"
    path.write_text(CUSTOMERS, encoding="utf-8")
    return path


def compare(portfolio: Path, output: Path, *extra: str) -> None:
    code = main(
        ["compare", PUBLISHED, PLATINUM_500K, "--portfolio", str(portfolio), "--output", str(output), *extra]
    )
    assert code == 0


def cells(path: Path) -> list[str]:
    book = openpyxl.load_workbook(path)
    return [
        str(c)
        for ws in book.worksheets
        for row in ws.iter_rows(values_only=True)
        for c in row
        if c is not None
    ]


@pytest.mark.parametrize("suffix", [".xlsx", ".html", ".md", ".csv", ".json", ".txt"])
def test_reports_carry_no_customer_ids_unless_asked(portfolio, tmp_path, suffix):
    output = tmp_path / f"report{suffix}"
    compare(portfolio, output)
    content = "\n".join(cells(output)) if suffix == ".xlsx" else output.read_text(encoding="utf-8-sig")
    assert "K000000" not in content
    assert not re.search(r"(?<![\d.])412345\.67", content.replace(",", ""))  # nor a customer's own AUM


def test_per_customer_lists_the_customers_who_move(portfolio, tmp_path):
    output = tmp_path / "report.xlsx"
    compare(portfolio, output, "--per-customer")
    sheet = openpyxl.load_workbook(output)["Customers who move"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert rows[0] == (
        "customer_id",
        "aum",
        "A: Industrial Bank: as published",
        "B: Industrial Bank: platinum raised to 500k",
    )
    assert rows[1:] == [("K0000001", 412345.67, "Platinum", "Gold"), ("K0000004", 350000, "Platinum", "Gold")]


def keyed(identifier: str, key: str = "team secret") -> str:
    """What --mask-ids --mask-key makes of an id: HMAC-SHA256, 16 hex digits."""
    return "m-" + hmac.new(key.encode(), identifier.encode(), hashlib.sha256).hexdigest()[:16]


def test_per_customer_with_masked_ids(portfolio, tmp_path):
    output = tmp_path / "report.xlsx"
    compare(portfolio, output, "--per-customer", "--mask-ids", "--mask-key", "team secret")
    sheet = openpyxl.load_workbook(output)["Customers who move"]
    assert [r[0] for r in sheet.iter_rows(min_row=3, values_only=True)] == [
        keyed("K0000001"),
        keyed("K0000004"),
    ]
    assert not any("K0000001" in c for c in cells(output))


def test_masking_is_keyed_so_an_id_cannot_be_looked_up(portfolio, tmp_path):
    one, two, three = (tmp_path / f"{n}.xlsx" for n in ("one", "two", "three"))
    compare(portfolio, one, "--per-customer", "--mask-ids", "--mask-key", "team secret")
    compare(portfolio, two, "--per-customer", "--mask-ids", "--mask-key", "team secret")
    compare(portfolio, three, "--per-customer", "--mask-ids")  # no key: a new one for this run

    def first(path):
        return next(
            openpyxl.load_workbook(path)["Customers who move"].iter_rows(min_row=3, values_only=True)
        )[0]

    assert first(one) == first(two) == keyed("K0000001")  # one key: reports line up
    assert first(three) != first(one) and first(three) != "m-" + hashlib.sha256(b"K0000001").hexdigest()[:16]


def test_per_customer_needs_a_workbook(portfolio, tmp_path, capsys):
    output = tmp_path / "report.html"
    code = main(
        [
            "compare",
            PUBLISHED,
            PLATINUM_500K,
            "--portfolio",
            str(portfolio),
            "--output",
            str(output),
            "--per-customer",
        ]
    )
    assert code == 1 and not output.exists()
    assert "customer-level rows go in an Excel report (.xlsx)" in capsys.readouterr().err


def test_classify_masks_ids_when_asked(portfolio, tmp_path):
    output = tmp_path / "tiers.csv"
    assert (
        main(
            ["classify", PLATINUM_500K, "--portfolio", str(portfolio), "--output", str(output), "--mask-ids"]
        )
        == 0
    )
    frame = pd.read_csv(output)
    assert frame["customer_id"].str.fullmatch(r"m-[0-9a-f]{16}").all()
    assert frame["customer_id"].nunique() == 4 and not frame["customer_id"].str.contains("K0").any()
    assert frame["tier"].tolist() == ["gold", "platinum", "silver", "gold"]


def test_explain_masks_the_id_when_asked(portfolio, capsys):
    argv = ["explain", PUBLISHED, "--portfolio", str(portfolio), "--customer", "K0000004", "--mask-ids"]
    assert main([*argv, "--format", "json"]) == 0
    out = capsys.readouterr().out
    assert json.loads(out)["customer"]["customer_id"].startswith("m-") and "K0000004" not in out
