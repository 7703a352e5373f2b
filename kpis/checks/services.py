"""Writes of the checks: compute a client's months' findings, store them re-runnably, mirror the counts.

Called by ``kpis.services.snapshot_compute`` after the snapshots are stored, so the checks always
read the figures just computed. Only months that have ended are checked (a month in progress is
not "missing" its last days). Re-running is safe: one row per month, check and subject (an
upsert that keeps a staff resolution); findings the data no longer shows are removed.
"""

from __future__ import annotations

import datetime as dt

from django.db import connection, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django_tenants.utils import tenant_context

from agency.models import Client
from agency.months import Month
from kpis.checks import REGISTRY, month_checks
from kpis.checks.base import SnapshotFacts
from kpis.checks.selectors import check_data
from kpis.checks.words import plain_figures
from kpis.models import CheckResult
from kpis.report import client_today
from portfolio.services import client_month_checks_upsert


def checks_mirror(*, client: Client, months: list[dt.date]) -> None:
    """Copy the months' counts to the public rows the portfolio and the close board read (run in the
    client's schema, inside the change's transaction). Two statements whatever the months."""
    counts = {month: {"total": 0, "high": 0, "open": 0, "open_high": 0} for month in months}
    rows = (
        CheckResult.objects.filter(month__in=months)
        .values("month")
        .annotate(
            total=Count("id"),
            high=Count("id", filter=Q(severity="high")),
            open=Count("id", filter=Q(resolved_at__isnull=True)),
            open_high=Count("id", filter=Q(severity="high", resolved_at__isnull=True)),
        )
    )
    for row in rows:
        counts[row.pop("month")] = row
    client_month_checks_upsert(client=client, counts=counts)


def _gone_delete(*, months: list[dt.date], kept: list[CheckResult]) -> None:
    """Remove the months' stored findings the data no longer shows: one DELETE, whatever the rows
    (the ORM's delete reads every row it removes first, a round trip per computation)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {CheckResult._meta.db_table} WHERE month = ANY(%s) AND (month, key, subject) NOT IN "
            "(SELECT * FROM unnest(%s::date[], %s::varchar[], %s::varchar[]))",  # the table's name from the model
            [months, [row.month for row in kept], [row.key for row in kept], [row.subject for row in kept]],
        )


def checks_compute(
    *, client: Client, months: list[dt.date], today: dt.date | None = None, facts: SnapshotFacts | None = None
) -> dict[dt.date, list[CheckResult]]:
    """Evaluate and store the checks of ``months`` (first days) that ended before ``today`` (the
    client's today unless given). ``facts``: what the snapshots just computed counted over the
    leads (kpis.selectors.check_facts), so that the checks do not read every lead again."""
    today = today or client_today(client)
    ended = sorted({m for m in months if Month.of(m).last_day < today})
    if not ended:
        return {}
    with tenant_context(client):
        data = check_data(months=ended, timezone=client.timezone, facts=facts)
        now = timezone.now()
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
            for month in ended
            for item in month_checks(data[month])
        ]
        with transaction.atomic():
            _gone_delete(months=ended, kept=rows)
            if rows:
                CheckResult.objects.bulk_create(
                    rows,
                    update_conflicts=True,
                    unique_fields=["month", "key", "subject"],
                    update_fields=["family", "severity", "figures", "link", "computed_at"],
                )
            checks_mirror(client=client, months=ended)
    return {month: [row for row in rows if row.month == month] for month in ended}
