"""Rich text helpers for the TUI: signed, coloured deltas; quiet zeros."""

from __future__ import annotations

from rich.text import Text

from workbench import fmt
from workbench.text import Lang

UP_GOOD = "green"
DOWN_BAD = "red"
QUIET = "dim"


def delta(
    value: float,
    *,
    money: bool = False,
    lang: Lang = "en",
    higher_is_good: bool = True,
    compact: bool = False,
    text: str | None = None,
    quiet_below: float = 0.005,
) -> Text:
    """A signed change: green when it is good news, red when bad, dim zero.

    ``text`` replaces the default formatting (a signed count or amount)."""
    if abs(value) < quiet_below:
        return Text("0", style=QUIET, justify="right")
    if text is None:
        text = fmt.signed_money(value, lang, compact) if money else fmt.signed(value)
    good = (value > 0) == higher_is_good
    return Text(text, style=UP_GOOD if good else DOWN_BAD, justify="right")


def right(text: str, style: str = "") -> Text:
    return Text(text, style=style, justify="right")
