"""The workbench driven as a product manager would, with Textual's pilot."""

from dataclasses import replace
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from pilot import settled, small
from rich.text import Text

from workbench import fmt
from workbench.core.engine import Engine
from workbench.files.scenarios import load_scenario, save_scenario
from workbench.tui.screens.compare import CompareScreen
from workbench.tui.screens.dialogs import (
    AssumptionDialog,
    ChoiceDialog,
    ColumnMappingDialog,
    ConfirmDialog,
    MessageDialog,
    PathDialog,
)
from workbench.tui.screens.picking import MultiPickDialog, PickDialog
from workbench.tui.widgets.costs import CostTable
from workbench.tui.widgets.parameters import ParameterTable
from workbench.tui.widgets.tables import MigrationTable, TierTable

SIZE = (160, 48)


def cell(table, row: str, column: str) -> str:
    value = table.get_cell(row, column)
    return value.plain if isinstance(value, Text) else str(value)


def expected(app, **params):
    engine = Engine(app.edit.scheme, app.portfolio, app.registry.drivers)
    return engine.simulate(params=params)


async def test_nudging_a_threshold_moves_the_tier_table_as_the_engine_says(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot, app)
        await pilot.press("down", "down", "right", "right")  # platinum personal +2 steps
        await settled(pilot, app)
        assert app.edit.params["platinum_personal"] == 320_000
        result = expected(app, platinum_personal=320_000)
        baseline = expected(app)
        tiers = app.main.query_one(TierTable)
        for tier in ("silver", "gold", "platinum", "black_gold"):
            index = result.scheme.tier_index(tier)
            assert cell(tiers, tier, "customers") == fmt.number(int(result.counts[index]))
            assert cell(tiers, tier, "d_customers") == fmt.signed(
                int(result.counts[index] - baseline.counts[index])
            )
        moved = int(((baseline.tiers == 2) & (result.tiers == 1)).sum())
        assert moved > 0
        assert cell(app.main.query_one(MigrationTable), "platinum", "gold") == fmt.number(moved)
        assert app.latencies, "a nudge records its repaint latency"
        last_step = int((expected(app, platinum_personal=310_000).tiers != result.tiers).sum())
        assert app.view.path == "incremental" and app.view.moved == last_step


async def test_a_weight_change_recomputes_everyone_then_tuning_is_prepared_again(make_app):
    app = make_app(small("icbc-stars"))
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot, app)
        table = app.main.query_one(ParameterTable)
        table.move_cursor(row=[str(k.value) for k in table.rows].index("param:w_card_spend"))
        await pilot.press("right")  # card spend weight 400 -> 405: every star point moves
        await settled(pilot, app)
        assert app.view.path == "full" and app.live.tuner.prepared  # sorted again in the background
        table.move_cursor(row=[str(k.value) for k in table.rows].index("param:star4"))
        await pilot.press("right")
        await settled(pilot, app)
        assert app.view.path == "incremental"
        assert app.edit.params["w_card_spend"] == 405
        result = expected(app, w_card_spend=405, star4=app.edit.params["star4"])
        assert app.view.result.counts.tolist() == result.counts.tolist()


async def test_undo_and_redo(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot, app)
        await pilot.press("right")
        await settled(pilot, app)
        assert app.edit.params["gold_personal"] == 110_000
        await pilot.press("ctrl+z")
        await settled(pilot, app)
        assert app.edit.params["gold_personal"] == 100_000
        assert cell(app.main.query_one(TierTable), "gold", "d_customers") == "0"
        await pilot.press("ctrl+y")
        await settled(pilot, app)
        assert app.edit.params["gold_personal"] == 110_000


async def test_typing_a_value_in_wan(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot, app)
        await pilot.press("down", "down", "enter")
        dialog = app.screen
        dialog.query_one("Input").value = "50万"
        await pilot.press("enter")
        await settled(pilot, app)
        assert app.edit.params["platinum_personal"] == 500_000


async def test_refused_nudge_says_why(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot, app)
        await pilot.press("shift+right", "shift+right")  # gold personal to 300,000: not above platinum
        await settled(pilot, app)
        assert app.edit.params["gold_personal"] == 200_000
        status = app.main.query_one("#status").message
        assert "platinum_personal = 300,000 must be above gold_personal = 300,000" in status


async def test_switching_scheme_with_the_key(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot, app)
        await pilot.press("k")
        await pilot.press("down", "enter")  # the list starts on the current scheme; next is postal-savings
        await settled(pilot, app)
        assert app.edit.scheme.id == "postal-savings"
        tiers = app.main.query_one(TierTable)
        assert [r.key.value for r in tiers.ordered_rows] == [
            "diamond",
            "platinum",
            "gold",
            "ordinary",
            "__total__",
        ]
        keys = [r.key.value for r in app.main.query_one(ParameterTable).ordered_rows]
        assert keys[0] == "param:gold_balance" and keys[-1] == "option:card_criterion"


async def test_editing_a_cost_assumption_changes_the_total(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot, app)
        before = app.view.result.total_benefit_cost
        black_gold = int(app.view.result.counts[3])
        costs = app.main.query_one(CostTable)
        costs.focus()
        costs.move_cursor(row=costs.get_row_index("airport_lounge"))
        await pilot.press("enter")
        assert isinstance(app.screen, AssumptionDialog)
        app.screen.query_one("#field-unit_cost").value = "300"
        await pilot.press("enter")
        await settled(pilot, app)
        after = app.view.result.total_benefit_cost
        assert round(after - before, 6) == round(black_gold * 1.0 * (300 - 150), 6)
        assert app.edit.costs == {"airport_lounge": {"tiers": {"black_gold": {"unit_cost": 300.0}}}}
        assert "300 × 1/yr × 100% *" in cell(costs, "airport_lounge", "assumption")


async def test_save_then_reopen_reproduces_the_figures(make_app, tmp_path):
    app = make_app()
    target = tmp_path / "platinum-320k.toml"
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot, app)
        await pilot.press("down", "down", "right", "right", "l")
        await settled(pilot, app)
        await pilot.press("s")
        assert isinstance(app.screen, PathDialog)
        app.screen.query_one("#path").value = str(target)
        await pilot.press("enter")
        await settled(pilot, app)
        assert target.exists() and not app.dirty
        counts = app.view.result.counts.tolist()
        cost = app.view.result.total_benefit_cost
    saved = load_scenario(target)
    assert saved.parameters["platinum_personal"] == 320_000
    assert saved.name == "platinum-320k"
    reopened = make_app(saved)
    async with reopened.run_test(size=SIZE) as pilot:
        await settled(pilot, reopened)
        assert reopened.view.result.counts.tolist() == counts
        assert reopened.view.result.total_benefit_cost == cost
        assert not reopened.dirty


BAD_FILES = [
    (
        "export.csv",
        "客户号,日均资产\nA1,100\nA2,abc\n".encode(),
        "row 3, column 日均资产 (aum): expected an amount in CNY (0 for none), found 'abc'",
    ),
    ("export.xls", b"<html><table><tr><td>1</td></tr></table></html>", "but the file is a web page (HTML)"),
    ("empty.csv", b"", "the file is empty"),
    (
        "ragged.csv",
        "客户号,日均资产\nA1,100,7\n".encode(),
        "line 2 has 3 values but the header names 2 columns",
    ),
]


@pytest.mark.parametrize(("name", "data", "fragment"), BAD_FILES, ids=[b[0] for b in BAD_FILES])
async def test_a_bad_file_shows_the_error_and_keeps_the_portfolio(make_app, tmp_path, name, data, fragment):
    bad = tmp_path / name
    bad.write_bytes(data)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot, app)
        before = app.portfolio
        await pilot.press("f")
        app.screen.query_one("#path").value = str(bad)
        await pilot.press("enter")
        for _ in range(100):
            await pilot.pause(0.05)
            if isinstance(app.screen, MessageDialog):
                break
        assert isinstance(app.screen, MessageDialog)
        assert fragment in app.screen.message
        await pilot.press("enter")
        assert app.portfolio is before
        assert cell(app.main.query_one(TierTable), "__total__", "customers") == "5,000"


async def test_unrecognised_columns_open_the_mapping_dialog(make_app, tmp_path):
    export = tmp_path / "export.csv"
    export.write_text("编号,月末余额,网点\nA1,120000,朝阳\nA2,5000,朝阳\n", encoding="utf-8")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot, app)
        await pilot.press("f")
        app.screen.query_one("#path").value = str(export)
        await pilot.press("enter")
        for _ in range(100):
            await pilot.pause(0.05)
            if isinstance(app.screen, ColumnMappingDialog):
                break
        dialog = app.screen
        assert isinstance(dialog, ColumnMappingDialog)
        assert dialog.headers == ["编号", "月末余额", "网点"]
        dialog.query_one("#map-0").value = "customer_id"
        dialog.query_one("#map-1").value = "aum"
        await pilot.click("#apply")
        await settled(pilot, app)
        assert app.portfolio.rows == 2
        assert app.edit.scenario.portfolio.columns == {
            "编号": "customer_id",
            "月末余额": "aum",
            "网点": "branch",
        }
        assert cell(app.main.query_one(TierTable), "gold", "customers") == "1"
        assert app.dirty


async def test_quit_asks_before_discarding_changes(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot, app)
        await pilot.press("right", "q")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("escape")
        assert not isinstance(app.screen, ConfirmDialog)
        assert app.is_running


async def test_language_toggle(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot, app)
        await pilot.press("l")
        await settled(pilot, app)
        tiers = app.main.query_one(TierTable)
        assert cell(tiers, "black_gold", "tier") == "黑金卡"
        assert cell(tiers, "__total__", "tier") == "合计"
        assert "万" in cell(tiers, "black_gold", "cost") or "亿" in cell(tiers, "black_gold", "aum")


async def test_compare_view(make_app):
    scenarios = Path(__file__).resolve().parents[2] / "scenarios"
    app = make_app(scenario_dirs=[scenarios])
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot, app)
        await pilot.press("c")
        dialog = app.screen
        assert isinstance(dialog, MultiPickDialog)
        await pilot.press(*"500k")  # typing filters the list
        shown = [o.id for o in dialog.query_one("OptionList").options]
        assert shown == [str(scenarios / "industrial-bank-platinum-500k.toml")]
        await pilot.press("space")
        assert "[x]" in str(dialog.query_one("OptionList").get_option_at_index(0).prompt)
        await pilot.press("enter")
        for _ in range(100):
            await pilot.pause(0.05)
            if isinstance(app.screen, CompareScreen):
                break
        screen = app.screen
        assert isinstance(screen, CompareScreen)
        assert [run.scenario.display_name for run in screen.runs] == [
            "untitled",
            "Industrial Bank: platinum raised to 500k",
        ]
        assert "parameters.platinum_personal: 300,000 -> 500,000" in str(
            screen.query_one("#differences").render()
        )
        await pilot.press("escape")
        assert not isinstance(app.screen, CompareScreen)


async def test_csv_export_with_chinese_headers_opens(make_app, tmp_path):
    path = tmp_path / "十月.csv"
    pd.DataFrame({"客户号": ["A", "B"], "日均资产": [1_200_000, 50]}).to_csv(
        path, index=False, encoding="gb18030"
    )
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot, app)
        await pilot.press("f")
        app.screen.query_one("#path").value = str(path)
        await pilot.press("enter")
        await settled(pilot, app)
        assert app.portfolio.name == "十月.csv"
        assert cell(app.main.query_one(TierTable), "black_gold", "customers") == "1"


async def test_command_palette_switches_scheme(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot, app)
        await pilot.press("ctrl+p")
        await pilot.press(*"Scheme: branch")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await settled(pilot, app)
        assert app.edit.scheme.id == "branch-layers"
        assert cell(app.main.query_one(TierTable), "layer5", "tier") == "Layer 5"


async def test_tab_moves_between_panels(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot, app)
        assert app.focused.id == "parameters"
        await pilot.press("tab")
        assert app.focused.id == "tiers"
        await pilot.press("tab")
        assert app.focused.id == "costs"


async def test_sweep_and_use_a_value(make_app):
    from workbench.tui.screens.planning import SweepDialog, SweepScreen

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot, app)
        await pilot.press("down", "down", "v")  # platinum personal selected
        dialog = app.screen
        assert isinstance(dialog, SweepDialog)
        assert dialog.query_one("#param").value == "platinum_personal"
        dialog.query_one("#from").value = "200k"
        dialog.query_one("#to").value = "600k"
        dialog.query_one("#steps").value = "5"
        await pilot.press("enter")
        for _ in range(100):
            await pilot.pause(0.05)
            if isinstance(app.screen, SweepScreen):
                break
        screen = app.screen
        assert isinstance(screen, SweepScreen)
        assert [p.value for p in screen.sweep.points] == [200_000, 300_000, 400_000, 500_000, 600_000]
        await pilot.press("down", "down", "enter")  # from the current 300,000 to 500,000
        await settled(pilot, app)
        assert app.edit.params["platinum_personal"] == 500_000
        await pilot.press("ctrl+z")
        await settled(pilot, app)
        assert app.edit.params["platinum_personal"] == 300_000


async def test_solve_and_apply(make_app):
    from workbench.tui.screens.planning import OutcomeDialog

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot, app)
        await pilot.press("t")
        counts = app.view.result.counts
        top = 100 * counts[3] / counts.sum()
        assert app.screen.query_one("#amount").value == fmt.trimmed(top, 1)  # reachable: today's
        app.screen.query_one("#tier").value = "platinum"
        await pilot.pause()
        today = 100 * counts[2:].sum() / counts.sum()
        assert app.screen.query_one("#amount").value == fmt.trimmed(today, 1)
        app.screen.query_one("#amount").value = "5"
        await pilot.press("enter")
        for _ in range(200):
            await pilot.pause(0.05)
            if isinstance(app.screen, OutcomeDialog):
                break
        assert "Platinum or above: target 5.00%, reached" in app.screen.text
        await pilot.press("enter")  # enter applies
        await settled(pilot, app)
        result = app.view.result
        assert abs(result.counts[2:].sum() / result.customers - 0.05) < 0.002
        assert app.dirty


async def test_explain_a_customer(make_app):
    from workbench.tui.screens.planning import ExplainScreen

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot, app)
        await pilot.press("down", "down", "shift+right", "shift+right")  # platinum personal to 500,000
        await settled(pilot, app)
        customer = str(
            app.portfolio.frame.customer_id[
                (app.portfolio.frame.aum > 320_000)
                & (app.portfolio.frame.aum < 480_000)
                & (app.portfolio.frame.household_id == "")
            ].iloc[0]
        )
        await pilot.press("e")
        app.screen.query_one("#customer").value = customer
        await pilot.press("enter")
        for _ in range(200):
            await pilot.pause(0.05)
            if isinstance(app.screen, ExplainScreen):
                break
        screen = app.screen
        assert isinstance(screen, ExplainScreen)
        text = "\n".join(screen.lines)
        assert "Tier: Gold (gold)" in text
        assert (
            "Platinum, Personal daily-average AUM: no longer met: platinum_personal 300,000 -> 500,000"
            in text
        )


async def test_a_scheme_switch_never_writes_another_scheme_into_the_open_file(make_app, tmp_path):
    opened = tmp_path / "mine.toml"
    save_scenario(replace(small(), name="mine", notes="my notes"), opened)
    before = opened.read_text(encoding="utf-8")
    app = make_app(load_scenario(opened))
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot, app)
        assert app.live.title.get("en") == "mine"
        await pilot.press("k", "down", "enter")  # postal-savings
        await settled(pilot, app)
        assert app.live.title.get("en") == "untitled" and app.live.title.get("zh") == "未命名"
        assert "untitled" in app.main.query_one("#header").render().plain
        await pilot.press("s")  # an untitled scenario asks for a name: never the open file
        assert isinstance(app.screen, PathDialog)
        await pilot.press("escape")
        assert opened.read_text(encoding="utf-8") == before
        await pilot.press("ctrl+z")  # back to the file's scheme: back to the file
        await settled(pilot, app)
        assert app.live.title.get("en") == "mine" and app.live.scenario.path == opened


async def test_export_writes_the_report_beside_the_scenario_and_asks_before_replacing(make_app, tmp_path):
    opened = tmp_path / "plan.toml"
    save_scenario(replace(small(), name="plan"), opened)
    app = make_app(load_scenario(opened), lang="zh")
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot, app)
        await pilot.press("down", "down", "right")  # platinum personal +10,000
        await settled(pilot, app)
        await pilot.press("x")
        dialog = app.screen
        assert isinstance(dialog, PathDialog)
        assert dialog.query_one("#path").value == str(tmp_path / "plan.xlsx")
        await pilot.press("enter")
        for _ in range(200):
            await pilot.pause(0.05)
            if (tmp_path / "plan.xlsx").exists() and app.settled:
                break
        book = openpyxl.load_workbook(tmp_path / "plan.xlsx")
        assert book.sheetnames[0] == "汇总"
        summary = book["汇总"]
        names = [summary.cell(row=r, column=2).value for r in range(1, 12)]
        assert "方案默认值" in names and "plan" in names  # A: the baseline, B: the scenario
        written = (tmp_path / "plan.xlsx").stat().st_mtime_ns
        await pilot.press("x", "enter")  # again: the file is there, so it asks
        assert isinstance(app.screen, ChoiceDialog)
        await pilot.press("escape")
        assert (tmp_path / "plan.xlsx").stat().st_mtime_ns == written


def whole(table) -> list[str]:
    """The cells of a table wider than their column (a figure shown cut)."""
    from workbench.tui.widgets.tables import cell_width

    cut = []
    for row in table.ordered_rows:
        for column in table.ordered_columns:
            value = table.get_cell(row.key, column.key)
            if cell_width(value) > column.content_width:
                cut.append(f"{row.key.value}/{column.key.value}: {value}")
    return cut


@pytest.mark.parametrize("size", [(160, 48), (100, 30)])
async def test_no_figure_is_cut_after_switching_scheme_or_opening_a_scenario(make_app, size):
    from workbench.tui.widgets.tables import BreakdownTable

    scenarios = Path(__file__).resolve().parents[2] / "scenarios"
    app = make_app(scenario_dirs=[scenarios])
    async with app.run_test(size=size) as pilot:
        await settled(pilot, app)
        for step in ("icbc", "open", "zh", "postal"):
            if step == "icbc":
                app.switch_scheme("icbc-stars")
            elif step == "open":
                app.open_scenario_file(scenarios / "industrial-bank-platinum-500k.toml")
            elif step == "zh":
                await pilot.press("l")
            else:
                app.switch_scheme("postal-savings")
            await settled(pilot, app)
            for kind in (TierTable, MigrationTable, CostTable, BreakdownTable, ParameterTable):
                table = app.main.query_one(kind)
                assert whole(table) == [], (step, kind.__name__)
                if kind in (TierTable, MigrationTable, CostTable, ParameterTable):  # no column off the panel
                    assert table.virtual_size.width <= table.size.width, (step, kind.__name__)


async def test_slash_jumps_to_a_parameter_by_typing_its_name(make_app):
    app = make_app(small("icbc-stars"))
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot, app)
        await pilot.press("slash")
        assert isinstance(app.screen, PickDialog)
        await pilot.press(*"card cons")  # the card-spend weight: 11 rows down
        shown = [o.id for o in app.screen.query_one("OptionList").options]
        assert shown == ["param:w_card_spend"]
        await pilot.press("enter")
        await pilot.pause()
        table = app.main.query_one(ParameterTable)
        assert table.selected_key == "param:w_card_spend" and table.has_focus


async def test_names_that_look_like_markup_are_shown_as_written(make_app, tmp_path):
    name = "[/]plan [bold]x[/bold] [x]"
    opened = tmp_path / "odd.toml"
    save_scenario(replace(small(), name=name), opened)
    app = make_app(load_scenario(opened))
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot, app)
        assert name in app.main.query_one("#header").render().plain
        await pilot.press("c")
        prompt = app.screen.query_one("OptionList").get_option_at_index(0).prompt
        assert name in prompt.plain and prompt.plain.startswith("[x] ")
        await pilot.press("escape", "right", "q")
        assert isinstance(app.screen, ConfirmDialog)
        shown = " ".join(str(w.render()) for w in app.screen.query("Static"))
        assert name in shown


async def test_the_all_tiers_box_reads_without_colour(make_app):
    from workbench.tui.screens.dialogs import TickBox

    app = make_app(lang="zh")
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot, app)
        costs = app.main.query_one(CostTable)
        costs.focus()
        await pilot.press("enter")
        box = app.screen.query_one(TickBox)
        assert "✓" not in box.render().plain and "应用于所有" in box.render().plain
        box.value = True
        await pilot.pause()
        assert "✓" in box.render().plain
        assert "(户)" in " ".join(
            str(label.render()) for label in app.screen.query("Label")
        )  # units in Chinese
