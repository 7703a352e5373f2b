"""The monthly email goes through the client's outbox: a refused send is retried, and nothing is sent twice.

A real SMTP server (aiosmtpd) listens on a free local port in the test; it refuses mail (451,
"try again later") until told to accept it.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import socket
import threading
import time
from collections.abc import Iterator
from email import message_from_bytes, policy
from unittest import mock

import pytest
import time_machine
from aiosmtpd.smtp import SMTP, Envelope, Session
from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context

from clients import outbox
from clients.models import Lead, OutboxEmail
from clients.tasks import outbox_drain
from kpis.services import snapshot_compute
from kpis.tasks import month_close_task
from reports.services import ApprovalRefused, month_approve
from tests.factories import UserFactory

MARCH = dt.date(2026, 3, 1)
CLOSE = dt.datetime(2026, 4, 1, 2, 15, tzinfo=dt.UTC)


class MailServer:
    """An aiosmtpd handler: refuses while ``accept`` is False, keeps what it accepted."""

    def __init__(self, *, accept: bool, delay: float = 0.0) -> None:
        self.accept, self.delay = accept, delay
        self.received: list[Envelope] = []
        self.refused = 0

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        await asyncio.sleep(self.delay)
        if not self.accept:
            self.refused += 1
            return "451 4.3.0 Mail server busy, try again later"
        self.received.append(envelope)
        return "250 Message accepted"


@contextlib.contextmanager
def smtp_server(handler: MailServer) -> Iterator[int]:
    """Serve SMTP on 127.0.0.1, on a port the system picks; yields the port.

    The event loop lives in its own thread from start to end: the test's thread may already have
    a running loop (Playwright's, after the browser tests).
    """
    loop = asyncio.new_event_loop()
    ready, ports = threading.Event(), []

    def serve() -> None:
        asyncio.set_event_loop(loop)
        server = loop.run_until_complete(loop.create_server(lambda: SMTP(handler, hostname="localhost"), "127.0.0.1", 0))
        ports.append(server.sockets[0].getsockname()[1])
        ready.set()
        loop.run_forever()
        server.close()
        loop.run_until_complete(server.wait_closed())
        loop.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    assert ready.wait(10), "the SMTP server did not start"
    try:
        yield ports[0]
    finally:
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)


@pytest.fixture
def smtp_settings(settings: pytest.FixtureRequest) -> Iterator[callable]:
    def use(port: int) -> None:
        settings.EMAIL_BACKEND = "agency.mail.EmailBackend"  # what production runs (agency.settings)
        settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 10

    return use


class DroppingMailServer(MailServer):
    """Stores the message, then drops the line before its 250 (issue #24)."""

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        self.received.append(envelope)
        server.transport.close()
        return "250 Message accepted"


def test_a_line_dropped_after_data_is_uncertain_and_never_sent_again(tenant_a, client_user_a, smtp_settings) -> None:
    server = DroppingMailServer(accept=True)
    with smtp_server(server) as port, mock.patch.object(outbox, "enqueue_for_client"):
        smtp_settings(port)
        assert _queue_and_send(tenant_a, client_user_a.pk) == 0
        with schema_context("alpha"):
            row = OutboxEmail.objects.get()
            assert row.state == OutboxEmail.State.UNCERTAIN and row.next_attempt_at is None
            assert "dropped the line" in row.last_error
            OutboxEmail.objects.update(next_attempt_at=timezone.now())  # even if it looked due
        assert outbox.outbox_send_due(client=tenant_a) == 0
        assert len(server.received) == 1  # stored once, never twice


def test_a_line_dropped_before_data_is_a_failure_retried(tenant_a, client_user_a, smtp_settings) -> None:
    """Refused or cut before the message went: nothing was stored, so it is tried again."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with mock.patch.object(outbox, "enqueue_for_client"):
        smtp_settings(port)
        assert _queue_and_send(tenant_a, client_user_a.pk) == 0
    with schema_context("alpha"):
        row = OutboxEmail.objects.get()
        assert row.state == OutboxEmail.State.FAILED and row.next_attempt_at is not None


def _with_a_march_snapshot(client: object) -> None:
    with schema_context("alpha"):
        Lead.objects.bulk_create([Lead(id=f"o{i}", created_at=dt.datetime(2026, 3, 4, tzinfo=dt.UTC)) for i in range(2)])
    snapshot_compute(client=client, months=[MARCH])


def _queue_and_send(client: object, user_id: int) -> int:
    """Queue the monthly email of March for one user (as the approval does), then send what is due."""
    outbox.outbox_email_enqueue(
        client=client, kind="report_approved", recipient_id=user_id, to="ann@alpha.example", subject="s", body="b",
        month=MARCH,
    )
    return outbox.outbox_send_due(client=client)


def test_a_refused_email_is_retried_later_and_delivered_exactly_once(tenant_a, client_user_a, smtp_settings) -> None:
    client_user_a.email = "ann@alpha.example"
    client_user_a.save()
    with schema_context("alpha"):
        Lead.objects.bulk_create([Lead(id=f"o{i}", created_at=dt.datetime(2026, 3, 4, tzinfo=dt.UTC)) for i in range(2)])
    server = MailServer(accept=False)
    with smtp_server(server) as port, mock.patch.object(outbox, "enqueue_for_client") as enqueue:
        smtp_settings(port)
        with time_machine.travel(CLOSE):
            close = {"kwargs": {"client_slug": "alpha", "months": ["2026-03"]}, "headers": {"_schema_name": "alpha"}}
            assert month_close_task.apply(**close).get() == 1  # the snapshot; no email before approval (#13)
            with schema_context("alpha"):
                assert not OutboxEmail.objects.exists()
            month_approve(client=tenant_a, month=MARCH, user=None)  # queues the report in the outbox
            drain = {"kwargs": {"client_slug": "alpha"}, "headers": {"_schema_name": "alpha"}}
            assert outbox_drain.apply(**drain).get() == 0  # the server refuses
            with schema_context("alpha"):
                row = OutboxEmail.objects.get()
            assert (row.state, row.attempts, row.to) == ("failed", 1, "ann@alpha.example")
            assert "451" in row.last_error
            assert abs(row.next_attempt_at - (CLOSE + dt.timedelta(minutes=1))) < dt.timedelta(seconds=5)
            # The drain is queued for when the email is due again.
            assert enqueue.call_args.kwargs["countdown"] == pytest.approx(60, abs=1)

            server.accept = True
            assert outbox_drain.apply(**drain).get() == 0  # not due yet: the backoff holds
            assert server.received == [] and server.refused == 1

        # The clock ticks while the close draws the report (PDF, chart): a little past the minute.
        with time_machine.travel(CLOSE + dt.timedelta(minutes=1, seconds=10)):
            assert outbox_drain.apply(**drain).get() == 1
            assert outbox_drain.apply(**drain).get() == 0
            assert month_close_task.apply(**close).get() == 1  # a redelivered close queues nothing
            with pytest.raises(ApprovalRefused):  # nor does a second approval
                month_approve(client=tenant_a, month=MARCH, user=None)

    assert len(server.received) == 1
    delivered = message_from_bytes(server.received[0].content, policy=policy.default)
    assert server.received[0].rcpt_tos == ["ann@alpha.example"]
    assert delivered["List-Unsubscribe"].strip().startswith("<http://alpha.localhost:8000/accounts/monthly-email/off/?t=")
    with schema_context("alpha"):
        row = OutboxEmail.objects.get()
    assert (row.state, row.attempts, row.next_attempt_at) == ("sent", 2, None)
    assert row.sent_at is not None


def test_after_the_last_attempt_the_email_is_given_up(tenant_a, client_user_a, smtp_settings) -> None:
    client_user_a.email = "ann@alpha.example"
    client_user_a.save()
    _with_a_march_snapshot(tenant_a)
    with smtp_server(MailServer(accept=False)) as port, mock.patch.object(outbox, "enqueue_for_client") as enqueue:
        smtp_settings(port)
        _queue_and_send(tenant_a, client_user_a.pk)
        with schema_context("alpha"):
            OutboxEmail.objects.update(attempts=outbox.MAX_ATTEMPTS - 1, next_attempt_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
        assert outbox.outbox_send_due(client=tenant_a) == 0
        assert outbox.outbox_drain_schedule(client=tenant_a) is None
    assert not enqueue.called
    with schema_context("alpha"):
        row = OutboxEmail.objects.get()
    assert (row.state, row.attempts, row.next_attempt_at) == ("failed", outbox.MAX_ATTEMPTS, None)


def test_an_email_being_sent_by_a_worker_that_died_is_not_sent_again(tenant_a, client_user_a, smtp_settings) -> None:
    client_user_a.email = "ann@alpha.example"
    client_user_a.save()
    _with_a_march_snapshot(tenant_a)
    server = MailServer(accept=True)
    with smtp_server(server) as port:
        smtp_settings(port)
        outbox.outbox_email_enqueue(
            client=tenant_a, kind="report_approved", recipient_id=client_user_a.pk, to="ann@alpha.example",
            subject="s", body="b", month=MARCH,
        )  # fmt: skip
        with schema_context("alpha"):
            OutboxEmail.objects.update(state="sending", attempts=1)  # claimed, then the worker was killed
        assert outbox.outbox_send_due(client=tenant_a) == 0
        assert _queue_and_send(tenant_a, client_user_a.pk) == 0  # queued again: nothing new, nothing sent
    assert server.received == []


@pytest.mark.django_db(transaction=True)
def test_two_workers_draining_at_once_send_once(tenants, clean_tenant_tables, smtp_settings) -> None:
    alpha = tenants["alpha"]
    ann = UserFactory(username="ann-alpha", email="ann@alpha.example", role="client", clients=[alpha])
    _with_a_march_snapshot(alpha)
    server = MailServer(accept=False)
    with smtp_server(server) as port, mock.patch.object(outbox, "enqueue_for_client"):
        smtp_settings(port)
        _queue_and_send(alpha, ann.pk)  # refused: the row waits, failed
        with schema_context("alpha"):
            OutboxEmail.objects.update(next_attempt_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
        server.accept, server.delay = True, 0.5  # a slow server widens the window between claim and outcome
        start, results = threading.Barrier(2), []

        def worker() -> None:
            start.wait()
            try:
                results.append(outbox.outbox_send_due(client=alpha))
            finally:
                connection.close()

        threads = [threading.Thread(target=worker) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        time.sleep(0.1)
    assert sorted(results) == [0, 1]
    assert len(server.received) == 1


def test_a_row_left_sending_past_its_lease_becomes_uncertain_and_is_never_resent_by_the_drain(
    tenant_a, client_user_a, smtp_settings
) -> None:
    server = MailServer(accept=True)
    with smtp_server(server) as port, mock.patch.object(outbox, "enqueue_for_client"):
        smtp_settings(port)
        with time_machine.travel(CLOSE):
            _queue_and_send(tenant_a, client_user_a.pk)  # sent: the first attempt is not the point
            with schema_context("alpha"):
                sent = OutboxEmail.objects.get()
                # A second email, claimed by a worker that was then killed (its outcome never written).
                OutboxEmail.objects.filter(pk=sent.pk).update(state="sending", claimed_at=CLOSE, sent_at=None)
        drain = {"kwargs": {"client_slug": "alpha"}, "headers": {"_schema_name": "alpha"}}
        with time_machine.travel(CLOSE + outbox.SENDING_LEASE - dt.timedelta(seconds=30)):
            assert outbox_drain.apply(**drain).get() == 0  # within the lease: maybe still sending, left alone
            with schema_context("alpha"):
                assert OutboxEmail.objects.get().state == "sending"
        with time_machine.travel(CLOSE + outbox.SENDING_LEASE + dt.timedelta(seconds=30)):
            assert outbox_drain.apply(**drain).get() == 0  # past it: uncertain, and still not sent again
            assert outbox_drain.apply(**drain).get() == 0
            with schema_context("alpha"):
                row = OutboxEmail.objects.get()
            assert (row.state, row.next_attempt_at) == ("uncertain", None)
            assert "unknown whether" in row.last_error
    assert len(server.received) == 1  # the first send only: never twice


def test_a_row_claimed_before_the_lease_existed_counts_as_stuck(tenant_a, client_user_a) -> None:
    outbox.outbox_email_enqueue(
        client=tenant_a, kind="report_approved", recipient_id=client_user_a.pk, to="a@x.example", subject="s", body="b"
    )
    with schema_context("alpha"):
        OutboxEmail.objects.update(state="sending", claimed_at=None, attempts=1)
    assert outbox.outbox_stuck_mark(client=tenant_a) == 1
    assert outbox.outbox_stuck_mark(client=tenant_a) == 0
