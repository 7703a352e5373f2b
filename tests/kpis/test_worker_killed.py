"""A worker killed in the middle of a snapshot loses nothing: another worker completes it.

Real parts throughout: two worker processes on the suite's Redis and database. The first is held
mid-task (the snapshot table locked from here), killed with SIGKILL, and the second, started with
a short visibility timeout, takes the unacknowledged message over and writes the snapshot once.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from django.conf import settings
from django.db import connection
from django_tenants.utils import tenant_context

from agency.celery import app
from agency.tasks import enqueue_for_client
from clients.models import Lead
from kpis import tasks
from kpis.models import Snapshot

ROOT = Path(__file__).resolve().parents[2]
MARCH = dt.date(2026, 3, 1)

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def _worker(name: str, log: Path) -> subprocess.Popen:
    db = connection.settings_dict  # the test database, on a TCP host or (embedded) a socket folder
    user, password, host = (quote(str(db[key] or ""), safe="") for key in ("USER", "PASSWORD", "HOST"))
    port = f":{db['PORT']}" if db["PORT"] else ""
    socket = f"?host={quote(db['OPTIONS']['host'], safe='/')}" if db["OPTIONS"].get("host") else ""
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{user}:{password}@{host}{port}/{db['NAME']}{socket}",
        "REDIS_URL": settings.REDIS_URL,
        "CELERY_VISIBILITY_TIMEOUT": "2",
    }
    command = [sys.executable, "-m", "celery", "-A", "agency", "worker", "--pool=solo", "-n", f"{name}@%h",
               "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "INFO"]
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True)


def _wait(condition, seconds: float, what: str, log: Path) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}; {log.name}:\n{log.read_text()}")


def test_a_worker_killed_mid_snapshot_leaves_the_task_to_another_worker(tenant_a, clean_tenant_tables, tmp_path) -> None:
    with tenant_context(tenant_a):
        Lead.objects.bulk_create([Lead(id=f"k{i}", created_at=dt.datetime(2026, 3, 9, 12, tzinfo=dt.UTC)) for i in range(4)])
    app.control.purge()
    params = connection.get_connection_params()
    locker = psycopg.connect(**{k: v for k, v in params.items() if k not in {"cursor_factory", "context"}})
    first = second = None
    try:
        # Held until rollback: psycopg opened a transaction for it.
        locker.execute(f'LOCK TABLE "{tenant_a.schema_name}".kpis_snapshot IN ACCESS EXCLUSIVE MODE')
        first = _worker("first", tmp_path / "first.log")
        enqueue_for_client(tasks.snapshot_compute_task, client=tenant_a, months=["2026-03"])

        def first_is_mid_task() -> bool:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query ILIKE %s", ["%kpis_snapshot%"]
                )
                return cursor.fetchone()[0] > 0

        _wait(first_is_mid_task, 60, "the first worker to be inside the task", tmp_path / "first.log")
        os.killpg(first.pid, signal.SIGKILL)
        first.wait(timeout=10)
        locker.rollback()  # the killed worker's query is gone with its connection; release the lock
        second = _worker("second", tmp_path / "second.log")

        def snapshot_landed() -> bool:
            with tenant_context(tenant_a):
                return Snapshot.objects.filter(month=MARCH).exists()

        _wait(snapshot_landed, 90, "the second worker to complete the redelivered task", tmp_path / "second.log")
    finally:
        locker.close()
        for worker in (first, second):
            if worker is not None and worker.poll() is None:
                os.killpg(worker.pid, signal.SIGTERM)
                worker.wait(timeout=30)
    assert first.returncode == -signal.SIGKILL
    with tenant_context(tenant_a):
        assert [s.new_leads for s in Snapshot.objects.filter(month=MARCH)] == [4]
    assert "snapshot_compute_task" in (tmp_path / "second.log").read_text()
