"""A CRM that sends no first-contact time (HubSpot through its API): the speed-to-lead figures read "—"
with the reason on every screen that shows them, in English and Spanish, never "100 % not contacted"
(kpis.nocontact); export_snapshot keeps kpis.md's values and names them; a client whose CRM does send
the time keeps its 100 %; activities (the lead's own actions) supply no first contact; an approved
version keeps the answer it was approved with."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from html import unescape

import pytest
from django.core.management import call_command
from django.db import connection

from kpis.services import report_pdf_build, snapshot_compute
from tests.conftest import host_of
from tests.kpis.test_paid_media_report import _pdf_text
from tests.kpis.test_unmatched_leads_screens import http_for, tile

pytestmark = pytest.mark.django_db

JANUARY, FEBRUARY, MARCH = dt.date(2026, 1, 1), dt.date(2026, 2, 1), dt.date(2026, 3, 1)
REASON = {  # what a client reads: what the dash means, not how the agency fixes its data
    "en": "No first-contact time is recorded for these leads, so the time to first contact is unknown, not "
    "“never contacted”.",
    "es": "No hay hora de primer contacto registrada para estos leads, así que el tiempo hasta el primer contacto es "
    "desconocido, no «nunca contactados».",
}
STAFF_REASON = {  # what staff read at the client's address (and export_snapshot writes): how to fix it
    "en": "The CRM sends no first-contact time for these leads, so the time to first contact is unknown, not "
    "“never contacted”. It is shown once the leads are imported with their first-contact date.",
    "es": "El CRM no envía la hora del primer contacto de estos leads, así que el tiempo hasta el primer contacto es "
    "desconocido, no «nunca contactados». Se mostrará cuando los leads se importen con su fecha de primer contacto.",
}
# The instruction a client never reads (it cannot import).
FIX = {"en": "imported", "es": "se importen"}
SPEED = ("median_response_hours", "p90_response_hours", "contacted_within_4h_share", "uncontacted_share")


def _client(tenant, *, contacted_in_january: bool = False, activities: bool = False) -> None:
    """February and March with 4 new leads each, none with a first-contact time; ``contacted_in_january``:
    a January lead was first contacted (the CRM sends the time); ``activities``: each March lead asked to
    be contacted (contact_request) and was emailed (email_click)."""
    from clients.models import Activity, Lead

    leads = []
    for month in (FEBRUARY, MARCH):
        at = dt.datetime(month.year, month.month, 10, 10, tzinfo=dt.UTC)
        leads += [Lead(id=f"l{month.month}-{i}", created_at=at) for i in range(4)]
    if contacted_in_january:
        at = dt.datetime(2026, 1, 12, 9, tzinfo=dt.UTC)
        leads.append(Lead(id="j1", created_at=at, first_contacted_at=at + dt.timedelta(hours=2)))
    Lead.objects.bulk_create(leads)
    if activities:
        Activity.objects.bulk_create(
            Activity(id=f"a{lead.id}-{action}", lead=lead, occurred_at=lead.created_at + dt.timedelta(hours=1), action=action)
            for lead in leads
            if lead.created_at.month == 3
            for action in ("contact_request", "email_click")
        )
    tenant.headline_kpis = ["new_leads", "uncontacted_share", "contacted_within_4h_share", "median_response_hours",
                            "mqls", "sessions"]
    tenant.save()
    snapshot_compute(client=tenant, months=[JANUARY, FEBRUARY, MARCH])
    connection.set_schema_to_public()


@pytest.fixture
def no_contact(in_tenant_a):
    _client(in_tenant_a, activities=True)
    return in_tenant_a


@pytest.fixture
def contact_sent(in_tenant_a):
    _client(in_tenant_a, contacted_in_january=True)
    return in_tenant_a


def _page(user, tenant, language: str, month: str = "2026-03") -> str:
    return unescape(http_for(user, language).get(f"/scorecard/?month={month}", HTTP_HOST=host_of(tenant)).content.decode())


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_speed_to_lead_tiles_read_a_dash_with_the_reason(client_user_a, no_contact, language):
    html = _page(client_user_a, no_contact, language)
    for key in SPEED:
        shown = tile(html, key)
        assert REASON[language] in shown and '<p class="value">—</p>' in shown, shown
        assert ">100,0 %<" not in shown and ">100.0 %<" not in shown and ">0.0 %<" not in shown, shown
    assert REASON[language] not in tile(html, "new_leads") and '<p class="value">4</p>' in tile(html, "new_leads")


@pytest.mark.parametrize("language", ["en", "es"])
def test_staff_read_how_to_get_the_times_and_a_client_what_the_dash_means(client_user_a, staff_a, no_contact,
                                                                          language):
    """Staff at the client's address read the fix (import the first-contact dates) on the tiles; the client's
    page, CSV and PDF the plain sentence, never the instruction."""
    staff_page, client_page = _page(staff_a, no_contact, language), _page(client_user_a, no_contact, language)
    for key in SPEED:
        assert STAFF_REASON[language] in tile(staff_page, key), tile(staff_page, key)
        assert REASON[language] in tile(client_page, key)
    assert FIX[language] not in client_page and REASON[language] not in staff_page
    csv_text = http_for(client_user_a, language).get("/scorecard/export.csv?month=2026-03",
                                                     HTTP_HOST=host_of(no_contact)).content.decode()
    assert REASON[language] in csv_text and FIX[language] not in csv_text
    connection.set_tenant(no_contact)
    pdf = " ".join(_pdf_text(report_pdf_build(client=no_contact, month=MARCH, language=language)).split())
    assert " ".join(REASON[language].split()) in pdf and FIX[language] not in pdf


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_crm_that_sends_the_time_keeps_its_100_percent(client_user_a, contact_sent, language):
    html = _page(client_user_a, contact_sent, language)
    assert REASON[language] not in html
    assert ("100,0 %" if language == "es" else "100.0 %") in tile(html, "uncontacted_share")


def test_a_month_before_the_first_contact_time_reads_a_dash_and_one_after_keeps_its_figure(client_user_a, staff_a,
                                                                                           in_tenant_a):
    """The CRM sends the time from March on: February (none up to its end) reads —, January keeps its fact."""
    from clients.models import Lead

    _client(in_tenant_a)
    connection.set_tenant(in_tenant_a)
    Lead.objects.filter(id="l3-0").update(first_contacted_at=dt.datetime(2026, 3, 10, 11, tzinfo=dt.UTC))
    snapshot_compute(client=in_tenant_a, months=[MARCH])
    connection.set_schema_to_public()
    assert REASON["en"] in tile(_page(client_user_a, in_tenant_a, "en", "2026-02"), "uncontacted_share")
    march = _page(client_user_a, in_tenant_a, "en")
    assert REASON["en"] not in _without_hovers(march) and "75.0 %" in tile(march, "uncontacted_share")
    assert f'title="In February 2026: {REASON["en"]}"' in march  # why there is nothing to compare against
    assert f'title="In February 2026: {STAFF_REASON["en"]}"' in _page(staff_a, in_tenant_a, "en")  # staff: the fix


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_scorecard_csv_has_no_value_and_the_reason(client_user_a, no_contact, language):
    rows = list(csv.reader(io.StringIO(http_for(client_user_a, language).get(
        "/scorecard/export.csv?month=2026-03", HTTP_HOST=host_of(no_contact)).content.decode())))
    for key in SPEED:
        row = next(r for r in rows if r[-1] == key)
        assert (row[2], row[3], row[-2]) == ("", "", REASON[language]), row


def test_export_snapshot_keeps_kpis_md_values_and_names_the_speed_figures(no_contact):
    out = io.StringIO()
    call_command("export_snapshot", no_contact.slug, "--month", "2026-03", stdout=out)
    document = json.loads(out.getvalue())
    assert document["kpis"]["uncontacted_share"] == 1 and document["kpis"]["contacted_within_4h_share"] == 0
    note = document["first_contact_not_sent"]
    assert note["reason"] == STAFF_REASON["en"] and set(note["figures"]) == set(SPEED)  # the agency's file


def test_export_snapshot_of_a_client_whose_crm_sends_the_time_names_none(contact_sent):
    out = io.StringIO()
    call_command("export_snapshot", contact_sent.slug, "--month", "2026-03", stdout=out)
    assert json.loads(out.getvalue())["first_contact_not_sent"] is None


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_pdf_reads_a_dash_with_the_reason(no_contact, language):
    connection.set_tenant(no_contact)
    text = " ".join(_pdf_text(report_pdf_build(client=no_contact, month=MARCH, language=language)).split())
    assert " ".join(REASON[language].split()) in text
    summary = text[: text.index({"en": "Funnel", "es": "Embudo"}[language])]
    assert "100,0 %" not in summary and "100.0 %" not in summary and "0 % 25 % 50 %" not in summary, summary  # no empty chart


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_monthly_email_says_why_speed_to_lead_is_a_dash(client_user_a, no_contact, language):
    from django.core import mail

    from clients.outbox import outbox_send_due
    from reports.services import month_approve

    client_user_a.email, client_user_a.language = "ann@alpha.example", language
    client_user_a.save()
    month_approve(client=no_contact, month=MARCH, user=None)
    assert outbox_send_due(client=no_contact) == 1
    message = mail.outbox[0]
    body = message.body
    figures = body[body.index("Key figures" if language == "en" else "Cifras clave") :]
    label = {"en": "Not contacted", "es": "Sin contactar"}[language]
    assert f"{label}: — ({REASON[language]})" in figures, figures
    assert "100,0 %" not in figures and "100.0 %" not in figures
    html = unescape(message.alternatives[0][0])
    assert html.count(REASON[language]) >= 3  # not contacted, within 4 h, median
    assert FIX[language] not in body and FIX[language] not in html  # the client cannot import


def test_an_approved_version_keeps_the_answer_it_was_approved_with(client_user_a, staff_a, no_contact):
    """Approved without first-contact times: times loaded afterwards change what staff read, not the
    client's approved report, until staff approve the revision; the revision's diff reads the "—"."""
    from clients.models import Lead
    from kpis.models import Snapshot
    from reports.diff import figures_diff
    from reports.models import ReportVersion
    from reports.services import month_approve

    month_approve(client=no_contact, month=MARCH, user=None)
    connection.set_tenant(no_contact)
    assert ReportVersion.objects.get(month=MARCH).document["report"]["has_contact_times"] is False
    Lead.objects.filter(id="l3-0").update(first_contacted_at=dt.datetime(2026, 3, 10, 11, tzinfo=dt.UTC))
    snapshot_compute(client=no_contact, months=[MARCH])
    connection.set_schema_to_public()
    assert REASON["en"] in tile(_page(client_user_a, no_contact, "en"), "uncontacted_share")
    staff_page = _page(staff_a, no_contact, "en")
    assert REASON["en"] not in _without_hovers(tile(staff_page, "uncontacted_share"))
    assert "75.0 %" in tile(staff_page, "uncontacted_share")
    connection.set_tenant(no_contact)
    version, snapshot = ReportVersion.objects.get(month=MARCH), Snapshot.objects.get(month=MARCH)
    lines = {line["key"]: line for line in figures_diff(version.document, snapshot.document, currency="EUR")}
    assert (lines["uncontacted_share"]["before"], lines["uncontacted_share"]["after"]) == ("—", "75.0 %")



def test_the_draft_writes_nothing_of_speed_to_lead(no_contact):
    """Nothing to contradict the dash: the draft's sentences name the pipeline and its costs (kpis.draft's
    DRAFT_KPIS, headline and target lines), never the time to first contact, even with a target on it."""
    from portfolio.models import Target
    from reports.selectors_draft import month_draft_for

    Target.objects.create(client=no_contact, month=MARCH, kpi="uncontacted_share", value=0.2)
    connection.set_tenant(no_contact)
    draft = month_draft_for(client=no_contact, month=MARCH, language="en")
    text = " ".join(draft.text(section) for section in draft.sections)
    assert "100.0 %" not in text and "contact" not in text.lower(), text


def _without_hovers(html: str) -> str:
    """The page without the hovers of its "nothing to compare" changes, and the line that says them under
    the change, which name the comparison month's own reason ("In February 2026: …",
    kpis.scorecard.Scorecard.compared_why)."""
    html = re.sub(r'<(p|small) class="why change-why">(?:In|En) [^<]*</(?:p|small)>', "", html)  # and said under it
    return re.sub(r' title="(?:In|En) [^"]*"', "", html)
