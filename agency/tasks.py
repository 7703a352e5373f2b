"""Queueing work for one client, explicitly."""

from __future__ import annotations

from typing import Any

from celery import Task, shared_task

from agency import services
from agency.models import Client


def enqueue_for_client(task: Task, *, client: Client, countdown: float | None = None, **kwargs: Any) -> None:
    """Send ``task`` to run in ``client``'s schema, whatever schema the caller is in.

    The schema travels in the message header read by tenant-schemas-celery; the task also
    gets ``client_slug`` so that its logs and its code name the client it is for.
    """
    task.apply_async(
        kwargs={"client_slug": client.slug, **kwargs},
        headers={"_schema_name": client.schema_name},
        countdown=countdown,
    )


@shared_task(acks_late=True)
def domain_claims_check() -> int:
    """Retry the DNS check of pending custom domains (agency.services.domain_claims_check)."""
    return services.domain_claims_check()
