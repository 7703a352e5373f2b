"""A sync has no result page: the connection on the Imports page names the approved months its syncs
restated since each month's approval, with a link to each month's close, as an import's result page
does, until the month's revision is approved (as the close board's "Revision waiting"); a sync of
months never approved (or approved again since) says nothing of the close."""

from __future__ import annotations

import copy
import datetime as dt
import io
import re
from unittest import mock

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client as HttpClient
from django.utils import timezone, translation
from django_tenants.utils import tenant_context

from agency.models import Client
from clients.closed_months import months_restated
from clients.connectors.fake_server import FakePlatforms
from clients.connectors.sync import connection_sync
from clients.models import Connection, SyncRun
from kpis import recompute
from kpis.recompute import months_recompute_request
from reports.models import MonthReport
from reports.selectors import revision_pending
from reports.services import month_approve
from tests.clients.connectors.conftest import NOW, connect_hubspot
from tests.conftest import host_of

pytestmark = pytest.mark.django_db

OCTOBER = dt.date(2026, 10, 1)
NOTICE = {"en": "October 2026 was already approved: the sync of ",
          "es": "Octubre de 2026 ya estaba aprobado: la sincronización del "}
LINK = {"en": "Open the close of October 2026", "es": "Abrir el cierre de octubre de 2026"}


@pytest.fixture(autouse=True)
def _recompute_requests(django_capture_on_commit_callbacks):
    """A sync's batches ask for their months' recompute when they commit (the test's transaction never
    does: _sync runs those requests). They go to the test's Redis, no task queued, and no month is left
    pending for the next test. Returns what runs a sync as a worker does."""
    cache.clear()
    with mock.patch.object(recompute, "enqueue_for_client"):
        yield django_capture_on_commit_callbacks
    cache.clear()


def _sync(capture, tenant: Client, now: dt.datetime):
    """A sync whose batches' commits ask for the recompute of their months (debounced: still to come)."""
    with capture(execute=True):
        return connection_sync(client=tenant, platform="hubspot", now=now)


def _late_contact(hubspot: FakePlatforms, *, created: str, modified: str = "2026-11-03T12:00:00.000Z") -> None:
    """HubSpot gets a contact created on ``created``, entered in the CRM after the close (``modified``)."""
    late = copy.deepcopy(hubspot.hubspot_contacts[-1])
    late["id"] = str(900000 + len(hubspot.hubspot_contacts))
    late["properties"].update({"createdate": created, "lastmodifieddate": modified})
    hubspot.hubspot_contacts.append(late)


def _approved_october(tenant: Client) -> None:
    connect_hubspot(tenant)
    assert connection_sync(client=tenant, platform="hubspot", now=NOW).ok  # the backfill, before the approval
    call_command("compute_snapshots", tenant.slug, "--month", "2026-10", stdout=io.StringIO())
    month_approve(client=tenant, month=OCTOBER, user=None, checks_reason="no criteria yet")


def _imports(staff, tenant: Client, language: str) -> str:
    http = HttpClient(HTTP_HOST=host_of(tenant), HTTP_ACCEPT_LANGUAGE=language)
    http.force_login(staff)
    http.cookies["django_language"] = language
    return http.get("/imports/").content.decode()


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_sync_that_wrote_rows_of_an_approved_month_names_it_on_the_imports_page(
    tenant_a: Client, hubspot: FakePlatforms, staff_a, language: str, _recompute_requests
) -> None:
    _approved_october(tenant_a)
    _late_contact(hubspot, created="2026-10-20T10:00:00.000Z")
    synced = _sync(_recompute_requests, tenant_a, dt.datetime(2026, 11, 4, 3, 0, tzinfo=dt.UTC))
    assert synced.ok and "2026-10" in synced.months
    html = _imports(staff_a, tenant_a, language)
    hubspot_card = html[html.index('id="connection-hubspot"'):].split("</li>", 1)[0]
    assert 'id="connection-hubspot-approved-months"' in hubspot_card
    assert NOTICE[language] in hubspot_card, hubspot_card
    assert re.search(rf'<a href="/reports/2026-10/">{LINK[language]}</a>', hubspot_card), hubspot_card
    assert html.count("data-sync-approved-months") == 1  # the other connections say nothing
    if language == "es":
        assert "was already approved" not in html and "Open the close" not in html
    # Once the revision is approved, what the sync restated is approved: the notice goes.
    call_command("compute_snapshots", "alpha", "--month", "2026-10", stdout=io.StringIO())  # the worker's recompute
    with translation.override("en"):
        month_approve(client=tenant_a, month=OCTOBER, user=None, reason="HubSpot late lead", checks_reason="no criteria yet")
    assert "data-sync-approved-months" not in _imports(staff_a, tenant_a, language)


def test_a_sync_that_wrote_no_approved_month_says_nothing_of_the_close(
    tenant_a: Client, hubspot: FakePlatforms, staff_a, _recompute_requests
) -> None:
    _approved_october(tenant_a)  # the backfill wrote October before it was approved: nothing restated
    assert "data-sync-approved-months" not in _imports(staff_a, tenant_a, "en")
    _late_contact(hubspot, created="2026-11-03T10:00:00.000Z")  # only November, open
    synced = _sync(_recompute_requests, tenant_a, dt.datetime(2026, 11, 4, 3, 0, tzinfo=dt.UTC))
    assert synced.ok and synced.months == {"2026-11"}
    html = _imports(staff_a, tenant_a, "en")
    assert "data-sync-approved-months" not in html and "/reports/2026-" not in html


def test_sync_source_prints_the_approved_months_it_restated(tenant_a: Client, hubspot: FakePlatforms) -> None:
    _approved_october(tenant_a)
    _late_contact(hubspot, created="2026-10-20T10:00:00.000Z")
    out = io.StringIO()
    call_command("sync_source", "alpha", "hubspot", stdout=out)
    assert "approved months restated (a revision waits on each month's close): 2026-10" in out.getvalue()


def _card(html: str) -> str:
    return html[html.index('id="connection-hubspot"'):].split("</li>", 1)[0]


def test_a_later_sync_of_other_months_leaves_the_notice_of_october_until_its_revision_is_approved(
    tenant_a: Client, hubspot: FakePlatforms, staff_a, _recompute_requests
) -> None:
    _approved_october(tenant_a)
    _late_contact(hubspot, created="2026-10-20T10:00:00.000Z")
    first = _sync(_recompute_requests, tenant_a, dt.datetime(2026, 11, 4, 3, 0, tzinfo=dt.UTC))
    assert first.ok and "2026-10" in first.months
    call_command("compute_snapshots", "alpha", "--month", "2026-10", stdout=io.StringIO())  # the worker's recompute
    # The next sync (a month later) writes only December: October's revision still waits on the close.
    _late_contact(hubspot, created="2026-12-02T10:00:00.000Z", modified="2026-12-02T11:00:00.000Z")
    second = _sync(_recompute_requests, tenant_a, dt.datetime(2026, 12, 5, 3, 0, tzinfo=dt.UTC))
    assert second.ok and second.months == {"2026-12"}
    with tenant_context(tenant_a):
        assert MonthReport.objects.get(month=OCTOBER).restated_by  # the close's revision waits
        assert revision_pending(month=OCTOBER)
        connection_id = Connection.objects.get(platform="hubspot").pk
        first_ended = SyncRun.objects.filter(connection_id=connection_id, months__contains=["2026-10"]).latest(
            "finished_at").finished_at  # the first sync's end, not the second's
        assert months_restated(client=tenant_a, connection_id=connection_id) == [(OCTOBER, first_ended)]
    card = _card(_imports(staff_a, tenant_a, "en"))
    assert NOTICE["en"] in card and '<a href="/reports/2026-10/">' in card
    assert "December" not in card.split('class="connection-facts"')[0]  # December was never approved
    with translation.override("en"):
        month_approve(client=tenant_a, month=OCTOBER, user=None, reason="HubSpot late lead", checks_reason="no criteria yet")
    assert "data-sync-approved-months" not in _imports(staff_a, tenant_a, "en")
    with tenant_context(tenant_a):
        assert months_restated(client=tenant_a, connection_id=connection_id) == []


def test_a_sync_that_rewrote_an_approved_month_without_changing_it_is_not_named_once_recomputed(
    tenant_a: Client, hubspot: FakePlatforms, staff_a, _recompute_requests
) -> None:
    """No revision waits (approving is refused: the figures are already approved), so no notice stays."""
    _approved_october(tenant_a)
    with tenant_context(tenant_a):
        connection = Connection.objects.get(platform="hubspot")
        now = timezone.now()
        # A sync that re-read October's rows as they were (the platform touched them, nothing changed).
        SyncRun.objects.create(connection=connection, trigger=SyncRun.Trigger.DAILY, window_from=OCTOBER,
                               window_to=dt.date(2026, 10, 31), started_at=now, finished_at=now, ok=True,
                               rows=3, batches=1, months=["2026-10"])
        with _recompute_requests(execute=True):
            months_recompute_request(client=tenant_a, months=["2026-10"])  # as the sync's batch asks
    with tenant_context(tenant_a):  # its recompute waits: the figures may still change
        assert months_restated(client=tenant_a, connection_id=connection.pk) == [(OCTOBER, now)]
    assert NOTICE["en"] in _card(_imports(staff_a, tenant_a, "en"))
    call_command("compute_snapshots", "alpha", "--month", "2026-10", stdout=io.StringIO())
    with tenant_context(tenant_a):
        assert not revision_pending(month=OCTOBER)
        assert months_restated(client=tenant_a, connection_id=connection.pk) == []
    assert "data-sync-approved-months" not in _imports(staff_a, tenant_a, "en")


def test_another_clients_restated_months_never_appear(
    tenant_a: Client, tenant_b: Client, hubspot: FakePlatforms, staff_a, _recompute_requests
) -> None:
    _approved_october(tenant_a)
    # Beta is connected to the same HubSpot portal, its October approved, then restated by its own sync.
    connect_hubspot(tenant_b, shared_ok=True)
    assert connection_sync(client=tenant_b, platform="hubspot", now=NOW).ok
    call_command("compute_snapshots", tenant_b.slug, "--month", "2026-10", stdout=io.StringIO())
    month_approve(client=tenant_b, month=OCTOBER, user=None, checks_reason="no criteria yet")
    _late_contact(hubspot, created="2026-10-20T10:00:00.000Z")
    assert "2026-10" in _sync(_recompute_requests, tenant_b, dt.datetime(2026, 11, 4, 3, 0, tzinfo=dt.UTC)).months
    with tenant_context(tenant_b):
        b_connection = Connection.objects.get(platform="hubspot").pk
        assert [month for month, _at in months_restated(client=tenant_b, connection_id=b_connection)] == [OCTOBER]
    with tenant_context(tenant_a):
        a_connection = Connection.objects.get(platform="hubspot").pk
        assert months_restated(client=tenant_a, connection_id=a_connection) == []
        assert months_restated(client=tenant_a, connection_id=b_connection) == []  # its id names nothing here
    assert "data-sync-approved-months" not in _imports(staff_a, tenant_a, "en")


def test_sync_source_names_an_earlier_syncs_restated_month_still_waiting(
    tenant_a: Client, hubspot: FakePlatforms, _recompute_requests
) -> None:
    _approved_october(tenant_a)
    _late_contact(hubspot, created="2026-10-20T10:00:00.000Z")
    assert _sync(_recompute_requests, tenant_a, dt.datetime(2026, 11, 4, 3, 0, tzinfo=dt.UTC)).ok
    _late_contact(hubspot, created="2026-11-03T20:00:00.000Z", modified="2026-11-04T12:00:00.000Z")
    out = io.StringIO()
    call_command("sync_source", "alpha", "hubspot", "--from", "2026-11-04", "--to", "2026-11-04", stdout=out)
    assert "months touched: 2026-11" in out.getvalue()
    assert re.search(r"approved months restated \(a revision waits on each month's close\): "
                     r"2026-10 \(by the sync of \d{4}-\d\d-\d\d \d\d:\d\d\)\n", out.getvalue()), out.getvalue()
