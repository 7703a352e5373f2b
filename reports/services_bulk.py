"""Writes of the close board's bulk approval, run in the background.

Approving a month builds its PDF and email (≈ 1.2 s a month), so 44 months in the request were a
minute-long request that a proxy could cut off half-way. Now the confirmation records the months
(portfolio.BulkApproval, public: its months are of many clients) and queues one task per client
(reports.tasks.bulk_approve_task, naming its client); each task approves that client's months one
by one, each exactly as a single approval (reports.services.months_approve → month_approve: a
month whose figures changed since the confirmation was shown is refused), and records each month's
outcome in the same transaction as the approval, so a task run twice never approves a month twice.
The board polls the outcomes (reports.board.bulk_progress).

All or nothing. The queue can fail part-way (Redis stops after 3 of 10 clients' tasks were sent):
the tasks already sent must not approve their months while the others never will. So no task
approves anything before the approval is marked **dispatched** (``dispatched_at``, written once
every task was sent); a task that arrives first waits for it (DISPATCH_WAIT, reading the row again
every DISPATCH_POLL). A dispatch that fails marks the approval **abandoned** instead (``failure``)
and refuses its months; a task then approves nothing. Both marks are conditional updates of the
same row (neither is written once the other is), so exactly one wins; a task that waited
DISPATCH_WAIT in vain abandons it itself (the request that was sending died), as beat's sweep does
for an approval left undispatched with no task at all.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable

from celery import Task
from django.conf import settings
from django.db import transaction
from django.db.models import Count, F, Max, Q
from django.db.models.functions import Coalesce
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
DISPATCH_LOST = "dispatch-lost"  # the request sending the tasks stopped before it marked the approval either way
# How long a task waits for its approval to be marked dispatched or abandoned: sending 500 clients'
# tasks takes about a second, and a failed send is marked at once; only a request that died leaves a
# task waiting so long, which then abandons the approval itself.
DISPATCH_WAIT = dt.timedelta(seconds=30)
DISPATCH_POLL = 0.25  # seconds between a waiting task's reads of the approval
# An approval neither dispatched nor abandoned this long after its confirmation has no request
# sending it any more: beat's sweep abandons it (its tasks, if any was sent, gave up already).
UNDISPATCHED_AFTER = dt.timedelta(minutes=10)
# A finished approval's result stays readable on the board (its ``?bulk=`` link) this long after its
# last month was decided; then beat deletes it (bulk_approvals_forget). The months' approvals
# themselves are in each client's report versions and are never deleted.
KEEP_FOR = dt.timedelta(days=30)
Item = BulkApprovalItem.State


def _abandoned_words(failure: str) -> str:
    """Why a month of an abandoned approval was not approved (in the active language)."""
    if failure == QUEUE_FAILED:
        return _("The background queue is unreachable: nothing was approved.")
    return _("The approval stopped before every client's months were queued: nothing was approved. Approve it again.")


def bulk_approval_abandon(*, bulk_id: int, failure: str, now: dt.datetime) -> int | None:
    """Mark the approval abandoned and refuse its months still queued (returns how many), unless it
    was dispatched (or abandoned) already: then nothing changes and None is returned. Its tasks, sent
    or not, approve nothing afterwards (bulk_approve_client)."""
    with transaction.atomic():
        bulk = BulkApproval.objects.select_for_update().filter(pk=bulk_id, dispatched_at__isnull=True, failure="").first()
        if bulk is None:
            return None
        bulk.failure = failure
        bulk.save(update_fields=["failure"])
        with translation.override(bulk.language):
            message = _abandoned_words(failure)
        return BulkApprovalItem.objects.filter(bulk=bulk, state=Item.QUEUED).update(
            state=Item.REFUSED, message=message, done_at=now
        )


def bulk_approval_start(
    *, task: Task, items: list[tuple[Client, dt.date, dt.datetime | None]], user: User, language: str,
    draft_empty: bool = False,
) -> BulkApproval:
    """Record the confirmed months and queue ``task`` (reports.tasks.bulk_approve_task, passed in as
    clients.jobs.job_enqueue is: the task module imports this one) once per client, then mark it
    dispatched: only then may the tasks approve. With the queue unreachable, even after some tasks
    were sent, the approval is abandoned: its months are marked not approved, the tasks already sent
    approve nothing, and the board says so (``failure``)."""
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
        bulk_approval_abandon(bulk_id=bulk.pk, failure=QUEUE_FAILED, now=timezone.now())
    except BaseException:
        bulk_approval_abandon(bulk_id=bulk.pk, failure=DISPATCH_LOST, now=timezone.now())
        raise
    else:
        # Every task is sent: they may approve now. Unless one waited DISPATCH_WAIT in vain and
        # abandoned the approval meanwhile (this request was that slow): then nothing is approved.
        BulkApproval.objects.filter(pk=bulk.pk, failure="").update(dispatched_at=timezone.now())
    return BulkApproval.objects.get(pk=bulk.pk)


def _wait_for_dispatch(*, bulk_id: int, wait: dt.timedelta, sleep: Callable[[float], None]) -> BulkApproval | None:
    """The approval once it is dispatched (its tasks may approve), or None when it was abandoned,
    by its request or, after ``wait`` in vain, by this task itself (or deleted: a task delivered
    again after KEEP_FOR)."""
    deadline = time.monotonic() + wait.total_seconds()
    while True:
        bulk = BulkApproval.objects.select_related("user").filter(pk=bulk_id).first()
        if bulk is None or bulk.failure:
            return None
        if bulk.dispatched_at is not None:
            return bulk
        if time.monotonic() >= deadline and (
            bulk_approval_abandon(bulk_id=bulk_id, failure=DISPATCH_LOST, now=timezone.now()) is not None
        ):
            return None
        sleep(DISPATCH_POLL)  # not past the deadline, or dispatched/abandoned just now: read it again


def bulk_approve_client(
    *, client: Client, bulk_id: int, wait: dt.timedelta = DISPATCH_WAIT, sleep: Callable[[float], None] = time.sleep
) -> int:
    """Approve ``client``'s months of the bulk approval still queued, one transaction each: the
    month's outcome (approved, or refused and why, in the approver's language) is written with the
    approval itself, under a lock of its row, so a second run of the task (a redelivery) skips it.
    Nothing before the approval is dispatched (every client's task sent): the task waits for it,
    up to ``wait``, and approves nothing if it is abandoned (the module's "All or nothing").
    Returns how many months this run decided."""
    bulk = _wait_for_dispatch(bulk_id=bulk_id, wait=wait, sleep=sleep)
    if bulk is None:
        return 0
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
    sweep finds it decided and approves nothing. An approval confirmed more than UNDISPATCHED_AFTER
    before ``now`` and still neither dispatched nor abandoned (its request died before sending every
    task, maybe before sending any) is abandoned first: nothing of it is approved. Returns how many
    months were refused."""
    refused = 0
    undispatched = BulkApproval.objects.filter(dispatched_at__isnull=True, failure="", created_at__lt=now - UNDISPATCHED_AFTER)
    for bulk_id in list(undispatched.values_list("pk", flat=True)[:limit]):
        refused += bulk_approval_abandon(bulk_id=bulk_id, failure=DISPATCH_LOST, now=now) or 0
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


def bulk_approvals_forget(*, now: dt.datetime, keep: dt.timedelta = KEEP_FOR, limit: int = 1000) -> int:
    """Delete the bulk approvals (with their months' outcomes) finished more than ``keep`` before
    ``now``: no month of it still queued, and its last month decided (an approval with no month: its
    confirmation) before then. Only the board's record of the approval goes: each month's approval is
    in its client's report versions. Returns how many approvals were deleted (at most ``limit``)."""
    cutoff = now - keep
    old = (
        BulkApproval.objects.annotate(
            queued=Count("items", filter=Q(items__state=Item.QUEUED)),
            finished_at=Coalesce(Max("items__done_at"), F("created_at")),
        )
        .filter(queued=0, finished_at__lt=cutoff)
        .values_list("pk", flat=True)[:limit]
    )
    ids = list(old)
    with transaction.atomic():
        BulkApprovalItem.objects.filter(bulk_id__in=ids).delete()
        deleted, _by_model = BulkApproval.objects.filter(pk__in=ids).delete()
    return deleted
