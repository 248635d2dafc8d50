"""A portfolio over months in the live session: the panel behind the shown month, the
evaluation policy (saved with the scenario) and the replay of every month."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from workbench.core.policy import Policy
from workbench.core.portfolio import Portfolio
from workbench.core.replay import Replay, Replayer
from workbench.errors import WorkbenchError
from workbench.files.panel import Panel
from workbench.planning.runs import PanelMonth
from workbench.present.replaying import PolicyRow, customer_table, policy_rows
from workbench.text import Lang, Text

if TYPE_CHECKING:
    from workbench.live.session import LiveSession


class Months:
    def __init__(self, live: LiveSession) -> None:
        self.live = live
        self._replayer: tuple[Panel, Replayer] | None = None  # the panel it replays
        self._replaying = threading.Lock()  # one replay at a time: a replayer keeps state

    @property
    def panel(self) -> Panel | None:
        """The portfolio over months the shown one is the latest month of, if any."""
        live = self.live
        return live.runs.panel_of(live.portfolio) if live.portfolio is not None else None

    @property
    def policy(self) -> Policy:
        edit = self.live.edit
        return Policy.checked(edit.scheme, edit.state.policy, edit.scenario.where)

    @property
    def shown(self) -> PanelMonth | None:
        """Which month of the panel the other panels show, and over which window."""
        live = self.live
        return live.runs.month_of(live.portfolio) if live.portfolio is not None else None

    def set_policy(self, values: Mapping[str, Any]) -> None:
        """Change evaluation-policy keys (checked first; undoable, saved with the scenario);
        the month shown follows a new window."""
        self.live.edit.set_policy(values)
        self.refit()

    def rows(self, lang: Lang) -> list[PolicyRow] | None:
        """The policy keys as rows of the parameter panel (None on a single month)."""
        if self.shown is None:
            return None
        return policy_rows(self.policy, Policy.default(self.live.edit.scheme), lang)

    def nudge(self, key: str, steps: int) -> Text | None:
        """Move a policy key a step (see ``Policy.nudged``); why not, when it is at its bound."""
        before = self.policy
        after = before.nudged(key, steps)
        if after == before:
            return Text(f"{key} is at its bound", f"{key} 已到边界")
        self.set_policy({key: after.as_dict()[key]})
        return None

    def reset(self, key: str) -> None:
        """A policy key back to the scheme's default."""
        self.live.edit.reset_policy(key)
        self.refit()

    def fit(self, portfolio: Portfolio) -> Portfolio:
        """``portfolio``, or the same month of its panel over the current policy's window."""
        edit = self.live.edit
        scenario = replace(edit.scenario, policy=dict(edit.state.policy))  # the policy as edited
        return self.live.runs.fitted(portfolio, scenario, edit.scheme)

    def refit(self) -> bool:
        """Show the same month over the window the scheme and policy now give (after a scheme
        switch or a window change); True when the portfolio shown changed."""
        live = self.live
        if live.portfolio is None or self.shown is None:
            return False
        fitted = self.fit(live.portfolio)
        if fitted is live.portfolio:
            return False
        live.adopt(fitted, live.scenario.portfolio)
        return True

    def show_month(self, month: str) -> None:
        """Show ``month`` of the panel in the other panels (over the policy's window)."""
        shown = self.shown
        if shown is None or month not in shown.panel.months:
            raise WorkbenchError(f"{month}: not a month of the panel", zh=f"{month}:不是该数据中的月份")
        index = shown.panel.months.index(month)
        window = self.policy.window_months
        live = self.live
        live.adopt(live.runs.panel_month(shown.panel, index, window), live.scenario.portfolio)

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
        with self._replaying:
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
