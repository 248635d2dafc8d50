"""A scheme file's problems are said in Chinese as well as English: each line keeps its
file and line and says in Chinese what is wrong (the ids and values found stay as written)."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.scheme.registry import default_registry
from workbench.scheme.scheme_files import SchemeFileError, load_scheme_file

BASE = """format_version = 1
id = "tiny-bank"
name = { en = "Tiny bank", zh = "小银行" }

[metrics.aum]
column = "aum"
name = { en = "AUM", zh = "资产" }

[parameters.gold_min]
name = { en = "Gold from", zh = "金卡下限" }
default = 100_000

[options.route]
name = { en = "Route", zh = "路径" }
choices = { on = { en = "on", zh = "启用" }, off = { en = "off", zh = "不启用" } }
default = "on"

[[tiers]]
id = "standard"
name = { en = "Standard", zh = "普通" }

[[tiers]]
id = "gold"
name = { en = "Gold", zh = "金卡" }
any = [ { metric = "aum", at_least = "gold_min" } ]

[benefits.lounge]
name = { en = "Lounge", zh = "贵宾厅" }
driver = "per_use"
unit_cost = 200
uses_per_year = 2
tiers = ["gold"]
"""

# Each mistake with the English that says it: reading, building and validating a file.
MISTAKES = {
    "version": (("format_version = 1", "format_version = 2"), "format_version: expected 1, found 2"),
    "top key": (('id = "tiny-bank"', 'id = "tiny-bank"\ncolour = "red"'), "unknown key; expected one of"),
    "scheme id": (('id = "tiny-bank"', 'id = "Tiny"'), "scheme id 'Tiny' must be lower case"),
    "no zh": ((', zh = "金卡" }', " }"), "with both languages, found"),
    "any and all": (
        ('any = [ { metric = "aum", at_least = "gold_min" } ]', "any = []\nall = []"),
        "a tier has any or all, not both",
    ),
    "two kinds": (
        ('column = "aum"\nname', 'column = "aum"\ntotal = ["aum"]\nname'),
        "expected exactly one of",
    ),
    "parameter kind": (("default = 100_000", 'default = 100_000\nkind = "limit"'), 'expected "threshold" or'),
    "option default": (('default = "on"', 'default = "maybe"'), "'maybe' is not one of on, off"),
    "combine": (
        ('name = { en = "Tiny', 'combine = "either"\nname = { en = "Tiny'),
        'expected "any" or "all"',
    ),
    "remove tier": (
        ("format_version = 1", 'format_version = 1\nremove_tiers = ["silver"]'),
        "no tier 'silver'",
    ),
    "duplicate tier": (('id = "gold"', 'id = "standard"'), "duplicate tier id 'standard'"),
    "unknown metric": (('metric = "aum", at_least', 'metric = "balance", at_least'), "unknown metric"),
    "unknown parameter": (('at_least = "gold_min"', 'at_least = "gold_mni"'), "unknown threshold parameter"),
    "unknown driver": (('driver = "per_use"', 'driver = "per_visit"'), "unknown cost driver 'per_visit'"),
    "driver field": (('tiers = ["gold"]', 'tiers = ["gold"]\nvisits = 2'), "has no field 'visits'"),
    "when": (
        ('at_least = "gold_min" }', 'at_least = "gold_min", when = { route = "x" } }'),
        "option 'route' has no value 'x'",
    ),
    "column kind": (
        ("[metrics.aum]", '[columns.opened]\nkind = "date"\nname = { en = "O", zh = "开户" }\n[metrics.aum]'),
        "expected one of bool | money",
    ),
    "months": (
        ("format_version = 1", 'format_version = 1\nwindow_months = "two"'),
        "a whole number of months",
    ),
    "extends": (
        ("format_version = 1", 'format_version = 1\nextends = "no-such-bank"'),
        "no installed scheme",
    ),
    "not toml": (("[[tiers]]", "[[tiers"), "not valid TOML"),
}


def has_chinese(line: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in line)


@pytest.mark.parametrize("mistake", sorted(MISTAKES))
def test_each_mistake_is_said_in_both_languages(tmp_path, mistake):
    (old, new), english = MISTAKES[mistake]
    assert old in BASE, mistake
    path = tmp_path / "tiny.toml"
    path.write_text(BASE.replace(old, new, 1), encoding="utf-8")
    registry = default_registry()
    with pytest.raises(SchemeFileError) as caught:
        load_scheme_file(path, registry.schemes.get, registry.drivers, lambda: sorted(registry.schemes))
    problems = caught.value.problems
    assert any(english in p.en for p in problems), [p.en for p in problems]
    for problem in problems:
        assert problem.zh.startswith(str(path)) and has_chinese(problem.zh), problem
        assert problem.en.split(": ")[0] == problem.zh.split(": ")[0]  # the same file and line
    zh = caught.value.in_lang("zh")
    assert "方案文件有" in zh and all(has_chinese(ln) for ln in zh.splitlines()), zh


def test_the_base_file_is_valid(tmp_path):
    path = tmp_path / "tiny.toml"
    path.write_text(BASE, encoding="utf-8")
    registry = default_registry()
    scheme = load_scheme_file(Path(path), registry.schemes.get, registry.drivers)
    assert [t.id for t in scheme.tiers] == ["standard", "gold"]
