"""Modal dialogs: type a value, edit an assumption, pick from a list, confirm, open a file,
map columns, read a message."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import (
    Button,
    Checkbox,
    DirectoryTree,
    Input,
    Label,
    Select,
    Static,
)
from textual.widgets.button import ButtonVariant

from workbench import CostDriver
from workbench.fmt import parse_number, trimmed
from workbench.live import confine, user_path
from workbench.present.words import unit_word, word
from workbench.text import Lang


class Dialog(ModalScreen):
    """A modal with a title, closed by escape; its words in ``lang``."""

    BINDINGS = [Binding("escape", "cancel", "cancel")]
    lang: Lang = "en"

    def w(self, key: str, **values: object) -> str:
        return word(key, self.lang, **values)

    def action_cancel(self) -> None:
        self.dismiss(None)


class FormDialog(Dialog):
    """A dialog of inputs: enter in any input or the primary button submits, others cancel."""

    def submit(self) -> None:
        raise NotImplementedError

    def error(self, message: str) -> None:
        self.query_one("#error", Static).update(message)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.submit()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.variant == "primary":
            self.submit()
        else:
            self.dismiss(None)


class ValueDialog(Dialog):
    """Type a number: ``300000``, ``300,000``, ``300k`` and ``30万`` all work."""

    def __init__(self, title: str, value: float, hint: str = "", lang: Lang = "en") -> None:
        super().__init__()
        self.title_text, self.value, self.hint, self.lang = title, value, hint, lang

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(Text(self.title_text), classes="dialog-title")
            yield Input(trimmed(self.value, 6), id="value")
            yield Static(Text(self.hint or self.w("dialog.value_hint")), classes="hint")
            yield Static("", id="error", classes="error")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        try:
            self.dismiss(parse_number(event.value))
        except ValueError:
            self.query_one("#error", Static).update(self.w("dialog.not_a_number", value=event.value))


class TickBox(Checkbox):
    """A checkbox whose mark reads without colour: ``✓`` when ticked, blank when not."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.BUTTON_INNER = "✓" if self.value else " "

    def watch_value(self) -> None:
        self.BUTTON_INNER = "✓" if self.value else " "
        super().watch_value()


class AssumptionDialog(FormDialog):
    """Edit a benefit's cost assumptions in one tier (or every tier that offers it)."""

    def __init__(self, title: str, driver: CostDriver, values: Mapping[str, float], lang: Lang) -> None:
        super().__init__()
        self.title_text, self.driver, self.values, self.lang = title, driver, values, lang

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(Text(self.title_text), classes="dialog-title")
            yield Static(Text(self.driver.name.get(self.lang)), classes="hint")
            with Grid(classes="fields"):
                for f in self.driver.fields:
                    unit = self.w("dialog.share_unit") if f.share else unit_word(f.unit, self.lang)
                    yield Label(Text(f"{f.name.get(self.lang)} ({unit})"))
                    yield Input(trimmed(self.values.get(f.id, 0.0), 6), id=f"field-{f.id}")
            yield TickBox(Text(self.w("dialog.all_tiers")), id="all-tiers")
            yield Static("", id="error", classes="error")
            with Horizontal(classes="buttons"):
                yield Button(self.w("dialog.apply"), variant="primary", id="apply")
                yield Button(self.w("dialog.cancel"), id="cancel")

    def on_mount(self) -> None:
        inputs = self.query(Input)
        if inputs:
            inputs.first().focus()

    def submit(self) -> None:
        values: dict[str, float] = {}
        for f in self.driver.fields:
            raw = self.query_one(f"#field-{f.id}", Input).value
            try:
                values[f.id] = parse_number(raw)
            except ValueError:
                self.error(self.w("dialog.field_not_a_number", field=f.name.get(self.lang), value=raw))
                return
        self.dismiss({"values": values, "all_tiers": self.query_one("#all-tiers", Checkbox).value})


class ChoiceDialog(Dialog):
    """A message and buttons: returns the chosen button's id, or None on escape."""

    def __init__(self, title: str, message: str, choices: Sequence[tuple[str, str, ButtonVariant]]) -> None:
        """``choices``: (id, label, variant) per button; the first has the focus."""
        super().__init__()
        self.title_text, self.message, self.choices = title, message, choices

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(Text(self.title_text), classes="dialog-title")
            yield Static(Text(self.message))
            with Horizontal(classes="buttons"):
                for ident, text, variant in self.choices:
                    yield Button(text, variant=variant, id=ident)

    def on_mount(self) -> None:
        self.query_one(f"#{self.choices[0][0]}", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(None if event.button.id == "cancel" else event.button.id)


class ConfirmDialog(ChoiceDialog):
    """Save, discard or cancel: returns ``"save"``, ``"discard"`` or None."""

    def __init__(self, message: str, lang: Lang = "en") -> None:
        super().__init__(
            word("dialog.unsaved_title", lang),
            message,
            [
                ("save", word("dialog.save", lang), "primary"),
                ("discard", word("dialog.discard_changes", lang), "error"),
                ("cancel", word("dialog.cancel", lang), "default"),
            ],
        )
        self.lang = lang


class FileTree(DirectoryTree):
    """A directory tree showing folders and files with the given suffixes, and only the
    files whose name holds what is typed (``contains``)."""

    def __init__(self, path: Path, suffixes: Sequence[str], **kwargs: Any) -> None:
        super().__init__(path, **kwargs)
        self.suffixes = tuple(suffixes)
        self.contains = ""

    def filter_paths(self, paths: Iterable[Path]) -> Iterable[Path]:
        wanted = self.contains.lower()
        return [
            p
            for p in paths
            if not p.name.startswith(".")
            and confine.inside(p)  # served with --root: a link leading out is not listed
            and (p.is_dir() or (p.suffix.lower() in self.suffixes and wanted in p.name.lower()))
        ]


class PathDialog(Dialog):
    """Type a path or pick it in the tree."""

    def __init__(
        self,
        title: str,
        start: Path,
        suffixes: Sequence[str],
        initial: str = "",
        must_exist: bool = True,
        hint: str = "",
        lang: Lang = "en",
    ) -> None:
        super().__init__()
        folder = confine.root()
        if folder is not None and not confine.inside(start, folder):
            start = folder  # served: the tree starts in the folder the workbench may use
        self.title_text, self.start, self.suffixes = title, start, suffixes
        self.initial, self.must_exist, self.hint, self.lang = initial, must_exist, hint, lang

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog tall"):
            yield Label(Text(self.title_text), classes="dialog-title")
            yield Input(self.initial, placeholder="path/to/file", id="path")
            yield FileTree(self.start, self.suffixes, id="tree")
            yield Static(Text(self.hint or self.w("dialog.path_hint")), classes="hint")
            yield Static("", id="error", classes="error")

    def on_mount(self) -> None:
        self.query_one("#path", Input).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        """The tree lists only the files whose name holds the last part typed."""
        tree = self.query_one(FileTree)
        typed = event.value.strip()
        contains = "" if not typed or typed.endswith(("/", "\\")) else Path(typed).name
        if contains == Path(self.initial).name:
            contains = ""  # a proposed name filters nothing until it is changed
        if contains != tree.contains:
            tree.contains = contains
            tree.reload()

    def on_directory_tree_file_selected(self, event: DirectoryTree.FileSelected) -> None:
        self.query_one("#path", Input).value = str(event.path)
        self._submit(str(event.path))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self._submit(event.value)

    def _submit(self, value: str) -> None:
        value = value.strip()
        if not value:
            return
        path = user_path(value)
        if not path.is_absolute():
            path = self.start / path
        if not confine.inside(path):  # served with --root: links leading out count as out
            self.query_one("#error", Static).update(self.w("dialog.outside_root", root=confine.root()))
            return
        if self.must_exist and not path.exists():
            self.query_one("#error", Static).update(self.w("dialog.no_such_file", path=path))
            return
        if self.suffixes and path.suffix.lower() not in self.suffixes:
            self.query_one("#error", Static).update(
                self.w("dialog.expected_suffix", name=path.name, suffixes=", ".join(self.suffixes))
            )
            return
        self.dismiss(path)


IGNORE = "__ignore__"


class ColumnMappingDialog(Dialog):
    """Map the file's headers to canonical columns when they were not recognised."""

    def __init__(
        self,
        file_name: str,
        message: str,
        headers: Sequence[str],
        mapping: Mapping[str, str],
        columns: Sequence[tuple[str, str]],
        lang: Lang = "en",
    ) -> None:
        super().__init__()
        self.file_name, self.message, self.headers = file_name, message, headers
        self.mapping, self.columns, self.lang = mapping, columns, lang

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog tall"):
            yield Label(Text(self.w("dialog.map_title", name=self.file_name)), classes="dialog-title")
            yield Static(Text(self.message, style="yellow"))
            options = [
                (self.w("dialog.not_used"), IGNORE),
                *((f"{name}  {desc}", name) for name, desc in self.columns),
            ]
            with VerticalScroll(classes="mapping"):
                for i, header in enumerate(self.headers):
                    with Horizontal(classes="mapping-row"):
                        yield Label(Text(header), classes="header-name")
                        yield Select(
                            options, value=self.mapping.get(header, IGNORE), allow_blank=False, id=f"map-{i}"
                        )
            yield Static("", id="error", classes="error")
            with Horizontal(classes="buttons"):
                yield Button(self.w("dialog.map_apply"), variant="primary", id="apply")
                yield Button(self.w("dialog.cancel"), id="cancel")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id != "apply":
            self.dismiss(None)
            return
        mapping: dict[str, str] = {}
        for i, header in enumerate(self.headers):
            value = self.query_one(f"#map-{i}", Select).value
            if value != IGNORE:
                if value in mapping.values():
                    other = next(h for h, c in mapping.items() if c == value)
                    self.query_one("#error", Static).update(
                        self.w("dialog.both_map", first=other, second=header, column=value)
                    )
                    return
                mapping[header] = str(value)
        self.dismiss(mapping)


class MessageDialog(Dialog):
    """A message to read, closed with enter or escape."""

    BINDINGS = [Binding("escape,enter", "cancel", "close")]

    def __init__(self, title: str, message: str, error: bool = False, lang: Lang = "en") -> None:
        super().__init__()
        self.title_text, self.message, self.error, self.lang = title, message, error, lang

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label(
                Text(self.title_text), classes="dialog-title error-title" if self.error else "dialog-title"
            )
            with VerticalScroll(classes="message"):
                yield Static(Text(self.message))
            with Horizontal(classes="buttons"):
                yield Button(self.w("dialog.ok"), variant="primary", id="ok")

    def on_mount(self) -> None:
        self.query_one("#ok", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(None)
