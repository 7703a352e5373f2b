"""A client with no lead source (no CRM connected, no leads file imported): its lead figures read "—" with
the reason on every screen that shows them — the report page, the funnel, the drill-downs, the PDF, the
monthly email, the home page and the commentary draft — in English and Spanish, never "0" and "no change"
(kpis.nodata.leads_loaded); spend and traffic stay; a client with a lead source but no lead in a month keeps
its real 0; the stored document keeps kpis.md's 0; an approved version keeps the answer it was approved with."""

from __future__ import annotations

import datetime as dt
from html import unescape

import pytest
from django.db import connection

from clients.services import data_import
from kpis.services import report_pdf_build, snapshot_compute
from tests.conftest import host_of
from tests.kpis.test_paid_media import write  # noqa: F401 -- fixture
from tests.kpis.test_paid_media_report import _pdf_text
from tests.kpis.test_unmatched_leads_screens import http_for, tile

pytestmark = pytest.mark.django_db

FEBRUARY, MARCH = dt.date(2026, 2, 1), dt.date(2026, 3, 1)
LEADS = {  # a client's words: its leads are "recorded" (as its spend and traffic are)
    "en": "No leads are recorded up to this month: its lead figures are unknown, not zero.",
    "es": "No hay leads registrados hasta este mes: sus cifras de leads son desconocidas, no cero.",
}
LEADS_STAFF = {  # staff's: "loaded", and where a CRM is connected or leads imported
    "en": "No leads loaded for this client up to this month (no CRM connected, no leads file imported): its lead "
          "figures are unknown, not zero. Import a leads file (a CRM export) or connect HubSpot on the Imports page.",
    "es": "No se han cargado leads de este cliente hasta este mes (ningún CRM conectado, ningún archivo de leads "
          "importado): sus cifras de leads son desconocidas, no cero. Importa un archivo de leads (una exportación "
          "del CRM) o conecta HubSpot en la página Importaciones.",
}
TRAFFIC = "date,channel,sessions\n2026-02-03,organic_search,300\n2026-03-03,organic_search,250\n"
SPEND = ("id,date,category,amount,campaign,platform,impressions,clicks\nf1,2026-02-03,media,120,g1,google_ads,900,40\n"
         "m1,2026-03-03,media,200,g1,google_ads,1000,50\n")
HEADLINE = ["sessions", "new_leads", "mqls", "customers", "marketing_spend", "cpl"]


def _client(tenant, write, *, leads_in_february: bool = False) -> None:  # noqa: F811 -- the fixture of the same name
    """February and March of spend and traffic; leads only when asked (February's), none in March."""
    from clients.models import Campaign, Lead

    Campaign.objects.create(id="g1", name="Search", channel="paid_search")
    if leads_in_february:
        Lead.objects.bulk_create([Lead(id=f"l{i}", created_at=dt.datetime(2026, 2, 10, 10, tzinfo=dt.UTC),
                                       campaign_id="g1") for i in range(4)])
    for kind, rows in (("spend", SPEND), ("traffic", TRAFFIC)):
        assert data_import(kind=kind, path_or_file=write(rows), client=tenant).ok
    tenant.headline_kpis = HEADLINE
    tenant.save()
    snapshot_compute(client=tenant, months=[FEBRUARY, MARCH])
    connection.set_schema_to_public()


@pytest.fixture
def no_leads(in_tenant_a, write):  # noqa: F811 -- the fixture of the same name
    _client(in_tenant_a, write)
    return in_tenant_a


@pytest.fixture
def no_leads_in_march(in_tenant_a, write):  # noqa: F811 -- the fixture of the same name
    _client(in_tenant_a, write, leads_in_february=True)
    return in_tenant_a


def _page(user, tenant, language: str, month: str = "2026-03") -> str:
    return unescape(http_for(user, language).get(f"/scorecard/?month={month}", HTTP_HOST=host_of(tenant)).content.decode())


def _summary(html: str, key: str) -> str:
    found = html[html.index(f'data-kpi="{key}" data-summary') :]
    return found[: found.index("</article>")]


def test_the_stored_document_keeps_kpis_md_0(no_leads):
    from kpis.models import Snapshot

    connection.set_tenant(no_leads)
    kpis = Snapshot.objects.get(month=MARCH).document["kpis"]
    assert kpis["new_leads"] == 0 and kpis["mqls"] == 0 and kpis["customers"] == 0


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_lead_figures_read_a_dash_with_the_reason(client_user_a, no_leads, language):
    html = _page(client_user_a, no_leads, language)
    for key in ("new_leads", "mqls", "customers", "cpl"):
        shown = _summary(html, key)
        assert LEADS[language] in shown and '<p class="value">—</p>' in shown, shown
        assert '<p class="value">0</p>' not in shown and "no change" not in shown and "sin cambio" not in shown, shown
    for key in ("qualified_lead_rate", "lead_velocity_rate", "median_response_hours", "cost_per_mql", "romi",
                "traffic_to_lead"):
        assert LEADS[language] in tile(html, key) and '<p class="value">—</p>' in tile(html, key), key
    # Spend and traffic do not depend on leads: they stay.
    assert '<p class="value">250</p>' in _summary(html, "sessions")
    assert LEADS[language] not in _summary(html, "sessions") and LEADS[language] not in _summary(html, "marketing_spend")
    assert LEADS_STAFF[language] not in html  # the client cannot import
    # The funnel's steps after sessions are dashes, the channel chart says why there is none.
    funnel = html[html.index('id="funnel-title"') : html.index('id="mix-title"')]
    assert "250" in funnel and {"en": "no leads recorded", "es": "sin leads registrados"}[language] in funnel, funnel
    mix = html[html.index('id="mix-title"') :]
    assert LEADS[language] in mix[: mix.index("</section>")]
    # Paid media: the CRM's leads of the platform's campaigns are unknown too, and no "0 leads reached the CRM".
    card = html[html.index('data-platform="google_ads"') :]
    card = card[: card.index("</article>")]
    leads = card[card.index('data-kpi="paid_leads"') :]
    assert leads[: leads.index("</div>")].count("—") == 1 and LEADS[language] in card, card
    assert 'class="match"' not in card, card
    # The month's verdict does not say "0 new leads and 0 new customers".
    verdict = {"en": "no leads are recorded up to this month", "es": "no hay leads registrados hasta este mes"}[language]
    assert verdict in html and "0 new leads" not in html and "0 leads nuevos" not in html


@pytest.mark.parametrize("language", ["en", "es"])
def test_staff_read_where_leads_are_loaded(staff_a, no_leads, language):
    html = _page(staff_a, no_leads, language)
    assert LEADS_STAFF[language] in _summary(html, "new_leads")
    assert {"en": "no leads loaded", "es": "sin leads cargados"}[language] in html
    channels = unescape(http_for(staff_a, language).get("/scorecard/breakdowns/channel/?month=2026-03",
                                                        HTTP_HOST=host_of(no_leads)).content.decode())
    assert LEADS_STAFF[language] in channels, channels


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_client_with_leads_before_keeps_its_real_0(client_user_a, no_leads_in_march, language):
    html = _page(client_user_a, no_leads_in_march, language)
    assert LEADS[language] not in html
    assert '<p class="value">0</p>' in _summary(html, "new_leads")


def test_a_connected_crm_is_a_lead_source_without_any_lead(client_user_a, no_leads):
    """HubSpot connected and synced over March with no contact at all: March's 0 new leads is a fact."""
    from clients.models import Connection, SyncRun

    connection.set_tenant(no_leads)
    hubspot = Connection.objects.create(platform="hubspot", account_id="123")
    SyncRun.objects.create(connection=hubspot, trigger=SyncRun.Trigger.BACKFILL, window_from=dt.date(2025, 3, 1),
                           window_to=dt.date(2026, 3, 31), started_at=dt.datetime(2026, 4, 1, tzinfo=dt.UTC), ok=True)
    connection.set_schema_to_public()
    html = _page(client_user_a, no_leads, "en")
    assert LEADS["en"] not in html and '<p class="value">0</p>' in _summary(html, "new_leads")


def test_a_crm_sync_that_failed_is_no_lead_source(client_user_a, no_leads):
    from clients.models import Connection, SyncRun

    connection.set_tenant(no_leads)
    hubspot = Connection.objects.create(platform="hubspot", account_id="123")
    SyncRun.objects.create(connection=hubspot, trigger=SyncRun.Trigger.BACKFILL, window_from=dt.date(2025, 3, 1),
                           window_to=dt.date(2026, 3, 31), started_at=dt.datetime(2026, 4, 1, tzinfo=dt.UTC), ok=False)
    connection.set_schema_to_public()
    assert LEADS["en"] in _summary(_page(client_user_a, no_leads, "en"), "new_leads")


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_pdf_reads_a_dash_with_the_reason(no_leads, language):
    connection.set_tenant(no_leads)
    text = " ".join(_pdf_text(report_pdf_build(client=no_leads, month=MARCH, language=language)).split())
    assert LEADS[language] in text, text
    assert LEADS_STAFF[language] not in text  # the PDF is the client's
    assert {"en": "0 new leads", "es": "0 leads nuevos"}[language] not in text


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_monthly_email_says_why_new_leads_are_a_dash(client_user_a, no_leads, language):
    from django.core import mail

    from clients.outbox import outbox_send_due
    from reports.services import month_approve

    client_user_a.email, client_user_a.language = "ann@alpha.example", language
    client_user_a.save()
    month_approve(client=no_leads, month=MARCH, user=None, checks_reason="The CRM is connected next month.")
    assert outbox_send_due(client=no_leads) == 1
    body = mail.outbox[0].body
    figures = body[body.index("Key figures" if language == "en" else "Cifras clave") :]
    label = {"en": "New leads", "es": "Leads nuevos"}[language]
    assert f"{label}: — ({LEADS[language]})" in figures, figures
    assert f"{label}: 0" not in figures
    assert {"en": "Sessions: 250", "es": "Sesiones: 250"}[language] in figures


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_draft_says_leads_are_not_recorded_not_that_none_came(no_leads, language):
    from reports.selectors_draft import month_draft_for

    connection.set_tenant(no_leads)
    draft = month_draft_for(client=no_leads, month=MARCH, language=language)
    text = " ".join(draft.text(section) for section in draft.sections)
    assert {"en": "no leads are recorded up to this month", "es": "no hay leads registrados hasta este mes"}[language] \
        in text, text
    assert "no new leads" not in text and "no trajo leads nuevos" not in text, text


def test_the_home_page_verdict_says_leads_are_not_recorded(client_user_a, no_leads):
    from reports.services import month_approve

    month_approve(client=no_leads, month=MARCH, user=None, checks_reason="The CRM is connected next month.")
    html = unescape(http_for(client_user_a, "es").get("/panels/report/", HTTP_HOST=host_of(no_leads)).content.decode())
    assert "no hay leads registrados hasta este mes" in html, html
    assert "0 leads nuevos" not in html


def test_an_approved_version_keeps_the_answer_it_was_approved_with(client_user_a, staff_a, no_leads, write):  # noqa: F811
    """Approved without any lead source: a leads file imported afterwards changes what staff read, not the
    client's approved report, until staff approve the revision."""
    from reports.models import ReportVersion
    from reports.services import month_approve

    month_approve(client=no_leads, month=MARCH, user=None, checks_reason="The CRM is connected next month.")
    connection.set_tenant(no_leads)
    assert ReportVersion.objects.get(month=MARCH).document["report"]["sources_loaded"]["leads"] is False
    assert data_import(kind="leads", path_or_file=write("id,created_at\nx1,2026-01-10T10:00:00Z\n"), client=no_leads).ok
    snapshot_compute(client=no_leads, months=[MARCH])
    connection.set_schema_to_public()
    assert LEADS["en"] in _summary(_page(client_user_a, no_leads, "en"), "new_leads")
    staff_page = _page(staff_a, no_leads, "en")
    assert "No leads loaded" not in _summary(staff_page, "new_leads")  # a lead since January: March's 0 stands


NO_CRITERIA = {  # the no-criteria warning (clients/includes/no_criteria_warning.html)
    "en": ("reads “—”; once leads arrive", "reads 0 or nothing"),
    "es": ("marcan «—»; cuando lleguen leads", "marcan 0 o nada"),
}


def _no_criteria_warning(html: str) -> str:
    return html[html.index('id="no-criteria-warning"') :].split("</div>", 1)[0]


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_no_criteria_warning_says_the_mql_figures_read_a_dash_without_a_lead_source(client_user_a, no_leads, language):
    """Without criteria the MQL figures "read 0 or nothing": of a client with no lead source they read
    "—" (kpis.nodata.leads_loaded), and the warning said 0."""
    dash, zero = NO_CRITERIA[language]
    html = _page(client_user_a, no_leads, language)
    assert dash in _no_criteria_warning(html) and zero not in _no_criteria_warning(html), _no_criteria_warning(html)
    assert "—" in tile(html, "mqls")


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_no_criteria_warning_says_0_of_a_client_with_leads(client_user_a, no_leads_in_march, language):
    dash, zero = NO_CRITERIA[language]
    html = _page(client_user_a, no_leads_in_march, language)
    assert zero in _no_criteria_warning(html) and dash not in _no_criteria_warning(html)
