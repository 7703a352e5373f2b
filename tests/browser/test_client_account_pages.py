"""A client user's account pages in a real browser: on a phone "Menú" opened an empty menu there (the
pages had no links in the bar), and at 1440 px the bar had none; the home's pointer to the figures
they may read before the first approval, on a phone. Screenshots in English and Spanish."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import new_page, screenshot, sign_in_home
from tests.reports.conftest import march  # noqa: F401 -- alpha's closed March

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SIZES = {"1440": {"width": 1440, "height": 900}, "390": {"width": 390, "height": 844}}
WORDS = {"es": ("Menú", "Informe", "Ver las cifras de marzo de 2026"),
         "en": ("Menu", "Report", "See the figures of March 2026")}


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_client_user_finds_the_portals_links_on_the_account_pages(browser, portal, march, client_user_a, language) -> None:  # noqa: F811
    client_user_a.language = language
    client_user_a.save()
    menu, scorecard, figures = WORDS[language]
    base = portal.client("alpha")
    for size, viewport in SIZES.items():
        context, page = new_page(browser, locale="es-ES" if language == "es" else "en-GB", viewport=viewport)
        try:
            sign_in_home(page, base, client_user_a.username)
            page.get_by_role("link", name=figures).click()  # the home's pointer, then back
            expect(page).to_have_url(base + "/scorecard/?month=2026-03")
            page.locator("[data-unreviewed]").wait_for()
            for path in ("/accounts/email-preferences/", "/accounts/password/change/"):
                page.goto(base + path)
                if size == "390":
                    page.get_by_text(menu, exact=True).click()
                link = page.locator("#main-nav").get_by_role("link", name=scorecard, exact=True)
                expect(link).to_be_visible()
                assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"], path
                screenshot(page, f"client-account{path.replace('/', '-').rstrip('-')}-{size}-{language}")
            link.click()
            expect(page).to_have_url(base + "/scorecard/")
        finally:
            context.close()


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_client_users_address_is_whole_in_the_bar(browser, portal, client_user_a, language) -> None:
    """"ana@acme.e…" at 1440 px, beside a bar with four links: a client user's bar has room for it."""
    client_user_a.email, client_user_a.language = "ana.garcia@acme-robotics.com", language
    client_user_a.save()
    for size, viewport in SIZES.items():
        context, page = new_page(browser, locale="es-ES" if language == "es" else "en-GB", viewport=viewport)
        try:
            sign_in_home(page, portal.client("alpha"), client_user_a.username)
            who = page.locator(".account-menu summary.who")
            expect(who).to_have_text("ana.garcia@acme-robotics.com")
            assert who.evaluate("el => el.scrollWidth <= el.clientWidth"), size  # not cut with an ellipsis
            assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"], size
            if size == "1440":
                assert page.locator("header.topbar").bounding_box()["height"] < 60  # the bar stays one line
            screenshot(page, f"client-bar-address-{size}-{language}")
        finally:
            context.close()


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_sign_in_pages_offer_no_empty_menu_on_a_phone(browser, portal, client_user_a, language) -> None:
    """Signed out, the bar has no links, yet a phone showed "Menú", which opened nothing."""
    context, page = new_page(browser, locale="es-ES" if language == "es" else "en-GB", viewport=SIZES["390"])
    menu = WORDS[language][0]
    base = portal.client("alpha")
    try:
        for path in ("/accounts/login/", "/accounts/password/reset/"):
            page.goto(base + path)
            page.locator("main form").wait_for()
            expect(page.get_by_text(menu, exact=True)).to_have_count(0)
            screenshot(page, f"client-signed-out{path.replace('/', '-').rstrip('-')}-390-{language}")
        sign_in_home(page, base, client_user_a.username)
        expect(page.get_by_text(menu, exact=True)).to_be_visible()  # signed in, the menu has the portal's links
    finally:
        context.close()
