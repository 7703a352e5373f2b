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
WORDS = {"en": ("Connected platforms", "its servers answered with an error on every attempt", "Sync now"),
         "es": ("Plataformas conectadas", "sus servidores respondieron con un error en todos los intentos",
                "Sincronizar ahora")}


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


def test_paused_running_and_interrupted_syncs_read_in_spanish_on_every_screen(
    browser, portal, staff_a, hubspot, mailchimp  # noqa: F811
) -> None:
    """HubSpot needs re-authorisation (paused, Connect again), Mailchimp's sync runs (since when) and
    GA4's last sync was left by a dead worker: the Imports page, the close page and the portfolio at
    1440 and 390 px in Spanish."""
    import datetime as dt

    from django_tenants.utils import tenant_context

    from clients.connectors.lock import sync_lock
    from clients.models import Connection, SyncRun

    alpha_client = portal.client("alpha")
    alpha = Client.objects.get(slug="alpha")
    connect_hubspot(alpha)
    hubspot.expired.add("hubspot")
    connection_sync(client=alpha, platform="hubspot", now=NOW)
    connection_connect(client=alpha, platform="mailchimp", account_id="alpha", credentials=Credentials(api_key=MAILCHIMP_KEY))
    with tenant_context(alpha):
        mail = Connection.objects.get(platform="mailchimp")
        SyncRun.objects.create(connection=mail, trigger=SyncRun.Trigger.DAILY, window_from=dt.date(2026, 10, 1),
                               window_to=dt.date(2026, 11, 2), started_at=NOW, rows=1250, progress=0.4)
    staff_a.language = "es"
    staff_a.save()
    context, page = new_page(browser, locale="es")
    try:
        sign_in_home(page, alpha_client, staff_a.username)
        for width, viewport in WIDTHS.items():
            page.set_viewport_size(viewport)
            assert page.goto(alpha_client + "/imports/").status == 200
            text = page.locator("#connections").inner_text()
            assert "en pausa hasta que alguien la vuelva a conectar" in text and "Volver a conectar" in text
            assert "La última sincronización se detuvo a medias (su proceso terminó) tras 1250 filas" in text
            if width == "390":
                _no_overflow(page)
            screenshot(page, f"connections-paused-interrupted-es-{width}")
            page.goto(alpha_client + "/imports/")
            with sync_lock(schema=alpha.schema_name, platform="mailchimp"):  # a sync starts after the page opened
                page.locator("form[action$='/mailchimp/sync/'] button").click()
                page.wait_for_url(alpha_client + "/imports/")
                assert "Hay una sincronización de Mailchimp en curso desde el" in page.locator("#messages").inner_text()
                assert "Hay una sincronización en curso desde el" in page.locator("#connections").inner_text()
                assert page.locator("form[action$='/mailchimp/sync/'] button").is_disabled()
                if width == "390":
                    _no_overflow(page)
                screenshot(page, f"connections-running-es-{width}")
            assert page.goto(alpha_client + "/reports/2026-10/").status == 200
            assert "sincronización en pausa hasta que alguien la vuelva a conectar" in page.locator(
                "#close-connections").inner_text()
            if width == "390":
                _no_overflow(page)
            screenshot(page, f"connections-close-paused-es-{width}")
    finally:
        context.close()
    context, page = new_page(browser, locale="es")
    try:
        sign_in_home(page, portal.console, staff_a.username)
        for width, viewport in WIDTHS.items():
            page.set_viewport_size(viewport)
            assert page.goto(portal.console + "/portfolio/").status == 200
            notice = page.locator("#portfolio-connections")
            assert "sincronización en pausa hasta que alguien la vuelva a conectar" in notice.inner_text()
            if width == "390":
                _no_overflow(page)
            screenshot(page, f"connections-portfolio-paused-es-{width}")
        notice.get_by_role("link", name="Volver a conectar").click()  # through the hand-off to the connect page
        page.wait_for_url(alpha_client + "/imports/connections/hubspot/connect/")
    finally:
        context.close()


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_backfill_s_percentage_keeps_its_sign_at_1440(browser, portal, staff_a, mailchimp, language) -> None:  # noqa: F811
    """The walk of 2026-12-07 (newclient14): three backfills running side by side at 1440 px, Meta's
    card read "0" beside its bar and "%" alone on the next line. The figure and its sign are one."""
    import datetime as dt

    from django_tenants.utils import tenant_context

    from clients.connectors.lock import sync_lock
    from clients.models import Connection, SyncRun

    alpha_client = portal.client("alpha")
    alpha = Client.objects.get(slug="alpha")
    connection_connect(client=alpha, platform="mailchimp", account_id="alpha", credentials=Credentials(api_key=MAILCHIMP_KEY))
    with tenant_context(alpha):
        mail = Connection.objects.get(platform="mailchimp")
        SyncRun.objects.create(connection=mail, trigger=SyncRun.Trigger.BACKFILL, window_from=dt.date(2025, 11, 1),
                               window_to=dt.date(2026, 12, 7), started_at=NOW, rows=0, progress=0.0)
    staff_a.language = language
    staff_a.save()
    context, page = new_page(browser, locale=language, viewport={"width": 1440, "height": 1000})
    try:
        sign_in_home(page, alpha_client, staff_a.username)
        with sync_lock(schema=alpha.schema_name, platform="mailchimp"):  # the backfill runs
            assert page.goto(alpha_client + "/imports/").status == 200
            percent = page.locator("[data-sync-percent]")
            assert percent.inner_text().replace("\u00a0", " ") == "0 %"
            box = percent.evaluate("e => { const r = e.getClientRects(); return r.length; }")
            assert box == 1, "the figure and its % on two lines"
            screenshot(page, f"connections-backfill-percent-{language}-1440")
    finally:
        context.close()
