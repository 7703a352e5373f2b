"""Writes of the checks: compute a client's months' findings, store them re-runnably, mirror the counts.

Called by ``kpis.services.snapshot_compute`` after the snapshots are stored, so the checks always
read the figures just computed. Only months that have ended are checked (a month in progress is
not "missing" its last days). Re-running is safe: one row per month, check and subject (an
upsert that keeps a staff resolution); findings the data no longer shows are removed.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_tenants.utils import tenant_context

from agency.models import Client
from agency.months import Month
from kpis.checks import REGISTRY, month_checks
from kpis.checks.selectors import check_data
from kpis.checks.words import plain_figures
from kpis.models import CheckResult
from kpis.report import client_today
from portfolio.services import client_month_checks_upsert


def checks_mirror(*, client: Client, month: dt.date) -> None:
    """Copy the month's counts to the public row the portfolio and the close board read (run in the
    client's schema, inside the change's transaction)."""
    rows = list(CheckResult.objects.filter(month=month).values_list("severity", "resolved_at"))
    client_month_checks_upsert(
        client=client,
        month=month,
        total=len(rows),
        high=sum(1 for severity, _ in rows if severity == "high"),
        open=sum(1 for _, resolved in rows if resolved is None),
        open_high=sum(1 for severity, resolved in rows if severity == "high" and resolved is None),
    )


def checks_compute(*, client: Client, months: list[dt.date], today: dt.date | None = None) -> dict[dt.date, list[CheckResult]]:
    """Evaluate and store the checks of ``months`` (first days) that ended before ``today`` (the
    client's today unless given)."""
    today = today or client_today(client)
    ended = sorted({m for m in months if Month.of(m).last_day < today})
    if not ended:
        return {}
    stored: dict[dt.date, list[CheckResult]] = {}
    with tenant_context(client):
        data = check_data(months=ended, timezone=client.timezone)
        now = timezone.now()
        with transaction.atomic():
            for month in ended:
                rows = [
                    CheckResult(
                        month=month,
                        key=item.key,
                        subject=item.subject[:200],
                        family=REGISTRY[item.key].family.value,
                        severity=item.severity.value,
                        figures=plain_figures(item.figures),
                        link=item.link[:300],
                        computed_at=now,
                    )
                    for item in month_checks(data[month])
                ]
                keep = Q()
                for row in rows:
                    keep |= Q(key=row.key, subject=row.subject)
                gone = CheckResult.objects.filter(month=month)
                (gone.exclude(keep) if rows else gone).delete()
                stored[month] = (
                    CheckResult.objects.bulk_create(
                        rows,
                        update_conflicts=True,
                        unique_fields=["month", "key", "subject"],
                        update_fields=["family", "severity", "figures", "link", "computed_at"],
                    )
                    if rows
                    else []
                )
                checks_mirror(client=client, month=month)
    return stored
