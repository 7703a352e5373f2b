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

Redis unreachable (agency.degrade): the request is written to the database outbox
(``agency.RecomputeOutbox``) instead, after the change committed, and the beat's drain
(:func:`recompute_outbox_drain_run`, every 10 s) puts those months in the pending set and queues
the run once Redis answers. A change accepted during an outage is never left without its recompute.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from django.db import InterfaceError, OperationalError, transaction
from django.utils import timezone

from agency.celery import app
from agency.degrade import REDIS_ERRORS, redis_failed
from agency.models import Client, RecomputeOutbox
from agency.months import Month
from agency.redis_client import redis_client, redis_key
from agency.tasks import enqueue_for_client
from kpis.services import snapshot_compute

logger = logging.getLogger(__name__)
DEBOUNCE_SECONDS = 30
KEEP_SECONDS = 60 * 60 * 24 * 7  # months nobody took (no worker for a week) are dropped, not kept forever
RECOMPUTE_TASK = "kpis.tasks.snapshot_recompute_pending"


def _keys(client: Client) -> tuple[str, str, str]:
    base = redis_key("kpis", "recompute", client.schema_name)
    return f"{base}:pending", f"{base}:taken", f"{base}:scheduled"


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


def recompute_pending_take(*, client: Client) -> list[str]:
    """Move every pending month to the client's "taken" set in one transaction and return that set."""
    pending, taken, scheduled = _keys(client)
    connection = redis_client()
    connection.delete(scheduled)  # requests from now on schedule a new run
    with connection.pipeline(transaction=True) as pipe:
        pipe.sunionstore(taken, [taken, pending])
        pipe.delete(pending)
        pipe.expire(taken, KEEP_SECONDS)
        pipe.smembers(taken)
        *_, members = pipe.execute()
    return sorted(month.decode() for month in members)


def recompute_pending_done(*, client: Client, months: list[str]) -> None:
    """Forget ``months`` once computed (those asked for again meanwhile are in the pending set)."""
    if months:
        redis_client().srem(_keys(client)[1], *months)


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
