"""A HubSpot-like client in a real browser at 1440 and 390 px, in Spanish and English, and its PDF pages:
speed to lead reads "—" with the reason (kpis.nocontact), a revenue after a month of none reads "up
from 0" (not a blank change), and Paid media says what media spend is loaded and what delivery is
missing — the client without, staff with the link to Imports; nothing scrolling sideways (screenshots
a person looks at)."""

from __future__ import annotations

import datetime as dt

import pypdfium2
import pytest
from django_tenants.utils import schema_context

from clients.models import Campaign, Lead, Spend
from kpis.services import report_pdf_build, snapshot_compute
from tests.browser.conftest import ARTIFACTS, new_page, screenshot, sign_in_home
from tests.browser.test_report import _no_overflow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
FEBRUARY, MARCH = dt.date(2026, 2, 1), dt.date(2026, 3, 1)
SAYS = {
    "es": {
        "contact": "No hay hora de primer contacto registrada para estos leads",  # the client's, not how to import
        "up": "sube desde 0",
        "paid_client": "Este mes hay 8\xa0400,00\xa0€ de inversión en medios registrada solo como total",
        "paid_staff": "conecta Google Ads, Meta o LinkedIn, o importa sus exportaciones.",
        "imports": "Importaciones",
    },
    "en": {
        "contact": "No first-contact time is recorded for these leads",
        "up": "up from 0",
        "paid_client": "€8,400.00 of media spend is recorded for this month as a total only",
        "paid_staff": "connect Google Ads, Meta or LinkedIn, or import their exports.",
        "imports": "Imports",
    },
}


@pytest.fixture
def hubspot_like(tenants):
    alpha = tenants["alpha"]
    with schema_context("alpha"):
        Campaign.objects.create(id="brand", name="Búsqueda de marca", channel="paid_search")
        leads = []
        for month in (FEBRUARY, MARCH):
            at = dt.datetime(month.year, month.month, 12, 10, tzinfo=dt.UTC)
            leads += [Lead(id=f"l{month.month}-{i}", created_at=at, campaign_id="brand") for i in range(9)]
        leads[-1].customer_at, leads[-1].deal_value = dt.datetime(2026, 3, 20, tzinfo=dt.UTC), 4800
        Lead.objects.bulk_create(leads)
        Spend.objects.bulk_create([
            Spend(id="f", date=FEBRUARY, category="media", amount=7900, campaign_id="brand"),
            Spend(id="m", date=MARCH, category="media", amount=8400, campaign_id="brand"),
        ])
    alpha.headline_kpis = ["new_leads", "revenue", "uncontacted_share", "contacted_within_4h_share", "media_spend", "cpl"]
    alpha.save()
    snapshot_compute(client=alpha, months=[FEBRUARY, MARCH])
    return alpha


@pytest.mark.parametrize("language", ["es", "en"])
@pytest.mark.parametrize("width", [1440, 390])
def test_the_client_reads_the_reasons(browser, portal, client_user_a, hubspot_like, width, language) -> None:
    client_user_a.language = language
    client_user_a.save()
    context, page = new_page(browser, locale=language, viewport={"width": width, "height": 1000})
    try:
        sign_in_home(page, portal.client("alpha"), client_user_a.username)
        page.goto(portal.client("alpha") + "/scorecard/?month=2026-03")
        says = SAYS[language]
        assert says["contact"] in page.locator('[data-kpi="uncontacted_share"][data-summary]').inner_text()
        assert says["up"] in page.locator('[data-kpi="revenue"][data-summary]').inner_text()
        paid = page.locator('[data-section="paid-media"]')
        assert says["paid_client"] in paid.inner_text() and says["imports"] not in paid.inner_text()
        _no_overflow(page)
        screenshot(page, f"reasons-report-{language}-{width}")
        page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        page.locator("#kpi-uncontacted_share").scroll_into_view_if_needed()
        _no_overflow(page)
        screenshot(page, f"reasons-tiles-{language}-{width}")
    finally:
        context.close()


@pytest.mark.parametrize("width", [1440, 390])
def test_staff_read_how_to_get_delivery_with_the_link(browser, portal, staff_a, hubspot_like, width) -> None:
    staff_a.language = "es"
    staff_a.save()
    context, page = new_page(browser, locale="es-ES", viewport={"width": width, "height": 1000})
    try:
        sign_in_home(page, portal.client("alpha"), staff_a.username)
        page.goto(portal.client("alpha") + "/scorecard/?month=2026-03")
        paid = page.locator('[data-section="paid-media"]')
        assert SAYS["es"]["paid_staff"] in paid.inner_text()
        link = paid.get_by_role("link", name=SAYS["es"]["imports"])
        assert link.get_attribute("href") == "/imports/"
        _no_overflow(page)
        paid.scroll_into_view_if_needed()
        paid.screenshot(path=str(ARTIFACTS / f"reasons-paid-staff-es-{width}.png"))
    finally:
        context.close()


def test_the_pdf_pages(hubspot_like, clean_tenant_tables) -> None:
    for language in ("es", "en"):
        document = pypdfium2.PdfDocument(report_pdf_build(client=hubspot_like, month=MARCH, language=language))
        pages = [" ".join(document[i].get_textpage().get_text_range().split()) for i in range(len(document))]
        text = " ".join(pages)
        assert SAYS[language]["contact"] in text and SAYS[language]["up"] in text
        assert " ".join(SAYS[language]["paid_client"].split()) in text
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        for index in range(len(document)):
            document[index].render(scale=1.0).to_pil().save(ARTIFACTS / f"reasons-pdf-{language}-{index + 1}.png")


@pytest.mark.parametrize("width", [1440, 390])
def test_email_rates_without_deliveries_read_a_dash_with_the_reason_in_spanish(page, portal, client_user_a, tenants,
                                                                              width) -> None:
    """An email file without deliveries: deliverability "—" with the reason, never "0,0 %"."""
    from clients.models import EmailRow

    alpha = tenants["alpha"]
    with schema_context("alpha"):
        Campaign.objects.create(id="news", name="Boletín", channel="email")
        EmailRow.objects.create(date=dt.date(2026, 3, 3), campaign_id="news", sent=1000, unique_opens=400)
    snapshot_compute(client=alpha, months=[MARCH])
    client_user_a.language = "es"
    client_user_a.save()
    page.set_viewport_size({"width": width, "height": 1000})
    sign_in_home(page, portal.client("alpha"), client_user_a.username)
    page.goto(portal.client("alpha") + "/scorecard/?month=2026-03")
    tile = page.locator("#kpi-deliverability_rate")
    tile.locator("xpath=ancestor::details[1]/summary").click()
    tile.scroll_into_view_if_needed()
    text = tile.inner_text()
    assert "—" in text and "0,0" not in text, text
    assert "Los resultados de correo de este mes no indican los correos entregados." in text, text
    _no_overflow(page)
    tile.locator("xpath=ancestor::details[1]").screenshot(path=str(ARTIFACTS / f"email-not-given-es-{width}.png"))
