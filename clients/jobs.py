"""Background jobs that survive their worker: heartbeat, stale sweep, queueing, retry.

A running job's worker touches ``Job.heartbeat_at`` every HEARTBEAT_SECONDS from a thread of its
own (its own database connection, so the touch is visible while the job's work is still inside
one long transaction). A worker killed mid-job stops touching it, and the job is marked failed
once its heartbeat is older than STALE_SECONDS; its page then offers to run it again.

Who notices, without visiting every client: each running job also has a deadline in one Redis
sorted set (``…:jobs:running``, members ``<schema>:<job id>``), set when it starts and moved on
by each heartbeat. Beat's ``clients.tasks.jobs_stale_sweep`` (every 15 s) reads only the members
whose deadline passed (:func:`jobs_stale_sweep_run`), so its cost follows the jobs running, not
the number of clients. Should Redis have been unreachable when a job started, the job's page
finds it when it polls (:func:`jobs_stale_fail` with the job's id).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import threading
from collections.abc import Iterator
from typing import Any

from celery import Task
from django.db import connection, connections
from django.db.models import Q
from django.utils import timezone
from django_tenants.utils import tenant_context

from agency.degrade import REDIS_ERRORS, redis_failed
from agency.models import Client
from agency.redis_client import redis_client, redis_key
from agency.selectors import clients_ready
from agency.tasks import enqueue_for_client
from clients.models import Job

logger = logging.getLogger(__name__)
HEARTBEAT_SECONDS = 10
STALE_SECONDS = 45  # with the sweep every 15 s: a dead worker's job shows failed within a minute
QUEUE_FAILED = "queue-unreachable"
FILE_GONE = "file-gone"  # the stored upload is no longer on disk: only a new upload helps


@contextlib.contextmanager
def job_heartbeat(*, client: Client, job_id: int, every: float = HEARTBEAT_SECONDS) -> Iterator[None]:
    """Touch the job's heartbeat while the block runs (a daemon thread: it dies with the process)."""
    stop = threading.Event()
    member = f"{client.schema_name}:{job_id}"

    def beat() -> None:
        try:
            while not stop.wait(every):
                with contextlib.suppress(Exception), tenant_context(client):
                    Job.objects.filter(pk=job_id, status=Job.Status.RUNNING).update(heartbeat_at=timezone.now())
                _watch(member, deadline=timezone.now().timestamp() + STALE_SECONDS)
        finally:
            connections.close_all()  # this thread's own connection

    Job.objects.filter(pk=job_id).update(heartbeat_at=timezone.now())
    _watch(member, deadline=timezone.now().timestamp() + STALE_SECONDS)
    thread = threading.Thread(target=beat, name=f"job-heartbeat-{job_id}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=every + 5)
        _watch(member, deadline=None)


def _running_key() -> str:
    return redis_key("jobs", "running")


def _watch(member: str, *, deadline: float | None) -> None:
    """Set (or, with ``None``, drop) a running job's deadline; Redis down: the page's poll notices instead."""
    try:
        if deadline is None:
            redis_client().zrem(_running_key(), member)
        else:
            redis_client().zadd(_running_key(), {member: deadline})
    except REDIS_ERRORS as error:
        redis_failed(error, what="job watch")


def jobs_stale_sweep_run(*, now: dt.datetime | None = None, limit: int = 500) -> int:
    """Fail the running jobs whose deadline passed and whose heartbeat stopped; returns how many.

    Only the schemas of overdue jobs are visited. A job still alive in the database (its
    worker's Redis touch failed) gets a new deadline; a finished or failed one is forgotten.
    """
    now = now or timezone.now()
    overdue = [m.decode() for m in redis_client().zrangebyscore(_running_key(), "-inf", now.timestamp(), start=0, num=limit)]
    by_schema: dict[str, list[int]] = {}
    for member in overdue:
        schema, _, job_id = member.rpartition(":")
        by_schema.setdefault(schema, []).append(int(job_id))
    failed = 0
    for client in clients_ready().filter(schema_name__in=by_schema):
        with tenant_context(client):
            failed += jobs_stale_fail(now=now, job_ids=by_schema[client.schema_name])
            alive = set(Job.objects.filter(pk__in=by_schema[client.schema_name], status=Job.Status.RUNNING)
                        .values_list("pk", flat=True))
        for job_id in by_schema.pop(client.schema_name):
            _watch(f"{client.schema_name}:{job_id}", deadline=now.timestamp() + STALE_SECONDS if job_id in alive else None)
    for schema, job_ids in by_schema.items():  # a client gone or no longer ready
        for job_id in job_ids:
            _watch(f"{schema}:{job_id}", deadline=None)
    return failed


def jobs_stale_fail(
    *, now: dt.datetime | None = None, stale_seconds: float = STALE_SECONDS, job_ids: list[int] | None = None
) -> int:
    """In the current schema: mark failed every running job (of ``job_ids``) whose heartbeat stopped; returns how many."""
    limit = (now or timezone.now()) - dt.timedelta(seconds=stale_seconds)
    running = Job.objects.filter(status=Job.Status.RUNNING)
    if job_ids is not None:
        running = running.filter(pk__in=job_ids)
    stale = running.filter(
        Q(heartbeat_at__lt=limit) | Q(heartbeat_at__isnull=True, started_at__lt=limit)
    )
    count = stale.update(status=Job.Status.FAILED, finished_at=timezone.now(), result={"ok": False, "failure": "worker-lost"})
    if count:
        logger.warning("%s job(s) of %s marked failed: their worker stopped answering", count, connection.schema_name)
    return count


def job_enqueue(*, task: Task, client: Client, job: Job, **kwargs: Any) -> bool:
    """Queue ``task`` for ``job``; with the queue unreachable the job is failed at once (retry on the page)."""
    try:
        enqueue_for_client(task, client=client, job_id=job.pk, **kwargs)
    except REDIS_ERRORS as error:
        redis_failed(error, what="job queue")
        with tenant_context(client):
            Job.objects.filter(pk=job.pk).update(
                status=Job.Status.FAILED, finished_at=timezone.now(), result={"ok": False, "failure": QUEUE_FAILED}
            )
        return False
    return True


def job_retry(*, client: Client, job: Job, task: Task) -> bool:
    """Run a failed job again from the start (imports are all-or-nothing; recomputes are upserts)."""
    with tenant_context(client):
        updated = Job.objects.filter(pk=job.pk, status=Job.Status.FAILED).update(
            status=Job.Status.QUEUED, progress=0, result={}, started_at=None, finished_at=None, heartbeat_at=None
        )
    if not updated:
        return False
    return job_enqueue(task=task, client=client, job=job)
