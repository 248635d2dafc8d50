"""Served with --root: the file dialogs start in the folder, refuse a path outside it, and
do not list a link that leads out."""

import os

from pilot import settled
from test_workbench import SIZE

from workbench.files import confine
from workbench.tui.screens.dialogs import FileTree, PathDialog


async def test_the_open_dialog_keeps_to_the_root(make_app, tmp_path, monkeypatch):
    root, outside = tmp_path / "root", tmp_path / "outside"
    root.mkdir()
    outside.mkdir()
    (outside / "export.csv").write_text("customer_id,aum\nA,100\n", encoding="utf-8")
    (root / "mine.csv").write_text("customer_id,aum\nB,200\n", encoding="utf-8")
    os.symlink(outside, root / "link")
    monkeypatch.setenv(confine.ROOT_ENV, str(root))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot, app)
        await pilot.press("f")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, PathDialog) and dialog.start == root.resolve()
        listed = [p.name for p in dialog.query_one(FileTree).filter_paths([root / "mine.csv", root / "link"])]
        assert listed == ["mine.csv"]
        dialog.query_one("#path").value = str(outside / "export.csv")
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is dialog  # refused, still asking
        assert "the folder this workbench may use" in str(dialog.query_one("#error").render())
