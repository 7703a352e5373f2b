"""The agency's own outbox (agency.outbox.PUBLIC, in the public schema): the emails about no
client — a staff member's account link, a staff password reset — are written there first, sent,
retried when the mail server refuses, branded like the monthly email and in the reader's
language (their choice, else the agency's). The staff's digest: tests/reports/test_close_checks.py.
"""

from __future__ import annotations

import datetime as dt
import io
from email import message_from_bytes, policy
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client as HttpClient
from django_tenants.utils import schema_context
from PIL import Image

from agency import outbox
from agency.models import AgencyBrand, PublicOutboxEmail, User
from agency.services_users import user_create, user_password_setup_send
from agency.tasks import public_outbox_drain
from clients.models import OutboxEmail
from tests.browser.conftest import ARTIFACTS
from tests.conftest import host_of
from tests.kpis.test_monthly_email_outbox import MailServer, smtp_server, smtp_settings  # noqa: F401 (a fixture)
from tests.reports.test_client_language import english_in, visible_text

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 10, 9, tzinfo=dt.UTC)


def _png() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (60, 20), "#0f766e").save(buffer, "PNG")
    return SimpleUploadedFile("logo.png", buffer.getvalue(), content_type="image/png")


@pytest.fixture
def spanish_agency(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    brand = AgencyBrand.objects.create(
        name="Agencia Norte", sender_name="Equipo Norte", accent="#0f766e", default_language="es", logo=_png()
    )
    yield brand
    cache.delete(AgencyBrand.BRAND_CACHE_KEY)  # the cached brand outlives the test's rollback


def _new_staff(**fields: str) -> User:
    return user_create(username="nora", email="nora@agency.example", role=User.Role.STAFF, **fields)


def test_a_new_staff_members_link_goes_through_the_agencys_outbox(tenant_a, spanish_agency) -> None:
    user = _new_staff()
    assert user_password_setup_send(user=user) == ""
    row = PublicOutboxEmail.objects.get(kind="account", recipient=user)
    assert (row.state, row.attempts, row.to) == ("sent", 1, "nora@agency.example")
    with schema_context("alpha"):
        assert not OutboxEmail.objects.exists()  # no client's outbox holds it
    (message,) = mail.outbox
    assert message.from_email.startswith("Equipo Norte <")


def test_a_spanish_agencys_staff_invitation_is_spanish_throughout(tenant_a, spanish_agency) -> None:
    """Tested like the pages are: no English phrase of the portal's in the text or the HTML."""
    user_password_setup_send(user=_new_staff())
    (message,) = mail.outbox
    html = message.alternatives[0][0]
    assert message.subject == "Tu cuenta en el portal de la agencia"
    assert "Elige tu contraseña" in html and "/accounts/reset/" in message.body
    assert english_in(message.subject) == [] and english_in(message.body) == [], english_in(message.body)
    assert english_in(visible_text(html)) == [], english_in(visible_text(html))
    # Branded like the monthly email: the agency's colour and its logo inline.
    assert "#0f766e" in html and 'src="cid:brand-logo"' in html
    (logo,) = [part for part in message.message().walk() if part.get("Content-ID") == "<brand-logo>"]
    assert logo.get_content_type() == "image/png"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "staff-invitation-es.html").write_text(html)  # looked at in a browser


def test_a_staff_member_who_chose_english_gets_english(tenant_a, spanish_agency) -> None:
    user_password_setup_send(user=_new_staff(language="en"))
    (message,) = mail.outbox
    assert message.subject == "Your agency portal account"


def test_a_staff_password_reset_goes_through_the_agencys_outbox_in_the_agencys_language(staff_a, spanish_agency) -> None:
    staff_a.email, staff_a.language = "sam@agency.example", ""
    staff_a.save()
    HttpClient(HTTP_HOST=host_of(None)).post("/accounts/password/reset/", {"email": "sam@agency.example"})
    row = PublicOutboxEmail.objects.get(kind="password_reset", recipient=staff_a)
    assert row.state == "sent"
    (message,) = mail.outbox
    assert message.subject == "Restablece la contraseña del portal" and english_in(message.body) == []
    assert message.from_email.startswith("Equipo Norte <")


def test_a_refused_staff_email_is_retried_by_the_drain_and_then_delivered_once(
    tenant_a, admin_user, spanish_agency, smtp_settings  # noqa: F811
) -> None:
    admin_user.language = "es"
    admin_user.save()
    server = MailServer(accept=False)
    with smtp_server(server) as port, mock.patch.object(outbox, "_public_drain_queue") as queue_drain:
        smtp_settings(port)
        with time_machine.travel(NOW, tick=False):
            http = HttpClient(HTTP_HOST=host_of(None))
            http.force_login(admin_user)
            page = http.post(
                "/staff/", {"username": "nora", "email": "nora@agency.example", "role": "staff"}, follow=True
            ).content.decode()
            # The person is kept and the page says the email waits (in the admin's Spanish).
            assert "451" in page and "Se reintenta solo" in page
            row = PublicOutboxEmail.objects.get(kind="account")
            assert (row.state, row.attempts) == ("failed", 1)
            assert row.next_attempt_at == NOW + dt.timedelta(minutes=1)
            assert queue_drain.call_args.args == (60.0,)  # the drain is queued for when it is due
            server.accept = True
            assert public_outbox_drain.apply().get() == 0  # not due yet: the backoff holds
        with time_machine.travel(NOW + dt.timedelta(minutes=1, seconds=5), tick=False):
            assert public_outbox_drain.apply().get() == 1
            assert public_outbox_drain.apply().get() == 0  # never twice
    assert server.refused == 1 and len(server.received) == 1
    delivered = message_from_bytes(server.received[0].content, policy=policy.default)
    assert server.received[0].rcpt_tos == ["nora@agency.example"]
    assert str(delivered["Subject"]) == "Tu cuenta en el portal de la agencia"
    row.refresh_from_db()
    assert (row.state, row.attempts, row.next_attempt_at) == ("sent", 2, None)


def test_the_hourly_sweep_drains_the_agencys_outbox_too() -> None:
    from agency.celery import app

    entries = [entry for entry in app.conf.beat_schedule.values() if entry["task"] == outbox.PUBLIC_DRAIN_TASK]
    assert entries and entries[0]["kwargs"] == {"follow": False}
