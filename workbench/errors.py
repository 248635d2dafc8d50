"""Errors a user can act on. Front ends print their message, never a traceback.

A message says what is wrong and where in the user's files; it never names a
command-line flag or a key. What the user gave is in structured fields
(``field``: the input at fault, ``suggested``: a likely column mapping), and
each front end words its own hint from them: the command line names its
flag (``--steps``, ``--map 'X=aum'``), the workbench its dialog.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from workbench.text import Lang, Text


def did_you_mean(name: str, valid: Iterable[str]) -> str:
    """`` (did you mean X?)`` when a valid name is close to a mistyped one, else empty."""
    valid = list(valid)
    close = difflib.get_close_matches(name, valid, n=1, cutoff=0.75)
    if not close:
        close = [v for v in valid if name and (v.startswith(name) or name.startswith(v))][:1]
    return f" (did you mean {close[0]!r}?)" if close else ""


def number_kind(found: object) -> str:
    """What was expected where a number was not found: "a finite number" for NaN and
    infinities, else "a number"."""
    return "a finite number" if isinstance(found, float) else "a number"


class WorkbenchError(Exception):
    """A mistake in the user's input, with a message that says what and where.

    ``field`` names the input at fault when it is one the user typed (``steps``,
    ``range``, ``param``, ``target``, ``vary``, ``budget``, ``output``) and
    ``value`` what they typed there, as shown: front ends prefix the message
    with their own name for the field. The text is ``value: message``.
    ``settle`` names the setting that would settle the matter (``unit``,
    ``decimal``): front ends say how to give it. A message given as ``Text`` (or with
    ``zh``) exists in Chinese too: ``in_lang`` is the one to show; ``str()`` is English.
    """

    def __init__(
        self,
        message: str | Text,
        *,
        field: str | None = None,
        value: str | None = None,
        settle: str | None = None,
        zh: str = "",
    ) -> None:
        said = message if isinstance(message, Text) else Text(message, zh)
        prefix = f"{value}: " if value else ""
        self.text = Text(prefix + said.en, prefix + said.zh if said.zh else "")
        super().__init__(self.text.en)
        self.field = field
        self.value = value
        self.settle = settle

    def in_lang(self, lang: Lang) -> str:
        """The message in ``lang`` (English where it has no Chinese yet)."""
        return self.text.get(lang)


class PortfolioError(WorkbenchError):
    """A portfolio file cannot be read or does not hold what a scheme needs."""


class ScenarioError(WorkbenchError):
    """A scenario file or a parameter, option or cost assumption is invalid."""


class SchemeError(WorkbenchError):
    """A scheme declaration is invalid, or a scheme failed while classifying."""


class UnmappedColumns(PortfolioError):
    """Columns a scheme needs were not found; carries what is needed to map them by hand.

    ``base`` is the finding, ``notes`` how the file was read; the text is both."""

    def __init__(
        self,
        message: str,
        headers: list[str],
        mapping: dict[str, str],
        missing: list[str],
        suggested: dict[str, str] | None = None,
        unrecognised: list[str] | None = None,
        notes: tuple[object, ...] = (),  # notes on how the file was read (text in both languages)
    ) -> None:
        super().__init__(message + "".join(f"; {note}" for note in notes))
        self.base = message
        self.notes = notes
        self.headers = headers
        self.mapping = mapping
        self.missing = missing
        self.suggested = suggested or {}  # header -> column: unrecognised headers most like the missing
        self.unrecognised = unrecognised if unrecognised is not None else []
