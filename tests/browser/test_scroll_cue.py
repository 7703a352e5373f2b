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
from tests.browser.conftest import ARTIFACTS, new_page, screenshot, sign_in_home
from tests.browser.test_portfolio_sticky import _clients

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


def _lightness(page, clip: dict) -> float:
    """The median lightness of a strip of the window (0 black to 255 white): a letter there does not count."""
    from PIL import Image

    shot = page.screenshot(clip=clip)
    return statistics.median(Image.open(io.BytesIO(shot)).convert("L").tobytes())


@pytest.mark.parametrize("locale", ["es-ES", "en-US"])
def test_a_bad_row_of_a_preview_does_not_cover_the_edge_shadow(browser, portal, staff_a, settings, tmp_path, locale) -> None:
    """The box's shadows are its background, drawn under its rows: an opaque highlight hid the shadow on the
    bad row (a preview's bad row read as the table's end). Its highlight lets the shadow through."""
    settings.MEDIA_ROOT = tmp_path
    contracts = tmp_path / "contracts.csv"
    contracts.write_text("id,account,kind,start_date,segment,term_months,monthly_fee,project_fee,end_date,cancelled_on,renewal_of\n"
                         "K-1,globex,retainer,2026-01-01,enterprise,12,800,,,,\n"
                         "K-2,umbrella,retainer,2026-13-01,smb,6,450,,,,\n"
                         "K-3,initech,project,2026-02-01,smb,,,6000,2026-04-30,,\n", encoding="utf-8")
    alpha = portal.client("alpha")
    context, page = new_page(browser, locale=locale, viewport={"width": 390, "height": 844})
    sign_in_home(page, alpha, staff_a.username)
    page.goto(alpha + "/imports/")
    page.locator("select[name=kind]").select_option("contracts")
    page.locator("input[type=file]").set_input_files(str(contracts))
    page.locator("form:has(input[type=file]) button[type=submit]").first.click()
    box = page.locator(".table-wrap:has(table.preview)")
    box.wait_for()
    box.scroll_into_view_if_needed()
    assert box.evaluate("e => e.scrollWidth > e.clientWidth + 1")  # more to the right: its edge is shaded
    edge = box.bounding_box()
    bad = page.locator("table.preview tr.bad-row").first.bounding_box()
    good = page.locator("table.preview tbody tr:not(.bad-row)").first.bounding_box()
    screenshot(page, f"scroll-cue-bad-row-{locale}")
    right = edge["x"] + edge["width"] - 3
    bad_left = _lightness(page, {"x": edge["x"], "y": bad["y"] + 2, "width": 3, "height": bad["height"] - 4})
    bad_right = _lightness(page, {"x": right, "y": bad["y"] + 2, "width": 3, "height": bad["height"] - 4})
    good_left = _lightness(page, {"x": edge["x"], "y": good["y"] + 2, "width": 3, "height": good["height"] - 4})
    good_right = _lightness(page, {"x": right, "y": good["y"] + 2, "width": 3, "height": good["height"] - 4})
    assert bad_left < good_left - 3, (bad_left, good_left)  # the bad row is highlighted …
    assert bad_right < bad_left - 10, (bad_left, bad_right)  # … and its edge shaded, as a good row's is
    assert good_right < good_left - 10, (good_left, good_right)
    context.close()


@pytest.mark.parametrize("language", ["es", "en"])
def test_the_portfolio_box_that_scrolls_down_shades_its_bottom_and_its_header_row_once_rows_pass_under(
    browser, portal, admin_user, tenants, language
) -> None:
    """Under 1400 px the portfolio of 50 clients scrolls down inside a box as tall as the window: a shadow at
    its bottom while clients are below (none at their end), and one under the header row once rows passed
    under it (none at the top)."""
    _clients(tenants)
    admin_user.language = language
    admin_user.save()
    context, page = new_page(browser, locale={"es": "es-ES", "en": "en-US"}[language], viewport={"width": 1200, "height": 800})
    try:
        sign_in_home(page, portal.console, admin_user.username)
        page.goto(portal.console + "/portfolio/")
        table = page.locator("#portfolio-table")
        table.locator("tbody tr").nth(49).wait_for(state="attached")
        page.evaluate("window.scrollTo(0, document.body.scrollHeight)")  # the whole box in the window
        page.wait_for_timeout(100)
        assert table.evaluate("e => e.scrollHeight > e.clientHeight + 100"), "expected the box to scroll down"
        # The rows' bottom edge (above a sideways scroll bar), right of the sticky names, short of the right edge.
        inner = table.evaluate("e => { const r = e.getBoundingClientRect(); return {top: r.top + e.clientTop, "
                               "left: r.left + e.clientLeft, width: e.clientWidth, height: e.clientHeight}; }")
        names = table.locator("tbody th[scope=row]").first.bounding_box()
        start = names["x"] + names["width"] + 10
        bottom = {"x": start, "y": inner["top"] + inner["height"] - 4, "width": inner["left"] + inner["width"] - 40 - start,
                  "height": 3}
        head = table.locator("thead th").nth(3)
        shadow = "th => getComputedStyle(th).boxShadow"
        at_top, top_shadow = _lightness(page, bottom), head.evaluate(shadow)
        page.screenshot(path=str(ARTIFACTS / f"scroll-cue-portfolio-top-{language}.png"))  # the window: the box as seen
        table.evaluate("e => { e.scrollTop = e.scrollHeight / 2; }")
        page.wait_for_timeout(200)
        middle_shadow = head.evaluate(shadow)
        page.screenshot(path=str(ARTIFACTS / f"scroll-cue-portfolio-middle-{language}.png"))  # the window: the box as seen
        table.evaluate("e => { e.scrollTop = e.scrollHeight; }")
        page.wait_for_timeout(200)
        at_end = _lightness(page, bottom)
        page.screenshot(path=str(ARTIFACTS / f"scroll-cue-portfolio-end-{language}.png"))  # the window: the box as seen
        assert at_top < at_end - 10, (at_top, at_end)  # clients below: the bottom shaded; at their end, not
        assert "rgba(29, 35, 48, 0.3)" not in top_shadow and "rgba(29, 35, 48, 0.3)" in middle_shadow, (top_shadow, middle_shadow)
    finally:
        context.close()
