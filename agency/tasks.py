"""Queueing work for one client, explicitly, and for every client at once (the fan-out)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from celery import Task, shared_task
from django.db.models import QuerySet

from agency import services_domains
from agency.models import Client
from agency.outbox import PUBLIC, PUBLIC_DRAIN_TASK
from agency.selectors import clients_ready

SPREAD_SECONDS = 0.2  # fan-out spacing between chunks, so 500 clients do not land on the workers at once
CHUNK = 1  # clients queued with the same countdown
READ_BATCH = 500  # clients read per query (the registry is read in pages, never whole)


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


def _pages(clients: QuerySet[Client]) -> Iterable[Client]:
    """The clients by id, a page of READ_BATCH at a time (keyset: no OFFSET, no list of all)."""
    after = 0
    while True:
        page = list(clients.filter(pk__gt=after).order_by("pk")[:READ_BATCH])
        yield from page
        if len(page) < READ_BATCH:
            return
        after = page[-1].pk


def clients_fan_out(
    task: Task, *, skip: Callable[[Client], bool] | None = None, spread: float = SPREAD_SECONDS, chunk: int = CHUNK,
    clients: QuerySet[Client] | None = None, **kwargs: Any,
) -> int:
    """Queue ``task`` once for every ready client (``clients``: a narrower set), with the same
    ``kwargs``; returns how many were sent. The one fan-out of every per-client dispatcher.

    Spread over time: the n-th chunk of ``chunk`` clients waits ``n × spread`` seconds, so a
    fan-out over 500 clients does not land on the workers at once. ``skip`` leaves a client out
    (e.g. one that already has what the sweep would queue). The period or instant the work is
    for travels in ``kwargs``, read once by the dispatcher: a client task never reads "now" to decide.
    """
    sent = 0
    for client in _pages(clients if clients is not None else clients_ready()):
        if skip is not None and skip(client):
            continue
        enqueue_for_client(task, client=client, countdown=(sent // max(chunk, 1)) * spread or None, **kwargs)
        sent += 1
    return sent


@shared_task(acks_late=True)
def domain_claims_check() -> int:
    """Retry the DNS check of pending custom domains (agency.services_domains.domain_claims_check)."""
    return services_domains.domain_claims_check()


@shared_task(name=PUBLIC_DRAIN_TASK, acks_late=True)
def public_outbox_drain(follow: bool = True) -> int:
    """Send the agency's own due emails (agency.outbox.PUBLIC: account and password links, the
    staff's digest), then (``follow``) queue itself for the next one that waits. The hourly sweep
    runs it with ``follow=False``: the drains queued after a failure already follow."""
    sent = PUBLIC.send_due()
    if follow:
        PUBLIC.drain_schedule()
    return sent
