"""The console's clients at 390 px, in Spanish: each client a card of labelled lines — no column head
split as "Addr ess" nor a button as "Ope n porta l" — and the clients by name, so the one just added
is where its name puts it (the list was in no order)."""

from __future__ import annotations

import pytest

from agency.models import Client
from tests.browser.conftest import ARTIFACTS
from tests.browser.test_portal_shell import sign_in
from tests.browser.test_report import _no_overflow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _public_only(slug: str, name: str) -> Client:
    client = Client(schema_name=f"t_{slug}", slug=slug, name=name, is_ready=True)
    client.auto_create_schema = False
    client.save()
    return client


@pytest.mark.parametrize("width", [1440, 390])
def test_the_console_lists_clients_by_name_and_fits_a_phone(page, portal, admin_user, tenants, width) -> None:
    _public_only("zeta", "Zeta Zapatos")
    _public_only("clinica-sol", "Clínica Sol")
    admin_user.language = "es"
    admin_user.save()
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, portal.console, admin_user.username)
    page.wait_for_load_state()
    page.goto(portal.console + "/")
    table = page.locator("main table.console-clients")
    names = table.locator("tbody tr td:first-child a").all_inner_texts()
    assert names == ["Alpha Analytics", "Beta Brands", "Clínica Sol", "Zeta Zapatos"], names
    button = table.locator("tbody tr").first.locator("a.button")
    assert button.evaluate("b => b.scrollHeight <= parseFloat(getComputedStyle(b).lineHeight) * 1.5 + 24"), \
        "the button's words split over several lines"
    if width == 390:
        label = table.locator("tbody tr").first.locator("td[data-label]").first.evaluate(
            "c => getComputedStyle(c, '::before').content")
        assert label == '"Dirección: "', label
    _no_overflow(page)
    page.screenshot(path=str(ARTIFACTS / f"console-clients-es-{width}.png"), full_page=True)


def test_a_clients_settings_read_whole_on_a_phone(page, portal, admin_user, tenants) -> None:
    """Each setting's name on its line above its value; they were one letter a line beside the values."""
    page.set_viewport_size({"width": 390, "height": 900})
    sign_in(page, portal.console, admin_user.username)
    page.wait_for_load_state()
    page.goto(portal.console + "/clients/alpha/")
    names = page.locator("main dl.settings-list dt")
    assert names.count() >= 5
    for name in names.all():
        lines = name.evaluate("d => d.getBoundingClientRect().height / parseFloat(getComputedStyle(d).lineHeight)")
        assert lines < 2.5, (name.inner_text(), lines)  # "Days before a closed month goes to review" may take two
    _no_overflow(page)
    page.screenshot(path=str(ARTIFACTS / "console-client-settings-390.png"), full_page=True)


HOST_LINES = """() => [...document.querySelectorAll('main code.host')].map(code => [
    code.textContent,
    [...code.querySelectorAll(':scope > span')].map(label =>
        Math.round(label.getBoundingClientRect().height / parseFloat(getComputedStyle(code).lineHeight))),
    code.getClientRects().length])"""


@pytest.mark.parametrize(("width", "language"), [(1440, "en"), (1440, "es"), (390, "en"), (390, "es")])
def test_a_clients_addresses_break_only_before_a_dot(page, portal, admin_user, tenants, width, language) -> None:
    """"stark.localhos" / "t" beside "Addresses" at 1440 px: a host name now fits its column there, and
    where it cannot it wraps before a dot ("reports.stark-industries-international" / ".example"),
    never inside a label nor after a hyphen; copied, it is the host as it is."""
    from agency.services_domains import domain_claim_create

    domain_claim_create(client=tenants["alpha"], domain="reports.stark-industries-international.example")
    admin_user.language = language
    admin_user.save()
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, portal.console, admin_user.username)
    page.wait_for_load_state()
    page.goto(portal.console + "/clients/alpha/")
    hosts = page.evaluate(HOST_LINES)
    texts = [text for text, _labels, _lines in hosts]
    assert texts[0] == "alpha.localhost" and "reports.stark-industries-international.example" in texts, texts
    for text, labels, _lines in hosts:
        assert set(labels) == {1}, (text, labels)  # every label on one line: no break inside one
    assert hosts[0][2] == 1, hosts[0]  # the client's own address fits beside "Addresses" / "Direcciones"
    _no_overflow(page)
    page.screenshot(path=str(ARTIFACTS / f"console-client-addresses-{language}-{width}.png"), full_page=True)
