"""The connected platforms on the Imports page, the connect form and the close page's line, in a real
browser at 1440 and 390 px, in English and Spanish: nothing scrolls sideways on the phone, the
failing reason reads in the viewer's language, and each page is kept as a screenshot."""

from __future__ import annotations

import pytest

from agency.models import Client
from clients.connectors.sync import connection_connect, connection_sync
from clients.connectors.vault import Credentials
from tests.browser.conftest import new_page, screenshot, sign_in_home
from tests.browser.test_report import _no_overflow
from tests.clients.connectors.conftest import (  # noqa: F401 -- fixtures
    MAILCHIMP_KEY,
    NOW,
    connect_hubspot,
    hubspot,
    mailchimp,
    platforms,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WIDTHS = {"1440": {"width": 1440, "height": 1000}, "390": {"width": 390, "height": 844}}
WORDS = {"en": ("Connected platforms", "had an error (HTTP 503) on every attempt", "Sync now"),
         "es": ("Plataformas conectadas", "dio un error (HTTP 503) en todos los intentos", "Sincronizar ahora")}


@pytest.mark.parametrize("language", ["en", "es"])
def test_connections_fit_a_phone_and_read_in_the_viewers_language(
    browser, portal, staff_a, hubspot, mailchimp, language  # noqa: F811
) -> None:
    alpha_client = portal.client("alpha")
    alpha = Client.objects.get(slug="alpha")
    connect_hubspot(alpha)
    assert connection_sync(client=alpha, platform="hubspot", now=NOW).ok
    connection_connect(client=alpha, platform="mailchimp", account_id="alpha", credentials=Credentials(api_key=MAILCHIMP_KEY))
    mailchimp.fail("mailchimp", 503, times=20)
    connection_sync(client=alpha, platform="mailchimp", now=NOW)
    staff_a.language = language
    staff_a.save()
    context, page = new_page(browser, locale=language)
    try:
        sign_in_home(page, alpha_client, staff_a.username)
        for width, viewport in WIDTHS.items():
            page.set_viewport_size(viewport)
            for path, name in (("/imports/", "imports"), ("/imports/connections/ga4/connect/", "connect-ga4"),
                               ("/reports/2026-10/", "close")):
                assert page.goto(alpha_client + path).status == 200, path
                text = page.locator("main").inner_text() if page.locator("main").count() else page.inner_text("body")
                if name == "imports":
                    for words in WORDS[language]:
                        assert words in text, (words, path)
                if width == "390":
                    _no_overflow(page)
                screenshot(page, f"connections-{name}-{language}-{width}")
    finally:
        context.close()
