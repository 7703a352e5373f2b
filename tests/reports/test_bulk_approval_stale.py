"""A bulk approval whose task was lost (its worker died, its retries spent) left its months queued and
the board polling them for ever: beat's sweep refuses them once STALE_AFTER has passed, in the
approver's language, and a task that still runs afterwards approves nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django_tenants.utils import tenant_context

from portfolio.models import BulkApproval, BulkApprovalItem
from reports.board import bulk_progress
from reports.models import ReportVersion
from reports.services_bulk import STALE_AFTER, bulk_approval_stale_sweep, bulk_approve_client

pytestmark = pytest.mark.django_db
MARCH = dt.date(2026, 3, 1)
NOW = dt.datetime(2026, 4, 5, 12, tzinfo=dt.UTC)


def _bulk(client, user, *, confirmed: dt.datetime, language: str = "en") -> BulkApproval:
    bulk = BulkApproval.objects.create(user=user, language=language, created_at=confirmed, dispatched_at=confirmed)
    BulkApprovalItem.objects.create(bulk=bulk, client=client, month=MARCH)
    return bulk


def test_a_month_queued_past_the_stale_time_is_refused_and_the_board_stops_waiting(tenants, admin_user) -> None:
    alpha = tenants["alpha"]
    lost = _bulk(alpha, admin_user, confirmed=NOW - STALE_AFTER - dt.timedelta(minutes=1))
    recent = _bulk(alpha, admin_user, confirmed=NOW - dt.timedelta(minutes=10))
    assert bulk_progress(user=admin_user, bulk_id=lost.pk)["done"] is False
    assert bulk_approval_stale_sweep(now=NOW) == 1
    item = BulkApprovalItem.objects.get(bulk=lost)
    assert item.state == "refused" and "stopped before this month was decided" in item.message and item.done_at == NOW
    assert bulk_progress(user=admin_user, bulk_id=lost.pk)["done"] is True
    assert BulkApprovalItem.objects.get(bulk=recent).state == "queued"  # its task may still be on its way
    assert bulk_approval_stale_sweep(now=NOW) == 0  # refused once


def test_a_task_running_after_the_sweep_approves_nothing(tenants, admin_user) -> None:
    alpha = tenants["alpha"]
    lost = _bulk(alpha, admin_user, confirmed=NOW - STALE_AFTER - dt.timedelta(hours=1))
    bulk_approval_stale_sweep(now=NOW)
    assert bulk_approve_client(client=alpha, bulk_id=lost.pk) == 0
    with tenant_context(alpha):
        assert not ReportVersion.objects.exists()


def test_the_refusal_is_in_the_approvers_language(tenants, admin_user) -> None:
    lost = _bulk(tenants["alpha"], admin_user, confirmed=NOW - STALE_AFTER - dt.timedelta(hours=1), language="es")
    bulk_approval_stale_sweep(now=NOW)
    message = BulkApprovalItem.objects.get(bulk=lost).message
    assert "no se aprobó" in message and "stopped" not in message, message


def test_approvals_finished_more_than_30_days_ago_are_deleted_the_others_kept(tenants, admin_user) -> None:
    """The board's record of an approval (its ``?bulk=`` result) is kept KEEP_FOR after its last month
    was decided, then deleted by beat; one still queued is never deleted, however old."""
    from agency.celery import app
    from reports.services_bulk import KEEP_FOR, bulk_approvals_forget

    alpha = tenants["alpha"]

    def finished(days_ago: float) -> BulkApproval:
        bulk = _bulk(alpha, admin_user, confirmed=NOW - dt.timedelta(days=days_ago + 1))
        BulkApprovalItem.objects.filter(bulk=bulk).update(state="approved", done_at=NOW - dt.timedelta(days=days_ago))
        return bulk

    old, recent = finished(31), finished(29)
    queued = _bulk(alpha, admin_user, confirmed=NOW - dt.timedelta(days=90))  # never decided: the sweep's, not this
    empty = BulkApproval.objects.create(user=admin_user, language="en", created_at=NOW - dt.timedelta(days=31))
    assert KEEP_FOR.days == 30
    assert bulk_approvals_forget(now=NOW) == 2
    assert set(BulkApproval.objects.values_list("pk", flat=True)) == {recent.pk, queued.pk}
    assert not BulkApprovalItem.objects.filter(bulk_id__in=[old.pk, empty.pk]).exists()
    assert bulk_progress(user=admin_user, bulk_id=old.pk) is None  # its ?bulk= link shows no box any more
    assert bulk_approvals_forget(now=NOW) == 0
    assert bulk_approvals_forget(now=NOW + dt.timedelta(days=2)) == 1  # the 29-day one, two days later
    entries = {e["task"] for e in app.conf.beat_schedule.values()}
    assert "reports.tasks.bulk_approvals_forget_task" in entries
