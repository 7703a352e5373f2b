"""The platform and campaign drill-downs of a month whose CRM leads name no campaign, in a real browser
at 1440 and 390 px in Spanish, and the PDF's breakdown pages: "—" with the reason, never 0, nothing
scrolling sideways (screenshots a person looks at)."""

from __future__ import annotations

import datetime as dt

import pypdfium2
import pytest
from django_tenants.utils import schema_context

from clients.models import Campaign, Lead
from clients.services import data_import
from kpis.services import report_pdf_build, snapshot_compute
from tests.browser.conftest import ARTIFACTS, screenshot
from tests.browser.test_portal_shell import sign_in
from tests.browser.test_report import _no_overflow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
MARCH = dt.date(2026, 3, 1)
REASON = ("Los leads del CRM no indican ninguna campaña de anuncios, así que ninguno puede vincularse a las campañas "
          "de anuncios.")


@pytest.fixture
def unmatched(tenants, tmp_path):
    alpha = tenants["alpha"]
    path = tmp_path / "spend.csv"
    path.write_text("id,date,category,amount,campaign,note,platform,impressions,clicks,conversions,conversion_value\n"
                    "g1,2026-03-02,media,120.00,brand,,google_ads,4000,160,6.5,900\n"
                    "m1,2026-03-03,media,80.00,spring,,meta_ads,9000,120,3,\n", encoding="utf-8")
    with schema_context("alpha"):
        Campaign.objects.bulk_create([Campaign(id="brand", name="Búsqueda de marca", channel="paid_search"),
                                      Campaign(id="spring", name="Primavera (Meta)", channel="paid_social")])
        at = dt.datetime(2026, 3, 12, 10, tzinfo=dt.UTC)
        Lead.objects.bulk_create([Lead(id=f"h{i}", created_at=at, channel="paid_search") for i in range(12)])
    assert data_import(kind="spend", path_or_file=path, client=alpha).ok
    snapshot_compute(client=alpha, months=[MARCH])
    return alpha


@pytest.mark.parametrize("width", [1440, 390])
def test_the_drilldowns_say_unmatched_in_spanish(page, portal, client_user_a, unmatched, width) -> None:
    client_user_a.language = "es"
    client_user_a.save()
    page.set_viewport_size({"width": width, "height": 1000})
    sign_in(page, portal.client("alpha"), client_user_a.username)
    page.wait_for_url(portal.client("alpha") + "/")
    for dimension in ("platform", "campaign"):
        page.goto(portal.client("alpha") + f"/scorecard/breakdowns/{dimension}/?month=2026-03")
        table = page.locator("table.data")
        # Every row's leads and cost per lead are unknown: not columns of "—" but named once under the
        # table with why (never 0).
        assert table.locator(f'td[title="{REASON}"]').count() == 0 and table.is_visible()
        note = page.locator("p[data-blank-columns]").inner_text()
        rows = {"platform": "ninguna plataforma de anuncios", "campaign": "ninguna campaña"}[dimension]
        assert note.startswith(f"No se muestran, porque no hay valor para {rows} este mes: ") and REASON in note, note
        _no_overflow(page)
        link = page.get_by_role("link", name="Descargar CSV").bounding_box()  # the caption stays in view
        assert link is not None and link["x"] + link["width"] <= width, link
        screenshot(page, f"unmatched-{dimension}-drilldown-es-{width}")


def test_the_pdfs_breakdown_pages_say_unmatched(unmatched, clean_tenant_tables) -> None:
    document = pypdfium2.PdfDocument(report_pdf_build(client=unmatched, month=MARCH, language="es"))
    pages = [document[i].get_textpage().get_text_range() for i in range(len(document))]
    index = max(i for i, text in enumerate(pages) if "Plataforma de anuncios" in text)
    assert "ninguno puede vincularse" in " ".join(" ".join(pages[index:]).split())
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for offset in (0, 1):
        if index + offset < len(document):
            document[index + offset].render(scale=1.2).to_pil().save(ARTIFACTS / f"unmatched-pdf-es-{offset + 1}.png")
