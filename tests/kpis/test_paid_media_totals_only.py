"""Media spend loaded as totals (spend rows without a platform, as the demo's Acme): the Paid media
section says what is there (the month's media spend) and what is missing (the ad platforms' delivery)
instead of "No ad platform data" beside the spend tiles — on the page for a client and for staff (staff
also get the link to Imports, where platforms are connected or their exports uploaded), in the PDF a
client receives, in English and Spanish: once, in the Paid media section (the details leave out the
empty group's line that would repeat it)."""

from __future__ import annotations

from html import unescape

import pytest
from django.db import connection

from clients.services import data_import
from kpis.services import report_pdf_build, snapshot_compute
from tests.kpis.test_paid_media import MARCH, campaigns, write  # noqa: F401 -- fixtures
from tests.kpis.test_paid_media_report import CLIENT_EMPTY, STAFF_EMPTY, _pdf_text, page, section

pytestmark = pytest.mark.django_db

TOTALS = (
    "id,date,category,amount,campaign\n"
    "t1,2026-03-02,media,41000.5,g1\nt2,2026-03-09,media,658,m1\nt3,2026-03-05,marketing,30,plain\n"
)
CLIENT_SAYS = {  # what is there and what is missing, in the client's words (no "loaded", no "delivery")
    "en": "€41,658.50 of media spend is recorded for this month as a total only, without the ad platforms' "
    "impressions and clicks, so there is nothing to show by platform.",
    "es": "Este mes hay 41\xa0658,50\xa0€ de inversión en medios registrada solo como total, sin las impresiones ni "
    "los clics de las plataformas de anuncios, así que no hay nada que mostrar por plataforma.",
}
# The agency's words, not the client's.
AGENCY_WORDS = {"en": ("spend is loaded", "platforms' delivery"), "es": ("Este mes se han cargado", "entrega de las plataformas")}
STAFF_SAYS = {
    "en": "€41,658.50 of media spend is loaded for this month as totals, without the ad platforms' delivery "
    "(impressions, clicks): connect Google Ads, Meta or LinkedIn, or import their exports.",
    "es": "Este mes se han cargado 41\xa0658,50\xa0€ de inversión en medios como totales, sin la entrega de las "
    "plataformas de anuncios (impresiones, clics): conecta Google Ads, Meta o LinkedIn, o importa sus exportaciones.",
}


@pytest.fixture
def totals_only(campaigns, write):  # noqa: F811 -- the fixture of the same name
    assert data_import(kind="spend", path_or_file=write(TOTALS), client=campaigns).ok
    snapshot_compute(client=campaigns, months=[MARCH])
    connection.set_schema_to_public()
    return campaigns


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_client_reads_what_is_loaded_and_what_is_missing_without_a_link(client_user_a, totals_only, language):
    html = page(client_user_a, totals_only, language)
    paid = section(html)
    assert CLIENT_SAYS[language] in paid, paid
    assert CLIENT_EMPTY[language] not in paid and "/imports/" not in paid and "connect" not in paid.lower()
    assert not any(word in paid for word in AGENCY_WORDS[language]), paid
    # Said once, where the reader looks for paid media: not again in the details.
    assert unescape(html).count(CLIENT_SAYS[language]) == 1
    assert 'data-group="paid_media"' not in html


@pytest.mark.parametrize("language", ["en", "es"])
def test_staff_read_how_to_get_delivery_with_the_link_to_imports(staff_a, totals_only, language):
    html = page(staff_a, totals_only, language)
    paid = section(html)
    assert STAFF_SAYS[language] in paid, paid
    assert STAFF_EMPTY[language] not in paid
    link = 'href="/imports/">' + {"en": "Imports", "es": "Importaciones"}[language] + "</a>"
    assert link in paid, paid
    assert unescape(html).count(STAFF_SAYS[language]) == 1 and 'data-group="paid_media"' not in html


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_pdf_says_what_is_loaded(totals_only, language):
    connection.set_tenant(totals_only)
    text = " ".join(_pdf_text(report_pdf_build(client=totals_only, month=MARCH, language=language)).split())
    assert text.count(" ".join(CLIENT_SAYS[language].split())) == 1, text  # once: not again in the details
    assert CLIENT_EMPTY[language] not in text
    assert " ".join(STAFF_SAYS[language].split()) not in text and "LinkedIn, or" not in text and "LinkedIn, o" not in text
    assert not any(word in text for word in AGENCY_WORDS[language]), text


def test_without_media_spend_the_section_keeps_its_no_data_line(client_user_a, staff_a, in_tenant_a):
    snapshot_compute(client=in_tenant_a, months=[MARCH])
    connection.set_schema_to_public()
    assert CLIENT_EMPTY["en"] in section(page(client_user_a, in_tenant_a))
    assert STAFF_EMPTY["en"] in section(page(staff_a, in_tenant_a))


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_scorecard_csv_says_why_ad_spend_is_0_beside_the_media_spend(client_user_a, totals_only, language):
    """The page hides the empty Paid media group behind its line; the CSV listed "Ad spend €0.00, no change"
    beside €41,658.50 of media spend without a word. Its rows now carry the page's line as their note."""
    import csv
    import io

    from tests.conftest import host_of
    from tests.kpis.test_unmatched_leads_screens import http_for

    content = http_for(client_user_a, language).get("/scorecard/export.csv?month=2026-03",
                                                    HTTP_HOST=host_of(totals_only)).content.decode()
    rows = list(csv.reader(io.StringIO(content)))
    ad_spend = next(r for r in rows if r[-1] == "ad_spend")
    assert ad_spend[2] and ad_spend[-3] == CLIENT_SAYS[language] and ad_spend[-2] == "", ad_spend
    media = next(r for r in rows if r[-1] == "media_spend")
    assert media[-3] == "", media  # a group with figures: no such note
