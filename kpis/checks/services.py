"""Writes of the checks: compute a client's months' findings, store them re-runnably, mirror the counts.

Called by ``kpis.services.snapshot_compute`` after the snapshots are stored, so the checks always
read the figures just computed. Only months that have ended are checked (a month in progress is
not "missing" its last days). Re-running is safe: one row per month, check and subject (an
upsert that keeps a staff resolution); findings the data no longer shows are removed.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

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
from portfolio.services import CHECK_COUNTS, client_month_checks_upsert


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


_STORED = (
    "month", "key", "subject", "family", "severity", "figures", "link", "computed_at", "resolved_by_name", "resolution_note"
)
_REFRESHED = ("family", "severity", "figures", "link", "computed_at")  # a staff resolution is kept
_RECORD = (
    "month date, key varchar, subject varchar, family varchar, severity varchar, figures jsonb, link varchar, "
    "computed_at timestamptz, resolved_by_name varchar, resolution_note varchar"
)


def _iso(value: Any) -> str:
    if isinstance(value, dt.date):  # and aware datetimes: ISO text with the offset, read back exactly
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not sent as JSON")


def _findings_store(*, months: list[dt.date], rows: list[dict[str, Any]]) -> dict[dt.date, dict[str, int]]:
    """Store the months' findings (each row's ``id`` set) and return their counts per month, as
    ``checks_mirror`` counts them.

    One statement: the months' stored findings the data no longer shows are removed, the others
    upserted on (month, key, subject) keeping any resolution, and what the upsert returns (every
    finding of the months, as stored) is counted here. Raw SQL rather than a ``bulk_create`` with
    a DELETE before and a count after: a small client's checks were four round trips and more
    Python than SQL (docs/performance.md, "Many small clients").
    """
    table = connection.ops.quote_name(CheckResult._meta.db_table)  # the table's name from the model
    gone = (
        f"DELETE FROM {table} WHERE month = ANY(%s::date[]) AND (month, key, subject) NOT IN "
        "(SELECT * FROM unnest(%s::date[], %s::varchar[], %s::varchar[]))"
    )
    params: list[Any] = [
        months, [row["month"] for row in rows], [row["key"] for row in rows], [row["subject"] for row in rows]
    ]  # fmt: skip
    counts = {month: dict.fromkeys(CHECK_COUNTS, 0) for month in months}
    with connection.cursor() as cursor:
        if not rows:
            cursor.execute(gone, params)
            return counts
        # The rows as one JSON parameter, not ten placeholders a finding: a client with many findings
        # made a statement past psycopg's 4,096-byte cache of converted queries, split again in Python
        # at every call (docs/performance.md, "Ninth session"); this text is the same for any count.
        params.append(json.dumps([{c: row[c] for c in _STORED} for row in rows], default=_iso))
        cursor.execute(
            f"WITH gone AS ({gone}) INSERT INTO {table} ({', '.join(_STORED)}) "
            f"SELECT {', '.join(_STORED)} FROM jsonb_to_recordset(%s::jsonb) AS r({_RECORD}) "
            f"ON CONFLICT (month, key, subject) DO UPDATE SET {', '.join(f'{c} = EXCLUDED.{c}' for c in _REFRESHED)} "
            "RETURNING id, month, key, subject, severity = 'high', resolved_at IS NULL",
            params,
        )
        ids = {}
        for pk, month, key, subject, high, unresolved in cursor.fetchall():
            ids[month, key, subject] = pk
            figures = counts[month]
            figures["total"] += 1
            figures["high"] += high
            figures["open"] += unresolved
            figures["open_high"] += high and unresolved
    for row in rows:
        row["id"] = ids[row["month"], row["key"], row["subject"]]
    return counts


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
            {
                "month": month,
                "key": item.key,
                "subject": item.subject[:200],
                "family": REGISTRY[item.key].family.value,
                "severity": item.severity.value,
                "figures": plain_figures(item.figures),
                "link": item.link[:300],
                "computed_at": now,
                "resolved_by_name": "",  # a new finding's (an upsert keeps a stored one's)
                "resolution_note": "",
            }
            for month in ended
            for item in month_checks(data[month])
        ]
        with transaction.atomic():
            counts = _findings_store(months=ended, rows=rows)
            client_month_checks_upsert(client=client, counts=counts)
    return {month: [CheckResult(**row) for row in rows if row["month"] == month] for month in ended}
