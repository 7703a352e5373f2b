"""The monthly email (the approved report's) names its opt-out link in a List-Unsubscribe header too."""

from __future__ import annotations

import datetime as dt

from django.core import mail
from django_tenants.utils import schema_context

from agency.selectors import opt_out_user
from clients.models import Lead
from clients.outbox import outbox_send_due
from kpis.services import snapshot_compute
from reports.services import month_approve


def test_the_opt_out_link_is_also_a_list_unsubscribe_header(tenant_a, client_user_a) -> None:
    client_user_a.email = "ann@alpha.example"
    client_user_a.save()
    with schema_context("alpha"):
        Lead.objects.create(id="h1", created_at=dt.datetime(2026, 3, 4, tzinfo=dt.UTC))
    snapshot_compute(client=tenant_a, months=[dt.date(2026, 3, 1)])
    month_approve(client=tenant_a, month=dt.date(2026, 3, 1), user=None)
    assert outbox_send_due(client=tenant_a) == 1
    header = mail.outbox[0].extra_headers["List-Unsubscribe"]
    assert header.startswith("<http://alpha.localhost:8000/accounts/monthly-email/off/?t=") and header.endswith(">")
    assert header[1:-1] in mail.outbox[0].body
    assert opt_out_user(header[1:-1].split("?t=")[1]) == client_user_a
