"""A sync that changes an approved month: a revision waits for staff, its reason naming the platform
and the sync; the client keeps the approved figures until then."""

from __future__ import annotations

import copy
import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.test import Client as HttpClient
from django_tenants.utils import tenant_context

from agency.models import Client
from clients.connectors.fake_server import FakePlatforms
from clients.connectors.sync import connection_sync
from reports.models import MonthReport, ReportVersion
from reports.services import month_approve
from tests.clients.connectors.conftest import NOW, connect_hubspot

pytestmark = pytest.mark.django_db


def _export(month: str) -> dict:
    call_command("compute_snapshots", "alpha", "--month", month, stdout=io.StringIO())
    out = io.StringIO()
    call_command("export_snapshot", "alpha", "--month", month, stdout=out)
    return json.loads(out.getvalue())


def test_a_sync_that_restates_an_approved_month_waits_for_approval_with_the_platform_and_sync_named(
    tenant_a: Client, hubspot: FakePlatforms, staff_http: HttpClient
) -> None:
    connect_hubspot(tenant_a)
    assert connection_sync(client=tenant_a, platform="hubspot", now=NOW).ok
    approved = _export("2026-10")
    # No criteria: the month's checks ask for them (tracking.no_mqls); this test is about the restatement.
    month_approve(client=tenant_a, month=dt.date(2026, 10, 1), user=None, checks_reason="no criteria yet")
    # HubSpot gets a contact of October late (imported into the CRM after the close).
    late = copy.deepcopy(hubspot.hubspot_contacts[-1])
    late["id"] = "999999"
    late["properties"].update({"createdate": "2026-10-20T10:00:00.000Z", "lastmodifieddate": "2026-11-03T12:00:00.000Z"})
    hubspot.hubspot_contacts.append(late)
    synced = connection_sync(client=tenant_a, platform="hubspot", now=dt.datetime(2026, 11, 4, 3, 0, tzinfo=dt.UTC))
    assert synced.ok and "2026-10" in synced.months
    now = _export("2026-10")
    assert now["revision_pending"] is True
    assert now["kpis"]["new_leads"] == approved["kpis"]["new_leads"] + 1
    with tenant_context(tenant_a):
        report = MonthReport.objects.get(month=dt.date(2026, 10, 1))
        assert report.restated_by == "HubSpot corrected leads of October 2026, sync of Nov 4, 2026"
        assert ReportVersion.objects.filter(month=dt.date(2026, 10, 1)).count() == 1  # the client's version
    page = staff_http.get("/reports/2026-10/").content.decode()
    assert "HubSpot corrected leads of October 2026, sync of Nov 4, 2026" in page
    month_approve(client=tenant_a, month=dt.date(2026, 10, 1), user=None, reason=report.restated_by,
                  checks_reason="no criteria yet")
    with tenant_context(tenant_a):
        assert MonthReport.objects.get(month=dt.date(2026, 10, 1)).restated_by == ""
        assert ReportVersion.objects.get(month=dt.date(2026, 10, 1), number=2).reason.startswith("HubSpot corrected")


def test_a_sync_of_months_never_approved_notes_nothing(tenant_a: Client, hubspot: FakePlatforms) -> None:
    connect_hubspot(tenant_a)
    assert connection_sync(client=tenant_a, platform="hubspot", now=NOW).ok
    with tenant_context(tenant_a):
        assert not MonthReport.objects.exclude(restated_by="").exists()
