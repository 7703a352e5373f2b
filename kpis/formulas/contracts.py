"""Contract lifetime value with churn factors (kpis.md), over plain contract records.

Computed at day ``d`` (the last day of the month) from the contracts known then
(start_date ≤ d), for all contracts together and per segment. Contracts per client are few
(hundreds), so they are read whole and evaluated here rather than in SQL.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

from agency.months import add_months

KEYS = (
    "retainer_ltv",
    "project_ltv",
    "contract_ltv",
    "early_cancel_rate",
    "renewal_rate",
    "contraction_factor",
    "expected_terms",
    "repeat_rate",
    "expected_projects",
)
POOL_BELOW = 5  # a segment with fewer settled contracts of a kind takes that kind's rates pooled


@dataclass(frozen=True)
class Contract:
    id: str
    account: str
    kind: str
    start_date: dt.date
    segment: str = ""
    term_months: int | None = None
    monthly_fee: float | None = None
    project_fee: float | None = None
    end_date: dt.date | None = None
    cancelled_on: dt.date | None = None
    renewal_of: str | None = None

    @cached_property
    def term_end_day(self) -> dt.date:
        """Computed once per record: the figures of every month ask for it (hundreds of times a month)."""
        return add_months(self.start_date, self.term_months or 0)

    @cached_property
    def end_day(self) -> dt.date:
        """``contract_end``, once per record (asked for every contract of every month)."""
        end = self.term_end_day
        return min(end, self.cancelled_on) if self.cancelled_on is not None else end

    @cached_property
    def ended_early(self) -> bool:
        """``cancelled_early``, once per record."""
        return self.cancelled_on is not None and self.cancelled_on < self.term_end_day


def term_end(contract: Contract) -> dt.date:
    return contract.term_end_day


def contract_end(contract: Contract) -> dt.date:
    """A retainer ends at the earlier of its cancellation and its term end."""
    return contract.end_day


def cancelled_early(contract: Contract) -> bool:
    return contract.ended_early


def _ceil_div(numerator: int, denominator: int) -> int:
    """⌈numerator ÷ denominator⌉ of whole numbers, exactly (as ``math.ceil(Fraction(…))``, without
    building a Fraction three times a month)."""
    return -(-numerator // denominator)


def geometric_sum(rate: float, terms: int) -> float:
    """1 + r + r² + … + r^(terms − 1), added in that order (a list: a generator costs a resumption a term)."""
    return float(sum([rate**k for k in range(max(terms, 1))]))


def _mean(values: Iterable[float]) -> float | None:
    values = list(values)
    return sum(values) / len(values) if values else None


@dataclass(frozen=True)
class RetainerRates:
    early_cancel_rate: float | None
    served_fraction: float | None
    renewal_rate: float | None
    settled: int


def retainer_rates(
    retainers: list[Contract], known: list[Contract], day: dt.date, renewed_ids: set[str] | None = None
) -> RetainerRates:
    """Early cancellation, served fraction and renewal among the retainers settled by ``day``.
    ``renewed_ids``: the ids the ``known`` contracts renew (worked out here when not given)."""
    settled = [c for c in retainers if c.end_day <= day]  # contract_end, cached on the record
    if not settled:
        return RetainerRates(None, None, None, 0)
    early = [c for c in settled if c.ended_early]
    served = _mean((c.cancelled_on - c.start_date).days / (term_end(c) - c.start_date).days for c in early)
    if renewed_ids is None:
        renewed_ids = _renewed_ids(known)
    full_term = [c for c in settled if not c.ended_early]
    renewal = sum(c.id in renewed_ids for c in full_term) / len(full_term) if full_term else None
    return RetainerRates(len(early) / len(settled), served, renewal, len(settled))


def _renewed_ids(known: list[Contract]) -> set[str]:
    return {c.renewal_of for c in known if c.renewal_of}


def _projects_by_account(known: list[Contract]) -> dict[str, list[Contract]]:
    """Each account's known projects: the only ones that can follow one of its projects."""
    by_account: dict[str, list[Contract]] = {}
    for c in known:
        if c.kind == "project":
            by_account.setdefault(c.account, []).append(c)
    return by_account


def repeat_rate(
    projects: list[Contract], known: list[Contract], day: dt.date, by_account: dict[str, list[Contract]] | None = None
) -> tuple[float | None, int]:
    """Settled projects followed within 365 days of their end by another known project of the account.
    ``by_account``: ``_projects_by_account(known)`` (worked out here when not given)."""
    settled = [p for p in projects if p.end_date is not None and p.end_date <= day]
    if not settled:
        return None, 0
    if by_account is None:
        by_account = _projects_by_account(known)
    followed = sum(
        any(
            other.id != p.id and p.start_date < other.start_date <= p.end_date + dt.timedelta(days=365)
            for other in by_account.get(p.account, ())
        )
        for p in settled
    )
    return followed / len(settled), len(settled)


def _retainer_figures(retainers: list[Contract], rates: RetainerRates, day: dt.date, horizon: int) -> dict:
    if not retainers:
        return dict.fromkeys(("retainer_ltv", "early_cancel_rate", "renewal_rate", "contraction_factor", "expected_terms"))
    ecr, served, renewal = rates.early_cancel_rate, rates.served_fraction, rates.renewal_rate
    factor = 1 - ecr * (1 - served) if ecr and served is not None else 1.0
    continuation = (1 - ecr) * (renewal or 0) if ecr is not None else 0.0
    terms = sum(c.term_months for c in retainers)
    k = _ceil_div(horizon * len(retainers), terms)
    expected_terms = geometric_sum(continuation, k)
    active = [c for c in retainers if c.start_date <= day < c.end_day]
    fee = _mean(float(c.monthly_fee) for c in (active or retainers))
    ltv = fee * (terms / len(retainers)) * factor * expected_terms
    return {
        "retainer_ltv": ltv,
        "early_cancel_rate": ecr,
        "renewal_rate": renewal,
        "contraction_factor": factor,
        "expected_terms": expected_terms,
    }


def _project_figures(projects: list[Contract], rate: float | None, horizon: int) -> dict:
    if not projects:
        return dict.fromkeys(("project_ltv", "repeat_rate", "expected_projects"))
    expected = geometric_sum(rate or 0.0, _ceil_div(horizon, 12))
    return {
        "project_ltv": _mean(float(p.project_fee) for p in projects) * expected,
        "repeat_rate": rate,
        "expected_projects": expected,
    }


def _blend(figures: dict, retainers: list[Contract], projects: list[Contract]) -> float | None:
    """contract_ltv: the kinds' values weighted by the accounts holding a contract of each kind."""
    if not retainers and not projects:
        return None
    if not projects:
        return figures["retainer_ltv"]
    if not retainers:
        return figures["project_ltv"]
    r_accounts, p_accounts = len({c.account for c in retainers}), len({c.account for c in projects})
    return (figures["retainer_ltv"] * r_accounts + figures["project_ltv"] * p_accounts) / (r_accounts + p_accounts)


def contract_values(*, contracts: list[Contract], day: dt.date, horizon_months: int) -> tuple[dict, dict[str, dict]]:
    """The top-level contract figures and the ``segment`` breakdown at ``day``."""
    known = [c for c in contracts if c.start_date <= day]
    retainers = [c for c in known if c.kind == "retainer"]
    projects = [c for c in known if c.kind == "project"]
    # Worked out once for the client and its segments (each segment's rates read all known contracts).
    renewed_ids, by_account = _renewed_ids(known), _projects_by_account(known)
    pooled = retainer_rates(retainers, known, day, renewed_ids)
    pooled_repeat, _ = repeat_rate(projects, known, day, by_account)

    top = {
        **_retainer_figures(retainers, pooled, day, horizon_months),
        **_project_figures(projects, pooled_repeat, horizon_months),
    }
    top["contract_ltv"] = _blend(top, retainers, projects)

    segments: dict[str, dict] = {}
    for segment in sorted({c.segment for c in known}):
        seg_retainers = [c for c in retainers if c.segment == segment]
        seg_projects = [c for c in projects if c.segment == segment]
        rates = retainer_rates(seg_retainers, known, day, renewed_ids)
        if seg_retainers and rates.settled < POOL_BELOW:
            rates = pooled
        seg_repeat, settled_projects = repeat_rate(seg_projects, known, day, by_account)
        if seg_projects and settled_projects < POOL_BELOW:
            seg_repeat = pooled_repeat
        figures = {
            **_retainer_figures(seg_retainers, rates, day, horizon_months),
            **_project_figures(seg_projects, seg_repeat, horizon_months),
        }
        figures["contract_ltv"] = _blend(figures, seg_retainers, seg_projects)
        segments[segment] = {key: figures[key] for key in KEYS}
    return {key: top[key] for key in KEYS}, segments
