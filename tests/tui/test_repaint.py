"""What a nudge repaints: table lines kept while their cells are the same, and the edited
value painted with the figures it brings (or on its own when they are slow)."""

import threading

from pilot import settled
from rich.text import Text
from textual.app import App

from workbench import fmt
from workbench.core.engine import Engine
from workbench.tui import editing
from workbench.tui.widgets.parameters import ParameterTable
from workbench.tui.widgets.redraw import Redrawn
from workbench.tui.widgets.tables import TierTable

SIZE = (160, 48)


def lines(table) -> list[str]:
    return [table.render_line(y).text for y in range(table.size.height)]


def value_shown(app, param: str) -> str:
    cell = app.main.query_one(ParameterTable).get_cell(f"param:{param}", "value")
    return cell.plain if isinstance(cell, Text) else str(cell)


async def test_kept_lines_show_every_change_and_come_back_the_same(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot, app)
        table = app.main.query_one(TierTable)
        before = lines(table)
        await pilot.press("down", "down", "right", "right")  # platinum personal 300,000 -> 320,000
        await settled(pilot, app)
        after = lines(table)
        counts = (
            Engine(app.edit.scheme, app.portfolio, app.registry.drivers)
            .simulate(params={"platinum_personal": 320_000})
            .counts
        )
        platinum = next(line for line in after if line.lstrip().startswith("Platinum"))
        assert fmt.number(int(counts[2])) in platinum
        assert after != before
        unchanged = [i for i, line in enumerate(before) if "Black gold" in line]
        assert after[unchanged[0]].split() == before[unchanged[0]].split()  # nobody moved there
        await pilot.press("left", "left")
        await settled(pilot, app)
        assert [line.split() for line in lines(table)] == [
            line.split() for line in before
        ]  # columns stay wider
        assert table._kept_lines  # lines were kept between the repaints


async def blocked(app, monkeypatch):
    """Figures that come from a worker, held until the returned event is set."""
    release = threading.Event()
    compute = app.live.compute_view

    def held(seq):
        release.wait(10)
        return compute(seq)

    monkeypatch.setattr(app.live, "view_at_once", lambda seq: None)
    monkeypatch.setattr(app.live, "compute_view", held)
    return release


async def test_an_edited_value_waits_for_the_figures_a_worker_brings(make_app, monkeypatch):
    monkeypatch.setattr(editing, "EDIT_SHOWN_AFTER_S", 600)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot, app)
        release = await blocked(app, monkeypatch)
        await pilot.press("right")  # gold personal 100,000 -> 110,000
        await pilot.pause()
        assert app.edit.params["gold_personal"] == 110_000
        assert value_shown(app, "gold_personal") == "100,000"  # painted with its figures
        release.set()
        await settled(pilot, app)
        assert value_shown(app, "gold_personal") == "110,000"
        assert app.view.result.settings.params["gold_personal"] == 110_000


async def test_an_edited_value_is_shown_when_the_figures_are_slow(make_app, monkeypatch):
    monkeypatch.setattr(editing, "EDIT_SHOWN_AFTER_S", 0.01)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot, app)
        release = await blocked(app, monkeypatch)
        await pilot.press("right")
        for _ in range(500):  # until the timer has shown it (the figures are held)
            await pilot.pause(0.01)
            if value_shown(app, "gold_personal") == "110,000":
                break
        assert value_shown(app, "gold_personal") == "110,000"
        assert app.view.result.settings.params["gold_personal"] == 100_000  # figures not in yet
        release.set()
        await settled(pilot, app)
        assert app.view.result.settings.params["gold_personal"] == 110_000


async def test_a_screen_widened_again_shows_the_wide_tables_and_the_whole_header(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot, app)
        table = app.main.query_one(TierTable)
        wide = [str(c.key.value) for c in table.ordered_columns]
        assert "share" in wide and "aum_share" in wide
        await pilot.resize_terminal(100, 30)
        await settled(pilot, app)
        narrow = [str(c.key.value) for c in table.ordered_columns]
        assert "share" not in narrow
        await pilot.resize_terminal(*SIZE)
        await settled(pilot, app)
        for _ in range(5):
            await pilot.pause(0.2)
        assert [str(c.key.value) for c in table.ordered_columns] == wide
        header = lines(app.main.query_one("HeaderBar"))[0]
        assert "5,000 customers" in header and "…" not in header


class Counted(Redrawn):
    """A Redrawn that counts what it asks of Textual."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.asked: list[bool] = []  # one entry a refresh: whether with a layout

    def refresh(self, *regions, layout: bool = False, **kwargs):
        self.asked.append(layout)
        return super().refresh(*regions, layout=layout, **kwargs)


class TwoLines(App):
    CSS = "#fixed { height: 1; } #auto { height: auto; }"

    def compose(self):
        yield Counted(id="fixed")
        yield Counted(id="auto")


async def test_a_panel_drawn_again_repaints_only_what_changed_and_lays_out_only_when_it_can_grow():
    app = TwoLines()
    async with app.run_test(size=(60, 10)) as pilot:
        fixed, auto = app.query_one("#fixed", Counted), app.query_one("#auto", Counted)
        for widget in (fixed, auto):
            widget.redraw(Text("Platinum 2,310"))
        await pilot.pause()
        fixed.asked.clear(), auto.asked.clear()
        for widget in (fixed, auto):
            widget.redraw(Text("Platinum 2,310"))  # the same: nothing asked
        assert fixed.asked == [] and auto.asked == []
        for widget in (fixed, auto):
            widget.redraw(Text("Platinum 2,311"))  # same size: a repaint, no layout
        assert fixed.asked == [False] and auto.asked == [False]
        for widget in (fixed, auto):
            widget.redraw(Text("Platinum 2,311\nGold 5,905"))  # a line more
        assert fixed.asked == [False, False]  # one line high whatever it holds
        assert auto.asked == [False, True]
        await pilot.pause()
        assert auto.size.height == 2
