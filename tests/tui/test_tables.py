"""A table a little wider than its room draws gutters of one between its columns
instead of scrolling sideways; given room again, gutters of two."""

from textual.app import App, ComposeResult

from workbench.tui.style import right
from workbench.tui.widgets.tables import RefreshingTable

COLUMNS = [("tier", "等级"), ("customers", "客户数"), ("aum", "资产")]
WIDE = [("diamond", ["钻石卡客户", right("1,000,000"), right("677.53亿")])]  # 10 + 9 + 8 cells
NARROW = [("diamond", ["金卡", right("5"), right("1亿")])]


class OneTable(App):
    def __init__(self, width: int) -> None:
        super().__init__()
        self.width = width

    def compose(self) -> ComposeResult:
        table = RefreshingTable(show_cursor=False)
        table.styles.width = self.width
        yield table


def shown(table: RefreshingTable) -> list[str]:
    return [table.render_line(y).text.rstrip() for y in range(2)]


async def test_a_table_two_columns_too_wide_draws_gutters_of_one():
    app = OneTable(width=31)  # 27 cells of content: 33 with gutters of two, 31 with one
    async with app.run_test(size=(40, 6)) as pilot:
        table = app.query_one(RefreshingTable)
        table.replace_rows(COLUMNS, WIDE)
        await pilot.pause()
        assert table.cell_padding == 0 and table.virtual_size.width <= 31
        assert shown(table) == [" 等级       客户数    资产", " 钻石卡客户 1,000,000 677.53亿"]
        assert table.scrollable_content_region.width == 30  # and a gutter after the last
        table.replace_rows(COLUMNS, NARROW)  # room enough: gutters of two again
        await pilot.pause()
        assert table.cell_padding == 1
        assert shown(table)[1] == " 金卡       5   1亿"  # the headers: 4, 6 and 4 cells


async def test_a_table_far_too_wide_keeps_its_gutters_and_scrolls():
    app = OneTable(width=30)  # 31 cells even with gutters of one: nothing is squeezed
    async with app.run_test(size=(40, 6)) as pilot:
        table = app.query_one(RefreshingTable)
        table.replace_rows(COLUMNS, WIDE)
        await pilot.pause()
        assert table.cell_padding == 1 and table.virtual_size.width == 33


async def test_the_selected_row_stays_selected_when_the_gutters_change():
    app = OneTable(width=31)
    async with app.run_test(size=(40, 6)) as pilot:
        table = app.query_one(RefreshingTable)
        table.cursor_type = "row"
        two = [("gold", ["金卡", "5", "1亿"]), ("silver", ["银卡", "7", "2亿"])]
        table.replace_rows(COLUMNS, two)
        table.move_cursor(row=1, animate=False)
        table.replace_rows(COLUMNS, [*WIDE, *two])  # now too wide for gutters of two
        await pilot.pause()
        assert table.cell_padding == 0
        assert table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value == "silver"
