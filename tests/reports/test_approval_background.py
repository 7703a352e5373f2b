"""The month page's Approve answers at once: the approval (figures frozen, state, mirror) is written in
the request with the email it owes recorded on the version; a task builds the PDF and the email. The
page says "Sending…" (polled), then that it is on its way; a failure is said on the page, with "Try
again", never "approved" and silently not sent."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django_tenants.utils import schema_context
from redis.exceptions import ConnectionError as RedisConnectionError

from clients.models import OutboxEmail, Spend
from clients.outbox import outbox_send_due
from kpis.services import snapshot_compute
from portfolio.models import ClientMonthClose
from reports import services
from reports.models import ReportVersion
from reports.services import approval_emails_build, month_approve, month_reviews_start
from reports.tasks import approval_emails_task
from tests.reports.conftest import MARCH, browser_for, late_spend

pytestmark = pytest.mark.emails_background
APRIL_5 = dt.datetime(2026, 4, 5, tzinfo=dt.UTC)


@pytest.fixture
def queued(monkeypatch) -> list[tuple]:
    """The approval's email task as sent to the queue (no worker here): what was sent."""
    sent: list[tuple] = []
    monkeypatch.setattr(services, "enqueue_for_client", lambda task, *, client, **kwargs: sent.append((task, client, kwargs)))
    return sent


def _version(number: int = 1) -> ReportVersion:
    with schema_context("alpha"):
        return ReportVersion.objects.get(month=MARCH, number=number)


def _outbox() -> list[OutboxEmail]:
    with schema_context("alpha"):
        return list(OutboxEmail.objects.order_by("pk"))


def _sending(page: str) -> str:
    return page.split('id="close-sending"', 1)[1].split("</div>", 1)[0]


def test_approve_answers_before_the_email_is_built_then_the_page_says_it_is_on_its_way(
    march, staff_a, client_user_a, queued
) -> None:
    month_reviews_start(client=march, at=APRIL_5)
    staff = browser_for(staff_a, march)
    done = staff.post("/reports/2026-03/approve/", follow=True).content.decode()
    # approved in the request: the frozen figures, the state, the console's mirror
    version = _version()
    assert version.document["kpis"]["cpl"] == pytest.approx(215.72) and version.emails == "pending"
    assert ClientMonthClose.objects.get(client=march, month=MARCH).state == "approved"
    assert [(task, client.slug, kwargs) for task, client, kwargs in queued] == [
        (approval_emails_task, "alpha", {"month": "2026-03", "number": 1})
    ]
    assert _outbox() == []  # nothing built yet: the PDF and the email are the task's
    assert "Se están preparando el correo del informe y su PDF" in done  # the flash says so, not "on its way"
    sending = _sending(done)
    assert 'data-sending="pending"' in sending and 'hx-trigger="every 2s"' in done.split('id="close-sending"', 1)[1][:300]
    assert "Enviando…" in sending
    assert "Sending" not in sending and "This page updates itself" not in sending
    assert "data-unsent" not in done  # ann is being emailed, not "Not emailed yet"
    # the poll: still being prepared, nothing swapped
    assert staff.get("/reports/2026-03/sending/", HTTP_HX_REQUEST="true").status_code == 204
    # the task: every reader's email, with the approved version's PDF, in the outbox
    assert approval_emails_build(client=march, month=MARCH, number=1) == 1
    assert approval_emails_build(client=march, month=MARCH, number=1) is None  # delivered twice: once
    (row,) = _outbox()
    assert (row.kind, row.to) == ("report_approved", "ann@alpha.example") and _version().emails == "queued"
    assert outbox_send_due(client=march) == 1
    (message,) = mail.outbox
    (attachment,) = [a for a in message.attachments if isinstance(a, tuple)]
    assert attachment[0] == "alpha-informe-2026-03.pdf" and attachment[1].startswith(b"%PDF")
    assert "215,72" in message.body  # the approved figures
    poll = staff.get("/reports/2026-03/sending/", HTTP_HX_REQUEST="true")
    assert poll.status_code == 200
    text = poll.content.decode()
    assert 'data-sending="queued"' in text and "hx-trigger" not in text  # the outcome, and the polling stops
    page = staff.get("/reports/2026-03/").content.decode()
    assert "data-sending" not in page and "data-unsent" not in page
    assert staff.get("/reports/2026-03/sending/").status_code == 302  # opened by hand: the month's page


def test_a_revision_told_to_the_client_is_emailed_by_the_task_with_the_revised_pdf(march, staff_a, client_user_a, queued) -> None:
    month_approve(client=march, month=MARCH, user=staff_a)  # the first approval, its email built with it
    late_spend(march)
    staff = browser_for(staff_a, march)
    staff.post("/reports/2026-03/approve/", {"reason": "gasto tardío de Google Ads", "notify": "1"})
    assert _version(2).emails == "pending" and len(queued) == 1
    assert [row.kind for row in _outbox()] == ["report_approved"]
    page = staff.get("/reports/2026-03/").content.decode()
    assert "Se están preparando el correo de la revisión y su PDF" in _sending(page)
    assert approval_emails_build(client=march, month=MARCH, number=2) == 1
    assert [row.kind for row in _outbox()] == ["report_approved", "report_revised"]
    # not told: nothing is owed, nothing queued
    with schema_context("alpha"):
        Spend.objects.create(id="s-later", date=dt.date(2026, 3, 30), category="media", amount=Decimal("10"))
    snapshot_compute(client=march, months=[MARCH])
    staff.post("/reports/2026-03/approve/", {"reason": "otro gasto tardío"})
    assert _version(3).emails == "" and len(queued) == 1


def test_a_failed_email_is_said_on_the_month_page_and_try_again_sends_it(
    march, staff_a, client_user_a, queued, monkeypatch
) -> None:
    month_reviews_start(client=march, at=APRIL_5)
    staff = browser_for(staff_a, march)
    staff.post("/reports/2026-03/approve/")

    def broken(**kwargs):
        raise RuntimeError("the PDF could not be drawn")

    monkeypatch.setattr(services, "approval_emails", broken)
    assert approval_emails_build(client=march, month=MARCH, number=1) == 0
    version = _version()
    assert version.emails == "failed" and version.emails_error == "the PDF could not be drawn"
    assert _outbox() == []  # nobody emailed: none of the readers' emails is half-queued
    assert ClientMonthClose.objects.get(client=march, month=MARCH).state == "approved"  # the client sees it
    poll = staff.get("/reports/2026-03/sending/", HTTP_HX_REQUEST="true").content.decode()
    assert 'data-sending="failed"' in poll and "hx-trigger" not in poll
    page = staff.get("/reports/2026-03/").content.decode()
    failed = _sending(page)
    assert 'role="alert"' in failed and "Aprobado, pero sin enviar por correo:" in failed
    assert "Nadie del cliente ha recibido el correo" in failed and "the PDF could not be drawn" in failed
    assert re.search(r'<form method="post" action="/reports/2026-03/sending/again/">', failed)
    assert "Intentar de nuevo" in failed and "data-unsent" not in page
    for english in ("Approved, but", "Nobody at the client", "Try again", "could not be prepared"):
        assert english not in failed, english  # no English left on the Spanish page
    monkeypatch.undo()
    monkeypatch.setattr(services, "enqueue_for_client", lambda task, *, client, **kwargs: queued.append((task, client, kwargs)))
    again = staff.post("/reports/2026-03/sending/again/", follow=True).content.decode()
    assert _version().emails == "pending" and len(queued) == 2 and 'data-sending="pending"' in again
    assert approval_emails_build(client=march, month=MARCH, number=1) == 1
    assert [row.kind for row in _outbox()] == ["report_approved"]
    # nothing waits any more: "Try again" says so and sends nothing
    assert "ya no te espera" in staff.post("/reports/2026-03/sending/again/", follow=True).content.decode()
    assert len(queued) == 2


def test_an_email_whose_task_was_lost_is_offered_again_after_15_minutes(march, staff_a, client_user_a, queued) -> None:
    month_reviews_start(client=march, at=APRIL_5)
    staff = browser_for(staff_a, march)
    staff.post("/reports/2026-03/approve/")
    assert staff.post("/reports/2026-03/sending/again/").status_code == 302
    assert len(queued) == 1  # still in its first minutes: not sent twice
    with time_machine.travel(_version().emails_at + dt.timedelta(minutes=16)):
        page = staff.get("/reports/2026-03/").content.decode()
        assert 'data-sending="failed"' in page and "no se ha preparado después de 15 minutos" in page
        staff.post("/reports/2026-03/sending/again/")
    assert len(queued) == 2 and _version().emails == "pending"


def test_with_the_queue_unreachable_the_email_is_built_in_the_request(march, staff_a, client_user_a, monkeypatch) -> None:
    month_reviews_start(client=march, at=APRIL_5)

    def down(task, **kwargs):
        raise RedisConnectionError("redis down")

    monkeypatch.setattr(services, "enqueue_for_client", down)
    browser_for(staff_a, march).post("/reports/2026-03/approve/")
    assert _version().emails == "queued" and [row.kind for row in _outbox()] == ["report_approved"]


def test_nobody_to_email_owes_no_email(march, staff_a, client_user_a, queued) -> None:
    client_user_a.monthly_email = False
    client_user_a.save()
    month_reviews_start(client=march, at=APRIL_5)
    page = browser_for(staff_a, march).post("/reports/2026-03/approve/", follow=True).content.decode()
    assert _version().emails == "" and queued == [] and "data-sending" not in page and "data-nobody-emailed" in page


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_close_board_marks_a_month_whose_email_failed_and_links_to_it(
    march, staff_a, client_user_a, queued, monkeypatch, language
) -> None:
    """The month's page's "Approved, but not emailed" shows on the board too (the public mirror's
    emails_failed), a link to the month; gone once "Try again" sent it."""
    month_reviews_start(client=march, at=APRIL_5)
    browser_for(staff_a, march).post("/reports/2026-03/approve/")
    console = browser_for(staff_a, None, language=language)
    words = {"en": "Approved, but not emailed", "es": "Aprobado, pero sin enviar por correo"}[language]

    def board() -> str:
        return console.get("/board/?month=2026-03").content.decode()

    assert "data-emails-failed" not in board()  # being prepared: nothing to mark
    monkeypatch.setattr(services, "approval_emails", lambda **kwargs: (_ for _ in ()).throw(RuntimeError("no PDF")))
    assert approval_emails_build(client=march, month=MARCH, number=1) == 0
    assert ClientMonthClose.objects.get(client=march, month=MARCH).emails_failed is True
    mark = re.search(r'<a class="badge alert" data-emails-failed href="([^"]+)" title="([^"]+)">([^<]+)</a>', board())
    assert mark is not None and mark.group(3) == words
    assert mark.group(1).startswith("/accounts/switch/alpha/?next=/reports/2026-03/")
    if language == "es":
        assert "Nobody at the client" not in mark.group(2) and "Approved, but" not in board()
    monkeypatch.undo()
    monkeypatch.setattr(services, "enqueue_for_client", lambda task, *, client, **kwargs: queued.append((task, client, kwargs)))
    browser_for(staff_a, march).post("/reports/2026-03/sending/again/")
    assert "data-emails-failed" not in board()  # being prepared again
    assert approval_emails_build(client=march, month=MARCH, number=1) == 1
    assert ClientMonthClose.objects.get(client=march, month=MARCH).emails_failed is False
    assert "data-emails-failed" not in board()
