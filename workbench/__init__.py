"""Tiering Workbench: the public plugin API.

A scheme plugin imports what it needs from here and nothing else::

    from workbench import Scheme, Tier, Criterion, Parameter, Text, hookimpl, metrics

See ``docs/plugins.md``.
"""

from workbench import benefits, metrics
from workbench.costs import CostDriver, Field
from workbench.hookspecs import hookimpl
from workbench.metrics import MetricContext, RankRule
from workbench.model import (
    Benefit,
    Choice,
    ClassifyContext,
    Column,
    Criterion,
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

__version__ = "0.1.0"

__all__ = [
    "Benefit",
    "Choice",
    "ClassifyContext",
    "Column",
    "CostDriver",
    "Criterion",
    "Field",
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
