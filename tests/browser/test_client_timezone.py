"""The client's time zone on its report settings screen, in a real browser at 1440 and 390 px in
Spanish: the consequence said beside the choice, the change confirmed, nothing scrolling sideways."""

from __future__ import annotations

import pytest

from agency.models import Client
from tests.browser.conftest import new_page, screenshot, sign_in_home
from tests.browser.test_report import _no_overflow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WIDTHS = {"1440": {"width": 1440, "height": 1000}, "390": {"width": 390, "height": 844}}


def test_staff_change_the_time_zone_in_spanish(browser, portal, staff_a) -> None:
    staff_a.language = "es"
    staff_a.save()
    context, page = new_page(browser, locale="es")
    try:
        sign_in_home(page, portal.console, staff_a.username)
        for width, viewport in WIDTHS.items():
            page.set_viewport_size(viewport)
            assert page.goto(portal.console + "/clients/alpha/report/").status == 200
            form = page.locator("#client-timezone")
            assert "todos los meses del cliente se calculan de nuevo en la nueva zona" in form.inner_text()
            if width == "390":
                _no_overflow(page)
            form.scroll_into_view_if_needed()
            screenshot(page, f"client-timezone-es-{width}")
        form.locator("select").select_option("America/Mexico_City")
        form.get_by_role("button", name="Cambiar la zona horaria").click()
        page.wait_for_url(portal.console + "/clients/alpha/report/")
        assert "Zona horaria cambiada de Europe/Madrid a America/Mexico_City" in page.locator("#messages").inner_text()
        assert Client.objects.get(slug="alpha").timezone == "America/Mexico_City"
        page.locator("#client-timezone").screenshot(path=str(screenshot(page, "client-timezone-changed-es-390")))
    finally:
        context.close()
