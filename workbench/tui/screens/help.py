"""Every key of the workbench, in the language shown."""

from __future__ import annotations

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

KEYS: tuple[tuple[str, str, str], ...] = (
    ("↑ ↓", "select a parameter or option", "选择参数或选项"),
    ("← → (or - +)", "nudge the value by its step; cycle an option", "按步长调整;切换选项"),
    ("shift+← →", "nudge by the large step (×10)", "按大步长调整(×10)"),
    (
        "enter",
        "type a value (300k, 30万 work); edit a cost assumption",
        "输入数值(可写300k、30万);编辑成本假设",
    ),
    ("r", "reset the selected parameter (or assumption) to its default", "恢复所选参数(或假设)的默认值"),
    ("R", "reset every parameter, option and assumption", "全部恢复默认"),
    ("ctrl+z / u", "undo", "撤销"),
    ("ctrl+y / U", "redo", "重做"),
    ("tab / shift+tab", "move between panels (parameters, tiers, costs)", "在面板间切换"),
    ("k", "switch scheme", "切换方案"),
    ("f", "open a portfolio file (CSV, Excel, Parquet)", "打开客户数据文件"),
    ("o", "open a scenario", "打开情景"),
    ("s / S", "save the scenario / save as", "保存情景 / 另存为"),
    ("c", "compare scenarios side by side", "情景并列对比"),
    (
        "b / B",
        "make the current settings the baseline / back to the default baseline",
        "以当前设置为基准 / 恢复默认基准",
    ),
    ("a", "migration matrix: customers or AUM", "迁移矩阵:客户数或资产"),
    (
        "d",
        "tier table: values, or every figure's change against the baseline",
        "等级表:数值,或各项相对基准的变化",
    ),
    ("v", "sweep a parameter: figures at each value; enter uses one", "扫描参数:各取值下的结果,回车采用"),
    (
        "t",
        "solve for thresholds: a share at or above a tier, or a cost budget",
        "求解阈值:目标占比或成本预算",
    ),
    ("e", "explain a customer's tier, against the baseline", "解释客户等级及与基准的差异"),
    ("l", "English / 中文", "英文 / 中文"),
    ("ctrl+p", "command palette: schemes, scenarios, actions", "命令面板:方案、情景、操作"),
    ("F1 / ?", "this help", "帮助"),
    ("q", "quit (asks before discarding unsaved changes)", "退出(有未保存修改时会提示)"),
)


class HelpScreen(ModalScreen):
    BINDINGS = [Binding("escape,q,f1,question_mark", "dismiss", "close")]

    def __init__(self, lang: str = "en") -> None:
        super().__init__()
        self.lang = lang

    def compose(self) -> ComposeResult:
        table = Table(box=None, show_header=False, padding=(0, 2))
        table.add_column(style="bold yellow", no_wrap=True)
        table.add_column()
        for key, en, zh in KEYS:
            table.add_row(key, zh if self.lang == "zh" else en)
        with Vertical(classes="dialog wide"):
            yield Label("Keys" if self.lang == "en" else "按键", classes="dialog-title")
            with VerticalScroll(classes="message"):
                yield Static(table)
            yield Static("escape closes" if self.lang == "en" else "按 escape 关闭", classes="hint")

    def action_dismiss(self) -> None:
        self.dismiss(None)
