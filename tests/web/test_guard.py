"""What `workbench serve` lets in: the token (query once, then a cookie), 401 and 403
otherwise; --root confines every file a browser user reaches, links included."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer

from workbench.cli import main
from workbench.errors import WorkbenchError
from workbench.files import confine
from workbench.files.scenarios import PortfolioRef, Scenario, save_scenario
from workbench.live import LiveSession
from workbench.scheme.registry import load_registry
from workbench.web.server import COOKIE, GuardedServer, is_loopback

TOKEN = "a-token-of-sufficient-length"


@pytest.fixture
async def client():
    server = GuardedServer("true", TOKEN, port=8000)
    app = await server._make_app()
    app.on_startup.clear()
    async with TestClient(TestServer(app)) as c:
        yield c


async def test_no_token_is_401_a_wrong_one_403(client):
    assert (await client.get("/")).status == 401
    assert (await client.get("/static/js/textual.js")).status == 401
    assert (await client.get("/download/x")).status == 401
    assert (await client.get("/?token=guess")).status == 403
    client.session.cookie_jar.update_cookies({COOKIE: "guess"})
    assert (await client.get("/")).status == 403


async def test_the_token_once_then_the_cookie(client):
    first = await client.get(f"/?token={TOKEN}")
    assert first.status == 200
    cookie = first.cookies[COOKIE]
    assert cookie.value == TOKEN and cookie["httponly"] and cookie["samesite"] == "Strict"
    page = await first.text()
    assert "googleapis" not in page and "Noto Sans Mono CJK SC" in page  # no font from the internet
    again = await client.get("/static/js/textual.js")  # the cookie alone
    assert again.status == 200


def test_loopback():
    assert is_loopback("127.0.0.1") and is_loopback("localhost") and is_loopback("::1")
    assert not is_loopback("0.0.0.0") and not is_loopback("10.1.2.3") and not is_loopback("wb.bank")


def test_other_addresses_need_a_root_and_a_real_token(capsys, tmp_path):
    assert main(["serve", "--host", "0.0.0.0"]) == 2
    assert "--root" in capsys.readouterr().err
    assert main(["serve", "--root", str(tmp_path), "--token", "short"]) == 2
    assert "at least 16" in capsys.readouterr().err
    outside = tmp_path.parent / "elsewhere.csv"
    assert main(["serve", "--root", str(tmp_path), "--portfolio", str(outside)]) == 2
    assert "outside --root" in capsys.readouterr().err


@pytest.fixture
def rooted(tmp_path: Path, monkeypatch):
    root = tmp_path / "root"
    (root / "sub").mkdir(parents=True)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "export.csv").write_text("customer_id,aum\nA,100\n", encoding="utf-8")
    os.symlink(outside, root / "sub" / "link")  # a link that leads out of the root
    monkeypatch.setenv(confine.ROOT_ENV, str(root))
    return root, outside


def test_a_link_leading_out_is_outside(rooted):
    root, outside = rooted
    assert confine.inside(root / "sub" / "plan.toml")
    assert not confine.inside(root / "sub" / "link" / "export.csv")
    assert not confine.inside(root / ".." / "outside" / "export.csv")
    with pytest.raises(confine.OutsideRoot, match="outside .*root"):
        confine.check(outside / "export.csv")


def test_the_live_session_opens_and_writes_nothing_outside(rooted):
    root, outside = rooted
    live = LiveSession(
        load_registry(), Scenario(scheme="branch-layers", portfolio=PortfolioRef(sample_rows=500))
    )
    with pytest.raises(WorkbenchError, match="outside"):
        live.load(PortfolioRef(path=str(root / "sub" / "link" / "export.csv")), None, lambda *_: None)
    with pytest.raises(WorkbenchError, match="outside"):
        live.save(outside / "plan.toml")
    assert not (outside / "plan.toml").exists()
    sneaky = root / "sneaky.toml"  # inside, but its portfolio and baseline lead out
    save_scenario(Scenario(scheme="branch-layers", baseline=str(outside / "b.toml")), sneaky)
    with pytest.raises(WorkbenchError, match="outside"):
        live.open_scenario(sneaky)
    live.save(root / "sub" / "plan.toml")  # inside: fine
    assert (root / "sub" / "plan.toml").exists()
