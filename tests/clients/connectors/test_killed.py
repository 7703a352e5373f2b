"""A sync whose process is killed half-way (SIGKILL, mid-request) resumes after its last committed batch:
no duplicate, nothing lost, the same leads as a sync that was never interrupted; its lock, no longer
renewed by the dead process, lapses within seconds."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client as HttpClient
from django.urls import reverse
from django_tenants.utils import tenant_context

from agency.models import Client
from clients.connectors import fake_server
from clients.connectors.fake_server import FakePlatforms
from clients.connectors.lock import sync_lock_since
from clients.connectors.sync import connection_sync
from clients.models import Connection, Lead, SyncRun
from tests.clients.connectors.conftest import NOW, connect_hubspot
from tests.faults.harness import database_url

ROOT = Path(__file__).resolve().parents[3]
pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_a_sync_killed_half_way_resumes_without_duplicates(
    tenant_a: Client, hubspot: FakePlatforms, clean_tenant_tables, tmp_path: Path, staff_http: HttpClient
) -> None:
    hubspot.hubspot_contacts = fake_server.make_contacts(
        600, first=dt.datetime(2025, 10, 2, tzinfo=dt.UTC), last=dt.datetime(2026, 11, 2, tzinfo=dt.UTC))
    connect_hubspot(tenant_a)
    url = settings.PORTAL_CONNECTOR_URLS["hubspot"]
    env = {**os.environ, "DATABASE_URL": database_url(), "REDIS_URL": settings.REDIS_URL,
           "PORTAL_CONNECTOR_URL_HUBSPOT": url, "PORTAL_CONNECTOR_BATCH_ROWS": "50", "PORTAL_CONNECTOR_LOCK_SECONDS": "3",
           "PORTAL_SECRETS_KEY": ",".join(settings.PORTAL_SECRETS_KEYS)}
    log = (tmp_path / "sync.log").open("w")
    process = subprocess.Popen([sys.executable, "manage.py", "sync_source", "alpha", "hubspot", "--from", "2025-10-01",
                                "--to", "2026-11-02"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    searches = {"n": 0}

    def kill_on_the_third_page(platform: str, path: str) -> None:
        if path.endswith("/search"):
            searches["n"] += 1
            if searches["n"] == 3:  # two pages of 200 read, seven batches of 50 committed
                os.kill(process.pid, signal.SIGKILL)

    hubspot.on_request = kill_on_the_third_page
    assert process.wait(timeout=120) == -signal.SIGKILL
    killed_at = time.monotonic()
    hubspot.on_request = None
    with tenant_context(tenant_a):
        assert Lead.objects.count() == 350
        connection = Connection.objects.get()
    assert connection.state == Connection.State.SYNCING and connection.run["position"]["skip"] == 150
    # The killed process's lock stands a moment (its heartbeat renewed it every second) and then lapses
    # within its 3 seconds, not minutes: no one deletes it here.
    assert connection_sync(client=tenant_a, platform="hubspot", now=NOW).skipped
    while sync_lock_since(schema=tenant_a.schema_name, platform="hubspot") is not None:
        assert time.monotonic() - killed_at < 5, "the dead sync's lock did not lapse"
        time.sleep(0.1)
    page = staff_http.get(reverse("imports")).content.decode()
    assert "The last sync stopped half-way (its worker ended) after 350 rows" in page
    assert "A sync has been running since" not in page
    resumed = connection_sync(client=tenant_a, platform="hubspot", now=NOW)
    assert resumed.ok and resumed.rows == 250
    with tenant_context(tenant_a):
        ids = sorted(Lead.objects.values_list("id", flat=True))
        run = SyncRun.objects.get()
    assert ids == sorted(contact["id"] for contact in hubspot.hubspot_contacts)  # each once, none missing
    assert run.ok and run.rows == 600
