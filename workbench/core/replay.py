"""Replaying a scheme over every month of a panel, under an evaluation policy.

Each month, the rules give every customer present a tier from that month's
figures, half-year figures computed over the last ``window_months`` months the
customer was present (balances averaged, flows summed). The tier a customer
*holds* then follows the policy: the first month they appear, the tier the rules
give; an upgrade in the month the rules first give a higher tier; a downgrade
only in the ``downgrade_after_months``-th consecutive month in which, even with
thresholds at ``retention_ratio`` of their value, the rules give a lower tier,
and only in a month of ``downgrade_months``; then to the tier the rules give.
A customer who leaves and comes back starts again.

Numbers only: months come in as ``Portfolio`` objects, in order.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace

import numpy as np
from numba import njit

from workbench.core.engine import Engine, Subset
from workbench.core.households import Households
from workbench.core.ids import groups, places
from workbench.core.policy import Policy
from workbench.core.portfolio import Portfolio
from workbench.core.results import cost_lines
from workbench.core.settings import Settings
from workbench.core.windows import money_columns, windowed
from workbench.scheme.drivers import CostDriver
from workbench.scheme.model import Scheme

QUARTER_ENDS = (3, 6, 9, 12)
MONTH_THREADS = 2


@dataclass(frozen=True)
class Month:
    """One month of a replay: customers present, held tiers, AUM, a twelfth of the annual
    benefit cost, and the moves from the month before."""

    month: str
    customers: int
    counts: np.ndarray  # customers holding each tier
    aum: np.ndarray  # CNY by held tier (the scheme's AUM measure, that month)
    cost: np.ndarray  # CNY by held tier: the month's share of the annual cost
    upgrades: int
    downgrades: int
    joined: int
    left: int
    bounced_back: int = 0  # upgraded back to a tier they had been downgraded from


@dataclass(frozen=True)
class Quarter:
    """Tier counts at a quarter's end and their change since the start of the year."""

    quarter: str
    counts: np.ndarray
    change: np.ndarray
    change_pct: list[float | None]
    since: str  # the month compared with: December before, or the year's first month in the panel


@dataclass(frozen=True)
class Replay:
    scheme: Scheme
    policy: Policy
    settings: Settings
    months: tuple[Month, ...]
    quarters: tuple[Quarter, ...]
    customer_ids: np.ndarray  # every customer of the panel, sorted
    held: np.ndarray  # (months, customers) tier index held, -1 when absent
    given: np.ndarray  # (months, customers) tier index the rules give, -1 when absent
    kept: np.ndarray  # (months, customers) the tier the rules give with thresholds at the retention share
    metrics: tuple[np.ndarray, ...]  # each month's main metric, in the month's row order
    where: tuple[np.ndarray, ...]  # each month's rows' positions in ``customer_ids``

    def metric(self, month: int, index: int) -> float:
        """The main metric of customer ``index`` (a position in ``customer_ids``) in a month
        (NaN when absent)."""
        rows = np.flatnonzero(self.where[month] == index)
        return float(self.metrics[month][rows[0]]) if len(rows) else float("nan")

    def customer(self, customer_id: str) -> int | None:
        """A customer's position in ``customer_ids`` (None when not in the panel)."""
        i = int(np.searchsorted(self.customer_ids, customer_id))
        return i if i < len(self.customer_ids) and self.customer_ids[i] == customer_id else None


def replay(
    scheme: Scheme,
    months: Sequence[str],
    portfolios: Sequence[Portfolio],
    settings: Settings,
    policy: Policy,
    drivers: Mapping[str, CostDriver],
) -> Replay:
    """Every month of the panel under ``settings`` and ``policy``."""
    return Replayer(scheme, months, portfolios, drivers).run(settings, policy)


class Replayer:
    """Replays one panel again and again: each month's engine (its metrics) is kept, so a
    threshold change classifies again only the customer-months whose metric lies between
    the old and the new value (a weight, option or window change classifies every one)."""

    def __init__(
        self,
        scheme: Scheme,
        months: Sequence[str],
        portfolios: Sequence[Portfolio],
        drivers: Mapping[str, CostDriver],
    ) -> None:
        self.scheme, self.months, self.drivers = scheme, tuple(months), drivers
        self.source = tuple(portfolios)
        # Customer and household ids hashed once for the panel, side by side (the hashing
        # releases the GIL): most of a first replay's time on millions of customer-months.
        with ThreadPoolExecutor(max_workers=2, thread_name_prefix="workbench-replay") as pool:
            customers, households = pool.submit(_customers, portfolios), pool.submit(_households, portfolios)
            (self.universe, self.where), self.households = customers.result(), households.result()
        self.window = -1
        self.engines: list[Engine] = []
        self.settings: Settings | None = None
        self.ratio = 1.0
        n = len(self.universe)
        self.given = np.full((len(months), n), -1, dtype=np.int8)
        self.keep = np.full((len(months), n), -1, dtype=np.int8)
        self.last_classified = 0  # customer-months classified by the last run
        self._last: tuple[Policy, np.ndarray, np.ndarray] | None = None  # policy, held, bounced

    def run(self, settings: Settings, policy: Policy) -> Replay:
        scheme, where = self.scheme, self.where
        if policy.window_months != self.window:
            n = len(self.universe)
            portfolios = _windowed_months(scheme, self.source, where, n, policy, self.households)
            self.engines = [Engine(scheme, p, self.drivers) for p in portfolios]
            self.window, self.settings = policy.window_months, None
        old = self.settings
        moved = (
            self._moved_thresholds(old, settings)
            if old is not None and self.ratio == policy.retention_ratio
            else None
        )
        retained = _retained(scheme, settings, policy.retention_ratio) if policy.retention_ratio < 1 else None

        def month(m: int) -> np.ndarray | None:
            """Classify one month again (all of it, or the rows a threshold moves); each month
            writes its own row of the matrices, so months run side by side. Returns the
            customers classified (None: all of them)."""
            engine = self.engines[m]
            rows = None if moved is None else self._rows(engine, moved, policy.retention_ratio)
            if rows is None:
                self.given[m, where[m]] = engine.classify(settings).tiers
                self.keep[m, where[m]] = (
                    engine.classify(retained).tiers if retained is not None else self.given[m, where[m]]
                )
                return None
            at = where[m][rows]
            if len(rows):
                self.given[m, at] = engine.classify(settings, Subset.rows(rows)).tiers
                self.keep[m, at] = (
                    engine.classify(retained, Subset.rows(rows)).tiers
                    if retained is not None
                    else self.given[m, at]
                )
            return at

        # numpy releases the GIL: two months at a time use both cores (in a pool of their own,
        # as the engine's passes use the shared one)
        with ThreadPoolExecutor(max_workers=MONTH_THREADS, thread_name_prefix="workbench-replay") as pool:
            touched = list(pool.map(month, range(len(self.engines))))
        partial = [t for t in touched if t is not None]
        self.last_classified = sum(map(len, partial)) + sum(
            e.portfolio.rows for e, t in zip(self.engines, touched, strict=True) if t is None
        )
        changed = np.unique(np.concatenate(partial)) if len(partial) == len(touched) and partial else None
        self.settings, self.ratio = settings, policy.retention_ratio
        return self._outputs(settings, policy, changed)

    def _held(self, policy: Policy, changed: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
        """The tiers held and the bounce-backs per month; after a threshold change, the
        policy replayed only for the customers it reclassified (``changed``): nobody
        else's months can differ."""
        last = self._last
        if changed is None or last is None or last[0] != policy:
            # customers are replayed apart from one another: half of them on each core
            half = self.given.shape[1] // 2
            with ThreadPoolExecutor(max_workers=2, thread_name_prefix="workbench-replay") as pool:
                parts = list(
                    pool.map(
                        lambda cut: _held(self.given[:, cut], self.keep[:, cut], self.months, policy),
                        (slice(0, half), slice(half, None)),
                    )
                )
                counts = list(pool.map(_bounced, parts))
            held, bounced = np.concatenate(parts, axis=1), counts[0] + counts[1]
        else:
            held = last[1].copy()  # the last replay's stays as it was
            before = held[:, changed]
            after = _held(self.given[:, changed], self.keep[:, changed], self.months, policy)
            held[:, changed] = after
            bounced = last[2] - _bounced(before) + _bounced(after)
        self._last = (policy, held, bounced)
        return held, bounced

    def _moved_thresholds(self, old: Settings, new: Settings) -> dict[str, tuple[float, float]] | None:
        """The thresholds that changed, with their old and new values; None when anything
        else changed (weights, options: every metric may move)."""
        if old.options != new.options or old.params.keys() != new.params.keys():
            return None
        changed = {p: (old.params[p], new.params[p]) for p in new.params if new.params[p] != old.params[p]}
        weights = {p for m in self.scheme.metrics for p in m.parameters}
        return None if changed.keys() & weights else changed

    def _rows(self, engine: Engine, moved: dict[str, tuple[float, float]], ratio: float) -> np.ndarray:
        """The month's customers whose criteria on a moved threshold can change outcome (also
        at the retention share of it)."""
        settings = self.settings
        assert settings is not None
        mask = np.zeros(engine.portfolio.rows, dtype=bool)
        for tier in self.scheme.tiers:
            for criterion in self.scheme.criteria_of(tier, settings.options):
                if criterion.threshold not in moved:
                    continue
                values = engine.metric(criterion.metric, settings.params, settings.options)
                low, high = sorted(moved[str(criterion.threshold)])
                for scale in {1.0, ratio}:
                    mask |= (values >= low * scale) & (values <= high * scale)
        return np.flatnonzero(mask)

    def _outputs(self, settings: Settings, policy: Policy, changed: np.ndarray | None) -> Replay:
        scheme, where, months = self.scheme, self.where, self.months
        k = len(scheme.tiers)
        held, bounced = self._held(policy, changed)

        def month(m: int) -> Month:
            counts, fen, moves = month_figures(held, m, where[m], self.engines[m].aum_fen(settings), k)
            aum = fen / 100.0
            cost = np.zeros(k)
            for line in cost_lines(settings.assumptions, self.drivers, scheme, counts, aum):
                cost[scheme.tier_index(line.assumption.tier)] += line.cost / 12
            upgrades, downgrades, joined, left = (int(x) for x in moves)
            return Month(
                months[m],
                len(where[m]),
                counts,
                aum,
                cost,
                upgrades=upgrades,
                downgrades=downgrades,
                joined=joined,
                left=left,
                bounced_back=int(bounced[m]),
            )

        with ThreadPoolExecutor(max_workers=MONTH_THREADS, thread_name_prefix="workbench-replay") as pool:
            out = list(pool.map(month, range(len(months))))  # numpy releases the GIL: both cores
        return Replay(
            scheme, policy, settings, tuple(out), quarters(out), self.universe, held,
            self.given.copy(), self.keep.copy(),
            tuple(e.metric(scheme.main_metric, settings.params, settings.options) for e in self.engines),
            tuple(where),
        )  # fmt: skip


def month_figures(
    held: np.ndarray, m: int, rows_at: np.ndarray, fen: np.ndarray, k: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Month ``m``'s customers by held tier, their AUM in fen by held tier (``fen`` in the
    month's row order, ``rows_at`` each row's place among the panel's customers) and the
    moves from the month before: upgrades, downgrades, joined, left (none in the first
    month). One compiled pass each over the month's rows and over the customers; the
    figures of ``bincount`` and boolean counts, sums in the same order (tested)."""
    counts = np.zeros(k, dtype=np.int64)
    fen_sums = np.zeros(k, dtype=np.float64)
    moves = np.zeros(4, dtype=np.int64)
    _month_figures(held[m], held[m - 1] if m else held[m], rows_at, fen, counts, fen_sums, moves)
    return counts, fen_sums, moves


@njit(nogil=True, cache=True)
def _month_figures(  # pragma: no cover - compiled
    now: np.ndarray,
    before: np.ndarray,
    rows_at: np.ndarray,
    fen: np.ndarray,
    counts: np.ndarray,
    fen_sums: np.ndarray,
    moves: np.ndarray,
) -> None:
    for i in range(len(rows_at)):
        tier = now[rows_at[i]]
        if tier < 0:
            raise ValueError("a customer present in the month holds no tier")
        counts[tier] += 1
        fen_sums[tier] += fen[i]
    for j in range(len(now)):
        b, t = before[j], now[j]
        if b >= 0 and t >= 0:
            if t > b:
                moves[0] += 1
            elif t < b:
                moves[1] += 1
        elif t >= 0:
            moves[2] += 1
        elif b >= 0:
            moves[3] += 1


def _bounced(held: np.ndarray) -> np.ndarray:
    """Per month, customers upgraded back to (or above) a tier they were downgraded from
    earlier in the panel."""
    lost = np.full(held.shape[1], -1, dtype=np.int8)  # the tier a customer fell from, -1 when none
    out = np.zeros(held.shape[0], dtype=np.int64)
    for m in range(1, held.shape[0]):
        before, now = held[m - 1], held[m]
        both = (before >= 0) & (now >= 0)
        back = both & (now > before) & (lost >= 0) & (now >= lost)
        out[m] = np.count_nonzero(back)
        lost[back] = -1
        fell = both & (now < before)
        lost[fell] = np.maximum(lost[fell], before[fell])
        lost[now < 0] = -1
    return out


def _customers(portfolios: Sequence[Portfolio]) -> tuple[np.ndarray, list[np.ndarray]]:
    """Every customer of the panel (sorted ids) and, per month, each row's position among
    them (ids that are numbers in disguise read as such; see ``core.ids``)."""
    return places([p.frame["customer_id"] for p in portfolios])


def _windowed_months(
    scheme: Scheme,
    portfolios: Sequence[Portfolio],
    where: list[np.ndarray],
    n: int,
    policy: Policy,
    households: list[Households | None],
) -> list[Portfolio]:
    """Each month's portfolio with its money columns over the policy's window."""
    if policy.window_months == 1:
        return [
            replace(p, _arrays=dict(p._arrays), _households=h)
            for p, h in zip(portfolios, households, strict=True)
        ]
    read = {c for m in scheme.metrics for c in m.columns}
    columns = [c for c in money_columns(portfolios) if c in read]
    changed: list[dict[str, np.ndarray]] = [{} for _ in portfolios]
    for column in columns:
        values = np.full((len(portfolios), n), np.nan)
        for m, portfolio in enumerate(portfolios):
            values[m, where[m]] = portfolio.array(column)
        over = windowed(values, policy.window_months, portfolios[0].spec(column).flow)
        for m in range(len(portfolios)):
            changed[m][column] = over[m, where[m]]
    return [
        replace(p, frame=p.frame.assign(**changed[m]), _arrays={}, _households=households[m])
        for m, p in enumerate(portfolios)
    ]


def _households(portfolios: Sequence[Portfolio]) -> list[Households | None]:
    """Each month's household membership, the ids numbered once for the whole panel."""
    if not portfolios or not all(p.has("household_id") for p in portfolios):
        return [None] * len(portfolios)
    return [Households.from_codes(codes) for codes in groups([p.frame["household_id"] for p in portfolios])]


def _retained(scheme: Scheme, settings: Settings, ratio: float) -> Settings:
    """The settings with every threshold at ``ratio`` of its value: what keeping a tier needs."""
    params = dict(settings.params)
    for p in scheme.parameters:
        if p.kind == "threshold":
            params[p.id] = params[p.id] * ratio
    return settings.with_params(scheme, params, where="")


def _held(given: np.ndarray, keep: np.ndarray, months: Sequence[str], policy: Policy) -> np.ndarray:
    """The tier each customer holds each month under the policy (-1 when absent)."""
    held = np.full_like(given, -1)
    streak = np.zeros(given.shape[1], dtype=np.int16)
    current = np.full(given.shape[1], -1, dtype=np.int8)
    for m, month in enumerate(months):
        rules, kept = given[m], keep[m]
        present = rules >= 0
        arriving = present & (current < 0)
        staying = present & (current >= 0)
        up = staying & (rules > current)
        lower = staying & (kept < current)
        streak = np.where(lower, streak + 1, 0).astype(np.int16)
        falls = lower & (streak >= policy.downgrade_after_months)
        if int(month[5:7]) not in policy.downgrade_months:
            falls[:] = False
        current = np.where(arriving | up | falls, rules, current).astype(np.int8)
        streak[falls] = 0
        current[~present] = -1
        streak[~present] = 0
        held[m] = current
    return held


def quarters(months: Sequence[Month]) -> tuple[Quarter, ...]:
    """Each quarter end in the panel: tier counts and their change since the start of the
    year (December before when the panel has it, else the year's first month), as a
    branch reports it."""
    by_month = {m.month: m for m in months}
    out = []
    for m in months:
        year, month = int(m.month[:4]), int(m.month[5:7])
        if month not in QUARTER_ENDS:
            continue
        since = f"{year - 1}-12"
        if since not in by_month:
            since = min(x for x in by_month if x.startswith(f"{year}-"))
        start = by_month[since].counts
        change = m.counts - start
        pct = [float(c / s * 100) if s else None for c, s in zip(change, start, strict=True)]
        out.append(Quarter(f"{year}-Q{month // 3}", m.counts, change, pct, since))
    return tuple(out)


@dataclass(frozen=True)
class CustomerMonth:
    """One month of one customer: the main metric, the tier the rules give, the tier held,
    and why it is held (``reason``: joined, same, upgrade, downgrade, grace, retained,
    rating_day, absent); ``streak`` counts the consecutive lower months so far."""

    month: str
    metric: float
    given: int
    held: int
    reason: str
    streak: int


def customer_months(r: Replay, index: int) -> list[CustomerMonth]:
    """Why a customer holds each month's tier, month by month (the policy replayed for one
    customer with its reasons)."""
    out = []
    streak, current = 0, -1
    policy = r.policy
    for m, month in enumerate(r.months):
        rules, kept, held = int(r.given[m, index]), int(r.kept[m, index]), int(r.held[m, index])
        value = r.metric(m, index)
        if rules < 0:
            reason, streak, current = "absent", 0, -1
        elif current < 0:
            reason, streak = "joined", 0
        elif rules > current:
            reason, streak = "upgrade", 0
        elif kept >= current:
            reason = "retained" if rules < current else "same"
            streak = 0
        else:
            streak += 1
            if held < current:
                reason, streak = "downgrade", 0
            elif streak < policy.downgrade_after_months:
                reason = "grace"
            else:
                reason = "rating_day"
        current = held
        out.append(CustomerMonth(month.month, value, rules, held, reason, streak))
    return out
