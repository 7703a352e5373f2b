"""Anomalies: a KPI per working day far from what this client usually does in such a month.

The score is robust (median and MAD, Iglewicz and Hoaglin's modified z-score), not mean ± 25 %:
one wild month does not move the baseline. Counts are divided by working days first, so a month
of 19 working days is not "down 17 %" against one of 23. With 24 months of history or more the
expected value follows the season: the trailing median scaled by how the same month last year
compared with its own trailing median (a December dip every year is expected, not flagged).
With less, only the trailing months are used, and the sentence says so.
"""

from __future__ import annotations

from functools import lru_cache
from statistics import median
from typing import Any

from django.utils.translation import gettext_lazy as _

from agency.months import Month
from kpis.catalogue import Better, kpi
from kpis.checks.base import Check, CheckData, Family, Finding, Severity, finding, register

WATCHED = ("sessions", "new_leads", "mqls", "sqls", "customers", "marketing_spend", "revenue")
TRAILING = 12  # months before the month (those with a snapshot; at least MIN_TRAILING)
MIN_TRAILING = 3
SEASONAL_HISTORY = 24  # months before the month needed to compare with the same month last year
THRESHOLD = 3.5  # |modified z| from which a month is flagged (Iglewicz and Hoaglin)
HIGH = 5.0
MIN_BASE = 20  # the trailing median monthly value below which a count is too small to score
MAD_FLOOR = 0.1  # the spread is at least 10 % of the median: steady series do not flag every wobble
SMALL_BASE = 20  # below this in the month before, a change is shown as an absolute number (kpis.md)


def per_working_day(month_kpis: dict[str, Any] | None, key: str) -> float | None:
    if not month_kpis:
        return None
    value, days = month_kpis.get(key), month_kpis.get("working_days")
    if value is None or not days:
        return None
    return float(value) / float(days)


@lru_cache(maxsize=256)
def _months_before(month: Month) -> tuple[Month, ...]:
    return tuple(month - i for i in range(1, TRAILING + 1))


def _earlier(history: dict[Month, dict[str, Any]], month: Month) -> list[dict[str, Any]]:
    """The KPIs of the TRAILING months before ``month`` that have a snapshot, nearest first: looked up
    once a month, not once per watched KPI."""
    return [earlier for earlier in map(history.get, _months_before(month)) if earlier]


def _trailing(earlier_months: list[dict[str, Any]], key: str) -> tuple[list[float], list[float]]:
    """Per-working-day values and monthly values of ``earlier_months`` (``_earlier``) that have one
    (``per_working_day``'s rule, written out: asked 7 times a month for 12 months, twice with a season)."""
    rates, raw = [], []
    for earlier in earlier_months:
        value, days = earlier.get(key), earlier.get("working_days")
        if value is not None and days:
            rates.append(float(value) / float(days))
            raw.append(float(value))
    return rates, raw


def history_months(data: CheckData) -> int:
    """Months with a snapshot before this one."""
    return sum(1 for m in data.history if m < data.month)


def robust_score(value: float, values: list[float], expected: float | None = None) -> tuple[float, float]:
    """(modified z, expected): 0.6745 × (value − expected) / MAD, expected the median unless given."""
    centre = median(values)
    mad = median(abs(v - centre) for v in values)
    spread = max(mad, MAD_FLOOR * abs(centre), 1e-9)
    expected = centre if expected is None else expected
    return 0.6745 * (value - expected) / spread, expected


def kpi_anomalies(data: CheckData) -> list[Finding]:
    found = []
    months_known = history_months(data)
    seasonal = months_known >= SEASONAL_HISTORY
    month_kpis, earlier = data.kpis, _earlier(data.history, data.month)
    last_year = data.month - 12
    then_kpis, then_earlier = (data.history.get(last_year), _earlier(data.history, last_year)) if seasonal else (None, [])
    for key in WATCHED:
        now = per_working_day(month_kpis, key)
        rates, raw = _trailing(earlier, key)
        if now is None or len(rates) < MIN_TRAILING or median(raw) < MIN_BASE:
            continue
        expected = None
        if seasonal:
            then = per_working_day(then_kpis, key)
            then_rates, _raw = _trailing(then_earlier, key)
            if then is not None and len(then_rates) >= MIN_TRAILING and median(then_rates) > 0:
                expected = median(rates) * then / median(then_rates)
        score, expected = robust_score(now, rates, expected)
        better = kpi(key).better
        worse = score < 0 if better == Better.UP else score > 0 if better == Better.DOWN else True
        if abs(score) < THRESHOLD or not worse:
            continue
        figures = {
            "kpi": key,
            "value": now,
            "expected": expected,
            "change": (now - expected) / expected if expected else None,
            "score": round(score, 1),
            "months": len(rates),
            "seasonal": expected is not None and seasonal,
        }
        severity = Severity.HIGH if abs(score) >= HIGH else Severity.MEDIUM
        found.append(finding(ANOMALY, figures, subject=key, link=f"/scorecard/?month={data.month}#kpi-{key}", severity=severity))
    return found


def change_shown(*, now: float | None, before: float | None, first_month: bool, count: bool) -> dict[str, Any]:
    """How a change against the previous month may be shown: a percentage only on a base that means
    something. ``{"kind": "relative", "value": r}``, ``{"kind": "absolute", "value": d}`` (a count
    below SMALL_BASE the month before), ``{"kind": "first"}`` (the first full month of data) or
    ``{"kind": "none"}``."""
    if now is None:
        return {"kind": "none"}
    if first_month:
        return {"kind": "first"}
    if before is None:
        return {"kind": "none"}
    if count and abs(before) < SMALL_BASE:
        return {"kind": "absolute", "value": now - before}
    if before == 0:
        return {"kind": "absolute", "value": now - before} if count else {"kind": "none"}
    return {"kind": "relative", "value": (now - before) / abs(before)}


ANOMALY = register(
    Check(
        key="anomaly.kpi",
        family=Family.ANOMALY,
        severity=Severity.MEDIUM,
        sentence=_("%(kpi)s per working day is %(value)s, against %(expected)s expected (%(change)s; %(basis)s)."),
        rule=_(
            "Sessions, new leads, MQLs, SQLs, customers, marketing spend and revenue per working day, scored with the "
            "median and MAD of the trailing 12 months (at least 3, with a median of at least 20 a month); with 24 months "
            "of history the expected value follows the same month last year. Flagged from a robust score of 3.5 in the "
            "bad direction (either direction for spend), high from 5."
        ),
        evaluate=kpi_anomalies,
    )
)
