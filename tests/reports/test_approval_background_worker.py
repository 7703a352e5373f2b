"""The month page's Approve through a real Celery worker and Redis: the request approves and sends the
email's task; the worker builds the PDF and the email; the page's poll then says it is on its way."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django_tenants.utils import tenant_context

from agency.celery import app
from clients.models import OutboxEmail
from clients.outbox import outbox_send_due
from reports.models import ReportVersion
from reports.services import month_review_start
from tests.reports.conftest import MARCH, browser_for
from tests.reports.conftest import march as march

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_a_real_worker_builds_the_approved_months_email_after_approve_answered(
    march, staff_a, client_user_a, clean_tenant_tables
) -> None:
    month_review_start(client=march, month=MARCH, at=dt.datetime(2026, 4, 5, tzinfo=dt.UTC))
    staff = browser_for(staff_a, march)
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        started = time.monotonic()
        assert staff.post("/reports/2026-03/approve/").status_code == 302
        answered = time.monotonic() - started
        with tenant_context(march):
            assert ReportVersion.objects.get(month=MARCH).document["kpis"]["cpl"] > 0
        deadline = time.monotonic() + 60
        poll = staff.get("/reports/2026-03/sending/", HTTP_HX_REQUEST="true")
        while poll.status_code == 204 and time.monotonic() < deadline:
            time.sleep(0.3)
            poll = staff.get("/reports/2026-03/sending/", HTTP_HX_REQUEST="true")
    assert poll.status_code == 200 and 'data-sending="queued"' in poll.content.decode()
    with tenant_context(march):
        assert ReportVersion.objects.get(month=MARCH).emails == "queued"
        assert list(OutboxEmail.objects.values_list("kind", "to")) == [("report_approved", "ann@alpha.example")]
    outbox_send_due(client=march)  # the drain, if the worker's own has not sent it yet (it is stopped now)
    (message,) = mail.outbox
    assert any(isinstance(a, tuple) and a[1].startswith(b"%PDF") for a in message.attachments)
    assert answered < 30  # the request did not wait for the worker (measured in docs/performance.md)
