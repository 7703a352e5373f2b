"""The connectors' tests: the fake platforms' server (clients.connectors.fake_server) on a free local
port, the connectors pointed at it through the URL overrides, and short retry waits."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connections

from agency.models import Client
from clients.connectors import fake_server
from clients.connectors.fake_server import FakePlatforms, fake_server_start
from clients.connectors.sync import connection_connect
from clients.connectors.vault import Credentials

NOW = dt.datetime(2026, 11, 3, 3, 0, tzinfo=dt.UTC)  # the fixed clock: a night in November
HUBSPOT_TOKEN = "pat-eu1-11111111-2222-3333-4444-5555deadbeef"
MAILCHIMP_KEY = "0123456789abcdef0123456789abcdef-us21"


@pytest.fixture
def platforms(settings) -> Iterator[FakePlatforms]:
    state = FakePlatforms()
    server = fake_server_start(state)
    url = f"http://127.0.0.1:{server.server_address[1]}"
    settings.PORTAL_CONNECTOR_URLS = {"hubspot": url, "ga4": url, "mailchimp": url}
    settings.PORTAL_OAUTH_URLS = {"ga4": url, "hubspot": url}
    settings.PORTAL_CONNECTOR_BACKOFF = 0.05
    settings.PORTAL_CONNECTOR_RETRIES = 4
    yield state
    server.shutdown()
    server.server_close()


@pytest.fixture
def hubspot(platforms: FakePlatforms) -> FakePlatforms:
    """Portal 4242 with 250 contacts created over the backfill's 13 months."""
    platforms.hubspot_tokens[HUBSPOT_TOKEN] = "4242"
    platforms.hubspot_contacts = fake_server.make_contacts(
        250, first=dt.datetime(2025, 10, 2, tzinfo=dt.UTC), last=dt.datetime(2026, 11, 2, tzinfo=dt.UTC))
    return platforms


@pytest.fixture
def ga4(platforms: FakePlatforms) -> dict:
    account, public = fake_server.service_account()
    platforms.ga4_accounts[account["client_email"]] = public
    platforms.ga4_properties.add("123456")
    platforms.ga4_rows = fake_server.make_ga4_rows(dt.date(2026, 9, 1), 40)
    return account


@pytest.fixture
def mailchimp(platforms: FakePlatforms) -> FakePlatforms:
    platforms.mailchimp_keys[MAILCHIMP_KEY] = "Alpha News"
    platforms.mailchimp_reports = fake_server.make_reports(
        30, first=dt.datetime(2026, 6, 1, 8, tzinfo=dt.UTC), last=dt.datetime(2026, 11, 1, tzinfo=dt.UTC))
    return platforms


@pytest.fixture
def schemas_opened(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every client schema the connection is switched to (tenant_context, set_schema: both set_tenant)."""
    opened: list[str] = []
    wrapper = connections["default"]
    real = wrapper.set_tenant

    def spy(tenant: Any, *args: Any, **kwargs: Any) -> None:
        if tenant.schema_name != "public":
            opened.append(tenant.schema_name)
        real(tenant, *args, **kwargs)

    monkeypatch.setattr(wrapper, "set_tenant", spy)
    yield opened


def connect_hubspot(client: Client, *, shared_ok: bool = False) -> None:
    connection_connect(client=client, platform="hubspot", account_id="4242",
                       credentials=Credentials(access_token=HUBSPOT_TOKEN), shared_ok=shared_ok)


from tests.clients.connectors.ads_fixtures import ads  # noqa: E402, F401  (the ad platforms' fake accounts)
