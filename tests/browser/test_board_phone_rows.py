"""The close board of 50 clients on a phone, in English and Spanish: a row per client — its name (one
tap opens the month), state, checks and days waiting —, the rest folded under "More", from the
keyboard too. It was a card of six labelled lines each: 50 clients were about 12,500 px at 390 px.
At 1440 px the table is as it was: every column, no "More"."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import board_of_fifty, new_page, screenshot, sign_in_home

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
MORE = {"en": "More about {}", "es": "Más sobre {}"}


@pytest.mark.parametrize("language", ["en", "es"])
def test_fifty_clients_are_a_row_each_on_a_phone_with_the_rest_folded(browser, portal, admin_user, tenants, language) -> None:
    board_of_fifty(tenants, prefix="rows", open_checks=frozenset({3}))
    admin_user.language = language
    admin_user.save()
    context, page = new_page(browser, locale={"es": "es-ES", "en": "en-US"}[language], viewport={"width": 390, "height": 844})
    try:
        sign_in_home(page, portal.console, admin_user.username)
        page.goto(portal.console + "/board/")
        rows = page.locator("table.board tbody tr")
        expect(rows).to_have_count(50)
        height = page.evaluate("document.documentElement.scrollHeight")
        assert height < 7000, height  # six lines a client were ~12,500 px; a row each, about 5,900 px
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        row = page.locator("table.board tbody tr", has=page.locator("[data-checks-link]"))  # the client with 2 open
        link = row.locator("th > a")
        name = link.inner_text().strip()
        assert "/reports/" in link.get_attribute("href")  # one tap opens the month
        for cell in ("td.state .badge", "td.checks", "td.num"):
            assert row.locator(cell).is_visible(), cell
        checks = {"en": "2 open", "es": "2 abiertas"}[language]
        expect(row.locator("td.checks")).to_contain_text(checks)
        for cell in row.locator("td.more").all():
            assert not cell.is_visible()
        # each row is two lines, not six: its height is a few lines of text
        assert row.bounding_box()["height"] < 110, row.bounding_box()
        screenshot(page, f"board-rows-390-{language}")
        # the keyboard: from the name, Tab reaches "More"; Enter unfolds, and Tab goes on into the squares
        more = row.get_by_role("button", name=MORE[language].format(name))
        expect(more).to_have_attribute("aria-expanded", "false")
        link.focus()
        page.keyboard.press("Tab")
        assert more.evaluate("e => e === document.activeElement")
        page.keyboard.press("Enter")
        expect(more).to_have_attribute("aria-expanded", "true")
        assert row.locator("td.months-col").is_visible() and row.locator("td.more").first.is_visible()
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.matches('[data-checks-link]')")  # its checks, a link
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.matches('.month-strip a.sq')")  # then its months
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Space")  # a button: Space works as Enter
        expect(more).to_have_attribute("aria-expanded", "false")
        assert not row.locator("td.months-col").is_visible()
        more.click()  # a tap unfolds as well
        expect(row.locator("td.months-col")).to_be_visible()
        screenshot(page, f"board-rows-390-{language}-more")
    finally:
        context.close()


def test_the_wide_board_keeps_every_column_and_no_more_button(browser, portal, admin_user, tenants) -> None:
    board_of_fifty(tenants, prefix="wide")
    context, page = new_page(browser, locale="en-US", viewport={"width": 1440, "height": 900})
    try:
        sign_in_home(page, portal.console, admin_user.username)
        page.goto(portal.console + "/board/")
        row = page.locator("table.board tbody tr").first
        expect(page.locator("table.board tbody tr")).to_have_count(50)
        assert row.locator("td.months-col").is_visible() and all(cell.is_visible() for cell in row.locator("td.more").all())
        assert page.locator("[data-row-more]:visible").count() == 0
        assert page.locator("table.board thead th").nth(3).is_visible()
        screenshot(page, "board-rows-1440-en")
    finally:
        context.close()
