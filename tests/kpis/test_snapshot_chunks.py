"""A fan-out's chunk of clients: each client computed in its own schema, one failing never holds back the others."""

from __future__ import annotations

import datetime as dt
import time
from unittest import mock

import pytest
import time_machine
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.db import connection
from django_tenants.utils import tenant_context

from agency.celery import app
from clients.models import Lead
from kpis import tasks
from kpis.models import Snapshot

MARCH = dt.date(2026, 3, 1)


def _leads(tenants) -> None:
    with tenant_context(tenants["alpha"]):
        Lead.objects.bulk_create([Lead(id=f"a{i}", created_at=dt.datetime(2026, 3, 10, tzinfo=dt.UTC)) for i in range(3)])
    with tenant_context(tenants["beta"]):
        Lead.objects.bulk_create([Lead(id="b1", created_at=dt.datetime(2026, 3, 10, tzinfo=dt.UTC))])


def _march(client) -> dict | None:
    with tenant_context(client):
        snapshot = Snapshot.objects.filter(month=MARCH).first()
        return snapshot.document if snapshot else None


def test_a_chunk_computes_each_client_from_its_own_schema_only(tenants) -> None:
    _leads(tenants)
    connection.set_schema_to_public()
    assert tasks.snapshot_compute_clients_task.apply(
        kwargs={"client_slugs": ["beta", "alpha"], "months": ["2026-03"]}
    ).get() == 2
    alpha, beta = _march(tenants["alpha"]), _march(tenants["beta"])
    assert (alpha["client"], alpha["kpis"]["new_leads"]) == ("alpha", 3)
    assert (beta["client"], beta["kpis"]["new_leads"]) == ("beta", 1)
    assert connection.schema_name == settings.PUBLIC_SCHEMA_NAME  # each client's schema left before the next


def test_a_chunk_computes_only_the_clients_it_names(tenants) -> None:
    _leads(tenants)
    tasks.snapshot_compute_clients_task.apply(kwargs={"client_slugs": ["beta"], "months": ["2026-03"]}).get()
    assert _march(tenants["alpha"]) is None
    assert _march(tenants["beta"])["kpis"]["new_leads"] == 1


def test_a_client_failing_in_a_chunk_is_queued_on_its_own_and_the_others_are_computed(tenants) -> None:
    _leads(tenants)
    real = tasks.snapshot_compute

    def failing_for_alpha(*, client, months):
        if client.slug == "alpha":
            raise ValueError("a broken row")
        return real(client=client, months=months)

    with (
        mock.patch.object(tasks, "snapshot_compute", failing_for_alpha),
        mock.patch.object(tasks, "enqueue_for_client") as enqueue,
    ):
        assert tasks.snapshot_compute_clients_task.apply(
            kwargs={"client_slugs": ["alpha", "beta"], "months": ["2026-03"]}
        ).get() == 1
    assert [(c.args[0], c.kwargs["client"].slug, c.kwargs["months"]) for c in enqueue.call_args_list] == [
        (tasks.snapshot_compute_task, "alpha", ["2026-03"])
    ]
    assert _march(tenants["beta"])["kpis"]["new_leads"] == 1


def test_the_fan_out_names_every_client_once_in_chunks_sent_to_the_public_schema(tenants) -> None:
    clients = [tenants["alpha"], tenants["beta"], tenants["alpha"]]
    with mock.patch.object(tasks.snapshot_compute_clients_task, "apply_async") as send:
        assert tasks.snapshots_fan_out(clients=clients, months=["2026-03"], chunk=2) == 3
    assert [call.kwargs["kwargs"]["client_slugs"] for call in send.call_args_list] == [["alpha", "beta"], ["alpha"]]
    assert {call.kwargs["headers"]["_schema_name"] for call in send.call_args_list} == {settings.PUBLIC_SCHEMA_NAME}


def test_the_daily_refresh_sends_the_ready_clients_in_chunks_for_the_month_in_progress(tenants) -> None:
    with (
        mock.patch.object(tasks.snapshot_compute_clients_task, "apply_async") as send,
        time_machine.travel(dt.datetime(2026, 4, 9, 3, 30, tzinfo=dt.UTC)),
    ):
        sent = tasks.dispatch_current_month_refresh.apply().get()
    ready = sorted(client.slug for client in tenants.values() if client.is_ready)
    assert sent == len(ready)
    assert [call.kwargs["kwargs"] for call in send.call_args_list] == [{"client_slugs": ready, "months": ["2026-04"]}]


@pytest.mark.worker
def test_the_daily_refresh_through_a_real_worker_lands_in_each_clients_own_schema(tenants, clean_tenant_tables) -> None:
    for client in tenants.values():
        client.is_ready = True
        client.save()
    _leads(tenants)
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        tasks.dispatch_current_month_refresh.delay(month="2026-03")
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not (_march(tenants["alpha"]) and _march(tenants["beta"])):
            time.sleep(0.2)
    assert (_march(tenants["alpha"])["client"], _march(tenants["alpha"])["kpis"]["new_leads"]) == ("alpha", 3)
    assert (_march(tenants["beta"])["client"], _march(tenants["beta"])["kpis"]["new_leads"]) == ("beta", 1)
