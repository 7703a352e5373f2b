"""A CRM that sends no sales-accepted date (HubSpot's contacts export has no such column): SALs and the
SQL → SAL rate read "—" with the reason, not "0" and "0 %" (kpis.nodata; sources.md: a column a KPI
needs and the file lacks makes the KPI unknown, never 0); a CRM that sent one in an earlier month keeps
its real 0; the stored document keeps kpis.md's 0. Likewise sales-ready leads (a buying signal is an
activity) of a client without any activity loaded, and the opt-out rate of a CRM that sends no
unsubscribe date."""

from __future__ import annotations

import datetime as dt
from html import unescape

import pytest
from django.db import connection

from kpis.services import report_pdf_build, snapshot_compute
from tests.conftest import host_of
from tests.kpis.test_paid_media_report import _pdf_text
from tests.kpis.test_unmatched_leads_screens import http_for, tile

pytestmark = pytest.mark.django_db

FEBRUARY, MARCH = dt.date(2026, 2, 1), dt.date(2026, 3, 1)
REASON = {
    "en": "The CRM sends no sales-accepted date for these leads, so the SALs are unknown, not zero.",
    "es": "El CRM no envía la fecha de aceptación por ventas de estos leads, así que los SAL son desconocidos, no cero.",
}


def _client(tenant, *, february_sal: bool) -> None:
    """February and March with 4 new leads each, two of them SQLs; a February SAL when asked."""
    from clients.models import Lead

    leads = []
    for month in (FEBRUARY, MARCH):
        at = dt.datetime(month.year, month.month, 3, 10, tzinfo=dt.UTC)
        leads += [Lead(id=f"l{month.month}-{i}", created_at=at) for i in range(4)]
    for lead in leads[:2] + leads[4:6]:
        lead.sql_at = lead.created_at + dt.timedelta(days=2)
    if february_sal:
        leads[0].sal_at = leads[0].sql_at + dt.timedelta(days=1)
    Lead.objects.bulk_create(leads)
    snapshot_compute(client=tenant, months=[FEBRUARY, MARCH])
    connection.set_schema_to_public()


def _page(user, tenant, language: str) -> str:
    return unescape(http_for(user, language).get("/scorecard/?month=2026-03", HTTP_HOST=host_of(tenant)).content.decode())


@pytest.mark.parametrize("language", ["en", "es"])
def test_sals_of_a_crm_that_sends_no_sales_accepted_date_read_a_dash(client_user_a, in_tenant_a, language):
    from kpis.models import Snapshot

    _client(in_tenant_a, february_sal=False)
    html = _page(client_user_a, in_tenant_a, language)
    for key in ("sals", "sal_rate"):
        shown = tile(html, key)
        assert REASON[language] in shown and '<p class="value">—</p>' in shown, shown
    assert REASON[language] not in tile(html, "sqls") and '<p class="value">2</p>' in tile(html, "sqls")
    connection.set_tenant(in_tenant_a)
    assert Snapshot.objects.get(month=MARCH).document["kpis"]["sals"] == 0  # kpis.md's count is kept


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_crm_that_sent_a_sales_accepted_date_before_keeps_its_real_0(client_user_a, in_tenant_a, language):
    _client(in_tenant_a, february_sal=True)
    html = _page(client_user_a, in_tenant_a, language)
    assert REASON[language] not in html
    assert '<p class="value">0</p>' in tile(html, "sals") and "0 %" in tile(html, "sal_rate")


ACTIVITIES = {  # what a client reads: what the dash means, not the agency's import kind
    "en": "No buying signals (such as downloads or demo requests) are recorded for these leads, so the sales-ready "
          "leads are unknown, not zero.",
    "es": "No hay señales de compra registradas para estos leads (como descargas o solicitudes de demo), así que los "
          "leads listos para ventas son desconocidos, no cero.",
}
ACTIVITIES_STAFF = {  # what staff read at the client's address: the activities to import
    "en": "No activities have been loaded for these leads: their buying signals, and so the sales-ready leads, are "
          "unknown, not zero. Import their activities file on the Imports page.",
    "es": "No se han cargado actividades de estos leads: sus señales de compra, y por tanto los leads listos para "
          "ventas, son desconocidos, no cero. Importa su archivo de actividades en la página Importaciones.",
}


@pytest.mark.parametrize("language", ["en", "es"])
def test_sales_ready_leads_without_any_activity_loaded_read_a_dash(client_user_a, in_tenant_a, language):
    _client(in_tenant_a, february_sal=True)
    shown = tile(_page(client_user_a, in_tenant_a, language), "sales_ready_leads")
    assert ACTIVITIES[language] in shown and '<p class="value">—</p>' in shown, shown


@pytest.mark.parametrize("language", ["en", "es"])
def test_staff_read_which_data_is_missing_and_the_client_what_the_dash_means(client_user_a, staff_a, in_tenant_a,
                                                                             language):
    _client(in_tenant_a, february_sal=True)
    client_page, staff_page = _page(client_user_a, in_tenant_a, language), _page(staff_a, in_tenant_a, language)
    assert ACTIVITIES_STAFF[language] in tile(staff_page, "sales_ready_leads")
    assert ACTIVITIES[language] not in staff_page
    assert ACTIVITIES_STAFF[language] not in client_page
    assert {"en": "activities", "es": "actividades"}[language] not in tile(client_page, "sales_ready_leads")
    connection.set_tenant(in_tenant_a)
    pdf = " ".join(_pdf_text(report_pdf_build(client=in_tenant_a, month=MARCH, language=language)).split())
    assert " ".join(ACTIVITIES[language].split()) in pdf and ACTIVITIES_STAFF[language] not in pdf


@pytest.mark.parametrize("language", ["en", "es"])
def test_sales_ready_leads_with_activities_loaded_keep_their_real_0(client_user_a, in_tenant_a, language):
    from clients.models import Activity, Lead

    _client(in_tenant_a, february_sal=True)
    connection.set_tenant(in_tenant_a)
    Activity.objects.create(id="a1", lead=Lead.objects.get(id="l2-1"), occurred_at=dt.datetime(2026, 2, 4, tzinfo=dt.UTC),
                            action="content_download")
    snapshot_compute(client=in_tenant_a, months=[FEBRUARY, MARCH])
    connection.set_schema_to_public()
    shown = tile(_page(client_user_a, in_tenant_a, language), "sales_ready_leads")
    assert ACTIVITIES[language] not in shown and '<p class="value">0</p>' in shown, shown


UNSUBSCRIBES = {
    "en": "The CRM sends no unsubscribe date for these leads, so the opt-out rate is unknown, not zero.",
    "es": "El CRM no envía la fecha de baja de estos leads, así que la tasa de bajas es desconocida, no cero.",
}


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_opt_out_rate_of_a_crm_that_sends_no_unsubscribe_date_reads_a_dash(client_user_a, in_tenant_a, language):
    _client(in_tenant_a, february_sal=True)
    shown = tile(_page(client_user_a, in_tenant_a, language), "opt_out_rate")
    assert UNSUBSCRIBES[language] in shown and '<p class="value">—</p>' in shown, shown


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_crm_that_sent_an_unsubscribe_before_keeps_its_real_0_percent(client_user_a, in_tenant_a, language):
    from clients.models import Lead

    connection.set_tenant(in_tenant_a)
    Lead.objects.create(id="old", created_at=dt.datetime(2026, 1, 5, tzinfo=dt.UTC))
    Lead.objects.create(id="gone", created_at=dt.datetime(2026, 1, 5, tzinfo=dt.UTC),
                        unsubscribed_at=dt.datetime(2026, 2, 7, tzinfo=dt.UTC))
    snapshot_compute(client=in_tenant_a, months=[dt.date(2026, 1, 1)])
    _client(in_tenant_a, february_sal=True)
    shown = tile(_page(client_user_a, in_tenant_a, language), "opt_out_rate")
    assert UNSUBSCRIBES[language] not in shown and "0 %" in shown, shown
