"""Ready-made benefits, one per cost driver, with the reference defaults of ``docs/schemes.md``.

A scheme plugin writes ``benefits.per_use("airport_lounge", name, LOUNGE_VISIT,
{"platinum": {"uses_per_year": 0.3}})`` instead of spelling out a ``Benefit``.
``tiers`` is either the tier ids that offer the benefit on the same terms,
or a mapping of tier id to that tier's own assumption values.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from workbench.scheme.model import Benefit
from workbench.text import Text

# Reference points gathered for calibration (docs/schemes.md, "Default cost assumptions").
MANAGER_YEAR = 400_000  # fully loaded; listed banks' 2024 staff cost 554-606k per employee
CUSTOMERS_PER_MANAGER = {"private_banking": 50, "top": 200, "platinum": 500, "gold": 1_500}
LOUNGE_VISIT = 150  # a bank's over-quota price of a lounge visit
FAST_TRACK_USE = 100  # no public price found: an assumption
GOLF_ROUND = 1_000  # green fees 600-1,180
TRAVEL_INSURANCE = 80  # retail premiums 100-150 a year; group rates lower
ROAD_RESCUE = 10  # a bank sells unlimited rescue for 8 a year
HEALTH_CHECK = {"standard": 800, "premium": 2_500}
EVENT_HEAD = 250  # venue and catering
DINNER_HEAD = 600  # tier-1 city banquet prices
SMS_FEES = 24  # 2-3 a month
ACCOUNT_FEES = 22  # annual 10 + small-account 12

Tiers = Iterable[str] | Mapping[str, Mapping[str, float]]


def _tiers(tiers: Tiers) -> dict[str, dict[str, float]]:
    if isinstance(tiers, Mapping):
        return {t: dict(v) for t, v in tiers.items()}
    return {t: {} for t in tiers}


def _shared(**values: float | None) -> dict[str, float]:
    return {k: v for k, v in values.items() if v is not None}


def not_costed(benefit_id: str, name: Text, tiers: Tiers, reference: str = "") -> Benefit:
    """A benefit listed for completeness, with no cost modelled."""
    return Benefit(
        benefit_id,
        name,
        "not_costed",
        {},
        _tiers(tiers),
        reference=reference or "served by existing staff and channels",
    )


def staffing(
    benefit_id: str,
    name: Text,
    customers_per_manager: Mapping[str, float],
    reference: str = "",
    cost_per_manager: float = MANAGER_YEAR,
) -> Benefit:
    """Managers or advisors: ``customers_per_manager`` per tier, at ``cost_per_manager`` a year."""
    return Benefit(
        benefit_id,
        name,
        "staffing",
        {"cost_per_manager": cost_per_manager},
        {t: {"customers_per_manager": n} for t, n in customers_per_manager.items()},
        reference=reference
        or f"{cost_per_manager:,.0f} a manager-year fully loaded; customers per manager by tier",
    )


def per_use(
    benefit_id: str,
    name: Text,
    unit_cost: float,
    tiers: Tiers,
    reference: str,
    uses_per_year: float | None = None,
    uptake: float | None = None,
) -> Benefit:
    """Paid per use: unit cost x uses a year x uptake."""
    shared = _shared(unit_cost=unit_cost, uses_per_year=uses_per_year, uptake=uptake)
    return Benefit(benefit_id, name, "per_use", shared, _tiers(tiers), reference=reference)


def per_customer(
    benefit_id: str,
    name: Text,
    unit_cost: float | None,
    tiers: Tiers,
    reference: str,
    uptake: float | None = None,
) -> Benefit:
    """Paid per customer a year: unit cost x uptake."""
    shared = _shared(unit_cost=unit_cost, uptake=uptake)
    return Benefit(benefit_id, name, "per_customer", shared, _tiers(tiers), reference=reference)


def events(
    benefit_id: str,
    name: Text,
    unit_cost: float,
    tiers: Tiers,
    reference: str,
    events_per_year: float | None = None,
    attendance: float | None = None,
) -> Benefit:
    """Paid per event attendee: cost a head x events a year x attendance."""
    shared = _shared(unit_cost=unit_cost, events_per_year=events_per_year, attendance=attendance)
    return Benefit(benefit_id, name, "per_event_attendee", shared, _tiers(tiers), reference=reference)


def fee_waiver(
    benefit_id: str, name: Text, fee_per_year: float, payer_share: float, tiers: Tiers, reference: str
) -> Benefit:
    """Fees given up: the fee a year x the share who would have paid it."""
    return Benefit(
        benefit_id,
        name,
        "fee_waiver",
        {"fee_per_year": fee_per_year, "payer_share": payer_share},
        _tiers(tiers),
        reference=reference,
    )


def basis_points(benefit_id: str, name: Text, bp: float, tiers: Tiers, reference: str) -> Benefit:
    """A cost in basis points a year of the tier's AUM (a deposit-rate premium)."""
    return Benefit(benefit_id, name, "basis_points", {"bp": bp}, _tiers(tiers), reference=reference)
