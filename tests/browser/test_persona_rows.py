"""An account manager adds a buyer persona in Spanish with two rows (no JSON): a bad value gets its
error beside the row, fixing it clears that error and shows the leads the rule would match, the
persona is saved with the spec's JSON and its count shows again when reopened; at 1440 and 390 px."""

from __future__ import annotations

import datetime as dt

import pytest
from django_tenants.utils import schema_context

from clients.models import Lead, Persona
from tests.browser.conftest import ARTIFACTS
from tests.browser.test_portal_shell import sign_in
from tests.browser.test_report import _no_overflow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1440, 390])
def test_a_persona_is_added_with_two_rows_in_spanish_and_shows_its_count(page, portal, staff_a, width) -> None:
    with schema_context("alpha"):
        for index, (employees, vertical) in enumerate([(900, "saas"), (300, "saas"), (700, "retail"), (20, "saas")]):
            Lead.objects.create(id=f"l{index}", created_at=dt.datetime(2026, 1, 5, tzinfo=dt.UTC),
                                employees=employees, vertical=vertical)
    staff_a.language = "es"
    staff_a.save()
    base = portal.client("alpha")
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, base, staff_a.username)
    page.wait_for_url(base + "/")
    page.goto(base + "/personas/new/")
    page.get_by_label("Código").fill("operaciones")
    page.get_by_label("Nombre").fill("Operaciones")
    page.get_by_role("button", name="Añadir regla").click()  # a new persona starts with one row
    page.locator("[name='rule-r.1-value']").wait_for()
    page.select_option("[name='rule-r.0-field']", "employees")
    page.select_option("[name='rule-r.0-op']", "gte")
    page.fill("[name='rule-r.0-value']", "doscientos")
    page.select_option("[name='rule-r.1-field']", "vertical")
    page.select_option("[name='rule-r.1-op']", "eq")
    page.fill("[name='rule-r.1-value']", "saas")
    page.get_by_role("button", name="Guardar").click()

    error = page.locator("#rule-r\\.0-error")
    assert error.inner_text() == "Escribe un número, como 250 o 1.000."
    assert page.locator("[name='rule-r.1-value']").input_value() == "saas"  # nothing typed is lost
    page.screenshot(path=str(ARTIFACTS / f"persona-rows-error-es-{width}.png"), full_page=True)

    page.fill("[name='rule-r.0-value']", "250")
    page.get_by_label("Nombre").click()  # the value's change: the live count answers
    headline = page.locator("#persona-count-headline")
    headline.wait_for()
    assert headline.inner_text() == "Esta regla la cumplen 2 de 4 leads del cliente."
    assert error.is_hidden() and page.locator("#rows-fault-summary").is_hidden()  # the fixed row's error is gone
    assert "Empleados al menos 250: 3 leads" in page.locator("#persona-count").inner_text()
    _no_overflow(page)
    page.screenshot(path=str(ARTIFACTS / f"persona-rows-count-es-{width}.png"), full_page=True)

    page.get_by_role("button", name="Guardar").click()
    page.wait_for_url(base + "/personas/")
    with schema_context("alpha"):
        assert Persona.objects.get(code="operaciones").match == {
            "all": [{"field": "employees", "op": "gte", "value": 250}, {"field": "vertical", "op": "eq", "value": "saas"}]
        }
    row = page.locator("main table.data tbody tr", has_text="Operaciones")
    assert "Empleados al menos 250 y Sector es «saas»" in row.inner_text()
    one_line = "e => { const r = document.createRange(); r.selectNodeContents(e); return r.getClientRects().length === 1; }"
    for cell in (row.locator("td a").first, page.locator("main table.data th").first):  # "Códi / go" at 390 px
        assert cell.evaluate(one_line), f"{cell.inner_text()} breaks over two lines"
    _no_overflow(page)

    row.get_by_role("link", name="operaciones").click()
    assert page.locator("#persona-count-headline").inner_text() == "Esta regla la cumplen 2 de 4 leads del cliente."
    assert page.locator("[name='rule-r.0-value']").input_value() == "250"
    page.screenshot(path=str(ARTIFACTS / f"persona-rows-edit-es-{width}.png"), full_page=True)
