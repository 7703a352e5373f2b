"""The client's report's own reads: the months with a snapshot, one month's snapshot, the holidays
of a month in progress and whether the client has revenue data. ``kpis.report`` formats and the
scorecard's views render; both are handed these, so that neither queries (the architecture test
keeps it so), and each read happens only when the report needs it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from agency.months import Month
from clients.models import Holiday
from clients.selectors import revenue_data_exists
from kpis.models import Snapshot
from kpis.pacing import quarter_months
from kpis.report import Period, frozen_has_revenue, headline_chosen, month_running, period_of, summary_keys


def snapshot_months_list() -> list[dt.date]:
    """The months with a snapshot, newest first (before kpis.visibility hides any from a viewer)."""
    return list(Snapshot.objects.order_by("-month").values_list("month", flat=True))


def snapshot_get(*, month: dt.date | None) -> Snapshot | None:
    """The month's snapshot as computed (no query without a month)."""
    return Snapshot.objects.filter(month=month).first() if month is not None else None


def holidays_between(*, first: dt.date, last: dt.date) -> set[dt.date]:
    """The client's holidays from ``first`` to ``last`` (inclusive), for counting working days."""
    return set(Holiday.objects.filter(date__gte=first, date__lte=last).values_list("date", flat=True))


def report_period(
    *, month: dt.date, client: Any, now: dt.datetime | None = None, working_total: int | None = None
) -> Period:
    """The month shown and how far it has got (kpis.report.period_of). A closed month needs no
    holidays: they are read (one query, the month to its quarter's end, for the quarter's pace)
    only while the client's calendar is inside the month."""
    holidays: set[dt.date] = set()
    if month_running(month=month, client=client, now=now):
        holidays = holidays_between(first=month, last=Month.of(quarter_months(month)[-1]).last_day)
    return period_of(month=month, client=client, holidays=holidays, now=now, working_total=working_total)


def report_summary_keys(*, client: Any, document: dict[str, Any] | None = None) -> tuple[str, ...]:
    """The executive summary's KPIs as shown (kpis.report.summary_keys). Whether the client has
    revenue data matters only for a default summary: staff's choice costs no query, and an approved
    ``document`` says it as it was at approval (kpis.report.FROZEN: an import since changes nothing
    the client sees); else it is read."""
    if headline_chosen(client):
        return summary_keys(client, has_revenue=True)
    frozen = frozen_has_revenue(document)
    return summary_keys(client, has_revenue=frozen if frozen is not None else revenue_data_exists())
