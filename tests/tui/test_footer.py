"""The key footer follows the language, the width and the focus, rebuilt only when what
it shows changes."""

from pilot import settled
from textual.widgets._footer import FooterKey

from workbench.tui.widgets.footer import KeyFooter


def labels(app) -> list[str]:
    return [key.description for key in app.screen.query_one(KeyFooter).query(FooterKey)]


async def test_the_footer_follows_the_language_and_width(make_app):
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await settled(pilot, app)
        english = labels(app)
        assert english[:4] == ["type value", "reset", "quit", "help"] and "undo" in english
        await pilot.press("tab")  # to the tier table: the parameter keys go
        await settled(pilot, app)
        await pilot.pause()
        assert labels(app)[:2] == ["quit", "help"] and "type value" not in labels(app)
        await pilot.press("shift+tab")
        await settled(pilot, app)
        await pilot.pause()
        await pilot.press("l")
        await settled(pilot, app)
        await pilot.pause()
        chinese = labels(app)
        assert chinese[:4] == ["输入数值", "恢复默认", "退出", "帮助"] and "撤销" in chinese
        await pilot.resize_terminal(100, 30)
        await settled(pilot, app)
        await pilot.pause()
        assert 0 < len(labels(app)) < len(chinese)  # a narrow screen leaves out the wide-only keys


async def test_many_binding_changes_make_one_rebuild_and_none_when_nothing_differs(make_app):
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await settled(pilot, app)
        footer = app.screen.query_one(KeyFooter)
        rebuilt = []
        original = footer.recompose

        async def counted():
            rebuilt.append(labels(app))
            await original()

        footer.recompose = counted
        for _ in range(5):
            app.screen.refresh_bindings()  # nothing shown differs
        await pilot.pause()
        await pilot.pause()
        assert rebuilt == []
        for _ in range(5):
            app.screen_main.titles("zh", app.measure)  # four binding changes each
        await pilot.pause()
        await pilot.pause()
        assert len(rebuilt) == 1 and labels(app)[:4] == ["输入数值", "恢复默认", "退出", "帮助"]
