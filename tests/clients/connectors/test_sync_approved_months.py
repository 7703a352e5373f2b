"""A sync has no result page: the connection on the Imports page names the approved months its last sync
that wrote rows restated, with a link to each month's close, as an import's result page does; a sync of
months never approved (or approved again since) says nothing of the close."""

from __future__ import annotations

import copy
import datetime as dt
import io
import re

import pytest
from django.core.management import call_command
from django.test import Client as HttpClient
from django.utils import translation

from agency.models import Client
from clients.connectors.fake_server import FakePlatforms
from clients.connectors.sync import connection_sync
from reports.services import month_approve
from tests.clients.connectors.conftest import NOW, connect_hubspot
from tests.conftest import host_of

pytestmark = pytest.mark.django_db

OCTOBER = dt.date(2026, 10, 1)
NOTICE = {"en": "October 2026 was already approved: the sync of ",
          "es": "Octubre de 2026 ya estaba aprobado: la sincronización del "}
LINK = {"en": "Open the close of October 2026", "es": "Abrir el cierre de octubre de 2026"}


def _late_contact(hubspot: FakePlatforms, *, created: str) -> None:
    """HubSpot gets a contact created on ``created``, entered in the CRM after the close."""
    late = copy.deepcopy(hubspot.hubspot_contacts[-1])
    late["id"] = str(900000 + len(hubspot.hubspot_contacts))
    late["properties"].update({"createdate": created, "lastmodifieddate": "2026-11-03T12:00:00.000Z"})
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
    tenant_a: Client, hubspot: FakePlatforms, staff_a, language: str
) -> None:
    _approved_october(tenant_a)
    _late_contact(hubspot, created="2026-10-20T10:00:00.000Z")
    synced = connection_sync(client=tenant_a, platform="hubspot", now=dt.datetime(2026, 11, 4, 3, 0, tzinfo=dt.UTC))
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
    tenant_a: Client, hubspot: FakePlatforms, staff_a
) -> None:
    _approved_october(tenant_a)  # the backfill wrote October before it was approved: nothing restated
    assert "data-sync-approved-months" not in _imports(staff_a, tenant_a, "en")
    _late_contact(hubspot, created="2026-11-03T10:00:00.000Z")  # only November, open
    synced = connection_sync(client=tenant_a, platform="hubspot", now=dt.datetime(2026, 11, 4, 3, 0, tzinfo=dt.UTC))
    assert synced.ok and synced.months == {"2026-11"}
    html = _imports(staff_a, tenant_a, "en")
    assert "data-sync-approved-months" not in html and "/reports/2026-" not in html


def test_sync_source_prints_the_approved_months_it_restated(tenant_a: Client, hubspot: FakePlatforms) -> None:
    _approved_october(tenant_a)
    _late_contact(hubspot, created="2026-10-20T10:00:00.000Z")
    out = io.StringIO()
    call_command("sync_source", "alpha", "hubspot", stdout=out)
    assert "approved months restated (a revision waits on each month's close): 2026-10" in out.getvalue()
