"""Every key of the workbench, in the language shown (from ``workbench.tui.keys``)."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from workbench.present.words import word
from workbench.text import Lang
from workbench.tui import keys


class HelpScreen(ModalScreen):
    BINDINGS = [Binding("escape,q,f1,question_mark", "dismiss", "close", show=False)]

    def __init__(self, lang: Lang = "en") -> None:
        super().__init__()
        self.lang = lang

    def compose(self) -> ComposeResult:
        table = Table(box=None, show_header=False, padding=(0, 2))
        table.add_column(style="bold yellow", no_wrap=True)
        table.add_column()
        for key in keys.listed():
            if key.scope not in keys.SCOPE_NAMES:
                table.add_row(key.shown, key.does.get(self.lang))
        for scope, name in keys.SCOPE_NAMES.items():
            table.add_row("", "")
            table.add_row("", f"[bold]{name.get(self.lang)}[/]")
            for key in keys.listed():
                if key.scope == scope:
                    table.add_row(key.shown, key.does.get(self.lang))
        with Vertical(classes="dialog wide"):
            yield Label(Text(word("dialog.keys", self.lang)), classes="dialog-title")
            with VerticalScroll(classes="message"):
                yield Static(table)
            yield Static(Text(word("dialog.escape_closes", self.lang)), classes="hint")

    def action_dismiss(self) -> None:  # type: ignore[override]
        self.dismiss(None)
