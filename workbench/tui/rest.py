"""The rest of a portfolio file: the columns the shown scheme does not read, read once the
first figures are up, tuning is prepared and the planner has paused (on one core: the
other keeps the workbench quick meanwhile)."""

from __future__ import annotations

import time

from textual import work
from textual.timer import Timer

from workbench.errors import WorkbenchError
from workbench.tui import messages
from workbench.tui.base import NOTES_SHOWN_S, WorkbenchBase
from workbench.tui.widgets.bars import StatusLine

REST_AFTER_S = 1.0  # a pause this long after the last change before the rest is read


class RestActions(WorkbenchBase):
    _rest_timer: Timer | None = None
    rest_read_s: float | None = None  # how long reading the rest of the last file took
    rest_columns = 0  # and how many columns it was

    def read_rest_when_quiet(self) -> None:
        """(Re)start the wait before reading the rest of the shown portfolio's file."""
        portfolio = self.portfolio
        if portfolio is None or portfolio.complete:
            return
        if self._rest_timer is not None:
            self._rest_timer.stop()
        self._rest_timer = self.set_timer(REST_AFTER_S, self._read_rest_now)

    def _read_rest_now(self) -> None:
        self._rest_timer = None
        busy = any(w.is_running and w.group in ("prepare", "simulate", "load") for w in self.workers)
        if busy:
            self.read_rest_when_quiet()
            return
        portfolio = self.portfolio
        closing = self.main is None or not self.main.query(StatusLine)  # the workbench is closing
        if not closing and portfolio is not None and not portfolio.complete:
            name = portfolio.label(self.lang)
            self.screen_main.status_line.activity(
                self.w("status.reading_rest", count=len(portfolio.pending), name=name), None
            )
            self.read_rest_worker()

    @work(thread=True, exclusive=True, group="rest", exit_on_error=False)
    def read_rest_worker(self) -> None:
        started, portfolio = time.perf_counter(), self.portfolio
        try:
            read = self.live.read_the_rest()
        except WorkbenchError as exc:
            self.post_message(messages.RestFailed(portfolio, self.said(exc)))
            return
        if read is not None:
            self.post_message(messages.RestRead(portfolio, *read, time.perf_counter() - started))

    def on_rest_read(self, message: messages.RestRead) -> None:
        portfolio = self.portfolio
        if portfolio is None or message.portfolio is not portfolio:
            return  # another portfolio is shown by now
        self.screen_main.status_line.activity("")
        self.rest_read_s, self.rest_columns = message.elapsed, message.count
        took = self.w("status.took", seconds=f"{message.elapsed:.1f}") if self.show_timings else ""
        count = len(portfolio.frame.columns)
        name = portfolio.label(self.lang)
        self.status(self.w("status.rest_read", name=name, count=count, rest=message.count, took=took))
        if message.notes:
            said = "\n".join(note.get(self.lang) for note in message.notes)
            title = self.w("notes.title", name=name)
            self.notify(said, title=title, timeout=NOTES_SHOWN_S, markup=False)  # file text is not markup

    def on_rest_failed(self, message: messages.RestFailed) -> None:
        portfolio = self.portfolio
        if portfolio is None or message.portfolio is not portfolio:
            return
        self.screen_main.status_line.activity("")
        kept = self.w("error.rest_kept", columns=", ".join(map(str, portfolio.frame.columns)))
        self.show_error(self.w("error.rest"), f"{message.message}\n\n{kept}")
