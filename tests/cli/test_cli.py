"""The command line end to end, on real files."""

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from workbench.cli import main
from workbench.fmt import parse_number

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def chinese_export(tmp_path_factory):
    """A bank export as a planner would get it: Chinese headers, amounts in 万 for one column."""
    path = tmp_path_factory.mktemp("export") / "十月客户.xlsx"
    frame = pd.DataFrame(
        {
            "客户编号": ["K001", "K002", "K003", "K004", "K005"],
            "家庭编号": ["F1", "F1", "", "", ""],
            "月日均资产(万元)": [5, 11, 30, 120, 9.5],
            "网点": ["朝阳支行"] * 5,
        }
    )
    frame.to_excel(path, index=False, sheet_name="客户")
    return path


def test_simulate_excel_with_chinese_headers(capsys, chinese_export):
    code, out, err = run(
        capsys,
        "simulate",
        "--scheme",
        "industrial-bank",
        "--portfolio",
        str(chinese_export),
        "--format",
        "json",
    )
    assert code == 0, err
    data = json.loads(out)
    tiers = {t["tier"]: t for t in data["tiers"]}
    # K001 50k + K002 110k: household mean 80k -> both gold; K003 300k platinum; K004 1.2M black gold;
    # K005 95k silver.
    assert {t: tiers[t]["customers"] for t in tiers} == {
        "silver": 1,
        "gold": 2,
        "platinum": 1,
        "black_gold": 1,
    }
    assert tiers["black_gold"]["aum"] == 1_200_000
    assert data["customers"] == 5
    assert "column 月日均资产(万元) is in units of 10,000 CNY (its header says 万元): converted to CNY" in err


def test_simulate_json_shape_with_baseline(capsys):
    code, out, err = run(
        capsys, "simulate", str(SCENARIOS / "industrial-bank-platinum-500k.toml"), "--format", "json"
    )
    assert code == 0, err
    data = json.loads(out)
    assert data["scheme"] == "industrial-bank"
    assert data["customers"] == 100_000
    assert {"tier", "customers", "aum", "benefit_cost"} <= set(data["tiers"][0])
    assert data["total_benefit_cost"] == pytest.approx(sum(t["benefit_cost"] for t in data["tiers"]), abs=0.1)
    migration = data["migration"]
    assert migration["from"] == migration["to"] == ["silver", "gold", "platinum", "black_gold"]
    moved = migration["customers"][2][1]
    assert moved > 0 and data["moved_customers"] == moved
    assert data["tiers"][1]["delta_customers"] == moved
    assert data["parameters"]["platinum_personal"] == 500_000


def test_simulate_set_option_and_table(capsys):
    code, out, _ = run(
        capsys,
        "simulate",
        "--scheme",
        "postal-savings",
        "--set",
        "gold_balance=80k",
        "--option",
        "card_criterion=off",
        "--sample-rows",
        "2000",
        "--lang",
        "zh",
    )
    assert code == 0
    assert "钻石卡客户" in out and "合计" in out and "万" in out


def test_simulate_csv_and_output_file(capsys, tmp_path):
    target = tmp_path / "tiers.csv"
    code, _, _ = run(
        capsys,
        "simulate",
        "--scheme",
        "branch-layers",
        "--sample-rows",
        "1000",
        "--format",
        "csv",
        "--output",
        str(target),
    )
    assert code == 0
    frame = pd.read_csv(target)
    assert frame["tier"].tolist() == ["unlayered", "layer1", "layer2", "layer3", "layer4", "layer5", "total"]
    assert frame["customers"].iloc[-1] == 1000


def test_classify_icbc_columns(capsys, tmp_path):
    target = tmp_path / "tiers.csv"
    code, _, err = run(
        capsys, "classify", "--scheme", "icbc-stars", "--sample-rows", "3000", "--output", str(target)
    )
    assert code == 0, err
    frame = pd.read_csv(target, keep_default_na=False)
    assert list(frame.columns) == ["customer_id", "tier", "contribution_tier", "star_points", "qualified_by"]
    assert len(frame) == 3000
    raised = frame[frame.qualified_by == "floor"]
    assert len(raised) and (raised.tier != raised.contribution_tier).all()
    unrated = frame[frame.contribution_tier == "unrated"]
    assert (unrated.star_points == 0).all()


def test_classify_with_set_matches_simulate(capsys, tmp_path):
    target = tmp_path / "t.csv"
    run(
        capsys,
        "classify",
        "--scheme",
        "industrial-bank",
        "--sample-rows",
        "5000",
        "--set",
        "platinum_personal=400000",
        "--output",
        str(target),
    )
    counts = pd.read_csv(target).tier.value_counts().to_dict()
    _, out, _ = run(
        capsys,
        "simulate",
        "--scheme",
        "industrial-bank",
        "--sample-rows",
        "5000",
        "--set",
        "platinum_personal=400000",
        "--format",
        "json",
    )
    assert counts == {t["tier"]: t["customers"] for t in json.loads(out)["tiers"] if t["customers"]}


@pytest.mark.parametrize("suffix", ["csv", "parquet", "xlsx"])
def test_sample_files(capsys, tmp_path, suffix):
    target = tmp_path / f"sample.{suffix}"
    code, _, err = run(capsys, "sample", "--rows", "300", "--seed", "3", "--output", str(target))
    assert code == 0 and "wrote 300 customers" in err
    code, out, _ = run(
        capsys, "simulate", "--scheme", "icbc-stars", "--portfolio", str(target), "--format", "json"
    )
    assert code == 0 and json.loads(out)["customers"] == 300


def test_schemes_json(capsys):
    code, out, _ = run(capsys, "schemes", "--json")
    assert code == 0
    data = json.loads(out)
    ids = [s["id"] for s in data["schemes"]]
    assert ids == ["branch-layers", "icbc-stars", "industrial-bank", "postal-savings"]
    icbc = data["schemes"][1]
    assert [t["id"] for t in icbc["tiers"]] == [
        "unrated",
        "pre_star",
        "star3",
        "star4",
        "star5",
        "star6",
        "star7",
    ]
    weights = {p["id"]: p["default"] for p in icbc["parameters"] if p["kind"] == "weight"}
    assert weights["w_card_spend"] == 400
    assert icbc["options"] == [
        {
            "id": "tier_basis",
            "name": {"en": "Tier basis", "zh": "星级口径"},
            "default": "service",
            "choices": ["service", "contribution"],
        }
    ]
    assert data["errors"] == []


@pytest.mark.parametrize(
    ("argv", "code", "fragment"),
    [
        (["simulate", "--scheme", "citibank"], 1, "unknown scheme 'citibank'; available schemes:"),
        (
            ["simulate", "--scheme", "industrial-bank", "--set", "gold_personal=lots"],
            2,
            "expected a number such as",
        ),
        (["simulate", "--scheme", "industrial-bank", "--set", "gold=1"], 1, "unknown parameter 'gold'"),
        (["simulate", "--portfolio", "missing.csv"], 1, "missing.csv: no such file"),
        (["simulate", "nope.toml"], 1, "no such scenario file"),
        (
            ["classify", "--scheme", "branch-layers", "--sample-rows", "10", "--output", "x.txt"],
            2,
            "classify writes CSV",
        ),
        (["sample", "--rows", "0", "--output", "x.csv"], 2, "--rows: expected at least 1"),
    ],
)
def test_user_mistakes_exit_nonzero_without_traceback(capsys, argv, code, fragment):
    got, _out, err = run(capsys, *argv)
    assert got == code
    assert fragment in err
    assert "Traceback" not in err


def test_excel_too_large_is_refused(tmp_path):
    from workbench.errors import PortfolioError
    from workbench.files.portfolios import write_portfolio

    frame = pd.DataFrame({"customer_id": np.zeros(1_048_576)})
    with pytest.raises(PortfolioError, match="1,048,576 rows do not fit an Excel sheet"):
        write_portfolio(frame, tmp_path / "big.xlsx")
    assert list(tmp_path.iterdir()) == []


def test_no_command_prints_the_default_table(capsys):
    code, out, _ = run(capsys, "--sample-rows", "2000")
    assert code == 0
    assert "Black gold" in out and "total" in out


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("300000", 3e5),
        ("300,000", 3e5),
        ("300k", 3e5),
        ("30万", 3e5),
        ("1.5m", 1.5e6),
        ("2亿", 2e8),
        ("0.5", 0.5),
    ],
)
def test_parse_number(text, value):
    assert parse_number(text) == value


def test_open_needs_a_terminal(capsys):
    code, _, err = run(capsys, "open", str(SCENARIOS / "industrial-bank-baseline.toml"))
    assert code == 2
    assert "`workbench open` needs a terminal; use `workbench simulate` in scripts" in err
