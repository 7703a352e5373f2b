"""In a real browser, against the local OAuth server: staff connect Google Ads from the client's Imports
page — the platform's consent screen, the console's callback, the choice among a manager account's
clients, the backfill — and a wrong state, a replayed answer and another redirect host are refused."""

from __future__ import annotations

from urllib.parse import parse_qs, urlencode, urlsplit
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from django_tenants.utils import tenant_context

from clients.connectors.consent import redirect_uri
from clients.connectors.fake_ads import AdsFake
from clients.connectors.sync import backfill_start
from clients.models import Connection, Spend
from tests.browser.conftest import screenshot
from tests.browser.test_portal_shell import sign_in
from tests.clients.connectors import ads_fixtures
from tests.clients.connectors import conftest as connectors_fixtures
from tests.clients.connectors.ads_fixtures import SPAIN

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
# The fake platforms' server and the ad accounts, from the connectors' tests (function-scoped fixtures).
platforms = connectors_fixtures.platforms
ads = ads_fixtures.ads


def test_staff_connect_google_ads_through_the_consent_and_the_answer_cannot_be_forged_or_replayed(
    page, portal, staff_a, tenants, ads: AdsFake, eager_tasks
) -> None:
    ads.redirect_uris.add(redirect_uri())
    alpha = portal.client("alpha")
    seen: list[str] = []
    page.on("request", lambda request: seen.append(request.url))
    sign_in(page, alpha, staff_a.username)
    page.wait_for_url(alpha + "/")
    page.goto(alpha + "/imports/")
    page.get_by_role("link", name="Connect Google Ads").click()
    page.get_by_role("heading", name="Connect Google Ads").wait_for()
    screenshot(page, "consent-start")
    page.get_by_role("button", name="Continue to Google Ads").click()
    page.get_by_role("heading", name="Google (fake): sign in").wait_for()
    authorize = page.url
    page.get_by_role("link", name="Allow").click()
    # Back on the client's host (through the console's callback), choosing among the manager's clients.
    page.get_by_role("heading", name="Choose the Google Ads account").wait_for()
    assert page.url.startswith(alpha + "/imports/connections/google_ads/account/?handoff=")
    assert page.get_by_text("Agency MCC (manager account 9990001111)").is_visible()
    screenshot(page, "consent-accounts")
    page.get_by_label("Alpha España · 1112223333 · EUR").check()
    page.get_by_role("button", name="Connect this account").click()
    page.wait_for_url(alpha + "/imports/")
    page.get_by_text("connected: Alpha España, customer 1112223333, amounts in EUR").wait_for()
    card = page.locator(".connection", has_text="Google Ads")
    assert "connected" in card.inner_text() and "Alpha España" in card.inner_text()
    screenshot(page, "consent-connected")
    with tenant_context(tenants["alpha"]):
        assert Connection.objects.get(platform="google_ads").account_id == SPAIN
        first = backfill_start(client=tenants["alpha"], now=timezone.now()).astimezone(ZoneInfo("Europe/Madrid")).date()
        assert Spend.objects.filter(platform="google_ads").count() == len(
            [row for row in ads.rows[("google_ads", SPAIN)] if row.day >= first])

    callback = next(url for url in seen if "/connections/oauth/callback/" in url)
    assert callback.startswith(portal.console + "/connections/oauth/callback/?")
    # The same answer replayed: refused, in words, with a 400.
    answer = page.goto(callback)
    assert answer.status == 400
    assert "This consent was already used" in page.locator("#consent-refused").inner_text()
    # A state that does not match: refused.
    query = parse_qs(urlsplit(callback).query)
    forged = portal.console + "/connections/oauth/callback/?" + urlencode({"code": query["code"][0],
                                                                         "state": query["state"][0][:-2] + "xx"})
    assert page.goto(forged).status == 400
    assert "the state is wrong" in page.locator("#consent-refused").inner_text()
    # The consent link pointed at another host: the platform refuses to send the code there.
    elsewhere = authorize.replace("redirect_uri=http%3A%2F%2Flocalhost", "redirect_uri=https%3A%2F%2Fevil.example")
    assert page.goto(elsewhere).status == 400
    page.get_by_text("redirect_uri_mismatch").wait_for()
    assert not any(urlsplit(url).hostname == "evil.example" for url in seen)


@pytest.mark.parametrize("width", [1440, 390])
def test_the_consent_screens_in_spanish(page, portal, staff_a, tenants, ads: AdsFake, eager_tasks, width) -> None:
    ads.redirect_uris.add(redirect_uri())
    staff_a.language = "es"
    staff_a.save()
    page.set_viewport_size({"width": width, "height": 900})
    alpha = portal.client("alpha")
    sign_in(page, alpha, staff_a.username)
    page.wait_for_url(alpha + "/")
    page.goto(alpha + "/imports/connections/meta_ads/connect/")
    page.get_by_role("heading", name="Conectar Meta Ads").wait_for()
    assert "Irás a Meta Ads para iniciar sesión" in page.content()
    _fits(page)
    screenshot(page, f"consent-start-es-{width}")
    page.get_by_role("button", name="Continuar a Meta Ads").click()
    page.get_by_role("link", name="Allow").click()  # the platform's own screen (the fake's, in English)
    page.get_by_role("heading", name="Elige la cuenta de Meta Ads").wait_for()
    _fits(page)
    screenshot(page, f"consent-accounts-es-{width}")
    page.get_by_label("Alpha Meta · 123456789 · EUR").check()
    page.get_by_role("button", name="Conectar esta cuenta").click()
    page.wait_for_url(alpha + "/imports/")
    page.get_by_text("conectado: Alpha Meta, cuenta publicitaria 123456789, importes en EUR").wait_for()
    page.locator(".connection", has_text="Meta Ads").get_by_role("link", name="Volver a conectar").wait_for()
    _fits(page)
    screenshot(page, f"consent-connected-es-{width}")


def _fits(page) -> None:
    """Nothing wider than the window (no sideways scrolling on a phone)."""
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.parametrize("width", [1440, 390])
def test_the_platform_apps_screen_in_spanish(page, portal, admin_user, settings, width) -> None:
    settings.PORTAL_OAUTH_APPS = {}
    settings.PORTAL_GOOGLE_ADS_DEVELOPER_TOKEN = ""
    admin_user.language = "es"
    admin_user.save()
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, portal.console, admin_user.username)
    page.goto(portal.console + "/connections/apps/")
    page.get_by_role("heading", name="Aplicaciones de plataformas").wait_for()
    section = page.locator("section", has=page.get_by_role("heading", name="Google Ads"))
    section.get_by_label("ID de cliente").fill("42.apps.example")
    section.get_by_label("Secreto de cliente").fill("GOCSPX-secret-0123456789")
    section.get_by_label("Token de desarrollador").fill("dev-ABCDEFGHIJKL0123")
    section.get_by_role("button", name="Guardar").click()
    page.get_by_text("La aplicación de Google Ads está guardada.").wait_for()
    assert "GOCSPX-secret-0123456789" not in page.content() and "GOCS…6789" in page.content()
    _fits(page)
    screenshot(page, f"platform-apps-es-{width}")
