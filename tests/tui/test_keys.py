"""One table of keys makes the bindings, the help, the palette and the docs' key table."""

import re
from pathlib import Path

from workbench.tui import keys
from workbench.tui.app import WorkbenchApp
from workbench.tui.screens.compare import CompareScreen
from workbench.tui.screens.main import MainScreen
from workbench.tui.screens.planning import ExplainScreen, SweepScreen
from workbench.tui.screens.rules import RulesScreen
from workbench.tui.screens.timeline import TimelineScreen
from workbench.tui.widgets.costs import CostTable
from workbench.tui.widgets.parameters import ParameterTable

DOCS = Path(__file__).resolve().parents[2] / "docs" / "tui.md"


def test_the_docs_key_table_is_the_keys_table():
    text = DOCS.read_text(encoding="utf-8")
    found = re.search(r"<!-- keys -->\n(.*?)\n<!-- /keys -->", text, re.DOTALL)
    assert found, "docs/tui.md has no key table between <!-- keys --> and <!-- /keys -->"
    assert found.group(1) == keys.markdown_table(), (
        "docs/tui.md's key table differs from workbench/tui/keys.py; paste "
        "`python -c 'from workbench.tui.keys import markdown_table; print(markdown_table())'`"
    )


def test_every_command_runs_an_action_that_exists():
    for key in keys.KEYS:
        assert key.does.en and key.does.zh, f"{key.shown}: both languages"
        for command in key.commands:
            action = command.action.split("(")[0]
            owner = {
                "screen": WorkbenchApp,
                "parameters": ParameterTable,
                "costs": CostTable,
                "compare": CompareScreen,
                "sweep": SweepScreen,
                "explain": ExplainScreen,
                "rules": RulesScreen,
                "timeline": TimelineScreen,
            }[key.scope]
            assert hasattr(owner, f"action_{action}"), f"{key.shown}: no action {action} on {owner.__name__}"


def test_bindings_come_from_the_table():
    screen = {b.action for b in MainScreen.BINDINGS}
    assert "app.save" in screen and "app.quit_guarded" in screen and "app.undo" in screen
    assert {b.action for b in ParameterTable.BINDINGS} >= {"nudge(-1)", "nudge(1, True)", "edit", "reset"}
    footer = [b.description for b in keys.bindings("screen", "zh") if b.show]
    assert footer[:2] == ["退出", "帮助"] and footer[-1] == "撤销"


async def test_the_palette_lists_every_palette_command(make_app):
    app = make_app()
    async with app.run_test(size=(160, 48)):
        titles = {c.title for c in app.get_system_commands(app.screen)}
        for command, _ in keys.palette_commands():
            assert command.palette.en in titles


async def test_the_footer_speaks_the_language_shown(make_app):
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        shown = {a.binding.description for a in app.screen.active_bindings.values() if a.binding.show}
        assert {"quit", "save", "export"} <= shown
        await pilot.press("l")
        await pilot.pause()
        shown = {a.binding.description for a in app.screen.active_bindings.values() if a.binding.show}
        assert {"退出", "保存", "导出", "方案"} <= shown
        assert not shown & {"quit", "save", "export"}
