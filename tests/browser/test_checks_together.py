"""The same check at two clients (one outage), resolved with one note from the close board's "Needs a
look", in Spanish on a phone and in English at 1440 px: the clients ticked, a confirmation listing
them, then both resolved and the note on each client's month."""

from __future__ import annotations

import datetime as dt

import pytest
from django_tenants.utils import schema_context
from playwright.sync_api import expect

from kpis.models import CheckResult
from kpis.services import snapshot_compute
from reports.services import month_review_start
from tests.browser.conftest import new_page, screenshot, sign_in_home
from tests.kpis.test_checks_stored import GAP, MONTHS, OCT, seed

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
KEY = "coverage.source_gap"
WORDS = {
    "es": {"lead": "Resolver la misma comprobación en varios clientes a la vez…", "tick": "Resolver en los clientes marcados…",
           "confirm": "Resolver 2 comprobaciones", "done": "Comprobación resuelta en 2 clientes"},
    "en": {"lead": "Resolve the same check for several clients at once…", "tick": "Resolve for the ticked clients…",
           "confirm": "Resolve 2 checks", "done": "Check resolved for 2 clients"},
}


@pytest.mark.parametrize(("language", "width"), [("es", 390), ("en", 1440)])
def test_one_note_for_the_same_check_at_two_clients_from_needs_a_look(
    browser, portal, tenants, staff_ab, language, width
) -> None:
    for tenant in (tenants["alpha"], tenants["beta"]):
        with schema_context(tenant.schema_name):
            seed(gap=GAP, twins=True)
        snapshot_compute(client=tenant, months=MONTHS)
        month_review_start(client=tenant, month=OCT.first_day, at=dt.datetime(2026, 11, 10, 9, tzinfo=dt.UTC))  # waiting
    staff_ab.language = language
    staff_ab.save()
    words = WORDS[language]
    context, page = new_page(browser, locale={"es": "es-ES", "en": "en-US"}[language], viewport={"width": width, "height": 900})
    try:
        sign_in_home(page, portal.console, staff_ab.username)
        page.goto(portal.console + "/board/?month=2026-10&show=attention")
        page.get_by_role("link", name=words["lead"]).click()
        page.locator(f'[data-check-key="{KEY}"] a').click()
        boxes = page.locator("input[name=pick]")
        expect(boxes).to_have_count(2)
        assert all(box.is_checked() for box in boxes.all())
        page.locator("#together-note").fill("Google Ads outage, 6-8 Oct")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        screenshot(page, f"checks-together-{width}-{language}")
        page.get_by_role("button", name=words["tick"]).click()
        rows = page.locator("[data-together-client]")
        expect(rows).to_have_count(2)
        expect(page.locator("[data-together-note]")).to_have_text("Google Ads outage, 6-8 Oct")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        screenshot(page, f"checks-together-confirm-{width}-{language}")
        confirm = page.get_by_role("button", name=words["confirm"], exact=True)
        expect(confirm).to_be_focused()  # Enter resolves: the keyboard goes on from here
        page.keyboard.press("Enter")
        expect(page.get_by_text(words["done"])).to_be_visible()
        for tenant in ("alpha", "beta"):
            with schema_context(tenant):
                assert CheckResult.objects.get(month=OCT.first_day, key=KEY).resolution_note == "Google Ads outage, 6-8 Oct"
    finally:
        context.close()
