from workbench.testing import SchemeContract


class TestCmbSunflower(SchemeContract):
    scheme_id = "cmb-sunflower"


def test_levels_by_hand(workbench_registry):
    import pandas as pd

    from workbench.engine import Engine
    from workbench.portfolio import portfolio_from_frame

    frame = pd.DataFrame({"customer_id": ["a", "b", "c", "d"], "aum": [49_999, 50_000, 500_000, 12_000_000]})
    portfolio = portfolio_from_frame(frame, "hand")
    scheme = workbench_registry.schemes["cmb-sunflower"]
    result = Engine(scheme, portfolio, workbench_registry.drivers).simulate()
    assert [scheme.tier_ids[i] for i in result.tiers] == ["standard", "gold", "sunflower", "private"]
