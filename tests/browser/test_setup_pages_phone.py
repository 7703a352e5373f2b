"""A new client's set-up pages as the agency admin reads them, at 1440 and 390 px in Spanish: the
home's checklist shows its own ✔ / ○ marks (a list bullet stood beside each, "• ○ Festivos"), and
a criteria version's rules (fit, each scoring rule, the threshold, the buying signals) read whole,
each name above its value on a phone."""

from __future__ import annotations

import pytest

from clients.criteria.services import criteria_version_create
from tests.browser.conftest import ARTIFACTS
from tests.browser.test_portal_shell import sign_in
from tests.browser.test_report import _no_overflow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CRITERIA = {
    "fit": {"all": [{"field": "employees", "op": "between", "value": [10, 5000]},
                    {"field": "vertical", "op": "in", "value": ["saas", "fintech", "retail"]}]},
    "threshold": 35,
    "points": [{"action": "content_download", "points": 10}, {"field": "employees", "op": "gte", "value": 250, "points": 25}],
    "sales_ready_actions": ["demo_request", "contact_request"],
}


@pytest.mark.parametrize("width", [1440, 390])
def test_the_checklist_and_the_criteria_rules_read_whole_in_spanish(page, portal, admin_user, tenants, width) -> None:
    admin_user.language = "es"
    admin_user.save()
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, portal.client("alpha"), admin_user.username)
    page.wait_for_load_state()
    page.goto(portal.client("alpha") + "/")
    checklist = page.locator("#setup-checklist ul.checklist")
    assert checklist.evaluate("e => getComputedStyle(e).listStyleType") == "none", "a bullet beside each ✔ / ○"
    marks = checklist.locator("li > span[aria-hidden=true]").all_inner_texts()
    assert marks and set(marks) <= {"✔", "○"}, marks
    _no_overflow(page)
    page.screenshot(path=str(ARTIFACTS / f"setup-checklist-es-{width}.png"), full_page=True)

    criteria_version_create(criteria=CRITERIA, effective_from="2026-01-01", author=admin_user, client=tenants["alpha"])
    page.goto(portal.client("alpha") + "/criteria/1/")
    rules = page.locator("#criteria-rules dl.criteria-rules")
    text = " ".join(rules.inner_text().split())
    for said in ("Descarga de contenido: 10 puntos", "Empleados al menos 250: 25 puntos", "35",
                 "Solicitud de demo, Solicitud de contacto"):
        assert said in text, text
    if width == 390:  # each name above its value, never a column of one word a line
        names, values = rules.locator("dt").first.bounding_box(), rules.locator("dd").first.bounding_box()
        assert values["y"] >= names["y"] + names["height"] - 1, (names, values)
    _no_overflow(page)
    page.screenshot(path=str(ARTIFACTS / f"criteria-rules-es-{width}.png"), full_page=True)


@pytest.mark.parametrize("width", [1440, 390])
def test_the_holidays_page_adds_spains_days_in_spanish(page, portal, staff_a, tenants, width) -> None:
    """Holidays at 1440 and 390 px in Spanish: the country's days added from the page, the list filled,
    nothing wider than the screen."""
    from django_tenants.utils import schema_context

    from clients.models import Holiday

    staff_a.language = "es"
    staff_a.save()
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, portal.client("alpha"), staff_a.username)
    page.wait_for_load_state()
    page.goto(portal.client("alpha") + "/holidays/")
    regions = page.locator("#public-holidays select[name=region]").inner_text()
    assert "Nueva York (NY)" in regions and "Carolina del Norte (NC)" in regions and "New York" not in regions
    page.select_option("#public-holidays select[name=country]", "ES")
    page.select_option("#public-holidays select[name=region]", "ES-CT")
    page.fill("#public-holidays input[name=first_year]", "2026")
    page.fill("#public-holidays input[name=last_year]", "2026")
    with page.expect_navigation():
        page.click("#public-holidays button[type=submit]")
    assert "festivos oficiales de España (Cataluña) añadidos para 2026" in page.locator("body").inner_text()
    assert "2026-09-11" in page.locator("textarea[name=dates]").input_value()  # Catalonia's own day
    with schema_context("alpha"):
        assert Holiday.objects.filter(date="2026-12-25").exists()
    _no_overflow(page)
    page.screenshot(path=str(ARTIFACTS / f"holidays-es-{width}.png"), full_page=True)
