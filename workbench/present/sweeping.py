"""A sweep for people: its table and the sentence on where the cost curve bends."""

from __future__ import annotations

from workbench import fmt
from workbench.planning.sweep import Sweep
from workbench.present import disclosure
from workbench.present.tables import Table
from workbench.present.words import label, unit_word, word
from workbench.scheme.model import Parameter
from workbench.text import Lang


def value_text(parameter: Parameter, value: float, lang: Lang = "en") -> str:
    """A swept value as people write it: money in the language's policy, else trimmed."""
    return fmt.money(value, lang) if parameter.unit == "CNY" else fmt.trimmed(value)


def _per_unit(parameter: Parameter, lang: Lang) -> tuple[float, str]:
    """Slopes are quoted per 10,000 CNY for money, per unit otherwise."""
    if parameter.unit == "CNY":
        return 10_000.0, word("sweep.per_10k", lang)
    return 1.0, unit_word(parameter.unit, lang, one=True) or word("sweep.per_unit", lang)


def summary(sweep: Sweep, lang: Lang = "en") -> str:
    """One sentence on the bend, or why there is none."""
    if len(sweep.valid) < 3:
        return word("sweep.too_few", lang)
    if sweep.bend is None:
        return word("sweep.straight", lang)
    b = sweep.bend
    size, per = _per_unit(sweep.parameter, lang)
    return word(
        "sweep.bends",
        lang,
        param=sweep.parameter.name.get(lang),
        value=value_text(sweep.parameter, b.value, lang),
        before=fmt.signed_money(b.slope_before * size, lang),
        after=fmt.signed_money(b.slope_after * size, lang),
        per=per,
    )


def sentence(sweep: Sweep, lang: Lang = "en") -> str:
    """``summary`` as a sentence: capital first letter, full stop."""
    text = summary(sweep, lang)
    if lang == "zh":
        return text + "。"
    return text[:1].upper() + text[1:] + "."


def sweep_table(sweep: Sweep, lang: Lang = "en", min_cell: int | None = None) -> Table:
    """Value (rows) by tier customers, AUM and total cost; a total cost that moves by fewer
    than ``min_cell`` customers from the last one shown is marked, not shown; a value that
    is not allowed says why."""
    from workbench.present.shapes import sweep_hidden

    _, hidden_total = sweep_hidden(sweep, min_cell)
    tiers = sweep.scheme.tiers
    headers = [sweep.parameter.name.get(lang)] + [t.name.get(lang) for t in reversed(tiers)]
    headers += [label("aum", lang), label("benefit_cost", lang)]
    rows = []
    for p, hide_total in zip(sweep.points, hidden_total, strict=True):
        mark = " *" if p.value == sweep.current else ""
        shown = value_text(sweep.parameter, p.value, lang) + mark
        if p.error is not None:
            why = word("report.not_allowed", lang, why=p.error)
            rows.append([shown] + ["-"] * (len(tiers) + 1) + [why])
            continue
        cost = disclosure.mark(min_cell or 0) if hide_total else fmt.money(p.total_cost, lang)
        rows.append(
            [shown]
            + [fmt.number(int(c)) for c in reversed(p.counts)]
            + [fmt.money(float(p.aum.sum()), lang, compact=True), cost]
        )
    title = f"{sweep.scheme.name.get(lang)}: {sweep.parameter.name.get(lang)}; {word('report.current', lang)}"
    return Table(title, headers, rows, ["<"] + [">"] * (len(headers) - 1))
