"""Switching between English and Chinese: every label, name and figure follows."""

from __future__ import annotations

from textual.widgets import DataTable

from workbench.tui.base import WorkbenchBase
from workbench.tui.widgets.parameters import ParameterTable


class LanguageActions(WorkbenchBase):
    def action_toggle_lang(self) -> None:
        self.lang = "zh" if self.lang == "en" else "en"
        self.status("")  # a message in the other language would stay otherwise

    def watch_lang(self) -> None:
        if self.main is None:
            return
        self.screen_main.titles(self.lang, self.measure)
        self.screen_main.show_parameters(self.edit, self.lang)
        if self.is_web:  # in a browser, tables measured in the other language are built anew
            self.call_after_refresh(self._repaint_web)
        elif self.view is not None:
            self.paint(self.view)  # names, markers and money follow the language

    def _repaint_web(self) -> None:
        for table in self.screen_main.query(DataTable):
            table.clear(columns=True)
        self.screen_main.query_one(ParameterTable).forget_layout()
        self.screen_main.show_parameters(self.edit, self.lang)
        if self.view is not None:
            self.paint(self.view)
