from workbench.testing import SchemeContract, tiers_of


class TestCmbSunflower(SchemeContract):
    scheme_id = "cmb-sunflower"


def test_levels_by_hand():
    rows = [{"aum": 49_999}, {"aum": 50_000}, {"aum": 500_000}, {"aum": 12_000_000}]
    assert tiers_of("cmb-sunflower", rows) == ["standard", "gold", "sunflower", "private"]
