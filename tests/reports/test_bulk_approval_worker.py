"""The close board's bulk approval through a real Celery worker: one task per client, each month
approved as a single approval, one whose figures changed after the confirmation refused."""

from __future__ import annotations

import datetime as dt
import threading
import time
from decimal import Decimal

import pytest
from celery.contrib.testing.worker import start_worker
from django_tenants.utils import tenant_context

from agency.celery import app
from clients.models import Lead, OutboxEmail, Spend
from kpis.services import snapshot_compute
from portfolio.models import BulkApprovalItem, ClientMonthClose
from reports.models import ReportVersion
from reports.services import month_review_start
from reports.services_bulk import bulk_approval_start
from reports.tasks import bulk_approve_task

FEB, MARCH = dt.date(2026, 2, 1), dt.date(2026, 3, 1)
APRIL_5 = dt.datetime(2026, 4, 5, 12, tzinfo=dt.UTC)


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_approves_two_clean_months_and_refuses_one_changed_meanwhile(
    tenants, admin_user, client_user_a, clean_tenant_tables
) -> None:
    alpha, beta = tenants["alpha"], tenants["beta"]
    for client, months in ((alpha, (FEB, MARCH)), (beta, (MARCH,))):
        with tenant_context(client):
            for month in months:
                Lead.objects.create(id=f"{client.slug}-{month}", created_at=dt.datetime.combine(month, dt.time(12), dt.UTC))
                Spend.objects.create(id=f"s-{month}", date=month, category="media", amount=Decimal("100"))
        snapshot_compute(client=client, months=list(months))
        for month in months:
            month_review_start(client=client, month=month, at=APRIL_5)
    shown = {(r.client_id, r.month): r.figures_at for r in ClientMonthClose.objects.all()}  # what the confirmation showed
    with tenant_context(alpha):  # February restated after the confirmation was shown
        Spend.objects.create(id="s-late", date=dt.date(2026, 2, 27), category="media", amount=Decimal("12"))
    snapshot_compute(client=alpha, months=[FEB])
    items = [(alpha, FEB, shown[alpha.pk, FEB]), (alpha, MARCH, shown[alpha.pk, MARCH]), (beta, MARCH, shown[beta.pk, MARCH])]
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        bulk = bulk_approval_start(task=bulk_approve_task, items=items, user=admin_user, language="en")
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and BulkApprovalItem.objects.filter(bulk=bulk, state="queued").exists():
            time.sleep(0.3)
    outcome = {(i.client_id, i.month): (i.state, i.message) for i in BulkApprovalItem.objects.filter(bulk=bulk)}
    emailed = {(i.client_id, i.month): i.emailed for i in BulkApprovalItem.objects.filter(bulk=bulk, state="approved")}
    assert emailed == {(alpha.pk, MARCH): True, (beta.pk, MARCH): False}  # beta has nobody to email
    assert outcome[alpha.pk, MARCH] == ("approved", "") and outcome[beta.pk, MARCH] == ("approved", "")
    assert outcome[alpha.pk, FEB][0] == "refused" and "The figures changed after you looked at them" in outcome[alpha.pk, FEB][1]
    with tenant_context(alpha):
        assert list(ReportVersion.objects.values_list("month", flat=True)) == [MARCH]
        assert OutboxEmail.objects.filter(kind="report_approved").count() == 1
    with tenant_context(beta):
        assert ReportVersion.objects.get().month == MARCH
    assert ClientMonthClose.objects.get(client=alpha, month=FEB).state == "in_review"
    # The task run again (a redelivery): nothing is approved twice.
    assert bulk_approve_task.apply(kwargs={"client_slug": "alpha", "bulk_id": bulk.pk}, throw=True).get() == 0
    with tenant_context(alpha):
        assert ReportVersion.objects.count() == 1 and OutboxEmail.objects.filter(kind="report_approved").count() == 1


@pytest.mark.worker
@pytest.mark.fault
@pytest.mark.django_db(transaction=True)
def test_redis_stopping_after_one_clients_task_was_sent_approves_nothing_even_for_that_client(
    tenants, admin_user, client_user_a, clean_tenant_tables, monkeypatch
) -> None:
    """All or nothing: alpha's task is sent and taken by the worker, then Redis stops before beta's
    is sent. Alpha's task must not approve alpha's month while beta's never will be: it waits for
    the approval to be dispatched, finds it abandoned, and approves nothing."""
    from celery.signals import task_postrun, task_prerun

    from agency import tasks as agency_tasks
    from reports.services_bulk import QUEUE_FAILED
    from tests.redis_control import redis_start, redis_stop

    alpha, beta = tenants["alpha"], tenants["beta"]
    for client in (alpha, beta):
        with tenant_context(client):
            Lead.objects.create(id=f"{client.slug}-m", created_at=dt.datetime(2026, 3, 12, 12, tzinfo=dt.UTC))
            Spend.objects.create(id="s-m", date=MARCH, category="media", amount=Decimal("100"))
        snapshot_compute(client=client, months=[MARCH])
        month_review_start(client=client, month=MARCH, at=APRIL_5)
    shown = {r.client_id: r.figures_at for r in ClientMonthClose.objects.filter(month=MARCH)}
    started, finished = threading.Event(), threading.Event()

    def on_prerun(sender=None, **_kw) -> None:
        if getattr(sender, "name", None) == bulk_approve_task.name:
            started.set()

    def on_postrun(sender=None, **_kw) -> None:
        if getattr(sender, "name", None) == bulk_approve_task.name:
            finished.set()

    real_send, sends = agency_tasks.enqueue_for_client, []

    def send_then_fail(task, *, client, **kwargs) -> None:
        sends.append(client.slug)
        if len(sends) > 1:  # alpha's task is with the worker: now the queue stops answering
            assert started.wait(30), "the worker never took alpha's task"
            deadline = time.monotonic() + 4  # time enough for a task that does not wait to approve
            while time.monotonic() < deadline and BulkApprovalItem.objects.filter(client=alpha, state="queued").exists():
                time.sleep(0.1)
            redis_stop()
        real_send(task, client=client, **kwargs)

    monkeypatch.setattr("reports.services_bulk.enqueue_for_client", send_then_fail)
    task_prerun.connect(on_prerun, weak=False)
    task_postrun.connect(on_postrun, weak=False)
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            try:
                bulk = bulk_approval_start(
                    task=bulk_approve_task, items=[(alpha, MARCH, shown[alpha.pk]), (beta, MARCH, shown[beta.pk])],
                    user=admin_user, language="en",
                )
            finally:
                redis_start()
            assert finished.wait(60), "alpha's task did not finish"
    finally:
        task_prerun.disconnect(on_prerun)
        task_postrun.disconnect(on_postrun)
    assert sends == ["alpha", "beta"] and bulk.failure == QUEUE_FAILED and bulk.dispatched_at is None
    assert sorted(BulkApprovalItem.objects.filter(bulk=bulk).values_list("state", flat=True)) == ["refused", "refused"]
    for client in (alpha, beta):
        with tenant_context(client):
            assert not ReportVersion.objects.exists() and not OutboxEmail.objects.filter(kind="report_approved").exists()
        assert ClientMonthClose.objects.get(client=client, month=MARCH).state == "in_review"
    # Delivered again later (Redis kept its unacknowledged message): still nothing.
    assert bulk_approve_task.apply(kwargs={"client_slug": "alpha", "bulk_id": bulk.pk}, throw=True).get() == 0
