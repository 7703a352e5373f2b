"""Every outbox's one implementation: emails written first, sent after, each at most once.

Two outboxes use it: a client's (``clients.outbox``, a table in the client's schema) and the
agency's own (:data:`PUBLIC`, ``agency.PublicOutboxEmail`` in the public schema: an agency
person's account and password links, the staff's daily digest of checks). An :class:`Outbox`
names its table, how to enter its schema and how to queue its drain; the lifecycle is here.

Whoever has an email to send renders it and queues it (:meth:`Outbox.enqueue`, a row in state
pending, inside the caller's transaction); :meth:`Outbox.send_due` sends the rows that are due.
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
"uncertain"; staff check with the recipient or the mail server's log and press "Send again"
(:meth:`Outbox.resend`) only if it never arrived.

Failed rows are tried again by the outbox's drain task (queued for the next due row, and an
hourly sweep in case that message was lost): ``clients.tasks.outbox_drain`` per client,
``agency.tasks.public_outbox_drain`` for the agency's own.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import re
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from email.mime.image import MIMEImage
from email.utils import formataddr, parseaddr
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import connection, transaction
from django.db.models import F, Min, Q
from django.utils import timezone
from django_tenants.utils import get_public_schema_name, schema_context

from agency.branding import brand_for
from agency.celery import app
from agency.mail import DeliveryUncertain, header_text, message_id
from agency.models import OutboxEmailFields, PublicOutboxEmail, User

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
PUBLIC_DRAIN_TASK = "agency.tasks.public_outbox_drain"
State = OutboxEmailFields.State


def backoff(attempts: int) -> dt.timedelta:
    """The wait after the ``attempts``-th failed attempt."""
    return dt.timedelta(seconds=min(BACKOFF_MAX_SECONDS, BACKOFF_SECONDS * 2 ** max(0, attempts - 1)))


def _stuck(cutoff: dt.datetime) -> Q:
    """Rows in "sending" claimed before ``cutoff`` (or before ``claimed_at`` existed: as old as any)."""
    return Q(state=State.SENDING) & (Q(claimed_at__lt=cutoff) | Q(claimed_at__isnull=True))


@dataclass(frozen=True)
class Outbox:
    """One outbox: ``model`` its table, ``schema()`` enters the schema it lives in, ``queue_drain``
    queues its drain task in so many seconds, ``name`` names it in the logs."""

    model: type[OutboxEmailFields]
    schema: Callable[[], AbstractContextManager[Any]]
    queue_drain: Callable[[float], None]
    name: str

    def recipients(self, *, kind: str, month: dt.date | None = None, reference: str = "") -> set[int]:
        """Who already has a row for this email, whatever its state: they are not queued again."""
        with self.schema():
            rows = self.model.objects.filter(kind=kind, month=month, reference=reference, recipient__isnull=False)
            return set(rows.values_list("recipient_id", flat=True))

    def enqueue(
        self,
        *,
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
        payload = _payload(subject=subject, body=body, html=html, headers=headers, from_email=from_email, attachments=attachments)
        with self.schema():
            _row, created = self.model.objects.get_or_create(
                kind=kind,
                recipient_id=recipient_id,
                month=month,
                reference=reference,
                defaults={"to": to, "payload": payload, "next_attempt_at": timezone.now()},
            )
        return created

    def registry_queue(self, *, user: User, kind: str, message: dict[str, Any]) -> tuple[bool, str]:
        """Queue a rendered account email (an invitation, a password link: agency.emails) for
        ``user`` and try it now, so that the page says whether it went out; returns that and, if
        not, what the mail server said (the drain tries again by itself).

        Sending again while an earlier one still waits (refused, not yet retried) replaces that
        email — the new link in place of the old — so the person never receives two."""
        payload = _payload(
            subject=message["subject"],
            body=message["body"],
            html=message.get("html", ""),
            headers=None,
            from_email=message.get("from_email", ""),
            attachments=message.get("attachments"),
        )
        now = timezone.now()
        with self.schema(), transaction.atomic():
            rows = self.model.objects
            waiting = (
                rows.select_for_update()
                .filter(kind=kind, recipient_id=user.pk, state__in=[State.PENDING, State.FAILED])
                .order_by("-pk")
                .first()
            )
            if waiting is not None:
                rows.filter(pk=waiting.pk).update(
                    to=user.email, payload=payload, state=State.PENDING, attempts=0, next_attempt_at=now, last_error=""
                )
                pk = waiting.pk
            else:
                sent_before = rows.filter(kind=kind, recipient_id=user.pk).count()
                pk = rows.create(
                    kind=kind, recipient_id=user.pk, to=user.email, reference=str(sent_before + 1), payload=payload,
                    next_attempt_at=now,
                ).pk
        row = self.send_now(pk=pk)
        if row.state == State.SENT:
            return True, ""
        self.drain_schedule()
        return False, row.last_error

    def send_due(self) -> int:
        """Send the due emails, one claim each; returns how many were sent now.

        First, rows left in "sending" past their lease become "uncertain" (:meth:`stuck_mark`)."""
        now = timezone.now()
        self.stuck_mark(now=now)
        with self.schema():
            due = self.model.objects.filter(state__in=[State.PENDING, State.FAILED], next_attempt_at__lte=now)
            return sum(self._deliver(pk=pk, now=now) for pk in due.order_by("pk").values_list("pk", flat=True))

    def send_now(self, *, pk: int) -> OutboxEmailFields:
        """Try one queued row at once (an invitation staff wait for on the page); a refusal leaves it
        failed with its next attempt set, for the drain, exactly as a worker's attempt would."""
        with self.schema():
            self._deliver(pk=pk, now=timezone.now())
            return self.model.objects.get(pk=pk)

    def stuck_mark(self, *, now: dt.datetime | None = None) -> int:
        """Rows in "sending" whose lease ran out become "uncertain" (never re-sent by themselves); returns how many."""
        with self.schema():
            stuck = self.model.objects.filter(_stuck((now or timezone.now()) - SENDING_LEASE))
            count = stuck.update(state=State.UNCERTAIN, next_attempt_at=None, last_error=UNCERTAIN_NOTE)
        if count:
            logger.warning("%s email(s) of %s left in sending past the lease: marked uncertain", count, self.name)
        return count

    def resend(self, *, pk: int) -> bool:
        """Staff's "Send again": an uncertain (or stuck) or given-up row is queued once more, its
        attempts counted from zero, and the drain is scheduled. False when the row is not in such
        a state (sent meanwhile, or a failed one still being retried): nothing changes then."""
        with self.schema():
            again = self.model.objects.filter(pk=pk).filter(
                Q(state=State.UNCERTAIN)
                | Q(state=State.FAILED, next_attempt_at__isnull=True)
                | _stuck(timezone.now() - SENDING_LEASE)
            )
            changed = again.update(state=State.PENDING, attempts=0, next_attempt_at=timezone.now(), claimed_at=None)
        if changed:
            transaction.on_commit(self.drain_schedule)
        return bool(changed)

    def attention(self, *, month: dt.date | None = None, every_month: bool = False) -> list[OutboxEmailFields]:
        """The month's emails staff should look at (``every_month``: whatever month they are
        about, or none): failed ones (still retried, or given up), uncertain ones, and ones still
        "sending" past their lease (the drain has not marked them yet; they read as uncertain)."""
        with self.schema():
            waiting = Q(state__in=[State.FAILED, State.UNCERTAIN]) | _stuck(timezone.now() - SENDING_LEASE)
            rows = self.model.objects.filter(waiting)
            if not every_month:
                rows = rows.filter(month=month)
            return list(rows.order_by("pk"))

    def next_attempt(self) -> dt.datetime | None:
        """When the next email is due (None: nothing waits)."""
        with self.schema():
            waiting = self.model.objects.filter(state__in=[State.PENDING, State.FAILED], next_attempt_at__isnull=False)
            return waiting.aggregate(first=Min("next_attempt_at"))["first"]

    def drain_schedule(self) -> dt.datetime | None:
        """Queue the drain for when the next email is due; returns that time."""
        due = self.next_attempt()
        if due is not None:
            self.queue_drain(max(1.0, (due - timezone.now()).total_seconds()))
        return due

    def _deliver(self, *, pk: int, now: dt.datetime) -> bool:
        rows = self.model.objects
        claimed = rows.filter(pk=pk, state__in=[State.PENDING, State.FAILED], next_attempt_at__lte=now).update(
            state=State.SENDING, attempts=F("attempts") + 1, claimed_at=timezone.now()
        )
        if not claimed:
            return False  # another worker has it, or it was sent meanwhile
        row = rows.get(pk=pk)
        try:
            _message(row, schema=connection.schema_name).send()
        except DeliveryUncertain as error:
            # The server had the whole message when the line dropped: it may deliver it. Never twice.
            rows.filter(pk=pk).update(
                state=State.UNCERTAIN, next_attempt_at=None, last_error=f"{DROPPED_NOTE} ({error})"[:2000]
            )
            logger.warning("email %s of %s to %s: %s", pk, self.name, row.to, error)
            return False
        except Exception as error:
            given_up = row.attempts >= MAX_ATTEMPTS
            rows.filter(pk=pk).update(
                state=State.FAILED,
                last_error=f"{type(error).__name__}: {error}"[:2000],
                next_attempt_at=None if given_up else timezone.now() + backoff(row.attempts),
            )
            logger.warning(
                "email %s of %s to %s failed (attempt %s%s): %s",
                pk, self.name, row.to, row.attempts, ", given up" if given_up else "", error,
            )
            return False
        rows.filter(pk=pk).update(state=State.SENT, sent_at=timezone.now(), next_attempt_at=None, last_error="")
        return True


def attention_shown(
    rows: list[OutboxEmailFields], *, kind_label: Callable[[str], str], resend_url: Callable[[int], str]
) -> list[dict[str, Any]]:
    """Rows of :meth:`Outbox.attention` as the outbox partial (``agency/_outbox_attention.html``)
    shows them, whichever outbox: "retrying" (a next attempt is set: nothing to do), "given_up",
    or "uncertain" (the mail server may have it: staff check, then may send again)."""
    shown = []
    for row in rows:
        status = "uncertain"
        if row.state == State.FAILED:
            status = "retrying" if row.next_attempt_at else "given_up"
        shown.append({
            "row": row, "kind": kind_label(row.kind), "status": status, "may_resend": status != "retrying",
            "resend_url": resend_url(row.pk),
        })  # fmt: skip
    return shown


def _payload(
    *,
    subject: str,
    body: str,
    html: str,
    headers: dict[str, str] | None,
    from_email: str,
    attachments: list[dict[str, str]] | None,
) -> dict[str, Any]:
    payload: dict[str, Any] = {"subject": subject, "body": body, "html": html, "headers": headers or {}}
    if from_email:
        payload["from_email"] = from_email
    if attachments:
        payload["attachments"] = attachments
    return payload


def _sender(stored: str) -> str | None:
    """The sender as the brand has it now, not as it was when the row was queued: a sender name
    fixed after a refusal reaches the rows already waiting (issue #24). Rows queued without a
    sender keep DEFAULT_FROM_EMAIL."""
    if not stored:
        return None
    _name, address = parseaddr(header_text(stored))
    brand = brand_for(getattr(connection, "tenant", None))
    return formataddr((header_text(brand.get("sender") or brand["name"]), address or settings.DEFAULT_FROM_EMAIL))


def row_message_id(row: OutboxEmailFields, *, schema: str) -> str:
    """The left part of the Message-ID of ``row`` in ``schema``'s outbox, the same at every attempt.

    A send whose outcome was unknown (the line dropped after the message went) and was sent again by
    staff, or a retry after a reply that never came, reaches the recipient's server with the
    Message-ID it may already have, and receiving servers and mail programs drop the second copy.
    Two clients' outboxes number their rows alike: the schema tells them apart, and the moment the
    row was written tells apart two databases (staging, production) that send from one domain. A
    row whose email is replaced while it waits (a second invitation: :meth:`Outbox.registry_queue`)
    is another email: a digest of what it says gives it another Message-ID."""
    schema = re.sub(r"[^A-Za-z0-9_-]", "-", schema)
    written = row.created_at.astimezone(dt.UTC).strftime("%Y%m%d%H%M%S%f")
    said = hashlib.sha256(json.dumps(row.payload, sort_keys=True).encode()).hexdigest()[:10]
    return f"outbox.{schema}.{row.pk}.{written}.{said}"


def _message(row: OutboxEmailFields, *, schema: str) -> EmailMultiAlternatives:
    payload: dict[str, Any] = row.payload
    message = EmailMultiAlternatives(
        subject=header_text(payload.get("subject", "")),
        body=payload.get("body", ""),
        from_email=_sender(payload.get("from_email") or ""),
        to=[row.to],
        headers={name: header_text(str(value)) for name, value in (payload.get("headers") or {}).items()},
    )
    if not any(name.lower() == "message-id" for name in message.extra_headers):
        # At the sender's domain, not the machine's "localhost"; one per stored email, not per attempt.
        identifier = message_id(message.from_email, row_message_id(row, schema=schema))
        if identifier:
            message.extra_headers["Message-ID"] = identifier
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


def _public_schema() -> AbstractContextManager[Any]:
    return schema_context(get_public_schema_name())


def _public_drain_queue(countdown: float) -> None:
    # Named for the public schema: queued from inside a client's schema, the header would otherwise
    # carry that client's (tenant-schemas-celery stamps the sender's).
    app.signature(PUBLIC_DRAIN_TASK).apply_async(countdown=countdown, headers={"_schema_name": get_public_schema_name()})


PUBLIC = Outbox(
    model=PublicOutboxEmail,
    schema=_public_schema,
    queue_drain=lambda countdown: _public_drain_queue(countdown),  # looked up when called, as enqueue_for_client is
    name="the agency",
)
