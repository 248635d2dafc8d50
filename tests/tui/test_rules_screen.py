"""The rules screen: a tier added above the top through the name dialog shows in the tier
table with the customers the engine gives it; undo takes it away; saved rules are a file."""

from pilot import settled, small
from test_workbench import SIZE, cell

from workbench import fmt
from workbench.core.engine import Engine
from workbench.tui.screens.rules import NameDialog, RulesScreen
from workbench.tui.widgets.tables import TierTable


async def test_a_tier_added_on_the_rules_screen_reaches_the_tier_table(make_app):
    app = make_app(small("postal-savings"))
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot, app)
        await pilot.press("g")
        await pilot.pause()
        assert isinstance(app.screen, RulesScreen)
        text = str(app.screen.query_one("#rules-text").render())
        assert "Diamond: Average monthly daily-average balance >= 1,500,000 or" in text
        await pilot.press("a")  # above the selected tier: the top one
        await pilot.pause()
        assert isinstance(app.screen, NameDialog)
        await pilot.press(*"Crown", "tab", *"皇冠", "enter")
        await pilot.pause()
        assert isinstance(app.screen, RulesScreen)
        assert app.edit.scheme.tier_ids[-1] == "crown"
        await pilot.press("escape")
        await settled(pilot, app)
        engine = Engine(app.edit.scheme, app.portfolio, app.registry.drivers)
        crown = int(engine.simulate().counts[-1])
        assert crown > 0
        tiers = app.main.query_one(TierTable)
        assert cell(tiers, "crown", "customers") == fmt.number(crown)
        await pilot.press("g", "u", "escape")
        await settled(pilot, app)
        assert app.edit.scheme.tier_ids[-1] == "diamond"
