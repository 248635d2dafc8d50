"""Editing a scheme's rules in the workbench: every change validated before it is applied,
undoable, and saved as a scheme file (atomically) that the scenario then names.

The changes themselves are ``workbench.scheme.editing``; this module keeps the
history and puts the changed scheme where the session reads it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

import tomli_w

from workbench.errors import SchemeError
from workbench.files import confine
from workbench.files.atomic import atomic_write_text
from workbench.files.portfolios import check_columns
from workbench.scheme.exporting import scheme_data
from workbench.scheme.model import Scheme
from workbench.scheme.validation import validate_scheme
from workbench.text import Text

if TYPE_CHECKING:
    from workbench.live.editing import Snapshot
    from workbench.live.session import LiveSession

EDITED = "edited in the workbench (unsaved)"


@dataclass(frozen=True)
class Before:
    """What a rule change replaced: the scheme, where it came from, the settings."""

    scheme: Scheme
    origin: str
    file: Path | None
    state: Snapshot


class RuleEdits:
    """The rule changes made to the schemes of one live session."""

    def __init__(self, live: LiveSession) -> None:
        self.live = live
        self._undo: list[Before] = []

    @property
    def scheme(self) -> Scheme:
        return self.live.edit.scheme

    @property
    def unsaved(self) -> bool:
        return self.live.registry.scheme_plugin.get(self.scheme.id) == EDITED

    def apply(self, change: Callable[[Scheme], Scheme]) -> Scheme:
        """Apply a change to the shown scheme; a change that leaves the rules invalid (or
        needs a column the portfolio lacks) raises with every problem, changing nothing."""
        live, registry = self.live, self.live.registry
        old = self.scheme
        new = change(old)
        problems = validate_scheme(new, registry.drivers)
        if problems:
            listed_en, listed_zh = "; ".join(p.en for p in problems), ";".join(p.zh or p.en for p in problems)
            raise SchemeError(Text(f"the change is not applied: {listed_en}", f"未应用此修改:{listed_zh}"))
        if live.portfolio is not None:
            check_columns(new, live.portfolio)
        self._undo.append(
            Before(
                old,
                registry.scheme_plugin.get(old.id, ""),
                registry.scheme_files.get(old.id),
                live.edit.state,
            )
        )
        self._install(new, EDITED, registry.scheme_files.get(old.id))
        live.edit.adopt_rules(new, old)
        return new

    def undo(self) -> bool:
        """Return to the rules before the last change (and the settings then)."""
        if not self._undo:
            return False
        before = self._undo.pop()
        self._install(before.scheme, before.origin, before.file)
        self.live.edit.state = before.state
        self.live.edit.mark_unsaved()
        return True

    def write(self, path: Path) -> None:
        """Write the shown scheme as a scheme file, atomically (nothing else changes)."""
        text = "# Written by the Tiering Workbench; docs/scheme-files.md explains every key.\n"
        atomic_write_text(path, text + tomli_w.dumps(scheme_data(self.scheme), multiline_strings=True))

    def save(self, path: Path) -> None:
        """Write the shown scheme as a scheme file (atomically; the front end asks before
        replacing a file) and make the scenario name it."""
        scheme = self.scheme
        confine.check(path, Text("scheme file", "方案文件"))
        self.write(path)
        self._install(scheme, f"file {path.resolve()}", path.resolve())
        edit = self.live.edit
        edit.opened = replace(edit.opened, scheme=scheme.id, scheme_file=str(path.resolve()))

    def _install(self, scheme: Scheme, origin: str, file: Path | None) -> None:
        registry = self.live.registry
        registry.schemes[scheme.id] = scheme
        registry.scheme_plugin[scheme.id] = origin
        if file is None:
            registry.scheme_files.pop(scheme.id, None)
        else:
            registry.scheme_files[scheme.id] = file
