"""One Message-ID per stored email (agency.outbox.row_message_id): an email sent again after an
attempt whose outcome was unknown carries the Message-ID of the first, so the receiving server or
mail program drops the copy it already has; two emails, or two clients' emails numbered alike,
never share one."""

from __future__ import annotations

import datetime as dt
from email import message_from_bytes, policy
from unittest import mock

import pytest
from aiosmtpd.smtp import SMTP, Envelope, Session
from django.conf import settings
from django_tenants.utils import schema_context

from agency.models import PublicOutboxEmail
from agency.outbox import _message, row_message_id
from clients import outbox
from clients.models import OutboxEmail
from tests.kpis.test_monthly_email_outbox import MailServer, smtp_server, smtp_settings  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db
WRITTEN = dt.datetime(2026, 12, 1, 8, 30, 15, 123456, tzinfo=dt.UTC)


class DropsOnce(MailServer):
    """Stores the first message, then drops the line before its 250 (the sender cannot know it was
    stored); stores and answers every later one."""

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        self.received.append(envelope)
        if len(self.received) == 1:
            server.transport.close()
        return "250 Message accepted"


def _domain() -> str:
    return "@" + settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] + ">"


def test_an_email_sent_again_after_an_uncertain_attempt_carries_the_same_message_id(
    tenant_a, client_user_a, smtp_settings  # noqa: F811
) -> None:
    server = DropsOnce(accept=True)
    with smtp_server(server) as port, mock.patch.object(outbox, "enqueue_for_client"):
        smtp_settings(port)
        outbox.outbox_email_enqueue(client=tenant_a, kind="report_approved", recipient_id=client_user_a.pk,
                                    to="ann@alpha.example", subject="March", body="b", month=dt.date(2026, 3, 1))
        assert outbox.outbox_send_due(client=tenant_a) == 0
        with schema_context("alpha"):
            row = OutboxEmail.objects.get()
        assert row.state == OutboxEmail.State.UNCERTAIN
        # Staff could not tell whether it arrived and send it again.
        assert outbox.outbox_email_resend(client=tenant_a, pk=row.pk)
        assert outbox.outbox_send_due(client=tenant_a) == 1
    first, second = (message_from_bytes(envelope.content, policy=policy.default)["Message-ID"]
                     for envelope in server.received)
    assert first == second, (first, second)
    written = row.created_at.astimezone(dt.UTC).strftime("%Y%m%d%H%M%S%f")
    assert first.startswith(f"<outbox.alpha.{row.pk}.{written}.") and first.endswith(_domain()), first


def _rows(schema: str, model: type, pk: int, **payload: str) -> object:
    """A stored row with a given pk and moment, as two clients' outboxes may both have."""
    with schema_context(schema):
        model.objects.create(pk=pk, kind="report_approved", reference=str(pk), to="ann@alpha.example",
                             payload={"subject": "March", "body": "b", **payload})
        model.objects.filter(pk=pk).update(created_at=WRITTEN)
        return model.objects.get(pk=pk)


def _header(row: object, schema: str) -> str:
    return _message(row, schema=schema).message()["Message-ID"]


def test_each_stored_email_and_each_clients_email_has_its_own_message_id(tenant_a, tenant_b) -> None:
    alpha = _rows("alpha", OutboxEmail, 7001)
    beta = _rows("beta", OutboxEmail, 7001)  # the same number, the same moment, in another client
    agency = _rows("public", PublicOutboxEmail, 7001)
    other = _rows("alpha", OutboxEmail, 7002)
    # Built twice (two attempts), one row gives one header.
    assert _header(alpha, "alpha") == _header(alpha, "alpha")
    assert _header(alpha, "alpha").startswith("<outbox.alpha.7001.20261201083015123456.")
    assert _header(alpha, "alpha").endswith(_domain())
    headers = [_header(alpha, "alpha"), _header(beta, "beta"), _header(agency, "public"), _header(other, "alpha")]
    assert len(set(headers)) == 4, headers
    # An invitation replaced while it waited (a new link in the same row) is another email.
    replaced = _rows("alpha", OutboxEmail, 7003)
    before = row_message_id(replaced, schema="alpha")
    replaced.payload = {**replaced.payload, "body": "a new link"}
    assert row_message_id(replaced, schema="alpha") != before
    # A Message-ID the email itself sets is kept.
    own = _rows("alpha", OutboxEmail, 7004, headers={"Message-ID": "<own@agency.example>"})
    assert _header(own, "alpha") == "<own@agency.example>"
