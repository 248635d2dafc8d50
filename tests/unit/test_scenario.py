"""Scenario files: round trip, relative paths, errors that name the key, atomic saves."""

import os
import tomllib
from pathlib import Path

import pytest

from workbench.errors import ScenarioError
from workbench.files.atomic import WriteError
from workbench.files.scenarios import PortfolioRef, Scenario, load_scenario, parse_scenario, save_scenario
from workbench.planning.runs import Session

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"


def test_round_trip(tmp_path):
    scenario = Scenario(
        scheme="industrial-bank",
        name="Platinum 500k",
        notes="多行\nnotes",
        parameters={"platinum_personal": 500_000.0, "gold_personal": 120_000.5},
        options={"household_basis": "sum"},
        costs={"airport_lounge": {"unit_cost": 180, "tiers": {"platinum": {"uses_per_year": 0.5}}}},
        portfolio=PortfolioRef(sample_rows=5_000, sample_seed=9),
    )
    path = save_scenario(scenario, tmp_path / "s.toml")
    loaded = load_scenario(path)
    assert (loaded.scheme, loaded.name, loaded.notes) == (scenario.scheme, scenario.name, scenario.notes)
    assert loaded.parameters == scenario.parameters
    assert loaded.options == scenario.options
    assert loaded.costs == scenario.costs
    assert (loaded.portfolio.sample_rows, loaded.portfolio.sample_seed) == (5_000, 9)
    data = tomllib.loads(path.read_text())
    assert data["format_version"] == 1
    assert data["parameters"]["platinum_personal"] == 500_000 and isinstance(
        data["parameters"]["platinum_personal"], int
    )


def test_relative_paths_follow_the_file(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "export.csv").write_text("customer_id,aum\na,1\n")
    (tmp_path / "a").mkdir()
    first = tmp_path / "a" / "s.toml"
    first.write_text('scheme = "branch-layers"\n[portfolio]\npath = "../data/export.csv"\n')
    scenario = load_scenario(first)
    assert scenario.portfolio.resolve(scenario.base_dir).resolve() == (data / "export.csv").resolve()
    (tmp_path / "b" / "c").mkdir(parents=True)
    moved = save_scenario(scenario, tmp_path / "b" / "c" / "s.toml")
    again = load_scenario(moved)
    assert again.portfolio.path == "../../data/export.csv"
    assert again.portfolio.resolve(again.base_dir).resolve() == (data / "export.csv").resolve()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('scheme = "x"\nname = \n', "not valid TOML: .* \\(at line 2, column 8\\)"),
        ('name = "no scheme"\n', "missing key 'scheme'"),
        ('scheme = "industrial-bank"\ncolour = "red"\n', "unknown key 'colour'; valid keys: format_version"),
        ('format_version = 2\nscheme = "industrial-bank"\n', "format_version 2 was written by a newer"),
        (
            'scheme = "industrial-bank"\n[parameters]\ngold_personal = "100k"\n',
            "gold_personal: expected a number",
        ),
        ('scheme = "industrial-bank"\n[options]\nhousehold_basis = 1\n', "household_basis: expected text"),
        (
            'scheme = "industrial-bank"\n[portfolio]\npath = "a.csv"\n[portfolio.sample]\nrows = 5\n',
            "both 'path' and 'sample'",
        ),
        ('scheme = "industrial-bank"\n[portfolio.sample]\nrows = 0\n', "rows: expected at least 1"),
    ],
)
def test_structural_errors(text, message):
    with pytest.raises(ScenarioError, match=message):
        parse_scenario(text, "s.toml")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('scheme = "citibank"\n', "unknown scheme 'citibank'; available schemes: branch-layers, icbc-stars"),
        (
            'scheme = "industrial-bank"\n[parameters]\nplatinum = 1\n',
            r"unknown parameter 'platinum' \(did you mean 'platinum_personal'\?\) for scheme 'industrial-bank'; "
            "valid parameters: gold_personal",
        ),
        (
            'scheme = "industrial-bank"\n[options]\nbasis = "sum"\n',
            "unknown option 'basis'.*valid options: household_basis",
        ),
        (
            'scheme = "industrial-bank"\n[options]\nhousehold_basis = "median"\n',
            "expected one of mean, sum, found 'median'",
        ),
        (
            'scheme = "industrial-bank"\n[parameters]\nplatinum_personal = 2000000\n',
            "black_gold_personal = 1,000,000 must be above platinum_personal = 2,000,000: thresholds rise",
        ),
        (
            'scheme = "industrial-bank"\n[parameters]\ngold_personal = -1\n',
            "gold_personal: expected a value >= 0",
        ),
        (
            'scheme = "industrial-bank"\n[costs.golf]\nuptake = 2\n',
            r"s.toml: \[costs.golf\] uptake: uptake is a share between 0 and 1",
        ),
    ],
)
def test_errors_against_the_scheme(registry, tmp_path, text, message):
    path = tmp_path / "s.toml"
    path.write_text(text + "[portfolio.sample]\nrows = 50\n" if "[portfolio" not in text else text)
    with pytest.raises(ScenarioError, match=message):
        Session(registry).run(load_scenario(path))


def test_missing_portfolio_file_shows_resolved_path(registry, tmp_path):
    from workbench.errors import PortfolioError

    path = tmp_path / "s.toml"
    path.write_text('scheme = "industrial-bank"\n[portfolio]\npath = "exports/oct.csv"\n')
    with pytest.raises(
        PortfolioError, match=r"exports/oct.csv \(resolved against .* to .*exports/oct.csv\): no such file"
    ):
        Session(registry).run(load_scenario(path))


def test_save_is_atomic(tmp_path, monkeypatch):
    path = tmp_path / "s.toml"
    save_scenario(Scenario(scheme="industrial-bank", name="old"), path)
    before = path.read_text()

    def fail(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(
        WriteError, match=r"s.toml: cannot be written \(disk full\); the old file, if any, is unchanged"
    ):
        save_scenario(Scenario(scheme="industrial-bank", name="new"), path)
    assert path.read_text() == before
    assert [p.name for p in tmp_path.iterdir()] == ["s.toml"]


def test_saved_files_are_as_readable_as_a_plain_write(tmp_path):
    """An atomic save must not leave the file private to its writer."""
    plain = tmp_path / "plain.txt"
    plain.write_text("x")
    path = tmp_path / "s.toml"
    save_scenario(Scenario(scheme="industrial-bank", name="new"), path)
    assert path.stat().st_mode & 0o777 == plain.stat().st_mode & 0o777
    path.chmod(0o640)  # a mode the owner chose is kept on the next save
    save_scenario(Scenario(scheme="industrial-bank", name="newer"), path)
    assert path.stat().st_mode & 0o777 == 0o640


SHIPPED = [
    line.strip()
    for line in (SCENARIOS / "SHIPPED").read_text(encoding="utf-8").splitlines()
    if line.strip() and not line.startswith("#")
]


def test_the_manifest_names_files_that_exist():
    assert SHIPPED and all((SCENARIOS / name).is_file() for name in SHIPPED)


@pytest.mark.parametrize("path", [SCENARIOS / name for name in SHIPPED], ids=lambda p: p.name)
def test_example_scenarios_run(registry, path):
    run = Session(registry).run(load_scenario(path))
    assert run.result.customers == 100_000
    if run.scenario.baseline:
        assert run.comparison is not None


def test_platinum_500k_moves_customers_down_only(registry):
    run = Session(registry).run(load_scenario(SCENARIOS / "industrial-bank-platinum-500k.toml"))
    m = run.comparison.migration_customers
    assert m[2, 1] > 0  # platinum -> gold
    assert m.sum() - m.trace() == m[2, 1]  # and nothing else moves
    assert run.comparison.delta_customers()[2] == -m[2, 1]
