"""Confirm on the full book: on a sample of a book too big for memory, the batch runs on
a Dask cluster in a worker, and the exact figures replace the estimates (which stay beside
them until the next change)."""

from __future__ import annotations

from textual import work

from workbench.errors import WorkbenchError
from workbench.text import Text
from workbench.tui import messages
from workbench.tui.base import WorkbenchBase


class ConfirmActions(WorkbenchBase):
    def action_confirm_full(self) -> None:
        if self.portfolio is None:
            return
        if not self.live.book.active:
            self.status(self.w("status.exact_already"))
            return
        self.status(self.w("status.confirming"))
        self._confirm_worker()

    @work(thread=True, exclusive=True, group="confirm", exit_on_error=False)
    def _confirm_worker(self) -> None:
        def say(text: Text) -> None:
            self.call_from_thread(self.status, text.get(self.lang))

        try:
            self.live.book.confirm(say)
        except (WorkbenchError, OSError) as exc:
            self.post_message(messages.Confirmed(self.said(exc)))
            return
        self.post_message(messages.Confirmed())

    def on_confirmed(self, message: messages.Confirmed) -> None:
        if message.error is not None:
            self.show_error(self.w("error.confirm"), message.error)
            return
        self.status(self.w("status.confirmed"))
        self.schedule()
