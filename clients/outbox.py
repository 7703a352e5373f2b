"""The outbox of a client's emails: written first, sent after, each at most once.

Whoever has an email to send renders it and queues it (:func:`outbox_email_enqueue`, a row in
the client's schema, in state pending); :func:`outbox_send_due` sends the rows that are due.
Sending claims a row with a conditional update (pending or failed → sending, one statement:
two workers cannot both win it) before talking to the mail server, and writes the outcome
after: sent, or failed with the error, the attempt counted and the next attempt set with
exponential backoff (none after MAX_ATTEMPTS: given up).

A mail server that drops the line after receiving the whole message (before its final reply)
leaves the outcome unknown too: the row becomes "uncertain" at once (agency.mail).

A worker that dies between the claim and the outcome leaves the row in "sending". Whether the
mail server took the email is then unknown (it may have said 250 a moment before the kill), and
the promise is "never twice": so the drain does not send it again. Once the row's lease has run
out (claimed more than SENDING_LEASE ago, far longer than a send may take) the drain marks it
"uncertain", and the month's page shows it to agency staff, who check with the recipient or the
mail server's log and press "Send again" (:func:`outbox_email_resend`) only if it never arrived.

Failed rows are tried again by ``clients.tasks.outbox_drain`` (queued for the next due row, and
an hourly sweep in case that message was lost).
"""

from __future__ import annotations

import datetime as dt
import logging
from email.mime.image import MIMEImage
from email.utils import formataddr, parseaddr
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import connection, transaction
from django.db.models import F, Min, Q
from django.utils import timezone
from django_tenants.utils import tenant_context

from agency.branding import brand_for
from agency.celery import app
from agency.mail import DeliveryUncertain, header_text
from agency.models import Client
from agency.tasks import enqueue_for_client
from clients.models import OutboxEmail

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 12  # about four hours of trying
BACKOFF_SECONDS = 60  # 1, 2, 4 … minutes between attempts
# At most half an hour: a queued drain waits in a worker (an ETA task), and one held longer than
# the broker's visibility timeout (CELERY_VISIBILITY_TIMEOUT, 1 hour) would be delivered twice.
BACKOFF_MAX_SECONDS = 30 * 60
# How long a claimed row may stay in "sending" before the drain calls its outcome unknown: a send
# takes seconds (EMAIL_TIMEOUT bounds each SMTP step); ten minutes is a worker that is gone.
SENDING_LEASE = dt.timedelta(minutes=10)
UNCERTAIN_NOTE = "the worker stopped while sending: unknown whether the mail server took it"
DROPPED_NOTE = "the mail server dropped the line after receiving the message: unknown whether it took it"
DRAIN_TASK = "clients.tasks.outbox_drain"
State = OutboxEmail.State


def outbox_recipients(*, client: Client, kind: str, month: dt.date | None = None, reference: str = "") -> set[int]:
    """Who already has a row for this email, whatever its state: they are not queued again."""
    with tenant_context(client):
        rows = OutboxEmail.objects.filter(kind=kind, month=month, reference=reference, recipient__isnull=False)
        return set(rows.values_list("recipient_id", flat=True))


def outbox_email_enqueue(
    *,
    client: Client,
    kind: str,
    recipient_id: int,
    to: str,
    subject: str,
    body: str,
    html: str = "",
    headers: dict[str, str] | None = None,
    month: dt.date | None = None,
    reference: str = "",
    from_email: str = "",
    attachments: list[dict[str, str]] | None = None,
) -> bool:
    """Queue one rendered email; False when this kind, recipient, month and reference was queued before.

    ``from_email``: the sender (e.g. the agency's name, white label), else DEFAULT_FROM_EMAIL.
    ``attachments``: files under MEDIA_ROOT read when the email is sent ({"path", "name",
    "mimetype"}, and "inline_id" for an image the HTML shows as ``cid:<inline_id>``)."""
    payload = {"subject": subject, "body": body, "html": html, "headers": headers or {}}
    if from_email:
        payload["from_email"] = from_email
    if attachments:
        payload["attachments"] = attachments
    with tenant_context(client):
        _row, created = OutboxEmail.objects.get_or_create(
            kind=kind,
            recipient_id=recipient_id,
            month=month,
            reference=reference,
            defaults={"to": to, "payload": payload, "next_attempt_at": timezone.now()},
        )
    return created


def outbox_send_due(*, client: Client) -> int:
    """Send the client's due emails, one claim each; returns how many were sent now.

    First, rows left in "sending" past their lease become "uncertain" (:func:`outbox_stuck_mark`)."""
    now = timezone.now()
    outbox_stuck_mark(client=client, now=now)
    with tenant_context(client):
        due = OutboxEmail.objects.filter(state__in=[State.PENDING, State.FAILED], next_attempt_at__lte=now)
        return sum(_deliver(pk=pk, now=now) for pk in due.order_by("pk").values_list("pk", flat=True))


def outbox_stuck_mark(*, client: Client, now: dt.datetime | None = None) -> int:
    """Rows in "sending" whose lease ran out become "uncertain" (never re-sent by themselves).

    Returns how many. A row claimed before ``claimed_at`` existed has none: it is as old as any."""
    cutoff = (now or timezone.now()) - SENDING_LEASE
    with tenant_context(client):
        stuck = OutboxEmail.objects.filter(Q(claimed_at__lt=cutoff) | Q(claimed_at__isnull=True), state=State.SENDING)
        count = stuck.update(state=State.UNCERTAIN, next_attempt_at=None, last_error=UNCERTAIN_NOTE)
    if count:
        logger.warning("%s email(s) of %s left in sending past the lease: marked uncertain", count, client.schema_name)
    return count


def outbox_email_resend(*, client: Client, pk: int) -> bool:
    """Agency staff's "Send again": an uncertain (or stuck) or given-up row is queued once more, its attempts
    counted from zero, and the drain is scheduled. False when the row is not in such a state
    (sent meanwhile, or a failed one still being retried): nothing changes then."""
    cutoff = timezone.now() - SENDING_LEASE
    with tenant_context(client):
        again = OutboxEmail.objects.filter(pk=pk).filter(
            Q(state=State.UNCERTAIN)
            | Q(state=State.FAILED, next_attempt_at__isnull=True)
            | (Q(state=State.SENDING) & (Q(claimed_at__lt=cutoff) | Q(claimed_at__isnull=True)))
        )
        changed = again.update(state=State.PENDING, attempts=0, next_attempt_at=timezone.now(), claimed_at=None)
    if changed:
        transaction.on_commit(lambda: outbox_drain_schedule(client=client))
    return bool(changed)


def outbox_attention(*, month: dt.date) -> list[OutboxEmail]:
    """The month's emails agency staff should look at, in the current schema: failed ones (still
    retried, or given up), uncertain ones, and ones still "sending" past their lease (the drain has
    not marked them yet; they read as uncertain)."""
    cutoff = timezone.now() - SENDING_LEASE
    stuck = Q(state=State.SENDING) & (Q(claimed_at__lt=cutoff) | Q(claimed_at__isnull=True))
    rows = OutboxEmail.objects.filter(Q(state__in=[State.FAILED, State.UNCERTAIN]) | stuck, month=month)
    return list(rows.order_by("pk"))


def outbox_next_attempt(*, client: Client) -> dt.datetime | None:
    """When the next email of this client is due (None: nothing waits)."""
    with tenant_context(client):
        waiting = OutboxEmail.objects.filter(state__in=[State.PENDING, State.FAILED], next_attempt_at__isnull=False)
        return waiting.aggregate(first=Min("next_attempt_at"))["first"]


def outbox_drain_schedule(*, client: Client) -> dt.datetime | None:
    """Queue the outbox drain for when the client's next email is due; returns that time."""
    due = outbox_next_attempt(client=client)
    if due is not None:
        countdown = max(1.0, (due - timezone.now()).total_seconds())
        enqueue_for_client(app.signature(DRAIN_TASK), client=client, countdown=countdown)
    return due


def backoff(attempts: int) -> dt.timedelta:
    """The wait after the ``attempts``-th failed attempt."""
    return dt.timedelta(seconds=min(BACKOFF_MAX_SECONDS, BACKOFF_SECONDS * 2 ** max(0, attempts - 1)))


def _deliver(*, pk: int, now: dt.datetime) -> bool:
    claimed = OutboxEmail.objects.filter(pk=pk, state__in=[State.PENDING, State.FAILED], next_attempt_at__lte=now).update(
        state=State.SENDING, attempts=F("attempts") + 1, claimed_at=timezone.now()
    )
    if not claimed:
        return False  # another worker has it, or it was sent meanwhile
    row = OutboxEmail.objects.get(pk=pk)
    try:
        _message(row).send()
    except DeliveryUncertain as error:
        # The server had the whole message when the line dropped: it may deliver it. Never twice.
        OutboxEmail.objects.filter(pk=pk).update(
            state=State.UNCERTAIN, next_attempt_at=None, last_error=f"{DROPPED_NOTE} ({error})"[:2000])
        logger.warning("email %s to %s: %s", pk, row.to, error)
        return False
    except Exception as error:
        given_up = row.attempts >= MAX_ATTEMPTS
        OutboxEmail.objects.filter(pk=pk).update(
            state=State.FAILED,
            last_error=f"{type(error).__name__}: {error}"[:2000],
            next_attempt_at=None if given_up else timezone.now() + backoff(row.attempts),
        )
        logger.warning(
            "email %s to %s failed (attempt %s%s): %s", pk, row.to, row.attempts, ", given up" if given_up else "", error
        )
        return False
    OutboxEmail.objects.filter(pk=pk).update(state=State.SENT, sent_at=timezone.now(), next_attempt_at=None, last_error="")
    return True


def _sender(stored: str) -> str | None:
    """The sender as the brand has it now, not as it was when the row was queued: a sender name
    fixed after a refusal reaches the rows already waiting (issue #24). Rows queued without a
    sender keep DEFAULT_FROM_EMAIL."""
    if not stored:
        return None
    _name, address = parseaddr(header_text(stored))
    brand = brand_for(getattr(connection, "tenant", None))
    return formataddr((header_text(brand.get("sender") or brand["name"]), address or settings.DEFAULT_FROM_EMAIL))


def _message(row: OutboxEmail) -> EmailMultiAlternatives:
    payload: dict[str, Any] = row.payload
    message = EmailMultiAlternatives(
        subject=header_text(payload.get("subject", "")),
        body=payload.get("body", ""),
        from_email=_sender(payload.get("from_email") or ""),
        to=[row.to],
        headers={name: header_text(str(value)) for name, value in (payload.get("headers") or {}).items()},
    )
    if payload.get("html"):
        message.attach_alternative(payload["html"], "text/html")
    for attachment in payload.get("attachments") or []:
        path = Path(attachment["path"])
        if not path.resolve().is_relative_to(Path(settings.MEDIA_ROOT).resolve()) or not path.exists():
            continue  # only our own files, and a file cleaned away since does not stop the email
        if attachment.get("inline_id"):
            image = MIMEImage(path.read_bytes(), attachment["mimetype"].split("/")[-1])
            image.add_header("Content-ID", f"<{attachment['inline_id']}>")
            image.add_header("Content-Disposition", "inline", filename=attachment["name"])
            message.mixed_subtype = "related"
            message.attach(image)
        else:
            message.attach(attachment["name"], path.read_bytes(), attachment["mimetype"])
    return message


def outbox_email_send_now(*, client: Client, pk: int) -> OutboxEmail:
    """Try one queued row at once (an invitation staff wait for on the page); a refusal leaves it
    failed with its next attempt set, for the drain, exactly as a worker's attempt would."""
    with tenant_context(client):
        _deliver(pk=pk, now=timezone.now())
        return OutboxEmail.objects.get(pk=pk)
