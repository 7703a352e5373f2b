"""The close board of 50 clients of which 4 need a look (a check open): the counts link to them,
"Needs a look" lists those 4 only, the filter's name fits the Show menu on a phone, and a month
opened from there carries the filter on (its "Next client waiting" goes through those 4). Before,
the 4 were scattered through a 3,600 px table (12,500 px on a phone) among 46 clean months."""

from __future__ import annotations

import pytest

from tests.browser.conftest import board_of_fifty, new_page, screenshot, sign_in_home

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
NEED_A_LOOK = frozenset({7, 19, 33, 41})


@pytest.mark.parametrize("width", [1440, 390])
def test_the_four_months_that_need_a_look_one_click_from_the_counts(browser, portal, admin_user, tenants, width) -> None:
    board_of_fifty(tenants, prefix="look", open_checks=NEED_A_LOOK)
    context, page = new_page(browser, locale="es-ES", viewport={"width": width, "height": 900})
    try:
        sign_in_home(page, portal.console, admin_user.username)
        page.goto(portal.console + "/board/")
        link = page.locator("a[data-attention]")
        assert link.inner_text() == "4 requieren atención" and link.is_visible()
        link.click()
        page.wait_for_url("**show=attention**")
        rows = page.locator("table.board tbody tr")
        assert rows.count() == 4
        assert page.locator("input[name=pick]").count() == 0  # none of them is clean
        assert page.locator("#board-show").evaluate("s => s.options[s.selectedIndex].text") == "Requiere atención"
        # the menu's width shows its words (a phone squeezed "Sin comprobar aún" before)
        assert page.locator("#board-show").evaluate("s => s.scrollWidth <= s.clientWidth + 1")
        assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
        # each month opened from here carries the filter: its "Next client waiting" goes through these 4
        href = rows.first.locator("a[data-checks-link]").get_attribute("href")
        assert "show%3Dattention" in href
        screenshot(page, f"board-needs-a-look-{width}-es")
    finally:
        context.close()
