"""Secrets of a connection: encrypted at rest, sealed to their client, rotated, and never in a log, a page,
an error message, an export or export_snapshot (issue #24, point 4)."""

from __future__ import annotations

import io
import json
import logging

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection as db
from django.test import Client as HttpClient
from django.urls import reverse
from django_tenants.utils import tenant_context

from agency.models import Client
from clients.connectors import vault
from clients.connectors.fake_server import FakePlatforms, FakeServerRefused, fake_server_start
from clients.connectors.sync import connection_connect, connection_sync
from clients.connectors.vault import Credentials
from clients.models import Connection, SyncRun
from tests.clients.connectors.conftest import HUBSPOT_TOKEN, MAILCHIMP_KEY, NOW, connect_hubspot

pytestmark = pytest.mark.django_db


def _secrets(ga4_account: dict) -> list[str]:
    key_line = ga4_account["private_key"].splitlines()[5]  # a line from the middle of the PEM body
    return [HUBSPOT_TOKEN, MAILCHIMP_KEY, MAILCHIMP_KEY.split("-")[0], key_line]


def test_after_syncs_and_failures_no_secret_is_in_logs_pages_errors_or_exports(
    tenant_a: Client, hubspot: FakePlatforms, mailchimp: FakePlatforms, ga4: dict, staff_http: HttpClient, caplog,
) -> None:
    caplog.set_level(logging.DEBUG)
    connect_hubspot(tenant_a)
    connection_connect(client=tenant_a, platform="mailchimp", account_id="alpha", credentials=Credentials(api_key=MAILCHIMP_KEY))
    connection_connect(client=tenant_a, platform="ga4", account_id="123456", credentials=Credentials(service_account=ga4))
    for platform in ("hubspot", "mailchimp", "ga4"):
        assert connection_sync(client=tenant_a, platform=platform, now=NOW).ok
    # A platform that echoes the credential in its error message: the reason keeps only a mask.
    hubspot.fail("hubspot", 400, body={"status": "error", "category": "VALIDATION_ERROR",
                                       "message": f"Bad request for token {HUBSPOT_TOKEN}"})
    failed = connection_sync(client=tenant_a, platform="hubspot", first_day=NOW.date(), last_day=NOW.date(), now=NOW)
    assert not failed.ok and "pat-…beef" in failed.message
    hubspot.expired.add("hubspot")
    connection_sync(client=tenant_a, platform="hubspot", first_day=NOW.date(), last_day=NOW.date(), now=NOW)

    seen = [caplog.text, failed.message]
    seen.append(staff_http.get(reverse("imports")).content.decode())
    for platform in ("hubspot", "mailchimp", "ga4"):
        seen.append(staff_http.get(reverse("connection_connect", kwargs={"platform": platform})).content.decode())
    refused = staff_http.post(reverse("connection_connect", kwargs={"platform": "mailchimp"}),
                              {"account_id": "alpha", "api_key": MAILCHIMP_KEY[:-4] + "-us99"})
    seen.append(refused.content.decode())
    with tenant_context(tenant_a):
        seen += [c.reason for c in Connection.objects.all()] + [r.message for r in SyncRun.objects.all()]
        stored = list(Connection.objects.values_list("secrets", flat=True))
        with db.cursor() as cursor:
            cursor.execute("SELECT row_to_json(c)::text FROM clients_connection c")
            seen += [row[0] for row in cursor.fetchall()]
    out = io.StringIO()
    call_command("compute_snapshots", "alpha", "--month", "2026-10", stdout=io.StringIO())
    call_command("export_snapshot", "alpha", "--month", "2026-10", stdout=out, stderr=io.StringIO())
    seen.append(out.getvalue())
    seen.append(staff_http.get("/scorecard/export.csv").content.decode(errors="replace"))
    for secret in _secrets(ga4):
        for text in seen:
            assert secret not in text
    assert all(stored) and not any(HUBSPOT_TOKEN in s for s in stored)


def test_credentials_print_masked() -> None:
    credentials = Credentials(access_token=HUBSPOT_TOKEN, refresh_token="refresh-123456789")
    assert HUBSPOT_TOKEN not in repr(credentials) and HUBSPOT_TOKEN not in f"{credentials}"
    assert credentials.masked() == "pat-…beef"


def test_a_key_rotates_first_encrypts_every_key_decrypts_and_reencrypt_moves_to_the_new_one(
    tenant_a: Client, hubspot: FakePlatforms, settings
) -> None:
    old, new = settings.PORTAL_SECRETS_KEYS[0], Fernet.generate_key().decode()
    connect_hubspot(tenant_a)
    settings.PORTAL_SECRETS_KEYS = [new, old]
    assert connection_sync(client=tenant_a, platform="hubspot", now=NOW).ok  # the old key still decrypts
    out = io.StringIO()
    call_command("reencrypt_secrets", stdout=out)
    assert "re-encrypted 1 connection(s)" in out.getvalue()
    settings.PORTAL_SECRETS_KEYS = [new]
    with tenant_context(tenant_a):
        token = Connection.objects.get().secrets
    assert vault.unseal(token, owner="alpha").access_token == HUBSPOT_TOKEN


def test_credentials_copied_to_another_client_cannot_be_used(
    tenant_a: Client, tenant_b: Client, hubspot: FakePlatforms
) -> None:
    connect_hubspot(tenant_a)
    with tenant_context(tenant_a):
        stolen = Connection.objects.get().secrets
    with tenant_context(tenant_b):
        Connection.objects.create(platform="hubspot", account_id="4242", secrets=stolen)
    asked = len(hubspot.log)
    outcome = connection_sync(client=tenant_b, platform="hubspot", now=NOW)
    assert not outcome.ok and "belong to another client" in outcome.message
    assert len(hubspot.log) == asked  # nothing was sent to the platform
    with tenant_context(tenant_b):
        assert Connection.objects.get().state == Connection.State.REAUTH


def test_the_api_address_cannot_be_set_from_a_screen(
    staff_http: HttpClient, tenant_a: Client, hubspot: FakePlatforms
) -> None:
    elsewhere = FakePlatforms(hubspot_tokens={HUBSPOT_TOKEN: "4242"})
    server = fake_server_start(elsewhere)
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}"
        response = staff_http.post(reverse("connection_connect", kwargs={"platform": "hubspot"}), {
            "account_id": "4242", "access_token": HUBSPOT_TOKEN, "base": url, "api_base": url,
            "PORTAL_CONNECTOR_URL_HUBSPOT": url, "url": url})
        assert response.status_code == 302
        assert connection_sync(client=tenant_a, platform="hubspot", now=NOW).ok
    finally:
        server.shutdown()
        server.server_close()
    assert sum(elsewhere.requests.values()) == 0
    with tenant_context(tenant_a):
        assert json.dumps(Connection.objects.get().options) == "{}"


def test_production_refuses_the_fake_platforms(settings) -> None:
    settings.DEBUG, settings.TESTING = False, False
    with pytest.raises(FakeServerRefused):
        fake_server_start(FakePlatforms())
