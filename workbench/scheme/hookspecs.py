"""Hook specifications: what a Tiering Workbench plugin may implement.

A plugin is a module (or object) found through the ``workbench.schemes``
entry-point group. It implements any of these hooks with the ``hookimpl``
marker from ``workbench``. Each hook receives a ``register`` callable: call it
once per thing you provide. Hooks are called through pluggy, so an
implementation may take any subset of a hook's arguments (new arguments may
be added later without breaking it). Every hook is documented in
``docs/plugins.md``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from workbench.scheme.drivers import CostDriver
    from workbench.scheme.model import Scheme

PROJECT = "workbench"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


@hookspec
def workbench_register_schemes(register: Callable[[Scheme], None]) -> None:
    """Register tiering schemes.

    Call ``register(scheme)`` with a ``workbench.Scheme`` for each scheme the
    plugin provides. Each scheme is validated when registered; an invalid one,
    or one whose id another plugin also registers, is reported by
    ``workbench schemes`` and not loaded. Scheme ids are what scenario files
    and the command line name: never change one once published.
    """


@hookspec
def workbench_register_cost_drivers(register: Callable[[CostDriver], None]) -> None:
    """Register cost drivers: new ways a benefit can cost.

    Call ``register(driver)`` with a ``workbench.CostDriver`` for each driver.
    A driver's ``cost(values, customers, aum)`` returns the CNY a year one
    benefit costs in one tier, from the driver's field values and the tier's
    head count and AUM; ``explain(values, lang)`` returns the assumption as a
    short text shown beside the figure. Driver ids must not clash with the
    built-in ones (``per_customer``, ``per_use``, ``per_event_attendee``,
    ``staffing``, ``fee_waiver``, ``basis_points``, ``not_costed``) or with
    another plugin's.
    """
