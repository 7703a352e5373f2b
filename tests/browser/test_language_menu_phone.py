"""The header's language menu on a phone: "Español (México)" made it 125 px wide beside the account's
name; it now shows the language's code and keeps the full names for whoever reads the select itself."""

from __future__ import annotations

import pytest

from tests.browser.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_language_menu_is_a_code_on_a_phone_and_keeps_its_names(browser, portal) -> None:
    context = browser.new_context(locale="es-MX", viewport={"width": 390, "height": 700})
    page = context.new_page()
    page.goto(portal.console + "/accounts/login/")
    pick = page.locator(".language-pick")
    assert page.locator(".language-code").inner_text().startswith("ES-MX")
    assert pick.bounding_box()["width"] <= 80
    select = page.get_by_role("combobox", name="Idioma")  # its accessible name, as before
    assert select.evaluate("e => e.selectedOptions[0].textContent") == "Español (México)"
    box, over = select.bounding_box(), pick.bounding_box()
    assert (round(box["width"]), round(box["height"])) == (round(over["width"]), round(over["height"]))  # a tap opens it
    screenshot(page, "language-menu-390-es-mx")
    select.select_option("en")  # still a working menu
    page.get_by_role("combobox", name="Language").wait_for()
    assert page.locator(".language-code").inner_text().startswith("EN")
    context.close()
    wide = browser.new_context(locale="es-MX", viewport={"width": 1440, "height": 700}).new_page()
    wide.goto(portal.console + "/accounts/login/")
    assert not wide.locator(".language-code").is_visible()
    assert wide.get_by_role("combobox", name="Idioma").is_visible()  # the full names on a wide screen
    wide.context.close()
