"""The served workbench driven in headless Chromium: the page loads with the token, the tier
table arrives, a nudged threshold changes the figure the engine says, and Chinese shows.

What the browser draws comes over the page's websocket as the workbench's terminal output;
the test reads those frames as the browser receives them (Chrome's own network log)."""

from __future__ import annotations

import base64
import json
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from workbench import fmt
from workbench.core.engine import Engine
from workbench.files.sample import sample_portfolio
from workbench.scheme.registry import load_registry

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None or DRIVER is None,
    reason="needs Chromium and ChromeDriver: apt-get install chromium chromium-driver (.ci/run does)",
)
TOKEN = "test-token-0123456789abcdef"
ROWS, SEED = 5_000, 11
ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[()][0-9A-B]|\x1b[=>]")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def served(tmp_path: Path):
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "workbench", "serve", "--port", str(port), "--token", TOKEN, "--root", str(tmp_path),
         "--sample-rows", str(ROWS), "--sample-seed", str(SEED)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    assert process.stdout is not None
    line = process.stdout.readline()
    assert "served at" in line, line
    yield f"http://127.0.0.1:{port}"
    process.terminate()
    process.wait(timeout=20)


@pytest.fixture
def browser(tmp_path: Path):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        f"--user-data-dir={tmp_path / 'chromium'}", "--window-size=1600,1000",
    ):  # fmt: skip
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    options.add_experimental_option(
        "prefs", {"download.default_directory": str(downloads), "download.prompt_for_download": False}
    )
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    yield driver
    driver.quit()


class Screen:
    """The terminal output the page has received, as text."""

    def __init__(self, driver) -> None:
        self.driver, self.text = driver, ""

    def read(self) -> str:
        for entry in self.driver.get_log("performance"):
            message = json.loads(entry["message"])["message"]
            if message.get("method") != "Network.webSocketFrameReceived":
                continue
            frame = message["params"]["response"]
            data = frame["payloadData"]
            raw = base64.b64decode(data) if frame.get("opcode") == 2 else data.encode()
            self.text += ANSI.sub("", raw.decode("utf-8", errors="replace"))
        return self.text

    def wait_for(self, *parts: str, after: int = 0, timeout: float = 60) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            seen = self.read()[after:]
            if all(p in seen for p in parts):
                return seen
            time.sleep(0.3)
        raise AssertionError(f"{parts} never arrived; the last output: {self.read()[-800:]!r}")


def press(driver, *keys: str) -> None:
    from selenium.webdriver.common.action_chains import ActionChains

    for key in keys:
        ActionChains(driver).send_keys(key).perform()
        time.sleep(0.15)


def test_the_served_workbench_in_a_browser(served, browser, tmp_path):
    from selenium.webdriver.common.keys import Keys

    browser.get(f"{served}/?token={TOKEN}")
    screen = Screen(browser)
    screen.wait_for("Black gold", "Platinum", "customers")  # the tier table
    engine = Engine(load_registry().schemes["industrial-bank"], sample_portfolio(ROWS, SEED))
    nudged = engine.simulate(params={"platinum_personal": 320_000})
    before = engine.simulate()
    platinum = engine.scheme.tier_index("platinum")
    assert nudged.counts[platinum] != before.counts[platinum]
    browser.find_element("css selector", ".xterm-screen").click()  # the terminal takes the keys
    mark = len(screen.read())
    press(browser, Keys.ARROW_DOWN, Keys.ARROW_DOWN, Keys.ARROW_RIGHT, Keys.ARROW_RIGHT)
    screen.wait_for("320,000", fmt.number(int(nudged.counts[platinum])), after=mark)
    mark = len(screen.read())
    press(browser, "l")
    # Chinese names in the tier table, not cut by a column measured before the switch
    black_gold = fmt.number(int(nudged.counts[engine.scheme.tier_index("black_gold")]))
    seen = screen.wait_for("白金卡", "黑金卡", after=mark)
    deadline = time.monotonic() + 30
    while not re.search(rf"黑金卡 +{black_gold} ", seen) and time.monotonic() < deadline:
        time.sleep(0.3)
        seen = screen.read()[mark:]
    assert re.search(rf"黑金卡 +{black_gold} ", seen), seen[-1500:]
    # an export is written inside the root and downloads to the browser user's machine
    press(browser, "x")
    time.sleep(1)
    press(browser, Keys.ENTER)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not list((tmp_path / "downloads").glob("*.xlsx")):
        time.sleep(0.5)
    downloaded = list((tmp_path / "downloads").glob("*.xlsx"))
    assert downloaded and downloaded[0].read_bytes()[:2] == b"PK", screen.read()[-500:]
    written = [p for p in tmp_path.rglob("*.xlsx") if "downloads" not in p.parts]
    assert written, "the report is written inside the root too"
    # the page fetched nothing from elsewhere: every request went to the workbench
    hosts = set()
    for entry in browser.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method") == "Network.requestWillBeSent":
            hosts.add(message["params"]["request"]["url"].split("/")[2])
    assert hosts <= {served.split("/")[2]}, hosts
