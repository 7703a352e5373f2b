"""In a real browser, in English and Spanish, at 1440 and 390 px: remapping a Google Ads export, the spend
category every row is given is chosen from a menu in words (the code stays the option's value), the preview
follows at once, and its rows read the values in words with their codes beneath."""

from __future__ import annotations

import pytest

from tests.browser.conftest import new_page, screenshot, sign_in_home
from tests.browser.test_source_preview import NUMBERS_RIGHT, SPLIT_IDS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DESKTOP, PHONE = {"width": 1440, "height": 1000}, {"width": 390, "height": 844}
GOOGLE_ADS = ("Campaign report\nDay,Campaign,Campaign ID,Currency code,Cost,Impr.,Clicks,Conversions\n"
              "2026-03-01,Brand Search,111,EUR,\"1,234.50\",100,10,1\n"
              "2026-03-02,Generic Search,222,EUR,100.00,500,40,2\n")


@pytest.mark.parametrize(("locale", "media", "marketing", "cost"), [("es-ES", "Medios", "Marketing", "1\xa0234,50"),
                                                                   ("en-US", "Media", "Marketing", "1,234.50")])
def test_a_fixed_value_is_chosen_in_words_and_the_preview_reads_it(
    browser, portal, staff_a, settings, tmp_path, locale, media, marketing, cost
) -> None:
    settings.MEDIA_ROOT = tmp_path
    alpha = portal.client("alpha")
    export = tmp_path / "google_ads.csv"
    export.write_text(GOOGLE_ADS, encoding="utf-8")
    for viewport, width in ((DESKTOP, "1440"), (PHONE, "390")):
        context, page = new_page(browser, locale=locale, viewport=viewport)
        sign_in_home(page, alpha, staff_a.username)
        page.goto(alpha + "/imports/")
        page.locator("input[type=file]").set_input_files(str(export))
        page.locator("form:has(input[type=file]) button[type=submit]").first.click()
        page.locator("#detected-preview").wait_for()
        assert page.locator("#detected-preview td", has_text=media).count() == 2
        page.locator("#remap").click()
        category = page.locator("select[name=fixed_category]")
        category.wait_for()
        # The source's fixed value, chosen in words; the platform's too (a brand name).
        assert category.evaluate("s => [s.value, s.options[s.selectedIndex].text]") == ["media", media]
        platform = page.locator("select[name=fixed_platform]")
        assert platform.evaluate("s => [s.value, s.options[s.selectedIndex].text]") == ["google_ads", "Google Ads"]
        assert page.locator("input[name=fixed_currency]").count() == 1  # a free column stays typed
        cells = page.locator("#map-preview-rows td", has_text=media)
        assert cells.count() == 2 and "media" in cells.first.inner_text()  # the code beneath the words
        # Its amounts and counts written and aligned as the import previews' (1,234.50 / 1 234,50, right), its
        # ids on one line ("google_ads:2026-03-01:111").
        assert page.locator("#map-preview-rows td.num", has_text=cost).count() == 1
        aligned = page.evaluate(NUMBERS_RIGHT, "#map-preview-rows")
        assert len(aligned) >= 2 * 4 and set(aligned) == {"right"}, aligned  # cost, impressions, clicks, conversions
        assert page.evaluate(SPLIT_IDS, "#map-preview-rows") == []
        category.select_option("marketing")
        page.locator("#map-preview-rows td", has_text=marketing).first.wait_for()
        assert page.locator("#map-preview-rows td", has_text=media).count() == 0
        assert page.locator("select[name=fixed_category]").evaluate("s => s.value") == "marketing"
        screenshot(page, f"mapping-fixed-value-{locale}-{width}")
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"] + 1
        context.close()


SALESFORCE = ("Lead ID,Lead Source,Created Date,Email\n"
              "00Q1,Google / CPC,04/03/2026 09:30,ana@example.com\n"
              "00Q2,Newsletter,05/03/2026 16:05,bo@example.com\n")


def test_choosing_a_fixed_value_then_its_value_maps_the_column(browser, portal, staff_a, settings, tmp_path) -> None:
    """"a fixed value →" first, then the value from the menu (the form is swapped between the two)."""
    settings.MEDIA_ROOT = tmp_path
    alpha = portal.client("alpha")
    report = tmp_path / "salesforce.csv"
    report.write_text(SALESFORCE, encoding="utf-8")
    context, page = new_page(browser, locale="en-US", viewport=DESKTOP)
    sign_in_home(page, alpha, staff_a.username)
    page.goto(alpha + "/imports/")
    page.locator("input[type=file]").set_input_files(str(report))
    page.locator("form:has(input[type=file]) button[type=submit]").first.click()
    page.locator("#map-by-hand").click()
    page.locator("#map-columns").wait_for()
    with page.expect_response(lambda response: "/imports/map/" in response.url and response.request.method == "POST"):
        page.select_option("#src-channel", "fixed")
    page.locator("#map-preview-rows").wait_for()
    assert page.locator("#src-channel").evaluate("s => s.value") == "fixed"
    with page.expect_response(lambda response: "/imports/map/" in response.url and response.request.method == "POST"):
        page.locator("select[name=fixed_channel]").select_option("paid_social")
    page.locator("#map-preview-rows td", has_text="Paid social").first.wait_for()
    assert page.locator("#map-preview-rows td", has_text="Paid social").count() == 2
    context.close()

