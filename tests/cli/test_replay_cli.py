"""`workbench replay` on real files: a panel with a month column, a folder of monthly files,
messages that name the file, row, column and month; `sample --months`."""

from __future__ import annotations

import json

from workbench.cli import main


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


PANEL = "客户号,月份,日均资产\nA,2026-01,150000\nB,2026-01,50000\nA,2026年2月,90000\nB,202602,120000\n"


def test_a_panel_file_with_a_month_column(capsys, tmp_path):
    path = tmp_path / "panel.csv"
    path.write_text(PANEL, encoding="utf-8")
    code, out, err = run(capsys, "replay", "--portfolio", str(path), "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    assert data["policy"] == {
        "window_months": 1, "downgrade_after_months": 1, "retention_ratio": 1.0,
        "downgrade_months": list(range(1, 13)),
    }  # fmt: skip
    feb = data["months"][1]
    assert feb["month"] == "2026-02" and (feb["upgrades"], feb["downgrades"]) == (1, 1)
    gold = next(t for t in feb["tiers"] if t["tier"] == "gold")
    assert (gold["customers"], gold["aum"]) == (1, 120_000.0)
    assert set(feb) >= {"customers", "tiers", "upgrades", "downgrades", "joined", "left"}


def test_a_bad_value_names_file_row_column_and_month(capsys, tmp_path):
    path = tmp_path / "panel.csv"
    path.write_text(PANEL + "C,2026-02,lots\n", encoding="utf-8")
    code, _, err = run(capsys, "replay", "--portfolio", str(path))
    assert code == 1
    assert "panel.csv" in err and "month 2026-02" in err and "row 6" in err and "日均资产" in err
    path.write_text(PANEL + "C,someday,1\n", encoding="utf-8")
    code, _, err = run(capsys, "replay", "--portfolio", str(path))
    assert code == 1 and "row 6: found 'someday'" in err and "expected a month" in err


def test_a_folder_of_monthly_files(capsys, tmp_path):
    folder = tmp_path / "months"
    folder.mkdir()
    (folder / "客户月报_202601.csv").write_text("客户号,日均资产\nA,150000\n", encoding="utf-8")
    (folder / "客户月报_202602.csv").write_text("客户号,日均资产\nA,350000\n", encoding="utf-8")
    code, out, err = run(
        capsys, "replay", "--portfolio", str(folder), "--format", "json", "--scheme", "branch-layers"
    )
    assert code == 0, err
    assert [m["month"] for m in json.loads(out)["months"]] == ["2026-01", "2026-02"]


def test_sample_months_makes_a_panel_that_replays(capsys, tmp_path):
    path = tmp_path / "panel.parquet"
    assert run(capsys, "sample", "--rows", "3000", "--months", "6", "--output", str(path))[0] == 0
    code, out, err = run(
        capsys, "replay", "--portfolio", str(path), "--format", "json", "--policy", "downgrade_months=3,6"
    )
    assert code == 0, err
    data = json.loads(out)
    assert len(data["months"]) == 6 and [q["quarter"] for q in data["quarters"]] == ["2026-Q1", "2026-Q2"]
    # downgrades only on rating days
    assert [m["downgrades"] for m in data["months"]][3:5] == [0, 0]
    top = [sum(t["customers"] for t in m["tiers"] if t["tier"] != "silver") for m in data["months"]]
    moved = [m["upgrades"] + m["downgrades"] for m in data["months"][1:]]
    assert all(0 < mv < 0.2 * t for mv, t in zip(moved, top[1:], strict=True))  # a few percent a month


def test_replay_reports_with_a_chart(capsys, tmp_path):
    from openpyxl import load_workbook

    path = tmp_path / "panel.csv"
    path.write_text(PANEL, encoding="utf-8")
    xlsx, page = tmp_path / "replay.xlsx", tmp_path / "replay.html"
    assert run(capsys, "replay", "--portfolio", str(path), "--output", str(xlsx), "--lang", "zh")[0] == 0
    book = load_workbook(xlsx)
    assert book.sheetnames == ["逐月", "图表"]  # no quarter end in two months
    months = book["逐月"]
    assert [c.value for c in months[4]][:5] == ["月份", "银卡", "金卡", "白金卡", "黑金卡"]
    assert [c.value for c in months[6]][:5] == ["2026-02", 1, 1, 0, 0]
    assert len(book["图表"]._charts) == 1
    assert run(capsys, "replay", "--portfolio", str(path), "--output", str(page))[0] == 0
    text = page.read_text(encoding="utf-8")
    import base64
    import re

    svg = base64.b64decode(re.search(r"data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)", text).group(1))
    assert b"<svg" in svg and "2026-02" in text and "Customers holding each tier" in text


def test_simulate_on_a_panel_tunes_the_latest_month_over_the_schemes_window(capsys, tmp_path):
    # ICBC reads half-year figures: on a panel they are the last six months, as the replay has them
    path = tmp_path / "panel.parquet"
    code, _, err = run(capsys, "sample", "--rows", "400", "--months", "8", "--output", str(path))
    assert code == 0, err
    code, out, err = run(
        capsys, "simulate", "--scheme", "icbc-stars", "--portfolio", str(path), "--format", "json"
    )
    assert code == 0, err
    assert "over the last 6 months" in err
    tiers = {t["tier"]: t["customers"] for t in json.loads(out)["tiers"]}
    code, out, _ = run(
        capsys, "replay", "--scheme", "icbc-stars", "--portfolio", str(path), "--format", "json"
    )
    last = json.loads(out)["months"][-1]
    assert last["month"] == "2026-08"
    assert {t["tier"]: t["customers"] for t in last["tiers"]} == tiers  # the default policy: the rules


def test_a_parquet_panel_in_any_row_order_reads_as_the_same_months(capsys, tmp_path):
    import pandas as pd

    from workbench.files.panel import load_panel
    from workbench.files.sample_panel import generate_panel

    frame = generate_panel(300, 4, seed=11)
    in_order, shuffled = tmp_path / "in_order.parquet", tmp_path / "shuffled.parquet"
    frame.to_parquet(in_order, index=False)
    mixed = frame.sample(frac=1.0, random_state=1).reset_index(drop=True)
    mixed.to_parquet(shuffled, index=False)
    a, b = load_panel(in_order), load_panel(shuffled)
    assert a.months == b.months == ("2026-01", "2026-02", "2026-03", "2026-04")
    for x, y in zip(a.portfolios, b.portfolios, strict=True):
        left = x.frame.set_index("customer_id").sort_index()
        right = y.frame.set_index("customer_id").sort_index()
        pd.testing.assert_frame_equal(left, right)
    # reading only what a scheme reads: the keys, its columns, the cheap text ones
    lean = load_panel(shuffled, columns=("aum",))
    assert "card_spend_6m" not in lean.portfolios[0].frame.columns
    assert {"customer_id", "household_id", "aum"} <= set(lean.portfolios[0].frame.columns)
    # a bad month in a Parquet file names the file's row (counted from 1)
    mixed.loc[7, "month"] = "2026-13"
    mixed.to_parquet(shuffled, index=False)
    code, _, err = run(capsys, "replay", "--portfolio", str(shuffled))
    assert code == 1 and "shuffled.parquet" in err and "row 8: found '2026-13'" in err
    code, out, err = run(capsys, "replay", "--portfolio", str(in_order), "--format", "json")
    assert code == 0, err
    assert json.loads(out)["months"][-1]["customers"] == a.portfolios[-1].rows


def test_a_baseline_of_another_scheme_differs_only_where_tiers_are_shared(capsys, tmp_path):
    folder = tmp_path / "months"
    folder.mkdir()
    (folder / "2026-01.csv").write_text("客户号,日均资产\nA,150000\nB,2000000\n", encoding="utf-8")
    (folder / "2026-02.csv").write_text("客户号,日均资产\nA,350000\nB,2000000\n", encoding="utf-8")
    baseline = tmp_path / "ib.toml"
    baseline.write_text('scheme = "industrial-bank"\n', encoding="utf-8")
    code, out, err = run(capsys, "replay", "--portfolio", str(folder), "--scheme", "postal-savings",
                         "--baseline", str(baseline), "--format", "json")  # fmt: skip
    assert code == 0, err
    first = json.loads(out)["difference"][0]["customers"]
    # postal's gold and platinum against the card scheme's tiers of the same ids; no silver or diamond
    assert set(first) == {"gold", "platinum"} and first == {"gold": 0, "platinum": 0}
