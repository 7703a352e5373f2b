"""The portal shell in a real browser: signing in, hosts, switching clients."""

from __future__ import annotations

import pytest

from tests.browser.conftest import screenshot
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, base: str, username: str) -> None:
    page.goto(base + "/accounts/login/")
    page.get_by_label("Email or username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_client_user_signs_in_at_its_host_and_sees_its_home(page, portal, client_user_a) -> None:
    sign_in(page, portal.client("alpha"), client_user_a.username)
    page.wait_for_url(portal.client("alpha") + "/")
    page.get_by_role("heading", name="Alpha Analytics: marketing at a glance").wait_for()
    # The panels arrive through HTMX with their empty states.
    page.get_by_text("Your agency has not added any of your data yet").wait_for()
    page.get_by_role("heading", name="People at your company").wait_for()
    screenshot(page, "client-home")


def test_the_same_user_gets_404_at_another_clients_host(page, portal, client_user_a) -> None:
    sign_in(page, portal.client("alpha"), client_user_a.username)
    page.wait_for_url(portal.client("alpha") + "/")
    # Each host keeps its own session cookie: at beta the user is a stranger, and cannot sign in.
    page.goto(portal.client("beta") + "/")
    assert page.url.startswith(portal.client("beta") + "/accounts/login/")
    sign_in(page, portal.client("beta"), client_user_a.username)
    page.get_by_text("This account has no access to this portal.").wait_for()
    # Carrying alpha's session cookie to beta's host by hand: refused, and the session ended
    # (issue #24), so it no longer opens alpha either.
    cookies = page.context.cookies(portal.client("alpha"))
    page.context.add_cookies([{**c, "domain": "beta.localhost"} for c in cookies if c["name"] == "sessionid"])
    page.goto(portal.client("beta") + "/panels/data/")
    assert page.url.startswith(portal.client("beta") + "/accounts/login/")
    page.goto(portal.client("alpha") + "/")
    assert page.url.startswith(portal.client("alpha") + "/accounts/login/")


def test_a_client_user_signing_in_at_the_console_reaches_its_portal(page, portal, client_user_a) -> None:
    """The console moves them on by a page that refreshes itself: CSP form-action 'self' holds."""
    sign_in(page, portal.console, client_user_a.username)
    page.wait_for_url(portal.client("alpha") + "/")
    page.get_by_role("heading", name="Alpha Analytics: marketing at a glance").wait_for()


def test_staff_switch_between_two_clients(page, portal, staff_ab) -> None:
    sign_in(page, portal.console, staff_ab.username)
    page.wait_for_url(portal.console + "/")
    page.get_by_role("row", name="Alpha Analytics").get_by_role("link", name="Open portal").click()
    page.wait_for_url(portal.client("alpha") + "/")
    page.get_by_role("heading", name="Alpha Analytics: marketing at a glance").wait_for()
    page.get_by_text("Switch client").click()
    page.get_by_role("link", name="Beta Brands").click()
    page.wait_for_url(portal.client("beta") + "/")
    page.get_by_role("heading", name="Beta Brands: marketing at a glance").wait_for()
    screenshot(page, "staff-switched-to-beta")
