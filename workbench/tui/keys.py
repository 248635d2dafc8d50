"""Every key of the workbench, in one table.

The screen's and the panels' bindings, the help screen, the command
palette's actions and the key table of ``docs/tui.md`` are all made from
``KEYS`` (a test compares the docs with it). A row is one line of help: the
keys as shown, what they do, and the commands they run.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from textual.binding import Binding, BindingsMap, BindingType
from textual.dom import DOMNode

from workbench.text import Lang, Text

# Where a key works: the workbench screen, its panels, any widget, or another screen.
Scope = Literal["screen", "parameters", "costs", "widget", "compare", "sweep", "explain", "rules", "timeline"]
SCOPE_NAMES: dict[str, Text] = {
    "rules": Text("On the rules screen", "规则界面"),
    "timeline": Text("On the timeline", "时间线界面"),
    "compare": Text("On the comparison screen", "对比界面"),
    "sweep": Text("On a sweep's table", "扫描结果表"),
    "explain": Text("On an explanation", "解释界面"),
}


@dataclass(frozen=True)
class Command:
    """One action a key runs: ``keys`` in Textual's names (comma-separated), the action
    (an app action for the screen scope, the panel's own otherwise), its footer label and
    its palette title (None: not in the footer, not in the palette)."""

    keys: str
    action: str
    footer: Text | None = None
    palette: Text | None = None
    wide_only: bool = False  # left out of the footer of a narrow screen (help lists it)
    priority: bool = False  # before the focused widget's own use of the key (a table's enter)


@dataclass(frozen=True)
class Key:
    """One row of help: the keys as people read them, what they do, where they work, the
    commands they run, and the wording of ``docs/tui.md`` (when longer than ``does``).
    Rows not ``listed`` only bind: another row describes them."""

    shown: str
    does: Text
    scope: Scope
    commands: tuple[Command, ...] = ()
    doc: str = ""
    listed: bool = True  # False: a panel's own use of keys another row describes

    @property
    def documented(self) -> str:
        return self.doc or self.does.en


def _t(en: str, zh: str) -> Text:
    return Text(en, zh)


KEYS: tuple[Key, ...] = (
    Key("↑ ↓", _t("select a parameter or option", "选择参数或选项"), "widget"),
    Key(
        "← → (or - +)",
        _t("nudge the selected value by its step; cycle an option", "按步长调整所选数值;切换选项"),
        "parameters",
        (
            Command("left,minus", "nudge(-1)"),
            Command("right,plus,equals_sign,space", "nudge(1)"),
        ),
    ),
    Key(
        "shift+← →",
        _t("nudge by the large step (×10)", "按大步长调整(×10)"),
        "parameters",
        (Command("shift+left", "nudge(-1, True)"), Command("shift+right", "nudge(1, True)")),
    ),
    Key(
        "enter",
        _t(
            "type a value (300k, 30万 work); on a cost row, edit its assumptions",
            "输入数值(可写300k、30万);在成本行上编辑其假设",
        ),
        "parameters",
        (Command("enter", "edit", footer=_t("type value", "输入数值"), wide_only=True),),
        doc="type a value (`300000`, `300,000`, `300k`, `30万`); on a cost row, edit its assumptions",
    ),
    Key(
        "enter",
        _t("edit the selected benefit's cost assumptions", "编辑所选权益的成本假设"),
        "costs",
        (Command("enter", "edit", footer=_t("edit assumption", "编辑假设")),),
        listed=False,
    ),
    Key(
        "r",
        _t(
            "reset the selected parameter, option or cost assumption to its default",
            "恢复所选参数、选项或成本假设的默认值",
        ),
        "parameters",
        (Command("r", "reset", footer=_t("reset", "恢复默认")),),
    ),
    Key(
        "r",
        _t("reset the selected cost assumption", "恢复所选成本假设"),
        "costs",
        (Command("r", "reset"),),
        listed=False,
    ),
    Key(
        "R",
        _t("reset every parameter, option and assumption", "全部恢复默认"),
        "screen",
        (Command("R", "reset_all", palette=_t("Reset all to defaults", "全部恢复默认")),),
    ),
    Key(
        "ctrl+z / u, ctrl+y / U",
        _t("undo, redo (every change, scheme switches included)", "撤销、重做(包括切换方案)"),
        "screen",
        (
            Command(
                "ctrl+z,u", "undo", footer=_t("undo", "撤销"), palette=_t("Undo", "撤销"), wide_only=True
            ),
            Command("ctrl+y,U", "redo", palette=_t("Redo", "重做")),
        ),
    ),
    Key("tab / shift+tab", _t("parameters → tiers → costs", "参数 → 等级 → 成本"), "widget"),
    Key(
        "/",
        _t("jump to a parameter or option by typing its name", "输入名称跳到参数或选项"),
        "screen",
        (Command("slash", "jump", palette=_t("Jump to a parameter…", "跳到参数…")),),
    ),
    Key(
        "k",
        _t("switch scheme", "切换方案"),
        "screen",
        (
            Command(
                "k", "pick_scheme", footer=_t("scheme", "方案"), palette=_t("Switch scheme…", "切换方案…")
            ),
        ),
    ),
    Key(
        "g",
        _t(
            "rules: tiers and their conditions; add or remove tiers, conditions, benefits",
            "规则:等级及条件;增删等级、条件、权益",
        ),
        "screen",
        (
            Command(
                "g",
                "rules",
                footer=_t("rules", "规则"),
                palette=_t("Rules: tiers and conditions…", "规则:等级与条件…"),
                wide_only=True,
            ),
        ),
        doc="the rules screen: every tier's conditions written out with the thresholds as tuned; add a "
        "tier above or below, remove one, add or remove a condition, add a benefit (each checked before "
        "it is applied, undoable), save as a scheme file",
    ),
    Key(
        "m",
        _t(
            "timeline: every month of a portfolio over months, under the policy",
            "时间线:按月客户数据的逐月回放",
        ),
        "screen",
        (Command("m", "timeline", palette=_t("Timeline: replay every month…", "时间线:逐月回放…")),),
        doc="the timeline of a portfolio over months (a file with a month column, or a folder of monthly "
        "files): tiers held month by month under the evaluation policy, upgrades, downgrades, joiners, "
        "leavers, the month's cost, each tier's trend and the quarter table; `p` there edits the policy",
    ),
    Key(
        "f",
        _t("open a portfolio file (CSV, Excel, Parquet)", "打开客户数据文件(CSV、Excel、Parquet)"),
        "screen",
        (
            Command(
                "f",
                "open_portfolio",
                footer=_t("portfolio", "客户数据"),
                palette=_t("Open portfolio…", "打开客户数据…"),
                wide_only=True,
            ),
        ),
        doc="open a portfolio file (CSV, Excel, Parquet); bad files are reported and the current "
        "portfolio kept; unrecognised columns open a mapping dialog with the likely mapping filled "
        "in; notes on how the file was read (encoding, title rows, totals row left out) appear for "
        "a few seconds",
    ),
    Key(
        "o",
        _t("open a scenario", "打开情景"),
        "screen",
        (
            Command(
                "o", "open_scenario", footer=_t("open", "打开"), palette=_t("Open scenario…", "打开情景…")
            ),
        ),
        doc="open a scenario (those in `scenarios/` and beside the open one, or browse); a scheme file "
        "opened this way brings its scheme, as a new untitled scenario",
    ),
    Key(
        "s / S",
        _t("save the scenario / save as", "保存情景 / 另存为"),
        "screen",
        (
            Command("s", "save", footer=_t("save", "保存"), palette=_t("Save scenario", "保存情景")),
            Command("S", "save_as", palette=_t("Save scenario as…", "情景另存为…")),
        ),
        doc="save the scenario (atomically) / save as",
    ),
    Key(
        "c",
        _t("compare scenarios side by side on the current portfolio", "在当前客户数据上并列对比情景"),
        "screen",
        (
            Command(
                "c", "compare", footer=_t("compare", "对比"), palette=_t("Compare scenarios…", "对比情景…")
            ),
        ),
    ),
    Key(
        "x",
        _t(
            "export a report (Excel or HTML): the scenario against its baseline",
            "导出报告(Excel 或 HTML):当前情景与基准对比",
        ),
        "screen",
        (Command("x", "export", footer=_t("export", "导出"), palette=_t("Export report…", "导出报告…")),),
        doc="export a report (`.xlsx`, or `.html` by choice) beside the open scenario: the current "
        "scenario against its baseline, the same report `workbench compare --output` writes",
    ),
    Key(
        "F",
        _t(
            "on a sample of a book too big for memory: confirm on the full book (a Dask cluster)",
            "在超出内存的名单的样本上:用全量名单核实(Dask 集群)",
        ),
        "screen",
        (
            Command(
                "F",
                "confirm_full",
                palette=_t("Confirm on the full book", "用全量名单核实"),
            ),
        ),
        doc="on a book too big for memory the workbench tunes a stratified sample and shows every "
        "figure as an estimate with its 95% interval; `F` runs the scenario on the full book on a "
        "Dask cluster (in the background) and shows the exact figures, the estimates beside them "
        "until the next change (docs/scale-out.md)",
    ),
    Key(
        "b / B",
        _t("baseline: the current settings / the scheme's defaults", "基准:当前设置 / 方案默认值"),
        "screen",
        (
            Command(
                "b",
                "pin_baseline",
                footer=_t("baseline", "基准"),
                palette=_t("Baseline: current settings", "基准:当前设置"),
                wide_only=True,
            ),
            Command("B", "default_baseline", palette=_t("Baseline: scheme defaults", "基准:方案默认值")),
        ),
    ),
    Key(
        "a",
        _t("migration matrix: customers or AUM", "迁移矩阵:客户数或资产"),
        "screen",
        (Command("a", "toggle_measure", palette=_t("Migration: customers / AUM", "迁移矩阵:客户数 / 资产")),),
    ),
    Key(
        "d",
        _t(
            "tier table: values, or every figure's change against the baseline",
            "等级表:数值,或各项相对基准的变化",
        ),
        "screen",
        (Command("d", "toggle_changes", palette=_t("Tiers: values / changes", "等级表:数值 / 变化")),),
        doc="tier table: values (with Δ customers and Δ cost), or the change of every figure against "
        "the baseline (customers, share in pp, AUM, AUM share, cost, cost per customer, bp)",
    ),
    Key(
        "v",
        _t("sweep a parameter: figures at each value; enter uses one", "扫描参数:各取值下的结果,回车采用"),
        "screen",
        (Command("v", "sweep", palette=_t("Sweep a parameter…", "扫描参数…")),),
        doc="sweep a parameter (the selected one by default): figures at each value; enter on a row "
        "uses that value",
    ),
    Key(
        "t",
        _t(
            "solve for thresholds: a share at or above a tier, or a cost budget",
            "求解阈值:目标占比或成本预算",
        ),
        "screen",
        (Command("t", "solve", palette=_t("Solve for thresholds…", "求解阈值…")),),
        doc="solve for thresholds: a share of customers at or above a tier, or a cost budget; apply "
        "the result as one undoable change",
    ),
    Key(
        "e",
        _t("explain a customer's tier, against the baseline", "解释客户等级及与基准的差异"),
        "screen",
        (Command("e", "explain", palette=_t("Explain a customer…", "解释客户…")),),
        doc="explain a customer's tier under the current settings, and why it differs from the baseline",
    ),
    Key(
        "l",
        _t("English / 中文", "英文 / 中文"),
        "screen",
        (
            Command(
                "l",
                "toggle_lang",
                footer=_t("中文/English", "English/中文"),
                palette=_t("Language: English / 中文", "语言:English / 中文"),
            ),
        ),
        doc="English / 中文 (tier and benefit names, labels, money in 万 and 亿)",
    ),
    Key(
        "ctrl+p",
        _t("command palette: schemes, scenarios and every action", "命令面板:方案、情景及所有操作"),
        "widget",
    ),
    Key(
        "F1 / ?",
        _t("help", "帮助"),
        "screen",
        (
            Command(
                "f1,question_mark", "help", footer=_t("help", "帮助"), palette=_t("Help: keys", "帮助:按键")
            ),
        ),
    ),
    Key(
        "q / ctrl+q",
        _t("quit; asks first when there are unsaved changes", "退出;有未保存的修改时先询问"),
        "screen",
        (Command("q", "quit_guarded", footer=_t("quit", "退出")),),
    ),
    Key(
        "a / b",
        _t("add a tier above / below the selected one", "在所选等级上方 / 下方加等级"),
        "rules",
        (
            Command("a", "add_above", footer=_t("tier above", "上方加级")),
            Command("b", "add_below", footer=_t("tier below", "下方加级"), wide_only=True),
        ),
        doc="add a tier above / below the selected one (named in English and Chinese; reached by the "
        "main metric at a threshold of its own, between its neighbours')",
    ),
    Key(
        "d",
        _t("remove the selected tier (never the lowest)", "删除所选等级(最低等级除外)"),
        "rules",
        (Command("d,delete", "remove_tier", footer=_t("remove tier", "删除等级"), wide_only=True),),
    ),
    Key(
        "c / x",
        _t("add a condition on a metric / remove one", "加一个指标条件 / 删除条件"),
        "rules",
        (
            Command("c", "add_condition", footer=_t("condition", "加条件")),
            Command("x", "remove_condition"),
        ),
    ),
    Key(
        "n",
        _t("add a benefit on a cost driver to the selected tier", "为所选等级加一项权益"),
        "rules",
        (Command("n", "add_benefit", footer=_t("benefit", "加权益"), wide_only=True),),
    ),
    Key(
        "s",
        _t("save the rules as a scheme file (asks before replacing one)", "将规则保存为方案文件(覆盖前询问)"),
        "rules",
        (Command("s", "save_rules", footer=_t("save rules", "保存规则")),),
    ),
    Key(
        "ctrl+z / u",
        _t("undo the last rule change", "撤销上一次规则修改"),
        "rules",
        (Command("ctrl+z,u", "undo_rule", footer=_t("undo", "撤销")),),
    ),
    Key(
        "escape / q",
        _t("back to the workbench", "返回工作台"),
        "rules",
        (Command("escape,q,g", "close", footer=_t("back", "返回")),),
    ),
    Key(
        "← →",
        _t(
            "nudge a threshold or a policy key: the months are replayed again",
            "调整阈值或评定规则:重新逐月回放",
        ),
        "timeline",
    ),
    Key(
        "enter",
        _t("on a month: the other panels show that month", "选中某月:其他面板显示该月"),
        "timeline",
    ),
    Key(
        "p",
        _t("edit the evaluation policy; the months are replayed again", "修改评定规则并重新回放"),
        "timeline",
        (Command("p", "policy", footer=_t("policy", "评定规则")),),
    ),
    Key(
        "escape / q",
        _t("back to the workbench", "返回工作台"),
        "timeline",
        (Command("escape,q,m", "close", footer=_t("back", "返回")),),
    ),
    Key(
        "x",
        _t("export these scenarios as a report (Excel or HTML)", "将这些情景导出为报告(Excel 或 HTML)"),
        "compare",
        (Command("x", "export", footer=_t("export", "导出")),),
    ),
    Key(
        "a",
        _t("migration matrices: customers or AUM", "迁移矩阵:客户数或资产"),
        "compare",
        (Command("a", "toggle_measure", footer=_t("customers/AUM", "客户/资产")),),
    ),
    Key(
        "escape / q",
        _t("back to the workbench", "返回工作台"),
        "compare",
        (Command("escape,q,c", "close", footer=_t("back", "返回")),),
    ),
    Key(
        "enter",
        _t("use the selected value (one undoable change)", "采用所选取值(可撤销)"),
        "sweep",
        (Command("enter", "use", footer=_t("use value", "采用此值"), priority=True),),
    ),
    Key(
        "escape / q",
        _t("back to the workbench", "返回工作台"),
        "sweep",
        (Command("escape,q", "close", footer=_t("back", "返回")),),
    ),
    Key(
        "escape / q",
        _t("back to the workbench", "返回工作台"),
        "explain",
        (Command("escape,q", "close", footer=_t("back", "返回")),),
    ),
)


def rows(scope: Scope | None = None) -> Iterator[Key]:
    """The table's rows, of one scope when given."""
    return (key for key in KEYS if scope is None or key.scope == scope)


def listed() -> Iterator[Key]:
    """The rows help and the docs show."""
    return (key for key in KEYS if key.listed)


# The footer's order, by action: quit and help first, undo last, the rest as in the table.
FOOTER_ORDER = ("quit_guarded", "help")
FOOTER_LAST = ("undo",)


def _footer_place(command: Command) -> int:
    if command.action in FOOTER_ORDER:
        return FOOTER_ORDER.index(command.action)
    return 100 if command.action in FOOTER_LAST else 50


def bindings(scope: Scope, lang: Lang = "en", prefix: str = "", narrow: bool = False) -> list[BindingType]:
    """Textual bindings for a scope: footer labels in ``lang``; ``prefix`` (``app.``) before
    each action. Footer keys come in the table's order, ``FOOTER_ORDER`` first; a narrow
    screen's footer leaves out the ``wide_only`` ones."""
    commands = [(c, key) for key in rows(scope) for c in key.commands]
    commands.sort(key=lambda ck: _footer_place(ck[0]))
    out: list[BindingType] = []
    for c, key in commands:
        label = c.footer.get(lang) if c.footer else key.does.get(lang)
        shown = c.footer is not None and not (narrow and c.wide_only)
        out.append(Binding(c.keys, prefix + c.action, label, show=shown, priority=c.priority))
    return out


def localize(node: DOMNode, scope: Scope, lang: Lang, prefix: str = "", narrow: bool = False) -> None:
    """Give ``node`` the bindings of ``scope`` in ``lang`` (the footer shows their labels),
    keeping the bindings its classes define for other keys (a table's cursor keys)."""
    merged = type(node)._merged_bindings
    fresh = merged.copy() if merged is not None else BindingsMap()
    for binding in Binding.make_bindings(bindings(scope, lang, prefix, narrow)):
        fresh.key_to_bindings[binding.key] = [binding]
    node._bindings = fresh
    node.refresh_bindings()


PALETTE = Text("palette", "命令面板")


def localize_palette(app: DOMNode, key: str, lang: Lang) -> None:
    """The footer's command-palette key (the app's own binding) labelled in ``lang``."""
    found = app._bindings.key_to_bindings.get(key)
    if found:
        app._bindings.key_to_bindings[key] = [
            dataclasses.replace(b, description=PALETTE.get(lang), tooltip=PALETTE.get(lang)) for b in found
        ]
        app.refresh_bindings()


def palette_commands() -> Iterator[tuple[Command, Key]]:
    """Every command that the palette offers, with its row."""
    for key in KEYS:
        for c in key.commands:
            if c.palette is not None:
                yield c, key


def markdown_table() -> str:
    """The key table of ``docs/tui.md``: the workbench's keys, then each other screen's."""
    lines = ["| key | does |", "|---|---|"]
    lines += [f"| {key.shown} | {key.documented} |" for key in listed() if key.scope not in SCOPE_NAMES]
    for scope, name in SCOPE_NAMES.items():
        lines += ["", f"{name.en}:", "", "| key | does |", "|---|---|"]
        lines += [f"| {key.shown} | {key.documented} |" for key in listed() if key.scope == scope]
    return "\n".join(lines)
