"""Scheme files through the command line: every mistake at once, built-ins round-trip
through --export, a schemes folder with broken files, scenarios that name a file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from workbench.cli import main

ROOT = Path(__file__).resolve().parents[2]
CITY = ROOT / "examples" / "schemes" / "city-bank-wealth.toml"
PLUS = ROOT / "examples" / "schemes" / "postal-savings-diamond-plus.toml"
BUILT_IN = ["industrial-bank", "icbc-stars", "postal-savings", "branch-layers"]


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def simulated(capsys, *argv: str) -> dict:
    code, out, err = run(capsys, "simulate", "--sample-rows", "5000", "--format", "json", *argv)
    assert code == 0, err
    return json.loads(out)


@pytest.mark.parametrize("scheme_id", BUILT_IN)
def test_every_built_in_round_trips_through_export(capsys, tmp_path, scheme_id):
    target = tmp_path / f"{scheme_id}.toml"
    code, _, err = run(capsys, "schemes", "--export", scheme_id, "--output", str(target))
    assert code == 0, err
    assert "format_version = 1" in target.read_text(encoding="utf-8")
    installed = simulated(capsys, "--scheme", scheme_id)
    from_file = simulated(capsys, "--scheme-file", str(target))
    assert from_file == installed  # tiers, counts, AUM and costs, to the fen


def test_export_does_not_overwrite_without_force(capsys, tmp_path):
    target = tmp_path / "mine.toml"
    target.write_text("keep me", encoding="utf-8")
    code, _, err = run(capsys, "schemes", "--export", "postal-savings", "--output", str(target))
    assert code != 0 and "--force" in err
    assert target.read_text(encoding="utf-8") == "keep me"


def five_mistakes() -> str:
    """The city bank's file with five mistakes: a misspelt parameter and column, platinum
    below gold, an option value that does not exist, a driver field that does not."""
    text = CITY.read_text(encoding="utf-8")
    text = text.replace('at_least = "private_min"', 'at_least = "privat_min"')
    text = text.replace('{ column = "risk_assessed" }', '{ column = "risk_asessed" }')
    text = text.replace("default = 500_000", "default = 50_000")  # platinum below gold
    text = text.replace('payroll = "on" }', 'payroll = "yes" }')
    text = text.replace("cost_per_manager = 400_000", "manager_cost = 400_000")
    return text


def test_a_wrong_file_names_every_mistake_with_its_line(capsys, tmp_path):
    text = five_mistakes()
    text = text.replace(
        'metric = "aum", at_least = "gold_payroll_min"', 'metric = "balance", at_least = "gold_payroll_min"'
    )
    bad = tmp_path / "bad.toml"
    bad.write_text(text, encoding="utf-8")
    lines = text.splitlines()
    code, _, err = run(capsys, "simulate", "--scheme-file", str(bad))
    assert code != 0
    assert "6 problems in the scheme file" in err
    expected = {
        "'privat_min' (did you mean 'private_min'?)": "privat_min",
        "unknown column 'risk_asessed' (did you mean 'risk_assessed'?)": "risk_asessed",
        "option 'payroll' has no value 'yes'": 'payroll = "yes"',
        "has no field 'manager_cost'; fields: cost_per_manager, customers_per_manager": "manager_cost",
        "platinum_min = 50,000 must be above gold_min = 100,000": "[parameters.platinum_min]",
        "unknown metric": '"balance"',
    }
    for message, on_line in expected.items():
        line = next(ln for ln in err.splitlines() if message in ln)
        number = int(line.split(f"{bad}:")[1].split(":")[0])
        assert on_line in lines[number - 1] or "[[tiers]]" in lines[number - 1], (message, lines[number - 1])
    assert not (tmp_path / "bad.toml.bak").exists()


def test_a_diamond_tier_added_in_a_few_lines(capsys):
    data = simulated(capsys, "--scheme-file", str(PLUS))
    tiers = [t["tier"] for t in data["tiers"]]
    assert tiers[-2:] == ["diamond", "diamond_plus"] or tiers[:2] == ["diamond_plus", "diamond"]
    base = simulated(capsys, "--scheme", "postal-savings")
    count = {t["tier"]: t["customers"] for t in data["tiers"]}
    before = {t["tier"]: t["customers"] for t in base["tiers"]}
    assert count["diamond"] + count["diamond_plus"] == before["diamond"]
    assert count["diamond_plus"] > 0


def test_a_schemes_folder_isolates_broken_files(capsys, tmp_path, monkeypatch):
    folder = tmp_path / "schemes"
    folder.mkdir()
    (folder / "city.toml").write_text(CITY.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "broken.toml").write_text('format_version = 1\nid = "broken"\nname = "x"\n', encoding="utf-8")
    (folder / "a.toml").write_text(
        'format_version = 1\nid = "loop-a"\nextends = "loop-b"\nname = { en = "A", zh = "甲" }\n',
        encoding="utf-8",
    )
    (folder / "b.toml").write_text(
        'format_version = 1\nid = "loop-b"\nextends = "loop-a"\nname = { en = "B", zh = "乙" }\n',
        encoding="utf-8",
    )
    (folder / "clash.toml").write_text(
        'format_version = 1\nid = "postal-savings"\nextends = "postal-savings"\n', encoding="utf-8"
    )
    monkeypatch.setenv("WORKBENCH_SCHEMES", str(folder))
    code, out, err = run(capsys, "schemes", "--json")
    assert code == 0, err
    listing = json.loads(out)
    by_id = {s["id"]: s for s in listing["schemes"]}
    assert by_id["city-bank-wealth"]["file"] == str((folder / "city.toml").resolve())
    assert by_id["postal-savings"]["file"] is None  # the installed one stays
    errors = {Path(e["plugin"]).name: e["message"] for e in listing["errors"]}
    assert set(errors) == {"broken.toml", "a.toml", "b.toml", "clash.toml"}
    assert "extends forms a cycle: loop-a -> loop-b -> loop-a" in errors["a.toml"] + errors["b.toml"]
    assert "name" in errors["broken.toml"] and "en" in errors["broken.toml"]
    assert "--scheme-file" in errors["clash.toml"]
    zh = {Path(e["plugin"]).name: e["message_zh"] for e in listing["errors"]}  # the same, in Chinese
    assert "extends 形成了循环:loop-a -> loop-b -> loop-a" in zh["a.toml"] + zh["b.toml"]
    assert "方案文件有 2 处问题" in zh["broken.toml"] and "中英文都要写" in zh["broken.toml"]
    assert "已由插件 'postal-savings' 提供;未加载" in zh["clash.toml"]
    # the listing says them too, in the language asked for
    code, out, _ = run(capsys, "--lang", "zh", "schemes")
    assert code == 0 and "插件错误:" in out and "extends 形成了循环:loop-a -> loop-b -> loop-a" in out
    assert "city-bank-wealth  " in out and f"(方案文件 {(folder / 'city.toml').resolve()})" in out
    assert "    私人银行客户:日均资产 >= 600万 且 已做风险评估" in out and "  所需列:   customer_id" in out
    code, out, _ = run(capsys, "schemes")
    assert "plugin errors:" in out and "extends forms a cycle: loop-a -> loop-b -> loop-a" in out
    assert "  columns:    customer_id" in out
    # every other command warns of them, in the language asked for
    code, _, err = run(capsys, "simulate", "--sample-rows", "2000", "--lang", "zh")
    assert code == 0 and "警告:插件 " in err and "extends 形成了循环" in err
    code, _, err = run(capsys, "simulate", "--sample-rows", "2000")
    assert code == 0 and "warning: plugin " in err and "extends forms a cycle" in err
    private = next(t for t in by_id["city-bank-wealth"]["tiers"] if t["id"] == "private")
    assert private["conditions"]["zh"] == "私人银行客户:日均资产 >= 600万 且 已做风险评估"
    # the folder's scheme works in every command
    assert simulated(capsys, "--scheme", "city-bank-wealth")["scheme"] == "city-bank-wealth"


def test_a_scenario_names_its_scheme_file_relative_to_itself(capsys, tmp_path):
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "city.toml").write_text(CITY.read_text(encoding="utf-8"), encoding="utf-8")
    scenario = tmp_path / "wealth.toml"
    scenario.write_text(
        'name = "wealth"\nscheme_file = "rules/city.toml"\n[parameters]\nprivate_min = 5000000\n'
        "[portfolio.sample]\nrows = 5000\n",
        encoding="utf-8",
    )
    code, out, err = run(capsys, "simulate", str(scenario), "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    assert data["scheme"] == "city-bank-wealth" and data["parameters"]["private_min"] == 5_000_000


def test_a_file_given_wins_over_the_installed_scheme_with_its_id(capsys, tmp_path):
    mine = tmp_path / "postal.toml"
    mine.write_text(
        'format_version = 1\nid = "postal-savings"\nextends = "postal-savings"\n'
        '[parameters.gold_balance]\nname = { en = "Gold: balance", zh = "金卡:月日均余额" }\n'
        "default = 60_000\nstep = 10_000\n",
        encoding="utf-8",
    )
    data = simulated(capsys, "--scheme-file", str(mine))
    assert data["parameters"]["gold_balance"] == 60_000


def test_a_solved_scenario_keeps_naming_its_scheme_file(capsys, tmp_path):
    out = tmp_path / "plans" / "solved.toml"
    out.parent.mkdir()
    code, _, err = run(
        capsys,
        "solve",
        "--scheme-file",
        str(CITY),
        "--sample-rows",
        "5000",
        "--target",
        "gold=8",
        "--output",
        str(out),
    )
    assert code == 0, err
    assert "scheme_file = " in out.read_text(encoding="utf-8")
    from workbench.scheme import registry

    registry._registry_for.cache_clear()  # a fresh run: the rules are found through the scenario alone
    data = simulated(capsys, str(out))
    assert data["scheme"] == "city-bank-wealth"
    share = sum(t["customers"] for t in data["tiers"] if t["tier"] != "standard") / 5000
    assert share == pytest.approx(0.08, abs=0.002)


def test_a_wrong_file_is_explained_in_chinese_line_by_line(capsys, tmp_path):
    text = five_mistakes()
    bad = tmp_path / "bad.toml"
    bad.write_text(text, encoding="utf-8")
    code, _, err = run(capsys, "simulate", "--scheme-file", str(bad), "--lang", "zh")
    assert code != 0
    assert "方案文件有 5 处问题" in err
    problems = [ln.strip() for ln in err.splitlines() if ln.startswith(f"  {bad}:")]
    assert len(problems) == 5
    for said in (
        "未知的门槛参数 'privat_min'(是否想写 'private_min'?)",
        "未知的列 'risk_asessed'(是否想写 'risk_assessed'?)",
        "选项 'payroll' 没有取值 'yes'",
        "成本类型 'staffing' 没有字段 'manager_cost';现有字段:cost_per_manager, customers_per_manager",
        "白金卡:资产下限 = 50,000 必须高于 金卡:资产下限 = 100,000",
    ):
        assert any(said in line for line in problems), (said, problems)
    # every line says in Chinese where it is (the file and line stay as they are) and what is wrong
    for line in problems:
        assert line.split(": ", 1)[0].startswith(str(bad)) and any("\u4e00" <= ch <= "\u9fff" for ch in line)
        assert "unknown" not in line and "expected" not in line and "must" not in line, line
