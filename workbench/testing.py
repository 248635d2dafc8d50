"""A test kit for scheme plugin authors, usable as a pytest plugin.

In your plugin's ``conftest.py``::

    pytest_plugins = ["workbench.testing"]

and in a test module::

    from workbench.testing import SchemeContract

    class TestMyScheme(SchemeContract):
        scheme_id = "cmb-sunflower"

That runs the same checks the built-in schemes pass: the scheme loads through
its entry point, its declaration is valid (columns, parameters, options,
metrics, benefits), thresholds rise with the tier under the defaults, every
customer of a generated portfolio gets a declared tier under every option,
raising a threshold never raises a customer's tier, a missing required
column is a clear error, and a scenario round-trips through TOML. The
functions below can also be called directly.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import replace
from itertools import product
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from workbench.core.engine import Engine
from workbench.core.portfolio import Portfolio
from workbench.core.results import Result
from workbench.errors import PortfolioError, WorkbenchError
from workbench.files.portfolios import portfolio_from_frame
from workbench.files.sample import generate_frame
from workbench.files.scenarios import PortfolioRef, Scenario, load_scenario, save_scenario
from workbench.planning.runs import Session
from workbench.scheme.model import Scheme
from workbench.scheme.registry import Registry, default_registry, load_registry
from workbench.scheme.validation import validate_scheme


def hand_portfolio(rows: Sequence[Mapping[str, Any]], scheme: Scheme | None = None) -> Portfolio:
    """A portfolio from hand-written rows (dicts of column values); customer ids ``c1``,
    ``c2``, ... where a row gives none. Columns a row leaves out take their defaults."""
    records = [{"customer_id": f"c{i + 1}", **row} for i, row in enumerate(rows)]
    frame = pd.DataFrame(records)
    extra = scheme.new_columns if scheme is not None else ()
    return portfolio_from_frame(frame, "hand-written", first_data_row=1, extra_columns=extra)


def _simulate(
    scheme_id: str,
    rows: Sequence[Mapping[str, Any]],
    params: Mapping[str, float] | None,
    options: Mapping[str, str] | None,
    costs: Mapping[str, Any] | None,
    registry: Registry | None,
) -> Result:
    registry = registry or default_registry()
    scheme = registry.scheme(scheme_id)
    engine = Engine(scheme, hand_portfolio(rows, scheme), registry.drivers)
    return engine.simulate(params, options, costs)


def tiers_of(
    scheme_id: str,
    rows: Sequence[Mapping[str, Any]],
    *,
    params: Mapping[str, float] | None = None,
    options: Mapping[str, str] | None = None,
    registry: Registry | None = None,
) -> list[str]:
    """Each hand-written customer's tier id under the scheme (installed plugins unless
    ``registry`` is given)::

        assert tiers_of("cmb-sunflower", [{"aum": 49_999}, {"aum": 50_000}]) == ["standard", "gold"]
    """
    result = _simulate(scheme_id, rows, params, options, None, registry)
    return [result.scheme.tier_ids[i] for i in result.tiers]


def costs_of(
    scheme_id: str,
    rows: Sequence[Mapping[str, Any]],
    *,
    params: Mapping[str, float] | None = None,
    options: Mapping[str, str] | None = None,
    costs: Mapping[str, Any] | None = None,
    registry: Registry | None = None,
) -> dict[str, dict[str, float]]:
    """The benefit cost a year of hand-written customers: tier id -> benefit id -> CNY
    (tiers with no customers cost nothing and are left out)."""
    result = _simulate(scheme_id, rows, params, options, costs, registry)
    out: dict[str, dict[str, float]] = {}
    for line in result.cost_lines:
        if result.counts[result.scheme.tier_index(line.assumption.tier)]:
            out.setdefault(line.assumption.tier, {})[line.assumption.benefit] = line.cost
    return out


def portfolio_for(scheme: Scheme, rows: int = 3_000, seed: int = 7) -> Portfolio:
    """The synthetic sample, plus random values for columns the scheme adds."""
    frame = generate_frame(rows, seed)
    rng = np.random.default_rng(seed)
    for column in scheme.new_columns:
        if column.kind in ("money", "number"):
            frame[column.name] = np.round(rng.lognormal(8, 2, rows), 2)
        elif column.kind == "bool":
            frame[column.name] = rng.random(rows) < 0.3
        elif column.kind == "category":
            frame[column.name] = rng.choice(list(column.categories), rows)
        else:
            frame[column.name] = ""
    return portfolio_from_frame(
        frame, f"test portfolio ({rows:,}, seed {seed})", first_data_row=1, extra_columns=scheme.new_columns
    )


def option_combinations(scheme: Scheme) -> Iterator[dict[str, str]]:
    """Every combination of option values."""
    names = [o.id for o in scheme.options]
    for values in product(*(o.values for o in scheme.options)):
        yield dict(zip(names, values, strict=True))


def check_declaration(scheme: Scheme, registry: Registry) -> None:
    problems = validate_scheme(scheme, registry.drivers)
    assert not problems, f"scheme {scheme.id!r} is invalid:\n  " + "\n  ".join(p.en for p in problems)
    for tier in scheme.tiers:
        assert tier.name.en and tier.name.zh, f"tier {tier.id!r} needs English and Chinese names"
    for benefit in scheme.benefits:
        assert benefit.name.en and benefit.name.zh, f"benefit {benefit.id!r} needs English and Chinese names"
    for parameter in scheme.parameters:
        assert parameter.name.en and parameter.name.zh, f"parameter {parameter.id!r} needs both names"
        assert parameter.unit, f"parameter {parameter.id!r} needs a unit"


def check_every_customer_tiered(scheme: Scheme, portfolio: Portfolio, registry: Registry) -> None:
    engine = Engine(scheme, portfolio, registry.drivers)
    for options in option_combinations(scheme):
        result = engine.simulate(options=options)
        tiers = result.tiers
        assert tiers.shape == (portfolio.rows,), f"{options}: one tier per customer expected"
        assert tiers.min() >= 0 and tiers.max() < len(scheme.tiers), f"{options}: undeclared tier index"
        assert result.customers == portfolio.rows, f"{options}: tier counts must sum to the customers"
        assert np.isclose(result.aum.sum(), engine.aum_values(result.settings).sum()), (
            f"{options}: tier AUM must sum to the portfolio's AUM"
        )
        assert np.isfinite(result.total_benefit_cost) and result.total_benefit_cost >= 0


def check_monotone_thresholds(scheme: Scheme, portfolio: Portfolio, registry: Registry) -> None:
    """Raising any one threshold (within the chain's order) never raises a tier."""
    engine = Engine(scheme, portfolio, registry.drivers)
    for options in option_combinations(scheme):
        base = engine.simulate(options=options).tiers
        for p in scheme.parameters:
            if p.kind != "threshold":
                continue
            raised = {p.id: p.default + p.step}
            try:
                settings = engine.settings(raised, options)
            except Exception:
                continue  # the nudge would break the rising order: not a valid scenario
            after = engine.simulate(settings=settings).tiers
            assert (after <= base).all(), (
                f"raising {p.id} by one step raised {(after > base).sum()} customers' tier ({options})"
            )


def check_thresholds_bite(scheme: Scheme, portfolio: Portfolio, registry: Registry, probes: int = 40) -> None:
    """Each threshold, set to a customer's own value, lets that customer in, and set just
    above it, keeps them out: a reversed comparison, or a threshold wired to another tier's
    criterion or to a metric it does not cut, fails. Probed on customers below the
    threshold's tier whose value lies nearest under the default."""
    engine = Engine(scheme, portfolio, registry.drivers)
    for options in option_combinations(scheme):
        defaults = engine.settings(None, options)
        base = engine.simulate(settings=defaults).tiers
        for p in scheme.parameters:
            criterion = scheme.criterion_of_parameter(p.id)
            tier = scheme.tier_of_parameter(p.id)
            if p.kind == "threshold" and scheme.classify is not None:
                _probe_own_classify(engine, p.id, p.default, options)
            if p.kind != "threshold" or criterion is None or tier is None:
                continue
            if not any(c.threshold == p.id for c in scheme.criteria_of(tier, options)):
                continue  # switched off under these options
            values = engine.metric(criterion.metric, defaults.params, defaults.options)
            below = np.flatnonzero(
                np.isfinite(values) & (base < scheme.tier_index(tier)) & (values < p.default)
            )
            below = below[np.argsort(-values[below], kind="stable")][:probes]
            bites = tried = 0
            for row in below:
                value = float(values[row])
                try:
                    at = engine.simulate(settings=engine.settings({p.id: value}, options)).tiers
                    above = engine.simulate(
                        settings=engine.settings({p.id: np.nextafter(value, np.inf)}, options)
                    )
                except WorkbenchError:
                    continue  # the value would break the rising order: not a valid scenario
                tried += 1
                assert (above.tiers <= at).all(), (
                    f"{p.id} ({options}): a threshold just above a customer's value raised "
                    f"{int((above.tiers > at).sum())} customers' tier: is the comparison reversed?"
                )
                bites += int(at[row] >= scheme.tier_index(tier) > above.tiers[row])
            assert bites or not tried, (
                f"{p.id} ({options}): set to the {criterion.metric} of {tried} customers below "
                f"{tier}, it let none of them in: is it wired to {tier}'s criterion on {criterion.metric}?"
            )


def _probe_own_classify(engine: Engine, param: str, default: float, options: Mapping[str, str]) -> None:
    """A scheme's own ``classify``: moving the threshold from one customer's value of a
    metric to the next value up never raises a tier (a reversed comparison does)."""
    settings = engine.settings(None, options)
    for metric in engine.scheme.metrics:
        values = engine.metric(metric.id, settings.params, settings.options)
        finite = np.unique(values[np.isfinite(values)])
        nearest = np.sort(np.argsort(np.abs(finite - default))[:10])
        for low, high in zip(finite[nearest][:-1], finite[nearest][1:], strict=True):
            try:
                at = engine.simulate(settings=engine.settings({param: float(low)}, options)).tiers
                above = engine.simulate(settings=engine.settings({param: float(high)}, options))
            except WorkbenchError:
                continue
            raised = int((above.tiers > at).sum())
            assert not raised, (
                f"{param} ({options}): raised from {low:g} to {high:g} (customers' {metric.id}) it "
                f"raised {raised} customers' tier: is a comparison in classify reversed?"
            )


def check_required_columns(scheme: Scheme, portfolio: Portfolio, registry: Registry) -> None:
    for column in scheme.required_columns:
        if column == "customer_id":
            continue
        frame = portfolio.frame.drop(columns=[column])
        partial = portfolio_from_frame(frame, "partial", first_data_row=1, extra_columns=scheme.new_columns)
        with pytest.raises(PortfolioError) as info:
            Engine(scheme, partial, registry.drivers)
        message = str(info.value)
        assert column in message and scheme.id in message, (
            f"a missing {column!r} must be named with the scheme: {message}"
        )


def check_round_trip(scheme: Scheme, registry: Registry, directory: Path) -> None:
    """A scenario with changed settings saves and loads to the same figures."""
    params = {}
    for p in scheme.parameters:
        if p.kind == "weight":
            params[p.id] = p.default + p.step
    last = next((p for p in reversed(scheme.parameters) if p.kind == "threshold"), None)
    if last is not None:
        params[last.id] = last.default + last.step
    options = {o.id: o.values[-1] for o in scheme.options}
    scenario = Scenario(
        scheme=scheme.id,
        name=f"{scheme.id} round trip",
        notes="written by the kit",
        parameters=params,
        options=options,
        portfolio=PortfolioRef(sample_rows=2_000),
    )
    path = directory / f"{scheme.id}.toml"
    save_scenario(scenario, path)
    loaded = load_scenario(path)
    assert loaded.scheme == scheme.id
    assert loaded.parameters == {k: float(v) for k, v in params.items()}
    assert loaded.options == options
    assert (loaded.portfolio.sample_rows, loaded.portfolio.sample_seed) == (
        2_000,
        scenario.portfolio.sample_seed,
    )
    session = Session(registry)
    first = session.run(replace(scenario, path=path)).result
    second = session.run(loaded).result
    assert (first.counts == second.counts).all()
    assert first.total_benefit_cost == second.total_benefit_cost


# -- pytest plugin ------------------------------------------------------------


@pytest.fixture(scope="session")
def workbench_registry() -> Registry:
    """Every installed plugin, loaded through entry points as the app does."""
    return load_registry()


class SchemeContract:
    """Subclass and set ``scheme_id`` to run the kit's checks on a scheme."""

    scheme_id: str = ""
    rows: int = 3_000

    @pytest.fixture(scope="class")
    @classmethod
    def scheme(cls, workbench_registry: Registry) -> Scheme:
        failures = [str(f) for f in workbench_registry.failures]
        assert cls.scheme_id in workbench_registry.schemes, (
            f"scheme {cls.scheme_id!r} was not loaded through its entry point; "
            f"plugin errors: {failures or 'none'}"
        )
        return workbench_registry.schemes[cls.scheme_id]

    @pytest.fixture(scope="class")
    @classmethod
    def portfolio(cls, scheme: Scheme) -> Portfolio:
        return portfolio_for(scheme, cls.rows)

    def test_declaration_is_valid(self, scheme: Scheme, workbench_registry: Registry) -> None:
        check_declaration(scheme, workbench_registry)

    def test_every_customer_gets_a_declared_tier(
        self, scheme: Scheme, portfolio: Portfolio, workbench_registry: Registry
    ) -> None:
        check_every_customer_tiered(scheme, portfolio, workbench_registry)

    def test_raising_a_threshold_never_raises_a_tier(
        self, scheme: Scheme, portfolio: Portfolio, workbench_registry: Registry
    ) -> None:
        check_monotone_thresholds(scheme, portfolio, workbench_registry)

    def test_every_threshold_bites_at_its_value(
        self, scheme: Scheme, portfolio: Portfolio, workbench_registry: Registry
    ) -> None:
        check_thresholds_bite(scheme, portfolio, workbench_registry)

    def test_missing_required_column_is_named(
        self, scheme: Scheme, portfolio: Portfolio, workbench_registry: Registry
    ) -> None:
        check_required_columns(scheme, portfolio, workbench_registry)

    def test_scenario_round_trips(self, scheme: Scheme, workbench_registry: Registry, tmp_path: Path) -> None:
        check_round_trip(scheme, workbench_registry, tmp_path)
