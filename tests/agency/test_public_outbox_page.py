"""The agency's own outbox has a page on the console (review: a refused invitation, password link
or digest could neither be seen nor sent again, unlike a client's emails on the month page). It
is the client outbox's partial and service (agency.outbox.attention_shown, Outbox.resend) over
agency.outbox.PUBLIC; agency admins only. And a refused reset says it is retried by itself."""

from __future__ import annotations

import datetime as dt
import socket

import pytest
import time_machine
from django.core import mail
from django.test import Client as HttpClient

from agency import outbox
from agency.models import PublicOutboxEmail
from tests.conftest import host_of

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 10, 9, tzinfo=dt.UTC)


def browser(user, language: str = "en") -> HttpClient:
    user.language = language
    user.save()
    http = HttpClient()
    http.force_login(user)
    return http


@pytest.fixture
def waiting(staff_a):
    """A staff invitation whose worker died mid-send, a reset given up, a digest being retried, one sent."""
    made = {
        "uncertain": PublicOutboxEmail.objects.create(
            kind="account", recipient_id=staff_a.pk, to="sam@agency.example", payload={"subject": "s", "body": "b"},
            state="sending", attempts=1, claimed_at=NOW - dt.timedelta(hours=1)),
        "given_up": PublicOutboxEmail.objects.create(
            kind="password_reset", recipient_id=staff_a.pk, to="sam@agency.example", reference="2",
            payload={"subject": "s", "body": "b"}, state="failed", attempts=12, last_error="SMTPDataError: 554 no"),
        "retrying": PublicOutboxEmail.objects.create(
            kind="checks_digest", recipient_id=staff_a.pk, to="sam@agency.example", reference="2026-11-10",
            payload={"subject": "s", "body": "b"}, state="failed", attempts=2, next_attempt_at=NOW + dt.timedelta(minutes=4),
            last_error="SMTPServerDisconnected"),
        "sent": PublicOutboxEmail.objects.create(
            kind="invitation", recipient_id=staff_a.pk, to="sam@agency.example", payload={"subject": "s", "body": "b"},
            state="sent", attempts=1),
    }  # fmt: skip
    return made


def test_an_admin_sees_the_agencys_emails_that_need_a_look_and_sends_one_again(
    admin_user, waiting, django_capture_on_commit_callbacks
) -> None:
    with time_machine.travel(NOW):
        http = browser(admin_user)
        page = http.get("/emails/", HTTP_HOST=host_of(None)).content.decode()
        assert "Emails that need a look" in page and 'href="/emails/"' in page  # in the admin's menu too
        for state in ("uncertain", "given_up", "retrying"):
            assert page.count(f'data-outbox-state="{state}"') == 1, state
        assert "A link to set a password" in page and "A password reset link" in page and "The daily digest of checks" in page
        assert "An invitation" not in page  # sent: nothing to see
        assert "Refused by the mail server after 12 attempts." in page and "SMTPDataError: 554 no" in page
        assert page.count(">Send again</button>") == 2  # the one still being retried has no button
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            response = http.post(f"/emails/{waiting['given_up'].pk}/resend/", HTTP_HOST=host_of(None))
        assert response.status_code == 302 and response["Location"] == "/emails/" and len(callbacks) == 1
        assert outbox.PUBLIC.send_due() == 1 and [m.to for m in mail.outbox] == [["sam@agency.example"]]
        assert PublicOutboxEmail.objects.get(pk=waiting["given_up"].pk).state == "sent"
        # sent now: "Send again" changes nothing; one still retried by itself is not sent early
        http.post(f"/emails/{waiting['given_up'].pk}/resend/", HTTP_HOST=host_of(None))
        http.post(f"/emails/{waiting['retrying'].pk}/resend/", HTTP_HOST=host_of(None))
        assert outbox.PUBLIC.send_due() == 0 and len(mail.outbox) == 1
        assert PublicOutboxEmail.objects.get(pk=waiting["retrying"].pk).attempts == 2


def test_the_page_in_spanish_and_when_nothing_waits(admin_user, waiting) -> None:
    with time_machine.travel(NOW):
        page = browser(admin_user, "es").get("/emails/", HTTP_HOST=host_of(None)).content.decode()
        for text in ("Los correos de la agencia", "Correos que hay que revisar", "Un enlace para restablecer la contraseña",
                     "El resumen diario de comprobaciones", "Resultado desconocido"):
            assert text in page, text
        PublicOutboxEmail.objects.exclude(state="sent").delete()
        page = browser(admin_user).get("/emails/", HTTP_HOST=host_of(None)).content.decode()
        assert 'id="outbox-empty"' in page and "data-outbox-state" not in page


def test_staff_who_are_not_admins_and_client_users_can_neither_see_nor_send_them(
    staff_a, client_user_a, waiting
) -> None:
    with time_machine.travel(NOW):
        for user in (staff_a, client_user_a):
            http = browser(user)
            assert http.get("/emails/", HTTP_HOST=host_of(None)).status_code == 404
            assert http.post(f"/emails/{waiting['given_up'].pk}/resend/", HTTP_HOST=host_of(None)).status_code == 404
        assert 'href="/emails/"' not in browser(staff_a).get("/", HTTP_HOST=host_of(None)).content.decode()
        assert PublicOutboxEmail.objects.get(pk=waiting["given_up"].pk).state == "failed"


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_refused_reset_says_it_is_retried_by_itself_not_to_try_again(staff_a, settings, language) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    with socket.socket() as probe:  # a port where nothing listens: the connection is refused
        probe.bind(("127.0.0.1", 0))
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", probe.getsockname()[1]
    staff_a.language = language
    staff_a.save()
    response = HttpClient().post("/accounts/password/reset/", {"email": staff_a.email}, HTTP_HOST=host_of(None),
                                 HTTP_ACCEPT_LANGUAGE=language)
    body = response.content.decode()
    assert response.status_code == 200
    expected = {"en": "It is tried again by itself", "es": "Se reintenta solo"}[language]
    assert expected in body and "few minutes" not in body and "unos minutos" not in body
    row = PublicOutboxEmail.objects.get(kind="password_reset", recipient=staff_a)
    assert row.state == "failed" and row.next_attempt_at is not None  # the drain will try it again
