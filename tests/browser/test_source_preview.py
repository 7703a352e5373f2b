"""In a real browser, in Spanish and English, at 1440 and 390 px: a platform export's preview shows its totals,
every column as used or ignored and the values outside a table, with nothing wider than the page at 1440 px;
the mapping editor's columns fit without scrolling sideways."""

from __future__ import annotations

from pathlib import Path

import pytest

from clients.sources import rates_import
from tests.browser.conftest import new_page, screenshot, sign_in_home

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "sources"
DESKTOP, PHONE = {"width": 1440, "height": 1000}, {"width": 390, "height": 844}
WIDER_THAN_ITS_BOX = """sel => [...document.querySelectorAll(sel)].filter(e => e.scrollWidth > e.clientWidth + 1).length"""


def _upload(page, base: str, path: Path) -> None:
    page.goto(base + "/imports/")
    page.locator("input[type=file]").set_input_files(str(path))
    page.locator("form:has(input[type=file]) button[type=submit]").first.click()
    page.locator("#file-columns").wait_for()


@pytest.mark.parametrize("locale", ["es-ES", "en-US"])
def test_source_previews_at_desktop_and_phone_width(browser, portal, staff_a, settings, tmp_path, locale) -> None:
    settings.MEDIA_ROOT = tmp_path
    assert rates_import(path=FIXTURES / "eurofxref-hist.csv").ok
    alpha = portal.client("alpha")
    for viewport, width in ((DESKTOP, "1440"), (PHONE, "390")):
        context, page = new_page(browser, locale=locale, viewport=viewport)
        sign_in_home(page, alpha, staff_a.username)
        renamed = tmp_path / "google_ads_renamed.csv"
        renamed.write_text("Campaign report\nDay,Campaign,Campaign ID,Currency code,Cost (account currency),Impr.\n"
                           "2026-03-01,Brand Search,111,EUR,\"1,234.50\",100\n", encoding="utf-8")
        for path in (renamed, *(FIXTURES / name for name in ("meta_ads_en.csv", "hubspot_contacts_2026.csv",
                                                               "ga4_traffic_primary.csv"))):
            name = path.name
            _upload(page, alpha, path)
            screenshot(page, f"source-preview-{name.split('.')[0]}-{locale}-{width}")
            if width == "1440":
                # Every column of the preview and of the columns list visible without scrolling sideways.
                assert page.evaluate(WIDER_THAN_ITS_BOX, ".table-wrap") == 0, name
            assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"] + 1, name
        text = page.locator("main").inner_text()
        if locale == "es-ES":
            assert "Las columnas del archivo" in text and "ignorada" in text
        # The editor, remapping the GA4 file the source recognized.
        page.locator("#remap").click()
        page.locator("#map-columns").wait_for()
        screenshot(page, f"source-remap-editor-{locale}-{width}")
        if width == "1440":
            assert page.evaluate(WIDER_THAN_ITS_BOX, ".table-wrap") == 0
        context.close()
