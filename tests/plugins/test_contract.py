"""The built-in schemes pass the same kit a plugin author uses, loaded through entry points."""

from workbench.testing import SchemeContract


class TestIndustrialBank(SchemeContract):
    scheme_id = "industrial-bank"


class TestIcbcStars(SchemeContract):
    scheme_id = "icbc-stars"


class TestPostalSavings(SchemeContract):
    scheme_id = "postal-savings"


class TestBranchLayers(SchemeContract):
    scheme_id = "branch-layers"


def test_builtins_load_through_the_entry_point_group(registry):
    assert registry.scheme_plugin == {
        "industrial-bank": "industrial-bank",
        "icbc-stars": "icbc-stars",
        "postal-savings": "postal-savings",
        "branch-layers": "branch-layers",
    }
    assert registry.failures == []
