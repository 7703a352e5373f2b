"""The nightly dispatcher reads the public due index (agency.models.ConnectionDue): it opens no
client's schema, queues only what is due, once; the index follows every change of a connection
(connect, sync, failure, re-authorisation, disconnect, a new time zone) and is rebuilt from the
schemas when lost."""

from __future__ import annotations

import datetime as dt
import io
import time
from zoneinfo import ZoneInfo

import pytest
from celery.contrib.testing.worker import start_worker
from django.core.management import call_command
from django.utils import timezone
from django_tenants.utils import tenant_context

from agency.celery import app
from agency.models import Client, ConnectionDue
from agency.services import client_timezone_set
from clients import tasks
from clients.connectors.fake_server import FakePlatforms
from clients.connectors.schedule import STALE_SYNC, connections_due_rebuild
from clients.connectors.sync import connection_disconnect, connection_sync
from clients.models import Connection
from tests.clients.connectors.conftest import NOW, connect_hubspot

pytestmark = pytest.mark.django_db


def _due(client: Client, platform: str = "hubspot") -> dt.datetime | None:
    return ConnectionDue.objects.get(client=client, platform=platform).due_at


def _connection(client: Client) -> Connection:
    with tenant_context(client):
        return Connection.objects.get(platform="hubspot")


@pytest.fixture
def queued(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, dict]]:
    sent: list[tuple[str, dict]] = []
    monkeypatch.setattr(tasks, "enqueue_for_client", lambda task, *, client, countdown=None, **kw: sent.append((client.slug, kw)))
    return sent


def _make_due(client: Client, at: dt.datetime) -> None:
    """The connection's nightly slot set to ``at``, as a sync would leave it (row and index together)."""
    with tenant_context(client):
        Connection.objects.update(next_run_at=at)
    ConnectionDue.objects.filter(client=client).update(due_at=at)


def test_connecting_writes_the_nightly_slot_to_the_index(tenant_a: Client, hubspot: FakePlatforms) -> None:
    connect_hubspot(tenant_a)
    connection = _connection(tenant_a)
    assert _due(tenant_a) == connection.next_run_at
    assert 1 <= connection.next_run_at.astimezone(ZoneInfo("Europe/Madrid")).hour < 5


def test_the_dispatcher_opens_no_schema_and_queues_only_the_due_clients_once(
    tenant_a: Client, tenant_b: Client, hubspot: FakePlatforms, schemas_opened: list[str], queued: list
) -> None:
    connect_hubspot(tenant_a)
    connect_hubspot(tenant_b, shared_ok=True)  # one fake portal for both clients
    now = timezone.now()
    _make_due(tenant_a, now - dt.timedelta(minutes=1))
    _make_due(tenant_b, now + dt.timedelta(hours=3))
    schemas_opened.clear()
    assert tasks.dispatch_connection_syncs.apply().get() == 1
    assert schemas_opened == []  # the old dispatcher opened alpha's and beta's
    assert [(slug, kw["platform"]) for slug, kw in queued] == [("alpha", "hubspot")]
    claimed = _due(tenant_a)
    assert claimed is not None and claimed > now + STALE_SYNC - dt.timedelta(minutes=1)  # claimed: not queued again
    assert tasks.dispatch_connection_syncs.apply().get() == 0
    assert _due(tenant_b) == _connection(tenant_b).next_run_at


def test_a_client_not_ready_is_not_dispatched(tenant_a: Client, hubspot: FakePlatforms, queued: list) -> None:
    connect_hubspot(tenant_a)
    _make_due(tenant_a, timezone.now() - dt.timedelta(minutes=1))
    Client.objects.filter(pk=tenant_a.pk).update(is_ready=False)
    assert tasks.dispatch_connection_syncs.apply().get() == 0
    assert queued == []


def test_a_sync_queued_twice_runs_once(tenant_a: Client, hubspot: FakePlatforms) -> None:
    connect_hubspot(tenant_a)
    now = timezone.now()
    _make_due(tenant_a, now - dt.timedelta(minutes=1))
    message = {"kwargs": {"client_slug": "alpha", "platform": "hubspot", "due": now.isoformat()},
               "headers": {"_schema_name": tenant_a.schema_name}}
    assert tasks.connection_sync_run.apply(**message).get() == "ok"
    assert tasks.connection_sync_run.apply(**message).get() == "skipped"
    with tenant_context(tenant_a):
        assert Connection.objects.get().runs.count() == 1


def test_a_successful_sync_moves_the_index_to_the_next_night(tenant_a: Client, hubspot: FakePlatforms) -> None:
    connect_hubspot(tenant_a)
    connection_sync(client=tenant_a, platform="hubspot", now=NOW)
    connection = _connection(tenant_a)
    assert connection.state == Connection.State.CONNECTED
    assert _due(tenant_a) == connection.next_run_at > NOW


def test_a_sync_under_way_is_due_again_when_it_counts_as_lost(tenant_a: Client, hubspot: FakePlatforms) -> None:
    connect_hubspot(tenant_a)
    seen: list[dt.datetime | None] = []
    connection_sync(client=tenant_a, platform="hubspot", now=NOW, progress=lambda _p: seen.append(_due(tenant_a)))
    assert seen[0] == NOW + STALE_SYNC  # written when the sync started, in its transaction


def test_a_failed_sync_is_due_at_the_next_night_and_reauthorisation_never(
    tenant_a: Client, hubspot: FakePlatforms
) -> None:
    connect_hubspot(tenant_a)
    hubspot.fail("hubspot", 503, times=10)
    connection_sync(client=tenant_a, platform="hubspot", now=NOW)
    connection = _connection(tenant_a)
    assert connection.state == Connection.State.FAILING
    assert _due(tenant_a) == connection.next_run_at > NOW
    hubspot.faults.clear()
    hubspot.expired.add("hubspot")
    connection_sync(client=tenant_a, platform="hubspot", now=NOW + dt.timedelta(days=1))
    assert _connection(tenant_a).state == Connection.State.REAUTH
    assert _due(tenant_a) is None
    hubspot.expired.clear()
    connect_hubspot(tenant_a)  # connected again: due at its next night
    assert _due(tenant_a) == _connection(tenant_a).next_run_at


def test_disconnecting_removes_the_connection_from_the_index(tenant_a: Client, hubspot: FakePlatforms) -> None:
    connect_hubspot(tenant_a)
    assert connection_disconnect(client=tenant_a, platform="hubspot")
    assert not ConnectionDue.objects.filter(client=tenant_a).exists()


def test_a_new_time_zone_moves_the_coming_night_into_the_new_zone(tenant_a: Client, hubspot: FakePlatforms) -> None:
    connect_hubspot(tenant_a)
    before = _connection(tenant_a).next_run_at
    client_timezone_set(client=tenant_a, zone="America/Los_Angeles")
    after = _connection(tenant_a).next_run_at
    assert after != before
    assert 1 <= after.astimezone(ZoneInfo("America/Los_Angeles")).hour < 5
    assert _due(tenant_a) == after


def test_the_rebuild_restores_a_lost_index_from_the_schemas(
    tenant_a: Client, tenant_b: Client, hubspot: FakePlatforms, queued: list
) -> None:
    connect_hubspot(tenant_a)
    _make_due(tenant_a, timezone.now() - dt.timedelta(minutes=1))
    ConnectionDue.objects.all().delete()  # lost
    assert tasks.dispatch_connection_syncs.apply().get() == 0
    ConnectionDue.objects.create(client=tenant_b, platform="mailchimp", due_at=timezone.now() + dt.timedelta(hours=1))
    for client in (tenant_a, tenant_b):
        connections_due_rebuild(client=client)
    assert list(ConnectionDue.objects.values_list("client__slug", "platform")) == [("alpha", "hubspot")]
    assert tasks.dispatch_connection_syncs.apply().get() == 1


def test_the_daily_rebuild_is_one_task_per_ready_client(tenants: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    sent: list[str] = []
    monkeypatch.setattr("agency.tasks.enqueue_for_client", lambda task, *, client, **kw: sent.append(client.slug))
    assert tasks.dispatch_connections_due_rebuild.apply().get() == len(sent) >= 2

    assert any(e["task"] == "clients.tasks.dispatch_connections_due_rebuild" for e in app.conf.beat_schedule.values())


def test_the_rebuild_command_restores_one_client(tenant_a: Client, hubspot: FakePlatforms) -> None:
    connect_hubspot(tenant_a)
    ConnectionDue.objects.all().delete()
    out = io.StringIO()
    call_command("connections_due_rebuild", "alpha", stdout=out)
    assert out.getvalue().strip() == "1 connection(s) of 1 client(s) in the due index"
    assert _due(tenant_a) == _connection(tenant_a).next_run_at


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_beat_s_dispatch_syncs_the_due_client_through_a_real_worker_and_leaves_the_other_alone(
    tenant_a: Client, tenant_b: Client, hubspot: FakePlatforms, clean_tenant_tables: None
) -> None:
    connect_hubspot(tenant_a)
    connect_hubspot(tenant_b, shared_ok=True)  # one fake portal for both clients
    _make_due(tenant_a, timezone.now() - dt.timedelta(minutes=1))
    tomorrow = _due(tenant_b)
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        tasks.dispatch_connection_syncs.delay()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and _connection(tenant_a).last_success_at is None:
            time.sleep(0.2)
    synced = _connection(tenant_a)
    assert synced.last_success_at is not None and synced.state == Connection.State.CONNECTED
    assert _due(tenant_a) == synced.next_run_at > timezone.now()  # the next night
    with tenant_context(tenant_b):
        assert not Connection.objects.get().runs.exists()
    assert _due(tenant_b) == tomorrow
