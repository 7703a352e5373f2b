"""Background work on one client's data; each task runs in the client's schema (TenantTask)."""

from __future__ import annotations

from django.conf import settings
from django.db import connection
from tenant_schemas_celery.task import TenantTask

from agency.celery import app
from agency.models import Client
from clients.services import import_job_run


@app.task(base=TenantTask, bind=True, name="clients.tasks.import_run", acks_late=True)
def import_run(self: TenantTask, *, client_slug: str, job_id: int) -> None:
    """Run an uploaded import (clients.services.import_job_run); progress is polled by the job page."""
    client = Client.objects.get(slug=client_slug)
    if connection.schema_name not in {client.schema_name, settings.PUBLIC_SCHEMA_NAME}:
        raise RuntimeError(f"import for {client_slug} started in schema {connection.schema_name}")
    import_job_run(client=client, job_id=job_id)
