"""Running scenarios: portfolio + scheme + settings -> result, against a baseline.

The one place where a scenario file, its portfolio reference and the
registry of schemes meet. The command line and the TUI both go through it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbench import fmt
from workbench.core.engine import Engine
from workbench.core.policy import Policy
from workbench.core.portfolio import Portfolio
from workbench.core.results import Book, Comparison, Figures, Result, compare
from workbench.core.settings import Settings
from workbench.core.windows import month_over
from workbench.errors import PortfolioError, ScenarioError
from workbench.files.datasets import is_dataset
from workbench.files.panel import Panel, load_any, shown_month
from workbench.files.portfolios import check_columns
from workbench.files.sample import sample_portfolio
from workbench.files.scenarios import PortfolioRef, Scenario, load_scenario
from workbench.scheme.model import Column, Scheme
from workbench.scheme.registry import Registry, default_registry
from workbench.text import Text


@dataclass
class Run:
    """A scenario's figures, and their comparison with a baseline when there is one: what
    every table, JSON shape and report shows, from memory or from a cluster."""

    scenario: Scenario
    scheme: Scheme
    portfolio: Book
    result: Figures
    baseline: Figures | None = None
    baseline_scenario: Scenario | None = None
    comparison: Comparison | None = None
    notes: list[Text] = field(default_factory=list)  # how the portfolio was read


@dataclass
class CustomerRun(Run):
    """A run in memory: every customer's tier is at hand too (``classify``, the movers)."""

    portfolio: Portfolio
    result: Result
    baseline: Result | None = None


def missing_note(column: Column) -> Text:
    """A plain sentence on a column the file lacks: what every customer is taken to have."""
    if column.missing is not None:
        return column.missing
    what = column.description
    if column.kind == "bool":
        return Text(
            f"No column for “{what.en}”: no customer is counted as having it.",
            f"没有“{what.zh}”列:视为所有客户都没有。",
        )
    if column.kind in ("money", "number"):
        value = fmt.trimmed(float(column.default or 0))
        return Text(
            f"No column for “{what.en}”: every customer counts {value}.",
            f"没有“{what.zh}”列:每位客户都按 {value} 计。",
        )
    if column.default in ("", "none", None):
        return Text(
            f"No column for “{what.en}”: no customer has one.", f"没有“{what.zh}”列:视为所有客户都没有。"
        )
    return Text(
        f"No column for “{what.en}”: every customer is taken as {column.default!r}.",
        f"没有“{what.zh}”列:每位客户都按 {column.default!r} 计。",
    )


@dataclass(frozen=True)
class PanelMonth:
    """Where a tuned portfolio comes from when it is one month of a panel: which month, and
    the window its half-year figures were computed over."""

    panel: Panel
    index: int
    window: int


KEPT_MONTHS = 4  # months of a panel kept derived (each is a portfolio's worth of memory)


def portfolio_notes(portfolio: Portfolio, scheme: Scheme, defaulted: tuple[str, ...]) -> list[Text]:
    """What a user should know about how the portfolio was read for a scheme, in plain words
    and both languages."""
    notes = list(portfolio.notes)
    notes.extend(missing_note(portfolio.spec(column)) for column in defaulted)
    return notes


class Session:
    """Loads portfolios once and runs scenarios on them."""

    def __init__(self, registry: Registry | None = None) -> None:
        self.registry = registry or default_registry()
        self._portfolios: dict[tuple[Any, ...], Portfolio] = {}
        self._engines: dict[tuple[str, int], Engine] = {}
        self._months: dict[int, tuple[Portfolio, PanelMonth]] = {}  # by id of the month's portfolio

    # -- portfolios --------------------------------------------------------

    def portfolio(
        self, ref: PortfolioRef, base_dir: Path | None = None, first: Iterable[str] | None = None
    ) -> Portfolio:
        """The portfolio a reference names, loaded once; with ``first``, a Parquet file's
        ``first`` columns are read now and the others when asked for (``Portfolio.finish``)."""
        if ref.is_sample:
            key: tuple[Any, ...] = ("sample", ref.sample_rows, ref.sample_seed)
        else:
            path = ref.resolve(base_dir)
            if not path.exists() and not is_dataset(path):
                shown = f"{ref.path}" + (
                    f" (resolved against {base_dir} to {path})" if str(path) != ref.path else ""
                )
                raise PortfolioError(
                    f"portfolio file {shown}: no such file", zh=f"客户数据文件 {shown}:文件不存在"
                )
            key = (
                "file",
                str(path.resolve()),
                ref.sheet,
                tuple(sorted(ref.columns.items())),
                ref.unit,
                ref.decimal,
            )
        cached = self._portfolios.get(key)
        if cached is None:
            if ref.is_sample:
                cached = sample_portfolio(ref.sample_rows, ref.sample_seed)
            else:
                loaded = load_any(
                    ref.resolve(base_dir),
                    mapping=ref.columns,
                    sheet=ref.sheet,
                    extra_columns=self.extra_columns(),
                    unit=ref.unit,
                    decimal=ref.decimal,
                    first=first,
                )
                # over months: the latest month is the one tuned
                cached = self.panel_month(loaded, len(loaded) - 1, 1) if isinstance(loaded, Panel) else loaded
            self._portfolios[key] = cached
        return cached

    def month_of(self, portfolio: Portfolio) -> PanelMonth | None:
        """The panel month a portfolio is, if it is one."""
        kept = self._months.get(id(portfolio))
        return kept[1] if kept is not None and kept[0] is portfolio else None

    def panel_of(self, portfolio: Portfolio) -> Panel | None:
        """The panel a portfolio is one month of, if it is one."""
        month = self.month_of(portfolio)
        return month.panel if month is not None else None

    def panel_month(self, panel: Panel, index: int, window: int) -> Portfolio:
        """Month ``index`` of ``panel`` with its half-year figures over ``window`` months,
        derived once (the few most recent kept)."""
        for portfolio, month in self._months.values():
            if month == PanelMonth(panel, index, window):
                return portfolio
        portfolio = shown_month(panel, index, month_over(panel.portfolios, index, window), window)
        self._months[id(portfolio)] = (portfolio, PanelMonth(panel, index, window))
        while len(self._months) > KEPT_MONTHS:
            del self._months[next(iter(self._months))]
        return portfolio

    def fitted(self, portfolio: Portfolio, scenario: Scenario, scheme: Scheme) -> Portfolio:
        """``portfolio``, or, when it is a panel month, the same month with its half-year
        figures over the window the scenario's evaluation policy gives ``scheme``."""
        month = self.month_of(portfolio)
        if month is None:
            return portfolio
        window = Policy.checked(scheme, scenario.policy, scenario.where).window_months
        return portfolio if window == month.window else self.panel_month(month.panel, month.index, window)

    def keep_only(self, portfolio: Portfolio) -> None:
        """Forget every other loaded portfolio and its engines (frees their memory); the other
        months of its panel stay reachable."""
        self._portfolios = {k: p for k, p in self._portfolios.items() if p is portfolio}
        mine = self.panel_of(portfolio)
        self._months = {k: v for k, v in self._months.items() if v[0] is portfolio or v[1].panel is mine}
        self._engines = {k: e for k, e in self._engines.items() if e.portfolio is portfolio}

    def extra_columns(self) -> list[Column]:
        return [c for s in self.registry.schemes.values() for c in s.new_columns]

    def engine(self, scheme: Scheme, portfolio: Portfolio) -> Engine:
        """The engine of ``scheme`` on ``portfolio``, made once; a missing column is an
        ``UnmappedColumns`` error with the likely mapping."""
        key = (scheme.id, id(portfolio))
        cached = self._engines.get(key)
        if cached is None or cached.portfolio is not portfolio or cached.scheme is not scheme:
            check_columns(scheme, portfolio)
            cached = Engine(scheme, portfolio, self.registry.drivers)
            self._engines[key] = cached
        return cached

    # -- settings ----------------------------------------------------------

    def settings(self, scenario: Scenario, scheme: Scheme) -> Settings:
        """A scenario's settings, checked against its scheme."""
        return Settings.checked(
            scheme,
            self.registry.drivers,
            scenario.parameters,
            scenario.options,
            scenario.costs,
            where=scenario.where,
        )

    # -- running -----------------------------------------------------------

    def simulate(self, scenario: Scenario, portfolio: Portfolio) -> tuple[Scheme, Engine, Result]:
        scheme = self.registry.scheme(scenario.scheme, scenario.where, scenario.scheme_file_path())
        engine = self.engine(scheme, self.fitted(portfolio, scenario, scheme))
        return scheme, engine, engine.simulate(settings=self.settings(scenario, scheme))

    def baseline_of(
        self, scenario: Scenario, baseline: Scenario | None = None, default_of: Scheme | None = None
    ) -> Scenario | None:
        """What ``scenario`` is compared with: ``baseline`` when given, else the scenario's own
        ``baseline`` file, else (with ``default_of``) that scheme's defaults."""
        if baseline is None and scenario.baseline:
            path = scenario.baseline_path()
            assert path is not None
            if not path.exists():
                raise ScenarioError(
                    f"{scenario.path or scenario.display_name}: baseline {scenario.baseline} "
                    f"(resolved to {path}): no such scenario file"
                )
            baseline = load_scenario(path)
        if baseline is None and default_of is not None:
            baseline = Scenario(scheme=default_of.id, name=f"{default_of.id} defaults")
        return baseline

    def run(
        self,
        scenario: Scenario,
        *,
        portfolio: Portfolio | None = None,
        baseline: Scenario | None = None,
        default_baseline: bool = False,
    ) -> CustomerRun:
        """Simulate ``scenario`` and compare it with a baseline.

        The baseline is ``baseline`` when given, else the scenario's own
        ``baseline`` file, else (with ``default_baseline``) the scheme's
        defaults. It always runs on the scenario's portfolio.
        """
        if portfolio is None:
            portfolio = self.portfolio(scenario.portfolio, scenario.base_dir)
        scheme, engine, result = self.simulate(scenario, portfolio)
        run = CustomerRun(scenario, scheme, engine.portfolio, result)
        run.notes.extend(portfolio_notes(engine.portfolio, scheme, engine.defaulted))
        baseline = self.baseline_of(scenario, baseline, scheme if default_baseline else None)
        if baseline is not None:
            _, _, base_result = self.simulate(baseline, portfolio)
            run.baseline = base_result
            run.baseline_scenario = baseline
            run.comparison = compare(result, base_result)
        return run
