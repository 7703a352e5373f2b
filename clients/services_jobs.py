"""Background jobs that survive their worker: heartbeat, stale sweep, queueing, retry.

A running job's worker touches ``Job.heartbeat_at`` every HEARTBEAT_SECONDS from a thread of its
own (its own database connection, so the touch is visible while the job's work is still inside
one long transaction). A worker killed mid-job stops touching it; the beat's sweep
(``clients.tasks.jobs_stale_sweep``) marks a "running" job failed once its heartbeat is older
than STALE_SECONDS, and the page offers to run it again.
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
from agency.tasks import enqueue_for_client
from clients.models import Job

logger = logging.getLogger(__name__)
HEARTBEAT_SECONDS = 10
STALE_SECONDS = 45  # with the sweep every 15 s: a dead worker's job shows failed within a minute
QUEUE_FAILED = "queue-unreachable"


@contextlib.contextmanager
def job_heartbeat(*, client: Client, job_id: int, every: float = HEARTBEAT_SECONDS) -> Iterator[None]:
    """Touch the job's heartbeat while the block runs (a daemon thread: it dies with the process)."""
    stop = threading.Event()

    def beat() -> None:
        try:
            while not stop.wait(every):
                with contextlib.suppress(Exception), tenant_context(client):
                    Job.objects.filter(pk=job_id, status=Job.Status.RUNNING).update(heartbeat_at=timezone.now())
        finally:
            connections.close_all()  # this thread's own connection

    Job.objects.filter(pk=job_id).update(heartbeat_at=timezone.now())
    thread = threading.Thread(target=beat, name=f"job-heartbeat-{job_id}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=every + 5)


def jobs_stale_fail(*, now: dt.datetime | None = None, stale_seconds: float = STALE_SECONDS) -> int:
    """In the current schema: mark failed every running job whose heartbeat stopped; returns how many."""
    limit = (now or timezone.now()) - dt.timedelta(seconds=stale_seconds)
    stale = Job.objects.filter(status=Job.Status.RUNNING).filter(
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
