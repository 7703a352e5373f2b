"""Background work on one client's data; each task runs in the client's schema (TenantTask)."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError, connection
from django_tenants.utils import tenant_context
from tenant_schemas_celery.task import TenantTask

from agency.celery import app
from agency.models import Client
from agency.tasks import enqueue_for_client
from clients.outbox import outbox_drain_schedule, outbox_send_due
from clients.services import import_job_run
from clients.services_jobs import jobs_stale_fail


@app.task(
    base=TenantTask,
    bind=True,
    name="clients.tasks.import_run",
    acks_late=True,
    reject_on_worker_lost=True,
    # The import is one transaction: a connection that died wrote nothing, so running it again is safe.
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=2,
    retry_backoff_max=30,
    max_retries=6,
)
def import_run(self: TenantTask, *, client_slug: str, job_id: int) -> None:
    """Run an uploaded import (clients.services.import_job_run); progress is polled by the job page."""
    client = Client.objects.get(slug=client_slug)
    if connection.schema_name not in {client.schema_name, settings.PUBLIC_SCHEMA_NAME}:
        raise RuntimeError(f"import for {client_slug} started in schema {connection.schema_name}")
    import_job_run(client=client, job_id=job_id)


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
    clients = Client.objects.exclude(schema_name=settings.PUBLIC_SCHEMA_NAME).filter(is_ready=True).order_by("pk")
    count = 0
    for count, client in enumerate(clients, start=1):
        enqueue_for_client(outbox_drain, client=client, follow=False, countdown=(count - 1) * 0.2)
    return count
@shared_task(acks_late=True)
def jobs_stale_sweep() -> int:
    """Beat, every 15 s: in every ready client, fail the running jobs whose worker died."""
    failed = 0
    for client in Client.objects.exclude(schema_name=settings.PUBLIC_SCHEMA_NAME).filter(is_ready=True).order_by("pk"):
        with tenant_context(client):
            failed += jobs_stale_fail()
    return failed
