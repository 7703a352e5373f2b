"""The month's checks in the close: listed before Approve, resolved with a note, and a reason asked
when a high one is left unresolved."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import translation
from django_tenants.utils import schema_context

from kpis.models import CheckResult
from kpis.services import snapshot_compute
from portfolio.models import ClientMonthChecks
from reports.models import CheckNote, ReportVersion
from reports.services import ApprovalRefused, check_resolve, month_approve
from tests.kpis.test_checks_stored import GAP, MONTHS, OCT, seed
from tests.reports.conftest import browser_for

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _november():
    with time_machine.travel(dt.datetime(2026, 11, 10, 9, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def october(tenant_a):
    """Alpha's October with three days of spend missing (a high check) and campaigns named twice (low)."""
    with schema_context("alpha"):
        seed(gap=GAP, twins=True)
    snapshot_compute(client=tenant_a, months=MONTHS)
    return tenant_a


def _check(key: str) -> CheckResult:
    with schema_context("alpha"):
        return CheckResult.objects.get(month=OCT.first_day, key=key)


def test_the_month_page_lists_the_checks_before_approve_in_spanish(october, staff_a) -> None:
    body = browser_for(staff_a, october, language="es").get("/reports/2026-10/").content.decode()
    assert "2 cosas que revisar" in body
    assert "Inversión: faltan los datos de 3 días del mes (6–8 oct)." in body
    assert body.index('id="checks"') < body.index('id="approve-title"')
    assert 'name="checks_reason"' in body  # the high check is unresolved: the approval asks why


def test_approving_with_a_high_check_unresolved_needs_a_one_line_reason(october, staff_a) -> None:
    with translation.override("en"), pytest.raises(ApprovalRefused, match="high severity is unresolved"):
        month_approve(client=october, month=OCT.first_day, user=staff_a)
    version = month_approve(client=october, month=OCT.first_day, user=staff_a, checks_reason="  spend feed\nrestated on the 9th ")
    assert version.checks_reason == "spend feed restated on the 9th"
    assert sorted(version.checks_open) == ["coverage.source_gap:spend", "tracking.campaign_name_twins:marcaespana"]
    body = browser_for(staff_a, october, language="en").get("/reports/2026-10/").content.decode()
    assert "Approved with 2 checks unresolved: spend feed restated on the 9th" in body


def test_the_approve_form_posts_the_reason(october, staff_a) -> None:
    http = browser_for(staff_a, october, language="en")
    http.post("/reports/2026-10/approve/", {})
    with schema_context("alpha"):
        assert not ReportVersion.objects.filter(month=OCT.first_day).exists()
    http.post("/reports/2026-10/approve/", {"checks_reason": "client knows: tracking outage"})
    with schema_context("alpha"):
        assert ReportVersion.objects.get(month=OCT.first_day).checks_reason == "client knows: tracking outage"


def test_resolving_with_a_note_keeps_it_in_the_history_and_lifts_the_reason(october, staff_a) -> None:
    gap = _check("coverage.source_gap")
    http = browser_for(staff_a, october, language="en")
    http.post(f"/reports/2026-10/checks/{gap.pk}/resolve/", {"note": ""})
    assert _check("coverage.source_gap").resolved_at is None  # a note is required
    http.post(f"/reports/2026-10/checks/{gap.pk}/resolve/", {"note": "Google Ads paused for the strike"})
    counts = ClientMonthChecks.objects.get(client=october, month=OCT.first_day)
    assert (counts.total, counts.open, counts.open_high) == (2, 1, 0)
    with schema_context("alpha"):
        (note,) = CheckNote.objects.filter(month=OCT.first_day)
    assert note.note == "Google Ads paused for the strike" and "Oct 6–8" in note.sentence
    body = http.get("/reports/2026-10/").content.decode()
    assert "1 thing to look at" in body and "Google Ads paused for the strike" in body and 'name="checks_reason"' not in body
    # A recompute keeps the resolution; only a low check is open, so no reason is asked.
    snapshot_compute(client=october, months=[OCT.first_day])
    assert month_approve(client=october, month=OCT.first_day, user=staff_a).checks_reason == ""


def test_a_client_user_cannot_resolve_a_check(october, client_user_a) -> None:
    gap = _check("coverage.source_gap")
    with pytest.raises(Exception, match="Only agency staff"):
        check_resolve(client=october, month=OCT.first_day, check_id=gap.pk, note="x", user=client_user_a)
    response = browser_for(client_user_a, october).post(f"/reports/2026-10/checks/{gap.pk}/resolve/", {"note": "x"})
    assert response.status_code == 404 and _check("coverage.source_gap").resolved_at is None


def test_staff_get_one_digest_a_day_never_one_per_check(october, staff_a, client_user_a) -> None:
    from django.core import mail

    from agency.models import PublicOutboxEmail
    from agency.tasks import public_outbox_drain
    from clients.models import OutboxEmail
    from portfolio.models import ClientMonthClose
    from reports.digest import checks_digest_queue
    from reports.services import month_open

    staff_a.email, staff_a.language = "sam@agency.example", "es"
    staff_a.save()
    assert checks_digest_queue(day=dt.date(2026, 11, 10)) == 0  # October is not in the close yet
    month_open(client=october, month=OCT.first_day)
    assert ClientMonthClose.objects.get(client=october, month=OCT.first_day).state == "open"
    assert checks_digest_queue(day=dt.date(2026, 11, 10)) == 1
    assert checks_digest_queue(day=dt.date(2026, 11, 10)) == 0  # a second run the same day: nothing
    # In the agency's own outbox (public schema), not in a client's: it is about many clients.
    (email,) = PublicOutboxEmail.objects.filter(kind="checks_digest")
    with schema_context("alpha"):
        assert not OutboxEmail.objects.filter(kind="checks_digest").exists()
    assert email.recipient_id == staff_a.pk and email.to == "sam@agency.example"
    assert email.payload["subject"] == "2 comprobaciones por revisar antes de aprobar"
    assert "Alpha Analytics, octubre de 2026: 2 por revisar · 1 alta" in email.payload["body"]
    assert "/reports/2026-10/" in email.payload["body"] and "/reports/2026-10/" in email.payload["html"]
    mail.outbox.clear()
    assert public_outbox_drain.apply(kwargs={"follow": False}).get() == 1  # the drain sends it
    (sent,) = mail.outbox
    assert sent.to == ["sam@agency.example"] and sent.subject == email.payload["subject"]
    email.refresh_from_db()
    assert email.state == "sent"
    assert checks_digest_queue(day=dt.date(2026, 11, 11)) == 1  # the next day, one more
    month_approve(client=october, month=OCT.first_day, user=staff_a, checks_reason="known outage")
    assert checks_digest_queue(day=dt.date(2026, 11, 12)) == 0  # approved: nothing waits
