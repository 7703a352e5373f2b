"""A month with no traffic (or no email) row loaded: its traffic (email) figures read "—" with the
reason on every screen that shows them, in English and Spanish, never "0" and "no change"
(kpis.nodata); a month whose rows add up to 0 sessions keeps its real 0; the stored document keeps
kpis.md's 0; an approved version keeps the answer it was approved with."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
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
TRAFFIC = {  # a client's words: its traffic is "recorded" (as its spend is), loading it is the agency's work
    "en": "No traffic data is recorded for this month: its traffic figures are unknown, not zero.",
    "es": "No hay datos de tráfico registrados para este mes: sus cifras de tráfico son desconocidas, no cero.",
}
TRAFFIC_LOADED = {  # staff's
    "en": "No traffic data loaded for this month: its traffic figures are unknown, not zero.",
    "es": "No se han cargado datos de tráfico para este mes: sus cifras de tráfico son desconocidas, no cero.",
}
EMAIL = {  # a client's words too
    "en": "No email results are recorded for this month: its email figures are unknown, not zero.",
    "es": "No hay resultados de email registrados para este mes: sus cifras de email son desconocidas, no cero.",
}
EMAIL_LOADED = {  # staff's
    "en": "No email results loaded for this month: its email figures are unknown, not zero.",
    "es": "No se han cargado resultados de email para este mes: sus cifras de email son desconocidas, no cero.",
}
TRAFFIC_STAFF = {  # staff are told where the traffic comes from; a client, who cannot import, is not
    "en": TRAFFIC_LOADED["en"] + " Import a traffic file (a GA4 export) or connect GA4 on the Imports page.",
    "es": TRAFFIC_LOADED["es"] + " Importa un archivo de tráfico (una exportación de GA4) o conecta GA4 en la página "
                                 "Importaciones.",
}
EMAIL_STAFF = {
    "en": EMAIL_LOADED["en"] + " Import an email file (a Mailchimp export) or connect Mailchimp on the Imports page.",
    "es": EMAIL_LOADED["es"] + " Importa un archivo de email (una exportación de Mailchimp) o conecta Mailchimp en la página "
                        "Importaciones.",
}
FEBRUARY_TRAFFIC = "date,channel,sessions\n2026-02-03,organic_search,300\n2026-02-04,direct,100\n"
MARCH_ZERO_TRAFFIC = "date,channel,sessions\n2026-03-03,organic_search,0\n"
FEBRUARY_EMAIL = "date,campaign,sent,delivered,unique_opens\n2026-02-05,g1,1000,990,200\n"
SPEND = "id,date,category,amount,campaign\nf1,2026-02-03,media,120,g1\nm1,2026-03-03,media,200,g1\n"


def _client(tenant, write, *, traffic: str = FEBRUARY_TRAFFIC) -> None:  # noqa: F811 -- the fixture of the same name
    """February and March with 4 new leads each; traffic and email rows as given (February's only)."""
    from clients.models import Campaign, Lead

    Campaign.objects.create(id="g1", name="Search", channel="paid_search")
    Lead.objects.bulk_create([
        Lead(id=f"l{month.month}-{i}", created_at=dt.datetime(month.year, month.month, 10, 10, tzinfo=dt.UTC),
             campaign_id="g1")
        for month in (FEBRUARY, MARCH) for i in range(4)
    ])  # fmt: skip
    for kind, rows in (("spend", SPEND), ("traffic", traffic), ("email", FEBRUARY_EMAIL)):
        assert data_import(kind=kind, path_or_file=write(rows), client=tenant).ok
    tenant.headline_kpis = ["sessions", "new_leads", "marketing_spend", "cpl", "emails_sent", "open_rate"]
    tenant.save()
    snapshot_compute(client=tenant, months=[FEBRUARY, MARCH])
    connection.set_schema_to_public()


@pytest.fixture
def no_march_traffic(in_tenant_a, write):  # noqa: F811 -- the fixture of the same name
    _client(in_tenant_a, write)
    return in_tenant_a


@pytest.fixture
def march_traffic_of_zero(in_tenant_a, write):  # noqa: F811 -- the fixture of the same name
    _client(in_tenant_a, write, traffic=FEBRUARY_TRAFFIC + MARCH_ZERO_TRAFFIC.split("\n", 1)[1])
    return in_tenant_a


def _page(user, tenant, language: str, month: str = "2026-03") -> str:
    return unescape(http_for(user, language).get(f"/scorecard/?month={month}", HTTP_HOST=host_of(tenant)).content.decode())


def test_the_stored_document_keeps_kpis_md_0(no_march_traffic):
    from kpis.models import Snapshot

    connection.set_tenant(no_march_traffic)
    kpis = Snapshot.objects.get(month=MARCH).document["kpis"]
    assert kpis["sessions"] == 0 and kpis["emails_sent"] == 0


@pytest.mark.parametrize("language", ["en", "es"])
def test_traffic_and_email_tiles_read_a_dash_with_the_reason(client_user_a, no_march_traffic, language):
    html = _page(client_user_a, no_march_traffic, language)
    # The groups have no figure at all: each says why in one line instead of its tiles.
    for group, reason in (("traffic", TRAFFIC), ("email", EMAIL)):
        line = html[html.index(f'<p class="group-empty" data-group="{group}">') :]
        assert reason[language] in line[: line.index("</p>")], line[:400]
    for key, reason in (("sessions", TRAFFIC), ("emails_sent", EMAIL), ("open_rate", EMAIL)):
        summary = html[html.index(f'data-kpi="{key}" data-summary') :]
        summary = summary[: summary.index("</article>")]
        assert reason[language] in summary and '<p class="value">0</p>' not in summary, summary
        assert "no change" not in summary and "sin cambio" not in summary, summary
    assert TRAFFIC[language] not in tile(html, "new_leads") and '<p class="value">4</p>' in tile(html, "new_leads")
    assert TRAFFIC_STAFF[language] not in html and EMAIL_STAFF[language] not in html  # the client cannot import
    assert TRAFFIC_LOADED[language] not in html  # nor loads: "recorded", as its spend reason says
    assert EMAIL_LOADED[language] not in html
    february = _page(client_user_a, no_march_traffic, language, "2026-02")
    assert TRAFFIC[language] not in february and EMAIL[language] not in february
    assert '<p class="value">400</p>' in tile(february, "sessions")


@pytest.mark.parametrize("language", ["en", "es"])
def test_staff_read_where_the_traffic_and_email_are_imported(staff_a, no_march_traffic, language):
    """Staff read "No traffic data loaded for this month…" and had to know where it comes from: the sentence
    ends with what to do, on the tiles, the groups' line and the drill-down's dashes."""
    html = _page(staff_a, no_march_traffic, language)
    for group, reason in (("traffic", TRAFFIC_STAFF), ("email", EMAIL_STAFF)):
        line = html[html.index(f'<p class="group-empty" data-group="{group}">') :]
        assert reason[language] in line[: line.index("</p>")], line[:400]
    summary = html[html.index('data-kpi="sessions" data-summary') :]
    assert TRAFFIC_STAFF[language] in summary[: summary.index("</article>")]
    channels = unescape(http_for(staff_a, language).get("/scorecard/breakdowns/channel/?month=2026-03",
                                                        HTTP_HOST=host_of(no_march_traffic)).content.decode())
    assert f'title="{TRAFFIC_STAFF[language]}"' in channels


@pytest.mark.parametrize("language", ["en", "es"])
def test_rows_adding_up_to_0_sessions_keep_their_real_0(client_user_a, march_traffic_of_zero, language):
    html = _page(client_user_a, march_traffic_of_zero, language)
    shown = html[html.index('data-kpi="sessions" data-summary') :]
    shown = shown[: shown.index("</article>")]
    assert TRAFFIC[language] not in html and '<p class="value">0</p>' in shown, shown


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_scorecard_csv_has_no_value_and_the_reason(client_user_a, no_march_traffic, language):
    rows = list(csv.reader(io.StringIO(http_for(client_user_a, language).get(
        "/scorecard/export.csv?month=2026-03", HTTP_HOST=host_of(no_march_traffic)).content.decode())))
    assert next((r[2], r[3], r[-2]) for r in rows if r[-1] == "sessions") == ("", "", TRAFFIC[language])
    assert next((r[2], r[3], r[-2]) for r in rows if r[-1] == "emails_sent") == ("", "", EMAIL[language])


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_pdf_reads_a_dash_with_the_reason(no_march_traffic, language):
    connection.set_tenant(no_march_traffic)
    text = " ".join(_pdf_text(report_pdf_build(client=no_march_traffic, month=MARCH, language=language)).split())
    assert TRAFFIC[language] in text and EMAIL[language] in text, text


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_monthly_emails_key_figures_say_why_sessions_are_a_dash(client_user_a, no_march_traffic, language):
    from django.core import mail

    from clients.outbox import outbox_send_due
    from reports.services import month_approve

    client_user_a.email, client_user_a.language = "ann@alpha.example", language
    client_user_a.save()
    month_approve(client=no_march_traffic, month=MARCH, user=None, checks_reason="Traffic is not tracked.")
    assert outbox_send_due(client=no_march_traffic) == 1
    body = mail.outbox[0].body
    figures = body[body.index("Key figures" if language == "en" else "Cifras clave") :]
    label = {"en": "Sessions", "es": "Sesiones"}[language]
    assert f"{label}: — ({TRAFFIC[language]})" in figures, figures
    assert f"{label}: 0" not in figures
    emails = {"en": "Emails sent", "es": "Correos enviados"}[language]
    assert f"{emails}: — ({EMAIL[language]})" in figures, figures  # "recorded", not the agency's "loaded"
    assert TRAFFIC_LOADED[language] not in body and EMAIL_LOADED[language] not in body


def test_an_approved_version_keeps_the_answer_it_was_approved_with(client_user_a, staff_a, no_march_traffic, write):  # noqa: F811
    """Approved without March traffic: a traffic file loaded afterwards changes what staff read, not the
    client's approved report, until staff approve the revision."""
    from reports.models import ReportVersion
    from reports.services import month_approve

    month_approve(client=no_march_traffic, month=MARCH, user=None, checks_reason="Traffic is not tracked.")
    connection.set_tenant(no_march_traffic)
    loaded = ReportVersion.objects.get(month=MARCH).document["report"]["sources_loaded"]
    assert (loaded["traffic"], loaded["email"]) == (False, False)
    assert data_import(kind="traffic", path_or_file=write(MARCH_ZERO_TRAFFIC), client=no_march_traffic).ok
    snapshot_compute(client=no_march_traffic, months=[MARCH])
    connection.set_schema_to_public()
    client_page = _page(client_user_a, no_march_traffic, "en")
    summary = client_page[client_page.index('data-kpi="sessions" data-summary') :]
    assert TRAFFIC["en"] in summary[: summary.index("</article>")]
    staff_page = _page(staff_a, no_march_traffic, "en")
    summary = staff_page[staff_page.index('data-kpi="sessions" data-summary') :]
    assert TRAFFIC_LOADED["en"] not in summary[: summary.index("</article>")]  # the rows now say 0 sessions


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_month_after_one_without_traffic_has_nothing_to_compare(client_user_a, in_tenant_a, write, language):  # noqa: F811
    """Traffic loaded for March only: March's sessions are not a rise "from 0" over February's unknown."""
    _client(in_tenant_a, write, traffic="date,channel,sessions\n2026-03-03,direct,250\n")
    rows = list(csv.reader(io.StringIO(http_for(client_user_a, language).get(
        "/scorecard/export.csv?month=2026-03", HTTP_HOST=host_of(in_tenant_a)).content.decode())))
    row = next(r for r in rows if r[-1] == "sessions")
    assert row[2] == "250" and row[3] == {"en": "nothing to compare", "es": "sin dato para comparar"}[language], row


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_channel_drilldown_and_its_csv_read_no_sessions(client_user_a, no_march_traffic, language):
    http = http_for(client_user_a, language)
    html = unescape(http.get("/scorecard/breakdowns/channel/?month=2026-03",
                             HTTP_HOST=host_of(no_march_traffic)).content.decode())
    assert html.count(f'title="{TRAFFIC[language]}"') >= 2, html  # Paid search's sessions and traffic → lead rate
    rows = list(csv.reader(io.StringIO(http.get("/scorecard/breakdowns/channel/export.csv?month=2026-03",
                                                HTTP_HOST=host_of(no_march_traffic)).content.decode())))
    header, row = rows[0], rows[1]
    assert row[header.index({"en": "Sessions", "es": "Sesiones"}[language])] == "", (header, row)
    assert TRAFFIC[language] in row[-1]


LANDING = {
    "en": "The traffic data of this month names no landing page, so its landing page figures are unknown.",
    "es": "Los datos de tráfico de este mes no indican ninguna landing page, así que sus cifras de landing pages son "
          "desconocidas.",
}


@pytest.mark.parametrize("language", ["en", "es"])
def test_traffic_without_any_landing_page_reads_no_active_landing_pages(client_user_a, in_tenant_a, write, language):  # noqa: F811
    """February's traffic names no landing page (a channel report): "0 active landing pages" is no fact;
    March's names one: its count stands."""
    _client(in_tenant_a, write, traffic=FEBRUARY_TRAFFIC + "2026-03-03,direct,50\n")
    connection.set_tenant(in_tenant_a)
    assert data_import(kind="traffic", client=in_tenant_a, path_or_file=write(
        "date,channel,sessions,form_submissions,landing_page\n2026-03-04,direct,20,2,/offer\n")).ok
    snapshot_compute(client=in_tenant_a, months=[MARCH])
    connection.set_schema_to_public()
    february = _page(client_user_a, in_tenant_a, language, "2026-02")
    for key in ("active_landing_pages", "landing_page_conversion_rate"):
        shown = tile(february, key)
        assert LANDING[language] in shown and '<p class="value">—</p>' in shown, shown
    march = _page(client_user_a, in_tenant_a, language)
    assert LANDING[language] not in _without_hovers(march) and '<p class="value">1</p>' in tile(march, "active_landing_pages")


@pytest.mark.parametrize("language", ["en", "es"])
def test_what_changed_and_the_draft_name_no_fall_of_sessions_to_an_unknown(client_user_a, no_march_traffic, language):
    """February had 400 sessions, March has no traffic row: no "Sessions −100 %" (the leads still move)."""
    from reports.selectors_draft import month_draft_for

    html = _page(client_user_a, no_march_traffic, language)
    changed = html[html.index('class="what-changed"') :]
    changed = changed[: changed.index("</section>")]
    assert "-100" not in changed and {"en": "Sessions", "es": "Sesiones"}[language] not in changed, changed
    connection.set_tenant(no_march_traffic)
    draft = month_draft_for(client=no_march_traffic, month=MARCH, language=language)
    text = " ".join(draft.text(section) for section in draft.sections)
    assert "-100" not in text and "−100" not in text, text


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_portfolio_shows_sessions_of_a_month_without_traffic_as_a_dash(admin_user, no_march_traffic, language):
    from django.test import Client as HttpClient

    from kpis.portfolio import portfolio_rows, target_summary
    from portfolio.models import ClientMonthSummary

    summaries = ClientMonthSummary.objects.filter(client=no_march_traffic)
    assert (summaries.get(month=MARCH).has_traffic, summaries.get(month=FEBRUARY).has_traffic) == (False, True)
    admin_user.language = language
    admin_user.save()
    http = HttpClient()
    http.force_login(admin_user)
    html = unescape(http.get("/portfolio/?month=2026-03", HTTP_HOST=host_of(None), HTTP_HX_REQUEST="true").content.decode())
    row = html[html.index(f">{no_march_traffic.name}</a>") :]
    row = row[: row.index("</tr>")]
    assert row.count(f'title="{TRAFFIC_STAFF[language]}"') == 1, row  # the console is the agency's
    assert {"en": "no traffic loaded", "es": "sin tráfico cargado"}[language] in row
    client = next(c for c in portfolio_rows(user=admin_user, month=MARCH, sort="sessions") if c.pk == no_march_traffic.pk)
    assert client.sessions == 0 and target_summary(client, {"sessions": 100.0})["missed"] == []


def test_the_portfolio_keeps_a_real_0_of_sessions(march_traffic_of_zero):
    from portfolio.models import ClientMonthSummary

    assert ClientMonthSummary.objects.get(client=march_traffic_of_zero, month=MARCH).has_traffic is True


def _without_hovers(html: str) -> str:
    """The page without the hovers of its "nothing to compare" changes, and the line that says them under
    the change, which name the comparison month's own reason ("In February 2026: …",
    kpis.scorecard.Scorecard.compared_why)."""
    html = re.sub(r'<(p|small) class="why change-why">(?:In|En) [^<]*</(?:p|small)>', "", html)  # and said under it
    return re.sub(r' title="(?:In|En) [^"]*"', "", html)
