"""The header line (portfolio, scheme, scenario) and the status line."""

from __future__ import annotations

from typing import Any

from rich.text import Text

from workbench import fmt
from workbench.present.words import word
from workbench.text import Lang
from workbench.tui.widgets.redraw import Redrawn
from workbench.tui.widgets.sized import ShownForWidth


class HeaderBar(Redrawn, ShownForWidth):
    compact = False

    def show(
        self,
        *,
        portfolio: str,
        customers: int,
        aum: float,
        scheme: str,
        scenario: str,
        dirty: bool,
        lang: Lang,
    ) -> None:
        self.shown(  # it is cut to its width
            lambda: self.show(
                portfolio=portfolio,
                customers=customers,
                aum=aum,
                scheme=scheme,
                scenario=scenario,
                dirty=dirty,
                lang=lang,
            )
        )
        text = Text()
        if self.compact:
            text.append(f" {word('app.short_title', lang)} ", style="bold reverse")
            text.append(f" {scheme}", style="bold")
            text.append(" · ", style="dim")
            text.append(scenario, style="bold")
            if dirty:
                text.append(" *", style="bold yellow")
            text.append(f" · {portfolio}", style="dim")
            self.redraw(text)
            return
        text.append(f" {word('app.title', lang)} ", style="bold reverse")
        text.append(f"  {word('header.scenario', lang)}: ", style="dim")
        text.append(scenario, style="bold")
        if dirty:
            text.append(" *", style="bold yellow")
        text.append("  ·  ", style="dim")
        text.append(scheme, style="bold")
        text.append("  ·  ", style="dim")
        text.append(portfolio)
        count = word("header.customers", lang, count=fmt.number(customers))
        amount = word("header.aum", lang, amount=fmt.money(aum, lang, compact=True))
        text.append(f" · {count} · {amount}", style="dim")
        text.truncate(max(self.content_size.width, 40), overflow="ellipsis")
        self.redraw(text)


BAR = 20  # cells of the progress bar


class StatusLine(Redrawn):
    """One line: the latest message on the left, the last recompute time on the right."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.message = ""
        self.message_style = ""
        self.timing = ""
        self.work = ""
        self.work_done: float | None = None
        self.work_percent = True

    def say(self, message: str, style: str = "") -> None:
        self.message, self.message_style = message, style
        self._render_line()

    def timed(self, timing: str) -> None:
        self.timing = timing
        self._render_line()

    def activity(self, label: str, done: float | None = None, percent: bool = True) -> None:
        """Background work in progress (``done`` from 0 to 1), shown before the timing;
        an empty label clears it."""
        self.work, self.work_done, self.work_percent = label, done, percent
        self._render_line()

    def _render_line(self) -> None:
        text = Text(" " + self.message, style=self.message_style)
        right = Text()
        if self.work:
            right.append(self.work + " ", style="bold")
            if self.work_done is not None:
                filled = round(BAR * self.work_done)
                right.append("━" * filled, style="green")
                right.append("━" * (BAR - filled), style="dim")
                right.append(f" {self.work_done:4.0%}  " if self.work_percent else "  ")
        right.append(self.timing, style="dim")
        gap = max(1, self.size.width - text.cell_len - right.cell_len - 1)
        text.append(" " * gap)
        text.append_text(right)
        self.redraw(text)
