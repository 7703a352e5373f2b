"""An account manager reorders the buyer personas from the keyboard, in Spanish, at 1440 and 390 px:
the order is the priority a lead's first match follows (kpis.md "Persona"), so it is kept and the
leads are judged again."""

from __future__ import annotations

import datetime as dt

import pytest
from django_tenants.utils import schema_context

from clients.criteria.services import personas_set
from clients.models import Lead, Persona
from tests.browser.conftest import ARTIFACTS
from tests.browser.test_portal_shell import sign_in
from tests.browser.test_report import _no_overflow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1440, 390])
def test_personas_are_reordered_with_the_keyboard_and_leads_follow_the_new_order(
    page, portal, staff_a, tenant_a, width
) -> None:
    with schema_context("alpha"):
        Lead.objects.create(id="big", created_at=dt.datetime(2026, 1, 5, tzinfo=dt.UTC), employees=5000)
    personas_set(client=tenant_a, personas=[
        {"code": "any-size", "name": "Cualquier empresa", "match": {"field": "employees", "op": "gte", "value": 1}},
        {"code": "enterprise", "name": "Gran empresa", "match": {"field": "employees", "op": "gte", "value": 1000}},
    ])
    staff_a.language = "es"
    staff_a.save()
    base = portal.client("alpha")
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, base, staff_a.username)
    page.wait_for_url(base + "/")
    page.goto(base + "/personas/")
    up = page.get_by_role("button", name="Subir Gran empresa")
    assert page.get_by_role("button", name="Subir Cualquier empresa").is_disabled()  # already first
    up.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(base + "/personas/#persona-enterprise")
    assert page.locator("tbody tr").first.get_attribute("id") == "persona-enterprise"
    assert "«Gran empresa» se movió hacia arriba" in page.locator("#messages").inner_text()
    _no_overflow(page)
    page.screenshot(path=str(ARTIFACTS / f"persona-order-es-{width}.png"), full_page=True)
    with schema_context("alpha"):
        assert list(Persona.objects.order_by("priority").values_list("code", flat=True)) == ["enterprise", "any-size"]
        assert Lead.objects.get(id="big").persona == "enterprise"
