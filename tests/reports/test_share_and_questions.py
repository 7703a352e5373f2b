"""Share links (expiry, revocation, scope: month, client host, no session, another client's
session) and the client's acknowledgement and questions, with the emails each side gets."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.core import mail
from django.test import Client as HttpClient
from django.test import override_settings
from django_tenants.utils import schema_context

from clients.models import OutboxEmail
from clients.outbox import outbox_send_due
from portfolio.models import ClientMonthClose
from reports.models import Acknowledgement, Question, ShareLink
from reports.services import month_approve, share_link_create
from tests.conftest import host_of
from tests.reports.conftest import MARCH, browser_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved(march, staff_a):
    month_approve(client=march, month=MARCH, user=staff_a)
    outbox_send_due(client=march)
    mail.outbox.clear()
    return march


def _link_from(response) -> str:
    return re.search(r"http://alpha\.localhost:8000(/shared/2026-03/[\w-]+/)", response.content.decode()).group(1)


def test_staff_create_a_link_anyone_can_open_without_an_account(approved, staff_a) -> None:
    staff = browser_for(staff_a, approved)
    response = staff.post("/reports/2026-03/links/", {"label": "CEO", "days": ""}, follow=True)
    path = _link_from(response)  # shown once, in the message
    with schema_context("alpha"):
        link = ShareLink.objects.get()
    assert link.token_hash not in path and path.split("/")[3] not in link.token_hash  # only the hash is kept
    assert (link.expires_at - link.created_at).days == 30  # the default
    anonymous = HttpClient(HTTP_HOST=host_of(approved), HTTP_ACCEPT_LANGUAGE="es")
    page = anonymous.get(path)  # in the client's language (English), not the browser's
    assert page.status_code == 200 and "215.72" in page.content.decode()
    assert page["X-Robots-Tag"] == "noindex, nofollow"
    with schema_context("alpha"):
        link.refresh_from_db()
    assert link.uses == 1 and link.last_used_at is not None
    listing = staff.get("/reports/2026-03/").content.decode()
    assert "CEO" in listing and "Último uso" in listing


def test_a_link_opens_only_its_month_at_its_clients_host(approved, staff_a, tenant_b, client_user_b) -> None:
    _link, token = share_link_create(client=approved, month=MARCH, user=staff_a)
    anonymous = HttpClient(HTTP_HOST=host_of(approved))
    assert anonymous.get(f"/shared/2026-03/{token}/").status_code == 200
    assert anonymous.get(f"/shared/2026-02/{token}/").status_code == 404  # another month
    assert anonymous.get(f"/shared/2026-03/{token}x/").status_code == 404
    assert anonymous.get("/scorecard/").status_code == 302  # the link is no sign-in
    assert anonymous.get("/reports/2026-03/").status_code == 302
    assert HttpClient(HTTP_HOST=host_of(tenant_b)).get(f"/shared/2026-03/{token}/").status_code == 404  # another client's host
    assert HttpClient(HTTP_HOST=host_of(None)).get(f"/shared/2026-03/{token}/").status_code == 404  # the console
    # someone signed in to another client (a shared cookie domain) opens it like anyone else,
    # and the link opens nothing else of this client to them
    other = browser_for(client_user_b, approved)
    assert other.get(f"/shared/2026-03/{token}/").status_code == 200
    assert other.get("/scorecard/").status_code == 404
    # a POST is no way in either
    assert anonymous.post(f"/shared/2026-03/{token}/").status_code in {403, 405}


def test_revoked_and_expired_links_are_404_like_links_that_never_existed(approved, staff_a) -> None:
    link, token = share_link_create(client=approved, month=MARCH, user=staff_a, days=2)
    anonymous = HttpClient(HTTP_HOST=host_of(approved))
    with time_machine.travel(link.expires_at + dt.timedelta(seconds=1)):
        assert anonymous.get(f"/shared/2026-03/{token}/").status_code == 404
    assert anonymous.get(f"/shared/2026-03/{token}/").status_code == 200
    staff = browser_for(staff_a, approved)
    assert staff.post(f"/reports/2026-03/links/{link.pk}/revoke/").status_code == 302
    response = anonymous.get(f"/shared/2026-03/{token}/")
    assert response.status_code == 404 and b"215" not in response.content
    assert "Revocado" in staff.get("/reports/2026-03/").content.decode()


def test_only_approved_months_are_shared_and_only_by_staff(march, staff_a, client_user_a) -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        share_link_create(client=march, month=MARCH, user=staff_a)
    month_approve(client=march, month=MARCH, user=staff_a)
    with pytest.raises(ValidationError):
        share_link_create(client=march, month=MARCH, user=client_user_a)
    assert browser_for(client_user_a, march).post("/reports/2026-03/links/", {"days": "3"}).status_code == 404


@override_settings(REPORT_SHARE_DAYS=7)
def test_the_default_lifetime_is_a_setting(approved, staff_a) -> None:
    link, _token = share_link_create(client=approved, month=MARCH, user=staff_a)
    assert (link.expires_at - link.created_at).days == 7


def test_the_client_marks_as_read_and_asks_and_staff_answer_with_emails_both_ways(
    approved, staff_a, client_user_a, client_user_b
) -> None:
    client = browser_for(client_user_a, approved)
    assert client.post("/reports/2026-03/read/").status_code == 302
    assert "Marcaste este informe como leído" in client.get("/reports/2026-03/").content.decode()
    with schema_context("alpha"):
        assert Acknowledgement.objects.filter(user_id=client_user_a.pk).count() == 1
    client.post("/reports/2026-03/questions/", {"text": "¿Por qué subió el CPL?"})
    with schema_context("alpha"):
        question = Question.objects.get()
    assert ClientMonthClose.objects.get(client=approved, month=MARCH).open_questions == 1
    assert outbox_send_due(client=approved) == 1
    (to_staff,) = mail.outbox
    assert to_staff.to == ["sam@agency.example"] and "¿Por qué subió el CPL?" in to_staff.body
    # the staff see it on the page and answer there; the client user who asked is told
    staff = browser_for(staff_a, approved)
    assert "¿Por qué subió el CPL?" in staff.get("/reports/2026-03/").content.decode()
    assert client.post(f"/reports/2026-03/questions/{question.pk}/answer/", {"text": "yo"}).status_code == 404
    staff.post(f"/reports/2026-03/questions/{question.pk}/answer/", {"text": "Más inversión en búsqueda."})
    assert ClientMonthClose.objects.get(client=approved, month=MARCH).open_questions == 0
    assert outbox_send_due(client=approved) == 1
    assert mail.outbox[-1].to == ["ann@alpha.example"] and "Más inversión en búsqueda." in mail.outbox[-1].body
    assert "Más inversión en búsqueda." in client.get("/reports/2026-03/").content.decode()
    # another client's user cannot ask on alpha's month, nor staff "ask" as a client
    assert browser_for(client_user_b, approved).post("/reports/2026-03/questions/", {"text": "x"}).status_code == 404
    assert staff.post("/reports/2026-03/questions/", {"text": "x"}).status_code == 404
    with schema_context("alpha"):
        assert Question.objects.count() == 1
        assert OutboxEmail.objects.filter(kind="report_question").count() == 1


def test_a_question_needs_an_approved_month_and_text(march, client_user_a, staff_a) -> None:
    client = browser_for(client_user_a, march)
    assert client.post("/reports/2026-03/questions/", {"text": "¿?"}).status_code == 404
    month_approve(client=march, month=MARCH, user=staff_a)
    page = client.post("/reports/2026-03/questions/", {"text": "  "}, follow=True).content.decode()
    assert "Escribe tu pregunta." in page
    with schema_context("alpha"):
        assert not Question.objects.exists()
