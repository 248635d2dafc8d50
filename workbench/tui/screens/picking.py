"""Lists to pick from, filtered as you type: one item (schemes, scenarios, parameters), or
several (scenarios to compare, ticked with space, shown ``[x]`` / ``[ ]`` so the choice
reads without colour)."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from workbench.text import Lang
from workbench.tui.screens.dialogs import Dialog


def matches(text: str, query: str) -> bool:
    """Every word of ``query`` is in ``text`` (case-blind): ``plat pers`` finds
    ``Platinum · personal``."""
    low = text.lower()
    return all(part in low for part in query.lower().split())


class PickDialog(Dialog):
    """Pick one item from a list; typing filters it (the list keeps the focus, so enter
    picks and the arrows move while the filter grows)."""

    BINDINGS = [Binding("escape", "cancel", "cancel", show=False)]
    multiple = False

    def __init__(
        self,
        title: str,
        items: Sequence[tuple[str, str]],
        selected: str | Sequence[str] | None = None,
        lang: Lang = "en",
    ) -> None:
        super().__init__()
        self.title_text, self.items, self.lang = title, list(items), lang
        if isinstance(selected, str) or selected is None:
            self.current, self.ticked = selected, set()
        else:
            self.current, self.ticked = None, set(selected)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label(Text(self.title_text), classes="dialog-title")
            yield Input("", placeholder=self.w("dialog.filter"), id="filter")
            yield OptionList(id="choices")
            yield Static(
                Text(self.w("dialog.multi_hint" if self.multiple else "dialog.pick_hint")), classes="hint"
            )
            yield Static("", id="error", classes="error")

    def on_mount(self) -> None:
        self.query_one("#filter", Input).can_focus = False  # the list keeps the keys
        self.refill()
        options = self.query_one(OptionList)
        keys = self.shown_keys()
        if self.current in keys:
            options.highlighted = keys.index(self.current)
        options.focus()

    def shown_keys(self) -> list[str]:
        query = self.query_one("#filter", Input).value
        return [key for key, text in self.items if matches(text, query)]

    def prompt(self, key: str, text: str) -> str:
        if not self.multiple:
            return text
        return ("[x] " if key in self.ticked else "[ ] ") + text

    def refill(self) -> None:
        """The items that match the filter, the highlight kept on the same item."""
        options = self.query_one(OptionList)
        before = options.highlighted_option.id if options.highlighted_option is not None else None
        query = self.query_one("#filter", Input).value
        shown = [(k, t) for k, t in self.items if matches(t, query)]
        options.clear_options()
        # prompts as Text: a name (or the [x] mark) is never read as markup
        options.add_options([Option(Text(self.prompt(k, t)), id=k) for k, t in shown])
        keys = [k for k, _ in shown]
        if keys:
            options.highlighted = keys.index(before) if before in keys else 0
        self.query_one("#error", Static).update("" if keys else self.w("dialog.no_match"))

    def on_input_changed(self, event: Input.Changed) -> None:
        self.refill()

    def on_key(self, event: events.Key) -> None:
        """Letters typed on the list go to the filter; backspace takes them back."""
        field = self.query_one("#filter", Input)
        if event.key == "backspace" and field.value:
            field.value = field.value[:-1]
            event.stop()
        elif event.is_printable and event.character and (event.character != " " or not self.multiple):
            field.value += event.character
            event.stop()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if not self.multiple:
            self.dismiss(event.option.id)


class MultiPickDialog(PickDialog):
    """Pick several items: space ticks the highlighted one, enter confirms (two at least)."""

    BINDINGS = [
        Binding("escape", "cancel", "cancel", show=False),
        Binding("space", "tick", "tick", show=False),
        Binding("enter", "confirm", "compare", priority=True, show=False),
    ]
    multiple = True

    def action_tick(self) -> None:
        options = self.query_one(OptionList)
        option = options.highlighted_option
        if option is None or option.id is None:
            return
        self.ticked ^= {option.id}
        self.refill()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()

    def action_confirm(self) -> None:
        if len(self.ticked) < 2:
            self.query_one("#error", Static).update(self.w("dialog.pick_two"))
            return
        order = [k for k, _ in self.items]
        self.dismiss(sorted(self.ticked, key=order.index))
