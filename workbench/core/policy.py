"""The evaluation policy: how a scheme is applied month after month.

| key | meaning |
|---|---|
| ``window_months`` | months the half-year figures are computed over |
| ``downgrade_after_months`` | a customer falls only in the Nth consecutive month of a lower tier |
| ``retention_ratio`` | to keep a tier, metrics need only reach this share of its thresholds |
| ``downgrade_months`` | months of the year in which downgrades take effect (rating days) |

These keys and their meaning are an interface (``docs/replay.md``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace
from typing import Any

from workbench.errors import ScenarioError
from workbench.scheme.model import Scheme

KEYS = ("window_months", "downgrade_after_months", "retention_ratio", "downgrade_months")
EVERY_MONTH = tuple(range(1, 13))
RATING_DAYS = (EVERY_MONTH, (3, 6, 9, 12), (6, 12), (12,))  # what a nudge steps through


@dataclass(frozen=True)
class Policy:
    window_months: int = 1
    downgrade_after_months: int = 1
    retention_ratio: float = 1.0
    downgrade_months: tuple[int, ...] = EVERY_MONTH

    def as_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["downgrade_months"] = list(self.downgrade_months)
        return out

    def nudged(self, key: str, steps: int) -> Policy:
        """The policy with ``key`` moved ``steps`` steps: a month at a time (1 to 36), the
        retention share by 5 points (5% to 100%), the rating days through every month,
        quarter ends, half-year ends and the year's end. Stops at the bounds."""
        if key == "downgrade_months":
            at = RATING_DAYS.index(self.downgrade_months) if self.downgrade_months in RATING_DAYS else -1
            chosen = RATING_DAYS[min(max(at + steps, 0), len(RATING_DAYS) - 1)]
            return replace(self, downgrade_months=chosen)
        if key == "retention_ratio":
            share = round(min(max(self.retention_ratio + steps * 0.05, 0.05), 1.0), 2)
            return replace(self, retention_ratio=share)
        if key not in ("window_months", "downgrade_after_months"):
            raise KeyError(key)
        return replace(self, **{key: min(max(getattr(self, key) + steps, 1), 36)})

    @classmethod
    def default(cls, scheme: Scheme) -> Policy:
        return cls(window_months=scheme.window_months)

    @classmethod
    def checked(cls, scheme: Scheme, values: Mapping[str, Any] | None = None, where: str = "") -> Policy:
        """The scheme's default policy with ``values`` (from a scenario's ``[policy]`` or
        ``--policy KEY=VALUE``, where lists are comma-separated) applied, checked."""
        at = f"{where}: " if where else ""
        out = asdict(cls.default(scheme))
        for key, value in (values or {}).items():
            if key not in KEYS:
                raise ScenarioError(
                    f"{at}[policy] {key}: unknown key; the keys are {', '.join(KEYS)}",
                    zh=f"{at}[policy] {key}:未知的键;可用的键:{', '.join(KEYS)}",
                )
            out[key] = _value(key, value, at)
        return cls(**out)


def _value(key: str, value: Any, at: str) -> Any:
    def wrong(expected: str, zh: str) -> ScenarioError:
        return ScenarioError(
            f"{at}[policy] {key} = {value!r}: expected {expected}",
            zh=f"{at}[policy] {key} = {value!r}:应为{zh}",
        )

    if key == "downgrade_months":
        items = value.split(",") if isinstance(value, str) else value
        try:
            months = tuple(sorted({int(str(m).strip()) for m in items}))
        except (TypeError, ValueError):
            raise wrong("months of the year, e.g. 3,6,9,12", "月份,如 3,6,9,12") from None
        if not months or any(not 1 <= m <= 12 for m in months):
            raise wrong("months of the year between 1 and 12", "1 到 12 之间的月份")
        return months
    if key == "retention_ratio":
        try:
            ratio = float(value)
        except (TypeError, ValueError):
            raise wrong("a share between 0 and 1, e.g. 0.8", "0 到 1 之间的比例,如 0.8") from None
        if not 0 < ratio <= 1:
            raise wrong("a share above 0 and at most 1", "大于 0 且不超过 1 的比例")
        return ratio
    try:
        whole = int(str(value).strip())
    except ValueError:
        raise wrong("a whole number of months", "整数个月") from None
    if not 1 <= whole <= 36 or (isinstance(value, float) and not value.is_integer()):
        raise wrong("a whole number of months from 1 to 36", "1 到 36 的整数个月")
    return whole
