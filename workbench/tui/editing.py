"""Edits from the thresholds panel: nudges, resets, typed values, the key selected.

An edit asks for new figures at once; the edited value is shown with them, in the same
repaint, so that the screen is not drawn twice while they are computed (drawing the
panel on the app's thread beside the recompute made a large threshold move's figures
arrive later). When the figures take longer than ``EDIT_SHOWN_AFTER_S`` the value is shown
without waiting for them.
"""

from __future__ import annotations

from textual.timer import Timer

from workbench.present.words import unit_word
from workbench.text import Text
from workbench.tui.base import WorkbenchBase
from workbench.tui.screens.live_screen import LiveScreen
from workbench.tui.widgets.parameters import ParameterTable, param_value_text

EDIT_SHOWN_AFTER_S = 0.05  # an edited value waits at most this long for its figures


class EditActions(WorkbenchBase):
    _edit_timer: Timer | None = None

    @property
    def edit_pending(self) -> bool:
        """Whether an edited value is still waiting to be shown."""
        return self._edit_timer is not None

    def _show_edit_soon(self) -> None:
        if self._edit_timer is not None:
            self._edit_timer.stop()
        self._edit_timer = self.set_timer(EDIT_SHOWN_AFTER_S, self.show_edit)

    def show_edit(self) -> None:
        """The thresholds panel as the edits left it (with the figures, or on its own)."""
        if self._edit_timer is not None:
            self._edit_timer.stop()
            self._edit_timer = None
        self.screen_main.show_parameters(self.edit, self.lang)

    def changed(self, error: str | Text | None = None) -> None:
        """After an edit: say why it was refused (in the language shown), or re-simulate."""
        if error:
            self.status(error.get(self.lang) if isinstance(error, Text) else error, error=True)
            self.bell()
            return
        self.status("")
        self.live.months.refit()  # a panel's month over the window the policy now gives (undo too)
        self.keep_later()
        self._show_edit_soon()  # before ``schedule``, which may paint the figures at once
        self.schedule()
        if isinstance(self.screen, LiveScreen):
            self.screen.settings_changed()  # the timeline replays again

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
