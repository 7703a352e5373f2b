"""The report's "Paid media" section in a real browser at 1440 and 390 px, in Spanish, and the
PDF's pages, with screenshots a person looks at (no horizontal overflow, no English left)."""

from __future__ import annotations

import datetime as dt

import pypdfium2
import pytest
from django_tenants.utils import schema_context

from clients.models import Campaign, Lead
from clients.services import data_import
from kpis.services import report_pdf_build, snapshot_compute
from tests.browser.conftest import ARTIFACTS, new_page, screenshot, sign_in_home
from tests.browser.test_portal_shell import sign_in
from tests.browser.test_report import _no_overflow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
MARCH = dt.date(2026, 3, 1)


@pytest.fixture
def paid_data(tenants, tmp_path):
    alpha = tenants["alpha"]
    lines = ["id,date,category,amount,campaign,note,platform,impressions,clicks,conversions,conversion_value"]
    for day in range(1, 32):
        date = f"2026-03-{day:02d}"
        lines.append(f"g{day},{date},media,{80 + day * 3}.40,brand,,google_ads,{4000 + day * 90},{160 + day * 4},"
                     f"{6 + day % 5}.5,{900 + day * 20}")
        lines.append(f"m{day},{date},media,{55 + day % 7 * 6}.10,spring,,meta_ads,{9000 + day * 150},{120 + day % 9 * 7},"
                     f"{3 + day % 4},")
        if day % 2:
            lines.append(f"l{day},{date},media,{140 + day}.00,cfo,,linkedin_ads,{2500 + day * 30},{18 + day % 5},,")
    path = tmp_path / "spend.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with schema_context("alpha"):
        Campaign.objects.bulk_create([
            Campaign(id="brand", name="Búsqueda de marca", channel="paid_search"),
            Campaign(id="spring", name="Spring leads (Meta)", channel="paid_social", social_network="facebook"),
            Campaign(id="cfo", name="CFO Sponsored Content", channel="paid_social", social_network="linkedin"),
        ])
        at = dt.datetime(2026, 3, 12, 10, tzinfo=dt.UTC)
        Lead.objects.bulk_create([Lead(id=f"b{i}", created_at=at, campaign_id="brand") for i in range(140)]
                                 + [Lead(id=f"s{i}", created_at=at, campaign_id="spring") for i in range(61)]
                                 + [Lead(id=f"c{i}", created_at=at, campaign_id="cfo") for i in range(9)])
    assert data_import(kind="spend", path_or_file=path, client=alpha).ok
    snapshot_compute(client=alpha, months=[MARCH])
    return alpha


@pytest.mark.parametrize("width", [1440, 390])
def test_the_paid_media_section_in_spanish(page, portal, client_user_a, paid_data, width) -> None:
    client_user_a.language = "es"
    client_user_a.save()
    page.set_viewport_size({"width": width, "height": 1000})
    sign_in(page, portal.client("alpha"), client_user_a.username)
    page.wait_for_url(portal.client("alpha") + "/")
    page.goto(portal.client("alpha") + "/scorecard/?month=2026-03")
    section = page.locator('[data-section="paid-media"]')
    section.scroll_into_view_if_needed()
    assert section.locator("h2").inner_text() == "Medios pagados"
    assert section.locator("[data-platform]").count() == 3
    assert section.locator("svg.chart:visible").count() == 2  # each drawn per width, one shown (kpis.charts)
    _no_overflow(page)
    section.screenshot(path=str(ARTIFACTS / f"paid-media-es-{width}.png"))
    screenshot(page, f"paid-media-page-es-{width}")


def test_the_paid_media_pages_of_the_pdf(paid_data, clean_tenant_tables) -> None:
    for language in ("en", "es"):
        document = pypdfium2.PdfDocument(report_pdf_build(client=paid_data, month=MARCH, language=language))
        pages = [document[i].get_textpage().get_text_range() for i in range(len(document))]
        index = next(i for i, text in enumerate(pages) if ("Paid media" if language == "en" else "Medios pagados") in text)
        for offset in (0, 1):
            if index + offset < len(document):
                ARTIFACTS.mkdir(parents=True, exist_ok=True)
                image = document[index + offset].render(scale=1.4).to_pil()
                image.save(ARTIFACTS / f"paid-media-pdf-{language}-{offset + 1}.png")


def test_an_approved_months_daily_charts_stay_as_approved_in_spanish(
    browser, page, portal, client_user_a, staff_a, paid_data, tmp_path
) -> None:
    """Approved, then Google Ads restates 10 March: the client's daily charts still draw the approved
    days (the same SVG) until the revision is approved, and they render at 1440 px in Spanish."""
    from kpis.recompute import recompute_pending_run
    from reports.services import month_approve

    client_user_a.language = "es"
    client_user_a.save()
    recompute_pending_run(client=paid_data)  # the import's debounced recompute, as the worker runs it
    month_approve(client=paid_data, month=MARCH, user=None, checks_reason="the test is about the charts")
    page.set_viewport_size({"width": 1440, "height": 1000})
    sign_in(page, portal.client("alpha"), client_user_a.username)
    page.wait_for_url(portal.client("alpha") + "/")

    def charts() -> list[str]:
        page.goto(portal.client("alpha") + "/scorecard/?month=2026-03")
        section = page.locator('[data-section="paid-media"]')
        section.scroll_into_view_if_needed()
        assert section.locator("svg.chart:visible").count() == 2 and section.locator("svg.chart:visible polyline").count() >= 2
        return [chart.inner_html() for chart in section.locator("svg.chart:visible").all()]

    approved = charts()
    restated = tmp_path / "restated.csv"
    restated.write_text("id,date,category,amount,campaign,note,platform,impressions,clicks,conversions,conversion_value\n"
                        "g10,2026-03-10,media,2400.00,brand,,google_ads,4900,900,9.5,1100\n", encoding="utf-8")
    assert data_import(kind="spend", path_or_file=restated, client=paid_data).ok
    assert recompute_pending_run(client=paid_data) == 1
    assert charts() == approved
    _no_overflow(page)
    page.locator('[data-section="paid-media"]').screenshot(path=str(ARTIFACTS / "paid-media-approved-es-1440.png"))
    # staff: the revision waiting, with the day that moved beside the approved one
    staff_a.language = "es"
    staff_a.save()
    context, staff_page = new_page(browser, locale="es-ES", viewport={"width": 1440, "height": 1000})
    try:
        sign_in_home(staff_page, portal.client("alpha"), staff_a.username)
        staff_page.goto(portal.client("alpha") + "/reports/2026-03/")
        box = staff_page.locator("section.revision-pending")
        assert "10 mar: inversión en anuncios" in box.locator("[data-day-changes]").inner_text()
        _no_overflow(staff_page)
        box.screenshot(path=str(ARTIFACTS / "revision-days-es-1440.png"))
    finally:
        context.close()
    month_approve(client=paid_data, month=MARCH, user=None, reason="Google Ads corrigió el 10 de marzo",
                  checks_reason="the test is about the charts")
    assert charts() != approved


@pytest.mark.parametrize("width", [1440, 390])
def test_crm_leads_without_campaigns_read_unmatched_in_spanish(page, portal, client_user_a, tenants, tmp_path,
                                                              width) -> None:
    """A client whose CRM leads name no campaign (HubSpot through its API): each card says they cannot be
    matched, never 0, and fits a phone."""
    alpha = tenants["alpha"]
    path = tmp_path / "spend.csv"
    path.write_text("id,date,category,amount,campaign,note,platform,impressions,clicks,conversions,conversion_value\n"
                    "g1,2026-03-02,media,120.00,brand,,google_ads,4000,160,6.5,900\n"
                    "m1,2026-03-03,media,80.00,spring,,meta_ads,9000,120,3,\n", encoding="utf-8")
    with schema_context("alpha"):
        Campaign.objects.bulk_create([Campaign(id="brand", name="Búsqueda de marca", channel="paid_search"),
                                      Campaign(id="spring", name="Spring leads (Meta)", channel="paid_social")])
        at = dt.datetime(2026, 3, 12, 10, tzinfo=dt.UTC)
        Lead.objects.bulk_create([Lead(id=f"h{i}", created_at=at, channel="paid_search") for i in range(42)])
    assert data_import(kind="spend", path_or_file=path, client=alpha).ok
    snapshot_compute(client=alpha, months=[MARCH])
    client_user_a.language = "es"
    client_user_a.save()
    page.set_viewport_size({"width": width, "height": 1000})
    sign_in(page, portal.client("alpha"), client_user_a.username)
    page.wait_for_url(portal.client("alpha") + "/")
    page.goto(portal.client("alpha") + "/scorecard/?month=2026-03")
    section = page.locator('[data-section="paid-media"]')
    section.scroll_into_view_if_needed()
    text = section.inner_text()
    assert text.count("no pueden vincularse a las campañas de") == 2 and "llegaron al CRM" not in text
    _no_overflow(page)
    section.screenshot(path=str(ARTIFACTS / f"paid-media-unmatched-es-{width}.png"))
    document = pypdfium2.PdfDocument(report_pdf_build(client=alpha, month=MARCH, language="es"))
    pages = [document[i].get_textpage().get_text_range() for i in range(len(document))]
    index = next(i for i, text in enumerate(pages) if "Medios pagados" in text)
    document[index].render(scale=1.4).to_pil().save(ARTIFACTS / "paid-media-unmatched-pdf-es.png")


LONG_NAME = "Campaña de captación de directores financieros — Contenido patrocinado en LinkedIn (España y México)"


@pytest.mark.parametrize("width", [390, 1440])
def test_the_top_campaigns_read_whole_without_a_sideways_scroll_in_spanish(page, portal, client_user_a, paid_data,
                                                                        width) -> None:
    """The walkthrough's snag: at 390 px the top campaigns' table cut the names and scrolled sideways.
    On a phone each campaign is a card (its whole name, then its figures, each labelled); at 1440 px
    it stays a table with one header row."""
    with schema_context("alpha"):
        Campaign.objects.filter(id="cfo").update(name=LONG_NAME)
    client_user_a.language = "es"
    client_user_a.save()
    page.set_viewport_size({"width": width, "height": 1000})
    sign_in(page, portal.client("alpha"), client_user_a.username)
    page.wait_for_url(portal.client("alpha") + "/")
    page.goto(portal.client("alpha") + "/scorecard/?month=2026-03")
    table = page.locator('[data-section="paid-media"] table.campaign-cards')
    table.scroll_into_view_if_needed()
    names = [name.strip() for name in table.locator("tbody th[scope=row]").all_inner_texts()]
    assert set(names) == {"Búsqueda de marca", LONG_NAME, "Spring leads (Meta)"}
    # nothing in the table scrolls or reaches past the screen's edge, and no name is cut
    wrap = table.locator("xpath=..")
    assert wrap.evaluate("e => e.scrollWidth <= e.clientWidth"), "the campaigns' table scrolls sideways"
    assert table.evaluate("e => e.scrollWidth <= e.clientWidth")
    for cell in table.locator("tbody th[scope=row], tbody td").all():
        box = cell.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width + 1, cell.inner_text()
        assert cell.evaluate("e => e.scrollWidth <= e.clientWidth + 1"), cell.inner_text()
    _no_overflow(page)
    long_row = table.locator("tbody tr", has_text=LONG_NAME)
    if width == 390:
        # a card: the name on its own line across the card, each figure under its label (Spanish)
        assert table.locator("thead").bounding_box()["height"] <= 1
        name_box = long_row.locator("th").bounding_box()
        assert name_box["width"] > 0.7 * long_row.bounding_box()["width"]
        labels = long_row.locator("td").evaluate_all(
            "cells => cells.map(c => getComputedStyle(c, '::before').content)")
        assert labels[0] == '"Inversión en marketing"' and '"Conversiones"' in labels, labels
        assert all(label not in ("none", "normal", '""') for label in labels)
    else:
        # the desktop keeps its table: one header row, a campaign per row, the figures side by side
        assert table.locator("thead th").count() == 6 and table.locator("thead").bounding_box()["height"] > 10
        tops = {round(box["y"]) for box in (c.bounding_box() for c in long_row.locator("th, td").all())}
        assert len(tops) == 1, "the desktop row's cells are not side by side"
        assert table.evaluate("e => getComputedStyle(e).display") == "table"
    table.locator("xpath=../..").screenshot(path=str(ARTIFACTS / f"paid-campaigns-es-{width}.png"))
