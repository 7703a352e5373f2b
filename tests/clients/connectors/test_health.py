"""Health beyond the Imports page: the portfolio lists broken connections of every client one may open,
the month's close page shows them, the assigned staff get one email after two failed days, and the
nightly dispatcher queues what is due in each client's time zone."""

from __future__ import annotations

import datetime as dt
import html
import re
import threading
import time
from zoneinfo import ZoneInfo

import pytest
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django_tenants.utils import tenant_context

from agency.models import Client, User
from clients.connectors.caps import cap_acquire, cap_holders, cap_release, cap_wait
from clients.connectors.fake_server import FakePlatforms
from clients.connectors.health import connection_failure_notify, connections_due
from clients.connectors.sync import connection_next_run, connection_sync
from clients.models import Connection, OutboxEmail
from clients.sources.fetching import FETCH_UNAVAILABLE
from portfolio.models import ConnectionHealth, SourceFailure
from portfolio.services import source_failure_note
from tests.clients.connectors.conftest import NOW, connect_hubspot
from tests.conftest import host_of
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_portfolio_lists_broken_connections_of_the_clients_one_may_open(
    tenant_a: Client, tenant_b: Client, hubspot: FakePlatforms, staff_a: User, admin_user: User
) -> None:
    connect_hubspot(tenant_a)
    hubspot.expired.add("hubspot")
    connection_sync(client=tenant_a, platform="hubspot", now=NOW)
    assert ConnectionHealth.objects.get(client=tenant_a).state == "reauth"
    for user, shown in ((staff_a, True), (admin_user, True)):
        http = HttpClient(HTTP_HOST=host_of(None))
        http.force_login(user)
        page = http.get(reverse("portfolio", urlconf="agency.urls_public")).content.decode()
        assert ("HubSpot: needs re-authorisation" in page) is shown
    other = UserFactory(username="bea-staff", role=User.Role.STAFF, clients=[tenant_b])
    http = HttpClient(HTTP_HOST=host_of(None))
    http.force_login(other)
    assert "HubSpot: needs re-authorisation" not in http.get(reverse("portfolio", urlconf="agency.urls_public")).content.decode()


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_portfolios_note_gives_each_clients_times_in_its_own_zone(
    language: str, tenant_a: Client, hubspot: FakePlatforms, staff_a: User
) -> None:
    """The note says "tries again at 3:44 CET tomorrow" in the client's zone, as its Imports page does: its
    last successful sync is said in the same zone, not the console's, with the zone named as the pages
    write a moment (DATETIME_FORMAT): the page lists clients of many zones."""
    connect_hubspot(tenant_a)
    assert connection_sync(client=tenant_a, platform="hubspot", now=NOW).ok
    hubspot.fail("hubspot", 503, times=10)
    connection_sync(client=tenant_a, platform="hubspot", now=NOW + dt.timedelta(hours=1))
    success = ConnectionHealth.objects.get(client=tenant_a).last_success_at
    http = HttpClient(HTTP_HOST=host_of(None))
    http.force_login(staff_a)
    page = http.get(reverse("portfolio", urlconf="agency.urls_public"), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    note = page[page.index('id="portfolio-connections"'):]
    with translation.override(language):
        madrid = date_format(success.astimezone(ZoneInfo(tenant_a.timezone)), "DATETIME_FORMAT")
        utc = date_format(success.astimezone(dt.UTC), "DATETIME_FORMAT")
    assert madrid != utc and madrid in note[:note.index("</div>")] and utc not in note
    assert madrid.endswith(" CET")


@pytest.mark.parametrize(("language", "todo", "connect"), [
    ("en", "Connect it again before then", "Connect again"),
    ("es", "Vuelve a conectarla antes", "Volver a conectar"),
])
def test_the_portfolio_says_what_to_do_about_a_token_that_expires_soon(
    language: str, todo: str, connect: str, tenant_a: Client, staff_a: User
) -> None:
    now = dt.datetime.now(dt.UTC)
    ConnectionHealth.objects.create(client=tenant_a, platform="linkedin_ads", label="LinkedIn Ads", state="connected",
                                    token_expires_at=now + dt.timedelta(days=3), updated_at=now)
    http = HttpClient(HTTP_HOST=host_of(None))
    http.force_login(staff_a)
    page = http.get(reverse("portfolio", urlconf="agency.urls_public"), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    note = html.unescape(page[page.index('id="portfolio-connections"'):])
    link = reverse("client_switch", urlconf="agency.urls_public", args=[tenant_a.slug])
    assert todo in note and f'<a href="{link}?next=/imports/connections/linkedin_ads/connect/">{connect}</a>' in note


@pytest.mark.parametrize(("language", "paused", "connect"), [
    ("en", "syncing paused until someone connects it again", "Connect again"),
    ("es", "sincronización en pausa hasta que alguien la vuelva a conectar", "Volver a conectar"),
])
def test_the_portfolio_says_syncing_is_paused_and_links_to_connect_again(
    language: str, paused: str, connect: str, tenant_a: Client, hubspot: FakePlatforms, staff_a: User
) -> None:
    connect_hubspot(tenant_a)
    hubspot.fail("hubspot", 503, times=10)
    connection_sync(client=tenant_a, platform="hubspot", now=NOW)
    http = HttpClient(HTTP_HOST=host_of(None))
    http.force_login(staff_a)
    page = http.get(reverse("portfolio", urlconf="agency.urls_public"), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert paused not in page  # failing: the nightly run still tries it
    hubspot.faults.clear()
    hubspot.expired.add("hubspot")
    connection_sync(client=tenant_a, platform="hubspot", now=NOW)
    page = http.get(reverse("portfolio", urlconf="agency.urls_public"), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    link = reverse("client_switch", urlconf="agency.urls_public", args=[tenant_a.slug])
    assert paused in page
    assert f'<a href="{link}?next=/imports/connections/hubspot/connect/">{connect}</a>' in page


@pytest.mark.parametrize(("language", "paused", "connect"), [
    ("en", "syncing paused until someone connects it again", "Connect again"),
    ("es", "sincronización en pausa hasta que alguien la vuelva a conectar", "Volver a conectar"),
])
def test_the_close_page_says_syncing_is_paused_with_the_reconnect_link(
    language: str, paused: str, connect: str, tenant_a: Client, hubspot: FakePlatforms, staff_http: HttpClient
) -> None:
    connect_hubspot(tenant_a)
    hubspot.expired.add("hubspot")
    connection_sync(client=tenant_a, platform="hubspot", now=NOW)
    page = staff_http.get("/reports/2026-10/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert paused in page
    assert f'<a href="{reverse("connection_connect", kwargs={"platform": "hubspot"})}">{connect}</a>' in page


def test_the_close_page_shows_the_connections_health(
    tenant_a: Client, hubspot: FakePlatforms, staff_http: HttpClient
) -> None:
    connect_hubspot(tenant_a)
    hubspot.fail("hubspot", 503, times=10)
    connection_sync(client=tenant_a, platform="hubspot", now=NOW)
    page = staff_http.get("/reports/2026-10/").content.decode()
    assert "HubSpot — failing: HubSpot was unavailable: its servers answered with an error on every attempt." in page


def test_two_failed_days_email_the_assigned_staff_once(
    tenant_a: Client, hubspot: FakePlatforms, staff_a: User
) -> None:
    connect_hubspot(tenant_a)
    hubspot.fail("hubspot", 503, times=100)
    connection_sync(client=tenant_a, platform="hubspot", now=NOW)
    assert connection_failure_notify(client=tenant_a, platform="hubspot", now=NOW) == 0  # one day only
    later = NOW + dt.timedelta(days=1)
    connection_sync(client=tenant_a, platform="hubspot", now=later)
    assert connection_failure_notify(client=tenant_a, platform="hubspot", now=later) == 1
    assert connection_failure_notify(client=tenant_a, platform="hubspot", now=later + dt.timedelta(days=1)) == 0
    with tenant_context(tenant_a):
        email = OutboxEmail.objects.get(kind="connection_failing")
    assert email.recipient_id == staff_a.pk
    assert email.payload["subject"] == "HubSpot of Alpha Analytics has not synced for two days"
    assert "HubSpot was unavailable: its servers answered with an error on every attempt." in email.payload["body"]


EMAIL_CASES = {
    # language: (what happened, what to do, the platform's words, English that must not be there)
    "en": ("HubSpot was unavailable: its servers answered with an error on every attempt.",
           "Nothing to do: the problem is on HubSpot's side and the portal tries again by itself at",
           "The platform said: “HTTP 503: ", None),
    "es": ("HubSpot no estaba disponible: sus servidores respondieron con un error en todos los intentos.",
           "No hace falta hacer nada: el problema está del lado de HubSpot y el portal lo vuelve a intentar solo",
           "La plataforma dijo: «HTTP 503: ", ("HubSpot was unavailable", "Nothing to do", "The platform said",
                                              "Until it syncs", "has not synced")),
}


def _two_days_email(language: str, tenant: Client, hubspot: FakePlatforms, staff: User) -> OutboxEmail:
    """HubSpot failing since NOW and again a day later: the "has not synced for two days" email, in
    ``language``, queued once."""
    staff.language = language
    staff.save(update_fields=["language"])
    connect_hubspot(tenant)
    hubspot.fail("hubspot", 503, times=100)
    connection_sync(client=tenant, platform="hubspot", now=NOW)
    later = NOW + dt.timedelta(days=1)
    connection_sync(client=tenant, platform="hubspot", now=later)
    assert connection_failure_notify(client=tenant, platform="hubspot", now=later) == 1
    with tenant_context(tenant):
        return OutboxEmail.objects.get(kind="connection_failing")


@pytest.mark.parametrize("language", list(EMAIL_CASES))
def test_the_two_days_email_says_what_happened_what_to_do_and_links_to_the_connection(
    language: str, tenant_a: Client, hubspot: FakePlatforms, staff_a: User
) -> None:
    email = _two_days_email(language, tenant_a, hubspot, staff_a)
    body = email.payload["body"]
    what, todo, said, english = EMAIL_CASES[language]
    assert body.index(what) < body.index(todo) < body.index(said)  # the platform's words apart, last
    assert "(HTTP" not in body and "Reason:" not in body and "Motivo:" not in body
    assert re.search(rf"https?://{re.escape(host_of(tenant_a))}(:\d+)?/imports/#connection-hubspot\n", body)
    for words in english or ():
        assert words not in body and words not in email.payload["subject"]
    if language == "es":
        assert email.payload["subject"] == "HubSpot de Alpha Analytics lleva dos días sin sincronizarse"


@pytest.mark.parametrize(("language", "todo", "link"), [
    ("en", "Choose Connect again and enter credentials HubSpot accepts", "Connect it again: "),
    ("es", "Elige Volver a conectar y escribe unas credenciales que HubSpot acepte", "Vuelve a conectarla: "),
])
def test_the_two_days_email_of_refused_credentials_links_to_connect_again(
    language: str, todo: str, link: str, tenant_a: Client, hubspot: FakePlatforms, staff_a: User
) -> None:
    staff_a.language = language
    staff_a.save(update_fields=["language"])
    connect_hubspot(tenant_a)
    hubspot.expired.add("hubspot")
    connection_sync(client=tenant_a, platform="hubspot", now=NOW)
    later = NOW + dt.timedelta(days=1)
    with tenant_context(tenant_a):  # paused: no nightly run; a day later it is still refused
        Connection.objects.update(failing_since=NOW)
    assert connection_failure_notify(client=tenant_a, platform="hubspot", now=later) == 1
    with tenant_context(tenant_a):
        body = OutboxEmail.objects.get(kind="connection_failing").payload["body"]
    assert todo in body
    assert re.search(rf"{link}https?://{re.escape(host_of(tenant_a))}(:\d+)?/imports/connections/hubspot/connect/\n", body + "\n")


def test_nightly_runs_are_spread_between_one_and_five_in_the_clients_zone(tenant_a: Client, tenant_b: Client) -> None:
    for client in (tenant_a, tenant_b):
        for platform in ("hubspot", "ga4", "mailchimp"):
            run = connection_next_run(client=client, platform=platform, after=NOW)
            local = run.astimezone(ZoneInfo(client.timezone))
            assert 1 <= local.hour < 5 and run > NOW
            assert run - NOW <= dt.timedelta(days=1, hours=5)


def test_the_dispatcher_lists_what_is_due_and_skips_connections_needing_reauthorisation(
    tenant_a: Client, hubspot: FakePlatforms
) -> None:
    connect_hubspot(tenant_a)
    with tenant_context(tenant_a):
        Connection.objects.update(next_run_at=NOW - dt.timedelta(minutes=1))
        assert connections_due(now=NOW) == ["hubspot"]
        Connection.objects.update(state=Connection.State.REAUTH)
        assert connections_due(now=NOW) == []


def test_the_per_platform_cap_holds_across_holders() -> None:
    holders = [f"client{n}:hubspot" for n in range(6)]
    taken = [cap_acquire(platform="hubspot-test", holder=h, limit=4) for h in holders]
    assert taken == [True, True, True, True, False, False]
    assert cap_holders(platform="hubspot-test") == 4
    cap_release(platform="hubspot-test", holder=holders[0])
    assert cap_acquire(platform="hubspot-test", holder=holders[5], limit=4)
    for holder in holders:
        cap_release(platform="hubspot-test", holder=holder)
    assert cap_holders(platform="hubspot-test") == 0


def test_a_sync_waiting_for_a_slot_takes_the_one_given_back() -> None:
    assert cap_acquire(platform="wait-test", holder="first", limit=1)
    started = time.monotonic()
    assert not cap_wait(platform="wait-test", holder="second", seconds=0.3, limit=1)  # none given back: gives up
    assert time.monotonic() - started >= 0.3
    release = threading.Timer(0.2, lambda: cap_release(platform="wait-test", holder="first"))
    release.start()
    assert cap_wait(platform="wait-test", holder="second", seconds=5, limit=1)
    assert time.monotonic() - started < 4  # woken by the release, not at the end of the wait
    assert cap_holders(platform="wait-test") == 1
    cap_release(platform="wait-test", holder="second")
    release.join()


@pytest.mark.parametrize(("language", "since", "next_run"), [
    ("en", "The HubSpot connection of Alpha Analytics has failed since Nov 3, 2026, 4 a.m. CET.",
     r"the portal tries again by itself at [^ ]+ [ap]\.m\. CET (today|tomorrow)\. "),
    ("es", "La conexión de HubSpot de Alpha Analytics falla desde el 3 nov 2026, 04:00 CET.",
     r"el portal lo vuelve a intentar solo (hoy|mañana) a las \d\d:\d\d CET\. "),
])
def test_the_two_days_email_names_the_zone_of_its_failing_since(
    language: str, since: str, next_run: str, tenant_a: Client, hubspot: FakePlatforms, staff_a: User
) -> None:
    """Alpha is in Madrid: failing since 03:00 UTC reads 04:00 CET, its zone named as the pages name it;
    so does the time of the next try in the advice."""
    assert tenant_a.timezone == "Europe/Madrid"
    body = _two_days_email(language, tenant_a, hubspot, staff_a).payload["body"]
    assert since in body, body
    assert re.search(next_run, body), body



@pytest.mark.parametrize(("language", "madrid", "new_york"), [
    ("en", r"the portal tries again by itself at [^ ]+ [ap]\.m\. CET (today|tomorrow)\. ",
     r"the portal tries again by itself at [^ ]+ [ap]\.m\. EST (today|tomorrow)\. "),
    ("es", r"el portal lo vuelve a intentar solo (hoy|mañana) a las \d\d:\d\d CET\. ",
     r"el portal lo vuelve a intentar solo (hoy|mañana) a las \d\d:\d\d EST\. "),
])
def test_the_portfolios_advice_names_each_clients_zone(
    language: str, madrid: str, new_york: str, tenant_a: Client, tenant_b: Client, hubspot: FakePlatforms,
    admin_user: User
) -> None:
    """The portfolio lists clients of many zones: Alpha's next try is said in Madrid's time and Beta's in
    New York's, each with its zone named, so two bare "4 a.m." are not read as one moment (the client's
    own Imports page, read in its zone, keeps the bare time). Same for a failing scheduled source."""
    assert (tenant_a.timezone, tenant_b.timezone) == ("Europe/Madrid", "America/New_York")
    for client in (tenant_a, tenant_b):
        connect_hubspot(client, shared_ok=True)
    hubspot.fail("hubspot", 503, times=100)
    for client in (tenant_a, tenant_b):
        connection_sync(client=client, platform="hubspot", now=NOW)
    source_failure_note(client=tenant_b, source_id=7, source_name="Ads export", ok=False, message="HTTP 503",
                        at=dt.datetime.now(dt.UTC), words={"msgid": "The address answered HTTP 503.", "params": {},
                                                           "kind": FETCH_UNAVAILABLE})
    http = HttpClient(HTTP_HOST=host_of(None))
    http.force_login(admin_user)
    page = html.unescape(http.get(reverse("portfolio", urlconf="agency.urls_public"),
                                  HTTP_ACCEPT_LANGUAGE=language).content.decode())
    note = page[page.index('id="portfolio-connections"'):]
    alpha, beta = (note[note.index(f">{name}</a>"):] for name in ("Alpha Analytics", "Beta Brands"))
    alpha, beta = alpha[:alpha.index("</li>")], beta[:beta.index("</li>")]
    assert re.search(madrid, alpha) and re.search(new_york, beta), (alpha, beta)
    sources = page[page.index('id="portfolio-source-failures"'):]
    sources = sources[:sources.index("</div>")]
    fetch = {"en": r"fetches it again by itself at [^ ]+ [ap]\.m\. EST (today|tomorrow)\.",
             "es": r"lo vuelve a descargar solo (hoy|mañana) a las \d\d:\d\d EST\."}[language]
    assert re.search(fetch, sources), sources
    with translation.override(language):  # when it failed: New York's time, its zone named
        failed_at = date_format(SourceFailure.objects.get().failed_at.astimezone(ZoneInfo(tenant_b.timezone)),
                                "DATETIME_FORMAT")
    assert failed_at.endswith(" EST") and f"Ads export ({failed_at})" in sources, sources
