"""Processes stopped part way: a save killed mid-write, Ctrl+C in the command line."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from workbench.files.scenarios import Scenario, load_scenario, save_scenario

# The child saves a scenario with a write that stops half way (or before the data is on
# disk) and says so; the test then kills it with SIGKILL, as a power cut or `kill -9` would.
CHILD = textwrap.dedent(
    """
    import os, sys, time
    from pathlib import Path
    from workbench.files.scenarios import Scenario, save_scenario

    stage = sys.argv[2]
    real_write_text = Path.write_text

    def half_then_wait(self, text, *args, **kwargs):
        real_write_text(self, text[: len(text) // 2], *args, **kwargs)
        if stage == "writing":
            print("stopped", flush=True)
            time.sleep(60)
        return real_write_text(self, text, *args, **kwargs)

    def wait_before_sync(fd):
        print("stopped", flush=True)
        time.sleep(60)

    Path.write_text = half_then_wait
    if stage == "syncing":
        os.fsync = wait_before_sync
    new = Scenario(scheme="industrial-bank", name="new", parameters={"platinum_personal": 500000})
    save_scenario(new, sys.argv[1])
    """
)


@pytest.mark.parametrize("stage", ["writing", "syncing"])
def test_a_save_killed_part_way_leaves_the_old_file_intact(tmp_path: Path, stage: str):
    path = tmp_path / "october.toml"
    save_scenario(
        Scenario(scheme="industrial-bank", name="old", parameters={"platinum_personal": 300_000}), path
    )
    before = path.read_bytes()
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(path), stage], stdout=subprocess.PIPE, text=True
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "stopped"
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        child.kill()
    assert child.returncode == -signal.SIGKILL
    assert path.read_bytes() == before
    old = load_scenario(path)
    assert old.name == "old" and old.parameters["platinum_personal"] == 300_000


def test_ctrl_c_ends_the_command_cleanly(tmp_path: Path):
    output = tmp_path / "big.parquet"
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    child = subprocess.Popen(
        [sys.executable, "-m", "workbench", "sample", "--rows", "30000000", "--output", str(output)],
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    time.sleep(1.5)  # importing or generating: either way it must end the same
    child.send_signal(signal.SIGINT)
    _, stderr = child.communicate(timeout=60)
    assert child.returncode == 130
    assert stderr.strip() == "workbench: interrupted"
    assert list(tmp_path.iterdir()) == []  # no output, no temporary file left behind
