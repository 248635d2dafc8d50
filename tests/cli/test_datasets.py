"""A book in parts, in memory: found by folder, glob or Hive folders, checked across parts,
written by `sample --parts` and `classify --output FOLDER`, and the engine chosen for it."""

from __future__ import annotations

import argparse
import json

import pandas as pd
import pytest
from books import PARTS, ROWS, write_book

from workbench.cli import main
from workbench.cli.common import cluster_for
from workbench.files.datasets import find_dataset, is_dataset
from workbench.files.sample import generate_frame
from workbench.files.scenarios import PortfolioRef


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


@pytest.fixture
def book(tmp_path):
    folder = tmp_path / "book"
    folder.mkdir()
    return write_book(folder)


def test_a_folder_a_glob_and_one_file_read_as_the_same_book(capsys, book, tmp_path):
    whole = tmp_path / "whole.parquet"
    generate_frame(ROWS, 11).to_parquet(whole, index=False)
    outputs = []
    for portfolio in (str(book), str(book / "part-*.parquet"), str(whole)):
        code, out, err = run(capsys, "simulate", "--scheme", "industrial-bank", "--portfolio", portfolio,
                             "--format", "json")  # fmt: skip
        assert code == 0, err
        outputs.append(json.loads(out))
    assert outputs[0]["tiers"] == outputs[1]["tiers"] == outputs[2]["tiers"]
    fingerprints = {o["portfolio"]["fingerprint"] for o in outputs}
    assert len(fingerprints) == 1  # the same customers, cut or whole
    assert outputs[0]["customers"] == ROWS


def test_monthly_files_are_a_panel_and_part_files_a_dataset(tmp_path, book):
    months = tmp_path / "months"
    months.mkdir()
    (months / "2026-01.parquet").write_bytes((book / "part-0.parquet").read_bytes())
    assert is_dataset(book) and not is_dataset(months)
    assert len(find_dataset(book)) == PARTS and find_dataset(book).rows == ROWS


def test_parts_with_other_columns_are_refused(capsys, book):
    frame = pd.read_parquet(book / "part-2.parquet").drop(columns=["household_income"])
    frame.to_parquet(book / "part-2.parquet", index=False)
    code, _, err = run(capsys, "simulate", "--scheme", "postal-savings", "--portfolio", str(book))
    assert code == 1 and "part-2.parquet lacks household_income against part part-0.parquet" in err


def test_a_key_in_two_parts_is_refused_in_memory_too(capsys, book):
    first = pd.read_parquet(book / "part-0.parquet")
    last = pd.read_parquet(book / "part-4.parquet")
    last.loc[3, "customer_id"] = first.loc[0, "customer_id"]
    last.to_parquet(book / "part-4.parquet", index=False)
    code, _, err = run(capsys, "simulate", "--scheme", "branch-layers", "--portfolio", str(book))
    key = first.loc[0, "customer_id"]
    assert code == 1
    assert f"customer key '{key}'" in err and "part-0.parquet row 1" in err and "part-4.parquet row 4" in err


def test_sample_parts_writes_a_dataset_and_never_over_one(capsys, tmp_path):
    out = tmp_path / "parts"
    code, _, err = run(capsys, "sample", "--rows", "3000", "--parts", "3", "--output", str(out))
    assert code == 0 and "in 3 parts" in err
    assert sorted(p.name for p in out.iterdir()) == [
        "part-00000.parquet",
        "part-00001.parquet",
        "part-00002.parquet",
    ]
    assert find_dataset(out).rows == 3000
    code, _, err = run(capsys, "sample", "--rows", "3000", "--parts", "3", "--output", str(out))
    assert code == 1 and "pass --force" in err
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    code, _, err = run(capsys, "sample", "--rows", "3000", "--parts", "2", "--output", str(out), "--force")
    assert code == 1 and "other files (notes.txt)" in err
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine" and len(list(out.glob("part-*"))) == 3


def test_classify_into_a_folder_in_memory(capsys, book, tmp_path):
    out = tmp_path / "tiers"
    code, _, err = run(
        capsys, "classify", "--scheme", "icbc-stars", "--portfolio", str(book), "--output", str(out)
    )
    assert code == 0 and f"wrote {ROWS:,} customers in 1 part" in err
    written = pd.read_parquet(out / "part-00000.parquet")
    assert len(written) == ROWS and {"customer_id", "tier", "star_points"} <= set(written.columns)


def test_auto_runs_on_a_cluster_only_when_the_book_would_not_fit(monkeypatch, capsys, book):
    args = argparse.Namespace(engine="auto", cluster="local", workers=None, memory_limit=None, lang="en")
    ref = PortfolioRef(path=str(book))
    assert cluster_for(args, ref, None) is None
    monkeypatch.setenv("WORKBENCH_MEMORY_LIMIT", "1MB")
    spec = cluster_for(args, ref, None)
    assert spec is not None and spec.local
    assert f"{ROWS:,} customers need about" in capsys.readouterr().err
    assert cluster_for(argparse.Namespace(**{**vars(args), "engine": "memory"}), ref, None) is None
