"""Background work on one client's data; each task runs in the client's schema (TenantTask)."""

from __future__ import annotations

import datetime as dt
import random

from celery import shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError, connection
from django.utils import timezone
from django_tenants.utils import tenant_context
from tenant_schemas_celery.task import TenantTask

from agency.celery import app
from agency.connections_due import connections_due_claim
from agency.models import Client
from agency.tasks import clients_fan_out, enqueue_for_client
from clients.connectors.caps import cap_release, cap_wait
from clients.connectors.health import connection_failure_notify, connection_token_warn, connections_due
from clients.connectors.schedule import STALE_SYNC, connections_due_rebuild
from clients.connectors.sync import connection_sync
from clients.imports.batch import import_batch_run as batch_run
from clients.imports.services import import_job_run
from clients.jobs import jobs_stale_sweep_run
from clients.outbox import outbox_drain_schedule, outbox_send_due
from clients.sources.schedule import scheduled_sources_due, source_run

# An import is one transaction (a batch's imports one each, a finished one skipped): a connection that
# died wrote nothing, so running it again is safe.
IMPORT_TASK = {
    "base": TenantTask, "bind": True, "acks_late": True, "reject_on_worker_lost": True,
    "autoretry_for": (OperationalError, InterfaceError), "retry_backoff": 2, "retry_backoff_max": 30, "max_retries": 6,
}


def _import_client(client_slug: str, what: str) -> Client:
    """The client an import task names, refusing to run in another client's schema."""
    client = Client.objects.get(slug=client_slug)
    if connection.schema_name not in {client.schema_name, settings.PUBLIC_SCHEMA_NAME}:
        raise RuntimeError(f"{what} for {client_slug} started in schema {connection.schema_name}")
    return client


@app.task(name="clients.tasks.import_run", **IMPORT_TASK)
def import_run(self: TenantTask, *, client_slug: str, job_id: int) -> None:
    """Run an uploaded import (clients.imports.services.import_job_run); progress is polled by the job page."""
    import_job_run(client=_import_client(client_slug, "import"), job_id=job_id)


@app.task(name="clients.tasks.import_batch_run", **IMPORT_TASK)
def import_batch_run(self: TenantTask, *, client_slug: str, job_id: int) -> None:
    """Run the imports of several uploaded files in order (clients.imports.batch.import_batch_run)."""
    batch_run(client=_import_client(client_slug, "import batch"), batch_id=job_id)


@app.task(base=TenantTask, bind=True, name="clients.tasks.scheduled_source_fetch", acks_late=True)
def scheduled_source_fetch(self: TenantTask, *, client_slug: str, source_id: int) -> None:
    """Fetch and import one scheduled source now (clients.sources.schedule.source_run)."""
    source_run(client=Client.objects.get(slug=client_slug), source_id=source_id)


@app.task(base=TenantTask, bind=True, name="clients.tasks.scheduled_sources_client", acks_late=True)
def scheduled_sources_client(self: TenantTask, *, client_slug: str) -> int:
    """Run every scheduled source of one client that is due; returns how many ran."""
    client = Client.objects.get(slug=client_slug)
    with tenant_context(client):
        due = [source.pk for source in scheduled_sources_due()]
    for source_id in due:
        source_run(client=client, source_id=source_id)
    return len(due)


@app.task(name="clients.tasks.dispatch_scheduled_sources")
def dispatch_scheduled_sources() -> int:
    """Beat, daily: one task per ready client, which runs the sources it has due."""
    return clients_fan_out(scheduled_sources_client)


@app.task(
    base=TenantTask,
    bind=True,
    name="clients.tasks.outbox_drain",
    acks_late=True,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=5,
    max_retries=8,
)
def outbox_drain(self: TenantTask, *, client_slug: str, follow: bool = True) -> int:
    """Send the client's due emails (clients.outbox), then (``follow``) queue itself for the next one that waits."""
    client = Client.objects.get(slug=client_slug)
    sent = outbox_send_due(client=client)
    if follow:
        outbox_drain_schedule(client=client)
    return sent


@shared_task(acks_late=True)
def dispatch_outbox_drain() -> int:
    """Hourly sweep: every ready client's due emails, in case a queued drain was lost with its message.

    The sweep does not queue follow-ups: the drains queued after a failure already do, and one
    chain per client is enough.
    """
    return clients_fan_out(outbox_drain, follow=False)
@shared_task(acks_late=True)
def jobs_stale_sweep() -> int:
    """Beat, every 15 s: fail the running jobs whose worker died; visits only the clients of
    overdue jobs (clients.jobs.jobs_stale_sweep_run), never every schema."""
    return jobs_stale_sweep_run()


@app.task(base=TenantTask, bind=True, name="clients.tasks.connection_sync_run", acks_late=True, max_retries=None)
def connection_sync_run(
    self: TenantTask, *, client_slug: str, platform: str, trigger: str = "daily", due: str | None = None
) -> str:
    """Sync one connection (clients.connectors.sync), holding one of the platform's agency-wide slots.

    ``due``: the dispatcher's instant; a connection no longer due by then (a copy of this message
    already synced it) is skipped, so a sync queued twice runs once. All slots taken: it waits for
    one to be given back (PORTAL_CONNECTOR_CAP_WAIT seconds at most), else the task comes back 1 to
    5 seconds later (jittered), so the caps hold however many clients the dispatcher released at once.
    """
    client = Client.objects.get(slug=client_slug)
    if due is not None and platform not in connections_due(now=dt.datetime.fromisoformat(due)):
        return "skipped"
    holder = f"{client.schema_name}:{platform}"
    if not cap_wait(platform=platform, holder=holder, seconds=settings.PORTAL_CONNECTOR_CAP_WAIT):
        raise self.retry(countdown=random.uniform(1, 5))
    try:
        outcome = connection_sync(client=client, platform=platform, trigger=trigger)
    finally:
        cap_release(platform=platform, holder=holder)
    connection_failure_notify(client=client, platform=platform)
    connection_token_warn(client=client, platform=platform)
    return "skipped" if outcome.skipped else ("ok" if outcome.ok else "failed")


@app.task(name="clients.tasks.dispatch_connection_syncs")
def dispatch_connection_syncs() -> int:
    """Beat, every 10 minutes: queue the connections whose nightly time (client's zone) has come.

    Read from the public index (agency.connections_due), claimed for STALE_SYNC: no client's schema
    is opened here, and only the clients with something due get a task.
    """
    now = timezone.now()
    count = 0
    for client, platform in connections_due_claim(now=now, lease=STALE_SYNC):
        enqueue_for_client(connection_sync_run, client=client, platform=platform, countdown=count * 0.2 or None,
                           due=now.isoformat())
        count += 1
    return count


@app.task(base=TenantTask, bind=True, name="clients.tasks.connections_due_rebuild_client", acks_late=True)
def connections_due_rebuild_client(self: TenantTask, *, client_slug: str) -> int:
    """Write one client's rows of the due index again from its schema (clients.connectors.schedule)."""
    return connections_due_rebuild(client=Client.objects.get(slug=client_slug))


@app.task(name="clients.tasks.dispatch_connections_due_rebuild")
def dispatch_connections_due_rebuild() -> int:
    """Beat, daily: the due index rebuilt from every client's schema, one task per client, spread
    over the fan-out — the safety net for a schema restored or changed behind the code's back."""
    return clients_fan_out(connections_due_rebuild_client, spread=2.0)
