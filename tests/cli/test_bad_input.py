"""Bad input, one case per row: the command exits non-zero with a message that says what
is wrong, where, and what was expected; never a traceback; nothing on disk changes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from workbench.cli import main

Make = Callable[[Path], list[str]]  # writes the case's files, returns the command line
IB = ["--scheme", "industrial-bank"]


def text_file(name: str, text: str, encoding: str = "utf-8") -> Make:
    def make(folder: Path) -> list[str]:
        (folder / name).write_text(text, encoding=encoding)
        return ["simulate", *IB, "--portfolio", str(folder / name)]

    return make


def bytes_file(name: str, data: bytes) -> Make:
    def make(folder: Path) -> list[str]:
        (folder / name).write_bytes(data)
        return ["simulate", *IB, "--portfolio", str(folder / name)]

    return make


def scenario(text: str, sample: bool = True) -> Make:
    def make(folder: Path) -> list[str]:
        (folder / "what-if.toml").write_text(text, encoding="utf-8")
        return ["simulate", str(folder / "what-if.toml"), *(["--sample-rows", "200"] if sample else [])]

    return make


def workbook(sheets: dict[str, list[list[object]]], *extra: str) -> Make:
    def make(folder: Path) -> list[str]:
        path = folder / "export.xlsx"
        with pd.ExcelWriter(path) as writer:
            for name, rows in sheets.items():
                pd.DataFrame(rows).to_excel(writer, sheet_name=name, header=False, index=False)
        return ["simulate", *IB, "--portfolio", str(path), *extra]

    return make


def command(*argv: str) -> Make:
    return lambda folder: [a.replace("{dir}", str(folder)) for a in argv]


OK_ROWS = "customer_id,aum\nC1,100\n"
CASES: list[tuple[str, Make, str]] = [
    # -- portfolios --------------------------------------------------------------------
    (
        "missing file",
        command("simulate", *IB, "--portfolio", "{dir}/october.csv"),
        "october.csv: no such file",
    ),
    ("empty file", text_file("empty.csv", ""), "empty.csv: the file is empty; expected a header row"),
    (
        "header only",
        text_file("head.csv", "customer_id,aum\n"),
        "head.csv: has a header but no customer rows",
    ),
    (
        "missing required column",
        text_file("no-aum.csv", "customer_id,branch\nC1,朝阳\n"),
        "no-aum.csv: scheme 'industrial-bank' needs column aum",
    ),
    (
        "unrecognised column: the mapping is suggested",
        text_file("assets.csv", "customer_id,Assets Total\nC1,100\n"),
        "perhaps 'Assets Total' -> aum: pass --map 'Assets Total=aum', "
        'or add "Assets Total" = "aum" to the scenario\'s [portfolio.columns]',
    ),
    (
        "no customer key",
        text_file("nokey.csv", "name,aum\nWang,100\n"),
        "nokey.csv: no customer key column (customer_id, 客户号, ...); headers: name, aum",
    ),
    (
        "non-numeric money",
        text_file("money.csv", "customer_id,aum\nC1,100\nC2,abc\n"),
        "row 3, column aum: expected an amount in CNY (0 for none), found 'abc'",
    ),
    (
        "negative money",
        text_file("neg.csv", "customer_id,aum\nC1,-5\n"),
        "row 2, column aum: expected an amount in CNY >= 0, found '-5'",
    ),
    (
        "missing money",
        text_file("gap.csv", "customer_id,aum\nC1,100\nC2,\n"),
        "row 3, column aum: expected an amount in CNY (0 for none), found an empty cell",
    ),
    (
        "duplicate customer ids",
        text_file("dup.csv", "customer_id,aum\nC1,100\nC2,5\nC1,7\n"),
        "row 4, column customer_id: expected a key not used on an earlier row, found 'C1', already on row 2",
    ),
    (
        "GBK file with a bad value: the row is the file's own",
        text_file("十月.csv", "报表:十月客户\n\n客户号,月日均资产\nA1,100\nA2,一百\n", encoding="gbk"),
        "十月.csv: 1 value cannot be used:\n  row 5, column 月日均资产 (aum)",
    ),
    (
        "an HTML page saved as .xls",
        bytes_file("web.xls", b"<html><body><table><tr><td>1</td></tr></table></body></html>"),
        "web.xls: expected an old Excel workbook (.xls), but the file is a web page (HTML); open it in Excel",
    ),
    (
        "binary data named .csv",
        bytes_file("data.csv", b"\x00\x01\x02\x03" * 64),
        "data.csv: expected text (CSV), but the file is binary data",
    ),
    (
        "a PDF named .xlsx",
        bytes_file("report.xlsx", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"),
        "report.xlsx: expected an Excel workbook (.xlsx), but the file is a PDF document",
    ),
    (
        "a damaged Parquet file",
        bytes_file("big.parquet", b"PAR1" + b"\x07" * 40),
        "big.parquet: cannot be read as a Parquet file",
    ),
    (
        "a zip that is not a workbook",
        bytes_file("export.xlsx", b"PK\x03\x04" + b"\x00" * 60),
        "export.xlsx: expected an Excel workbook (.xlsx), but the file is a zip archive",
    ),
    (
        "a sheet that is not there",
        workbook({"客户": [["客户号", "资产"], ["A1", 5]], "说明": [["x"]]}, "--sheet", "Sheet1"),
        "export.xlsx: no sheet 'Sheet1'; its sheets: 客户, 说明",
    ),
    (
        "two headers for one column",
        text_file("twice.csv", "customer_id,aum,日均资产\nC1,1,2\n"),
        "headers 'aum' and '日均资产' both map to column 'aum'",
    ),
    (
        "a mapping to an unknown column",
        lambda d: [*text_file("m.csv", OK_ROWS)(d), "--map", "aum=assets"],
        "column mapping 'aum' -> 'assets': 'assets' is not a known column",
    ),
    (
        "a mapping from a header the file does not have",
        lambda d: [*text_file("m.csv", OK_ROWS)(d), "--map", "余额=aum"],
        "column mapping names '余额', which is not a header of the file; headers: customer_id, aum",
    ),
    # -- scenarios -----------------------------------------------------------------------
    (
        "malformed TOML",
        scenario('scheme = "industrial-bank\n'),
        "what-if.toml: not valid TOML: Illegal character '\\n' (at line 1, column 26)",
    ),
    (
        "unknown scheme",
        scenario('scheme = "cmb-sunflower"\n'),
        "what-if.toml: unknown scheme 'cmb-sunflower'; available schemes: branch-layers, icbc-stars, "
        "industrial-bank, postal-savings",
    ),
    (
        "unknown parameter",
        scenario('scheme = "industrial-bank"\n[parameters]\nplatinum = 500000\n'),
        "unknown parameter 'platinum' (did you mean 'platinum_personal'?) for scheme 'industrial-bank'; "
        "valid parameters: gold_personal, gold_household, platinum_personal",
    ),
    (
        "unknown option",
        scenario('scheme = "industrial-bank"\n[options]\nbasis = "sum"\n'),
        "unknown option 'basis' for scheme 'industrial-bank'; valid options: household_basis",
    ),
    (
        "an option value that is not offered",
        scenario('scheme = "industrial-bank"\n[options]\nhousehold_basis = "max"\n'),
        "[options].household_basis: expected one of mean, sum, found 'max'",
    ),
    (
        "a parameter of the wrong type",
        scenario('scheme = "industrial-bank"\n[parameters]\nplatinum_personal = "lots"\n'),
        "[parameters] platinum_personal: expected a number, found 'lots'",
    ),
    (
        "a parameter that is not a number at all",
        scenario('scheme = "industrial-bank"\n[parameters]\nplatinum_personal = nan\n'),
        "[parameters] platinum_personal: expected a finite number, found nan",
    ),
    (
        "thresholds that do not rise with the tier",
        scenario('scheme = "industrial-bank"\n[parameters]\ngold_personal = 900000\n'),
        "platinum_personal = 300,000 must be above gold_personal = 900,000: thresholds rise with the tier",
    ),
    (
        "a newer format version",
        scenario('format_version = 99\nscheme = "industrial-bank"\n'),
        "format_version 99 was written by a newer Tiering Workbench; this one reads up to 1",
    ),
    (
        "a portfolio path that does not exist",
        scenario('scheme = "industrial-bank"\n[portfolio]\npath = "../exports/oct.csv"\n', sample=False),
        "portfolio file ../exports/oct.csv (resolved against {dir} to {parent}/exports/oct.csv): no such file",
    ),
    (
        "a mistyped key",
        scenario('scheme = "industrial-bank"\nparameter = {}\n'),
        "what-if.toml: unknown key 'parameter' (did you mean 'parameters'?)",
    ),
    # -- command line ------------------------------------------------------------------------
    (
        "--set of an unknown parameter",
        command("simulate", *IB, "--sample-rows", "100", "--set", "gold=1"),
        "unknown parameter 'gold'",
    ),
    (
        "an output folder that does not exist",
        command("simulate", *IB, "--sample-rows", "100", "--output", "{dir}/reports/out.txt"),
        "out.txt: cannot be written (there is no folder",
    ),
    (
        "classify to a file that is not CSV",
        command("classify", *IB, "--sample-rows", "100", "--output", "{dir}/tiers.xlsx"),
        "classify writes CSV, or Parquet parts into a folder; name a .csv file",
    ),
    (
        "a customer who is not in the portfolio",
        command("explain", *IB, "--sample-rows", "100", "--customer", "nobody"),
        "customer 'nobody' is not in sample",
    ),
]


def files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_there_are_at_least_twenty_cases():
    assert len(CASES) >= 20


@pytest.mark.parametrize(("make", "fragment"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input_gets_a_clear_message(tmp_path: Path, capsys, make: Make, fragment: str):
    folder = tmp_path / "work"
    folder.mkdir()
    argv = make(folder)
    before = files(folder)
    code = main(argv)
    out, err = capsys.readouterr()
    expected = fragment.replace("{dir}", str(folder)).replace("{parent}", str(tmp_path))
    assert code != 0
    assert expected in err, err
    assert "Traceback" not in err + out
    assert files(folder) == before  # nothing written, nothing damaged


def test_a_usage_error_shows_the_usage_too(capsys):
    assert main(["simulate", "--scheme", "industrial-bank", "--set", "oops"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: workbench") and "--set 'oops': expected NAME=VALUE" in err
