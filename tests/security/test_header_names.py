"""Issue #24 items 6 and 7: names that reach email headers hold no line break, and emails
already queued carry the brand as it is when they are sent."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client as HttpClient
from django_tenants.utils import schema_context

from agency.models import AgencyBrand, Client
from clients import outbox
from clients.models import OutboxEmail
from tests.conftest import signed_in

BROKEN = "Acme\r\nBcc: everyone@example.com"


def _console(user) -> HttpClient:
    return signed_in(user, None, raise_request_exception=False)


def test_a_client_name_with_a_line_break_is_a_field_error(admin_user) -> None:
    response = _console(admin_user).post("/clients/new/", {
        "name": BROKEN, "slug": "acme-crlf", "timezone": "UTC", "currency": "USD", "gross_margin": "0.7",
        "horizon_months": "60"})
    assert response.status_code in {200, 422}
    assert "Write it on one line." in response.content.decode()
    assert not Client.objects.filter(slug="acme-crlf").exists()


@pytest.mark.parametrize("field", ["name", "sender_name"])
def test_an_agency_name_or_sender_with_a_line_break_is_a_field_error(admin_user, field) -> None:
    data = {"name": "Agency", "sender_name": "Agency", "accent": "#1f5fbf", "bar_colour": "#14213d", field: BROKEN}
    response = _console(admin_user).post("/brand/", data)
    assert response.status_code in {200, 422}
    assert "Write it on one line." in response.content.decode()
    assert not AgencyBrand.objects.filter(**{field: BROKEN}).exists()


def test_a_client_stored_with_a_line_break_in_its_name_can_still_invite(admin_user, tenant_a) -> None:
    """Rows from before the check: the invitation is sent, its subject on one line."""
    Client.objects.filter(pk=tenant_a.pk).update(name=BROKEN)
    response = _console(admin_user).post(f"/clients/{tenant_a.slug}/invite/", {"email": "new@alpha.example"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and "\n" not in mail.outbox[0].subject and "Acme Bcc:" in mail.outbox[0].subject


def test_queued_emails_are_sent_with_the_brand_as_it_is_now(tenant_a, client_user_a) -> None:
    # The row itself, not the cached brand: an earlier test's cached row may be rolled back.
    brand = AgencyBrand.objects.order_by("pk").first() or AgencyBrand.objects.create(name="Agency")
    AgencyBrand.objects.filter(pk=brand.pk).update(sender_name=BROKEN)  # stored before the check
    outbox.outbox_email_enqueue(client=tenant_a, kind="test", recipient_id=client_user_a.pk, to="ann@alpha.example",
                                subject=f"{BROKEN}: your report", body="b", from_email=f'"{BROKEN}" <portal@localhost>',
                                headers={"X-Client": BROKEN})
    brand.refresh_from_db()
    brand.sender_name = "Fixed Agency"
    brand.save()  # an admin mends it (saving clears the brand's cache)
    assert outbox.outbox_send_due(client=tenant_a) == 1
    sent = mail.outbox[-1]
    assert sent.from_email == "Fixed Agency <portal@localhost>"
    assert sent.subject == "Acme Bcc: everyone@example.com: your report"
    with schema_context(tenant_a.schema_name):
        assert OutboxEmail.objects.get().state == OutboxEmail.State.SENT
