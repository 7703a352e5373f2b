"""Writes of the close board's bulk approval, run in the background.

Approving a month builds its PDF and email (≈ 1.2 s a month), so 44 months in the request were a
minute-long request that a proxy could cut off half-way. Now the confirmation records the months
(portfolio.BulkApproval, public: its months are of many clients) and queues one task per client
(reports.tasks.bulk_approve_task, naming its client); each task approves that client's months one
by one, each exactly as a single approval (reports.services.months_approve → month_approve: a
month whose figures changed since the confirmation was shown is refused), and records each month's
outcome in the same transaction as the approval, so a task run twice never approves a month twice.
The board polls the outcomes (reports.board.bulk_progress).
"""

from __future__ import annotations

import datetime as dt

from celery import Task
from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from agency.degrade import REDIS_ERRORS, redis_failed
from agency.models import Client, User
from agency.tasks import enqueue_for_client
from portfolio.models import BulkApproval, BulkApprovalItem
from reports.selectors import report_recipients_by_client
from reports.services import months_approve
from reports.services_draft import commentary_draft_apply

# A month still queued this long after its confirmation will not be decided by its task: a task lost
# with its worker is handed to another after the broker's visibility timeout, so an hour past that its
# retries are spent too. bulk_approval_stale_sweep then refuses it, so the board stops polling.
STALE_AFTER = dt.timedelta(seconds=settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]) + dt.timedelta(hours=1)
QUEUE_FAILED = "queue-unreachable"  # as clients.jobs.QUEUE_FAILED: the imports' word for the same failure
Item = BulkApprovalItem.State


def bulk_approval_start(
    *, task: Task, items: list[tuple[Client, dt.date, dt.datetime | None]], user: User, language: str,
    draft_empty: bool = False,
) -> BulkApproval:
    """Record the confirmed months and queue ``task`` (reports.tasks.bulk_approve_task, passed in as
    clients.jobs.job_enqueue is: the task module imports this one) once per client. With the queue
    unreachable the approval fails at once: its months still queued are marked not approved (a task
    already sent finds them so and approves nothing), and the board says so."""
    with transaction.atomic():
        bulk = BulkApproval.objects.create(user=user, language=language, draft_empty=draft_empty, created_at=timezone.now())
        BulkApprovalItem.objects.bulk_create(
            [BulkApprovalItem(bulk=bulk, client=client, month=month, figures_at=figures_at)
             for client, month, figures_at in items],
            ignore_conflicts=True,  # the same month picked twice is approved once
        )
    clients = list({client.pk: client for client, _month, _figures_at in items}.values())
    try:
        for client in clients:
            enqueue_for_client(task, client=client, bulk_id=bulk.pk)
    except REDIS_ERRORS as error:
        redis_failed(error, what="bulk approval queue")
        with transaction.atomic():
            BulkApproval.objects.filter(pk=bulk.pk).update(failure=QUEUE_FAILED)
            with translation.override(language):
                message = _("The background queue is unreachable: nothing was approved.")
            BulkApprovalItem.objects.filter(bulk=bulk, state=Item.QUEUED).update(
                state=Item.REFUSED, message=message, done_at=timezone.now()
            )
        bulk.failure = QUEUE_FAILED
    return bulk


def bulk_approve_client(*, client: Client, bulk_id: int) -> int:
    """Approve ``client``'s months of the bulk approval still queued, one transaction each: the
    month's outcome (approved, or refused and why, in the approver's language) is written with the
    approval itself, under a lock of its row, so a second run of the task (a redelivery) skips it.
    Returns how many months this run decided."""
    bulk = BulkApproval.objects.select_related("user").get(pk=bulk_id)
    emailed = bool(report_recipients_by_client(clients=[client])[client.pk])
    decided = 0
    with translation.override(bulk.language):
        pending = BulkApprovalItem.objects.filter(bulk=bulk, client=client, state=Item.QUEUED).order_by("month")
        for item_id in list(pending.values_list("pk", flat=True)):
            with transaction.atomic():
                item = BulkApprovalItem.objects.select_for_update().filter(pk=item_id, state=Item.QUEUED).first()
                if item is None:  # decided by another run of this task meanwhile
                    continue
                if bulk.draft_empty:
                    # As the month page's "Draft from the figures": only the sections nobody wrote.
                    commentary_draft_apply(client=client, month=item.month, user=bulk.user)
                (outcome,) = months_approve(items=[(client, item.month, item.figures_at)], user=bulk.user)
                item.state = Item.APPROVED if outcome.approved else Item.REFUSED
                item.message = outcome.message[:500]
                item.emailed = outcome.approved and emailed
                item.done_at = timezone.now()
                item.save(update_fields=["state", "message", "emailed", "done_at"])
                decided += 1
    return decided


def bulk_approval_stale_sweep(*, now: dt.datetime, limit: int = 500) -> int:
    """Refuse the months of bulk approvals confirmed more than STALE_AFTER before ``now`` that are still
    queued: their task is gone (a worker lost, retries spent), and a board polling them would wait
    forever. A month its task is approving right now is locked, so skipped; a task that runs after the
    sweep finds it decided and approves nothing. Returns how many months were refused."""
    refused = 0
    with transaction.atomic():
        stale = list(
            BulkApprovalItem.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(state=Item.QUEUED, bulk__created_at__lt=now - STALE_AFTER)
            .select_related("bulk")[:limit]
        )
        for item in stale:
            with translation.override(item.bulk.language):
                item.message = _("The background approval stopped before this month was decided: it was not "
                                 "approved. Approve it again.")
            item.state, item.done_at = Item.REFUSED, now
            item.save(update_fields=["state", "message", "done_at"])
            refused += 1
    return refused
