"""Properties of the engine on generated portfolios, for every built-in scheme."""

import numpy as np
from helpers import portfolios
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbench.core.engine import Engine
from workbench.files.portfolios import portfolio_from_frame

SCHEMES = ["industrial-bank", "icbc-stars", "postal-savings", "branch-layers"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(portfolio=portfolios(), scheme_id=st.sampled_from(SCHEMES), data=st.data())
def test_counts_sum_and_raising_a_threshold_never_raises_a_tier(registry, portfolio, scheme_id, data):
    scheme = registry.schemes[scheme_id]
    engine = Engine(scheme, portfolio, registry.drivers)
    options = {o.id: data.draw(st.sampled_from(o.values)) for o in scheme.options}
    base = engine.simulate(options=options)
    assert base.customers == portfolio.rows
    assert np.isclose(base.aum.sum(), engine.aum_values(base.settings).sum())
    thresholds = [p for p in scheme.parameters if p.kind == "threshold"]
    p = data.draw(st.sampled_from(thresholds))
    factor = data.draw(st.floats(min_value=1.0, max_value=1.9))
    try:
        settings_ = engine.settings({p.id: p.default * factor}, options)
    except Exception:
        return  # would break the rising order: refused, not simulated
    raised = engine.simulate(settings=settings_)
    assert (raised.tiers <= base.tiers).all()


@settings(max_examples=40, deadline=None)
@given(portfolio=portfolios(), extra=st.floats(min_value=0, max_value=5e6))
def test_more_assets_never_lower_a_tier(registry, portfolio, extra):
    for scheme_id in ("industrial-bank", "postal-savings", "branch-layers"):
        scheme = registry.schemes[scheme_id]
        before = Engine(scheme, portfolio, registry.drivers).simulate().tiers
        richer = portfolio.frame.copy()
        richer.loc[0, "aum"] += round(extra, 2)
        after = Engine(scheme, portfolio_from_frame(richer, "richer"), registry.drivers).simulate().tiers
        assert (after >= before).all(), scheme_id
