"""A solver's outcome for people: what it reached and what it changed."""

from __future__ import annotations

from workbench import fmt
from workbench.planning.solve import Outcome


def describe(outcome: Outcome) -> str:
    """The outcome as a few lines: the solver's findings, then each parameter changed."""
    lines = list(outcome.lines)
    if outcome.changed:
        lines.append("changed:")
        lines.extend(
            f"  {pid}: {fmt.trimmed(a, 4)} -> {fmt.trimmed(b, 4)}" for pid, (a, b) in outcome.changed.items()
        )
    else:
        lines.append("no parameter changed")
    return "\n".join(lines)
