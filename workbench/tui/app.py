"""The Tiering Workbench application.

The app holds an ``EditSession`` (what the planner is changing) and a
portfolio; every change schedules a simulation in a thread worker, and the
result is painted when it arrives, unless a newer change has been made
since. Widgets receive what to show ("attributes down") and report what the
planner asked for ("messages up"); no figure is computed here.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Mapping
from dataclasses import replace
from pathlib import Path

from textual import work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.reactive import reactive
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer
from textual.worker import get_current_worker

from workbench import recovery
from workbench.comparing import run_all
from workbench.costs import resolve_assumptions
from workbench.distribution import histogram, near_threshold
from workbench.editing import EditSession
from workbench.engine import Engine, Settings, missing_columns
from workbench.errors import UnmappedColumns, WorkbenchError
from workbench.explain import differences, explain
from workbench.plugins import Registry, default_registry
from workbench.portfolio import SUPPORTED_SUFFIXES, Portfolio
from workbench.result import Result
from workbench.scenario import PortfolioRef, Scenario, load_scenario, save_scenario
from workbench.session import Session, portfolio_notes
from workbench.solve import Solver, Target, describe
from workbench.sweep import sweep
from workbench.text import Lang
from workbench.tui.commands import ScenarioCommands, SchemeCommands
from workbench.tui.screens.compare import CompareScreen
from workbench.tui.screens.dialogs import (
    AssumptionDialog,
    ChoiceDialog,
    ColumnMappingDialog,
    ConfirmDialog,
    MessageDialog,
    MultiPickDialog,
    PathDialog,
    PickDialog,
    ValueDialog,
)
from workbench.tui.screens.help import HelpScreen
from workbench.tui.screens.planning import (
    ExplainDialog,
    ExplainScreen,
    OutcomeDialog,
    SolveDialog,
    SweepDialog,
    SweepScreen,
)
from workbench.tui.view import Marker, View
from workbench.tui.widgets.bars import HeaderBar, StatusLine
from workbench.tui.widgets.charts import DistributionChart, PyramidChart
from workbench.tui.widgets.parameters import ParameterTable, param_value_text
from workbench.tui.widgets.tables import BreakdownTable, CostTable, MigrationTable, TierTable
from workbench.tuning import Tuner

NARROW = 140
PREPARE_AFTER_S = 0.4  # quiet time before sorting for instant tuning
PROGRESS_FROM_ROWS = 1_000_000  # below, preparing is over before progress could be read
LOAD_STEPS = 3  # reading, computing metrics, classifying
KEEP_AFTER_S = 0.5  # quiet time before unsaved changes are written for recovery
NOTES_SHOWN_S = 15  # how long notes on how a file was read stay on screen
AT_ONCE_ROWS = 250_000  # an update reclassifying at most these runs on the UI thread (a few ms)


class MainScreen(Screen):
    """The workbench screen: parameters, tiers, charts, migration, costs."""

    BINDINGS = [
        Binding("q", "app.quit_guarded", "quit"),
        Binding("f1,question_mark", "app.help", "help"),
        Binding("k", "app.pick_scheme", "scheme"),
        Binding("f", "app.open_portfolio", "portfolio"),
        Binding("o", "app.open_scenario", "open"),
        Binding("s", "app.save", "save"),
        Binding("S", "app.save_as", "save as", show=False),
        Binding("c", "app.compare", "compare"),
        Binding("b", "app.pin_baseline", "baseline"),
        Binding("B", "app.default_baseline", "default baseline", show=False),
        Binding("a", "app.toggle_measure", "AUM/customers", show=False),
        Binding("d", "app.toggle_changes", "Δ all", show=False),
        Binding("v", "app.sweep", "sweep", show=False),
        Binding("t", "app.solve", "solve", show=False),
        Binding("e", "app.explain", "explain", show=False),
        Binding("l", "app.toggle_lang", "中文/English"),
        Binding("R", "app.reset_all", "reset all", show=False),
        Binding("ctrl+z,u", "app.undo", "undo"),
        Binding("ctrl+y,U", "app.redo", "redo", show=False),
    ]

    def compose(self) -> ComposeResult:
        yield HeaderBar(id="header")
        with Horizontal(id="body"):
            with Vertical(id="left"):
                yield ParameterTable(id="parameters")
                yield DistributionChart(id="distribution")
            with VerticalScroll(id="right", can_focus=False):
                yield TierTable(id="tiers")
                with Horizontal(id="charts"):
                    yield PyramidChart(id="pyramid")
                    yield MigrationTable(id="migration")
                yield BreakdownTable(id="breakdown")
                yield CostTable(id="costs")
        yield StatusLine(id="status")
        yield Footer()


class WorkbenchApp(App):
    CSS_PATH = "workbench.tcss"
    TITLE = "Tiering Workbench"
    COMMANDS = App.COMMANDS | {SchemeCommands, ScenarioCommands}
    BINDINGS = [Binding("f1", "help", "help", show=False)]

    lang: reactive[Lang] = reactive("en", init=False)
    measure: reactive[str] = reactive("customers", init=False)

    def __init__(
        self,
        scenario: Scenario | None = None,
        *,
        params: Mapping[str, float] | None = None,
        options: Mapping[str, str] | None = None,
        portfolio_path: Path | None = None,
        registry: Registry | None = None,
        scenario_dirs: Iterable[Path] = (),
        lang: Lang = "en",
        show_timings: bool = True,
    ) -> None:
        super().__init__()
        self.show_timings = show_timings
        self.main: MainScreen | None = None
        self.registry = registry or default_registry()
        scenario = scenario or Scenario(scheme=self._default_scheme())
        if scenario.path is None and not scenario.name:
            scenario.name = "untitled"
        if portfolio_path is not None:
            scenario.portfolio = PortfolioRef(path=str(Path(portfolio_path).resolve()))
        self.session = Session(self.registry)
        self.edit = EditSession(self.registry, scenario)
        for key, value in (params or {}).items():
            if error := self.edit.set_param(key, value):
                raise WorkbenchError(error)
        for key, value in (options or {}).items():
            if error := self.edit.set_option(key, value):
                raise WorkbenchError(error)
        self.extra_scenario_dirs = [Path(d) for d in scenario_dirs]
        self.portfolio: Portfolio | None = None
        self.baseline: Scenario | None = None
        self.view: View | None = None
        self.selected_key: str | None = None
        self.selected_tier: int | None = None
        self.latencies: list[float] = []
        self._seq = 0
        self._lock = threading.Lock()
        self._baseline_cache: dict[tuple, Result] = {}
        self._histograms: dict[int, tuple] = {}
        self._tuner: Tuner | None = None
        self._load_shown = False
        self._change_started: float | None = None
        self.portfolio_changed = False
        self.painted_seq = 0
        self._keep_timer: Timer | None = None
        self.set_reactive(WorkbenchApp.lang, lang)

    def _default_scheme(self) -> str:
        ids = sorted(self.registry.schemes)
        if not ids:
            raise WorkbenchError("no schemes are installed; run `workbench schemes` to see plugin errors")
        return "industrial-bank" if "industrial-bank" in ids else ids[0]

    # -- layout --------------------------------------------------------------

    async def on_mount(self) -> None:
        self.main = MainScreen()
        await self.push_screen(self.main)
        self._titles()
        self._adapt(self.size.width)
        self.main.query_one(ParameterTable).focus()
        self._show_parameters()
        if not self._offer_recovery():
            self._begin()

    def _begin(self) -> None:
        """Load the scenario's baseline and portfolio."""
        scenario = self.edit.scenario
        if scenario.baseline:
            try:
                path = scenario.baseline_path()
                self.baseline = load_scenario(path) if path else None
            except WorkbenchError as exc:
                self.status(f"baseline not loaded: {exc}", error=True)
        self.load_portfolio_worker(scenario.portfolio, scenario.base_dir)

    # -- unsaved changes kept against a crash ------------------------------------

    def _offer_recovery(self) -> bool:
        """Offer back the unsaved changes a previous workbench left; True when asked."""
        try:
            found = recovery.pending()
        except WorkbenchError as exc:
            self.show_error(
                self.t("Unsaved changes could not be recovered", "未保存的修改无法恢复"), str(exc)
            )
            return False
        if found is None:
            return False
        scenario = found.scenario
        where = str(found.original) if found.original else self.t("never saved", "从未保存")
        when = found.written.strftime("%Y-%m-%d %H:%M")
        message = self.t(
            f"The workbench closed on {when} without saving the changes to {scenario.display_name} "
            f"({where}). Restore them, or discard them?",
            f"工作台于 {when} 关闭时,{scenario.display_name}({where})的修改尚未保存。恢复还是放弃?",
        )

        def decide(choice: str | None) -> None:
            if choice == "discard":
                recovery.discard()
                self._begin()
                return
            try:  # restore (escape too: nothing is lost by restoring)
                edit = EditSession(self.registry, scenario)
            except WorkbenchError as exc:
                self.show_error(
                    self.t("Unsaved changes could not be restored", "未保存的修改无法恢复"), str(exc)
                )
                self._begin()
                return
            edit.mark_unsaved()
            self.edit = edit
            self._show_parameters()
            self.status(self.t("Restored the unsaved changes", "已恢复未保存的修改"))
            self._begin()

        self.push_screen(
            ChoiceDialog(
                self.t("Unsaved changes found", "发现未保存的修改"),
                message,
                [
                    ("restore", self.t("Restore", "恢复"), "primary"),
                    ("discard", self.t("Discard", "放弃"), "error"),
                ],
            ),
            decide,
        )
        return True

    def _keep_later(self) -> None:
        """Write the recovery file shortly (a burst of nudges writes it once)."""
        if self._keep_timer is not None:
            self._keep_timer.stop()
        self._keep_timer = self.set_timer(KEEP_AFTER_S, self._keep_now)

    def _keep_now(self) -> None:
        self._keep_timer = None
        try:
            if self.dirty:
                recovery.keep(self.edit.to_scenario())
            else:
                recovery.discard()
        except OSError as exc:
            self.status(
                self.t(f"unsaved changes not kept against a crash: {exc}", f"无法保存恢复文件:{exc}"), True
            )

    def _leave(self) -> None:
        """Quit on purpose: the changes were saved or given up, so no recovery is needed."""
        if self._keep_timer is not None:
            self._keep_timer.stop()
        recovery.discard()
        self.exit()

    def on_resize(self, event) -> None:
        if self.main is None:
            return
        self._adapt(event.size.width)
        if self.view is not None:
            self.paint(self.view)

    def _adapt(self, width: int) -> None:
        narrow = width < NARROW
        self.main.set_class(narrow, "narrow")
        for widget in (TierTable, CostTable, ParameterTable, HeaderBar, DistributionChart, MigrationTable):
            self.main.query_one(widget).compact = narrow
        if self.portfolio is not None:
            self._show_parameters()
        self.main.query_one(CostTable).name_width = 20 if narrow else 34

    def _titles(self) -> None:
        zh = self.lang == "zh"
        titles = {
            "#parameters": "阈值与参数" if zh else "Thresholds and weights",
            "#distribution": "分布" if zh else "Distribution",
            "#pyramid": "金字塔:客户 | 资产" if zh else "Pyramid: customers | AUM",
            "#migration": ("相对基准的迁移" if zh else "Migration from baseline")
            + (("(资产)" if zh else " (AUM)") if self.measure == "aum" else ""),
            "#breakdown": "达标方式" if zh else "Qualified by",
        }
        for selector, title in titles.items():
            self.main.query_one(selector).border_title = title

    # -- status ----------------------------------------------------------------

    def t(self, en: str, zh: str) -> str:
        """``en`` or ``zh``, by the language shown."""
        return zh if self.lang == "zh" else en

    def status(self, message: str, error: bool = False) -> None:
        self.main.query_one(StatusLine).say(message, "bold red" if error else "")

    def show_error(self, title: str, message: str) -> None:
        self.status(message.splitlines()[0], error=True)
        self.push_screen(MessageDialog(title, message, error=True))

    # -- portfolios ------------------------------------------------------------

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def load_portfolio_worker(self, ref: PortfolioRef, base_dir: Path | None) -> None:
        what = (
            self.t(
                f"Generating the sample ({ref.sample_rows:,} customers)",
                f"正在生成样本({ref.sample_rows:,} 户)",
            )
            if ref.is_sample
            else self.t(f"Reading {Path(ref.path).name}", f"正在读取 {Path(ref.path).name}")
        )
        self.call_from_thread(self._loading, what, 0)
        started = time.perf_counter()
        try:
            portfolio = self.session.portfolio(ref, base_dir)
            scheme = self.edit.scheme
            missing = portfolio.missing(scheme.required_columns)
            if missing:
                raise missing_columns(scheme, portfolio, missing)
            self.call_from_thread(
                self._loading,
                self.t(
                    f"Computing metrics for {portfolio.rows:,} customers",
                    f"正在计算 {portfolio.rows:,} 户的指标",
                ),
                1,
            )
            with self._lock:
                engine = self.session.engine(scheme, portfolio)
                settings = self.edit.settings()
                engine.classify_inputs(settings)  # computes and caches the metrics
                engine.aum_fen(settings)
        except UnmappedColumns as exc:
            self.call_from_thread(self._offer_mapping, ref, base_dir, exc)
            return
        except WorkbenchError as exc:
            self.call_from_thread(self._load_failed, str(exc))
            return
        elapsed = time.perf_counter() - started
        self.call_from_thread(self._adopt_portfolio, portfolio, ref, elapsed)

    def _loading(self, what: str, step: int) -> None:
        """Loading's progress, step by step (no animation: it would take the CPU the
        loading needs)."""
        self.main.query_one(StatusLine).activity(
            f"{what} ({step + 1}/{LOAD_STEPS})…", step / LOAD_STEPS, percent=False
        )
        self._load_shown = True

    def _load_failed(self, message: str) -> None:
        self.main.query_one(StatusLine).activity("")
        kept = f" (keeping {self.portfolio.name})" if self.portfolio else ""
        self.show_error(self.t("The portfolio could not be loaded", "客户数据无法加载") + kept, message)

    def _offer_mapping(self, ref: PortfolioRef, base_dir: Path | None, exc: UnmappedColumns) -> None:
        self.main.query_one(StatusLine).activity("")
        from workbench.columns import COLUMNS

        scheme = self.edit.scheme
        wanted = [c for c in scheme.columns if c in COLUMNS] + [c for c in COLUMNS if c not in scheme.columns]
        columns = [(c, COLUMNS[c].description.get(self.lang)) for c in wanted]

        def apply(mapping: dict[str, str] | None) -> None:
            if mapping is None:
                self.status(
                    self.t("Loading cancelled; the previous portfolio is kept", "已取消,保留原客户数据")
                    if self.portfolio
                    else self.t("No portfolio", "没有客户数据")
                )
                return
            self.load_portfolio_worker(replace(ref, columns=mapping), base_dir)

        name = Path(ref.path).name if ref.path else "portfolio"
        self.push_screen(
            ColumnMappingDialog(name, str(exc), exc.headers, {**exc.mapping, **exc.suggested}, columns), apply
        )

    def _adopt_portfolio(self, portfolio: Portfolio, ref: PortfolioRef, elapsed: float) -> None:
        self._loading(self.t("Classifying", "正在分层"), 2)
        self.portfolio = portfolio
        self.session.keep_only(portfolio)
        if ref != self.edit.scenario.portfolio:
            self.edit.scenario = replace(self.edit.scenario, portfolio=ref)
            self.portfolio_changed = True
            self._keep_later()
        self._baseline_cache.clear()
        self._histograms.clear()
        self._tuner = None
        took = f" in {elapsed:.1f} s" if self.show_timings else ""
        self.status(f"{portfolio.name}: {portfolio.rows:,} customers ready{took}")
        scheme = self.edit.scheme
        notes = portfolio_notes(portfolio, scheme, self.session.engine(scheme, portfolio).defaulted)
        if notes and not ref.is_sample:
            self.notify(
                "\n".join(notes),
                title=self.t(f"How {portfolio.name} was read", f"{portfolio.name} 的读取方式"),
                timeout=NOTES_SHOWN_S,
            )
        self.schedule()

    # -- simulation ------------------------------------------------------------

    def schedule(self) -> None:
        """Re-simulate for the current settings (the newest request wins)."""
        if self.portfolio is None:
            return
        self._seq += 1
        self._change_started = time.perf_counter()
        if not self._update_at_once(self._seq):
            self.simulate_worker(self._seq)

    def _update_at_once(self, seq: int) -> bool:
        """Bring the figures up to date on the UI thread when that takes a few
        milliseconds (a prepared threshold change): no hand-off to a thread, and the
        parameter and the figures repaint together."""
        tuner = self._tuner
        if tuner is None or not self._lock.acquire(blocking=False):
            return False
        try:
            state = self.edit.state
            settings = Settings(state.params, state.options, state.costs)
            if (
                tuner.scheme.id != state.scheme
                or tuner.engine.portfolio is not self.portfolio
                or self.view is None
                or self.view.metric != self._metric_for(self.selected_key)  # its histogram is drawn
                or tuner.baseline is not self._baseline_cache.get(self._baseline_key(tuner.engine)[0])
                or tuner.cost(settings) > AT_ONCE_ROWS
            ):
                return False
            view, tuner = self._compute_view(seq)
        except WorkbenchError:
            return False  # the worker says what went wrong
        finally:
            self._lock.release()
        self.apply_view(view)
        self._prepare_if_needed(tuner, view)
        return True

    def _prepare_if_needed(self, tuner: Tuner, view: View) -> None:
        if not tuner.prepared:
            # A new tuner is prepared at once; after a weight or option change, the
            # planner may be nudging on: wait for a quiet moment.
            self.prepare_worker(tuner, 0.0 if view.path == "same" else PREPARE_AFTER_S)

    def _metric_for(self, key: str | None) -> str:
        scheme = self.edit.scheme
        if key and key.startswith("param:"):
            pid = key.removeprefix("param:")
            criterion = scheme.criterion_of_parameter(pid)
            if criterion is not None and scheme.metric(criterion.metric).scale != "rank":
                return criterion.metric
            for m in scheme.metrics:
                if pid in m.parameters:
                    return m.id
        return scheme.main_metric

    def _baseline_key(self, engine: Engine) -> tuple[tuple, str]:
        """The baseline's cache key and display name, for the scheme shown."""
        base = self.baseline
        scheme = engine.scheme
        if base is None or base.scheme != scheme.id:
            key = (scheme.id, id(engine.portfolio), "defaults")
            return key, "scheme defaults" if self.lang == "en" else "方案默认值"
        key = (
            scheme.id,
            id(engine.portfolio),
            repr(sorted(base.parameters.items())),
            repr(sorted(base.options.items())),
            repr(base.costs),
        )
        return key, base.display_name

    def _baseline_result(self, engine: Engine) -> tuple[Result, str]:
        key, name = self._baseline_key(engine)
        cached = self._baseline_cache.get(key)
        if cached is None:
            base = self.baseline
            if key[2] == "defaults":
                cached = engine.simulate()
            else:
                cached = engine.simulate(settings=self.session.settings(base, engine.scheme))
            self._baseline_cache[key] = cached
        return cached, name

    @work(thread=True, exclusive=True, group="simulate", exit_on_error=False)
    def simulate_worker(self, seq: int) -> None:
        worker = get_current_worker()
        with self._lock:
            if worker.is_cancelled or seq != self._seq or self.portfolio is None:
                return
            try:
                view, tuner = self._compute_view(seq)
            except WorkbenchError as exc:
                self.call_from_thread(self._simulation_failed, seq, str(exc))
                return
        if not worker.is_cancelled:
            self.call_from_thread(self.apply_view, view)
        self.call_from_thread(self._prepare_if_needed, tuner, view)

    def _compute_view(self, seq: int) -> tuple[View, Tuner]:
        """The figures for the current settings (under the lock)."""
        started = time.perf_counter()
        state = self.edit.state
        key = self.selected_key
        scheme = self.registry.scheme(state.scheme)
        engine = self.session.engine(scheme, self.portfolio)
        settings = Settings(state.params, state.options, state.costs)
        baseline, baseline_name = self._baseline_result(engine)
        tuner = self._tuner_for(engine, settings, baseline)
        result, comparison = tuner.update(settings)
        metric = self._metric_for(key)
        values = engine.metric(metric, settings.params, settings.options)
        cached = self._histograms.get(id(values))
        if cached is None or cached[0] is not values:
            hist = histogram(values, log=scheme.metric(metric).scale == "money")
            self._histograms = {id(values): (values, hist)}
        else:
            hist = cached[1]
        layout = tuner.layout_for(values)
        ascending = layout.ascending if layout is not None else None
        markers, near = self._markers(scheme, metric, settings, key, values, ascending)
        elapsed = (time.perf_counter() - started) * 1000
        view = View(
            seq,
            state,
            result,
            comparison,
            baseline_name,
            metric,
            hist,
            markers,
            near,
            elapsed,
            path=tuner.path,
            moved=tuner.moved_last,
        )
        return view, tuner

    def _tuner_for(self, engine: Engine, settings: Settings, baseline: Result) -> Tuner:
        """The tuner of the scheme shown, comparing with ``baseline`` (under the lock)."""
        tuner = self._tuner
        if tuner is None or tuner.engine is not engine:
            self._tuner = None  # the old one's sort orders go before the new one's are made
            tuner = self._tuner = Tuner(engine, settings, baseline)
        elif tuner.baseline is not baseline:
            tuner.rebase(baseline)
        return tuner

    @work(thread=True, exclusive=True, group="prepare", exit_on_error=False)
    def prepare_worker(self, tuner: Tuner, wait: float) -> None:
        """Sort and co-sort in the background, so that threshold changes cost what moves;
        until then they take the full path. Waits out a burst of weight changes first
        (each makes the sort stale)."""
        worker = get_current_worker()
        time.sleep(wait)

        def stale() -> bool:
            return worker.is_cancelled or tuner is not self._tuner

        if stale() or tuner.prepared:
            return
        started = time.perf_counter()
        rows = tuner.engine.portfolio.rows

        def progress(done: int, total: int) -> None:
            if rows >= PROGRESS_FROM_ROWS:  # smaller portfolios are ready before it could be read
                self.call_from_thread(self._preparing, rows, done, total)

        try:
            finished = tuner.prepare(on_progress=progress, should_stop=stale)
        except WorkbenchError as exc:
            self.call_from_thread(self._preparing, rows, 0, 0)
            self.call_from_thread(self.status, f"could not prepare instant tuning: {exc}", True)
            return
        if finished and rows >= PROGRESS_FROM_ROWS:
            self.call_from_thread(self._preparing, rows, 1, 1, time.perf_counter() - started)

    def _preparing(self, rows: int, done: int, total: int, took: float | None = None) -> None:
        line = self.main.query_one(StatusLine)
        if took is not None:
            line.activity("")
            took_en = f" in {took:.1f} s" if self.show_timings else ""
            took_zh = f",用时 {took:.1f} 秒" if self.show_timings else ""
            self.status(
                self.t(
                    f"Ready for instant tuning: {rows:,} customers sorted{took_en}",
                    f"已就绪:{rows:,} 户已排序{took_zh},调阈值即时更新",
                )
            )
            return
        label = self.t("Preparing instant tuning", "正在准备即时调参")
        line.activity(label, done / total if total else None)

    def _markers(self, scheme, metric: str, settings: Settings, key: str | None, values, ascending=None):
        markers = []
        near = None
        for tier in scheme.tiers:
            for c in tier.criteria:
                if c.metric != metric or c.threshold is None:
                    continue
                value = settings.params[c.threshold] if isinstance(c.threshold, str) else float(c.threshold)
                selected = isinstance(c.threshold, str) and key == f"param:{c.threshold}"
                markers.append(
                    Marker(
                        c.threshold if isinstance(c.threshold, str) else tier.id,
                        value,
                        tier.name.get(self.lang),
                        selected,
                    )
                )
                if selected and value > 0:
                    near = near_threshold(values, value, ascending=ascending)
        return tuple(markers), near

    def _simulation_failed(self, seq: int, message: str) -> None:
        if seq == self._seq:
            self.show_error(self.t("The scheme failed to simulate", "方案计算失败"), message)

    def apply_view(self, view: View) -> None:
        if view.seq != self._seq:
            return  # a newer change is on its way
        self.view = view
        if self._load_shown:
            self._load_shown = False
            self.main.query_one(StatusLine).activity("")
        self.paint(view)
        started = self._change_started
        if started is not None:
            self.call_after_refresh(self._record_latency, started, view)

    def _record_latency(self, started: float, view: View) -> None:
        """Time from the change to the first refresh showing its figures."""
        total = (time.perf_counter() - started) * 1000
        self.latencies.append(total)
        self.painted_seq = view.seq
        if self.show_timings:
            ms = view.elapsed_ms
            took = f"{ms:.1f}" if ms < 10 else f"{ms:.0f}"
            how = {"incremental": f" ({view.moved:,} moved)", "full": f" (all {view.moved:,})"}.get(
                view.path, ""
            )
            self.main.query_one(StatusLine).timed(f"recomputed in {took} ms{how}, painted in {total:.0f} ms")

    def paint(self, view: View) -> None:
        lang = self.lang
        scheme = view.result.scheme
        portfolio = view.result.portfolio
        self.main.query_one(HeaderBar).show(
            portfolio=portfolio.name,
            customers=portfolio.rows,
            aum=view.result.total_aum,
            scheme=scheme.name.get(lang),
            scenario=self.edit.scenario.display_name,
            dirty=self.dirty,
            lang=lang,
        )
        changes = self.main.query_one(TierTable).changes
        self.main.query_one(TierTable).border_title = (
            f"各等级{'变化' if changes else ''}与基准对比(基准:{view.baseline_name})"
            if lang == "zh"
            else f"Tiers{': changes' if changes else ''} vs baseline: {view.baseline_name}"
        )
        self._show_parameters()
        self.main.set_class(len(scheme.tiers) > 6, "many-tiers")
        self.main.query_one(TierTable).show(view, lang)
        self.main.query_one(PyramidChart).show(view, lang)
        self.main.query_one(MigrationTable).show(view, lang, self.measure)
        breakdown = self.main.query_one(BreakdownTable)
        breakdown.display = breakdown.applies(view)
        if breakdown.display:
            breakdown.show(view, lang)
        tier = self.selected_tier if self.selected_tier is not None else len(scheme.tiers) - 1
        costs = self.main.query_one(CostTable)
        costs.border_title = costs.show(view, tier, lang)
        distribution = self.main.query_one(DistributionChart)
        metric = scheme.metric(view.metric)
        unit = (
            f" ({metric.unit})" if metric.unit not in ("CNY",) else (" (log)" if lang == "en" else "(对数)")
        )
        distribution.border_title = (
            f"{'分布' if lang == 'zh' else 'Distribution'}: {metric.name.get(lang)}{unit}"
        )
        distribution.show(view, lang)

    def _show_parameters(self) -> None:
        self.main.query_one(ParameterTable).show(
            self.edit.scheme, self.edit.state, self.edit.last_change, self.lang
        )

    @property
    def dirty(self) -> bool:
        return self.edit.dirty or self.portfolio_changed

    # -- messages from widgets -------------------------------------------------

    def changed(self, error: str | None = None) -> None:
        """After an edit: say why it was refused, or re-simulate."""
        if error:
            self.status(error, error=True)
            self.bell()
            return
        self.status("")
        self._show_parameters()
        self._keep_later()
        self.schedule()

    def on_parameter_table_nudge(self, message: ParameterTable.Nudge) -> None:
        kind, _, ident = message.key.partition(":")
        if kind == "param":
            self.changed(self.edit.nudge(ident, message.steps, message.big))
        else:
            self.changed(self.edit.cycle_option(ident, message.steps))

    def on_parameter_table_reset(self, message: ParameterTable.Reset) -> None:
        kind, _, ident = message.key.partition(":")
        if kind == "param":
            self.changed(self.edit.reset_param(ident))
        else:
            self.changed(self.edit.set_option(ident, self.edit.scheme.option(ident).default))

    def on_parameter_table_edit(self, message: ParameterTable.Edit) -> None:
        kind, _, ident = message.key.partition(":")
        if kind != "param":
            self.changed(self.edit.cycle_option(ident, 1))
            return
        scheme = self.edit.scheme
        p = scheme.parameter(ident)
        tier = scheme.tier_of_parameter(ident)
        title = p.name.get(self.lang) + (f" ({p.unit})" if p.unit else "")
        hint = f"default {param_value_text(p, p.default, self.lang)}; step {p.step:g}" + (
            f"; {scheme.tier(tier).name.get(self.lang)}" if tier else ""
        )

        def apply(value: float | None) -> None:
            if value is not None:
                self.changed(self.edit.set_param(ident, value))

        self.push_screen(ValueDialog(title, self.edit.params[ident], hint), apply)

    def on_parameter_table_selected(self, message: ParameterTable.Selected) -> None:
        before = self._metric_for(self.selected_key)
        self.selected_key = message.key
        if self.view is not None and (
            self._metric_for(message.key) != before or message.key.startswith("param:")
        ):
            self.schedule()

    def on_tier_table_tier_selected(self, message: TierTable.TierSelected) -> None:
        self.selected_tier = message.index
        if self.view is not None:
            costs = self.main.query_one(CostTable)
            costs.border_title = costs.show(self.view, message.index, self.lang)

    def on_cost_table_edit_assumption(self, message: CostTable.EditAssumption) -> None:
        scheme = self.edit.scheme
        assumptions = resolve_assumptions(scheme, self.registry.drivers, self.edit.costs)
        current = next(a for a in assumptions if a.benefit == message.benefit and a.tier == message.tier)
        driver = self.registry.drivers[current.driver]
        if not driver.fields:
            self.status(f"{scheme.benefit(message.benefit).name.get(self.lang)} is not costed", error=True)
            return
        benefit_name = scheme.benefit(message.benefit).name.get(self.lang)
        title = f"{benefit_name} · {scheme.tier(message.tier).name.get(self.lang)}"

        def apply(answer: dict | None) -> None:
            if answer is None:
                return
            tier = None if answer["all_tiers"] else message.tier
            changed = {k: v for k, v in answer["values"].items() if v != current.values.get(k)}
            if not changed:
                return
            self.changed(self.edit.set_assumptions(message.benefit, tier, changed))

        self.push_screen(AssumptionDialog(title, driver, current.values, self.lang), apply)

    def on_cost_table_reset_assumption(self, message: CostTable.ResetAssumption) -> None:
        self.edit.reset_assumptions(message.benefit, message.tier)
        self.changed()

    # -- actions ---------------------------------------------------------------

    def action_help(self) -> None:
        self.push_screen(HelpScreen(self.lang))

    def action_undo(self) -> None:
        self.changed(None if self.edit.undo() else self.t("nothing to undo", "没有可撤销的修改"))

    def action_redo(self) -> None:
        self.changed(None if self.edit.redo() else self.t("nothing to redo", "没有可重做的修改"))

    def action_reset_all(self) -> None:
        self.edit.reset_all()
        self.changed()

    def action_toggle_lang(self) -> None:
        self.lang = "zh" if self.lang == "en" else "en"

    def watch_lang(self) -> None:
        if self.main is None:
            return
        self._titles()
        self._show_parameters()
        if self.view is not None:
            self.schedule()  # markers and names follow the language

    def action_toggle_changes(self) -> None:
        tiers = self.main.query_one(TierTable)
        tiers.changes = not tiers.changes
        if self.view is not None:
            self.paint(self.view)

    def action_toggle_measure(self) -> None:
        self.measure = "aum" if self.measure == "customers" else "customers"

    def watch_measure(self) -> None:
        if self.main is None:
            return
        self._titles()
        if self.view is not None:
            self.main.query_one(MigrationTable).show(self.view, self.lang, self.measure)

    def action_pin_baseline(self) -> None:
        self.baseline = replace(
            self.edit.to_scenario(), name=f"pinned {time.strftime('%H:%M:%S')}", path=None
        )
        self.status(
            "The current settings are the baseline now" if self.lang == "en" else "当前设置已设为基准"
        )
        self.schedule()

    def action_default_baseline(self) -> None:
        self.baseline = None
        self.status("Baseline: the scheme's defaults" if self.lang == "en" else "基准:方案默认值")
        self.schedule()

    def switch_scheme(self, scheme_id: str) -> None:
        scheme = self.registry.scheme(scheme_id)
        if self.portfolio is not None:
            missing = self.portfolio.missing(scheme.required_columns)
            if missing:
                self.show_error(
                    self.t("This portfolio cannot be used with that scheme", "该客户数据不适用于此方案"),
                    str(missing_columns(scheme, self.portfolio, missing)),
                )
                return
        self.edit.switch_scheme(scheme_id)
        if self.baseline is not None and self.baseline.scheme != scheme_id:
            self.baseline = None
        self.selected_tier = None
        self.changed()

    def action_pick_scheme(self) -> None:
        items = [
            (s.id, f"{s.name.en} / {s.name.zh}  ({s.id})")
            for s in sorted(self.registry.schemes.values(), key=lambda s: s.id)
        ]

        def apply(choice: str | None) -> None:
            if choice:
                self.switch_scheme(choice)

        self.push_screen(
            PickDialog("Scheme" if self.lang == "en" else "方案", items, self.edit.state.scheme), apply
        )

    def action_open_portfolio(self) -> None:
        start = self.edit.scenario.base_dir or Path.cwd()

        def apply(path: Path | None) -> None:
            if path is not None:
                self.load_portfolio_worker(PortfolioRef(path=str(path.resolve())), None)

        self.push_screen(
            PathDialog(
                self.t("Open a portfolio (CSV, Excel, Parquet)", "打开客户数据(CSV、Excel、Parquet)"),
                start,
                SUPPORTED_SUFFIXES,
            ),
            apply,
        )

    # -- scenarios -------------------------------------------------------------

    def scenario_dirs(self) -> list[Path]:
        dirs = [Path.cwd() / "scenarios", *self.extra_scenario_dirs]
        if self.edit.scenario.path is not None:
            dirs.insert(0, self.edit.scenario.path.parent)
        seen, out = set(), []
        for d in dirs:
            key = d.resolve()
            if d.is_dir() and key not in seen:
                seen.add(key)
                out.append(d)
        return out

    def scenario_files(self) -> list[tuple[Path, str]]:
        files = []
        seen = set()
        for d in self.scenario_dirs():
            for path in sorted(d.glob("*.toml")):
                if path.resolve() in seen:
                    continue
                seen.add(path.resolve())
                try:
                    name = load_scenario(path).display_name
                except WorkbenchError:
                    name = f"{path.stem} (unreadable)"
                files.append((path, name))
        return files

    def guard(self, then) -> None:
        """Run ``then`` now, or after asking what to do with unsaved changes."""
        if not self.dirty:
            then()
            return
        name = self.edit.scenario.display_name

        def decide(choice: str | None) -> None:
            if choice == "discard":
                then()
            elif choice == "save":
                self.save(then=then)

        message = f"{name} has unsaved changes." if self.lang == "en" else f"{name}有未保存的修改。"
        self.push_screen(ConfirmDialog(message, self.lang), decide)

    def action_open_scenario(self) -> None:
        items = [(str(p), f"{name}  ({p.name})") for p, name in self.scenario_files()]
        items.append(("__browse__", "Browse…" if self.lang == "en" else "浏览…"))

        def picked(choice: str | None) -> None:
            if choice == "__browse__":
                start = self.scenario_dirs()[0] if self.scenario_dirs() else Path.cwd()
                self.push_screen(
                    PathDialog(self.t("Open a scenario", "打开情景"), start, (".toml",)),
                    lambda p: p and self.open_scenario_file(p),
                )
            elif choice:
                self.open_scenario_file(Path(choice))

        self.guard(
            lambda: self.push_screen(
                PickDialog("Open a scenario" if self.lang == "en" else "打开情景", items), picked
            )
        )

    def open_scenario_file(self, path: Path) -> None:
        try:
            scenario = load_scenario(path)
            edit = EditSession(self.registry, scenario)
            baseline_path = scenario.baseline_path()
            baseline = load_scenario(baseline_path) if baseline_path else None
        except WorkbenchError as exc:
            self.show_error(self.t("The scenario could not be opened", "情景无法打开"), str(exc))
            return
        self.edit = edit
        self.portfolio_changed = False
        self.baseline = baseline
        self.selected_tier = None
        self.status(self.t("Opened ", "已打开 ") + str(path))
        self.load_portfolio_worker(scenario.portfolio, scenario.base_dir)

    def action_save(self) -> None:
        self.save()

    def action_save_as(self) -> None:
        self.save(ask=True)

    def save(self, ask: bool = False, then=None) -> None:
        path = self.edit.scenario.path
        if ask or path is None:
            start = self.scenario_dirs()[0] if self.scenario_dirs() else Path.cwd()
            initial = path.name if path else f"{self.edit.state.scheme}-scenario.toml"

            def chosen(target: Path | None) -> None:
                if target is not None:
                    if target.suffix.lower() != ".toml":
                        target = target.with_suffix(".toml")
                    self._write(target, then)

            self.push_screen(
                PathDialog(
                    self.t("Save the scenario as", "情景另存为"),
                    start,
                    (".toml",),
                    initial=initial,
                    must_exist=False,
                ),
                chosen,
            )
            return
        self._write(path, then)

    def _write(self, path: Path, then=None) -> None:
        scenario = self.edit.to_scenario()
        if scenario.name in ("", "untitled"):
            scenario = replace(scenario, name=path.stem)
        try:
            save_scenario(scenario, path)
            saved = load_scenario(path)
        except (WorkbenchError, OSError) as exc:
            self.show_error(self.t("The scenario was not saved", "情景未保存"), str(exc))
            return
        self.edit.mark_saved(saved)
        self.portfolio_changed = False
        self._keep_now()  # nothing unsaved: the recovery file goes
        self.status(self.t("Saved ", "已保存 ") + str(path))
        if self.view is not None:
            self.paint(self.view)
        if then is not None:
            then()

    def action_compare(self) -> None:
        files = self.scenario_files()
        items = [
            ("__current__", f"{self.edit.scenario.display_name} (current{', unsaved' if self.dirty else ''})")
        ]
        items += [(str(p), f"{name}  ({p.name})") for p, name in files]
        self.push_screen(
            MultiPickDialog(
                self.t("Compare scenarios on the current portfolio", "在当前客户数据上对比情景"),
                items,
                ["__current__"],
            ),
            self._compare_chosen,
        )

    def _compare_chosen(self, chosen: list[str] | None) -> None:
        if not chosen:
            return
        scenarios = []
        for key in chosen:
            if key == "__current__":
                scenarios.append(self.edit.to_scenario())
            else:
                try:
                    scenarios.append(load_scenario(key))
                except WorkbenchError as exc:
                    self.show_error(self.t("A scenario could not be read", "情景无法读取"), str(exc))
                    return
        self.compare_worker(scenarios)

    @work(thread=True, exclusive=True, group="compare", exit_on_error=False)
    def compare_worker(self, scenarios: list[Scenario]) -> None:
        try:
            with self._lock:
                runs = run_all(self.session, scenarios, portfolio=self.portfolio)
        except WorkbenchError as exc:
            self.call_from_thread(
                self.show_error, self.t("The scenarios could not be compared", "情景无法对比"), str(exc)
            )
            return
        self.call_from_thread(self.push_screen, CompareScreen(runs, self.lang))

    # -- planner tools -------------------------------------------------------------

    def action_sweep(self) -> None:
        if self.portfolio is None:
            return
        key = self.selected_key or ""
        pid = key.removeprefix("param:") if key.startswith("param:") else None
        self.push_screen(
            SweepDialog(self.edit.scheme, dict(self.edit.params), pid),
            lambda answer: answer and self.sweep_worker(answer),
        )

    @work(thread=True, exclusive=True, group="plan", exit_on_error=False)
    def sweep_worker(self, answer: dict) -> None:
        self.call_from_thread(self.status, self.t("Sweeping…", "扫描中…"))
        try:
            with self._lock:
                engine = self.session.engine(self.edit.scheme, self.portfolio)
                result = sweep(
                    engine,
                    self.edit.settings(),
                    answer["param"],
                    answer["start"],
                    answer["stop"],
                    answer["steps"],
                )
        except WorkbenchError as exc:
            self.call_from_thread(self.show_error, self.t("The sweep did not run", "扫描未完成"), str(exc))
            return
        self.call_from_thread(self._show_sweep, result)

    def _show_sweep(self, result) -> None:
        self.status(result.sentence())

        def use(value: float | None) -> None:
            if value is not None:
                self.changed(self.edit.set_param(result.parameter.id, value))

        self.push_screen(SweepScreen(result, self.lang), use)

    def action_solve(self) -> None:
        if self.portfolio is None:
            return
        self.push_screen(SolveDialog(self.edit.scheme), lambda answer: answer and self.solve_worker(answer))

    @work(thread=True, exclusive=True, group="plan", exit_on_error=False)
    def solve_worker(self, answer: dict) -> None:
        self.call_from_thread(self.status, self.t("Solving…", "求解中…"))
        try:
            with self._lock:
                engine = self.session.engine(self.edit.scheme, self.portfolio)
                solver = Solver(engine, self.edit.settings())
                if answer["goal"] == "target":
                    if not 0 < answer["amount"] < 100:
                        raise WorkbenchError("the target share must lie between 0 and 100 (%)")
                    outcome = solver.targets([Target(answer["tier"], answer["amount"] / 100)], answer["vary"])
                else:
                    outcome = solver.budget(answer["amount"], answer["vary"])
        except WorkbenchError as exc:
            self.call_from_thread(self.show_error, self.t("The solver did not run", "求解未完成"), str(exc))
            return
        self.call_from_thread(self._show_outcome, outcome)

    def _show_outcome(self, outcome) -> None:
        def apply(yes: bool | None) -> None:
            if yes:
                self.changed(self.edit.set_params({pid: new for pid, (_, new) in outcome.changed.items()}))

        title = self.t("Solved", "求解结果") if outcome.reached else self.t("Not fully reached", "未完全达到")
        self.push_screen(OutcomeDialog(title, describe(outcome), bool(outcome.changed)), apply)

    def action_explain(self) -> None:
        if self.portfolio is None:
            return
        example = str(self.portfolio.frame["customer_id"].iloc[0])
        self.push_screen(ExplainDialog(example), lambda cid: cid and self.explain_customer(cid))

    def explain_customer(self, customer_id: str) -> None:
        scheme = self.edit.scheme
        try:
            with self._lock:
                engine = self.session.engine(scheme, self.portfolio)
                now = explain(engine, self.edit.settings(), customer_id, self.edit.scenario.display_name)
                base = (
                    self.baseline if self.baseline is not None and self.baseline.scheme == scheme.id else None
                )
                base_settings = self.session.settings(base, scheme) if base else engine.settings()
                before = explain(
                    engine,
                    base_settings,
                    customer_id,
                    base.display_name if base else self.t("scheme defaults", "方案默认值"),
                )
        except WorkbenchError as exc:
            self.show_error(self.t("The customer could not be explained", "无法解释该客户"), str(exc))
            return
        lines = [
            *now.lines(self.lang),
            "",
            "Why it differs from the baseline:" if self.lang == "en" else "与基准的差异:",
            *("  " + d for d in differences(before, now)),
        ]
        self.push_screen(ExplainScreen(f"{customer_id}", lines))

    def action_quit_guarded(self) -> None:
        self.guard(self._leave)

    async def action_quit(self) -> None:
        """Ctrl+Q asks about unsaved changes too."""
        self.action_quit_guarded()

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for title, help_text, action in (
            ("Save scenario", "Save the scenario (s)", self.action_save),
            ("Save scenario as…", "Save under a new name (S)", self.action_save_as),
            ("Open scenario…", "Open a scenario file (o)", self.action_open_scenario),
            ("Open portfolio…", "Load a CSV, Excel or Parquet portfolio (f)", self.action_open_portfolio),
            ("Switch scheme…", "Pick another scheme (k)", self.action_pick_scheme),
            ("Compare scenarios…", "Scenarios side by side (c)", self.action_compare),
            (
                "Baseline: current settings",
                "Compare further changes with what is set now (b)",
                self.action_pin_baseline,
            ),
            (
                "Baseline: scheme defaults",
                "Compare with the scheme's published defaults (B)",
                self.action_default_baseline,
            ),
            ("Reset all to defaults", "Every parameter, option and assumption (R)", self.action_reset_all),
            (
                "Language: English / 中文",
                "Switch labels, tier names and money format (l)",
                self.action_toggle_lang,
            ),
            (
                "Migration: customers / AUM",
                "Switch what the migration matrix counts (a)",
                self.action_toggle_measure,
            ),
            (
                "Tiers: values / changes",
                "Show every tier figure's change against the baseline (d)",
                self.action_toggle_changes,
            ),
            ("Sweep a parameter…", "Figures at each value of a parameter; use one (v)", self.action_sweep),
            ("Solve for thresholds…", "A share at or above a tier, or a cost budget (t)", self.action_solve),
            (
                "Explain a customer…",
                "Every criterion met or missed, against the baseline (e)",
                self.action_explain,
            ),
            ("Undo", "Undo the last change (ctrl+z)", self.action_undo),
            ("Redo", "Redo (ctrl+y)", self.action_redo),
            ("Help: keys", "Every key of the workbench (F1)", self.action_help),
        ):
            yield SystemCommand(title, help_text, action)
