"""Export from the workbench: a path dialog prefilled beside the open scenario, a question
before replacing a file, the report written in a worker (the same report the command
line's ``compare --output`` writes); in a browser (``workbench serve``) it then downloads."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from textual import work

from workbench.errors import WorkbenchError
from workbench.live import REPORT_FORMATS, Run, write_report
from workbench.tui import messages
from workbench.tui.base import WorkbenchBase
from workbench.tui.screens.dialogs import PathDialog


class ExportActions(WorkbenchBase):
    def action_export(self, runs: Sequence[Run] | None = None) -> None:
        """Ask where, then write the report: of ``runs`` (the comparison screen's), else of
        the scenario against its baseline."""
        if self.portfolio is None:
            return
        proposed = self.live.report_path()

        def chosen(path: Path | None) -> None:
            if path is None:
                return
            if path.suffix.lower() not in REPORT_FORMATS:
                path = path.with_suffix(".xlsx")

            def write() -> None:
                self._export_worker(path, list(runs) if runs else None)

            if path.exists():
                self.ask_replace(path, write, lambda: self.action_export(runs))
            else:
                write()

        self.push_screen(
            PathDialog(
                self.w("dialog.export"),
                proposed.parent,
                REPORT_FORMATS,
                initial=str(proposed),
                must_exist=False,
                hint=self.w("dialog.export_hint"),
                lang=self.lang,
            ),
            chosen,
        )

    @work(thread=True, exclusive=True, group="export", exit_on_error=False)
    def _export_worker(self, path: Path, runs: list[Run] | None) -> None:
        self.post_message(messages.Exporting(path))
        try:
            shown = runs if runs is not None else self.live.report_runs(self.lang)
            write_report(shown, path, self.lang)
        except (WorkbenchError, OSError) as exc:
            self.post_message(messages.ExportFailed(path, self.said(exc)))
            return
        self.post_message(messages.Exported(path))

    def on_exporting(self, message: messages.Exporting) -> None:
        self.status(self.w("status.exporting", path=message.path))

    def on_export_failed(self, message: messages.ExportFailed) -> None:
        self.show_error(self.w("error.export"), message.message)

    def on_exported(self, message: messages.Exported) -> None:
        self.status(self.w("status.exported", path=message.path))
        self.notify(str(message.path), title=self.w("status.exported_title"), markup=False)
        if self.is_web:  # in a browser: the report also downloads to the browser user's machine
            self.deliver_binary(message.path, save_filename=message.path.name)
