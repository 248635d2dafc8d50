"""A tier's conditions written out as a sentence, in English or Chinese.

"Private banking: AUM >= 6,000,000 and risk assessed". Thresholds show their
values under the settings given, so the sentence follows the tuning.
"""

from __future__ import annotations

from collections.abc import Mapping

from workbench import fmt
from workbench.scheme.columns import COLUMNS
from workbench.scheme.model import Condition, Criterion, Flag, Scheme, Tier, applies
from workbench.text import Lang, Text

JOIN = {"any": Text(" or ", " 或 "), "all": Text(" and ", " 且 ")}


def column_label(scheme: Scheme, column: str) -> Text:
    """A column's name: the scheme's own declaration first, then the canonical one."""
    for declared in scheme.new_columns:
        if declared.name == column:
            return declared.description
    known = COLUMNS.get(column)
    return known.description if known is not None else Text(column, column)


def _amount(scheme: Scheme, criterion: Criterion, params: Mapping[str, float], lang: Lang) -> str:
    if isinstance(criterion.threshold, str):
        value = float(params.get(criterion.threshold, scheme.parameter(criterion.threshold).default))
        unit = scheme.parameter(criterion.threshold).unit
    else:
        value, unit = float(criterion.threshold or 0), scheme.metric(criterion.metric).unit
    return fmt.money(value, lang) if unit == "CNY" else fmt.trimmed(value, 6)


def condition_text(
    scheme: Scheme,
    node: Condition,
    params: Mapping[str, float],
    lang: Lang = "en",
    options: Mapping[str, str] | None = None,
    top: bool = True,
) -> str:
    """One condition (at any depth) as words; a combination is bracketed unless ``top``.
    With ``options``, conditions they switch off are left out."""
    if isinstance(node, Flag):
        return column_label(scheme, node.column).get(lang)
    if isinstance(node, Criterion):
        metric = scheme.metric(node.metric).name.get(lang)
        if node.threshold is None:
            reached = Text(" gives this tier", "达到本级")
            return metric + reached.get(lang)
        op = ">" if node.strict else ">="
        return f"{metric} {op} {_amount(scheme, node, params, lang)}"
    items = [i for i in node.items if options is None or applies(i.when, options)]
    parts = [condition_text(scheme, i, params, lang, options, top=False) for i in items]
    text = JOIN[node.combine].get(lang).join(parts)
    return text if top or len(parts) < 2 else f"({text})"


def tier_sentence(
    scheme: Scheme,
    tier: Tier,
    params: Mapping[str, float],
    lang: Lang = "en",
    options: Mapping[str, str] | None = None,
) -> str:
    """``Tier name: conditions``; the lowest tier is "everyone else"."""
    name = tier.name.get(lang)
    if not tier.criteria:
        return name + Text(": everyone else", ":其余客户").get(lang)
    words = condition_text(scheme, scheme.conditions(tier), params, lang, options)
    return name + Text(": ", ":").get(lang) + words
