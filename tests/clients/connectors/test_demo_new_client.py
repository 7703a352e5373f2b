"""A client added in the demo connects a CRM, analytics and email account of its own on the fake
platforms, not only its ad accounts: the walk of 2026-12-07 (newclient14) connected Google Ads, Meta
and LinkedIn through their consent, found nothing for HubSpot but Wayne Outdoor's portal (shared: its
leads would have counted twice), and approved a first report of spend with 0 leads, sessions and emails.
Against the local fake server only; nothing reaches the network."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db.models import Sum
from django.utils import timezone
from django_tenants.utils import tenant_context

from agency.models import Client
from clients.connectors.fake_server import (
    DEMO_GA4_PROPERTY,
    DEMO_HUBSPOT_TOKEN,
    DEMO_MAILCHIMP_KEY,
    DEMO_NEW_GA4_PROPERTY,
    DEMO_NEW_HUBSPOT_TOKEN,
    DEMO_NEW_MAILCHIMP_KEY,
    DEMO_NEW_PORTAL,
    DEMO_PORTAL,
    FakePlatforms,
    demo_platforms,
    fake_server_start,
)
from clients.connectors.sync import connection_connect, connection_sync
from clients.connectors.vault import Credentials
from clients.models import EmailRow, Lead, TrafficRow

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def demo(settings, tmp_path) -> Iterator[tuple[FakePlatforms, dict]]:
    """The demo's own fake accounts (as ``manage.py fake_platforms`` serves them) on a free local port."""
    platforms, credentials = demo_platforms(tmp_path, today=timezone.localdate())
    server = fake_server_start(platforms)
    url = f"http://127.0.0.1:{server.server_address[1]}"
    settings.PORTAL_CONNECTOR_URLS = {"hubspot": url, "ga4": url, "mailchimp": url}
    settings.PORTAL_OAUTH_URLS = {"ga4": url, "hubspot": url}
    yield platforms, credentials
    server.shutdown()
    server.server_close()


def _connect_and_sync(client: Client, platform: str, account: str, credentials: Credentials) -> str:
    _connection, sentence = connection_connect(client=client, platform=platform, account_id=account,
                                               credentials=credentials)  # no shared_ok: nobody else reads it
    outcome = connection_sync(client=client, platform=platform)
    assert outcome.ok, outcome.message
    return sentence


def test_a_new_client_connects_its_own_hubspot_ga4_and_mailchimp_beside_wayne(
    tenant_a: Client, tenant_b: Client, demo: tuple[FakePlatforms, dict]
) -> None:
    _platforms, credentials = demo
    service_account = credentials["ga4"][1]["service_account"]
    # alpha as Wayne Outdoor, on the demo's own accounts; beta, a client added in the demo, on the new ones.
    _connect_and_sync(tenant_a, "hubspot", DEMO_PORTAL, Credentials(access_token=DEMO_HUBSPOT_TOKEN))
    _connect_and_sync(tenant_a, "ga4", DEMO_GA4_PROPERTY, Credentials(service_account=service_account))
    _connect_and_sync(tenant_a, "mailchimp", "wayne-news", Credentials(api_key=DEMO_MAILCHIMP_KEY))
    sentence = _connect_and_sync(tenant_b, "hubspot", DEMO_NEW_PORTAL, Credentials(access_token=DEMO_NEW_HUBSPOT_TOKEN))
    assert f"portal {DEMO_NEW_PORTAL}" in sentence, sentence
    _connect_and_sync(tenant_b, "ga4", DEMO_NEW_GA4_PROPERTY, Credentials(service_account=service_account))
    _connect_and_sync(tenant_b, "mailchimp", "new-client-news", Credentials(api_key=DEMO_NEW_MAILCHIMP_KEY))

    def counts(client: Client) -> tuple[int, int, int]:
        with tenant_context(client):
            return (Lead.objects.count(), TrafficRow.objects.aggregate(s=Sum("sessions"))["s"] or 0,
                    EmailRow.objects.count())

    wayne, new = counts(tenant_a), counts(tenant_b)
    assert wayne[0] == 1800 and new[0] == 900  # its own contacts, not Wayne's
    assert all(new), new  # leads, sessions and email results: a first report with more than spend
    assert new[1] != wayne[1] and new[2] != wayne[2]


def test_the_run_prints_what_a_new_client_connects_to(monkeypatch) -> None:
    monkeypatch.syspath_prepend(str(ROOT / "scripts"))
    sys.modules.pop("portal", None)
    import portal

    lines = portal.demo_new_client_lines()
    for value in (f"Hub ID {DEMO_NEW_PORTAL}", f"token {DEMO_NEW_HUBSPOT_TOKEN}", f"property {DEMO_NEW_GA4_PROPERTY}",
                  f"API key {DEMO_NEW_MAILCHIMP_KEY}", "Demo account for a new client",
                  ".local/fake-platforms/fake-ga4-service-account.json"):
        assert value in lines, value
