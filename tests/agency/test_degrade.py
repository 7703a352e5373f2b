"""Redis down: pages render from the database, writes keep their recompute, jobs say what happened.

Marked ``fault``: these stop the suite's real Redis (tests/redis_control.py) and start it again afterwards.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
import time_machine
from django.test import Client as HttpClient
from django_tenants.utils import tenant_context

from agency.degrade import REDIS_ERRORS
from agency.models import RecomputeOutbox
from clients.api.services import api_token_create
from clients.models import Job
from kpis import recompute, tasks
from kpis.recompute import recompute_pending, recompute_pending_done, recompute_pending_take
from tests.conftest import host_of
from tests.factories import PASSWORD
from tests.redis_control import redis_down

NOW = dt.datetime(2026, 4, 20, 12, tzinfo=dt.UTC)
pytestmark = [pytest.mark.fault, pytest.mark.usefixtures("_empty_outbox")]


@pytest.fixture
def _empty_outbox(db):
    RecomputeOutbox.objects.all().delete()


def test_signed_in_pages_render_from_the_database_with_redis_down(staff_a, tenant_a) -> None:
    console, portal = HttpClient(), HttpClient()
    with redis_down():
        # Signing in works (sessions are in the database; the rate limiter allows and logs).
        response = console.post("/accounts/login/", {"username": staff_a.username, "password": PASSWORD}, HTTP_HOST=host_of(None))
        assert response.status_code == 302
        portal.force_login(staff_a)
        for host, path, http in [
            (host_of(None), "/", console),
            (host_of(None), "/portfolio/", console),
            (host_of(tenant_a), "/", portal),
            (host_of(tenant_a), "/scorecard/?month=2026-03", portal),
            (host_of(tenant_a), "/leads/", portal),
        ]:
            response = http.get(path, HTTP_HOST=host)
            assert response.status_code == 200, (path, response.status_code)
            assert "figures may be a few minutes out of date" in response.content.decode(), path


def test_an_api_lead_with_redis_down_keeps_its_recompute_in_the_outbox(tenant_a, django_capture_on_commit_callbacks) -> None:
    _token, secret = api_token_create(client=tenant_a, name="form")
    http = HttpClient(HTTP_HOST=host_of(tenant_a))
    with time_machine.travel(NOW, tick=False), redis_down(), django_capture_on_commit_callbacks(execute=True):
        response = http.post(
            "/api/v1/leads",
            json.dumps({"id": "down-1", "created_at": "2026-03-04T09:30:00"}),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {secret}",
        )
    assert response.status_code in {200, 201}, response.content
    assert list(RecomputeOutbox.objects.values_list("client__slug", "months")) == [("alpha", ["2026-03"])]
    # Redis is back: the beat's drain moves it into the debounce and queues the recompute.
    recompute_pending_done(client=tenant_a, months=recompute_pending_take(client=tenant_a))
    sent = []
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(recompute, "enqueue_for_client", lambda task, *, client, **kw: sent.append((task.task, client.slug)))
        assert tasks.recompute_outbox_drain() == 1
    assert sent == [("kpis.tasks.snapshot_recompute_pending", "alpha")]
    assert recompute_pending(client=tenant_a) == ["2026-03"]
    assert not RecomputeOutbox.objects.exists()


def test_a_drain_that_cannot_reach_redis_keeps_the_rows(tenant_a) -> None:
    RecomputeOutbox.objects.create(client=tenant_a, months=["2026-02"])
    with redis_down(), pytest.raises(REDIS_ERRORS):
        tasks.recompute_outbox_drain()
    assert RecomputeOutbox.objects.count() == 1


def test_a_recompute_asked_for_with_redis_down_fails_at_once_and_can_be_retried(
    staff_a, tenant_a, django_capture_on_commit_callbacks, monkeypatch
) -> None:
    http = HttpClient(HTTP_HOST=host_of(tenant_a))
    http.force_login(staff_a)
    with redis_down(), django_capture_on_commit_callbacks(execute=True):
        response = http.post("/scorecard/recompute/", {"month": "2026-03"})
    assert response.status_code == 200
    with tenant_context(tenant_a):
        job = Job.objects.get(kind="recompute")
    assert job.status == Job.Status.FAILED
    assert job.result == {"ok": False, "failure": "queue-unreachable"}
    assert "Try again" in http.get(f"/scorecard/recompute/{job.pk}/").content.decode()
    sent = []
    monkeypatch.setattr("clients.jobs.enqueue_for_client", lambda task, *, client, **kw: sent.append(kw["job_id"]))
    response = http.post(f"/scorecard/recompute/{job.pk}/retry/")
    assert response.status_code == 200
    assert sent == [job.pk]
    with tenant_context(tenant_a):
        assert Job.objects.get(pk=job.pk).status == Job.Status.QUEUED


def test_the_cache_treats_an_unreachable_redis_as_a_miss(db) -> None:
    from django.core.cache import cache

    cache.set("degrade-probe", 1)
    assert cache.get("degrade-probe") == 1
    with redis_down():
        assert cache.get("degrade-probe", "missed") == "missed"
        assert cache.add("degrade-probe-2", 1) is False  # a lock is refused, not granted twice
        cache.set("degrade-probe", 2)  # dropped, no error
    assert cache.get("degrade-probe") == 1
