"""When each connection syncs, and the public index that tells the nightly dispatcher.

A connection is due at its nightly slot (between 01:00 and 05:00 in the client's zone), or —
while a sync of it runs or waits in the queue — STALE_SYNC after that started, when the sync
counts as lost and runs again (resuming after its last batch). One needing re-authorisation is
never due. Every change of those facts writes ``agency.models.ConnectionDue`` in the same
transaction as the connection's row (:func:`connection_due_note`), so
``clients.tasks.dispatch_connection_syncs`` finds the due connections of all clients with one
query in the public schema and opens only their schemas.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.db import transaction
from django_tenants.utils import tenant_context

from agency.account_claims import account_claims_replace
from agency.connections_due import connection_due_set, connections_due_replace
from agency.models import Client
from agency.months import local_midnight
from clients.connectors.registry import PLATFORMS
from clients.models import Connection

STALE_SYNC = dt.timedelta(minutes=30)  # a sync started (or queued) this long ago without finishing is lost


def connection_next_run(*, client: Client, platform: str, after: dt.datetime) -> dt.datetime:
    """The next nightly run: between 01:00 and 05:00 in the client's zone, at a minute of its own.

    The minute comes from a stable hash of the client and platform, so an agency's syncs spread
    over the night instead of all starting at once.
    """
    zone = ZoneInfo(client.timezone)
    spread = int.from_bytes(f"{client.schema_name}:{platform}".encode(), "big") % (4 * 60)
    local = after.astimezone(zone)
    for days in (0, 1, 2):
        day = local.date() + dt.timedelta(days=days)
        slot = local_midnight(day, zone) + dt.timedelta(hours=1, minutes=spread)
        if slot > after:
            return slot
    raise AssertionError("unreachable")


def connection_due_at(*, connection: Connection) -> dt.datetime | None:
    """When the dispatcher should next queue a sync of ``connection`` (None: not until someone acts)."""
    if connection.state == Connection.State.REAUTH:
        return None
    if connection.state == Connection.State.SYNCING and connection.last_attempt_at is not None:
        return connection.last_attempt_at + STALE_SYNC
    return connection.next_run_at


def connection_due_note(*, client: Client, connection: Connection) -> None:
    """Write ``connection``'s due time to the public index (call it in the transaction that saved it)."""
    connection_due_set(client=client, platform=connection.platform, due_at=connection_due_at(connection=connection))


def connections_reschedule(*, client: Client, now: dt.datetime) -> int:
    """The client's zone changed: each connection's coming nightly slot moves to the new zone's night.

    A connection already due (or syncing) keeps its time: it runs as planned. Returns how many moved.
    """
    moved = 0
    with tenant_context(client), transaction.atomic():
        for connection in Connection.objects.select_for_update().filter(next_run_at__gt=now):
            connection.next_run_at = connection_next_run(client=client, platform=connection.platform, after=now)
            connection.save(update_fields=["next_run_at"])
            connection_due_note(client=client, connection=connection)
            moved += 1
    return moved


def connections_due_rebuild(*, client: Client) -> int:
    """Write the client's index rows and account claims again from its schema (the daily safety net).

    Returns how many connections the client has."""
    with tenant_context(client), transaction.atomic():
        # Locked: a sync finishing meanwhile writes its row after this, not before and then lost.
        connections = list(Connection.objects.select_for_update())
        connections_due_replace(client=client, due={c.platform: connection_due_at(connection=c) for c in connections})
        exclusive = {slug for slug, connector in PLATFORMS.items() if connector.exclusive_accounts}
        account_claims_replace(client=client,
                               accounts={c.platform: c.account_id for c in connections if c.platform in exclusive},
                               shared={c.platform: c.account_id for c in connections
                                       if c.platform in PLATFORMS and c.platform not in exclusive})
    return len(connections)
