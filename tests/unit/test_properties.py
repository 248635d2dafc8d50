"""Properties of the engine on generated portfolios, for every built-in scheme."""

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbench.engine import Engine
from workbench.portfolio import portfolio_from_frame

MONEY = st.one_of(
    st.sampled_from([0.0, 1_000.0, 50_000.0, 80_000.0, 100_000.0, 300_000.0, 1_000_000.0, 3_000_000.0]),
    st.floats(min_value=0, max_value=2e7, allow_nan=False).map(lambda x: round(x, 2)),
)


@st.composite
def portfolios(draw):
    n = draw(st.integers(min_value=1, max_value=40))
    rows = {
        "customer_id": [f"c{i}" for i in range(n)],
        "household_id": draw(st.lists(st.sampled_from(["", "", "H1", "H2", "H3"]), min_size=n, max_size=n)),
        "aum": draw(st.lists(MONEY, min_size=n, max_size=n)),
        "household_income": draw(st.lists(MONEY, min_size=n, max_size=n)),
        "designated_card_level": draw(
            st.lists(st.sampled_from(["none", "gold", "platinum", "diamond"]), min_size=n, max_size=n)
        ),
        "credit_card": draw(
            st.lists(st.sampled_from(["none", "standard", "gold", "platinum"]), min_size=n, max_size=n)
        ),
        "private_banking": draw(st.lists(st.booleans(), min_size=n, max_size=n)),
    }
    for column in ("aum_short_6m", "aum_long_6m", "card_spend_6m", "mortgage_6m"):
        rows[column] = draw(st.lists(MONEY, min_size=n, max_size=n))
    return portfolio_from_frame(pd.DataFrame(rows), "generated")


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
