"""The report's "Paid media" section: a card per platform, the days, the top campaigns, on the
page and in the PDF, in English and Spanish; nothing shown as 0 that is not given."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape

import pypdfium2
import pytest
from django.db import connection
from django.test import Client as HttpClient

from clients.services import data_import
from kpis.services import report_pdf_build, snapshot_compute
from tests.conftest import host_of
from tests.kpis.test_paid_media import MARCH, SPEND, campaigns, write  # noqa: F401 -- fixtures

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid_month(campaigns, write):  # noqa: F811 -- the fixture of the same name
    assert data_import(kind="spend", path_or_file=write(SPEND), client=campaigns).ok
    snapshot_compute(client=campaigns, months=[MARCH])
    connection.set_schema_to_public()
    return campaigns


def page(user, tenant, language="en") -> str:
    user.language = language
    user.save()
    http = HttpClient()
    http.force_login(user)
    response = http.get("/scorecard/?month=2026-03", HTTP_HOST=host_of(tenant))
    assert response.status_code == 200
    return response.content.decode()


def section(html: str) -> str:
    html = unescape(html)
    return html[html.index('data-section="paid-media"') : html.index('class="details-title"')]


def test_the_page_has_a_card_per_platform_with_its_delivery_and_crm_match(client_user_a, paid_month) -> None:
    paid = section(page(client_user_a, paid_month))
    assert re.findall(r'data-platform="(\w+)"', paid) == ["google_ads", "linkedin_ads", "meta_ads", "other_ads"]  # by spend
    google = paid[paid.index('data-platform="google_ads"') : paid.index('data-platform="linkedin_ads"')]
    for text in ("Google Ads", "€150.00", "1,500", "5.0 %", "€2.00", "7.5", "€20.00", "4.00"):
        assert text in google, text
    assert "3 leads reached the CRM for the 7.5 conversions Google Ads claims (40.0 %)" in google
    linkedin = paid[paid.index('data-platform="linkedin_ads"') : paid.index('data-platform="meta_ads"')]
    # LinkedIn's rows give no conversions: a dash with its reason, never 0.
    assert "No platform conversions this month, or the ad platforms do not report them." in linkedin
    assert "files" not in paid  # the agency's files are no words of the client's report
    assert "LinkedIn Ads reports no conversions to compare" in linkedin
    # Two charts, each drawn at three widths (kpis.charts.responsive_svg).
    assert "Ad spend per day" in paid and "Clicks per day" in paid and paid.count("<svg") == 2 * 3
    campaigns_table = paid[paid.index("Top campaigns by spend") :]
    assert [name for name in ("Search", "LinkedIn", "Meta", "Newsletter") if name in campaigns_table] == [
        "Search", "LinkedIn", "Meta", "Newsletter"]
    assert campaigns_table.index("Search") < campaigns_table.index("LinkedIn") < campaigns_table.index("Meta")


STAFF_EMPTY = {
    "en": "No ad platform data for this month: connect Google Ads, Meta or LinkedIn, or import their exports (or a "
          "spend file with a platform column), on the Imports page.",
    "es": "No hay datos de plataformas de anuncios para este mes: conecta Google Ads, Meta o LinkedIn, o importa sus "
          "exportaciones (o un archivo de inversión con la columna de plataforma), en la página Importaciones.",
}
CLIENT_EMPTY = {"en": "No ad platform data for this month.", "es": "No hay datos de plataformas de anuncios para este mes."}
STAFF_FIX = {"en": "connect Google Ads", "es": "conecta Google Ads"}  # the instruction only staff can follow


@pytest.mark.parametrize("language", ["en", "es"])
def test_without_ad_platform_data_a_client_reads_a_client_sentence_and_staff_what_to_do(
    client_user_a, staff_a, in_tenant_a, language
) -> None:
    snapshot_compute(client=in_tenant_a, months=[MARCH])
    connection.set_schema_to_public()
    seen_by_client = section(page(client_user_a, in_tenant_a, language))
    assert CLIENT_EMPTY[language] in seen_by_client and "data-platform" not in seen_by_client
    assert STAFF_FIX[language] not in seen_by_client  # no instruction a client cannot follow
    seen_by_staff = section(page(staff_a, in_tenant_a, language))
    assert STAFF_EMPTY[language] in seen_by_staff and CLIENT_EMPTY[language] not in seen_by_staff


def test_the_pdf_a_client_receives_has_the_client_sentence(in_tenant_a) -> None:
    snapshot_compute(client=in_tenant_a, months=[MARCH])
    for language in ("en", "es"):
        text = " ".join(_pdf_text(report_pdf_build(client=in_tenant_a, month=MARCH, language=language)).split())
        assert CLIENT_EMPTY[language] in text and STAFF_FIX[language] not in text


def test_the_section_in_spanish(client_user_a, paid_month) -> None:
    paid = section(page(client_user_a, paid_month, "es"))
    for text in ("Medios pagados", "Inversión en anuncios por día", "Costo por clic", "Leads en el CRM",
                 "Campañas con más inversión", "150,00\xa0€"):
        assert text in paid, text


def _pdf_text(content: bytes) -> str:
    document = pypdfium2.PdfDocument(content)
    return "\n".join(document[i].get_textpage().get_text_range() for i in range(len(document)))


def test_the_pdf_carries_the_section_with_the_reasons_of_its_dashes(paid_month) -> None:
    connection.set_tenant(paid_month)
    text = _pdf_text(report_pdf_build(client=paid_month, month=dt.date(2026, 3, 1), language="en"))
    assert "Paid media" in text and "Google Ads" in text and "LinkedIn Ads" in text
    assert "No platform conversions this month, or the ad platforms do not report them." in text
    assert "3 leads reached the CRM" in text and "Top campaigns by spend" in text and "Ad spend per day" in text
    spanish = _pdf_text(report_pdf_build(client=paid_month, month=dt.date(2026, 3, 1), language="es"))
    assert "Medios pagados" in spanish and "Leads en el CRM" in spanish
    # The dash's reason in the client's words, not the agency's files.
    assert "files" not in text and "archivos" not in spanish
    assert "o las plataformas no las indican." in " ".join(spanish.split())


def test_the_summary_may_pick_paid_media_kpis(paid_month, client_user_a) -> None:
    paid_month.headline_kpis = ["ad_spend", "ctr", "cpc", "cost_per_conversion", "roas", "new_leads"]
    paid_month.save()
    html = page(client_user_a, paid_month)
    summary = html[html.index('id="summary-title"') : html.index('data-section="paid-media"')]
    assert re.findall(r'data-kpi="(\w+)" data-summary', summary) == paid_month.headline_kpis


def test_a_platform_band_with_its_source_shows_on_that_platforms_card_only(client_user_a, paid_month) -> None:
    from portfolio.models import Benchmark

    Benchmark.objects.create(kpi="ctr", label="Search ads", platform="google_ads", low=0.03, high=0.07, unit="rate",
                             source_name="WordStream search advertising benchmarks")
    Benchmark.objects.create(kpi="cpc", label="All ads", low=1.0, high=3.0, unit="money", currency="EUR",
                             source_name="Agency's own figures")
    paid = section(page(client_user_a, paid_month))
    google = paid[paid.index('data-platform="google_ads"') : paid.index('data-platform="linkedin_ads"')]
    assert "Search ads" in google and "WordStream search advertising benchmarks" in google and "3.0 %–7.0 %" in google
    assert "Search ads" not in paid[paid.index('data-platform="linkedin_ads"') :]  # another platform's card: not its band
    assert "All ads" not in paid  # a band of no platform stays beside the client's figure in the details
    html = unescape(page(client_user_a, paid_month))
    details = html[html.index('class="details-title"') :]
    assert "All ads" in details and "Search ads" not in details
    connection.set_tenant(paid_month)
    text = _pdf_text(report_pdf_build(client=paid_month, month=dt.date(2026, 3, 1), language="en"))
    assert "Google Ads · Click-through rate (ads) · Benchmark · Search ads" in text


def test_the_platform_breakdown_page_csv_and_export(client_user_a, paid_month) -> None:
    import csv
    import io
    import json

    from django.core.management import call_command

    http = HttpClient()
    http.force_login(client_user_a)
    host = host_of(paid_month)
    drill = unescape(http.get("/scorecard/breakdowns/platform/?month=2026-03", HTTP_HOST=host,
                              HTTP_HX_REQUEST="true").content.decode())
    assert "Google Ads" in drill and "Other ad platforms" in drill and "Paid lead match rate" in drill
    rows = list(csv.reader(io.StringIO(http.get("/scorecard/breakdowns/platform/export.csv?month=2026-03",
                                                HTTP_HOST=host).content.decode())))
    assert rows[0][0] == "Ad platform" and "Cost per click" in rows[0]
    google = next(row for row in rows if row[0] == "Google Ads")
    assert google[rows[0].index("Ad spend")] == "€150.00"
    out = io.StringIO()
    call_command("export_snapshot", paid_month.slug, "--month", "2026-03", stdout=out)
    document = json.loads(out.getvalue())
    assert document["kpis"]["cost_per_conversion"] == pytest.approx(190 / 11.5)
    assert document["breakdowns"]["platform"]["linkedin_ads"]["cost_per_conversion"] is None
    assert list(document["breakdowns"]["platform"]["google_ads"])[:3] == ["ad_spend", "impressions", "clicks"]


def test_the_monthly_email_shows_the_paid_media_kpis_staff_chose(paid_month, client_user_a) -> None:
    from django.core import mail

    from clients.outbox import outbox_send_due
    from reports.services import month_approve

    paid_month.headline_kpis = ["ad_spend", "ctr", "cpc", "cost_per_conversion", "roas", "new_leads"]
    paid_month.save()
    client_user_a.email, client_user_a.language = "ann@alpha.example", "es"
    client_user_a.save()
    month_approve(client=paid_month, month=MARCH, user=None)
    assert outbox_send_due(client=paid_month) == 1
    body = mail.outbox[0].body
    for line in ("Inversión en anuncios: 270,00\xa0€", "Costo por clic: 2,00\xa0€", "CTR de los anuncios: 1,6 %"):
        assert line in body, (line, body)


@pytest.fixture
def unlinked_month(in_tenant_a, write):  # noqa: F811 -- the fixture of the same name
    """The ad rows of paid_month, and five CRM leads of March that name no campaign (as HubSpot's connection
    brings them: an original source, no campaign)."""
    from clients.models import Campaign, Lead

    Campaign.objects.bulk_create([
        Campaign(id="g1", name="Search", channel="paid_search"), Campaign(id="m1", name="Meta", channel="paid_social"),
        Campaign(id="li1", name="LinkedIn", channel="paid_social"), Campaign(id="plain", name="Newsletter", channel="email"),
    ])
    at = dt.datetime(2026, 3, 10, 10, tzinfo=dt.UTC)
    Lead.objects.bulk_create([Lead(id=f"h{i}", created_at=at, channel="paid_search") for i in range(5)])
    assert data_import(kind="spend", path_or_file=write(SPEND), client=in_tenant_a).ok
    snapshot_compute(client=in_tenant_a, months=[MARCH])
    connection.set_schema_to_public()
    return in_tenant_a


UNLINKED = {
    "en": ("The CRM's leads name no ad campaign, so none can be matched to the ad campaigns.",
           "Google Ads claims 7.5 conversions. The CRM's 5 new leads of this month cannot be matched to the campaigns "
           "of Google Ads: the CRM records where each lead came from (such as paid search or paid social), not which "
           "ad campaign brought it."),
    "es": ("Los leads del CRM no indican ninguna campaña de anuncios, así que ninguno puede vincularse a las campañas "
           "de anuncios.",
           "Google Ads declara 7,5 conversiones. Los 5 leads nuevos del CRM de este mes no pueden vincularse a las "
           "campañas de Google Ads: el CRM registra de dónde llegó cada lead (por ejemplo, búsqueda de pago o redes "
           "sociales de pago), no qué campaña de anuncios los trajo."),
}


@pytest.mark.parametrize("language", ["en", "es"])
def test_crm_leads_that_name_no_campaign_are_said_unmatched_never_0(client_user_a, unlinked_month, language) -> None:
    reason, sentence = UNLINKED[language]
    paid = section(page(client_user_a, unlinked_month, language))
    google = paid[paid.index('data-platform="google_ads"') : paid.index('data-platform="linkedin_ads"')]
    crm = google[google.index('data-kpi="paid_leads"') :]
    assert crm[crm.index("<dd") : crm.index("</dd>")].count("—") == 1 and reason in crm  # a dash with its reason
    assert sentence in google and "reached the CRM" not in paid
    linkedin = paid[paid.index('data-platform="linkedin_ads"') : paid.index('data-platform="meta_ads"')]
    assert "cannot be" in linkedin or "no pueden" in linkedin  # every platform's card says it
    table = paid[paid.index('id="paid-campaigns-title"') :]
    # The campaigns' leads and cost per lead: not two columns of dashes (never 0) but named once under the
    # table with the same reason.
    leads, cpl = {"en": ("New leads", "Cost per lead"), "es": ("Leads nuevos", "Costo por lead")}[language]
    head = table[: table.index("</thead>")]
    assert f">{leads}<" not in head and f">{cpl}<" not in head and ">0<" not in table[: table.index("</table>")]
    blank = table[table.index("data-blank-columns>") :]
    assert f"{leads}, {cpl}." in blank[: blank.index("</p>")] and reason in blank[: blank.index("</p>")]
    text = " ".join(_pdf_text(report_pdf_build(client=unlinked_month, month=MARCH, language=language)).split())
    assert reason in text
    # On paper the three platforms sit in one table (their conversions in a row): the CRM's leads are said
    # once, naming them all, not three times the same two lines but the name.
    start, end, also = PDF_ONCE[language]
    assert text.count(start) == 1 and sentence not in text, text
    said = text[text.index(start) + len(start) :]
    named = said[: said.index(end)]
    assert all(name in named for name in ("Google Ads", "LinkedIn Ads", "Meta Ads")) and also in named, named
    # The sentence names its platforms: no "Google Ads: Google Ads declara …" under the table.
    assert "Google Ads: Google Ads" not in text and "LinkedIn Ads: LinkedIn Ads" not in text


PDF_ONCE = {
    "en": ("The CRM's 5 new leads of this month cannot be matched to the campaigns of ",
           ": the CRM records where each lead came from", " and "),
    "es": ("Los 5 leads nuevos del CRM de este mes no pueden vincularse a las campañas de ",
           ": el CRM registra de dónde llegó cada lead", " y "),
}


def test_a_month_whose_leads_name_campaigns_keeps_its_counts(client_user_a, paid_month) -> None:
    paid = section(page(client_user_a, paid_month))
    assert "cannot be matched" not in paid and "3 leads reached the CRM" in paid


def test_the_crm_match_kpis_read_unmatched_in_the_details_and_the_summary(client_user_a, unlinked_month) -> None:
    reason = UNLINKED["en"][0]
    unlinked_month.headline_kpis = ["ad_spend", "paid_leads", "paid_lead_match_rate", "cpc", "ctr", "new_leads"]
    unlinked_month.save()
    html = unescape(page(client_user_a, unlinked_month))
    for key in ("paid_leads", "paid_lead_match_rate"):
        summary_tile = html[html.index(f'data-kpi="{key}" data-summary') :]
        assert summary_tile[: summary_tile.index("</article>")].count(reason) == 1
        tile = html[html.index(f'id="kpi-{key}"') :]
        tile = tile[: tile.index("</article>")]
        assert '<p class="value">—</p>' in tile and reason in tile
    new_leads = html[html.index('id="kpi-new_leads"') :]
    assert '<p class="value">5</p>' in new_leads[: new_leads.index("</article>")]  # the CRM's own count stays


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_platform_whose_amounts_were_converted_says_from_what(client_user_a, paid_month, language) -> None:
    """A Mexican client's Google Ads account billed in dollars: its spend shows in the client's
    currency, and beside the platform's own screen it read as a wrong figure, silently. Its card says
    it was converted, from how much of what, at each day's reference rate (docs/sources.md)."""
    from decimal import Decimal

    from django_tenants.utils import schema_context

    from clients.models import Spend

    with schema_context(paid_month.schema_name):  # s1 and s2 (€150) came as $165.50
        Spend.objects.filter(id="s1").update(currency="USD", original_amount=Decimal("110.25"))
        Spend.objects.filter(id="s2").update(currency="USD", original_amount=Decimal("55.25"))
    paid = section(page(client_user_a, paid_month, language))
    google = paid[paid.index('data-platform="google_ads"') : paid.index('data-platform="linkedin_ads"')]
    linkedin = paid[paid.index('data-platform="linkedin_ads"') : paid.index('data-platform="meta_ads"')]
    said = {
        "en": "Amounts converted to EUR at each day's reference rate: 165.50\xa0USD in the platform's currency.",
        "es": "Importes convertidos a EUR al tipo de referencia de cada día: 165,50\xa0USD en la moneda de la plataforma.",
    }[language]
    assert said in google
    assert "converted" not in linkedin and "convertidos" not in linkedin  # its amounts were in euros
    connection.set_tenant(paid_month)  # the PDF says it too, and an approval freezes it
    text = " ".join(_pdf_text(report_pdf_build(client=paid_month, month=MARCH, language=language)).split())
    assert "Google Ads: " + " ".join(said.split()) in text
    from kpis.selectors_scorecard import report_frozen_read

    frozen = report_frozen_read(month=MARCH, document={})
    assert frozen["paid_converted"] == {"google_ads": [["USD", 165.5, 150.0]]}


ROAS_OVER = {
    "en": "ROAS is worked out over the €100.00 of ad spend that reports a conversion value, of €270.00 in all "
          "(no conversion value from LinkedIn Ads, Meta Ads, Other ad platforms).",
    "es": "El ROAS se calcula sobre los 100,00 € de inversión en anuncios que indican un valor de conversión, de "
          "270,00 € en total (sin valor de conversión de LinkedIn Ads, Meta Ads, Otras plataformas de anuncios).",
}


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_roas_over_part_of_the_ad_spend_says_over_which(client_user_a, staff_a, paid_month, language) -> None:
    """Umbrella's November read Ad spend €15,000.15, Conversion value €78,642.90 and ROAS 9.95: a client who
    divides gets 5.24 and calls the figure wrong. Only Google Ads reports a value (its €7,902.80 of spend):
    the tile says so, on the page and in the PDF."""
    html = unescape(page(client_user_a, paid_month, language))
    roas = html[html.index('id="kpi-roas"') :]
    roas = re.sub(r"\s+", " ", roas[: roas.index("</article>")]).replace("\xa0", " ")
    assert ROAS_OVER[language] in roas, roas
    connection.set_tenant(paid_month)
    pdf = re.sub(r"\s+", " ", _pdf_text(report_pdf_build(client=paid_month, month=MARCH, language=language))).replace(
        "\xa0", " ")
    assert ROAS_OVER[language][:40] in pdf
    staff = HttpClient()
    staff.force_login(staff_a)
    connection.set_schema_to_public()
    month = unescape(staff.get("/reports/2026-03/", HTTP_HOST=host_of(paid_month)).content.decode())
    assert "ROAS is worked out over the €100.00" in month.replace("\xa0", " ")  # the staff's month page too
