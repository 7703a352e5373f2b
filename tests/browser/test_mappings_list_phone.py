"""The saved mappings list on a phone, in Spanish and English: each mapping is a card whose Copy and
Remove stay on screen (the table scrolled them off sideways), its kind in words."""

from __future__ import annotations

import pytest

from agency.models import Client
from clients.mappings.saved import mapping_save
from tests.browser.conftest import new_page, screenshot, sign_in_home
from tests.browser.test_report import _no_overflow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
HEADER = ["Lead ID", "Lead Source", "Created Date", "Email", "Employees", "Annual Revenue"]
SPEC = {"kind": "leads", "columns": {"id": {"column": "Lead ID"}, "created_at": {"column": "Created Date"}},
        "date_format": "%d/%m/%Y", "decimal": ","}
WORDS = {"en": ("Remove", "Kind"), "es": ("Quitar", "Tipo")}


@pytest.mark.parametrize("language", ["en", "es"])
def test_each_saved_mapping_is_a_card_with_its_actions_on_a_phone(browser, portal, staff_a, language) -> None:
    alpha = Client.objects.get(slug="alpha")
    mapping_save(client=alpha, name="Salesforce leads report", spec=SPEC, header=HEADER)
    staff_a.language = language
    staff_a.save()
    context, page = new_page(browser, locale=language, viewport={"width": 390, "height": 844})
    try:
        sign_in_home(page, portal.client("alpha"), staff_a.username)
        assert page.goto(portal.client("alpha") + "/mappings/").status == 200
        screenshot(page, f"mappings-list-{language}-390")
        remove, kind = WORDS[language]
        button = page.locator("#mapping-list button", has_text=remove)
        box = button.bounding_box()
        assert box is not None and box["x"] + box["width"] <= 390  # on screen, not scrolled off
        cell = page.locator("#mapping-list td").first  # the kind, labelled on the card
        assert cell.inner_text() == "Leads" and cell.get_attribute("data-label") == kind
        _no_overflow(page)
    finally:
        context.close()
