"""Celery tasks of the monthly close. Thin: they name the client and the instant, and call services.

- ``bulk_approve_task`` (the close board's confirmation): one client's months of a bulk approval;
  ``bulk_approval_stale_sweep_task`` (beat) refuses those whose task was lost, so the board stops waiting;
  ``bulk_approvals_forget_task`` (beat, daily) deletes the approvals finished 30 days ago.
- ``approval_emails_task`` (the month page's Approve): builds the PDF and the email an approval owes
  (reports.services.approval_emails_build), so that Approve answers at once.
- ``dispatch_month_reviews`` (beat, hourly): for every ready client, the month that ended enters
  the close, and goes to review once the client's settling delay has passed. The instant is
  read once, here, and passed down: the per-client work never reads the clock to decide.

The close's emails go through the client's outbox (clients.outbox): queued in the transaction
that decides them, sent by ``clients.tasks.outbox_drain``. The staff's daily digest is about many
clients: it goes through the agency's own outbox (agency.outbox.PUBLIC).
"""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.utils import timezone
from tenant_schemas_celery.task import TenantTask

from agency.celery import app
from agency.models import Client
from agency.months import Month
from agency.tasks import clients_fan_out
from kpis.tasks import CLIENT_TASK
from reports.digest import checks_digest_queue
from reports.services import approval_emails_build, month_reviews_start
from reports.services_bulk import bulk_approval_stale_sweep, bulk_approvals_forget, bulk_approve_client


@app.task(**CLIENT_TASK)
def month_reviews_start_task(self: TenantTask, *, client_slug: str, at: str) -> str | None:
    """Open (and, when due, move to review) the month that ended before ``at`` (ISO instant)."""
    client = Client.objects.get(slug=client_slug)
    month = month_reviews_start(client=client, at=dt.datetime.fromisoformat(at))
    return str(Month.of(month)) if month else None


@app.task(**CLIENT_TASK)
def bulk_approve_task(self: TenantTask, *, client_slug: str, bulk_id: int) -> int:
    """Approve the client's months of bulk approval ``bulk_id`` (reports.services_bulk); run twice, it
    approves nothing twice."""
    return bulk_approve_client(client=Client.objects.get(slug=client_slug), bulk_id=bulk_id)


@app.task(**CLIENT_TASK)
def approval_emails_task(self: TenantTask, *, client_slug: str, month: str, number: int) -> int | None:
    """Build and queue the email approval ``number`` of ``month`` ("YYYY-MM") owes; run twice, it
    queues nothing twice (None: nothing was owed any more)."""
    return approval_emails_build(client=Client.objects.get(slug=client_slug), month=Month.parse(month).first_day,
                                 number=number)


@shared_task(acks_late=True)
def bulk_approval_stale_sweep_task() -> int:
    """Beat: the months of bulk approvals whose task was lost are refused (reports.services_bulk)."""
    return bulk_approval_stale_sweep(now=timezone.now())


@shared_task(acks_late=True)
def bulk_approvals_forget_task() -> int:
    """Beat: the bulk approvals finished more than reports.services_bulk.KEEP_FOR ago are deleted."""
    return bulk_approvals_forget(now=timezone.now())


@shared_task(acks_late=True)
def dispatch_month_reviews(at: str | None = None) -> int:
    """One ``month_reviews_start_task`` per ready client, all for the same instant ``at`` (default: now)."""
    return clients_fan_out(month_reviews_start_task, at=at or timezone.now().isoformat())


@shared_task(acks_late=True)
def dispatch_checks_digest(day: str | None = None) -> int:
    """The staff's daily digest of checks to look at (reports.digest), for ``day`` (default: today, UTC)."""
    return checks_digest_queue(day=dt.date.fromisoformat(day) if day else timezone.now().date())
