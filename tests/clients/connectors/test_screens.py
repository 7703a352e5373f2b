"""The connections on the client's Imports page: connect (tested first), sync now, disconnect, health;
only assigned staff and admins, never client users or another client's staff."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client as HttpClient
from django.urls import reverse
from django_tenants.utils import tenant_context

from agency.models import Client, User
from clients.connectors.fake_server import FakePlatforms
from clients.connectors.lock import sync_lock
from clients.connectors.sync import connection_sync
from clients.models import Connection
from tests.clients.connectors.conftest import HUBSPOT_TOKEN, NOW, connect_hubspot
from tests.conftest import host_of
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_staff_connect_hubspot_after_a_test_of_the_token_and_the_backfill_is_queued(
    staff_http: HttpClient, tenant_a: Client, hubspot: FakePlatforms, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks() as callbacks:
        response = staff_http.post(reverse("connection_connect", kwargs={"platform": "hubspot"}),
                                   {"account_id": "4242", "access_token": HUBSPOT_TOKEN})
    assert response.status_code == 302 and response["Location"] == reverse("imports")
    assert len(callbacks) == 1  # the backfill task, sent when the connection commits
    page = staff_http.get(reverse("imports")).content.decode()
    assert "connected: 250 contacts, portal 4242 · the 13-month backfill has started." in page
    assert "pat-…beef" in page and HUBSPOT_TOKEN not in page
    with tenant_context(tenant_a):
        assert Connection.objects.get().account_id == "4242"


def test_a_refused_token_shows_the_platforms_reason_and_saves_nothing(
    staff_http: HttpClient, tenant_a: Client, hubspot: FakePlatforms
) -> None:
    response = staff_http.post(reverse("connection_connect", kwargs={"platform": "hubspot"}),
                               {"account_id": "4242", "access_token": "pat-eu1-not-a-real-token-9999"})
    assert response.status_code == 422
    text = response.content.decode()
    assert "HubSpot refused the credentials: they are wrong, expired or were revoked." in text
    assert "Check that the whole key or token was copied" in text  # what to do, before the platform's words
    assert "The platform said: “HTTP 401: Authentication credentials not found.”" in text
    assert "pat-eu1-not-a-real-token-9999" not in text  # never rendered back
    with tenant_context(tenant_a):
        assert not Connection.objects.exists()


def test_a_ga4_key_that_is_not_json_is_a_field_error(staff_http: HttpClient, platforms: FakePlatforms) -> None:
    response = staff_http.post(reverse("connection_connect", kwargs={"platform": "ga4"}),
                               {"account_id": "123456", "service_account": "{not json"})
    assert response.status_code == 422
    assert "This is not a JSON key file" in response.content.decode()


def test_health_shows_a_failing_sync_in_words_and_its_last_success(
    staff_http: HttpClient, tenant_a: Client, hubspot: FakePlatforms
) -> None:
    connect_hubspot(tenant_a)
    assert connection_sync(client=tenant_a, platform="hubspot", now=NOW).ok
    hubspot.expired.add("hubspot")
    connection_sync(client=tenant_a, platform="hubspot", now=NOW + dt.timedelta(days=1))
    page = staff_http.get(reverse("imports")).content.decode()
    assert "needs re-authorisation" in page
    assert "HubSpot refused the credentials: they are wrong, expired or were revoked." in page
    assert "The platform said: “HTTP 401: The OAuth token used to make this call expired 2 hour(s) ago.”" in page
    assert "250 rows" in page and "Connect again" in page


def test_sync_now_and_disconnect(staff_http: HttpClient, tenant_a: Client, hubspot: FakePlatforms,
                                 django_capture_on_commit_callbacks) -> None:
    connect_hubspot(tenant_a)
    with django_capture_on_commit_callbacks() as callbacks:
        response = staff_http.post(reverse("connection_sync", kwargs={"platform": "hubspot"}))
    assert response.status_code == 302 and len(callbacks) == 1
    response = staff_http.post(reverse("connection_disconnect", kwargs={"platform": "hubspot"}))
    assert response.status_code == 302
    with tenant_context(tenant_a):
        assert not Connection.objects.exists()
    assert staff_http.post(reverse("connection_sync", kwargs={"platform": "hubspot"})).status_code == 404


@pytest.mark.parametrize("who", ["client_user_a", "staff_of_b"])
def test_client_users_and_another_clients_staff_cannot_see_connect_sync_or_disconnect(
    who: str, request, tenant_a: Client, tenant_b: Client, hubspot: FakePlatforms, media
) -> None:
    connect_hubspot(tenant_a)
    if who == "client_user_a":
        user = request.getfixturevalue("client_user_a")
    else:
        user = UserFactory(username="bea-staff", role=User.Role.STAFF, clients=[tenant_b])
    http = HttpClient(HTTP_HOST=host_of(tenant_a))
    http.force_login(user)
    assert http.get(reverse("imports")).status_code == 404
    assert http.get(reverse("connection_connect", kwargs={"platform": "hubspot"})).status_code == 404
    assert http.post(reverse("connection_connect", kwargs={"platform": "hubspot"}),
                     {"account_id": "1", "access_token": HUBSPOT_TOKEN}).status_code == 404
    assert http.post(reverse("connection_sync", kwargs={"platform": "hubspot"})).status_code == 404
    assert http.post(reverse("connection_disconnect", kwargs={"platform": "hubspot"})).status_code == 404
    home = http.get("/")
    assert HUBSPOT_TOKEN not in home.content.decode() and "pat-…" not in home.content.decode()
    with tenant_context(tenant_a):
        assert Connection.objects.get().account_id == "4242"


def test_a_failure_written_by_the_worker_in_english_reads_in_spanish(
    staff_http: HttpClient, tenant_a: Client, hubspot: FakePlatforms
) -> None:
    connect_hubspot(tenant_a)
    hubspot.fail("hubspot", 503, times=10)
    connection_sync(client=tenant_a, platform="hubspot", now=NOW)  # the worker's language: English
    page = staff_http.get(reverse("imports"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "HubSpot no estaba disponible: sus servidores respondieron con un error en todos los intentos." in page
    assert "con errores" in page and "on every attempt" not in page
    hubspot.faults.clear()
    hubspot.expired.add("hubspot")
    connection_sync(client=tenant_a, platform="hubspot", now=NOW)
    page = staff_http.get(reverse("imports"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    # The platform's own words stay as it said them; the portal's around them are translated.
    assert "HubSpot rechazó las credenciales: son incorrectas, caducaron o se revocaron." in page
    assert "La plataforma dijo: «HTTP 401: The OAuth token used to make this call expired 2 hour(s) ago.»" in page


@pytest.mark.parametrize(("language", "paused", "next_run", "connect"), [
    ("en", "paused until someone connects it again", "Next run", "Connect again"),
    ("es", "en pausa hasta que alguien la vuelva a conectar", "Próxima ejecución", "Volver a conectar"),
])
def test_a_connection_needing_reauthorisation_shows_syncing_paused_not_a_next_run(
    language: str, paused: str, next_run: str, connect: str,
    staff_http: HttpClient, tenant_a: Client, hubspot: FakePlatforms, django_capture_on_commit_callbacks
) -> None:
    connect_hubspot(tenant_a)
    page = staff_http.get(reverse("imports"), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert next_run in page and paused not in page  # connected: its nightly run is shown
    hubspot.expired.add("hubspot")
    connection_sync(client=tenant_a, platform="hubspot", now=NOW)
    with tenant_context(tenant_a):
        assert Connection.objects.get().next_run_at is not None  # the row keeps a slot; the dispatcher skips it
    page = staff_http.get(reverse("imports"), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert paused in page and next_run not in page
    connect_url = reverse("connection_connect", kwargs={"platform": "hubspot"})
    assert f'<a class="button" href="{connect_url}">{connect}</a>' in page
    assert reverse("connection_sync", kwargs={"platform": "hubspot"}) not in page  # Sync now would only fail again
    with django_capture_on_commit_callbacks() as callbacks:  # a page opened before, or a stale tab: refused
        response = staff_http.post(reverse("connection_sync", kwargs={"platform": "hubspot"}),
                                   HTTP_ACCEPT_LANGUAGE=language, follow=True)
    assert not callbacks
    assert ("must be connected again before it can sync" in response.content.decode()
            or "Hay que volver a conectar HubSpot antes" in response.content.decode())


@pytest.mark.parametrize(("language", "refused", "card"), [
    ("en", "A sync of HubSpot has been running since", "A sync has been running since"),
    ("es", "Hay una sincronización de HubSpot en curso desde el", "Hay una sincronización en curso desde el"),
])
def test_sync_now_while_a_sync_runs_says_since_when_and_queues_nothing(
    language: str, refused: str, card: str, staff_http: HttpClient, tenant_a: Client, hubspot: FakePlatforms,
    django_capture_on_commit_callbacks
) -> None:
    connect_hubspot(tenant_a)
    with sync_lock(schema=tenant_a.schema_name, platform="hubspot") as held:  # a live sync of it, in this process
        assert held
        with django_capture_on_commit_callbacks() as callbacks:
            response = staff_http.post(reverse("connection_sync", kwargs={"platform": "hubspot"}),
                                       HTTP_ACCEPT_LANGUAGE=language, follow=True)
        assert not callbacks  # the worker would only skip it
        page = response.content.decode()
        assert refused in page and card in page
        assert 'hx-trigger="every 3s"' in page  # the card follows the running sync
    with django_capture_on_commit_callbacks() as callbacks:
        response = staff_http.post(reverse("connection_sync", kwargs={"platform": "hubspot"}),
                                   HTTP_ACCEPT_LANGUAGE=language, follow=True)
    assert len(callbacks) == 1 and refused not in response.content.decode()  # ended: Sync now queues again


def test_connecting_a_portal_another_client_reads_names_it_and_goes_on_only_when_ticked(
    staff_http: HttpClient, tenant_a: Client, tenant_b: Client, hubspot: FakePlatforms,
    django_capture_on_commit_callbacks,
) -> None:
    """One HubSpot portal feeding two clients counts its leads for both: allowed by design, never silent."""
    connect_hubspot(tenant_b)
    url = reverse("connection_connect", kwargs={"platform": "hubspot"})
    warned = staff_http.post(url, {"account_id": "4242", "access_token": HUBSPOT_TOKEN})
    body = warned.content.decode()
    assert warned.status_code == 422
    assert "This HubSpot account (4242) is already connected to Beta Brands." in body
    assert 'name="share"' in body and "Connect it to this client too" in body
    assert HUBSPOT_TOKEN not in body  # never rendered back
    with tenant_context(tenant_a):
        assert not Connection.objects.exists()
    again = staff_http.post(url, {"account_id": "4242", "access_token": HUBSPOT_TOKEN})  # not ticked: said again
    assert again.status_code == 422 and "already connected to Beta Brands" in again.content.decode()
    spanish = staff_http.post(url, {"account_id": "4242", "access_token": HUBSPOT_TOKEN}, HTTP_ACCEPT_LANGUAGE="es")
    assert "ya está conectada a Beta Brands" in spanish.content.decode()
    assert "Conectarla también a este cliente" in spanish.content.decode()
    with django_capture_on_commit_callbacks():
        ticked = staff_http.post(url, {"account_id": "4242", "access_token": HUBSPOT_TOKEN, "share": "on"})
    assert ticked.status_code == 302
    with tenant_context(tenant_a):
        assert Connection.objects.get().account_id == "4242"
    imports = staff_http.get(reverse("imports")).content.decode()  # and it stays said on the connection
    assert "Also connected to" in imports and "Beta Brands: this account's data counts for each client" in imports


@pytest.mark.parametrize(("language", "said"), [
    ("en", "No files imported yet: the connected platforms above bring their data by themselves every night."),
    ("es", "Todavía no se ha importado ningún archivo: las plataformas conectadas de arriba traen sus datos solas "
           "cada noche."),
])
def test_recent_imports_of_a_connected_client_without_files_say_where_its_data_comes_from(
    language: str, said: str, staff_http: HttpClient, tenant_a: Client, hubspot: FakePlatforms
) -> None:
    before = staff_http.get(reverse("imports"), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert said not in before  # nothing connected: "no imports yet" is the whole story
    connect_hubspot(tenant_a)
    assert connection_sync(client=tenant_a, platform="hubspot", now=NOW).ok
    page = staff_http.get(reverse("imports"), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert said in page and "No imports yet." not in page and "Todavía no hay importaciones" not in page
