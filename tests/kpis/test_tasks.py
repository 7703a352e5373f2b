"""The KPI engine's Celery side: fan-out, debounce, redelivery, and a real worker end to end."""

from __future__ import annotations

import datetime as dt
import threading
import time
from unittest import mock

import pytest
import time_machine
from celery.contrib.testing.worker import start_worker
from django.core.cache import cache
from django.db import connection
from django_tenants.utils import tenant_context

from agency.celery import app
from agency.models import Client
from clients.models import Lead
from kpis import recompute, tasks
from kpis.models import Snapshot
from portfolio.models import ClientMonthSummary


def test_month_close_fans_out_one_task_per_ready_client_for_the_previous_month(tenants) -> None:
    tenants["beta"].is_ready = True
    tenants["beta"].save()
    provisioning = Client(schema_name="not_yet", slug="not-yet", name="Provisioning", is_ready=False)
    provisioning.auto_create_schema = False
    provisioning.save()
    with (
        mock.patch("agency.tasks.enqueue_for_client") as enqueue,
        time_machine.travel(dt.datetime(2026, 4, 1, 2, 15, tzinfo=dt.UTC)),
    ):
        assert tasks.dispatch_month_close.apply().get() == 2
    sent = sorted((call.kwargs["client"].slug, tuple(call.kwargs["months"])) for call in enqueue.call_args_list)
    assert sent == [("alpha", ("2026-03",)), ("beta", ("2026-03",))]


def test_the_month_is_passed_in_not_read_from_the_clock(tenants) -> None:
    with mock.patch("agency.tasks.enqueue_for_client") as enqueue:
        tasks.dispatch_month_close.apply(kwargs={"month": "2025-11"}).get()
    assert {tuple(call.kwargs["months"]) for call in enqueue.call_args_list} == {("2025-11",)}


def test_changes_are_debounced_into_one_task_per_client(tenant_a, django_capture_on_commit_callbacks) -> None:
    cache.clear()
    with mock.patch.object(recompute, "enqueue_for_client") as enqueue, tenant_context(tenant_a):
        with django_capture_on_commit_callbacks(execute=True):
            for months in ({"2026-01"}, {"2026-02"}, {"2026-01", "2026-03"}):
                recompute.months_recompute_request(client=tenant_a, months=months)
        assert enqueue.call_count == 1
        assert enqueue.call_args.kwargs["countdown"] == recompute.DEBOUNCE_SECONDS
        assert recompute.recompute_pending(client=tenant_a) == ["2026-01", "2026-02", "2026-03"]


def test_a_request_waits_for_its_transaction_to_commit(tenant_a, django_capture_on_commit_callbacks) -> None:
    cache.clear()
    with mock.patch.object(recompute, "enqueue_for_client") as enqueue:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            recompute.months_recompute_request(client=tenant_a, months={"2026-01"})
        assert recompute.recompute_pending(client=tenant_a) == [] and not enqueue.called  # a rollback asks for nothing
        callbacks[0]()
    assert recompute.recompute_pending(client=tenant_a) == ["2026-01"]


def test_two_writers_in_the_same_instant_lose_no_month(tenant_a) -> None:
    """Threads on their own Redis connections race to add months: every one is taken by the next run."""
    cache.clear()
    months = [f"{year}-{month:02d}" for year in range(2000, 2026) for month in range(1, 13)]
    halves = [months[0::2], months[1::2]]
    start = threading.Barrier(2)

    def writer(mine: list[str]) -> None:
        start.wait()
        try:
            for month in mine:  # not inside a transaction: each request lands at once
                recompute.months_recompute_request(client=tenant_a, months={month})
        finally:
            connection.close()

    with mock.patch.object(recompute, "enqueue_for_client") as enqueue:
        threads = [threading.Thread(target=writer, args=(half,)) for half in halves]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert enqueue.call_count == 1
    assert recompute.recompute_pending_take(client=tenant_a) == months


def test_months_taken_by_a_run_that_died_are_taken_again(tenant_a, django_capture_on_commit_callbacks) -> None:
    cache.clear()
    with mock.patch.object(recompute, "enqueue_for_client"), django_capture_on_commit_callbacks(execute=True):
        recompute.months_recompute_request(client=tenant_a, months={"2026-01"})
    assert recompute.recompute_pending_take(client=tenant_a) == ["2026-01"]  # ... and the worker is killed here
    with mock.patch.object(recompute, "enqueue_for_client"), django_capture_on_commit_callbacks(execute=True):
        recompute.months_recompute_request(client=tenant_a, months={"2026-02"})
    assert recompute.recompute_pending_take(client=tenant_a) == ["2026-01", "2026-02"]
    recompute.recompute_pending_done(client=tenant_a, months=["2026-01", "2026-02"])
    assert recompute.recompute_pending(client=tenant_a) == []


def test_the_task_computes_the_pending_months_and_forgets_them(tenant_a, django_capture_on_commit_callbacks) -> None:
    cache.clear()
    with tenant_context(tenant_a):
        Lead.objects.bulk_create([Lead(id="p", created_at=dt.datetime(2026, 2, 3, 10, tzinfo=dt.UTC))])
    with mock.patch.object(recompute, "enqueue_for_client"), django_capture_on_commit_callbacks(execute=True):
        recompute.months_recompute_request(client=tenant_a, months={"2026-02"})
    assert tasks.snapshot_recompute_pending.apply(kwargs={"client_slug": "alpha"}, headers={"_schema_name": "alpha"}).get() == 1
    with tenant_context(tenant_a):
        assert Snapshot.objects.get(month=dt.date(2026, 2, 1)).new_leads == 1
    assert recompute.recompute_pending(client=tenant_a) == []


def test_a_task_that_dies_midway_completes_when_redelivered(in_tenant_a) -> None:
    Lead.objects.bulk_create([Lead(id="r", created_at=dt.datetime(2026, 2, 3, 10, tzinfo=dt.UTC))])
    written_before_the_failure = []

    def fail_after_the_snapshot_rows(**kwargs: object) -> None:
        # The snapshot INSERT has run in this transaction; the portfolio's row is the next write.
        written_before_the_failure.append(Snapshot.objects.filter(month=dt.date(2026, 2, 1)).exists())
        raise RuntimeError("worker lost")

    with (
        mock.patch("kpis.services.client_month_summary_upsert", side_effect=fail_after_the_snapshot_rows),
        pytest.raises(RuntimeError),
    ):
        tasks.snapshot_compute_task.apply(kwargs={"client_slug": "alpha", "months": ["2026-02"]}, throw=True)
    assert written_before_the_failure == [True]
    assert not Snapshot.objects.exists()  # nothing half-written: the transaction took the snapshot row back
    assert not ClientMonthSummary.objects.filter(client=in_tenant_a).exists()
    tasks.snapshot_compute_task.apply(kwargs={"client_slug": "alpha", "months": ["2026-02"]}, throw=True)
    assert Snapshot.objects.get(month=dt.date(2026, 2, 1)).new_leads == 1


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_monthly_fan_out_through_a_real_worker_lands_in_each_clients_own_schema(tenants, clean_tenant_tables) -> None:
    alpha, beta = tenants["alpha"], tenants["beta"]
    with tenant_context(alpha):
        Lead.objects.bulk_create([Lead(id=f"a{i}", created_at=dt.datetime(2026, 3, 10, tzinfo=dt.UTC)) for i in range(3)])
    with tenant_context(beta):
        Lead.objects.bulk_create([Lead(id="b1", created_at=dt.datetime(2026, 3, 10, tzinfo=dt.UTC))])
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        tasks.dispatch_month_close.delay(month="2026-03")
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with tenant_context(alpha):
                done_a = Snapshot.objects.filter(month=dt.date(2026, 3, 1)).exists()
            with tenant_context(beta):
                done_b = Snapshot.objects.filter(month=dt.date(2026, 3, 1)).exists()
            if done_a and done_b:
                break
            time.sleep(0.2)
    with tenant_context(alpha):
        assert Snapshot.objects.get(month=dt.date(2026, 3, 1)).document["kpis"]["new_leads"] == 3
    with tenant_context(beta):
        snapshot = Snapshot.objects.get(month=dt.date(2026, 3, 1))
        assert snapshot.document["kpis"]["new_leads"] == 1 and snapshot.document["client"] == "beta"


def test_months_that_have_not_begun_are_not_queued(tenant_a, django_capture_on_commit_callbacks) -> None:
    cache.clear()
    with (
        mock.patch.object(recompute, "enqueue_for_client"),
        tenant_context(tenant_a),
        time_machine.travel(dt.datetime(2026, 3, 15, tzinfo=dt.UTC)),
    ):
        with django_capture_on_commit_callbacks(execute=True):
            recompute.months_recompute_request(client=tenant_a, months={"2026-02", "2026-03", "2027-01"})
        assert recompute.recompute_pending(client=tenant_a) == ["2026-02", "2026-03"]


def test_the_sweep_after_a_close_queues_only_the_clients_still_without_the_month(tenant_a, tenant_b, monkeypatch) -> None:
    from kpis import tasks as kpi_tasks
    from portfolio.models import ClientMonthSummary

    month = dt.date(2026, 3, 1)
    ClientMonthSummary.objects.create(client=tenant_a, month=month, computed_at=dt.datetime(2026, 4, 1, tzinfo=dt.UTC))
    sent = []
    def enqueue(task, *, client, **kw) -> None:
        sent.append((task.name, client.slug, kw["months"]))

    monkeypatch.setattr("agency.tasks.enqueue_for_client", enqueue)
    assert kpi_tasks.dispatch_month_close_missing("2026-03") == 1
    assert sent == [("kpis.tasks.month_close_task", "beta", ["2026-03"])]


# --- a lost task is sent again (issue #10: one task in 200 of a SIGKILLed worker never came back) ---


def _due() -> dict[str, float]:
    from agency.redis_client import redis_client

    return {member.decode(): score for member, score in redis_client().zrange(recompute._due_key(), 0, -1, withscores=True)}


def test_a_lost_debounced_run_is_sent_again_once_overdue(tenant_a, django_capture_on_commit_callbacks) -> None:
    cache.clear()
    with tenant_context(tenant_a):
        Lead.objects.bulk_create([Lead(id="lost", created_at=dt.datetime(2026, 2, 3, 10, tzinfo=dt.UTC))])
    asked = dt.datetime(2026, 3, 10, 12, tzinfo=dt.UTC)
    overdue_after = dt.timedelta(seconds=recompute.DEBOUNCE_SECONDS + recompute.GRACE_SECONDS)
    with mock.patch.object(recompute, "enqueue_for_client") as enqueue:
        with time_machine.travel(asked, tick=False), django_capture_on_commit_callbacks(execute=True):
            recompute.months_recompute_request(client=tenant_a, months={"2026-02"})
        assert enqueue.call_args.kwargs["countdown"] == recompute.DEBOUNCE_SECONDS  # ... and this task is lost
        with time_machine.travel(asked + overdue_after - dt.timedelta(seconds=1), tick=False):
            assert recompute.recompute_overdue_dispatch_run() == 0  # not yet: it may only be slow
        with time_machine.travel(asked + overdue_after + dt.timedelta(seconds=1), tick=False):
            assert tasks.recompute_overdue_dispatch.apply().get() == 1
            assert recompute.recompute_overdue_dispatch_run() == 0  # one per grace period, not one per sweep
        assert enqueue.call_count == 2
        assert enqueue.call_args.kwargs["client"] == tenant_a and enqueue.call_args.kwargs.get("countdown") is None
    assert tasks.snapshot_recompute_pending.apply(kwargs={"client_slug": "alpha"}, headers={"_schema_name": "alpha"}).get() == 1
    with tenant_context(tenant_a):
        assert Snapshot.objects.get(month=dt.date(2026, 2, 1)).new_leads == 1
    assert _due() == {}  # done: nothing left to watch
    with mock.patch.object(recompute, "enqueue_for_client") as enqueue, time_machine.travel(asked + 10 * overdue_after):
        assert recompute.recompute_overdue_dispatch_run() == 0
    assert not enqueue.called


def test_a_run_killed_after_taking_its_months_is_sent_again(tenant_a, django_capture_on_commit_callbacks) -> None:
    cache.clear()
    asked = dt.datetime(2026, 3, 10, 12, tzinfo=dt.UTC)
    with mock.patch.object(recompute, "enqueue_for_client") as enqueue:
        with time_machine.travel(asked, tick=False), django_capture_on_commit_callbacks(execute=True):
            recompute.months_recompute_request(client=tenant_a, months={"2026-01"})
        taken_at = asked + dt.timedelta(seconds=recompute.DEBOUNCE_SECONDS)
        with time_machine.travel(taken_at, tick=False):
            assert recompute.recompute_pending_take(client=tenant_a) == ["2026-01"]  # ... and the worker dies for good
        with time_machine.travel(taken_at + dt.timedelta(seconds=recompute.GRACE_SECONDS - 1), tick=False):
            assert recompute.recompute_overdue_dispatch_run() == 0
        with time_machine.travel(taken_at + dt.timedelta(seconds=recompute.GRACE_SECONDS + 1), tick=False):
            assert recompute.recompute_overdue_dispatch_run() == 1
    assert enqueue.call_count == 2
    assert recompute.recompute_pending(client=tenant_a) == ["2026-01"]


def test_a_change_during_a_run_keeps_its_deadline(tenant_a, django_capture_on_commit_callbacks) -> None:
    cache.clear()
    with mock.patch.object(recompute, "enqueue_for_client") as enqueue:
        with django_capture_on_commit_callbacks(execute=True):
            recompute.months_recompute_request(client=tenant_a, months={"2026-01"})
        months = recompute.recompute_pending_take(client=tenant_a)
        with django_capture_on_commit_callbacks(execute=True):
            recompute.months_recompute_request(client=tenant_a, months={"2026-02"})  # while the run computes
        recompute.recompute_pending_done(client=tenant_a, months=months)
    assert enqueue.call_count == 2  # the change during the run got its own delayed run ...
    assert recompute.recompute_pending(client=tenant_a) == ["2026-02"]
    assert list(_due()) == [tenant_a.schema_name]  # ... and a deadline, in case that one is lost too
    recompute.recompute_pending_done(client=tenant_a, months=recompute.recompute_pending_take(client=tenant_a))
    assert _due() == {}


def test_an_overdue_client_that_is_gone_or_has_nothing_waiting_is_dropped(tenant_a) -> None:
    from agency.redis_client import redis_client

    cache.clear()
    redis_client().zadd(recompute._due_key(), {tenant_a.schema_name: 1, "no_such_schema": 1})
    with mock.patch.object(recompute, "enqueue_for_client") as enqueue:
        assert recompute.recompute_overdue_dispatch_run() == 0
    assert not enqueue.called and _due() == {}


def test_the_sweep_after_the_daily_refresh_queues_the_clients_not_refreshed_today(tenant_a, tenant_b, monkeypatch) -> None:
    month = dt.date(2026, 3, 1)
    ClientMonthSummary.objects.create(client=tenant_a, month=month, computed_at=dt.datetime(2026, 3, 18, 3, 31, tzinfo=dt.UTC))
    ClientMonthSummary.objects.create(client=tenant_b, month=month, computed_at=dt.datetime(2026, 3, 17, 3, 31, tzinfo=dt.UTC))
    sent = []

    def enqueue(task, *, client, **kw) -> None:
        sent.append((task.name, client.slug, kw["months"]))

    monkeypatch.setattr("agency.tasks.enqueue_for_client", enqueue)
    with time_machine.travel(dt.datetime(2026, 3, 18, 4, 50, tzinfo=dt.UTC)):
        assert tasks.dispatch_current_month_refresh_missing.apply().get() == 1
    assert sent == [("kpis.tasks.snapshot_compute_task", "beta", ["2026-03"])]


def test_the_lost_task_sweeps_are_on_beats_schedule() -> None:
    scheduled = {entry["task"] for entry in app.conf.beat_schedule.values()}
    assert {"kpis.tasks.recompute_overdue_dispatch", "kpis.tasks.dispatch_current_month_refresh_missing",
            "kpis.tasks.dispatch_month_close_missing"} <= scheduled
