"""The report page of a client without any spend loaded, in a real browser at 1440 and 390 px in
Spanish, and the PDF's pages: its costs read "—" with the reason (kpis.nospend), never 0 €, nothing
scrolling sideways (screenshots a person looks at)."""

from __future__ import annotations

import datetime as dt

import pypdfium2
import pytest
from django_tenants.utils import schema_context

from clients.models import Campaign, Lead
from kpis.services import report_pdf_build, snapshot_compute
from tests.browser.conftest import ARTIFACTS, screenshot
from tests.browser.test_portal_shell import sign_in
from tests.browser.test_report import _no_overflow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
FEBRUARY, MARCH = dt.date(2026, 2, 1), dt.date(2026, 3, 1)
REASON = "No hay inversión registrada hasta este mes: los costos son desconocidos, no cero."  # the client's


@pytest.fixture
def no_spend(tenants):
    alpha = tenants["alpha"]
    with schema_context("alpha"):
        Campaign.objects.create(id="brand", name="Búsqueda de marca", channel="paid_search")
        leads = []
        for month in (FEBRUARY, MARCH):
            at = dt.datetime(month.year, month.month, 12, 10, tzinfo=dt.UTC)
            leads += [Lead(id=f"l{month.month}-{i}", created_at=at, campaign_id="brand") for i in range(9)]
        leads[-1].customer_at, leads[-1].deal_value = dt.datetime(2026, 3, 20, tzinfo=dt.UTC), 4800
        Lead.objects.bulk_create(leads)
    alpha.headline_kpis = ["marketing_spend", "cpl", "new_leads", "cac", "revenue", "customers"]
    alpha.save()
    snapshot_compute(client=alpha, months=[FEBRUARY, MARCH])
    return alpha


@pytest.mark.parametrize("width", [1440, 390])
def test_the_report_page_says_why_costs_are_dashes_in_spanish(page, portal, client_user_a, no_spend, width) -> None:
    client_user_a.language = "es"
    client_user_a.save()
    page.set_viewport_size({"width": width, "height": 1000})
    sign_in(page, portal.client("alpha"), client_user_a.username)
    page.wait_for_url(portal.client("alpha") + "/")
    page.goto(portal.client("alpha") + "/scorecard/?month=2026-03")
    for key in ("marketing_spend", "cpl", "cac"):
        summary = page.locator(f'[data-kpi="{key}"][data-summary]')
        assert REASON in summary.inner_text(), key
        assert "0,00 €" not in summary.inner_text()
    _no_overflow(page)
    screenshot(page, f"no-spend-report-es-{width}")
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")  # the details' groups
    tile = page.locator("#kpi-cpl")
    assert REASON in tile.inner_text() and "0,00 €" not in tile.inner_text()
    tile.scroll_into_view_if_needed()
    _no_overflow(page)
    screenshot(page, f"no-spend-tiles-es-{width}")


def test_the_pdf_pages_say_why_costs_are_dashes(no_spend, clean_tenant_tables) -> None:
    document = pypdfium2.PdfDocument(report_pdf_build(client=no_spend, month=MARCH, language="es"))
    pages = [" ".join(document[i].get_textpage().get_text_range().split()) for i in range(len(document))]
    assert REASON in pages[0]  # the summary
    # The details: the figure, what it means (paper has no hover), its dash and why.
    # (a row whose reason is the row above's reads "Same as above.": the first cost row of its table says it)
    details = next(text for text in pages if "Costo por lead Inversión en marketing ÷ leads nuevos. — " in text)
    after = details.split("Costo por lead Inversión en marketing ÷ leads nuevos. — ", 1)[1]
    assert after.startswith((REASON, "Igual que arriba.")), after[:200]
    assert "— " + REASON in details, details
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for index in range(len(document)):
        document[index].render(scale=1.2).to_pil().save(ARTIFACTS / f"no-spend-pdf-es-{index + 1}.png")


@pytest.mark.parametrize("width", [1440, 390])
def test_staff_read_where_to_import_what_is_missing_in_spanish(page, portal, staff_a, no_spend, width) -> None:
    """Staff at the client's address read each "not loaded" reason with what to do (the Imports page), the
    lines wrapped within the screen."""
    staff_a.language = "es"
    staff_a.save()
    page.set_viewport_size({"width": width, "height": 1000})
    sign_in(page, portal.client("alpha"), staff_a.username)
    page.wait_for_load_state()
    page.goto(portal.client("alpha") + "/scorecard/?month=2026-03")
    cpl = page.locator('[data-kpi="cpl"][data-summary]').inner_text()
    assert "Impórtala o conecta una plataforma de anuncios en la página Importaciones." in " ".join(cpl.split()), cpl
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    traffic = page.locator('p.group-empty[data-group="traffic"]')
    assert "o conecta GA4 en la página Importaciones." in traffic.inner_text()
    traffic.scroll_into_view_if_needed()
    _no_overflow(page)
    screenshot(page, f"not-loaded-staff-es-{width}")
