"""Branch service layers, checked by hand against schemes.md section 4."""

from helpers import simulate, tier_ids


def test_layers_by_aum_inclusive_lower_bounds(registry):
    aums = [0, 999.99, 1_000, 49_999.99, 50_000, 199_999.99, 200_000, 500_000, 2_999_999, 3_000_000]
    result = simulate(registry, "branch-layers", [{"aum": a} for a in aums])
    assert tier_ids(result) == [
        "unlayered",
        "unlayered",
        "layer1",
        "layer1",
        "layer2",
        "layer2",
        "layer3",
        "layer4",
        "layer4",
        "layer5",
    ]
