"""In a real browser, in Spanish and English, at 1440 and 390 px: a platform export's preview shows its totals,
every column as used or ignored and the values outside a table, with nothing wider than the page at 1440 px;
the mapping editor's columns fit without scrolling sideways."""

from __future__ import annotations

from pathlib import Path

import pytest

from clients.imports.kind_docs import EXAMPLES
from clients.sources import rates_import
from tests.browser.conftest import new_page, screenshot, sign_in_home

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "sources"
DESKTOP, PHONE = {"width": 1440, "height": 1000}, {"width": 390, "height": 844}
WIDER_THAN_ITS_BOX = """sel => [...document.querySelectorAll(sel)].filter(e => e.scrollWidth > e.clientWidth + 1).length"""
# The words of the cells drawn on more than one line ("ann@example .com", "Referencia s"); a line may break
# at a space or after a hyphen or a slash, as browsers do ("/pricing-" / "2026"), but never inside an id (SPLIT_IDS).
SPLIT_WORDS = """sel => {
  const split = [];
  for (const cell of document.querySelectorAll(sel + " td")) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const word of node.data.matchAll(/[^\\s\\-\\/]+/g)) {
        const range = document.createRange();
        range.setStart(node, word.index);
        range.setEnd(node, word.index + word[0].length);
        if (new Set([...range.getClientRects()].map(rect => Math.round(rect.top))).size > 1) split.push(word[0]);
      }
    }
  }
  return split;
}"""
# The ids drawn on more than one line ("meta_ads:2026-" / "03-01:6001", "lead-2026-" / "11-a"): a code is one
# word to the person checking it; the table scrolls in its box instead.
SPLIT_IDS = """sel => [...document.querySelectorAll(sel + " td")]
  .filter(cell => /^[^\\s@]*-[^\\s@]*\\d[^\\s@]*$/.test(cell.innerText.trim()))
  .filter(cell => {
    const range = document.createRange();
    range.selectNodeContents(cell);
    return new Set([...range.getClientRects()].map(rect => Math.round(rect.top))).size > 1;
  }).map(cell => cell.innerText.trim())"""
# The preview's date cells (a year and a month's name: "Sep 30, 2026", "30 sep 2026"), each with
# the number of lines it is drawn on.
DATES_LINES = """sel => [...document.querySelectorAll(sel + " td")]
  .filter(cell => /\\d{4}/.test(cell.innerText) && /[a-z]{3}/i.test(cell.innerText))
  .map(cell => {
    const range = document.createRange();
    range.selectNodeContents(cell);
    return [cell.innerText.trim(), new Set([...range.getClientRects()].map(rect => Math.round(rect.top))).size];
  })"""
NUMBERS_RIGHT = """sel => [...document.querySelectorAll(sel + " .num")].map(e => getComputedStyle(e).textAlign)"""


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
                # Every column of the columns list visible without scrolling sideways; the preview's too but
                # where an id left whole needs more room (Meta's "meta_ads:2026-03-01:6001"): it scrolls in its box.
                assert page.evaluate(WIDER_THAN_ITS_BOX, ".table-wrap:not(:has(#detected-preview))") == 0, name
                if "meta" not in name:
                    assert page.evaluate(WIDER_THAN_ITS_BOX, ".table-wrap") == 0, name
                # … its words and email addresses whole (an address wraps after its @).
                assert page.evaluate(SPLIT_WORDS, "#detected-preview") == [], name
            assert page.evaluate(SPLIT_IDS, "#detected-preview") == [], name
            # Amounts and counts right-aligned, their heads over them, as every other table's numbers (the
            # renamed report lacks a required column: no rows are previewed until it is mapped).
            aligned = page.evaluate(NUMBERS_RIGHT, "#detected-preview")
            assert set(aligned) == ({"right"} if path != renamed else set()), (name, aligned)
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
        # A file in the portal's own format: its preview writes, aligns and wraps the same way.
        leads = tmp_path / "leads.csv"
        leads.write_text("id,created_at,email,channel,employees,customer_at,deal_value\n"
                         "lead-2026-11-a-000123,2026-03-02T08:45:00,annabelle.rivera@example.com,referral,1200,2026-03-20T10:00:00,18000.5\n",
                         encoding="utf-8")
        page.goto(alpha + "/imports/")
        page.locator("input[type=file]").set_input_files(str(leads))
        page.locator("form:has(input[type=file]) button[type=submit]").first.click()
        page.locator("table.preview").wait_for()
        screenshot(page, f"portal-file-preview-{locale}-{width}")
        assert page.evaluate(SPLIT_WORDS, "table.preview") == []
        assert page.evaluate(SPLIT_IDS, "table.preview") == []
        assert page.locator("table.preview td", has_text="lead-2026-11-a-000123").count() == 1
        assert page.evaluate(NUMBERS_RIGHT, "table.preview") == ["right"] * 4  # 2 heads, 2 cells
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"] + 1
        # … and so does it with its kind chosen on upload: a contracts file's twelve columns fit at 1440 px
        # (their heads wrap; its three dates each on one line, as the exports' previews keep them, even the
        # Spanish "30 sep 2026"), scroll in their box on a phone; nothing split inside a word or an id.
        contracts = tmp_path / "contracts.csv"
        rows = [*EXAMPLES["contracts"], ["K-3", "umbrella", "retainer", "2025-11-15", "mid_market", "12", "1200", "",
                                         "2026-11-14", "2026-09-30", ""]]
        contracts.write_text("\n".join(",".join(row) for row in rows) + "\n", encoding="utf-8")
        page.goto(alpha + "/imports/")
        page.locator("select[name=kind]").select_option("contracts")
        page.locator("input[type=file]").set_input_files(str(contracts))
        page.locator("form:has(input[type=file]) button[type=submit]").first.click()
        page.locator("table.preview").wait_for()
        screenshot(page, f"portal-kind-preview-{locale}-{width}")
        if width == "1440":
            assert page.evaluate(WIDER_THAN_ITS_BOX, ".table-wrap") == 0
        dates = page.evaluate(DATES_LINES, "table.preview")
        assert len(dates) == 6 and all(lines == 1 for _date, lines in dates), dates
        assert page.evaluate(SPLIT_WORDS, "table.preview") == [] and page.evaluate(SPLIT_IDS, "table.preview") == []
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"] + 1
        context.close()
