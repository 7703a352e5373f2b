"""Tenant isolation, the product's first promise: caches, cookies, tasks and pages."""

from __future__ import annotations

import io
import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import Client as HttpClient
from django.urls import reverse
from django_tenants.utils import tenant_context

from agency.celery import app
from agency.tasks import enqueue_for_client
from clients.models import Contract, Job, Lead
from tests.agency.test_access_matrix import ALPHA, BETA, MATRIX
from tests.conftest import host_of
from tests.factories import PASSWORD


def test_a_cache_key_set_under_client_a_is_not_visible_under_b(tenant_a, tenant_b) -> None:
    cache.clear()
    with tenant_context(tenant_a):
        cache.set("scorecard:latest", "alpha-secret", 60)
    with tenant_context(tenant_b):
        assert cache.get("scorecard:latest") is None
        cache.set("scorecard:latest", "beta-value", 60)
    with tenant_context(tenant_a):
        assert cache.get("scorecard:latest") == "alpha-secret"


def test_a_session_cookie_from_client_a_gets_404_at_client_b(client_user_a, tenant_a, tenant_b) -> None:
    http = HttpClient()
    response = http.post(
        "/accounts/login/", {"username": client_user_a.username, "password": PASSWORD}, HTTP_HOST=host_of(tenant_a)
    )
    assert response.status_code == 302
    assert http.get("/", HTTP_HOST=host_of(tenant_a)).status_code == 200
    # The very same cookie jar, presented at B's host: refused, and the session ended (issue #24).
    for path in ("/", "/panels/data/", "/accounts/password/change/"):
        response = http.get(path, HTTP_HOST=host_of(tenant_b))
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), path
    assert http.get("/", HTTP_HOST=host_of(tenant_a)).status_code == 302


@app.task(name="tests.isolation.record_schema")
def record_schema(*, client_slug: str, note: str) -> None:
    """Writes a row in whatever schema tenant-schemas-celery switched the worker to."""
    Job.objects.create(
        kind="isolation-check", params={"note": note, "client_slug": client_slug, "schema": connection.schema_name}
    )


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_task_sent_for_client_a_writes_in_a_and_never_in_b(tenants, clean_tenant_tables) -> None:
    alpha, beta = tenants["alpha"], tenants["beta"]
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        # Sent from the public schema, and from B's schema: the client named decides, not the caller's schema.
        enqueue_for_client(record_schema, client=alpha, note="from-public")
        with tenant_context(beta):
            enqueue_for_client(record_schema, client=alpha, note="from-beta")
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            with tenant_context(alpha):
                if Job.objects.filter(kind="isolation-check").count() == 2:
                    break
            time.sleep(0.2)
    with tenant_context(alpha):
        rows = list(Job.objects.filter(kind="isolation-check").values_list("params", flat=True))
    with tenant_context(beta):
        assert not Job.objects.filter(kind="isolation-check").exists()
    assert sorted(row["note"] for row in rows) == ["from-beta", "from-public"]
    assert {row["schema"] for row in rows} == {"alpha"}


def _tenant_get_paths() -> list[str]:
    """Every GET page of a client host listed in the access matrix (partials included)."""
    names = sorted({(name, tuple(sorted(kwargs.items()))) for host, name, kwargs, _ in MATRIX if host in {ALPHA, BETA}})
    return [reverse(name, urlconf="agency.urls_tenant", kwargs=dict(kwargs)) for name, kwargs in names]


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_no_page_partial_or_file_at_client_b_contains_client_a_demo_marker(tenant_a, tenant_b, admin_user) -> None:
    """Each client gets demo data with its own marker; admin (who sees everything) crawls each host."""
    markers = {"alpha": "DEMO-MARKER-ALPHA", "beta": "DEMO-MARKER-BETA"}
    for tenant in (tenant_a, tenant_b):
        call_command(
            "generate_demo_data",
            tenant.slug,
            months=2,
            leads_per_month=15,
            seed=7,
            marker=markers[tenant.slug],
            end="2026-02",
            stdout=io.StringIO(),
        )
    http = HttpClient()
    http.force_login(admin_user)
    for tenant, other in ((tenant_b, "alpha"), (tenant_a, "beta")):
        with tenant_context(tenant):
            lead_pages = [f"/leads/{pk}/" for pk in Lead.objects.order_by("id").values_list("pk", flat=True)[:40]]
            lead_pages += [f"/contracts/{pk}/edit/" for pk in Contract.objects.values_list("pk", flat=True)[:5]]
        own_seen = False
        for path in _tenant_get_paths() + lead_pages:
            for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
                body = _body(http.get(path, HTTP_HOST=host_of(tenant), **headers))
                assert markers[other].encode() not in body, f"{other}'s marker at {tenant.slug} {path}"
                own_seen = own_seen or markers[tenant.slug].encode() in body
        assert own_seen, "the crawl never saw this host's own marker: it would not see a leak either"
