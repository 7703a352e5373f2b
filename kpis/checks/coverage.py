"""Coverage: is all of the month's data there? A usual source with days missing, a source that
stopped, a month with fewer days of data than the three before it."""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
from functools import lru_cache
from itertools import pairwise

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from agency.months import Month
from kpis.checks.base import SOURCES, Check, CheckData, Family, Finding, Severity, finding, register

DAILY_SHARE = 0.9  # a source is "daily" when it had data on 90 % of the days of the three months before
# ... or of the days since its first one there, for a client whose data began less than three months
# before: judged from at least this many days (a new client's source is daily after a month of it).
DAILY_HISTORY_DAYS = 28
STALE_DAYS = 7  # no data in the month's last 7 days (or longer than the source's usual gap)
FEWER_MARGIN = 0.1  # data days per working day more than 0.1 below the lowest of the three months before
IMPORTS = "/imports/"
FEEDS = ("spend", "traffic", "email")  # sources that report every day; leads may have quiet days
ACTIVITY = ("new_leads", "sessions", "marketing_spend", "emails_sent")  # what a month with data has some of


@lru_cache(maxsize=256)
def _ordered(days: frozenset[dt.date]) -> tuple[dt.date, ...]:
    """A month's days with data, sorted once: the checks ask for many spans of the same days."""
    return tuple(sorted(days))


def _days_in(data: CheckData, source: str, first: dt.date, last: dt.date) -> set[dt.date]:
    days = _ordered(data.source_days.get(source, frozenset()))
    return set(days[bisect_left(days, first) : bisect_right(days, last)])


def _count_in(data: CheckData, source: str, first: dt.date, last: dt.date) -> int:
    """``len(_days_in(…))`` without building the set (the checks ask for many counts)."""
    days = _ordered(data.source_days.get(source, frozenset()))
    return bisect_right(days, last) - bisect_left(days, first)


@lru_cache(maxsize=256)
def _month_days(month: Month) -> tuple[dt.date, ...]:
    return tuple(month.days())


@lru_cache(maxsize=256)
def _spans(month: Month) -> tuple[tuple[dt.date, dt.date], tuple[dt.date, dt.date]]:
    """The three months before ``month``, and those three with it, as (first day, last day)."""
    return ((month - 3).first_day, (month - 1).last_day), ((month - 3).first_day, month.last_day)


def _before_span(data: CheckData) -> tuple[dt.date, dt.date]:
    return _spans(data.month)[0]


def _last_day(data: CheckData, source: str) -> dt.date | None:
    days = _ordered(data.source_days.get(source, frozenset()))
    first, last = _spans(data.month)[1]
    low, high = bisect_left(days, first), bisect_right(days, last)
    return days[high - 1] if high > low else None


def _is_daily(data: CheckData, source: str) -> bool:
    """Data on 90 % of the days of the three months before, counted from the source's first day
    with data there: a client onboarded in September has its daily traffic judged from then, not
    found "not daily" for want of an August (four days of November's traffic missing went
    unsaid, for every client less than three months old). Under four weeks of it: not judged."""
    first, last = _before_span(data)
    days = _ordered(data.source_days.get(source, frozenset()))
    low = bisect_left(days, first)
    if low >= len(days) or days[low] > last:
        return False
    start = days[low]
    span = (last - start).days + 1
    if span < DAILY_HISTORY_DAYS:
        return False
    return _count_in(data, source, start, last) >= DAILY_SHARE * span


def _usual_gap(data: CheckData, source: str) -> int:
    """The longest run of days without data between two days with data in the three months before
    (a source posted monthly has about 30; a daily one 1)."""
    return _longest_gap(data.source_days.get(source, frozenset()), data.month)


@lru_cache(maxsize=1024)
def _longest_gap(days: frozenset[dt.date], month: Month) -> int:
    ordered = _ordered(days)
    first, last = _spans(month)[0]
    span = ordered[bisect_left(ordered, first) : bisect_right(ordered, last)]
    return max(((b - a).days for a, b in pairwise(span)), default=0)


def _stale_since(data: CheckData, source: str) -> dt.date | None:
    """The last day with data, when the source had data the three months before and none since for
    longer than both STALE_DAYS and its usual gap (asked by three checks: worked out once)."""
    return _stale(data.source_days.get(source, frozenset()), data.month)


@lru_cache(maxsize=1024)
def _stale(days: frozenset[dt.date], month: Month) -> dt.date | None:
    ordered = _ordered(days)
    (first, last), (_first, end) = _spans(month)
    before = bisect_right(ordered, last) - bisect_left(ordered, first)
    if not before:
        return None
    upto = ordered[bisect_left(ordered, first) : bisect_right(ordered, end)]
    latest = upto[-1] if upto else None
    this_month = latest is not None and latest >= month.first_day
    if this_month and before < 2:
        return None  # one day of data before: its rhythm is unknown, and it has data this month
    if this_month and (month.last_day - latest).days <= max(STALE_DAYS - 1, _longest_gap(days, month)):
        return None
    return latest


def source_gap(data: CheckData) -> list[Finding]:
    """Days of the month with no row of a daily source, before its last day of data (the days after
    are the stale check's)."""
    found = []
    for source in FEEDS:
        if not _is_daily(data, source) or _stale_since(data, source) is not None:
            continue
        latest = _last_day(data, source)
        have = _days_in(data, source, data.month.first_day, data.month.last_day)
        missing = sorted(day for day in _month_days(data.month) if latest is not None and day <= latest and day not in have)
        if missing:
            severity = Severity.HIGH if len(missing) >= 3 else Severity.MEDIUM
            found.append(
                finding(
                    SOURCE_GAP,
                    {"source": source, "days": missing, "count": len(missing)},
                    subject=source,
                    link=IMPORTS,
                    severity=severity,
                )
            )
    return found


def source_stale(data: CheckData) -> list[Finding]:
    found = []
    for source in SOURCES:
        since = _stale_since(data, source)
        if since is not None:
            found.append(finding(SOURCE_STALE, {"source": source, "since": since}, subject=source, link=IMPORTS))
    return found


def fewer_data_days(data: CheckData) -> list[Finding]:
    """Days with data per working day, against the lowest of the three months before (each must
    have data): a month of 19 working days is not short of a month of 23."""
    found = []
    working = {m: (data.history.get(m) or {}).get("working_days") for m in [data.month, *data.before(3)]}
    if any(not days for days in working.values()):
        return []
    for source in SOURCES:
        if _stale_since(data, source) is not None or _is_daily(data, source):
            continue  # said by the stale and gap checks
        counts = {m: _count_in(data, source, m.first_day, m.last_day) for m in working}
        earlier = [counts[m] / working[m] for m in data.before(3)]
        if min(counts[m] for m in data.before(3)) == 0:
            continue
        now = counts[data.month] / working[data.month]
        if now < min(earlier) - FEWER_MARGIN:
            lowest = min(counts[m] for m in data.before(3))
            found.append(
                finding(
                    FEWER_DAYS, {"source": source, "days": counts[data.month], "lowest": lowest}, subject=source, link=IMPORTS
                )
            )
    return found


def month_without_data(data: CheckData) -> list[Finding]:
    """Not one row of leads, spend, traffic or email in the month, while an earlier month had some.

    The stale check only looks three months back: a client whose files stopped coming four months
    ago would otherwise have a "clean" month of zeros to approve. Said once for the month, and only
    when no source is stale (then the stale check names each source)."""
    month = data.month
    if any(data.kpis.get(k) for k in ACTIVITY) or any(
        _count_in(data, source, month.first_day, month.last_day) for source in SOURCES
    ):
        return []
    if any(_stale_since(data, source) is not None for source in SOURCES):
        return []
    earlier = [m for m, kpis in data.history.items() if m < month and any((kpis or {}).get(k) for k in ACTIVITY)]
    if not earlier:
        return []  # a client without any data yet: its set-up checklist says what to load
    return [finding(NO_DATA, {"month": max(earlier).first_day}, link=IMPORTS)]


def spend_without_any_lead(data: CheckData) -> list[Finding]:
    """Spend in the month and not one lead, in it or in any month before: a client connected
    through its ad platforms alone (they bring spend and clicks, never leads) or whose CRM was
    never imported. Its report reads its lead figures "—" with "No leads are recorded up to this
    month" (kpis.nodata.leads_loaded), which staff should not first learn from the client. A client
    that had leads once and lost them is the stale and "sessions without leads" checks' (they name
    the source or the forms)."""
    month = data.month
    spend = data.kpis.get("marketing_spend") or 0
    if spend <= 0 or data.kpis.get("new_leads"):
        return []
    if data.source_days.get("leads"):
        return []  # leads in this month or the three before: not a client without a CRM
    if any((kpis or {}).get("new_leads") for m, kpis in data.history.items() if m <= month):
        return []
    return [finding(NO_LEADS, {"spend": spend}, subject="leads", link=IMPORTS)]


SOURCE_GAP = register(
    Check(
        key="coverage.source_gap",
        family=Family.COVERAGE,
        severity=Severity.MEDIUM,
        sentence=ngettext_lazy(
            "%(source)s has no data for %(count)s day of the month: %(days)s.",
            "%(source)s has no data for %(count)s days of the month: %(days)s.",
            "n",
        ),
        count="count",
        rule=_(
            "A source of spend, traffic or email with data on at least 90 % of the days of the three months before "
            "(or of the days since its first day of data, for a client whose data began later, once that is at least "
            "4 weeks) has days without any row this month (before its last day of data). High from 3 days."
        ),
        evaluate=source_gap,
    )
)


SOURCE_STALE = register(
    Check(
        key="coverage.source_stale",
        family=Family.COVERAGE,
        severity=Severity.HIGH,
        sentence=_("%(source)s has had no data since %(since)s."),
        rule=_(
            "A source with data in the three months before has none since a day further from the month's end than 7 days "
            "and than its longest usual gap in those months (a source posted monthly is not stale after a week)."
        ),
        evaluate=source_stale,
    )
)
NO_DATA = register(
    Check(
        key="coverage.no_data",
        family=Family.COVERAGE,
        severity=Severity.HIGH,
        sentence=_(
            "No leads, spend, traffic or email at all this month; the last month with any was %(month)s. "
            "Were this month's files imported, or did a connection stop?"
        ),
        rule=_(
            "Not one row of leads, spend, traffic or email in the month, while one of the months before had some, "
            "and no source had data in the three months before (then the stale check names each source)."
        ),
        evaluate=month_without_data,
    )
)
NO_LEADS = register(
    Check(
        key="coverage.no_leads",
        family=Family.COVERAGE,
        severity=Severity.HIGH,
        sentence=_(
            "%(spend)s of marketing spend this month and not one lead recorded, this month or before: "
            "is the client's CRM connected, or its leads imported? Ad platforms bring spend and clicks, not leads."
        ),
        rule=_(
            "Marketing spend in the month and no lead at all, in the month or in any month before: the client's "
            "report reads its lead figures “—” (no leads recorded) for want of a CRM, not because nobody came."
        ),
        evaluate=spend_without_any_lead,
    )
)
FEWER_DAYS = register(
    Check(
        key="coverage.fewer_days",
        family=Family.COVERAGE,
        severity=Severity.LOW,
        sentence=ngettext_lazy(
            "%(source)s has data on %(days)s day this month, "
            "fewer than in each of the three months before (at least %(lowest)s).",
            "%(source)s has data on %(days)s days this month, "
            "fewer than in each of the three months before (at least %(lowest)s).",
            "n",
        ),
        count="days",
        rule=_(
            "Days with data per working day more than 0.1 below the lowest of the three months before "
            "(sources that are not daily; working days make a short month no alarm)."
        ),
        evaluate=fewer_data_days,
    )
)

__all__ = ["FEWER_DAYS", "NO_DATA", "NO_LEADS", "SOURCE_GAP", "SOURCE_STALE", "Check"]
