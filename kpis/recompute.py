"""The debounced recompute of a client's snapshots after its data changes.

An import, an API write or a criteria change asks for the months it touched
(:func:`months_recompute_request`, the one entry point). Months gather in a Redis set per client
(``SADD``: two writers in the same instant both land) and the first request of a quiet period
queues one delayed task, which takes the whole set at once (:func:`recompute_pending_run`).

Taking is a move, not a delete: ``MULTI; SUNIONSTORE taken taken pending; DEL pending; EXEC``
puts the months in a per-client "taken" set that is emptied only after they are computed. A
worker killed mid-run leaves them there for the redelivered (or next) task; a change landing
while a run computes goes to the pending set and schedules another run. Keys carry the
client's schema, so clients never share a set.

**A lost task is sent again.** The delayed task waits in a worker's memory until its countdown
ends (unacknowledged); at scale, one such task of a SIGKILLed worker was never given back by the
broker (docs/performance.md "Faults at scale"), which would leave the client's months stale until
its next change. So every client with months waiting also has a *deadline* in one sorted set
(``…:recompute:due``): set when the first month of a quiet period is asked for (the debounce plus
``GRACE_SECONDS``), moved to ``GRACE_SECONDS`` from now when a run takes the months, removed when
a run finishes with nothing left. Beat's ``recompute_overdue_dispatch`` (every minute,
:func:`recompute_overdue_dispatch_run`) sends a run, without a countdown, for every client whose
deadline has passed. Runs are idempotent, so a run sent again for a task that was only slow costs
one more computation.

Redis unreachable (agency.degrade): the request is written to the database outbox
(``agency.RecomputeOutbox``) instead, after the change committed, and the beat's drain
(:func:`recompute_outbox_drain_run`, every 10 s) puts those months in the pending set and queues
the run once Redis answers. A change accepted during an outage is never left without its recompute.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import InterfaceError, OperationalError, transaction
from django.utils import timezone

from agency.celery import app
from agency.degrade import REDIS_ERRORS, redis_failed
from agency.models import Client, RecomputeOutbox
from agency.months import Month
from agency.redis_client import redis_client, redis_key
from agency.selectors import clients_ready
from agency.tasks import enqueue_for_client
from clients.jobs import job_heartbeat
from clients.models import Job
from kpis.services import snapshot_compute

logger = logging.getLogger(__name__)
DEBOUNCE_SECONDS = settings.PORTAL_RECOMPUTE_DEBOUNCE_SECONDS
# How long a queued or running run may take before the sweep sends another (longer than any run
# but a database outage's retries, which a second run only repeats).
GRACE_SECONDS = 300
KEEP_SECONDS = 60 * 60 * 24 * 7  # months nobody took (no worker for a week) are dropped, not kept forever
RECOMPUTE_TASK = "kpis.tasks.snapshot_recompute_pending"


def _keys(client: Client) -> tuple[str, str, str]:
    base = redis_key("kpis", "recompute", client.schema_name)
    return f"{base}:pending", f"{base}:taken", f"{base}:scheduled"


def _due_key() -> str:
    return redis_key("kpis", "recompute", "due")


# Forget the months a run computed (ARGV[3:], from the taken set); then, atomically with respect to
# any request, either drop the client's deadline (nothing left) or set it to ARGV[2] (months left).
_SETTLE = """
if #ARGV > 2 then redis.call('SREM', KEYS[2], unpack(ARGV, 3)) end
if redis.call('SCARD', KEYS[1]) == 0 and redis.call('SCARD', KEYS[2]) == 0 then
  redis.call('ZREM', KEYS[3], ARGV[1])
  return 0
end
redis.call('ZADD', KEYS[3], ARGV[2], ARGV[1])
return 1
"""


def _settle(*, client: Client, months: list[str], deadline: float) -> bool:
    """Forget computed ``months``; True if months are still waiting (their deadline is then ``deadline``)."""
    pending, taken, _scheduled = _keys(client)
    script = redis_client().register_script(_SETTLE)
    return bool(script(keys=[pending, taken, _due_key()], args=[client.schema_name, deadline, *months]))


def months_recompute_request(*, client: Client, months: Iterable[str]) -> None:
    """Ask for the snapshots of ``months`` ("YYYY-MM") to be computed again, within DEBOUNCE_SECONDS.

    Runs when the caller's transaction commits, so the task that takes these months reads the
    data that asked for them. Months that have not begun are skipped: they have no figures yet
    and are computed when they come (the daily refresh).
    """
    this_month = str(Month.of(timezone.now(), ZoneInfo(client.timezone)))
    wanted = sorted({month for month in months if month <= this_month})
    if wanted:
        transaction.on_commit(lambda: _request_now(client=client, months=wanted))


def _request_now(*, client: Client, months: list[str]) -> None:
    pending, _taken, scheduled = _keys(client)
    try:
        with redis_client().pipeline(transaction=True) as pipe:
            pipe.sadd(pending, *months)
            pipe.expire(pending, KEEP_SECONDS)
            pipe.zadd(_due_key(), {client.schema_name: time.time() + DEBOUNCE_SECONDS + GRACE_SECONDS}, nx=True)
            pipe.set(scheduled, 1, nx=True, ex=DEBOUNCE_SECONDS * 4)
            *_, first = pipe.execute()
        if first:  # the first request of a quiet period; later ones only add their months
            enqueue_for_client(app.signature(RECOMPUTE_TASK), client=client, countdown=DEBOUNCE_SECONDS)
    except REDIS_ERRORS as error:
        redis_failed(error, what="recompute request")
        recompute_outbox_add(client=client, months=months)


def recompute_outbox_add(*, client: Client, months: Iterable[str]) -> None:
    """Keep a recompute request in the database until Redis takes it (the beat's drain); logged."""
    wanted = sorted(set(months))
    RecomputeOutbox.objects.create(client=client, months=wanted)
    logger.warning("recompute of %s for %s kept in the database outbox (Redis unreachable)", wanted, client.slug)


def recompute_outbox_drain_run(*, limit: int = 500) -> int:
    """Move the outbox's requests into Redis and queue their runs; returns how many rows were drained.

    Rows are locked (``SKIP LOCKED``: two drains never take the same row) and deleted in the
    transaction that queued their run: if Redis fails again midway, the rows stay for the next
    beat. The run is queued without a countdown and whatever the "scheduled" mark says (a mark
    left from before the outage must not hold these months back).
    """
    drained, clients = 0, 0
    with transaction.atomic():
        rows = list(RecomputeOutbox.objects.select_for_update(skip_locked=True).select_related("client")[:limit])
        by_client: dict[int, tuple[Client, set[str], list[int]]] = {}
        for row in rows:
            entry = by_client.setdefault(row.client_id, (row.client, set(), []))
            entry[1].update(row.months)
            entry[2].append(row.pk)
        for client, months, ids in by_client.values():
            pending, _taken, scheduled = _keys(client)
            with redis_client().pipeline(transaction=True) as pipe:
                pipe.sadd(pending, *sorted(months))
                pipe.expire(pending, KEEP_SECONDS)
                pipe.set(scheduled, 1, ex=DEBOUNCE_SECONDS * 4)
                pipe.zadd(_due_key(), {client.schema_name: time.time() + GRACE_SECONDS})
                pipe.execute()
            enqueue_for_client(app.signature(RECOMPUTE_TASK), client=client)
            RecomputeOutbox.objects.filter(pk__in=ids).delete()
            drained, clients = drained + len(ids), clients + 1
    if drained:
        logger.info("recompute outbox: %s request(s) queued for %s client(s)", drained, clients)
    return drained


def recompute_pending(*, client: Client) -> list[str]:
    """The months asked for and not yet computed (pending or taken by a run that has not finished)."""
    pending, taken, _scheduled = _keys(client)
    return sorted(month.decode() for month in redis_client().sunion([pending, taken]))


def recompute_waiting(*, client: Client) -> tuple[set[str], bool]:
    """The months waiting for their recompute, and whether that is known.

    Redis's pending and taken sets, plus the requests the database outbox keeps while Redis is
    down (a change accepted during an outage is waiting too). With Redis unreachable the answer
    is the outbox's months and ``False``: callers that must not act on figures about to change
    (the approval) refuse; pages say the state cannot be checked instead of failing."""
    months = {month for row in RecomputeOutbox.objects.filter(client=client).values_list("months", flat=True) for month in row}
    try:
        months.update(recompute_pending(client=client))
    except REDIS_ERRORS as error:
        redis_failed(error, what="recompute state")
        return months, False
    return months, True


def recompute_pending_forget(*, client: Client, months: Iterable[str]) -> None:
    """``months`` are about to be computed in-process (``compute_snapshots`` without a worker): they
    no longer wait for the debounced run, so the close can approve them at once (issue #23; the
    approval refused them while a recompute was pending). Called *before* computing: a change
    landing during the computation asks for its month again and is not lost. Months a running
    task has taken stay where they are (that run finishes them). Redis unreachable: nothing to forget."""
    wanted = sorted(set(months))
    if not wanted:
        return
    pending, _taken, _scheduled = _keys(client)
    try:
        redis_client().srem(pending, *wanted)
        _settle(client=client, months=[], deadline=time.time() + DEBOUNCE_SECONDS + GRACE_SECONDS)
    except REDIS_ERRORS as error:
        redis_failed(error, what="recompute forget")


def month_recompute_waiting(*, client: Client, month: dt.date) -> bool:
    """Whether ``month``'s figures wait for a recompute (the pages say "figures updating"): Redis's
    sets only, no query (a cached scorecard reads nothing else); False when Redis does not answer
    (the degraded banner already says figures may be late)."""
    try:
        return str(Month.of(month)) in recompute_pending(client=client)
    except REDIS_ERRORS as error:
        redis_failed(error, what="recompute pending read")
        return False


def recompute_pending_take(*, client: Client) -> list[str]:
    """Move every pending month to the client's "taken" set in one transaction and return that set.

    The client's deadline moves to GRACE_SECONDS from now: if this run dies and is never given
    back, the sweep sends another.
    """
    pending, taken, scheduled = _keys(client)
    connection = redis_client()
    connection.delete(scheduled)  # requests from now on schedule a new run
    with connection.pipeline(transaction=True) as pipe:
        pipe.sunionstore(taken, [taken, pending])
        pipe.delete(pending)
        pipe.expire(taken, KEEP_SECONDS)
        pipe.zadd(_due_key(), {client.schema_name: time.time() + GRACE_SECONDS})
        pipe.smembers(taken)
        *_, members = pipe.execute()
    return sorted(month.decode() for month in members)


def recompute_pending_done(*, client: Client, months: list[str]) -> None:
    """Forget ``months`` once computed (those asked for again meanwhile are in the pending set).

    The client's deadline goes with them, unless months were asked for meanwhile: those were
    given their own delayed run, and keep a deadline in case it is lost too.
    """
    _settle(client=client, months=months, deadline=time.time() + DEBOUNCE_SECONDS + GRACE_SECONDS)


def recompute_overdue_dispatch_run(*, limit: int = 500) -> int:
    """Send a run, at once, for every client whose months are overdue; returns how many were sent.

    A client is overdue when its deadline passed: its delayed run (or the run that took its
    months) was lost, typically with a killed worker. The deadline moves GRACE_SECONDS on, so a
    client is sent at most one run per grace period. A deadline without waiting months, or of a
    client that is gone or not ready, is dropped.
    """
    overdue = [member.decode() for member in redis_client().zrangebyscore(_due_key(), "-inf", time.time(), start=0,
                                                                          num=limit)]
    if not overdue:
        return 0
    ready = clients_ready().filter(schema_name__in=overdue)
    clients = {client.schema_name: client for client in ready}
    sent = 0
    for schema in overdue:
        client = clients.get(schema)
        if client is None:
            redis_client().zrem(_due_key(), schema)
        elif _settle(client=client, months=[], deadline=time.time() + GRACE_SECONDS):
            enqueue_for_client(app.signature(RECOMPUTE_TASK), client=client)
            sent += 1
    if sent:
        logger.warning("recompute: %s client(s) overdue (a lost run): sent again", sent)
    return sent


def recompute_pending_run(*, client: Client) -> int:
    """Compute every month asked for since the last run; returns how many snapshots were written.

    All months in one go; if that fails, month by month, so one month that cannot be computed
    is logged and dropped and never blocks the others asked for with it (issue #10 item 3).
    Database outages are not a month's fault: they fail the run, which is retried.
    """
    months = recompute_pending_take(client=client)
    try:
        written = len(snapshot_compute(client=client, months=[Month.parse(month).first_day for month in months]))
    except (OperationalError, InterfaceError):
        raise
    except Exception:
        written = 0
        for month in months:
            try:
                written += len(snapshot_compute(client=client, months=[Month.parse(month).first_day]))
            except (OperationalError, InterfaceError):
                raise
            except Exception:
                logger.exception("recompute of %s for client %s failed; the other months go on", month, client.slug)
    recompute_pending_done(client=client, months=months)
    return written


def recompute_job_run(*, client: Client, job_id: int) -> int:
    """Run a recompute asked for on the scorecard (kpis.services.recompute_request): its months one
    by one, with progress on its Job, which goes running → done, or failed on an error in a month.

    A dead database connection leaves the job running and raises: the task is retried, and a
    worker that died is noticed by the job's heartbeat (clients.jobs). Returns how many
    months were computed.
    """
    job = Job.objects.get(pk=job_id)
    Job.objects.filter(pk=job_id).update(status=Job.Status.RUNNING, started_at=timezone.now(), progress=0)
    try:
        months = [Month.parse(month) for month in job.params.get("months", [])]
        with job_heartbeat(client=client, job_id=job_id):
            for done, month in enumerate(months, start=1):
                snapshot_compute(client=client, months=[month.first_day])
                Job.objects.filter(pk=job_id).update(progress=done)
    except (OperationalError, InterfaceError):
        raise
    except Exception:
        Job.objects.filter(pk=job_id).update(status=Job.Status.FAILED, finished_at=timezone.now())
        raise
    Job.objects.filter(pk=job_id).update(status=Job.Status.DONE, finished_at=timezone.now())
    return len(months)
