"""A preview wider than its box scrolls inside it, and says so: a shadow on the edge with more behind it
(static/css/portal.css ".table-wrap": CSS only). With nothing there, a cut-off column read as the
table's last. In a real browser, in Spanish and English, at 390 px and at 1440 px (Meta's preview keeps
its long ids whole and scrolls there too)."""

from __future__ import annotations

import io
import statistics
from pathlib import Path

import pytest

from clients.sources import rates_import
from tests.browser.conftest import new_page, screenshot, sign_in_home

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "sources"
BOX = ".table-wrap:has(#detected-preview)"


def _edges(page) -> tuple[int, int]:
    """The lightness of the box's leftmost and rightmost 3 px down its rows (the median: a letter there
    does not count), 0 black to 255 white."""
    from PIL import Image

    box = page.locator(BOX).bounding_box()
    rows = page.locator("#detected-preview tbody").bounding_box()
    top, height = rows["y"], min(rows["height"], 300)
    shades = []
    for x in (box["x"], box["x"] + box["width"] - 3):
        shot = page.screenshot(clip={"x": x, "y": top, "width": 3, "height": height})
        pixels = list(Image.open(io.BytesIO(shot)).convert("L").tobytes())
        shades.append(statistics.median(pixels))
    return shades[0], shades[1]


@pytest.mark.parametrize("locale", ["es-ES", "en-US"])
@pytest.mark.parametrize("width", [390, 1440])
def test_a_preview_wider_than_its_box_shades_the_edge_with_more_behind_it(
    browser, portal, staff_a, settings, tmp_path, locale, width
) -> None:
    settings.MEDIA_ROOT = tmp_path
    assert rates_import(path=FIXTURES / "eurofxref-hist.csv").ok
    alpha = portal.client("alpha")
    context, page = new_page(browser, locale=locale, viewport={"width": width, "height": 900})
    sign_in_home(page, alpha, staff_a.username)
    page.goto(alpha + "/imports/")
    page.locator("input[type=file]").set_input_files(str(FIXTURES / "meta_ads_en.csv"))
    page.locator("form:has(input[type=file]) button[type=submit]").first.click()
    page.locator("#detected-preview").wait_for()
    page.locator(BOX).scroll_into_view_if_needed()
    assert page.locator(BOX).evaluate("e => e.scrollWidth > e.clientWidth + 1")  # it does scroll
    left, right = _edges(page)
    screenshot(page, f"scroll-cue-start-{locale}-{width}")
    assert right < left - 10, (left, right)  # more to the right: its edge is shaded, the left one is not
    page.locator(BOX).evaluate("e => { e.scrollLeft = e.scrollWidth; }")
    page.wait_for_timeout(100)
    left, right = _edges(page)
    screenshot(page, f"scroll-cue-end-{locale}-{width}")
    assert left < right - 10, (left, right)  # at its end: the left edge is shaded, the right one no longer
    hidden = page.locator(BOX).evaluate("e => { e.scrollLeft = (e.scrollWidth - e.clientWidth) / 2; return e.scrollLeft; }")
    page.wait_for_timeout(100)
    left, right = _edges(page)
    if hidden >= 40:  # halfway along, with room on both sides: both edges shaded
        assert max(left, right) < 235, (left, right)
    context.close()


def test_a_preview_that_fits_has_no_shadow(browser, portal, staff_a, settings, tmp_path) -> None:
    """Google Ads' preview fits at 1440 px: neither edge is shaded (both covers lie over both shadows)."""
    settings.MEDIA_ROOT = tmp_path
    assert rates_import(path=FIXTURES / "eurofxref-hist.csv").ok
    alpha = portal.client("alpha")
    context, page = new_page(browser, locale="en-US", viewport={"width": 1440, "height": 900})
    sign_in_home(page, alpha, staff_a.username)
    page.goto(alpha + "/imports/")
    page.locator("input[type=file]").set_input_files(str(FIXTURES / "google_ads_en.csv"))
    page.locator("form:has(input[type=file]) button[type=submit]").first.click()
    page.locator("#detected-preview").wait_for()
    page.locator(BOX).scroll_into_view_if_needed()
    assert page.locator(BOX).evaluate("e => e.scrollWidth <= e.clientWidth + 1")
    left, right = _edges(page)
    assert min(left, right) > 235 and abs(left - right) <= 3, (left, right)
    context.close()
