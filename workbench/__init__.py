"""Tiering Workbench: the public plugin API.

A scheme plugin imports what it needs from here and nothing else::

    from workbench import Scheme, Tier, Criterion, Parameter, Text, hookimpl, metrics

See ``docs/plugins.md``.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from workbench.scheme import benefits, metrics
    from workbench.scheme.drivers import CostDriver, Field
    from workbench.scheme.hookspecs import hookimpl
    from workbench.scheme.metrics import MetricContext, RankRule
    from workbench.scheme.model import (
        Benefit,
        Choice,
        ClassifyContext,
        Column,
        Conditions,
        Criterion,
        Flag,
        Floor,
        Group,
        Metric,
        Option,
        Override,
        Parameter,
        Scheme,
        Tier,
    )
    from workbench.text import Text

# Where each public name lives. They are imported on first use, so that the command
# starts (and answers Ctrl+C) before numpy and pandas are loaded.
_HOMES = {
    "benefits": "workbench.scheme.benefits",
    "metrics": "workbench.scheme.metrics",
    "CostDriver": "workbench.scheme.drivers",
    "Field": "workbench.scheme.drivers",
    "hookimpl": "workbench.scheme.hookspecs",
    "MetricContext": "workbench.scheme.metrics",
    "RankRule": "workbench.scheme.metrics",
    "Text": "workbench.text",
    **{
        name: "workbench.scheme.model"
        for name in (
            "Benefit",
            "Choice",
            "ClassifyContext",
            "Column",
            "Conditions",
            "Criterion",
            "Flag",
            "Floor",
            "Group",
            "Metric",
            "Option",
            "Override",
            "Parameter",
            "Scheme",
            "Tier",
        )
    },
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'workbench' has no attribute {name!r}")
    module = importlib.import_module(home)
    value = module if home.rsplit(".", 1)[-1] == name else getattr(module, name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


__version__ = "0.1.0"

__all__ = [
    "Benefit",
    "Choice",
    "ClassifyContext",
    "Column",
    "Conditions",
    "CostDriver",
    "Criterion",
    "Field",
    "Flag",
    "Floor",
    "Group",
    "Metric",
    "MetricContext",
    "Option",
    "Override",
    "Parameter",
    "RankRule",
    "Scheme",
    "Text",
    "Tier",
    "__version__",
    "benefits",
    "hookimpl",
    "metrics",
]
