"""Edits from the thresholds panel: nudges, resets, typed values, the key selected.

An edit shows the new value at once and asks for the figures it brings.
"""

from __future__ import annotations

from workbench.present.words import unit_word
from workbench.text import Text
from workbench.tui.base import WorkbenchBase
from workbench.tui.screens.live_screen import LiveScreen
from workbench.tui.widgets.parameters import ParameterTable, param_value_text

EDIT_SHOWN_AFTER_S = 0.08  # an edited value waits this long at most for the figures it brings


class EditActions(WorkbenchBase):
    def changed(self, error: str | Text | None = None) -> None:
        """After an edit: say why it was refused (in the language shown), or re-simulate."""
        if error:
            self.status(error.get(self.lang) if isinstance(error, Text) else error, error=True)
            self.bell()
            return
        self.status("")
        self.live.months.refit()  # a panel's month over the window the policy now gives (undo too)
        self.keep_later()
        self.schedule()  # figures ready at once are painted now, the new value with them
        if self.portfolio is None:
            self.screen_main.show_parameters(self.edit, self.lang)
        elif self._figures_pending():
            # Figures from a worker: the new value is painted with them, unless they take
            # longer than a blink. Painting it at once would take the UI thread's turn on a
            # core while the worker reclassifies (measured: 10M customers, branch layers,
            # nine in a hundred moving: the worker done 27-37 ms after the key, not 21-31).
            self.set_timer(EDIT_SHOWN_AFTER_S, self._show_edit_if_waiting)
        if isinstance(self.screen, LiveScreen):
            self.screen.settings_changed()  # the timeline replays again

    def _figures_pending(self) -> bool:
        return self.portfolio is not None and (self.view is None or self.view.seq != self.live.seq)

    def _show_edit_if_waiting(self) -> None:
        if self._figures_pending():
            self.screen_main.show_parameters(self.edit, self.lang)

    def on_parameter_table_nudge(self, message: ParameterTable.Nudge) -> None:
        kind, _, ident = message.key.partition(":")
        if kind == "policy":
            self.changed(self.live.months.nudge(ident, message.steps))
        elif kind == "param":
            self.changed(self.edit.nudge(ident, message.steps, message.big))
        else:
            self.changed(self.edit.cycle_option(ident, message.steps))

    def on_parameter_table_reset(self, message: ParameterTable.Reset) -> None:
        kind, _, ident = message.key.partition(":")
        if kind == "policy":
            self.live.months.reset(ident)
            self.changed()
        elif kind == "param":
            self.changed(self.edit.reset_param(ident))
        else:
            self.changed(self.edit.set_option(ident, self.edit.scheme.option(ident).default))

    def on_parameter_table_edit(self, message: ParameterTable.Edit) -> None:
        from workbench.tui.screens.dialogs import ValueDialog

        kind, _, ident = message.key.partition(":")
        if kind == "policy":
            self.timeline_policy()
            return
        if kind != "param":
            self.changed(self.edit.cycle_option(ident, 1))
            return
        scheme = self.edit.scheme
        p = scheme.parameter(ident)
        tier = scheme.tier_of_parameter(ident)
        title = p.name.get(self.lang) + (f" ({unit_word(p.unit, self.lang)})" if p.unit else "")
        hint = self.w(
            "dialog.value_describe",
            default=param_value_text(p, p.default, self.lang),
            step=param_value_text(p, p.step, self.lang),
        )
        if tier:
            hint += f"; {scheme.tier(tier).name.get(self.lang)}"

        def apply(value: float | None) -> None:
            if value is not None:
                self.changed(self.edit.set_param(ident, value))

        self.push_screen(ValueDialog(title, self.edit.params[ident], hint, lang=self.lang), apply)

    def on_parameter_table_selected(self, message: ParameterTable.Selected) -> None:
        before = self.live.metric_for(self.live.selected_key)
        self.live.selected_key = message.key
        if self.view is not None and (
            self.live.metric_for(message.key) != before or message.key.startswith("param:")
        ):
            self.schedule()
