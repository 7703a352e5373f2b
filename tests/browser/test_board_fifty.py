"""The close board of 50 clients, in Spanish and English: half-way down, "Approve the ticked
months…" is at the window's foot (it was under the 50th client), and at 1440 px the columns' names
stay at the window's top; on a phone the button follows as well."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import board_of_fifty, new_page, screenshot, sign_in_home

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(("language", "width", "button"), [
    ("es", 1440, "Aprobar el mes marcado…"),  # one ticked: the button says so
    ("en", 1440, "Approve the ticked month…"),
    ("es", 390, "Aprobar el mes marcado…"),
])
def test_approve_and_the_headers_stay_on_screen_down_50_clients(
    browser, portal, admin_user, tenants, language, width, button
) -> None:
    board_of_fifty(tenants, prefix="board")
    admin_user.language = language
    admin_user.save()
    context, page = new_page(browser, locale={"es": "es-ES", "en": "en-US"}[language], viewport={"width": width, "height": 900})
    try:
        sign_in_home(page, portal.console, admin_user.username)
        page.goto(portal.console + "/board/")
        boxes = page.locator("input[name=pick]")
        boxes.nth(49).wait_for(state="attached")
        every = {"es": "Marcar todos los meses limpios de esta página", "en": "Tick every clean month on this page"}[language]
        assert page.get_by_label(every).is_visible()  # on a phone too, with its words: not a clipped tab stop
        if width == 390:
            assert page.locator(".pick-all-words").is_visible()
        boxes.nth(24).scroll_into_view_if_needed()
        boxes.nth(24).check()  # a client half-way down
        approve = page.get_by_role("button", name=button)
        in_view = "e => { const r = e.getBoundingClientRect(); return r.top >= 0 && r.bottom <= window.innerHeight; }"
        assert approve.evaluate(in_view), "Approve is below the last client, out of sight"
        assert approve.evaluate("e => e.contains(document.elementFromPoint(e.getBoundingClientRect().left + 5, "
                                "e.getBoundingClientRect().top + 5))"), "a row is drawn over Approve"
        if width == 1440:
            header = page.locator("table.board thead th").nth(1)
            assert abs(header.evaluate("e => e.getBoundingClientRect().top")) <= 1, "the columns' names scrolled away"
        assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
        screenshot(page, f"board-fifty-{width}-{language}")
        approve.click()
        page.wait_for_url("**/board/approve/")
        page.locator("main").get_by_text("Cliente 22").wait_for()  # the confirmation lists the one ticked (by name: the 25th)
    finally:
        context.close()


def test_one_box_ticks_every_clean_month_of_the_page(browser, portal, admin_user, tenants) -> None:
    """50 clean months were 50 clicks before the confirmation: the header's box ticks them all (and
    says when only some are ticked); the confirmation lists the 50."""
    board_of_fifty(tenants, prefix="board")
    admin_user.language = "es"
    admin_user.save()
    context, page = new_page(browser, locale="es-ES", viewport={"width": 1440, "height": 900})
    try:
        sign_in_home(page, portal.console, admin_user.username)
        page.goto(portal.console + "/board/")
        every = page.get_by_label("Marcar todos los meses limpios de esta página")
        every.check()
        assert page.locator("input[name=pick]:checked").count() == 50
        assert every.is_visible()
        approve = page.locator("[data-approve-ticked]")
        expect(approve).to_have_text("Aprobar los 50 meses marcados…")  # the button counts the ticked months
        page.locator("input[name=pick]").nth(3).uncheck()
        assert every.evaluate("e => e.indeterminate && !e.checked"), "the header says all are ticked when one is not"
        expect(approve).to_have_text("Aprobar los 49 meses marcados…")
        every.check()
        every.uncheck()
        expect(approve).to_have_text("Aprobar los meses marcados…")  # none ticked: its words without a count
        every.check()
        assert page.locator("input[name=pick]:checked").count() == 50
        screenshot(page, "board-fifty-every-ticked-1440-es")
        page.get_by_role("button", name="Aprobar los 50 meses marcados…").click()
        page.get_by_role("heading", name=re.compile("Aprobar 50 meses")).wait_for()
        assert page.locator("main table tbody tr").count() == 50
    finally:
        context.close()


def test_every_clean_month_to_the_confirmation_in_three_keys(browser, portal, admin_user, tenants) -> None:
    """From the keyboard "Approve the ticked months…" seemed three Tabs a client down the page (150 for
    50 clients), and the board did not say otherwise: Tab to the header's box, Space ticks every clean
    month, Enter (the form's implicit submission) goes to the confirmation, and the board says so."""
    board_of_fifty(tenants, prefix="board")
    context, page = new_page(browser, locale="en-US", viewport={"width": 1440, "height": 900})
    try:
        sign_in_home(page, portal.console, admin_user.username)
        page.goto(portal.console + "/board/")
        page.locator("input[name=pick]").nth(49).wait_for(state="attached")
        assert "Enter on a box goes to the confirmation" in page.locator("#board-keys").inner_text()
        page.locator("#board-q").focus()
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.getAttribute('title')") == "Tick every clean month on this page"
        page.keyboard.press("Space")
        assert page.locator("input[name=pick]:checked").count() == 50
        page.keyboard.press("Enter")
        page.get_by_role("heading", name=re.compile("Approve 50 months")).wait_for()
        assert page.evaluate("document.activeElement.type") == "submit"  # one more Enter approves
    finally:
        context.close()
