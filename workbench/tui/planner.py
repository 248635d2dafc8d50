"""The planner's tools in the workbench: compare, sweep, solve, explain.

Each asks for its inputs in a dialog and runs in a worker on the live
session's planning engine (tuning is not disturbed); the worker posts the
outcome, which is shown and, for a sweep value or a solution, applied to the
scenario as one undoable change.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from textual import work

from workbench.errors import WorkbenchError
from workbench.live import Outcome, Scenario, Sweep, load_scenario
from workbench.present.explaining import differences, explanation_lines
from workbench.present.solving import describe
from workbench.present.sweeping import sentence
from workbench.tui import messages
from workbench.tui.base import WorkbenchBase
from workbench.tui.screens.compare import CompareScreen
from workbench.tui.screens.picking import MultiPickDialog
from workbench.tui.screens.planning import (
    ExplainDialog,
    ExplainScreen,
    OutcomeDialog,
    SolveDialog,
    SweepDialog,
    SweepScreen,
)

ERRORS = {
    "sweep": "error.sweep",
    "solve": "error.solve",
    "explain": "error.explain",
    "compare": "error.compare",
}


class PlannerActions(WorkbenchBase):
    @work(thread=True, exclusive=True, group="plan", exit_on_error=False)
    def plan_worker(self, kind: str, request: Any) -> None:
        """Run one planner tool on the live session; post what came of it."""
        live = self.live
        try:
            if kind == "sweep":
                outcome: Any = live.sweep(
                    request["param"], request["start"], request["stop"], request["steps"]
                )
            elif kind == "solve":
                outcome = live.solve(request["goal"], request["tier"], request["amount"], request["vary"])
            elif kind == "explain":
                outcome = (*live.explain(request, self.lang), live.months.customer_lines(request, self.lang))
            else:
                outcome = live.compare(request)
        except WorkbenchError as exc:
            field = f"{self.w('field.' + exc.field)}: " if exc.field else ""
            self.post_message(messages.PlannerFailed(kind, field + self.said(exc)))
            return
        self.post_message(messages.PlannerDone(kind, outcome, request))

    def on_planner_failed(self, message: messages.PlannerFailed) -> None:
        self.status("")
        self.show_error(self.w(ERRORS[message.kind]), message.message)

    def on_planner_done(self, message: messages.PlannerDone) -> None:
        self.status("")
        shows: dict[str, Callable[[Any, Any], None]] = {
            "sweep": self._show_sweep,
            "solve": self._show_outcome,
            "explain": self._show_explanation,
            "compare": self._show_comparison,
        }
        shows[message.kind](message.outcome, message.request)

    # -- compare -----------------------------------------------------------------------------

    def action_compare(self) -> None:
        files = self.live.scenario_files()
        name = self.live.title.get(self.lang)
        current = self.w("dialog.current_unsaved" if self.dirty else "dialog.current", name=name)
        items = [("__current__", current)]
        opened = self.live.scenario.path
        items += [
            (str(f.path), f"{f.name}  ({f.path.name})")
            for f in files
            if opened is None or f.path.resolve() != opened.resolve()  # the current one is listed once
        ]
        self.push_screen(
            MultiPickDialog(self.w("dialog.compare"), items, ["__current__"], lang=self.lang),
            self._compare_chosen,
        )

    def _compare_chosen(self, chosen: list[str] | None) -> None:
        if not chosen:
            return
        scenarios: list[Scenario] = []
        for key in chosen:
            if key == "__current__":
                current = self.edit.to_scenario()
                scenarios.append(replace(current, name=current.name or self.live.title.get(self.lang)))
                continue
            try:
                scenarios.append(load_scenario(key))
            except WorkbenchError as exc:
                self.show_error(self.w("error.read"), self.said(exc))
                return
        self.status(self.w("status.comparing"))
        self.plan_worker("compare", scenarios)

    def _show_comparison(self, runs: Any, _request: Any) -> None:
        self.push_screen(CompareScreen(runs, self.lang))

    # -- sweep ---------------------------------------------------------------------------------

    def action_sweep(self) -> None:
        if self.portfolio is None:
            return
        key = self.live.selected_key or ""
        pid = key.removeprefix("param:") if key.startswith("param:") else None

        def go(answer: dict[str, Any] | None) -> None:
            if answer:
                self.status(self.w("status.sweeping"))
                self.plan_worker("sweep", answer)

        self.push_screen(SweepDialog(self.edit.scheme, dict(self.edit.params), pid, self.lang), go)

    def _show_sweep(self, result: Sweep, _request: Any) -> None:
        self.status(sentence(result, self.lang))

        def use(value: float | None) -> None:
            if value is not None:
                self.changed(self.edit.set_param(result.parameter.id, value))

        self.push_screen(SweepScreen(result, self.lang), use)

    # -- solve ------------------------------------------------------------------------------------

    def action_solve(self) -> None:
        if self.portfolio is None:
            return

        def go(answer: dict[str, Any] | None) -> None:
            if answer:
                self.status(self.w("status.solving"))
                self.plan_worker("solve", answer)

        result = self.view.result if self.view is not None else None
        shares = (
            [float(result.counts[i:].sum()) / max(result.customers, 1) for i in range(len(result.counts))]
            if result is not None
            else []
        )
        cost = result.total_benefit_cost if result is not None else 0.0
        self.push_screen(SolveDialog(self.edit.scheme, self.lang, shares, cost), go)

    def _show_outcome(self, outcome: Outcome, _request: Any) -> None:
        def apply(yes: bool | None) -> None:
            if yes:
                self.changed(self.edit.set_params({pid: new for pid, (_, new) in outcome.changed.items()}))

        title = self.w("solve.solved" if outcome.reached else "solve.not_reached")
        text = describe(outcome, self.lang)
        self.push_screen(OutcomeDialog(title, text, bool(outcome.changed), self.lang), apply)

    # -- explain ----------------------------------------------------------------------------------

    def action_explain(self) -> None:
        if self.portfolio is None:
            return

        def go(customer: str | None) -> None:
            if customer:
                self.status(self.w("status.explaining"))
                self.plan_worker("explain", customer)

        self.push_screen(ExplainDialog(self.live.example_customer(), self.lang), go)

    def _show_explanation(self, outcome: Any, customer_id: str) -> None:
        now, before, months = outcome
        lines = [
            *explanation_lines(now, self.lang),
            "",
            self.w("explain.differs"),
            *("  " + d for d in differences(before, now, self.lang)),
        ]
        if months:  # a portfolio over months: the customer's months under the policy
            lines += ["", *months]
        self.push_screen(ExplainScreen(customer_id, lines, self.lang))
