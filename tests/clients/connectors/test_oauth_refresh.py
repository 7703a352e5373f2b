"""OAuth tokens: refreshed before they expire and once on a 401, stored (encrypted) at once; a refused
refresh needs re-authorisation and writes nothing. HubSpot's ``/oauth/v1/token`` is the example
connector of the hook (docs/architecture.md, "A new connector")."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from django_tenants.utils import tenant_context

from agency.models import Client
from clients.connectors import vault
from clients.connectors.fake_server import FakePlatforms
from clients.connectors.sync import connection_connect, connection_sync
from clients.connectors.vault import Credentials
from clients.models import Connection, Lead
from tests.clients.connectors.conftest import NOW

pytestmark = pytest.mark.django_db
REFRESH = "refresh-5f1e2d3c-aaaa-bbbb-cccc-000000004242"
EXPIRED = "CJexpired-access-token-0000000000"


@pytest.fixture
def oauth(hubspot: FakePlatforms, settings) -> FakePlatforms:
    settings.PORTAL_OAUTH_APPS = {"hubspot": ("app-id-1", "app-secret-1")}
    hubspot.hubspot_apps["app-id-1"] = "app-secret-1"
    hubspot.hubspot_refresh_tokens[REFRESH] = "4242"
    hubspot.expired_tokens.add(EXPIRED)
    return hubspot


def _stored(client: Client) -> Credentials:
    with tenant_context(client):
        return vault.unseal(Connection.objects.get().secrets, owner=client.schema_name)


def test_an_expired_access_token_is_refreshed_before_the_sync_and_stored(tenant_a: Client, oauth: FakePlatforms) -> None:
    connection_connect(client=tenant_a, platform="hubspot", account_id="4242", check=False, credentials=Credentials(
        access_token=EXPIRED, refresh_token=REFRESH, expires_at=timezone.now() - dt.timedelta(hours=1)))
    outcome = connection_sync(client=tenant_a, platform="hubspot", now=NOW)
    assert outcome.ok, outcome.message
    stored = _stored(tenant_a)
    assert stored.access_token != EXPIRED and stored.access_token in oauth.hubspot_tokens
    assert stored.expires_at > timezone.now() + dt.timedelta(minutes=20)
    with tenant_context(tenant_a):
        assert Connection.objects.get().token_expires_at == stored.expires_at
        assert Lead.objects.count() == 250
    assert [path for _t, _p, path, _s in oauth.log].count("/oauth/v1/token") == 1


def test_a_401_refreshes_once_then_the_same_request_succeeds(tenant_a: Client, oauth: FakePlatforms) -> None:
    # The platform says expired although the stored expiry says otherwise (revoked early, clocks apart).
    connection_connect(client=tenant_a, platform="hubspot", account_id="4242", check=False, credentials=Credentials(
        access_token=EXPIRED, refresh_token=REFRESH, expires_at=timezone.now() + dt.timedelta(days=1)))
    assert connection_sync(client=tenant_a, platform="hubspot", now=NOW).ok
    statuses = [(path, status) for _t, _p, path, status in oauth.log]
    assert statuses[:3] == [("/crm/v3/objects/contacts/search", 401), ("/oauth/v1/token", 200),
                            ("/crm/v3/objects/contacts/search", 200)]
    assert _stored(tenant_a).access_token != EXPIRED


def test_a_refused_refresh_needs_reauthorisation_and_writes_nothing(tenant_a: Client, oauth: FakePlatforms) -> None:
    connection_connect(client=tenant_a, platform="hubspot", account_id="4242", check=False, credentials=Credentials(
        access_token=EXPIRED, refresh_token="revoked-refresh-token-000000", expires_at=timezone.now() - dt.timedelta(hours=1)))
    outcome = connection_sync(client=tenant_a, platform="hubspot", now=NOW)
    assert not outcome.ok
    with tenant_context(tenant_a):
        connection = Connection.objects.get()
        assert not Lead.objects.exists()
    assert connection.state == Connection.State.REAUTH
    assert connection.reason == "HubSpot refused to refresh the access token: HubSpot refused the request."
    assert connection.reason_words["said"] == "HTTP 400: missing or invalid refresh token"
    assert "revoked-refresh-token-000000" not in connection.reason
