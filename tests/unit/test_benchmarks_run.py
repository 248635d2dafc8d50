"""The benchmark scripts still run end to end against the current code (tiny sizes, nothing
timed or compared with a target: the figures live in benchmarks/README.md)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


def scripts(monkeypatch, tmp_path):
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    import common
    import replay
    import tui_latency

    monkeypatch.setattr(common, "CACHE", tmp_path)  # samples written here, not in the repository
    monkeypatch.setattr(replay, "CACHE", tmp_path)
    monkeypatch.setenv("WORKBENCH_STATE_DIR", str(tmp_path / "state"))
    return replay, tui_latency


async def test_tui_latency_drives_the_workbench(monkeypatch, tmp_path):
    _, tui_latency = scripts(monkeypatch, tmp_path)
    figures = await tui_latency.measure("industrial-bank", 3_000, 2)
    assert figures["nudges"] == 2 and sum(figures["paths"].values()) == 2
    assert figures["first_paint_s"] <= figures["prepared_s"]
    assert figures["rest_columns"] == 15 and figures["rest_read_s"] is not None  # read after the nudges


def test_ready_from_the_first_columns_reads_the_schemes_own(monkeypatch, tmp_path):
    scripts(monkeypatch, tmp_path)
    import common
    import threshold_latency

    seconds, headers = threshold_latency.ready_from_first_columns("postal-savings", common.sample_file(2_000))
    assert headers == ["customer_id", "aum", "designated_card_level", "household_income", "branch"]
    assert seconds > 0


def test_load_stages_add_up_to_the_load(monkeypatch, tmp_path):
    scripts(monkeypatch, tmp_path)
    import load_stages

    figures = load_stages.one_run(2_000)
    assert figures["rows"] == 2_000
    stages = sum(figures[k] for k in ("parquet_s", "to_pandas_s", "totals_s", "convert_s"))
    assert stages <= figures["load_s"] + 0.02  # each stage is part of the load (rounded to 0.01 s)


def test_replay_benchmark_checks_the_re_replay(monkeypatch, tmp_path, capsys):
    replay, _ = scripts(monkeypatch, tmp_path)
    monkeypatch.setattr(sys, "argv", ["replay.py", "--rows", "2000", "--months", "3", "--json"])
    replay.main()  # asserts the re-replay equals a replay from scratch
    figures = json.loads(capsys.readouterr().out)
    assert figures["customer_months"] > 5_000 and figures["months"] == 3


def test_scale_out_benchmark_checks_the_cluster_against_memory(monkeypatch, tmp_path, capsys):
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    import scale_out

    monkeypatch.setattr(scale_out, "CACHE", tmp_path)
    argv = ["scale_out.py", "--rows", "20000", "--parts", "4", "--scheme", "industrial-bank", "--json"]
    monkeypatch.setattr(sys, "argv", argv)
    scale_out.main()  # stops if the cluster's figures differ from the in-memory engine's
    figures = json.loads(capsys.readouterr().out)
    row = figures["schemes"]["industrial-bank"]
    assert row["checked_equal"] and row["shuffled"] and row["customers"] == 20_000
