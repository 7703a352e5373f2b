"""One client's month closed with the keyboard alone, from the board filtered to the months waiting:
Enter on the client's March, "To Approve ↓", the Approve button, and after the approval the keyboard
is on "Next client waiting" (it was at the top of the page, nineteen Tabs away), whose Enter opens the
next client's March with the board's filter still on."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from playwright.sync_api import expect

from portfolio.models import ClientMonthClose
from reports.services import month_reviews_start
from tests.browser.conftest import new_page, screenshot, sign_in_home
from tests.browser.test_close_board import _beta_march, _focused_title
from tests.reports.conftest import MARCH, march  # noqa: F401 -- alpha's closed March

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
APRIL_5 = dt.datetime(2026, 4, 5, 12, tzinfo=dt.UTC)


@pytest.mark.parametrize(("language", "locale", "jump", "next_word"), [
    ("es", "es-ES", "Ir a Aprobar ↓", "Siguiente cliente pendiente: Beta Brands"),
    ("en", "en-US", "To Approve ↓", "Next client waiting: Beta Brands"),
])
def test_a_month_closed_with_the_keyboard_then_the_next_client(
    browser, portal, march, tenant_b, staff_ab, language, locale, jump, next_word  # noqa: F811
) -> None:
    _beta_march(tenant_b)
    month_reviews_start(client=march, at=APRIL_5)
    month_reviews_start(client=tenant_b, at=APRIL_5)
    staff_ab.language = language
    staff_ab.save()
    context, page = new_page(browser, locale=locale, viewport={"width": 1440, "height": 1000})
    traveller = time_machine.travel(APRIL_5 + dt.timedelta(days=1), tick=True)
    traveller.start()
    try:
        sign_in_home(page, portal.console, staff_ab.username)
        page.goto(portal.console + "/board/?month=2026-03&show=waiting")
        expect(page.locator(".month-strip a.sq[tabindex='0']")).to_have_count(2)  # board.js ran
        page.locator("#board-q").focus()
        for _ in range(4):  # the box that ticks every clean month, alpha's tick box, alpha, alpha's March
            page.keyboard.press("Tab")
        assert _focused_title(page).startswith({"es": "marzo de 2026", "en": "March 2026"}[language])
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(r"http://alpha\.localhost:\d+/reports/2026-03/\?show=waiting"))
        for _ in range(30):  # down the header to the close's links
            page.keyboard.press("Tab")
            if _focused_title(page) == jump:
                break
        assert _focused_title(page) == jump
        page.keyboard.press("Enter")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.tagName") == "BUTTON"
        with page.expect_navigation():
            page.keyboard.press("Enter")
        page.wait_for_load_state()
        assert ClientMonthClose.objects.get(client=march, month=MARCH).state == "approved"
        expect(page.locator("a[data-next-client]")).to_be_focused()
        assert _focused_title(page).startswith(next_word)
        screenshot(page, f"close-keyboard-approved-1440-{language}")
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(r"http://beta\.localhost:\d+/reports/2026-03/\?show=waiting"))
        # beta's page, opened by a link and not after an approval: the keyboard starts at the top
        assert page.evaluate("document.activeElement === document.body")
    finally:
        traveller.stop()
        context.close()
