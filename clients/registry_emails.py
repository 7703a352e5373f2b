"""The registry's emails about a client (an invitation, a client user's password reset: rendered
by agency.emails) through the client's outbox: written first, tried at once so that staff see on
the page whether it went out, then retried by the drain when the mail server refused it.

Inviting again while an earlier invitation still waits (refused, not yet retried) replaces that
email — the new link in place of the old — instead of queueing a second one, so the person never
receives two. Registered with agency.emails in ``clients.apps.ready()``."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django_tenants.utils import tenant_context

from agency.models import Client, User
from clients.models import OutboxEmail
from clients.outbox import outbox_drain_schedule, outbox_email_send_now

State = OutboxEmail.State


def registry_email_queue(*, client: Client, user: User, kind: str, message: dict[str, str]) -> tuple[bool, str]:
    """Queue ``message`` for ``user`` in ``client``'s outbox and try it now; returns whether it went
    out and, if not, what the mail server said (it is tried again by itself)."""
    payload = {
        "subject": message["subject"],
        "body": message["body"],
        "html": message.get("html", ""),
        "headers": {},
        "from_email": message.get("from_email", ""),
    }
    now = timezone.now()
    with tenant_context(client), transaction.atomic():
        waiting = (
            OutboxEmail.objects.select_for_update()
            .filter(kind=kind, recipient_id=user.pk, state__in=[State.PENDING, State.FAILED])
            .order_by("-pk")
            .first()
        )
        if waiting is not None:
            OutboxEmail.objects.filter(pk=waiting.pk).update(
                to=user.email, payload=payload, state=State.PENDING, attempts=0, next_attempt_at=now, last_error=""
            )
            pk = waiting.pk
        else:
            sent_before = OutboxEmail.objects.filter(kind=kind, recipient_id=user.pk).count()
            pk = OutboxEmail.objects.create(
                kind=kind,
                recipient_id=user.pk,
                to=user.email,
                reference=str(sent_before + 1),
                payload=payload,
                next_attempt_at=now,
            ).pk
    row = outbox_email_send_now(client=client, pk=pk)
    if row.state == State.SENT:
        return True, ""
    outbox_drain_schedule(client=client)
    return False, row.last_error
