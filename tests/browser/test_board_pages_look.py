"""The pages issue #23 added or changed, in Spanish at 1440 and 390 px: none is wider than the
screen, the header is one line at 1440 px and folded under "Menú" on a phone; each is kept as a
screenshot to look at."""

from __future__ import annotations

import datetime as dt

import pytest

from agency.models import AgencyBrand
from reports.services import month_reviews_start
from tests.browser.conftest import screenshot, sign_in_home
from tests.reports.conftest import march  # noqa: F401 -- alpha's closed March

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SIZES = {"1440": {"width": 1440, "height": 900}, "390": {"width": 390, "height": 844}}


def test_the_changed_pages_fit_at_1440_and_390_in_spanish(browser, portal, march, admin_user) -> None:  # noqa: F811
    month_reviews_start(client=march, at=dt.datetime(2026, 4, 5, tzinfo=dt.UTC))
    AgencyBrand.objects.update_or_create(pk=1, defaults={"name": "Northwind Growth"})  # the demo's, a little long
    admin_user.language = "es"
    admin_user.save()
    pages = {
        "board": portal.console + "/board/?month=2026-03",
        "template": portal.console + "/clients/alpha/template/",
        "client-add": portal.console + "/clients/new/",
        "brand": portal.console + "/brand/",
    }
    for size, viewport in SIZES.items():
        context = browser.new_context(locale="es-ES", viewport=viewport)
        page = context.new_page()
        try:
            sign_in_home(page, portal.console, admin_user.username)
            for name, url in pages.items():
                page.goto(url)
                assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"], name
                header = page.locator("header.topbar").bounding_box()
                # the agency's name and "Consola de la agencia" whole, never clipped
                assert page.evaluate("(b => b.scrollWidth <= b.clientWidth)(document.querySelector('.brand'))"), name
                if size == "1440":
                    # one line: every item of the bar on the same row (two rows were 77 px tall)
                    tops = page.eval_on_selector_all(
                        "#main-nav > *", "els => els.map(e => Math.round(e.getBoundingClientRect().top))"
                    )
                    widths = page.eval_on_selector_all(
                        ".topbar > *, #main-nav > *",
                        "els => els.map(e => [e.textContent.trim().slice(0, 30), Math.round(e.getBoundingClientRect().width)])",
                    )
                    assert len(set(tops)) == 1, (name, tops, widths)
                    assert header["height"] < 60, (name, header)
                else:
                    assert header["height"] < 130, (name, header)  # folded under Menú
                screenshot(page, f"issue23-{name}-{size}-es")
            if size == "1440":  # the admin's pages are one click away, under "Ajustes"
                page.locator(".settings-menu summary").click()
                page.get_by_role("link", name="Aplicaciones de plataformas").click()
                assert page.url.endswith("/connections/apps/")
            if size == "390":
                page.get_by_text("Menú").click()
                page.get_by_role("link", name="Tablero de cierre").wait_for()
                screenshot(page, f"issue23-menu-open-{size}-es")
        finally:
            context.close()


def test_a_clients_portal_bar_is_one_line_at_1440_in_spanish_for_staff(browser, portal, march, admin_user) -> None:  # noqa: F811
    """Staff in a client's portal had eleven items on two rows in Spanish; the set-up pages are under
    "Configuración" and the way back to the console heads the client menu, each one click away."""
    admin_user.language = "es"
    admin_user.save()
    context = browser.new_context(locale="es-ES", viewport=SIZES["1440"])
    page = context.new_page()
    try:
        sign_in_home(page, portal.client("alpha"), admin_user.username)
        page.goto(portal.client("alpha") + "/personas/")
        tops = page.eval_on_selector_all("#main-nav > *", "els => els.map(e => Math.round(e.getBoundingClientRect().top))")
        screenshot(page, "client-bar-1440-es")
        widths = page.eval_on_selector_all(
            ".topbar > *, #main-nav > *",
            "els => els.map(e => [e.textContent.trim().slice(0, 20), Math.round(e.getBoundingClientRect().width)])",
        )
        assert len(set(tops)) == 1, (tops, widths)
        assert page.locator("header.topbar").bounding_box()["height"] < 60
        page.locator(".setup-menu summary").click()
        page.get_by_role("link", name="Criterios").click()
        page.wait_for_url("**/criteria/**")
        page.locator(".switcher:not(.setup-menu) summary").click()
        page.get_by_role("link", name="← Consola de la agencia").click()
        page.wait_for_url(portal.console + "/**")  # the console's own host (its sign-in, if not signed in there)
    finally:
        context.close()


def test_a_long_client_name_keeps_the_bar_one_line_at_1440_in_mexican_spanish(browser, portal, march, admin_user) -> None:  # noqa: F811
    """A new client "Panadería Sol de Oaxaca", staff in Spanish (Mexico): its name (up to 16rem) and
    the wider "Español (México)" pushed "Cambiar de cliente" to a second row. The name gives way
    (cut with an ellipsis, whole in its title and the page's heading)."""
    march.name = "Panadería Sol de Oaxaca del Valle"
    march.save(update_fields=["name"])
    admin_user.language = "es-mx"
    admin_user.save()
    context = browser.new_context(locale="es-MX", viewport=SIZES["1440"])
    page = context.new_page()
    try:
        sign_in_home(page, portal.client("alpha"), admin_user.username)
        tops = page.eval_on_selector_all("#main-nav > *", "els => els.map(e => Math.round(e.getBoundingClientRect().top))")
        widths = page.eval_on_selector_all(
            ".topbar > *, #main-nav > *",
            "els => els.map(e => [e.textContent.trim().slice(0, 20), Math.round(e.getBoundingClientRect().width)])",
        )
        screenshot(page, "client-bar-long-name-1440-es-mx")
        assert len(set(tops)) == 1, (tops, widths)
        assert page.locator("header.topbar").bounding_box()["height"] < 60
        assert page.locator(".brand-name").get_attribute("title") == "Panadería Sol de Oaxaca del Valle"
    finally:
        context.close()
