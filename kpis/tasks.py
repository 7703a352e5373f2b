"""Celery tasks of the KPI engine. Thin: they name the client and the period, and call services.

- ``dispatch_month_close`` (beat, the 1st of each month): one ``month_close_task`` per
  ready client for the month that just closed (its snapshot; the email waits for approval).
- ``dispatch_current_month_refresh`` (beat, daily): the month in progress for every ready
  client, in chunks of clients per task (``snapshots_fan_out``).
- ``dispatch_month_close_missing`` and ``dispatch_current_month_refresh_missing`` (beat, hourly
  after each): the same again for clients whose task was lost (no fresh snapshot);
  ``recompute_overdue_dispatch`` (every minute) for a lost debounced recompute (kpis.recompute).
- An import, an API write or a criteria change asks for a recompute of the months it touched
  (``kpis.recompute.months_recompute_request``); ``snapshot_recompute_pending`` computes them.

Every task is idempotent (snapshots are upserts), ``acks_late`` (a worker killed mid-task
leaves the message to be redelivered) and retried with backoff on database errors.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable

from celery import shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError, transaction
from django.utils import timezone
from tenant_schemas_celery.task import TenantTask

from agency.celery import app
from agency.dates import date_in_range
from agency.models import Client
from agency.months import Month
from agency.selectors import clients_ready
from agency.tasks import clients_fan_out, enqueue_for_client
from kpis.recompute import (
    recompute_job_run,
    recompute_outbox_drain_run,
    recompute_overdue_dispatch_run,
    recompute_pending_run,
)
from kpis.report import last_complete_month
from kpis.services import report_pdf_build, snapshot_compute
from portfolio.models import ClientMonthSummary

logger = logging.getLogger(__name__)
# Every per-client task: runs in the named client's schema, acknowledged only when done (a worker
# killed mid-task leaves it to be redelivered), retried with backoff on database errors.
CLIENT_TASK = {
    "base": TenantTask,
    "bind": True,
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": (OperationalError, InterfaceError),
    "retry_backoff": 5,
    "retry_backoff_max": 300,
    "max_retries": 8,
}


def _months(values: list[str]) -> list[dt.date]:
    """``YYYY-MM`` texts as first days; a month outside the portal's dates raises ValueError."""
    months = [Month.parse(value).first_day for value in values]
    if not all(date_in_range(month) for month in months):
        raise ValueError(f"a month outside the portal's dates: {values}")
    return months


@app.task(**CLIENT_TASK)
def snapshot_compute_task(self: TenantTask, *, client_slug: str, months: list[str]) -> int:
    """Compute ``months`` ("YYYY-MM") for the client named; runs in that client's schema. When the
    last complete month is among them, its report PDF is prepared in the background next."""
    return _client_snapshots(client=Client.objects.get(slug=client_slug), months=_months(months))


def _client_snapshots(*, client: Client, months: list[dt.date]) -> int:
    computed = snapshot_compute(client=client, months=months)
    closed = last_complete_month(client)
    if any(snapshot.month == closed for snapshot in computed):
        transaction.on_commit(lambda: enqueue_for_client(report_pdf_task, client=client, months=[str(Month.of(closed))]))
    return len(computed)


@app.task(**CLIENT_TASK)
def snapshot_compute_clients_task(self: TenantTask, *, client_slugs: list[str], months: list[str]) -> int:
    """Compute ``months`` for each client named, one after the other, each in its own schema.

    A small client's snapshots cost less than a task's own round (the message, the worker's
    connection, the client's lookup), so a fan-out over many clients sends them in chunks
    (``snapshots_fan_out``). Each client is computed exactly as by ``snapshot_compute_task``:
    ``snapshot_compute`` enters that client's schema and leaves it before the next one. A client
    whose computation fails is queued again on its own, with its own retries, so one client never
    holds back or repeats the others. Sent from, and running in, the public schema.
    """
    wanted = _months(months)
    clients = list(Client.objects.filter(slug__in=client_slugs, is_ready=True).order_by("slug"))
    written = 0
    for client in clients:
        try:
            written += _client_snapshots(client=client, months=wanted)
        except Exception:
            logger.exception("snapshots of %s failed in a chunk: queued again on their own", client.slug)
            enqueue_for_client(snapshot_compute_task, client=client, months=months)
    return written


SNAPSHOT_CHUNK = 10  # clients per task of a fan-out (snapshots_fan_out)


def snapshots_fan_out(*, clients: Iterable[Client], months: list[str], chunk: int = SNAPSHOT_CHUNK) -> int:
    """Queue ``months`` ("YYYY-MM") for ``clients`` in tasks of ``chunk`` clients each
    (``snapshot_compute_clients_task``, in the public schema); returns how many clients were queued."""
    slugs = [client.slug for client in clients]
    for start in range(0, len(slugs), chunk):
        snapshot_compute_clients_task.apply_async(
            kwargs={"client_slugs": slugs[start : start + chunk], "months": months},
            headers={"_schema_name": settings.PUBLIC_SCHEMA_NAME},
        )
    return len(slugs)


@app.task(**CLIENT_TASK)
def report_pdf_task(self: TenantTask, *, client_slug: str, months: list[str]) -> int:
    """Draw and keep the report PDF of ``months`` in every language, so that a download or the
    monthly email reads a file (kpis.services.report_pdf_build keeps one per snapshot state)."""
    return report_pdfs_build(client=Client.objects.get(slug=client_slug), months=_months(months))


def report_pdfs_build(*, client: Client, months: list[dt.date]) -> int:
    made = 0
    for month in months:
        # The client's language, and English and Spanish for staff reading in either; another
        # variant (Spanish, Mexico) is drawn on its first download, as any missing file is.
        for language in dict.fromkeys((client.report_language, "en", "es")):
            made += report_pdf_build(client=client, month=month, language=language) is not None
    return made


def month_fan_out(*, month: dt.date, task: TenantTask | None = None) -> int:
    """Queue ``month`` for every ready client; returns how many tasks were sent."""
    return clients_fan_out(task or snapshot_compute_task, months=[str(Month.of(month))])


@app.task(**CLIENT_TASK)
def month_close_task(self: TenantTask, *, client_slug: str, months: list[str]) -> int:
    """Close a month for one client: compute its snapshot. No email goes out here: the client is
    sent the month's report when staff approve it (the monthly close, reports.services)."""
    client = Client.objects.get(slug=client_slug)
    month = _months(months)[0]
    written = snapshot_compute(client=client, months=[month])
    report_pdfs_build(client=client, months=[month])  # ready for the report page and the approval's email
    return len(written)


def _this_month() -> dt.date:
    return Month.of(timezone.now().date()).first_day


@shared_task(acks_late=True)
def dispatch_month_close(month: str | None = None) -> int:
    """Close ``month`` (default: the month before the one beat fires in) for every client."""
    target = _months([month])[0] if month else (Month.of(_this_month()) - 1).first_day
    return month_fan_out(month=target, task=month_close_task)


def month_fan_out_missing(*, month: dt.date, task: TenantTask | None = None, since: dt.datetime | None = None) -> int:
    """Queue ``month`` again for every ready client that still has no snapshot of it (or, with
    ``since``, none computed since then); returns how many.

    The fan-out's guarantee does not rest on the broker alone: a task held by a worker that was
    killed is normally redelivered after the visibility timeout, but the fault runs at scale saw
    one in 200 never come back (docs/performance.md). Snapshots are upserts and the monthly email
    goes at most once per user, so queuing a client twice is harmless.
    """
    fresh = ClientMonthSummary.objects.filter(month=month)
    if since is not None:
        fresh = fresh.filter(computed_at__gte=since)
    have = set(fresh.values_list("client_id", flat=True))
    missing = clients_fan_out(
        task or snapshot_compute_task, skip=lambda client: client.pk in have, months=[str(Month.of(month))]
    )
    if missing:
        logger.warning("%s client(s) had no fresh snapshot of %s after the fan-out: queued again", missing,
                       Month.of(month))
    return missing


@shared_task(acks_late=True)
def dispatch_month_close_missing(month: str | None = None) -> int:
    """Beat, hourly after the close: close ``month`` (default: the previous one) for clients it missed."""
    target = _months([month])[0] if month else (Month.of(_this_month()) - 1).first_day
    return month_fan_out_missing(month=target, task=month_close_task)


@shared_task(acks_late=True)
def dispatch_current_month_refresh(month: str | None = None) -> int:
    """Refresh ``month`` (default: the month beat fires in) for every client, in chunks of clients."""
    target = _months([month])[0] if month else _this_month()
    return snapshots_fan_out(clients=clients_ready().iterator(chunk_size=500), months=[str(Month.of(target))])


@shared_task(acks_late=True)
def dispatch_current_month_refresh_missing(month: str | None = None) -> int:
    """Beat, hourly after the daily refresh: refresh ``month`` (default: the current one) again for
    every client whose snapshot of it was not computed today (UTC): its refresh task was lost."""
    target = _months([month])[0] if month else _this_month()
    today = timezone.now().replace(hour=0, minute=0, second=0, microsecond=0)
    return month_fan_out_missing(month=target, since=today)


@shared_task(acks_late=True)
def recompute_overdue_dispatch() -> int:
    """Beat, every minute: send again the recompute of clients whose run is overdue (a lost task)."""
    return recompute_overdue_dispatch_run()


@shared_task(acks_late=True)
def recompute_outbox_drain() -> int:
    """Beat, every 10 s: queue the recomputes kept in the database while Redis was down."""
    return recompute_outbox_drain_run()


@app.task(**CLIENT_TASK)
def snapshot_recompute_pending(self: TenantTask, *, client_slug: str) -> int:
    """Compute the months that changes asked for (kpis.recompute) since the last run."""
    return recompute_pending_run(client=Client.objects.get(slug=client_slug))


@app.task(**CLIENT_TASK)
def snapshot_recompute_job(self: TenantTask, *, client_slug: str, job_id: int) -> int:
    """A recompute asked for on the scorecard: month by month, with progress on its Job."""
    return recompute_job_run(client=Client.objects.get(slug=client_slug), job_id=job_id)
