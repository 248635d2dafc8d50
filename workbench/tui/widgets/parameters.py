"""The parameter panel: every threshold, weight and option of the scheme.

Up and down select; left and right nudge by the parameter's step (shift for
the large step) or cycle an option; enter types a value; r resets one.
The panel posts messages; the app decides what they change.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from rich.text import Text
from textual.message import Message
from textual.widgets import DataTable

from workbench import Parameter, Scheme, fmt
from workbench.live import Snapshot
from workbench.present.replaying import PolicyRow
from workbench.present.tables import display_width, truncate
from workbench.present.words import unit_word, word
from workbench.text import Lang
from workbench.tui import keys
from workbench.tui.widgets.cellcache import KeptCells
from workbench.tui.widgets.tables import cell_width, same_cell

LABEL_WIDTH = 11
COMPACT_LABEL_WIDTH = 21


def param_value_text(p: Parameter, value: float, lang: Lang) -> str:
    if p.unit == "CNY":
        return fmt.money(value, lang)
    return fmt.trimmed(value, 4)


def short_label(scheme: Scheme, p: Parameter, lang: Lang) -> str:
    """``personal``, ``household``, ``star points`` for thresholds; the weight's subject for weights."""
    group = scheme.group_of_parameter(p.id)
    if group and scheme.groups:
        return scheme.group(group).name.get(lang)
    name = p.name.get(lang)
    for sep in (": ", ":", "："):
        if sep in name:
            return name.split(sep, 1)[1]
    return name


class ParameterTable(KeptCells):
    """Rows keyed ``param:<id>`` or ``option:<id>``."""

    BINDINGS = keys.bindings("parameters")

    class Nudge(Message):
        def __init__(self, key: str, steps: int, big: bool) -> None:
            super().__init__()
            self.key, self.steps, self.big = key, steps, big

    class Edit(Message):
        def __init__(self, key: str) -> None:
            super().__init__()
            self.key = key

    class Reset(Message):
        def __init__(self, key: str) -> None:
            super().__init__()
            self.key = key

    class Selected(Message):
        def __init__(self, key: str) -> None:
            super().__init__()
            self.key = key

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(cursor_type="row", zebra_stripes=False, show_header=False, **kwargs)
        self._layout: tuple | None = None
        self.compact = False
        self._scheme: Scheme | None = None
        self._lang: Lang = "en"
        self._policy: dict[str, PolicyRow] = {}

    @property
    def selected_key(self) -> str | None:
        if not self.row_count:
            return None
        return self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value

    def forget_layout(self) -> None:
        """Build the rows anew at the next ``show`` (every column measured again)."""
        self._layout = None

    def show(
        self,
        scheme: Scheme,
        state: Snapshot,
        last_change: tuple[str, int] | None,
        lang: Lang,
        policy: list[PolicyRow] | None = None,
    ) -> None:
        """Fill or refresh the rows for ``scheme`` with the values in ``state`` (and the
        evaluation policy's keys, on a portfolio over months)."""
        self._scheme, self._lang = scheme, lang
        self._policy = {row.key: row for row in policy or ()}
        columns = ("label", "value", "mark") if self.compact else ("tier", "label", "value", "mark")
        layout = (scheme, lang, self.compact, tuple(self._policy))  # edited rules are another scheme
        rows = [
            (key, self._layout_cells(scheme, cells))
            for key, cells in [*self._rows(scheme, state, last_change, lang), *self._policy_rows(lang)]
        ]
        if self._layout != layout:
            selected = self.selected_key
            self.cell_padding = 0 if self.compact else 1
            self.clear(columns=True)
            for column in columns:
                self.add_column(column, key=column)
            for key, cells in rows:
                self.add_row(*cells, key=key)
            self._layout = layout
            keys = [k for k, _ in rows]
            self.move_cursor(row=keys.index(selected) if selected in keys else 0)
            self._describe(self.selected_key)
        else:
            widths = {str(c.key.value): c.content_width for c in self.ordered_columns}
            for key, cells in rows:
                for column, cell in zip(columns, cells, strict=True):
                    if not same_cell(self.get_cell(key, column), cell):
                        # measuring every cell again is most of a repaint: only when it grows
                        wider = cell_width(cell) > widths[column]
                        self.update_cell(key, column, cell, update_width=wider)

    def _layout_cells(self, scheme: Scheme, cells: list) -> list:
        """Four cells (title, label, value, mark), merged to three when compact."""
        if not self.compact:
            return cells
        title, label, value, mark = cells
        title_text = title.plain if isinstance(title, Text) else str(title)
        label_text = label.plain if isinstance(label, Text) else str(label)
        if title_text and len(scheme.groups) <= 1 and not label_text.startswith("["):
            merged = Text(title_text, style="bold")
        elif title_text:
            merged = Text(title_text + " ", style="bold").append(label_text, style="")
        else:
            merged = Text("  " + label_text)
        merged = Text(" ").append_text(merged)  # compact rows pad themselves: more room for names
        merged.truncate(COMPACT_LABEL_WIDTH, overflow="ellipsis")
        return [
            merged,
            Text(" ").append_text(value) if isinstance(value, Text) else value,
            Text(" ").append_text(mark),
        ]

    def _rows(
        self, scheme: Scheme, state: Snapshot, last_change: tuple[str, int] | None, lang: Lang
    ) -> Iterator[tuple[str, list[Any]]]:
        previous_tier = None
        thresholds = [p for p in scheme.parameters if p.kind == "threshold"]
        weights = [p for p in scheme.parameters if p.kind == "weight"]
        for p in thresholds:
            tier_id = scheme.tier_of_parameter(p.id)
            tier_name = scheme.tier(tier_id).name.get(lang) if tier_id and tier_id != previous_tier else ""
            previous_tier = tier_id
            yield f"param:{p.id}", self._cells(scheme, p, state, last_change, lang, tier_name)
        for i, p in enumerate(weights):
            title = word("params.weights", lang) if i == 0 else ""
            cells = self._cells(scheme, p, state, last_change, lang, title)
            if self.compact:
                cells[0] = Text("")  # the weights' subjects speak for themselves
            yield f"param:{p.id}", cells
        for i, o in enumerate(scheme.options):
            value = state.options[o.id]
            names = {c.value: c.label.get(lang) for c in o.choices}  # the choices' own names
            choices = Text()
            spelled_out = not self.compact and sum(display_width(n) + 2 for n in names.values()) <= 16
            if not spelled_out:
                choices.append(f"‹{names[value]}›", style="bold reverse")
            for c in o.choices if spelled_out else ():
                if c.value == value:
                    choices.append(f"[{names[c.value]}]", style="bold reverse")
                else:
                    choices.append(f" {names[c.value]} ", style="dim")
            default = value == o.default
            mark = Text("·" if default else "≠", style="dim" if default else "bold yellow")
            title = word("params.options", lang) if i == 0 and not self.compact else ""
            yield f"option:{o.id}", [Text(title, style="bold"), o.name.get(lang), choices, mark]

    def _policy_rows(self, lang: Lang) -> Iterator[tuple[str, list[Any]]]:
        for i, row in enumerate(self._policy.values()):
            title = word("policy.title", lang) if i == 0 else ""
            label = row.short
            if self.compact and title:  # merged cells would keep only a lone title
                title, label = "", f"{title}·{row.short}"
            mark = Text("≠" if row.changed else "·", style="bold yellow" if row.changed else "dim")
            value = Text(row.value, style="bold yellow" if row.changed else "", justify="right")
            yield f"policy:{row.key}", [Text(truncate(title, LABEL_WIDTH), style="bold"), label, value, mark]

    def _cells(
        self,
        scheme: Scheme,
        p: Parameter,
        state: Snapshot,
        last_change: tuple[str, int] | None,
        lang: Lang,
        tier_name: str,
    ) -> list[Any]:
        value = state.params[p.id]
        changed = value != p.default
        style = "bold yellow" if changed else ""
        if last_change and last_change[0] == p.id:
            mark = Text("↑" if last_change[1] > 0 else "↓", style="bold yellow")
        else:
            mark = Text("≠" if changed else "·", style="bold yellow" if changed else "dim")
        return [
            Text(truncate(tier_name, LABEL_WIDTH), style="bold"),
            truncate(short_label(scheme, p, lang), 20),
            Text(param_value_text(p, value, lang), style=style, justify="right"),
            mark,
        ]

    def names(self, lang: Lang) -> list[tuple[str, str]]:
        """Each row's key and full name (tier, parameter or option, value), to jump to."""
        scheme = self._scheme
        if scheme is None:
            return []
        out = []
        for row in self.ordered_rows:
            key = str(row.key.value)
            kind, _, ident = key.partition(":")
            if kind == "policy":
                out.append((key, self._policy[ident].described.split(" · ")[0]))
            elif kind == "param":
                p = scheme.parameter(ident)
                tier = scheme.tier_of_parameter(ident)
                where = f"{scheme.tier(tier).name.get(lang)} · " if tier else ""
                value = self.get_cell(key, "value")
                out.append(
                    (key, f"{where}{p.name.get(lang)}  {value.plain if isinstance(value, Text) else value}")
                )
            else:
                out.append((key, scheme.option(ident).name.get(lang)))
        return out

    def select(self, key: str) -> None:
        """Move to the row ``key`` and take the focus."""
        self.move_cursor(row=self.get_row_index(key))
        self.focus()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        if event.row_key is not None and event.row_key.value:
            self._describe(event.row_key.value)
            self.post_message(self.Selected(event.row_key.value))

    def _describe(self, key: str | None) -> None:
        """The selected parameter's default, unit and steps, under the panel."""
        if key is None or self._scheme is None:
            return
        scheme, lang = self._scheme, self._lang
        kind, _, ident = key.partition(":")
        if kind == "policy":
            row = self._policy[ident]
            self.border_subtitle = row.described_short if self.compact else row.described
            return
        if kind == "option":
            o = scheme.option(ident)
            choices = " / ".join(c.name.get(lang) for c in o.choices)
            default = next(c.name.get(lang) for c in o.choices if c.value == o.default)
            self.border_subtitle = word("params.describe_option", lang, default=default, choices=choices)
            return
        p = scheme.parameter(ident)
        unit = unit_word(p.unit, lang)
        default = param_value_text(p, p.default, lang)
        step, big = param_value_text(p, p.step, lang), param_value_text(p, p.large_step, lang)
        key = "params.describe_short" if self.compact else "params.describe"  # whole at either width
        described = word(key, lang, default=default, unit=unit, step=step, big=big)
        tier = scheme.tier_of_parameter(p.id)
        tier_name = scheme.tier(tier).name.get(lang) if tier else ""
        label = short_label(scheme, p, lang)
        if truncate(tier_name, LABEL_WIDTH) != tier_name or truncate(label, 20) != label:
            described = f"{p.name.get(lang)} · {described}"  # the name shown cut, in full on focus
        self.border_subtitle = described

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()

    def action_nudge(self, steps: int, big: bool = False) -> None:
        key = self.selected_key
        if key:
            self.post_message(self.Nudge(key, steps, big))

    def action_edit(self) -> None:
        key = self.selected_key
        if key:
            self.post_message(self.Edit(key))

    def action_reset(self) -> None:
        key = self.selected_key
        if key:
            self.post_message(self.Reset(key))
