"""Batch work on a Dask LocalCluster of two worker processes: identical to the in-memory
engine for every built-in scheme, on a dataset whose files cut through households."""

from __future__ import annotations

import json
import os

import numpy as np
import pandas as pd
import pytest
from books import PARTS, ROWS

from workbench.cli import main
from workbench.files.sample import generate_frame

distributed = pytest.importorskip("distributed")

SCHEMES = ("industrial-bank", "icbc-stars", "postal-savings", "branch-layers")
CHANGED = {
    "industrial-bank": "platinum_personal=500000",
    "icbc-stars": "w_card_spend=300",
    "postal-savings": "gold_balance=80000",
    "branch-layers": "layer3_min=250000",
}


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def scenario_file(path, scheme: str, name: str, dataset, body: str = ""):
    """A scenario of ``scheme`` on ``dataset``, with ``body`` (TOML tables) before its portfolio."""
    path.write_text(
        f'scheme = "{scheme}"\nname = "{name}"\n{body}[portfolio]\npath = "{dataset}"\n', encoding="utf-8"
    )
    return path


def both(capsys, cluster: str, *argv: str) -> tuple[dict, dict, str]:
    """The same command in memory and on the cluster, as JSON."""
    code, memory, _ = run(capsys, *argv, "--format", "json", "--engine", "memory")
    assert code == 0
    code, dask, err = run(capsys, *argv, "--format", "json", "--engine", "dask", "--cluster", cluster)
    assert code == 0, err
    return json.loads(memory), json.loads(dask), err


def test_households_really_span_the_files(dataset):
    parts = [pd.read_parquet(p) for p in sorted(dataset.glob("*.parquet"))]
    owners = pd.concat([p.assign(part=i) for i, p in enumerate(parts)])
    owners = owners[owners.household_id != ""]
    spanning = (owners.groupby("household_id")["part"].nunique() > 1).sum()
    assert spanning > 100  # the shuffle by household has work to do


@pytest.mark.parametrize("scheme", SCHEMES)
def test_simulate_on_the_cluster_is_the_in_memory_result(capsys, cluster, dataset, scheme, tmp_path):
    baseline = tmp_path / "baseline.toml"
    baseline.write_text(f'scheme = "{scheme}"\nname = "defaults"\n', encoding="utf-8")
    argv = ("simulate", "--scheme", scheme, "--portfolio", str(dataset), "--set", CHANGED[scheme])
    memory, dask, err = both(capsys, cluster, *argv, "--baseline", str(baseline))
    assert dask == memory
    assert memory["customers"] == ROWS and memory["moved_customers"] > 0
    assert f"{ROWS:,} customers in {PARTS} parts" in err
    if scheme == "industrial-bank":
        assert "shuffled by household" in err


def test_a_per_file_household_mean_would_be_wrong(dataset, registry):
    """What the shuffle buys: each file classified alone misreads the household criterion."""
    from workbench.core.engine import Engine
    from workbench.files.datasets import find_dataset, load_dataset, load_part

    scheme = registry.schemes["industrial-bank"]
    book = find_dataset(dataset)
    whole = Engine(scheme, load_dataset(book), registry.drivers).simulate()
    alone = sum(Engine(scheme, load_part(book, i), registry.drivers).simulate().counts for i in range(PARTS))
    assert not np.array_equal(alone, whole.counts)


def test_compare_with_cost_assumptions_is_identical(capsys, cluster, dataset, tmp_path):
    a = scenario_file(tmp_path / "a.toml", "industrial-bank", "A", dataset)
    b = scenario_file(
        tmp_path / "b.toml", "industrial-bank", "B", dataset,
        "[parameters]\nplatinum_personal = 400000\n[costs.airport_lounge]\nunit_cost = 200\n"
        "[costs.airport_lounge.tiers.platinum]\nuses_per_year = 0.5\n",
    )  # fmt: skip
    memory, dask, _ = both(capsys, cluster, "compare", str(a), str(b))
    assert dask == memory
    assert memory["scenarios"][1]["total_benefit_cost"] != memory["scenarios"][0]["total_benefit_cost"]


def test_sweep_on_the_cluster(capsys, cluster, dataset):
    argv = ("sweep", "--scheme", "icbc-stars", "--portfolio", str(dataset), "--param", "star5")
    memory, dask, _ = both(capsys, cluster, *argv, "--from", "1000", "--to", "3000", "--steps", "5")
    assert dask == memory and len(memory["points"]) >= 5


def test_classify_writes_a_dataset_equal_to_the_csv(capsys, cluster, dataset, tmp_path):
    out = tmp_path / "tiers"
    code, _, err = run(
        capsys, "classify", "--scheme", "industrial-bank", "--portfolio", str(dataset),
        "--output", str(out), "--engine", "dask", "--cluster", cluster,
    )  # fmt: skip
    assert code == 0, err
    assert f"wrote {ROWS:,} customers in {PARTS} parts to {out}" in err
    written = pd.concat([pd.read_parquet(p) for p in sorted(out.glob("part-*.parquet"))])
    code, _, _ = run(capsys, "classify", "--scheme", "industrial-bank", "--portfolio", str(dataset),
                     "--output", str(tmp_path / "tiers.csv"), "--engine", "memory")  # fmt: skip
    csv = pd.read_csv(tmp_path / "tiers.csv", dtype={"customer_id": str})
    joined = csv.merge(written, on="customer_id", suffixes=("", "_dask"))
    assert len(joined) == ROWS
    assert (joined["tier"] == joined["tier_dask"]).all()
    # a second run does not overwrite without --force, and with it replaces the parts
    code, _, err = run(capsys, "classify", "--scheme", "industrial-bank", "--portfolio", str(dataset),
                       "--output", str(out), "--engine", "dask", "--cluster", cluster)  # fmt: skip
    assert code == 1 and "pass --force" in err
    code, _, err = run(capsys, "classify", "--scheme", "industrial-bank", "--portfolio", str(dataset),
                       "--output", str(out), "--engine", "dask", "--cluster", cluster, "--force")  # fmt: skip
    assert code == 0 and len(list(out.glob("part-*.parquet"))) == PARTS


def test_a_bad_value_names_the_part_row_and_column_and_writes_nothing(capsys, cluster, dataset, tmp_path):
    bad = tmp_path / "bad"
    bad.mkdir()
    for p in sorted(dataset.glob("*.parquet")):
        (bad / p.name).write_bytes(p.read_bytes())
    frame = pd.read_parquet(bad / "part-3.parquet")
    frame["aum"] = frame["aum"].astype(str)
    frame.loc[7, "aum"] = "n/a"
    frame.to_parquet(bad / "part-3.parquet", index=False)
    out = tmp_path / "out"
    code, _, err = run(capsys, "classify", "--scheme", "branch-layers", "--portfolio", str(bad),
                       "--output", str(out), "--engine", "dask", "--cluster", cluster)  # fmt: skip
    assert code == 1
    assert "part-3.parquet" in err and "row 8" in err and "aum" in err and "'n/a'" in err
    assert not out.exists() and not list(tmp_path.glob(".out.*"))


def test_a_key_in_two_parts_is_named(capsys, cluster, dataset, tmp_path):
    dup = tmp_path / "dup"
    dup.mkdir()
    for p in sorted(dataset.glob("*.parquet")):
        (dup / p.name).write_bytes(p.read_bytes())
    first = pd.read_parquet(dup / "part-0.parquet")
    last = pd.read_parquet(dup / "part-4.parquet")
    last.loc[0, "customer_id"] = first.loc[5, "customer_id"]
    last.to_parquet(dup / "part-4.parquet", index=False)
    code, _, err = run(capsys, "simulate", "--scheme", "postal-savings", "--portfolio", str(dup),
                       "--engine", "dask", "--cluster", cluster)  # fmt: skip
    assert code == 1
    key = first.loc[5, "customer_id"]
    assert f"customer key '{key}'" in err and "part-0.parquet row 6" in err and "part-4.parquet row 1" in err


def test_hive_folders_become_the_column(capsys, cluster, tmp_path):
    frame = generate_frame(3_000, 5).drop(columns=["branch"])
    root = tmp_path / "hive"
    for i, name in enumerate(("north", "south")):
        (root / f"branch={name}").mkdir(parents=True)
        frame.iloc[i * 1500 : (i + 1) * 1500].to_parquet(
            root / f"branch={name}" / "part-0.parquet", index=False
        )
    memory, dask, _ = both(
        capsys, cluster, "simulate", "--scheme", "industrial-bank", "--portfolio", str(root)
    )
    assert dask == memory and memory["customers"] == 3_000


def test_a_lost_worker_is_retried_and_the_result_is_still_exact(capsys, cluster, dataset, tmp_path):
    """The first partition tallied kills its worker; Dask reruns it elsewhere."""
    marker = tmp_path / "died"

    def sabotage(marker: str = str(marker)) -> None:
        import workbench.scale.parts as parts

        honest = parts.tally_frame

        def dying(*args, **kwargs):
            try:
                os.close(os.open(marker, os.O_CREAT | os.O_EXCL))
            except FileExistsError:
                return honest(*args, **kwargs)
            os._exit(1)

        parts.tally_frame = dying

    with distributed.Client(cluster) as client:
        client.run(sabotage)
        argv = ("simulate", "--scheme", "postal-savings", "--portfolio", str(dataset))
        memory, dask, _ = both(capsys, cluster, *argv)
        client.wait_for_workers(2)
    assert marker.exists()
    assert dask == memory


def test_the_sample_is_not_a_dataset(capsys):
    code, _, err = run(capsys, "simulate", "--sample-rows", "1000", "--engine", "dask")
    assert code == 2 and "workbench sample --parts" in err


def test_a_sample_drawn_on_the_cluster_is_the_one_drawn_in_memory(capsys, cluster, dataset):
    argv = ("simulate", "--scheme", "industrial-bank", "--portfolio", str(dataset), "--sample", "10%")
    memory, dask, err = both(capsys, cluster, *argv, "--set", "platinum_personal=400000")
    assert dask == memory
    assert memory["sample"]["units_are"] == "households" and memory["interval"]["customers"]["low"] == ROWS
    assert "stratified sample" in err


def test_a_comparison_report_from_the_cluster_is_the_in_memory_one(capsys, cluster, dataset, tmp_path):
    a = scenario_file(tmp_path / "a.toml", "postal-savings", "A", dataset)
    b = scenario_file(
        tmp_path / "b.toml", "postal-savings", "B", dataset, "[parameters]\ngold_balance = 70000\n"
    )
    reports = []
    for engine in (["--engine", "memory"], ["--engine", "dask", "--cluster", cluster]):
        out = tmp_path / f"report-{engine[1]}.md"
        code, _, err = run(capsys, "compare", str(a), str(b), "--output", str(out), "--lang", "zh", *engine)
        assert code == 0, err
        reports.append(out.read_text(encoding="utf-8"))
    assert reports[0] == reports[1] and "金卡" in reports[0]


def test_a_replay_on_the_cluster_is_the_in_memory_replay(capsys, cluster, tmp_path):
    from workbench.files.sample_panel import month_names, panel_months

    folder = tmp_path / "months"
    folder.mkdir()
    for name, frame in zip(month_names(6, "2026-01"), panel_months(3_000, 6, 5), strict=True):
        frame.drop(columns=["month"], errors="ignore").to_parquet(folder / f"{name}.parquet", index=False)
    baseline = tmp_path / "b.toml"
    baseline.write_text(
        'scheme = "industrial-bank"\n[parameters]\nplatinum_personal = 400000\n', encoding="utf-8"
    )
    argv = (
        "replay",
        "--scheme",
        "industrial-bank",
        "--portfolio",
        str(folder),
        "--policy",
        "downgrade_after_months=2",
    )
    memory, dask, _ = both(capsys, cluster, *argv, "--baseline", str(baseline))
    assert dask == memory
    assert (
        sum(m["joined"] for m in memory["months"]) > 0 and sum(m["downgrades"] for m in memory["months"]) > 0
    )
    code, _, err = run(capsys, *argv, "--customer", "C00000001", "--engine", "dask", "--cluster", cluster)
    assert code == 2 and "--engine memory" in err


def test_ctrl_c_cancels_the_clusters_work(monkeypatch):
    from workbench.scale import cluster as clusters

    class Client:
        def __init__(self) -> None:
            self.cancelled: list[str] = []

        def cancel(self, futures, force=False):
            self.cancelled.extend(futures)

    def interrupted(futures):
        raise KeyboardInterrupt
        yield

    monkeypatch.setattr(distributed, "as_completed", interrupted)
    client = Client()
    with pytest.raises(KeyboardInterrupt):
        clusters.gather(client, ["a", "b"], "book")
    assert client.cancelled == ["a", "b"]
