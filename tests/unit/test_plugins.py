"""Plugins load in isolation: each failure is reported and skipped, the rest work."""

import re
import subprocess
import sys
from pathlib import Path

import pluggy
import pytest

from workbench.scheme import hookspecs
from workbench.scheme.registry import load_registry

SITE = Path(__file__).resolve().parents[1] / "fixtures" / "plugin_site"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def broken_registry(monkeypatch):
    monkeypatch.syspath_prepend(str(SITE))
    monkeypatch.delenv("WORKBENCH_DISABLE_PLUGINS", raising=False)
    return load_registry()


def failures(registry):
    return {(f.plugin, f.stage): f.message for f in registry.failures}


def test_builtins_still_load_beside_broken_plugins(broken_registry):
    assert {"industrial-bank", "icbc-stars", "postal-savings", "branch-layers", "extra-test"} <= set(
        broken_registry.schemes
    )


def test_each_failure_is_reported(broken_registry):
    f = failures(broken_registry)
    assert "ImportError: No module named 'cmb_sdk'" in f[("broken-import", "load")]
    assert "raised RuntimeError: cannot reach the rules server" in f[("raising-hook", "hook")]
    assert "portfolio" in f[("wrong-signature", "load")]
    assert (
        "scheme 'falling' is invalid: high_min = 100,000 must be above mid_min = 500,000"
        in f[("invalid-scheme", "register")]
    )
    dup = f[("duplicate-one", "register")]
    assert "'dup-scheme' is registered by both 'duplicate-one' and 'duplicate-two'" in dup
    assert "dup-scheme" not in broken_registry.schemes


def test_third_party_scheme_with_classify_and_cost_driver(broken_registry):
    from helpers import make_portfolio

    from workbench.core.engine import Engine

    scheme = broken_registry.schemes["extra-test"]
    portfolio = make_portfolio(
        [
            {"aum": 300_000, "household_id": "H"},
            {"aum": 300_000, "household_id": "H"},
            {"aum": 300_000, "household_id": ""},
        ]
    )
    result = Engine(scheme, portfolio, broken_registry.drivers).simulate()
    assert result.tiers.tolist() == [1, 1, 0]
    assert result.total_benefit_cost == 2 * 50 * 2


def test_disable_by_name(monkeypatch):
    monkeypatch.syspath_prepend(str(SITE))
    monkeypatch.setenv("WORKBENCH_DISABLE_PLUGINS", "broken-import, icbc-stars")
    registry = load_registry()
    assert "icbc-stars" not in registry.schemes
    assert {"broken-import", "icbc-stars"} <= set(registry.disabled)
    assert ("broken-import", "load") not in failures(registry)


def test_cli_reports_broken_plugins_and_keeps_working(tmp_path, state_dir):
    env = {
        "PYTHONPATH": str(SITE),
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "WORKBENCH_STATE_DIR": str(state_dir),
    }
    workbench = [sys.executable, "-m", "workbench.cli"]
    listing = subprocess.run([*workbench, "schemes"], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert listing.returncode == 0, listing.stderr
    assert "plugin errors:" in listing.stdout
    assert "broken-import (load): ImportError: No module named 'cmb_sdk'" in listing.stdout
    assert "industrial-bank" in listing.stdout
    run = subprocess.run(
        [*workbench, "simulate", "--scheme", "branch-layers", "--sample-rows", "500", "--format", "json"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    assert run.returncode == 0
    assert "warning: plugin broken-import not loaded" in run.stderr
    assert "Traceback" not in run.stderr


def hook_specs() -> dict[str, tuple[str, ...]]:
    """Every hook the plugin manager knows, with its arguments."""
    pm = pluggy.PluginManager(hookspecs.PROJECT)
    pm.add_hookspecs(hookspecs)
    return {name: caller.spec.argnames for name, caller in vars(pm.hook).items() if caller.spec}


def test_every_hook_is_documented_with_its_signature():
    docs = (ROOT / "docs" / "plugins.md").read_text()
    hooks = hook_specs()
    assert sorted(hooks) == ["workbench_register_cost_drivers", "workbench_register_schemes"]
    for hook, args in hooks.items():
        heading = rf"^### `{hook}\({', '.join(args)}\)`"
        assert re.search(heading, docs, re.MULTILINE), f"{hook}({', '.join(args)}) is not documented"


def test_hooks_are_called_through_pluggy_with_the_arguments_an_implementation_takes():
    class Quiet:
        """Takes none of the hook's arguments: pluggy calls it with none."""

        called = False

        @hookspecs.hookimpl
        def workbench_register_schemes(self):
            Quiet.called = True

    registry = load_registry([("quiet", Quiet())], use_entry_points=False)
    assert Quiet.called and registry.failures == [] and registry.plugins == ["quiet"]


EXAMPLE = ROOT / "examples" / "workbench-cmb-sunflower"


def test_guide_embeds_the_example_plugin_verbatim():
    docs = (ROOT / "docs" / "plugins.md").read_text()
    for name in ("workbench_cmb_sunflower.py", "pyproject.toml", "tests/test_scheme.py"):
        assert (EXAMPLE / name).read_text() in docs, f"docs/plugins.md is out of date with {name}"


def test_example_plugin_passes_the_kit_through_an_entry_point(tmp_path, monkeypatch):
    from workbench import testing

    site = tmp_path / "site"
    info = site / "workbench_cmb_sunflower-0.1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: workbench-cmb-sunflower\nVersion: 0.1.0\n")
    (info / "entry_points.txt").write_text("[workbench.schemes]\ncmb-sunflower = workbench_cmb_sunflower\n")
    monkeypatch.syspath_prepend(str(site))
    monkeypatch.syspath_prepend(str(EXAMPLE))
    registry = load_registry()
    scheme = registry.schemes["cmb-sunflower"]
    portfolio = testing.portfolio_for(scheme, 2_000)
    testing.check_declaration(scheme, registry)
    testing.check_every_customer_tiered(scheme, portfolio, registry)
    testing.check_monotone_thresholds(scheme, portfolio, registry)
    testing.check_required_columns(scheme, portfolio, registry)
    testing.check_round_trip(scheme, registry, tmp_path)
