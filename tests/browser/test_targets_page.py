"""The targets page in a browser, in Spanish at 1440 and 390 px: every KPI's box fits (a card per KPI on
a phone, no sideways scroll), a wrong value is marked beside its field and nothing is saved, and the
fixed form saves through the end of the quarter."""

from __future__ import annotations

import datetime as dt

import pytest

from portfolio.models import Target
from tests.browser.conftest import opened, screenshot
from tests.browser.test_report import _no_overflow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1440, 390])
def test_staff_set_a_quarters_targets_in_one_form(browser, portal, staff_a, tenant_a, width) -> None:
    with opened(browser, portal, staff_a, "/targets/?month=2026-04", locale="es-ES",
                viewport={"width": width, "height": 900}) as page:
        assert page.locator("h1").inner_text() == "Objetivos de abril de 2026"
        _no_overflow(page)
        page.locator("#targets-new_leads").fill("40")
        page.locator("#targets-bounce_rate").fill("35")  # a rate as a percentage: refused
        page.locator("#targets-through").select_option("2026-06")
        page.get_by_role("button", name="Guardar los objetivos").click()
        page.wait_for_load_state()
        assert "1 objetivo necesita una corrección: no se ha guardado nada." in page.locator("[data-targets-errors]").inner_text()
        bounce = page.locator("#targets-bounce_rate")
        assert bounce.get_attribute("aria-invalid") == "true" and bounce.input_value() == "35"
        assert page.locator("#targets-bounce_rate_error").is_visible()
        assert page.locator("#targets-new_leads").input_value() == "40"  # what was typed stays
        assert page.locator("#targets-through").input_value() == "2026-06"
        assert not Target.objects.filter(client=tenant_a).exists()
        _no_overflow(page)
        screenshot(page, f"targets-error-es-{width}")
        bounce.fill("0,35")
        page.get_by_role("button", name="Guardar los objetivos").click()
        page.wait_for_load_state()
        assert "Objetivos guardados para abril de 2026 – junio de 2026: 6 fijados o cambiados" in page.locator(
            "#messages").inner_text()
        assert page.locator("#targets-bounce_rate").input_value() == "0,35"
    months = {t.month for t in Target.objects.filter(client=tenant_a, kpi="bounce_rate")}
    assert months == {dt.date(2026, 4, 1), dt.date(2026, 5, 1), dt.date(2026, 6, 1)}
