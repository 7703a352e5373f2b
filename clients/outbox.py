"""The outbox of a client's emails, in the client's schema (``clients.OutboxEmail``).

The lifecycle — written first in the caller's transaction, claimed and sent once, retried with
backoff, "uncertain" when the outcome is unknown, "Send again" — is every outbox's and lives in
agency.outbox (the agency's own outbox, in the public schema, is the other). This module binds it
to one client: the rows in its schema, the drain ``clients.tasks.outbox_drain`` queued for it
(and an hourly sweep in case that message was lost).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection
from django_tenants.utils import tenant_context

from agency.celery import app
from agency.models import Client
from agency.outbox import MAX_ATTEMPTS, SENDING_LEASE, Outbox, backoff
from agency.tasks import enqueue_for_client
from clients.models import OutboxEmail

__all__ = ["MAX_ATTEMPTS", "SENDING_LEASE", "backoff"]
DRAIN_TASK = "clients.tasks.outbox_drain"


def client_outbox(client: Client) -> Outbox:
    """``client``'s outbox: its rows in the client's schema, its drain queued for the client."""

    def queue_drain(countdown: float) -> None:
        enqueue_for_client(app.signature(DRAIN_TASK), client=client, countdown=countdown)

    return Outbox(model=OutboxEmail, schema=lambda: tenant_context(client), queue_drain=queue_drain, name=client.schema_name)


def outbox_recipients(*, client: Client, kind: str, month: dt.date | None = None, reference: str = "") -> set[int]:
    """Who already has a row for this email, whatever its state: they are not queued again."""
    return client_outbox(client).recipients(kind=kind, month=month, reference=reference)


def outbox_email_enqueue(*, client: Client, **email: Any) -> bool:
    """Queue one rendered email in ``client``'s outbox (agency.outbox.Outbox.enqueue)."""
    return client_outbox(client).enqueue(**email)


def outbox_send_due(*, client: Client) -> int:
    """Send the client's due emails; returns how many were sent now."""
    return client_outbox(client).send_due()


def outbox_stuck_mark(*, client: Client, now: dt.datetime | None = None) -> int:
    """Rows in "sending" whose lease ran out become "uncertain"; returns how many."""
    return client_outbox(client).stuck_mark(now=now)


def outbox_email_resend(*, client: Client, pk: int) -> bool:
    """Agency staff's "Send again" on one of the client's emails (agency.outbox.Outbox.resend)."""
    return client_outbox(client).resend(pk=pk)


def outbox_attention(*, month: dt.date) -> list[OutboxEmail]:
    """The month's emails agency staff should look at, of the client whose schema is current."""
    return client_outbox(connection.tenant).attention(month=month)  # type: ignore[return-value]


def outbox_next_attempt(*, client: Client) -> dt.datetime | None:
    """When the next email of this client is due (None: nothing waits)."""
    return client_outbox(client).next_attempt()


def outbox_drain_schedule(*, client: Client) -> dt.datetime | None:
    """Queue the outbox drain for when the client's next email is due; returns that time."""
    return client_outbox(client).drain_schedule()


def outbox_email_send_now(*, client: Client, pk: int) -> OutboxEmail:
    """Try one queued row at once (an invitation staff wait for on the page)."""
    return client_outbox(client).send_now(pk=pk)  # type: ignore[return-value]
