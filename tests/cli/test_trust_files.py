"""No file lost, no crash: an output that is an input is refused, a failed write names the
file, and files built to crash a reader get a message instead."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from workbench.cli import main
from workbench.files.scenarios import PortfolioRef, Scenario, save_scenario

ROOT = Path(__file__).resolve().parents[2]
CUSTOMERS = "customer_id,aum\nA,100\nB,400000\n"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "export.csv").write_text(CUSTOMERS, encoding="utf-8")
    (tmp_path / "mine.toml").write_text(
        'name = "mine"\nscheme = "branch-layers"\n[portfolio]\npath = "export.csv"\n', encoding="utf-8"
    )
    save_scenario(
        Scenario(scheme="branch-layers", name="base", portfolio=PortfolioRef(sample_rows=50)),
        tmp_path / "base.toml",
    )
    return tmp_path


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


# -- an output that is an input --------------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "kind"),
    [
        (["classify", "{dir}/mine.toml", "--output", "{dir}/export.csv"], "portfolio"),
        (
            [
                "classify",
                "--scheme",
                "branch-layers",
                "--portfolio",
                "{dir}/export.csv",
                "--output",
                "{dir}/export.csv",
            ],
            "portfolio",
        ),
        (["compare", "{dir}/mine.toml", "{dir}/base.toml", "--output", "{dir}/export.csv"], "portfolio"),
        (
            [
                "compare",
                "{dir}/base.toml",
                "{dir}/base.toml",
                "--portfolio",
                "{dir}/export.csv",
                "--output",
                "{dir}/export.csv",
            ],
            "portfolio",
        ),
        (["solve", "{dir}/mine.toml", "--target", "layer5=1", "--output", "{dir}/mine.toml"], "scenario"),
        (["simulate", "{dir}/mine.toml", "--output", "{dir}/mine.toml"], "scenario"),
        (
            ["simulate", "{dir}/mine.toml", "--baseline", "{dir}/base.toml", "--output", "{dir}/base.toml"],
            "baseline",
        ),
        (
            [
                "sweep",
                "{dir}/mine.toml",
                "--param",
                "layer2_min",
                "--from",
                "1",
                "--to",
                "9",
                "--output",
                "{dir}/export.csv",
            ],
            "portfolio",
        ),
        (["classify", "{dir}/mine.toml", "--output", "{dir}/link.csv"], "portfolio"),
    ],
)
def test_an_output_that_is_an_input_is_refused_and_nothing_changes(capsys, folder, argv, kind):
    os.symlink(folder / "export.csv", folder / "link.csv")
    before = snapshot(folder)
    code, _, err = run(capsys, *(a.replace("{dir}", str(folder)) for a in argv))
    assert code == 2, err
    assert "--output" in err and f"is the {kind}" in err and "this command reads" in err
    assert snapshot(folder) == before


def test_a_failed_write_names_the_file_and_what_to_do(capsys, folder, monkeypatch):
    target = folder / "out.txt"
    real = os.fsync

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    code, _, err = run(capsys, "simulate", str(folder / "mine.toml"), "--output", str(target))
    monkeypatch.setattr(os, "fsync", real)
    assert code == 1
    assert f"{target}: cannot be written (the disk is full: free some space, or write to another disk)" in err
    assert ".tmp" not in err and not target.exists()
    assert not [p for p in folder.iterdir() if p.name.endswith(".tmp")]


def test_writing_to_a_folder_is_named(capsys, folder):
    code, _, err = run(capsys, "simulate", str(folder / "mine.toml"), "--output", str(folder))
    assert code == 1 and "cannot be written (it is a folder: give a file name)" in err


# -- files built to crash a reader ------------------------------------------------------------------


def stray_cell_workbook(path: Path) -> None:
    """A tiny .xlsx whose one stray cell makes the stated sheet 17 billion cells."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["客户号", "日均资产"])
    sheet.append(["A", 100])
    sheet["XFD1048576"] = "x"
    book.save(path)


def test_a_workbook_that_states_a_huge_sheet_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "stray.xlsx"
    stray_cell_workbook(path)
    assert path.stat().st_size < 10_000
    # In a child process with 3 GB of address space: reading the sheet would abort it.
    code = (
        "import resource, sys; resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30));"
        "from workbench.cli import main;"
        f"sys.exit(main(['simulate', '--scheme', 'branch-layers', '--portfolio', {str(path)!r}]))"
    )
    child = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert child.returncode == 1, child.stderr
    assert "spans 1,048,576 rows x 16,384 columns (to cell XFD1048576)" in child.stderr
    assert "Traceback" not in child.stderr


def test_a_stated_dimension_that_lies_is_checked_against_the_cells(tmp_path, capsys):
    path = tmp_path / "lying.xlsx"
    stray_cell_workbook(path)
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].replace(
        b'<dimension ref="A1:XFD1048576"/>', b'<dimension ref="A1:B2"/>'
    )
    parts["xl/worksheets/sheet1.xml"] = sheet
    with zipfile.ZipFile(path, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    code, _, err = run(capsys, "simulate", "--scheme", "branch-layers", "--portfolio", str(path))
    assert code == 1 and "to cell XFD1048576" in err


def test_a_symbolic_link_loop(capsys, tmp_path):
    os.symlink(tmp_path / "b.csv", tmp_path / "a.csv")
    os.symlink(tmp_path / "a.csv", tmp_path / "b.csv")
    code, _, err = run(
        capsys, "simulate", "--scheme", "branch-layers", "--portfolio", str(tmp_path / "a.csv")
    )
    assert code in (1, 2) and "points back at itself (a loop)" in err and "Traceback" not in err
    code, _, err = run(capsys, "simulate", str(tmp_path / "a.csv"))
    assert code == 1 and "a loop" in err


def test_a_pipe_is_not_read(capsys, tmp_path):
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    code, _, err = run(capsys, "simulate", "--scheme", "branch-layers", "--portfolio", str(fifo))
    assert code == 1 and "is a pipe (FIFO), not a regular file" in err
    code, _, err = run(capsys, "simulate", str(fifo))
    assert code == 1 and "is a pipe (FIFO)" in err


def test_toml_nested_thousands_deep(capsys, tmp_path):
    path = tmp_path / "deep.toml"
    path.write_text('scheme = "branch-layers"\nx = ' + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    code, _, err = run(capsys, "simulate", str(path))
    assert code == 1 and "nested too deeply" in err


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (
            ["sample", "--rows", "10", "--seed", "-1", "--output", "{dir}/s.csv"],
            "--seed: expected a number from 0",
        ),
        (
            ["sample", "--rows", "1000000000000", "--output", "{dir}/s.csv"],
            "--rows: 1,000,000,000,000 customers would take",
        ),
        (["sample", "--rows", "0", "--output", "{dir}/s.csv"], "--rows: expected at least 1"),
        (
            ["simulate", "--scheme", "branch-layers", "--sample-seed", "-5"],
            "--sample-seed: expected a number from 0",
        ),
        (
            ["simulate", "--scheme", "branch-layers", "--sample-rows", "99999999999"],
            "--sample-rows: 99,999,999,999",
        ),
    ],
)
def test_impossible_samples_are_refused(capsys, tmp_path, argv, fragment):
    code, _, err = run(capsys, *(a.replace("{dir}", str(tmp_path)) for a in argv))
    assert code == 2 and fragment in err and "Traceback" not in err
    assert not (tmp_path / "s.csv").exists()


def test_a_scenario_with_a_negative_seed(capsys, tmp_path):
    path = tmp_path / "s.toml"
    path.write_text('scheme = "branch-layers"\n[portfolio.sample]\nrows = 10\nseed = -1\n', encoding="utf-8")
    code, _, err = run(capsys, "simulate", str(path))
    assert code == 1 and "[portfolio.sample] seed: expected a number from 0" in err


def test_parquet_columns_of_lists_and_binary(capsys, tmp_path):
    lists = tmp_path / "lists.parquet"
    pq.write_table(pa.table({"customer_id": ["A"], "aum": pa.array([[1.0, 2.0]])}), lists)
    code, _, err = run(capsys, "simulate", "--scheme", "branch-layers", "--portfolio", str(lists))
    assert code == 1 and "column aum holds list<" in err and "expected one value per customer" in err
    binary = tmp_path / "binary.parquet"
    ids = pa.array([b"A", b"\xff\xfe"], type=pa.binary())
    pq.write_table(pa.table({"customer_id": ids, "aum": [1.0, 2.0]}), binary)
    code, _, err = run(capsys, "simulate", "--scheme", "branch-layers", "--portfolio", str(binary))
    assert code == 1 and "row 2, column customer_id" in err and "is not UTF-8 text" in err
    text = tmp_path / "text-ids.parquet"
    pq.write_table(
        pa.table({"customer_id": pa.array([b"A", b"B"], type=pa.binary()), "aum": [1.0, 2.0]}), text
    )
    assert run(capsys, "simulate", "--scheme", "branch-layers", "--portfolio", str(text))[0] == 0


# -- standard output -------------------------------------------------------------------------------


def workbench(*argv: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "workbench", *argv], text=True, timeout=120, **kwargs)


def test_a_closed_standard_output_is_an_error(tmp_path):
    child = subprocess.run(
        f"{sys.executable} -m workbench simulate --scheme branch-layers --sample-rows 50 >&-",
        shell=True,
        capture_output=False,
        stderr=subprocess.PIPE,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert child.returncode == 1 and "standard output is closed" in child.stderr


def test_a_full_standard_output_is_an_error(tmp_path):
    with open("/dev/full", "w") as full:
        child = workbench(
            "simulate",
            "--scheme",
            "branch-layers",
            "--sample-rows",
            "50",
            stdout=full,
            stderr=subprocess.PIPE,
            cwd=tmp_path,
        )
    assert child.returncode == 1 and "cannot be written (No space left on device)" in child.stderr
    assert "Exception ignored" not in child.stderr
