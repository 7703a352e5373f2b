"""A job whose worker died is marked failed within a minute, and can be run again from its page."""

from __future__ import annotations

import datetime as dt
import time
from unittest import mock

import pytest
from django.db import OperationalError
from django.test import Client as HttpClient
from django.utils import timezone
from django_tenants.utils import tenant_context

from agency.redis_client import redis_client
from clients import jobs as jobs_module
from clients import tasks as client_tasks
from clients.jobs import job_heartbeat, jobs_stale_fail
from clients.models import Job, Lead
from tests.conftest import host_of


def _job(**fields) -> Job:
    return Job.objects.create(kind="import", params={"kind": "leads", "filename": "x.csv", "file": "none.csv"}, **fields)


def test_a_running_job_whose_heartbeat_stopped_is_failed_and_a_live_one_is_not(tenant_a) -> None:
    now = timezone.now()
    with tenant_context(tenant_a):
        ago = lambda seconds: now - dt.timedelta(seconds=seconds)  # noqa: E731
        dead = _job(status=Job.Status.RUNNING, started_at=ago(300), heartbeat_at=ago(50))
        never = _job(status=Job.Status.RUNNING, started_at=ago(120))
        alive = _job(status=Job.Status.RUNNING, started_at=ago(300), heartbeat_at=ago(5))
        queued = _job(status=Job.Status.QUEUED)
        assert jobs_stale_fail(now=now) == 2
        states = dict(Job.objects.values_list("pk", "status"))
    assert states == {dead.pk: "failed", never.pk: "failed", alive.pk: "running", queued.pk: "queued"}


def test_the_beat_sweep_visits_only_the_clients_of_overdue_jobs(tenant_a, tenant_b, staff_ab) -> None:
    redis_client().delete(jobs_module._running_key())
    old = timezone.now() - dt.timedelta(minutes=3)
    jobs = {}
    for tenant in (tenant_a, tenant_b):
        with tenant_context(tenant):
            jobs[tenant.slug] = _job(status=Job.Status.RUNNING, started_at=old, heartbeat_at=old)
    # Alpha's worker registered its job and died; beta's job was never registered (Redis was down).
    jobs_module._watch(f"{tenant_a.schema_name}:{jobs['alpha'].pk}", deadline=old.timestamp())
    visited = []
    real = jobs_module.tenant_context
    with mock.patch.object(jobs_module, "tenant_context", lambda client: visited.append(client.slug) or real(client)):
        assert client_tasks.jobs_stale_sweep() == 1
        assert client_tasks.jobs_stale_sweep() == 0  # forgotten once failed
    assert visited == ["alpha"]
    assert redis_client().zcard(jobs_module._running_key()) == 0
    with tenant_context(tenant_b):
        assert Job.objects.get(pk=jobs["beta"].pk).status == Job.Status.RUNNING
    # Beta's job is found when its page polls it.
    http = HttpClient(HTTP_HOST=host_of(tenant_b))
    http.force_login(staff_ab)
    assert "stopped" in http.get(f"/imports/jobs/{jobs['beta'].pk}/").content.decode()
    with tenant_context(tenant_b):
        assert Job.objects.get(pk=jobs["beta"].pk).status == Job.Status.FAILED


def test_a_live_job_keeps_its_deadline_moving_and_leaves_the_set_when_done(tenant_a, clean_tenant_tables) -> None:
    redis_client().delete(jobs_module._running_key())
    with tenant_context(tenant_a):
        job = _job(status=Job.Status.RUNNING, started_at=timezone.now())
        with job_heartbeat(client=tenant_a, job_id=job.pk, every=0.2):
            first = redis_client().zscore(jobs_module._running_key(), f"{tenant_a.schema_name}:{job.pk}")
            time.sleep(0.7)
            later = redis_client().zscore(jobs_module._running_key(), f"{tenant_a.schema_name}:{job.pk}")
    assert first is not None and later > first
    assert redis_client().zcard(jobs_module._running_key()) == 0


def test_the_heartbeat_thread_touches_the_job_from_its_own_connection(tenant_a, clean_tenant_tables) -> None:
    with tenant_context(tenant_a):
        job = _job(status=Job.Status.RUNNING, started_at=timezone.now())
        with job_heartbeat(client=tenant_a, job_id=job.pk, every=0.2):
            first = Job.objects.get(pk=job.pk).heartbeat_at
            time.sleep(0.7)
            later = Job.objects.get(pk=job.pk).heartbeat_at
    assert first is not None
    assert later > first


def test_a_failed_import_shows_why_and_can_be_run_again(
    staff_a, tenant_a, monkeypatch, django_capture_on_commit_callbacks
) -> None:
    with tenant_context(tenant_a):
        job = _job(status=Job.Status.FAILED, result={"ok": False, "failure": "worker-lost"})
    http = HttpClient(HTTP_HOST=host_of(tenant_a))
    http.force_login(staff_a)
    page = http.get(f"/imports/jobs/{job.pk}/").content.decode()
    assert "The worker running this import stopped; nothing was written." in page
    assert "Try again" in page
    sent = []
    monkeypatch.setattr("clients.jobs.enqueue_for_client", lambda task, *, client, **kw: sent.append((task.name, kw)))
    with django_capture_on_commit_callbacks(execute=True):
        response = http.post(f"/imports/jobs/{job.pk}/retry/")
    assert response.status_code == 302
    assert sent == [("clients.tasks.import_run", {"job_id": job.pk})]
    with tenant_context(tenant_a):
        assert Job.objects.get(pk=job.pk).status == Job.Status.QUEUED
    # Only a failed job is run again.
    assert http.post(f"/imports/jobs/{job.pk}/retry/").status_code == 404


def test_an_import_whose_connection_died_is_retried_not_failed(tenant_a, write_csv, monkeypatch) -> None:
    from clients.imports import services

    path = write_csv("id,created_at\nr1,2026-03-04T10:00:00\n")
    from clients.storage import imports_dir

    with tenant_context(tenant_a):
        job = _job(status=Job.Status.QUEUED)
        target = imports_dir(client=tenant_a) / f"{job.pk}.csv"
        target.write_bytes(path.read_bytes())
        job.params["file"] = target.name
        job.save()
    real, calls = services.data_import, []

    def flaky(**kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return real(**kwargs)

    monkeypatch.setattr(services, "data_import", flaky)
    result = client_tasks.import_run.apply(kwargs={"client_slug": tenant_a.slug, "job_id": job.pk})
    assert result.successful(), result.traceback
    assert len(calls) == 2
    with tenant_context(tenant_a):
        assert Job.objects.get(pk=job.pk).status == Job.Status.DONE
        assert Lead.objects.filter(id="r1").exists()


@pytest.fixture(autouse=True)
def _no_retry_wait(monkeypatch):
    monkeypatch.setattr(client_tasks.import_run, "retry_backoff", False)
