"""The workbench without a screen: what is being tuned, on which portfolio, against which
baseline, and what to recompute when something changes.

A ``LiveSession`` owns the tuning state the TUI drives: the scenario being
edited (with undo), the portfolio, the baseline and its cached result, the
``Tuner`` that makes threshold changes cost what moves, and the histogram of
the metric on screen. The TUI calls it from workers and paints the ``View``
it returns; everything here is tested without Textual.

Threads: ``compute_view`` and ``prepare`` may run in worker threads;
``view_at_once`` runs on the caller's thread when the change is small. The
planner tools (explain, sweep, solve, compare) run on an engine of their own,
so they never disturb tuning and need no lock.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from workbench.core.distribution import Histogram, NearThreshold, histogram, near_threshold
from workbench.core.engine import Engine, columns_needed
from workbench.core.layouts import SortsAhead
from workbench.core.levels import make_inputs
from workbench.core.portfolio import Portfolio
from workbench.core.results import Result
from workbench.core.settings import Settings
from workbench.core.tuning import Tuner, sort_ahead
from workbench.errors import ScenarioError, WorkbenchError
from workbench.files import confine, recovery
from workbench.files.portfolios import check_columns
from workbench.files.recovery import Recovered
from workbench.files.scenarios import PortfolioRef, Scenario, load_scenario, save_scenario
from workbench.live.editing import EditSession
from workbench.live.estimating import BigBook
from workbench.live.exporting import against_baseline, report_path
from workbench.live.months import Months
from workbench.live.rules import RuleEdits
from workbench.live.scenario_list import ScenarioFile, ScenarioList, scenario_dirs
from workbench.live.view import Marker, View
from workbench.planning.compare import run_all
from workbench.planning.explain import Explanation, explain
from workbench.planning.runs import Run, Session, portfolio_notes
from workbench.planning.solve import Outcome, Solver, make_target
from workbench.planning.sweep import Sweep, sweep
from workbench.present.words import WORDS
from workbench.scheme.columns import COLUMNS
from workbench.scheme.model import Scheme
from workbench.scheme.registry import Registry
from workbench.text import Lang, Text


def stamp(path: Path | None) -> tuple[int, int] | None:
    """A file's modification time and size, to tell whether it changed on disk."""
    try:
        info = path.stat() if path is not None else None
    except OSError:
        return None
    return (info.st_mtime_ns, info.st_size) if info is not None else None


AT_ONCE_ROWS = 250_000  # an update reclassifying at most these runs on the caller's thread (a few ms)
DEFAULTS = Text("scheme defaults", "方案默认值")


PORTFOLIO = Text("portfolio", "客户数据文件")
SCENARIO = Text("scenario", "情景文件")
SCHEME_FILE = Text("scheme file", "方案文件")


class LiveSession:
    """The scenario being tuned, its portfolio and baseline, and the figures for them."""

    def __init__(
        self,
        registry: Registry,
        scenario: Scenario,
        *,
        params: Mapping[str, float] | None = None,
        options: Mapping[str, str] | None = None,
        scenario_dirs: Iterable[Path] = (),
    ) -> None:
        self.registry = registry
        self.runs = Session(registry)
        self.edit = EditSession(registry, scenario)
        for key, value in (params or {}).items():
            if error := self.edit.set_param(key, value):
                raise WorkbenchError(error)
        for option, choice in (options or {}).items():
            if error := self.edit.set_option(option, choice):
                raise WorkbenchError(error)
        self.extra_scenario_dirs = [Path(d) for d in scenario_dirs]
        self.portfolio: Portfolio | None = None
        self.baseline: Scenario | None = None
        self.portfolio_changed = False
        self.selected_key: str | None = None
        self.seq = 0
        self._lock = threading.Lock()
        self._baselines: dict[tuple[Any, ...], Result] = {}
        self._histograms: dict[int, tuple[np.ndarray, Histogram]] = {}
        self._tuner: Tuner | None = None
        self._ahead: SortsAhead | None = None  # the loaded portfolio's sorts, for its first tuner
        self._planning: dict[tuple[str, int], Engine] = {}
        self._scenario_list = ScenarioList()
        self.recovery = recovery.Instance()
        self._on_disk = stamp(scenario.path)
        self.rules = RuleEdits(self)  # changes to the scheme's rules, undoable
        self.months = Months(self)  # a portfolio over months: its policy and replay
        self.book = BigBook(self)  # a book too big for memory: tuned on a sample
        self.say: Callable[[Text], object] = lambda text: None  # progress of cluster work

    # -- what is being edited -------------------------------------------------------

    @property
    def scenario(self) -> Scenario:
        return self.edit.scenario

    @property
    def title(self) -> Text:
        """The scenario's name as the workbench shows it: 未命名 / untitled before it has one."""
        scenario = self.scenario
        if scenario.path is None and scenario.name in ("", "untitled"):
            return WORDS["untitled"]
        return Text(scenario.display_name, scenario.display_name)

    @property
    def scheme(self) -> Scheme:
        return self.edit.scheme

    @property
    def dirty(self) -> bool:
        return self.edit.dirty or self.portfolio_changed

    @property
    def tuner(self) -> Tuner | None:
        """The tuner of the scheme shown (None before the first figures)."""
        return self._tuner

    def begin(self) -> None:
        """Load the scenario's baseline file, if it names one (raises when it cannot)."""
        path = self.scenario.baseline_path() if self.scenario.baseline else None
        self.baseline = load_scenario(path) if path else None

    # -- portfolios --------------------------------------------------------------------

    def load(self, ref: PortfolioRef, base_dir: Path | None, step: Callable[[int, int], None]) -> Portfolio:
        """Read (or generate) a portfolio and compute the shown scheme's metrics on it.
        ``step(number, rows)`` is called as each of the three steps starts (read, metrics,
        classify; ``rows`` is 0 until known). Runs in a worker; changes nothing yet."""
        step(0, 0)
        if not ref.is_sample:
            confine.check(ref.resolve(base_dir), PORTFOLIO)
        scheme = self.edit.scheme
        # a book too big for memory: a sample of it; a panel: the month tuned; a Parquet
        # file: the scheme's columns first, the others read when the figures are up
        portfolio = self.book.load(ref, base_dir, self.say) or self.months.fit(
            self.runs.portfolio(ref, base_dir, first=columns_needed(scheme))
        )
        check_columns(scheme, portfolio)
        step(1, portfolio.rows)
        engine = self.runs.engine(scheme, portfolio)
        settings = self.edit.settings()
        make_inputs(engine, settings)  # computes and keeps the metrics the first figures read
        self._ahead = sort_ahead(engine, settings)  # sorted while the first figures are made
        engine.aum_fen(settings)
        return portfolio

    def read_the_rest(self) -> tuple[int, list[Text]] | None:
        """Read the columns of the shown portfolio left for later (in a worker): how many
        and the notes on reading them; None when none were left. Raises what is wrong with
        them (the figures shown do not read them)."""
        portfolio = self.portfolio
        if portfolio is None or portfolio.complete:
            return None
        before, count = len(portfolio.notes), len(portfolio.pending)
        if not portfolio.finish():
            return None
        return count, list(portfolio.notes[before:])

    def adopt(self, portfolio: Portfolio, ref: PortfolioRef) -> list[Text]:
        """Use a loaded portfolio from now on; returns the notes on how it was read."""
        self.portfolio = portfolio
        self.book.adopt(portfolio)
        self.runs.keep_only(portfolio)
        if ref != self.scenario.portfolio:
            self.edit.opened = replace(self.edit.opened, portfolio=ref)
            self.portfolio_changed = True
        with self._lock:
            self._baselines.clear()
            self._histograms.clear()
            self._tuner = None
            self._planning.clear()
        scheme = self.scheme
        return [
            *self.book.notes,
            *portfolio_notes(portfolio, scheme, self.runs.engine(scheme, portfolio).defaulted),
        ]

    # -- figures -------------------------------------------------------------------------

    def request(self) -> int:
        """A new change: its sequence number (the newest wins)."""
        self.seq += 1
        return self.seq

    def view_at_once(self, seq: int) -> View | None:
        """The figures now, on this thread, when that takes a few milliseconds (a prepared
        threshold change); None when the change needs a worker (or one is busy)."""
        tuner = self._tuner
        if tuner is None or self.portfolio is None or not self._lock.acquire(blocking=False):
            return None
        try:
            settings = self.edit.settings()
            if (
                tuner.scheme is not self.edit.scheme  # another scheme, or its rules edited
                or tuner.engine.portfolio is not self.portfolio
                or tuner.baseline is not self._baselines.get(self._baseline_key(tuner.engine)[0])
                or self._histogram_stale(tuner.engine, settings)
                or tuner.cost(settings) > AT_ONCE_ROWS
            ):
                return None
            return self._compute(seq)
        except WorkbenchError:
            return None  # the worker says what went wrong
        finally:
            self._lock.release()

    def compute_view(self, seq: int) -> View | None:
        """The figures for the current settings (in a worker); None when stale."""
        with self._lock:
            if seq != self.seq or self.portfolio is None:
                return None
            return self._compute(seq)

    def _histogram_stale(self, engine: Engine, settings: Settings) -> bool:
        metric = self.metric_for(self.selected_key)
        values = engine.metric(metric, settings.params, settings.options)
        cached = self._histograms.get(id(values))
        return cached is None or cached[0] is not values

    def _compute(self, seq: int) -> View:
        started = time.perf_counter()
        state = self.edit.state
        key = self.selected_key
        scheme = self.registry.scheme(state.scheme)
        assert self.portfolio is not None
        engine = self.runs.engine(scheme, self.portfolio)
        settings = state.settings
        baseline, baseline_name = self._baseline_result(engine)
        tuner = self._tuner_for(engine, settings, baseline)
        result, comparison = tuner.update(settings)
        metric = self.metric_for(key)
        values = engine.metric(metric, settings.params, settings.options)
        cached = self._histograms.get(id(values))
        if cached is None or cached[0] is not values:
            hist = histogram(values, log=scheme.metric(metric).scale == "money")
            self._histograms = {id(values): (values, hist)}
        else:
            hist = cached[1]
        layout = tuner.layout_for(values)
        ascending = layout.ascending if layout is not None else None
        markers, near = self.markers(scheme, metric, settings, key, values, ascending)
        view = View(seq, state, result, comparison, baseline_name, metric, hist, markers, near)
        view = self.book.shown(view, engine, settings, baseline)  # a sample: the book's estimates
        return replace(
            view, elapsed_ms=(time.perf_counter() - started) * 1000, path=tuner.path, moved=tuner.moved_last
        )

    def _tuner_for(self, engine: Engine, settings: Settings, baseline: Result) -> Tuner:
        """The tuner of the scheme shown, comparing with ``baseline`` (under the lock)."""
        tuner = self._tuner
        ahead, self._ahead = self._ahead, None  # sorts started on loading: this tuner's or none
        if tuner is None or tuner.engine is not engine:
            self._tuner = None  # the old one's sort orders go before the new one's are made
            tuner = self._tuner = Tuner(engine, settings, baseline)
            if ahead is not None:
                tuner.take_sorts(ahead)
        elif tuner.baseline is not baseline:
            tuner.rebase(baseline)
        return tuner

    def needs_preparing(self) -> Tuner | None:
        """The tuner to prepare for instant threshold changes, if it is not yet."""
        tuner = self._tuner
        return tuner if tuner is not None and not tuner.prepared else None

    def prepare(
        self, tuner: Tuner, on_progress: Callable[[int, int], None], should_stop: Callable[[], bool]
    ) -> bool:
        """Sort and co-sort in the background (see ``Tuner.prepare``); False when stopped
        or when the tuner is no longer the one shown."""

        def stale() -> bool:
            return should_stop() or tuner is not self._tuner

        if stale() or tuner.prepared:
            return False
        return tuner.prepare(on_progress=on_progress, should_stop=stale)

    def metric_for(self, key: str | None) -> str:
        """The metric the distribution shows for the selected row: a threshold's metric (not a
        tier rank), the metric a weight feeds, else the scheme's main metric."""
        scheme = self.scheme
        if key and key.startswith("param:"):
            pid = key.removeprefix("param:")
            criterion = scheme.criterion_of_parameter(pid)
            if criterion is not None and scheme.metric(criterion.metric).scale != "rank":
                return criterion.metric
            for m in scheme.metrics:
                if pid in m.parameters:
                    return m.id
        return scheme.main_metric

    def markers(
        self,
        scheme: Scheme,
        metric: str,
        settings: Settings,
        key: str | None,
        values: np.ndarray,
        ascending: np.ndarray | None = None,
    ) -> tuple[tuple[Marker, ...], NearThreshold | None]:
        """The thresholds on ``metric`` to draw, and who sits near the selected one."""
        markers = []
        near = None
        for tier in scheme.tiers:
            for c in scheme.criteria_of(tier, settings.options):
                if c.metric != metric or c.threshold is None:
                    continue
                value = settings.params[c.threshold] if isinstance(c.threshold, str) else float(c.threshold)
                selected = isinstance(c.threshold, str) and key == f"param:{c.threshold}"
                param = c.threshold if isinstance(c.threshold, str) else tier.id
                markers.append(Marker(param, value, tier.name, selected))
                if selected and value > 0:
                    near = near_threshold(values, value, ascending=ascending)
        return tuple(markers), near

    # -- the baseline -------------------------------------------------------------------

    def _baseline_key(self, engine: Engine) -> tuple[tuple[Any, ...], Text]:
        """The baseline's cache key and display name, for the scheme shown."""
        base = self.baseline
        scheme = engine.scheme
        if base is None or base.scheme != scheme.id:
            return (scheme.id, id(engine.portfolio), "defaults"), DEFAULTS
        key = (
            scheme.id,
            id(engine.portfolio),
            repr(sorted(base.parameters.items())),
            repr(sorted(base.options.items())),
            repr(base.costs),
        )
        return key, Text(base.display_name, base.display_name)

    def _baseline_result(self, engine: Engine) -> tuple[Result, Text]:
        key, name = self._baseline_key(engine)
        cached = self._baselines.get(key)
        if cached is None:
            scheme, defaults = engine.scheme, key[2] == "defaults" or self.baseline is None
            base = Scenario(scheme=scheme.id) if defaults or self.baseline is None else self.baseline
            # a panel month: the baseline's own evaluation window (its policy's, or the scheme's)
            engine = self.runs.engine(scheme, self.runs.fitted(engine.portfolio, base, scheme))
            cached = (
                engine.simulate() if defaults else engine.simulate(settings=self.runs.settings(base, scheme))
            )
            self._baselines[key] = cached
        return cached, name

    def pin_baseline(self, name: str) -> None:
        """The current settings become the baseline."""
        self.baseline = replace(self.edit.to_scenario(), name=name, path=None)

    def default_baseline(self) -> None:
        """The scheme's defaults become the baseline."""
        self.baseline = None

    def baseline_settings(self, scheme: Scheme) -> tuple[Settings, Text]:
        """The baseline's settings for ``scheme`` (its defaults when the baseline is another
        scheme's), and its name."""
        base = self.baseline if self.baseline is not None and self.baseline.scheme == scheme.id else None
        if base is None:
            return Settings.checked(scheme, self.registry.drivers), DEFAULTS
        return self.runs.settings(base, scheme), Text(base.display_name, base.display_name)

    # -- planner tools: on an engine of their own ---------------------------------------------

    def planning_engine(self) -> Engine:
        """An engine of the shown scheme on the portfolio, apart from the tuner's: the
        planner tools change weights and thresholds freely without disturbing tuning."""
        if self.portfolio is None:
            raise WorkbenchError("no portfolio is loaded yet", zh="尚未载入客户数据")
        self.book.refuse_planning()
        scheme = self.scheme
        key = (scheme.id, id(self.portfolio))
        engine = self._planning.get(key)
        if engine is None or engine.scheme is not scheme:  # rules edited: a new engine
            engine = self._planning[key] = Engine(scheme, self.portfolio, self.registry.drivers)
        return engine

    def explain(self, customer_id: str, lang: Lang = "en") -> tuple[Explanation, Explanation]:
        """One customer under the current settings and under the baseline (named in ``lang``)."""
        engine = self.planning_engine()
        now = explain(engine, self.edit.settings(), customer_id, self.scenario.display_name)
        settings, name = self.baseline_settings(engine.scheme)
        return now, explain(engine, settings, customer_id, name.get(lang))

    def example_customer(self) -> str:
        """A customer id to show as an example of the portfolio's ids."""
        if self.portfolio is None or not self.portfolio.rows:
            return ""
        return str(self.portfolio.frame["customer_id"].iloc[0])

    def sweep(self, param: str, start: float, stop: float, steps: int) -> Sweep:
        return sweep(self.planning_engine(), self.edit.settings(), param, start, stop, steps)

    def solve(self, goal: str, tier: str, amount: float, vary: list[str] | None) -> Outcome:
        """A target share (``amount`` percent at or above ``tier``) or a ``budget``."""
        engine = self.planning_engine()
        unknown = [v for v in vary or () if v not in engine.scheme.default_params]
        if unknown:
            raise ScenarioError(
                "unknown parameters: " + ", ".join(unknown), field="vary", zh="未知参数:" + ", ".join(unknown)
            )
        solver = Solver(engine, self.edit.settings())
        if goal == "target":
            return solver.targets([make_target(engine.scheme, tier, amount)], vary)
        return solver.budget(amount, vary)

    def compare(self, scenarios: list[Scenario]) -> list[Run]:
        """Scenarios side by side on the loaded portfolio (on a sample of a book too big for
        memory: on the full book, on the cluster)."""
        if self.book.active:
            return self.book.compare(scenarios, self.say)
        return list(run_all(self.runs, scenarios, portfolio=self.portfolio))

    def report_runs(self, lang: Lang) -> list[Run]:
        """The workbench's report: the baseline (A) and the scenario being edited (B)."""
        return self.compare(against_baseline(self.edit.to_scenario(), self.baseline, DEFAULTS.get(lang)))

    def report_path(self, suffix: str = ".xlsx") -> Path:
        """Where a report is proposed: beside the open scenario (else in the scenarios'
        folder), named after it."""
        folder = self.scenario.path.parent if self.scenario.path else None
        if folder is None:
            dirs = self.scenario_dirs()
            folder = dirs[0] if dirs else Path.cwd()
        return report_path(folder, self.title.get("en") if self.scenario.path else self.scheme.id, suffix)

    # -- scenarios -----------------------------------------------------------------------

    def switch_scheme(self, scheme_id: str) -> None:
        """Another scheme at its defaults, as a new untitled scenario (``EditSession.scenario``);
        raises when the portfolio lacks a column the scheme needs. A baseline of another
        scheme is kept for undo; figures compare with the new scheme's defaults."""
        scheme = self.registry.scheme(scheme_id)
        if self.portfolio is not None:
            check_columns(scheme, self.portfolio)
            refused = self.portfolio.refusal(columns_needed(scheme))  # columns the file spoiled
            if refused is not None:
                raise refused
        self.edit.switch_scheme(scheme_id)
        self.months.refit()  # another scheme, perhaps another window

    def scheme_file_changed(self) -> Path | None:
        """The shown scheme's file, when it changed on disk since it was read."""
        return self.registry.changed_file(self.edit.state.scheme)

    def reload_scheme_file(self, path: Path) -> None:
        """Read the shown scheme's file again (every problem at once when it has any, the
        rules shown staying as they are); settings it still has are kept."""
        before = self.edit.scheme
        scheme = self.registry.add_file(confine.check(path, SCHEME_FILE))
        if self.portfolio is not None:
            check_columns(scheme, self.portfolio)
        self.edit.adopt_rules(scheme, before)

    def open_scheme_file(self, path: Path) -> str:
        """Read a scheme file (every problem at once when it has any, changing nothing) and
        edit a new untitled scenario on its scheme; returns the scheme id."""
        scheme = self.registry.add_file(confine.check(path, SCHEME_FILE))
        self.switch_scheme(scheme.id)
        return scheme.id

    def open_scenario(self, path: Path) -> Scenario:
        """Open a scenario file (and its baseline) for editing; its portfolio is loaded next.
        Raises, changing nothing, when either cannot be read."""
        scenario = load_scenario(confine.check(path, SCENARIO))
        for referenced in (scenario.baseline_path(), scenario.scheme_file_path()):
            if referenced is not None:
                confine.check(referenced, SCENARIO)
        edit = EditSession(self.registry, scenario)
        baseline_path = scenario.baseline_path()
        baseline = load_scenario(baseline_path) if baseline_path else None
        self.edit = edit
        self.portfolio_changed = False
        self.baseline = baseline
        self._on_disk = stamp(scenario.path)
        return scenario

    def changed_on_disk(self, path: Path) -> bool:
        """Whether saving to ``path`` would replace the open file after it changed on disk
        since this workbench read or wrote it (another workbench or an editor saved it)."""
        if not path.exists() or self.scenario.path is None:
            return False
        if path.resolve() != self.scenario.path.resolve():
            return False  # another file: Save As asks before replacing it
        return stamp(path) != self._on_disk

    def save(self, path: Path) -> None:
        """Write the scenario being edited to ``path`` (atomically) and read it back. The
        front end asks first when ``path`` exists (Save As) or changed on disk."""
        confine.check(path, SCENARIO)
        scenario = self.edit.to_scenario()
        if scenario.name in ("", "untitled"):
            scenario = replace(scenario, name=path.stem)
        save_scenario(scenario, path)
        self.edit.mark_saved(load_scenario(path))
        self._on_disk = stamp(path)
        self.portfolio_changed = False

    def restore(self, scenario: Scenario) -> None:
        """Edit recovered unsaved changes (marked unsaved)."""
        edit = EditSession(self.registry, scenario)
        edit.mark_unsaved()
        self.edit = edit
        self._on_disk = stamp(scenario.path)

    def mapping_choices(self, lang: Lang) -> list[tuple[str, str]]:
        """The columns a file's headers can be mapped to, with what they hold: the shown
        scheme's first."""
        scheme = self.scheme
        wanted = [c for c in scheme.columns if c in COLUMNS] + [c for c in COLUMNS if c not in scheme.columns]
        return [(c, COLUMNS[c].description.get(lang)) for c in wanted]

    @staticmethod
    def pending_recovery() -> Recovered | None:
        """The newest unsaved changes a workbench that is gone left (see ``recovery``);
        older ones are offered at later starts."""
        found = recovery.pending()
        for older in found[1:]:
            older.release()
        return found[0] if found else None

    def close(self) -> None:
        """Quit on purpose: nothing to recover."""
        self.recovery.close()

    def keep_unsaved(self) -> None:
        """Write the recovery file while there are unsaved changes, else remove it."""
        rules = self.recovery.path.with_name(self.recovery.path.stem + ".scheme")
        if self.dirty:
            scenario = self.edit.to_scenario()
            if self.rules.unsaved:  # the changed rules are kept beside it, as a scheme file
                self.rules.write(rules)
                scenario = replace(scenario, scheme_file=str(rules))
            self.recovery.keep(scenario)
        else:
            self.recovery.discard()
            rules.unlink(missing_ok=True)

    def scenario_dirs(self) -> list[Path]:
        """Where scenarios are listed from: beside the open one, ``scenarios/``, and more."""
        return scenario_dirs(self.scenario.path, self.extra_scenario_dirs)

    def scenario_files(self) -> list[ScenarioFile]:
        """The scenario files in ``scenario_dirs``; each read again only when it changed."""
        return self._scenario_list.files(self.scenario_dirs())
