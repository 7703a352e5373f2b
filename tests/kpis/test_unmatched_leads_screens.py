"""A month whose CRM leads name no campaign (HubSpot through its API): every screen and export that
carries paid leads, a platform's or a campaign's CRM leads or the paid lead match rate agrees with the
report — "—" with the reason, never 0 — in English and Spanish (kpis.unmatched)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from html import unescape

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client as HttpClient

from clients.services import data_import
from kpis.breakdowns_shown import drilldown_tables
from kpis.services import report_pdf_build, snapshot_compute
from tests.conftest import host_of
from tests.kpis.test_paid_media import MARCH, SPEND, write  # noqa: F401 -- fixtures
from tests.kpis.test_paid_media_report import UNLINKED, _pdf_text

pytestmark = pytest.mark.django_db

FEBRUARY = dt.date(2026, 2, 1)
# February: Google Ads' Search campaign, and 4 CRM leads that name it (a CSV import with a campaign).
FEBRUARY_SPEND = """id,date,category,amount,campaign,note,platform,impressions,clicks,conversions,conversion_value
f1,2026-02-03,media,120,g1,,google_ads,1200,60,8,300
"""
COLUMN = {"en": "Why there is no value", "es": "Por qué no hay valor"}
LEADS_COLUMN = {"en": "Paid leads", "es": "Leads de pago"}


def _months(tenant, write, *, linked: dt.date) -> None:  # noqa: F811 -- the fixture of the same name
    """February and March of Google Ads' Search campaign: in the month ``linked`` 4 CRM leads name it (a
    CSV import with a campaign); in the other, 5 leads bring a channel and no campaign, as HubSpot's
    connection brings them (0 paid leads in kpis.md's terms)."""
    from clients.models import Campaign, Lead

    Campaign.objects.bulk_create([
        Campaign(id="g1", name="Search", channel="paid_search"), Campaign(id="m1", name="Meta", channel="paid_social"),
        Campaign(id="li1", name="LinkedIn", channel="paid_social"), Campaign(id="plain", name="Newsletter", channel="email"),
    ])  # fmt: skip
    leads = []
    for month in (FEBRUARY, MARCH):
        at = dt.datetime(month.year, month.month, 10, 10, tzinfo=dt.UTC)
        if month == linked:
            leads += [Lead(id=f"l{month.month}-{i}", created_at=at, campaign_id="g1") for i in range(4)]
        else:
            leads += [Lead(id=f"h{month.month}-{i}", created_at=at, channel="paid_search") for i in range(5)]
    Lead.objects.bulk_create(leads)
    for text in (FEBRUARY_SPEND, SPEND):
        assert data_import(kind="spend", path_or_file=write(text), client=tenant).ok
    snapshot_compute(client=tenant, months=[FEBRUARY, MARCH])
    connection.set_schema_to_public()


@pytest.fixture
def linked_then_unlinked(in_tenant_a, write):  # noqa: F811 -- the fixture of the same name
    _months(in_tenant_a, write, linked=FEBRUARY)
    return in_tenant_a


@pytest.fixture
def unlinked_then_linked(in_tenant_a, write):  # noqa: F811 -- the fixture of the same name
    _months(in_tenant_a, write, linked=MARCH)
    return in_tenant_a


def http_for(user, language: str) -> HttpClient:
    user.language = language
    user.save()
    http = HttpClient()
    http.force_login(user)
    return http


def tile(html: str, key: str) -> str:
    found = html[html.index(f'id="kpi-{key}"') :]
    return found[: found.index("</article>")]


NOT_SHOWN = {"en": "Not shown, as there is no value for any ad platform this month: ",  # the platform breakdown's
             "es": "No se muestran, porque no hay valor para ninguna plataforma de anuncios este mes: "}


def _note(html: str) -> str:
    """The line under a drill-down naming the columns it leaves out, and why."""
    found = html[html.index("data-blank-columns>") + len("data-blank-columns>") :]
    return found[: found.index("</p>")]


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_platform_drilldown_page_leaves_out_the_unmatched_leads_with_the_reason_not_0(
    client_user_a, linked_then_unlinked, language
):
    """Every platform's paid leads, cost per lead, MQLs and match rate are unknown in March (its CRM leads
    name no campaign): not four columns of "—" and never 0, but named once under the table with why."""
    reason = UNLINKED[language][0]
    http = http_for(client_user_a, language)
    host = host_of(linked_then_unlinked)
    html = unescape(http.get("/scorecard/breakdowns/platform/?month=2026-03", HTTP_HOST=host).content.decode())
    google = html[html.index('<th scope="row">Google Ads</th>') :]
    google = google[: google.index("</tr>")]
    assert f'data-label="{LEADS_COLUMN[language]}"' not in google and ">0<" not in google, google
    note = _note(html)
    assert note.startswith(NOT_SHOWN[language] + LEADS_COLUMN[language]) and reason in note, note
    # The month before, whose leads named their campaign, keeps its count.
    february = unescape(http.get("/scorecard/breakdowns/platform/?month=2026-02", HTTP_HOST=host).content.decode())
    assert reason not in february and f'data-label="{LEADS_COLUMN[language]}"' in february


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_campaign_drilldown_leaves_out_its_leads_with_the_reason(client_user_a, linked_then_unlinked, language):
    reason = UNLINKED[language][0]
    http = http_for(client_user_a, language)
    html = unescape(http.get("/scorecard/breakdowns/campaign/?month=2026-03&sort=new_leads&dir=desc",
                             HTTP_HOST=host_of(linked_then_unlinked)).content.decode())
    search = html[html.index('<th scope="row">Search</th>') :]
    search = search[: search.index("</tr>")]
    assert ">0<" not in search and reason in _note(html), search


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_platform_csv_leaves_the_cells_empty_and_says_why(client_user_a, linked_then_unlinked, language):
    reason = UNLINKED[language][0]
    http = http_for(client_user_a, language)
    rows = list(csv.reader(io.StringIO(http.get("/scorecard/breakdowns/platform/export.csv?month=2026-03",
                                                HTTP_HOST=host_of(linked_then_unlinked)).content.decode())))
    header, google = rows[0], next(row for row in rows if row[0] == "Google Ads")
    assert header[-1] == COLUMN[language]
    assert google[header.index(LEADS_COLUMN[language])] == ""  # not "0"
    assert google[-1].startswith(f"{LEADS_COLUMN[language]}, ") and google[-1].endswith(reason), google[-1]
    linkedin = next(row for row in rows if row[0] == "LinkedIn Ads")  # its other dashes keep their own reason
    assert reason in linkedin[-1] and linkedin[-1].count(": ") == 2, linkedin[-1]
    february = list(csv.reader(io.StringIO(http.get("/scorecard/breakdowns/platform/export.csv?month=2026-02",
                                                    HTTP_HOST=host_of(linked_then_unlinked)).content.decode())))
    google = next(row for row in february if row[0] == "Google Ads")
    assert google[february[0].index(LEADS_COLUMN[language])] == "4" and google[-1] == ""


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_scorecard_csv_has_no_value_and_the_reason(client_user_a, linked_then_unlinked, language):
    reason = UNLINKED[language][0]
    http = http_for(client_user_a, language)
    rows = list(csv.reader(io.StringIO(http.get("/scorecard/export.csv?month=2026-03",
                                                HTTP_HOST=host_of(linked_then_unlinked)).content.decode())))
    for key in ("paid_leads", "paid_lead_match_rate"):
        row = next(r for r in rows if r[-1] == key)
        assert (row[2], row[3], row[-2]) == ("", "", reason), row  # no value, no change from February's 4


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_month_after_an_unmatched_one_shows_no_change_against_its_0(client_user_a, unlinked_then_linked, language):
    """March's 4 linked paid leads against February's unmatched 0 would read "+4" (and the summary's
    chart would draw February at 0): no change, and no point for February."""
    http = http_for(client_user_a, language)
    unlinked_then_linked.headline_kpis = ["ad_spend", "paid_leads", "paid_lead_match_rate", "cpc", "ctr", "new_leads"]
    unlinked_then_linked.save()
    march = unescape(http.get("/scorecard/?month=2026-03", HTTP_HOST=host_of(unlinked_then_linked)).content.decode())
    shown = tile(march, "paid_leads")
    assert '<p class="value">4</p>' in shown and "+4" not in shown, shown
    assert "+4" not in tile(march, "paid_lead_match_rate") and "pp" not in tile(march, "paid_lead_match_rate")
    summary = march[march.index('data-kpi="paid_leads" data-summary') :]
    summary = summary[: summary.index("</article>")]
    assert "+4" not in summary
    rows = list(csv.reader(io.StringIO(http.get("/scorecard/export.csv?month=2026-03",
                                                HTTP_HOST=host_of(unlinked_then_linked)).content.decode())))
    row = next(r for r in rows if r[-1] == "paid_leads")
    assert (row[2], row[3]) == ("4", {"en": "nothing to compare", "es": "sin dato para comparar"}[language]), row
    # The drivers ("What changed") never split the leads by campaign across the two months.
    if 'class="what-changed"' in march:
        changed = march[march.index('class="what-changed"') :]
        assert "Search" not in changed[: changed.index("</section>")]


def test_export_snapshot_keeps_kpis_md_values_and_names_the_unmatched_figures(linked_then_unlinked):
    out = io.StringIO()
    call_command("export_snapshot", linked_then_unlinked.slug, "--month", "2026-03", stdout=out)
    document = json.loads(out.getvalue())
    assert document["kpis"]["paid_leads"] == 0 and document["kpis"]["paid_lead_match_rate"] == 0  # kpis.md's count
    note = document["crm_leads_unmatched"]
    assert note["new_leads"] == 5 and note["reason"] == UNLINKED["en"][0]
    assert note["figures"]["kpis"] == ["paid_leads", "paid_lead_match_rate"]
    assert note["figures"]["platform"]["google_ads"] == ["paid_leads", "cpl", "mqls", "paid_lead_match_rate"]
    assert "new_leads" in note["figures"]["campaign"]["g1"]
    out = io.StringIO()
    call_command("export_snapshot", linked_then_unlinked.slug, "--month", "2026-02", stdout=out)
    february = json.loads(out.getvalue())
    assert february["crm_leads_unmatched"] is None and february["kpis"]["paid_leads"] == 4


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_pdf_breakdowns_say_unmatched_too(linked_then_unlinked, language):
    from django.utils import translation

    from kpis.models import Snapshot

    reason = UNLINKED[language][0]
    connection.set_tenant(linked_then_unlinked)
    snapshot = Snapshot.objects.get(month=MARCH)
    with translation.override(language):
        tables = {t["dimension"]: t for t in drilldown_tables(snapshot, currency="EUR", names={})}
        platform = tables["platform"]
        google = next(row for row in platform["rows"] if row["member"] == "Google Ads")
        assert "0" not in [c["text"] for c in google["cells"]] and LEADS_COLUMN[language] not in platform["columns"]
        assert platform["blank_note"].startswith(NOT_SHOWN[language]) and reason in platform["blank_note"]
        connection.set_schema_to_public()
        text = " ".join(_pdf_text(report_pdf_build(client=linked_then_unlinked, month=MARCH, language=language)).split())
    breakdowns = text[text.rindex("Ad platform" if language == "en" else "Plataforma de anuncios") :]
    assert reason in breakdowns and NOT_SHOWN[language] + LEADS_COLUMN[language] in breakdowns


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_monthly_emails_text_and_html_give_every_dash_its_reason(client_user_a, linked_then_unlinked, language):
    """The plain-text part printed "Paid leads: —" with nothing after it: every undefined KPI says why,
    in the words the report's summary (page, PDF) uses."""
    from django.core import mail

    from clients.outbox import outbox_send_due
    from reports.services import month_approve

    linked_then_unlinked.headline_kpis = ["ad_spend", "paid_leads", "paid_lead_match_rate", "cost_per_mql", "cpc", "new_leads"]
    linked_then_unlinked.save()
    client_user_a.email, client_user_a.language = "ann@alpha.example", language
    client_user_a.save()
    month_approve(client=linked_then_unlinked, month=MARCH, user=None)
    assert outbox_send_due(client=linked_then_unlinked) == 1
    message = mail.outbox[0]
    body = message.body
    figures = body[body.index("Key figures" if language == "en" else "Cifras clave") :].splitlines()
    dashes = [line for line in figures if ": —" in line]
    assert len(dashes) >= 3, figures  # paid leads, match rate, cost per MQL (no MQL this month)
    for line in dashes:
        assert line.endswith(")") and " — (" in line, line
    assert f"{LEADS_COLUMN[language]}: — ({UNLINKED[language][0]})" in body
    html = unescape(message.alternatives[0][0])
    assert html.count(UNLINKED[language][0]) == 2  # paid leads and the match rate, under their labels
