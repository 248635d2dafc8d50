"""A portfolio over months in the live session: the panel behind the shown month, the
evaluation policy (saved with the scenario) and the replay of every month."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from workbench.core.policy import Policy
from workbench.core.replay import Replay, Replayer
from workbench.errors import WorkbenchError
from workbench.files.panel import Panel
from workbench.present.replaying import customer_table
from workbench.text import Lang

if TYPE_CHECKING:
    from workbench.live.session import LiveSession


class Months:
    def __init__(self, live: LiveSession) -> None:
        self.live = live
        self._replayer: tuple[Panel, Replayer] | None = None  # the panel it replays

    @property
    def panel(self) -> Panel | None:
        """The portfolio over months the shown one is the latest month of, if any."""
        live = self.live
        return live.runs.panel_of(live.portfolio) if live.portfolio is not None else None

    @property
    def policy(self) -> Policy:
        scenario = self.live.edit.scenario
        return Policy.checked(self.live.edit.scheme, scenario.policy, scenario.where)

    def set_policy(self, values: Mapping[str, Any]) -> None:
        """Change evaluation-policy keys (checked first; saved with the scenario)."""
        edit = self.live.edit
        merged = {**edit.opened.policy, **values}
        Policy.checked(edit.scheme, merged)
        edit.opened = replace(edit.opened, policy=merged)
        edit.mark_unsaved()

    def replay(self) -> Replay:
        """Every month of the panel under the current settings and policy (in a worker)."""
        panel = self.panel
        if panel is None:
            raise WorkbenchError(
                "the portfolio is a single month: open a portfolio over months (a file with a month "
                "column, or a folder of monthly files)",
                zh="客户数据只有一个月:请打开按月的客户数据(含月份列的文件,或按月的文件夹)",
            )
        edit = self.live.edit
        kept = self._replayer
        if kept is None or kept[0] is not panel or kept[1].scheme is not edit.scheme:
            replayer = Replayer(edit.scheme, panel.months, panel.portfolios, self.live.registry.drivers)
            self._replayer = kept = (panel, replayer)
        return kept[1].run(edit.settings(), self.policy)  # a threshold change moves only what it can

    def customer_lines(self, customer_id: str, lang: Lang) -> list[str]:
        """A customer's months under the current settings and policy, as lines (none when the
        portfolio is a single month or the customer is not in the panel)."""
        if self.panel is None:
            return []
        result = self.replay()
        index = result.customer(customer_id)
        return [] if index is None else customer_table(result, index, lang).render().splitlines()
