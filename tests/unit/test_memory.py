"""Huge pages asked of numpy only where the kernel gives them without a wait."""

from __future__ import annotations

from workbench import memory


def test_ordinary_pages_where_the_kernel_compacts_for_madvise(tmp_path, monkeypatch):
    defrag = tmp_path / "defrag"
    monkeypatch.delenv(memory.ENV, raising=False)
    defrag.write_text("always defer defer+madvise [madvise] never\n", encoding="ascii")
    assert memory.compacts_on_madvise(defrag)
    assert memory.use_ordinary_pages(defrag)
    assert memory.os.environ[memory.ENV] == "0"


def test_left_alone_elsewhere_or_when_the_user_chose(tmp_path, monkeypatch):
    defrag = tmp_path / "defrag"
    defrag.write_text("always defer defer+madvise madvise [never]\n", encoding="ascii")
    monkeypatch.delenv(memory.ENV, raising=False)
    assert not memory.use_ordinary_pages(defrag)
    assert memory.ENV not in memory.os.environ
    assert not memory.use_ordinary_pages(tmp_path / "missing")
    monkeypatch.setenv(memory.ENV, "1")
    defrag.write_text("[madvise]\n", encoding="ascii")
    assert not memory.use_ordinary_pages(defrag)
