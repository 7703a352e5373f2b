"""The index of when each client's connections are next due (agency.models.ConnectionDue).

The nightly dispatcher (``clients.tasks.dispatch_connection_syncs``, every 10 minutes) reads it
instead of opening every client's schema: its cost follows the connections due, not the number
of clients. ``clients.connectors.schedule`` writes it in the same transaction as the connection's
own row (the schemas share one database), so the two cannot drift apart through the code; a daily
rebuild from the schemas catches what changed behind the code's back (a restored schema).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.db import transaction

from agency.models import Client, ConnectionDue
from agency.selectors import clients_ready


def connection_due_set(*, client: Client, platform: str, due_at: dt.datetime | None) -> None:
    """When ``client``'s ``platform`` connection is next due (``None``: not until someone acts).

    One statement (an upsert), in the caller's transaction: each sync writes it twice."""
    ConnectionDue.objects.bulk_create([ConnectionDue(client=client, platform=platform, due_at=due_at)],
                                      update_conflicts=True, unique_fields=["client", "platform"],
                                      update_fields=["due_at"])


def connection_due_forget(*, client: Client, platform: str) -> None:
    """The connection is gone: it is never due again."""
    ConnectionDue.objects.filter(client=client, platform=platform).delete()


def connections_due_replace(*, client: Client, due: Mapping[str, dt.datetime | None]) -> None:
    """``client``'s rows become exactly ``due`` (platform → when): the rebuild from its schema."""
    with transaction.atomic():
        ConnectionDue.objects.filter(client=client).exclude(platform__in=list(due)).delete()
        for platform, due_at in due.items():
            connection_due_set(client=client, platform=platform, due_at=due_at)


def connections_due_claim(
    *, now: dt.datetime, lease: dt.timedelta, limit: int = 10_000
) -> list[tuple[Client, str]]:
    """The ready clients' connections due by ``now`` (earliest first), each claimed for ``lease``.

    Claimed: its ``due_at`` moves to ``now + lease``, so the next dispatch does not queue it again
    while its sync waits in the queue, and a sync whose message was lost comes due again once the
    lease ends. Rows locked by another dispatcher are skipped, not waited for.
    """
    with transaction.atomic():
        rows = list(
            ConnectionDue.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(due_at__lte=now, client__in=clients_ready())
            .select_related("client").order_by("due_at", "client_id", "platform")[:limit]
        )
        ConnectionDue.objects.filter(pk__in=[row.pk for row in rows]).update(due_at=now + lease)
    return [(row.client, row.platform) for row in rows]

