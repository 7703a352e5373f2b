"""A failing connection on the Imports page says what happened and what to do, by kind of failure,
in the reader's language; what the platform said itself stays apart, as it said it."""

from __future__ import annotations

import datetime as dt
import html
import re
import socket
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone, translation

from agency.models import Client
from clients.connectors.advice import connected_by_consent, failure_advice
from clients.connectors.fake_server import FakePlatforms
from clients.connectors.registry import PLATFORMS
from clients.connectors.sync import connection_sync
from clients.connectors.transport import Failure
from clients.sources.fetching import FETCH_UNAVAILABLE
from clients.sources.schedule import RUN_EVERY, source_failure_described
from tests.clients.connectors.conftest import NOW, connect_hubspot
from tests.conftest import host_of

pytestmark = pytest.mark.django_db

NOT_FOUND = {"status": "error", "message": "Object not found.", "category": "OBJECT_NOT_FOUND"}
FORBIDDEN = {"status": "error", "message": "This app hasn't been granted all required scopes.",
             "category": "MISSING_SCOPES"}

CASES = {
    # kind: (fault, {language: (what happened, what to do)}, what HubSpot said)
    "expired": (None, {
        "en": ("HubSpot refused the credentials: they are wrong, expired or were revoked.",
               "Choose Connect again and enter credentials HubSpot accepts for this account"),
        "es": ("HubSpot rechazó las credenciales: son incorrectas, caducaron o se revocaron.",
               "Elige Volver a conectar y escribe unas credenciales que HubSpot acepte para esta cuenta"),
    }, "HTTP 401: The OAuth token used to make this call expired 2 hour(s) ago."),
    "limited": ((429, None), {
        "en": ("HubSpot is limiting how often the portal may ask for data", "the portal tries again by itself"),
        "es": ("HubSpot está limitando la frecuencia con la que el portal puede pedir datos",
               "el portal lo vuelve a intentar solo"),
    }, "HTTP 429: You have reached your secondly limit."),
    "unavailable": ((503, None), {
        "en": ("HubSpot was unavailable: its servers answered with an error on every attempt.",
               "the problem is on HubSpot's side and the portal tries again by itself"),
        "es": ("HubSpot no estaba disponible: sus servidores respondieron con un error en todos los intentos.",
               "el problema está del lado de HubSpot y el portal lo vuelve a intentar solo"),
    }, "HTTP 503: You have reached your secondly limit."),
    "not found": ((404, NOT_FOUND), {
        "en": ("HubSpot did not find the account or the data asked for.",
               "Check the Portal ID (Hub ID), 4242, under Change credentials"),
        "es": ("HubSpot no encontró la cuenta ni los datos pedidos.",
               "Revisa el ID del portal (Hub ID), 4242, en Cambiar credenciales"),
    }, "HTTP 404: Object not found."),
    "permission": ((403, FORBIDDEN), {
        "en": ("HubSpot refused access to this account's data.",
               "Check in HubSpot that the user who connected it can still read account 4242"),
        "es": ("HubSpot denegó el acceso a los datos de esta cuenta.",
               "Comprueba en HubSpot que el usuario que la conectó todavía puede leer la cuenta 4242"),
    }, "HTTP 403: This app hasn't been granted all required scopes."),
}


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("case", list(CASES))
def test_a_failing_sync_says_what_happened_and_what_to_do_with_the_platforms_words_apart(
    case: str, language: str, staff_http: HttpClient, tenant_a: Client, hubspot: FakePlatforms
) -> None:
    fault, words, said = CASES[case]
    connect_hubspot(tenant_a)
    if fault is None:
        hubspot.expired.add("hubspot")
    else:
        status, body = fault
        hubspot.fail("hubspot", status, times=10, body=body)
    assert not connection_sync(client=tenant_a, platform="hubspot", now=NOW).ok  # the worker: English
    page = html.unescape(staff_http.get(reverse("imports"), HTTP_ACCEPT_LANGUAGE=language).content.decode())
    what, todo = words[language]
    assert what in page and todo in page
    said_label = {"en": "The platform said: “%s”", "es": "La plataforma dijo: «%s»"}[language]
    assert said_label % said in page
    assert "(HTTP" not in page  # the status is a detail of what the platform said, not the portal's sentence
    if language == "es":
        english_what, english_todo = words["en"]
        assert english_what not in page and english_todo not in page


def test_a_retried_failure_names_when_the_portal_tries_again(
    staff_http: HttpClient, tenant_a: Client, hubspot: FakePlatforms
) -> None:
    connect_hubspot(tenant_a)
    hubspot.fail("hubspot", 503, times=10)
    connection_sync(client=tenant_a, platform="hubspot", now=NOW)
    page = staff_http.get(reverse("imports")).content.decode()
    # The next nightly run, in the client's zone (Europe/Madrid), by day and time.
    assert re.search(r"tries again by itself at [^<]{1,12} (today|tomorrow)\. If it still fails", page)
    assert "a.m.." not in page and "p.m.." not in page


def test_a_refused_connect_says_what_to_check_in_spanish(staff_http: HttpClient, hubspot: FakePlatforms) -> None:
    response = staff_http.post(reverse("connection_connect", kwargs={"platform": "hubspot"}),
                               {"account_id": "4242", "access_token": "pat-eu1-not-a-real-token-9999"},
                               HTTP_ACCEPT_LANGUAGE="es")
    page = html.unescape(response.content.decode())
    assert response.status_code == 422
    assert "HubSpot rechazó las credenciales: son incorrectas, caducaron o se revocaron." in page
    assert "Comprueba que copiaste la clave o el token entero" in page
    assert "La plataforma dijo: «HTTP 401: Authentication credentials not found.»" in page
    assert "Check that the whole" not in page


def _advice(page: str, css: str) -> list[str]:
    return [html.unescape(text) for text in re.findall(rf'<p class="{css}">(.*?)</p>', page, re.S)]


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("case", list(CASES))
def test_the_portfolios_note_says_what_happened_and_what_to_do_as_the_imports_page_does(
    case: str, language: str, staff_a, staff_http: HttpClient, tenant_a: Client, hubspot: FakePlatforms
) -> None:
    fault, words, said = CASES[case]
    connect_hubspot(tenant_a)
    if fault is None:
        hubspot.expired.add("hubspot")
    else:
        status, body = fault
        hubspot.fail("hubspot", status, times=10, body=body)
    assert not connection_sync(client=tenant_a, platform="hubspot", now=NOW).ok  # the worker: English
    console = HttpClient(HTTP_HOST=host_of(None))
    console.force_login(staff_a)
    page = console.get(reverse("portfolio", urlconf="agency.urls_public"), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    note = page[page.index('id="portfolio-connections"'):]
    note = html.unescape(note[:note.index("</div>")])
    what, todo = words[language]
    said_label = {"en": "The platform said: “%s”", "es": "La plataforma dijo: «%s»"}[language]
    assert what in note and todo in note and said_label % said in note
    assert note.index(what) < note.index(todo) < note.index(said_label % said)
    assert "(HTTP" not in note
    # The very sentence of the client's Imports page (the next run in the client's zone), no wording of its
    # own, but the zone named after the time: the portfolio lists clients of many zones.
    imports = staff_http.get(reverse("imports"), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    advice = _advice(page, "failure-advice")[:1]
    assert [text.replace(" CET", "") for text in advice] == _advice(imports, "connection-advice")
    assert any(" CET" in text for text in advice) is (case in {"limited", "unavailable"})
    if language == "es":
        english_what, english_todo = words["en"]
        assert english_what not in note and english_todo not in note


@pytest.mark.parametrize("language", ["en", "es"])
def test_an_unreachable_platform_says_nothing_the_platform_did_not_say(
    language: str, settings, staff_http: HttpClient, tenant_a: Client, hubspot: FakePlatforms
) -> None:
    connect_hubspot(tenant_a)
    with socket.socket() as closed:  # a port nobody listens on: the connection is refused
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    settings.PORTAL_CONNECTOR_URLS = {**settings.PORTAL_CONNECTOR_URLS, "hubspot": f"http://127.0.0.1:{port}"}
    assert not connection_sync(client=tenant_a, platform="hubspot", now=NOW).ok
    page = html.unescape(staff_http.get(reverse("imports"), HTTP_ACCEPT_LANGUAGE=language).content.decode())
    reached, todo = {"en": ("HubSpot could not be reached.", "the problem is on HubSpot's side"),
                     "es": ("No se pudo contactar con HubSpot.", "el problema está del lado de HubSpot")}[language]
    assert reached in page and todo in page
    assert "Error" not in re.sub(r"<[^>]+>", "", page.split('id="connections"')[1].split("</section>")[0])
    assert "The platform said" not in page and "La plataforma dijo" not in page


@pytest.mark.parametrize(("language", "tomorrow"), [("en", "tomorrow"), ("es", "mañana")])
def test_the_next_run_is_tomorrow_in_the_clients_zone_even_when_it_is_already_tomorrow_in_utc(
    language: str, tomorrow: str
) -> None:
    """20:00 in Mexico City is 02:00 the next day in UTC: the 03:00 run is tomorrow there, not today."""
    mexico = ZoneInfo("America/Mexico_City")
    now = dt.datetime(2026, 11, 3, 2, 0, tzinfo=dt.UTC)  # 2 November, 20:00 in Mexico City
    run = dt.datetime(2026, 11, 3, 3, 0, tzinfo=mexico)
    advice_of = {
        "connection": lambda: failure_advice(kind=Failure.UNAVAILABLE, platform="HubSpot", account="4242",
                                             account_label="Hub ID", next_run_at=run),
        "source": lambda: source_failure_described(words={"msgid": "x", "params": {}, "kind": FETCH_UNAVAILABLE},
                                                   message="", last_run_at=run - RUN_EVERY)["advice"],
    }
    with time_machine.travel(now, tick=False), timezone.override(mexico), translation.override(language):
        for name, advice in advice_of.items():
            assert f" {tomorrow}" in advice(), name


@pytest.mark.parametrize(("language", "signed_in", "pasted"), [
    ("en", "Choose Connect again and sign in to Google Ads", "Choose Connect again and enter credentials GA4 accepts"),
    ("es", "Elige Volver a conectar e inicia sesión en Google Ads",
     "Elige Volver a conectar y escribe unas credenciales que GA4 acepte"),
])
def test_refused_credentials_advice_follows_how_the_platform_is_connected(
    language: str, signed_in: str, pasted: str
) -> None:
    """An ad platform is connected by signing in on its consent screen; GA4, HubSpot and Mailchimp by
    credentials pasted in the form (a service account has no one to sign in)."""
    with translation.override(language):
        for platform, consent, expected in (("google_ads", True, signed_in), ("ga4", False, pasted)):
            connector = PLATFORMS[platform]
            assert connected_by_consent(connector) is consent
            advice = failure_advice(kind=Failure.CREDENTIALS, platform=connector.label, account="1",
                                    account_label="", next_run_at=None, consent=connected_by_consent(connector))
            assert advice.startswith(expected), advice


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_ga4_key_without_access_to_the_property_says_to_grant_it_not_to_enter_it_again(
    staff_http: HttpClient, ga4: dict, language: str
) -> None:
    """GA4 answers 403 PERMISSION_DENIED to a valid service account that was not added to the property:
    it read as "refused the credentials… check the whole key was copied", which sends the user to
    paste the same key again. It is a permission to grant on the property."""
    import json

    response = staff_http.post(reverse("connection_connect", kwargs={"platform": "ga4"}),
                               {"account_id": "999999", "service_account": json.dumps(ga4)}, HTTP_ACCEPT_LANGUAGE=language)
    page = " ".join(html.unescape(response.content.decode()).split())
    assert response.status_code == 422
    if language == "en":
        assert "GA4 refused access to this account's data." in page
        assert "The credentials work but cannot read “999999”: give their user or app access to it in GA4" in page
        assert "refused the credentials" not in page
    else:
        assert "GA4 denegó el acceso a los datos de esta cuenta." in page and "rechazó las credenciales" not in page
    assert "User does not have sufficient permissions for this property." in page  # what GA4 said, apart


@pytest.mark.parametrize(("language", "limited", "unavailable", "fetch"), [
    ("en", "the portal tries again by itself on Dec 8, 2026 at 2:48 a.m., when",
     "tries again by itself at 2:48 a.m. on Dec 8, 2026. If it still fails",
     "fetches it again by itself at 1 a.m. on Dec 8, 2026."),
    ("es", "el portal lo vuelve a intentar solo el 8 dic 2026 a las 02:48, cuando",
     "lo vuelve a intentar solo el 8 dic 2026 a las 02:48. Si entonces",
     "lo vuelve a descargar solo el 8 dic 2026 a las 01:00."),
])
def test_a_next_run_more_than_a_day_away_is_a_date_with_its_preposition(
    language: str, limited: str, unavailable: str, fetch: str
) -> None:
    """"solo 8 dic 2026" missed its article (and the English its "on"): "today" and
    "tomorrow" stand alone, a date does not."""
    now = dt.datetime(2026, 12, 5, 12, 0, tzinfo=dt.UTC)
    run = dt.datetime(2026, 12, 8, 2, 48, tzinfo=dt.UTC)
    fetched = dt.datetime(2026, 12, 8, 1, 0, tzinfo=dt.UTC)

    def advice(kind: str) -> str:
        return failure_advice(kind=kind, platform="HubSpot", account="4242", account_label="Hub ID", next_run_at=run)

    with time_machine.travel(now, tick=False), timezone.override(dt.UTC), translation.override(language):
        assert limited in advice(Failure.RATE_LIMITED)
        assert unavailable in advice(Failure.UNAVAILABLE)
        source = source_failure_described(words={"msgid": "x", "params": {}, "kind": FETCH_UNAVAILABLE},
                                          message="", last_run_at=fetched - RUN_EVERY)["advice"]
        assert fetch in source, source
        today = failure_advice(kind=Failure.RATE_LIMITED, platform="HubSpot", account="4242", account_label="",
                               next_run_at=now + dt.timedelta(hours=3))
        assert {"en": "by itself today at 3 p.m.", "es": "solo hoy a las 15:00"}[language] in today, today
