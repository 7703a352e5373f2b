"""The monthly scorecard email: sent once per user and month, to those who did not opt out."""

from __future__ import annotations

import datetime as dt
import re

from django.core import mail
from django.test import Client as HttpClient
from django_tenants.utils import schema_context

from clients.models import Lead
from clients.outbox import outbox_send_due
from kpis.services import snapshot_compute
from kpis.tasks import month_close_task
from reports.services import month_approve
from tests.conftest import host_of
from tests.factories import UserFactory

MARCH = dt.date(2026, 3, 1)


def test_month_close_computes_but_emails_only_once_approved(tenant_a, client_user_a, client_user_b, staff_a) -> None:
    """#13: the client gets no monthly email when the month closes; approving it sends the report."""
    client_user_a.email, client_user_a.language = "ann@alpha.example", "es"
    client_user_a.save()
    UserFactory(username="quiet", email="quiet@alpha.example", role="client", monthly_email=False, clients=[tenant_a])
    with schema_context("alpha"):
        Lead.objects.bulk_create([Lead(id=f"e{i}", created_at=dt.datetime(2026, 3, 4, tzinfo=dt.UTC)) for i in range(3)])
    assert (
        month_close_task.apply(kwargs={"client_slug": "alpha", "months": ["2026-03"]}, headers={"_schema_name": "alpha"}).get()
        == 1
    )
    assert mail.outbox == []  # nothing before approval
    month_approve(client=tenant_a, month=MARCH, user=staff_a)
    assert outbox_send_due(client=tenant_a) == 1
    assert [m.to for m in mail.outbox] == [["ann@alpha.example"]]  # not the one who opted out, not beta's user
    message = mail.outbox[0]
    assert "Leads nuevos: 3" in message.body  # in the user's language
    assert "http://alpha.localhost:8000/scorecard/?month=2026-03" in message.body
    assert outbox_send_due(client=tenant_a) == 0  # a redelivered task sends nothing twice
    assert len(mail.outbox) == 1


def test_the_link_in_the_email_turns_it_off(tenant_a, client_user_a) -> None:
    client_user_a.email = "ann@alpha.example"
    client_user_a.save()
    with schema_context("alpha"):
        Lead.objects.create(id="x", created_at=dt.datetime(2026, 3, 4, tzinfo=dt.UTC))
    snapshot_compute(client=tenant_a, months=[MARCH])
    month_approve(client=tenant_a, month=MARCH, user=None)
    outbox_send_due(client=tenant_a)
    link = re.search(r"http://\S+/accounts/monthly-email/off/\?t=\S+", mail.outbox[0].body).group(0)
    path = link.split(":8000", 1)[1]
    opened = HttpClient().get(path, HTTP_HOST=host_of(tenant_a))  # a link scanner opening it changes nothing
    assert opened.status_code == 200 and "Stop the monthly report email?" in opened.content.decode()
    client_user_a.refresh_from_db()
    assert client_user_a.monthly_email is True
    token = path.split("t=", 1)[1]
    assert HttpClient(enforce_csrf_checks=True).post(path, {"t": token}, HTTP_HOST=host_of(tenant_a)).status_code == 200
    client_user_a.refresh_from_db()
    assert client_user_a.monthly_email is False
    assert HttpClient().get("/accounts/monthly-email/off/?t=forged", HTTP_HOST=host_of(tenant_a)).status_code == 400


def test_users_turn_it_back_on_in_their_preferences(client_user_a, tenant_a) -> None:
    client_user_a.monthly_email = False
    client_user_a.save()
    http = HttpClient()
    http.force_login(client_user_a)
    assert http.post("/accounts/email-preferences/", {"monthly_email": "on"}, HTTP_HOST=host_of(tenant_a)).status_code == 302
    client_user_a.refresh_from_db()
    assert client_user_a.monthly_email is True
