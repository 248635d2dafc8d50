"""A solver's outcome for people: what it reached and what it changed."""

from __future__ import annotations

from workbench import fmt
from workbench.planning.solve import Outcome
from workbench.present.words import word
from workbench.text import Lang


def describe(outcome: Outcome, lang: Lang = "en") -> str:
    """The outcome as a few lines: the solver's findings, then each parameter changed (by
    name, with its values as people write them)."""
    lines = [line.get(lang) for line in outcome.lines]
    scheme = outcome.result.scheme
    if outcome.changed:
        lines.append(word("solve.changed", lang))
        for pid, (a, b) in outcome.changed.items():
            p = scheme.parameter(pid)
            shown = (lambda v: fmt.money(v, lang)) if p.unit == "CNY" else (lambda v: fmt.trimmed(v, 4))
            lines.append(f"  {p.name.get(lang)}: {shown(a)} -> {shown(b)}")
    else:
        lines.append(word("solve.unchanged", lang))
    return "\n".join(lines)
