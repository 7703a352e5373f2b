"""Adding a client in a real browser, in Spanish: the address is written from the name as it is
typed (accents and spaces folded), until staff edit it by hand; the gross margin says it is a fraction."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import new_page, screenshot, sign_in_home

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1440, 390])
def test_the_slug_follows_the_name_until_edited_by_hand(browser, portal, staff_a, width) -> None:
    context, page = new_page(browser, locale="es-ES", viewport={"width": width, "height": 900})
    try:
        sign_in_home(page, portal.console, staff_a.username)
        page.goto(portal.console + "/clients/new/")
        page.get_by_label("Nombre").press_sequentially("Ferretería Solís  S.A.")
        expect(page.get_by_label("Identificador")).to_have_value("ferreteria-solis-s-a")
        expect(page.get_by_text("0.65 es un margen del 65 %")).to_be_visible()
        expect(page.get_by_label("Partir de la configuración de otro cliente (opcional)")).to_contain_text(
            "Ninguno: empezar de cero"
        )
        screenshot(page, f"add-client-{width}-es")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.get_by_label("Identificador").fill("solis")
        page.get_by_label("Nombre").press_sequentially(" México")
        expect(page.get_by_label("Identificador")).to_have_value("solis")  # edited by hand: left alone
    finally:
        context.close()
