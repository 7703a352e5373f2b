"""Test set-up shared by the whole suite.

Two client schemas, ``alpha`` and ``beta``, are created once per session (creating a schema
runs every tenant migration, too slow to repeat per test). Tests that commit
(``transactional_db``: the live server, the real Celery worker) end with Django's flush,
which empties the public tables, the client registry included; the ``tenants`` fixture puts
those rows back, and ``clean_tenant_tables`` empties what such tests left in the schemas.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client as HttpClient

from agency.models import AgencyBrand, Client, Domain, User
from tests.factories import UserFactory

TENANTS = {
    "alpha": {"name": "Alpha Analytics", "timezone": "Europe/Madrid", "currency": "EUR"},
    "beta": {"name": "Beta Brands", "timezone": "America/New_York", "currency": "USD"},
}


def _ensure_tenant_rows() -> dict[str, Client]:
    from agency.services import client_create, public_tenant_ensure

    public_tenant_ensure()
    clients = {}
    for slug, fields in TENANTS.items():
        client = Client.objects.filter(slug=slug).first()
        if client is None:
            from django_tenants.utils import schema_exists

            if schema_exists(slug):
                # The schema survived a flush of the public tables: re-register it.
                client = Client(schema_name=slug, slug=slug, is_ready=True, **fields)
                client.auto_create_schema = False
                client.save()
                Domain.objects.create(domain=f"{slug}.{settings.PORTAL_BASE_HOST}", tenant=client, is_primary=True)
            else:
                client = client_create(slug=slug, **fields)
        clients[slug] = client
    return clients


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: pytest.FixtureRequest) -> Iterator[None]:
    with django_db_blocker.unblock():
        _ensure_tenant_rows()
    from django.core.cache import cache

    cache.clear()  # the test Redis is the suite's own (.local/test); start every run empty
    yield


@pytest.fixture
def tenants(db: None) -> dict[str, Client]:
    connection.set_schema_to_public()
    return _ensure_tenant_rows()


@pytest.fixture
def tenant_a(tenants: dict[str, Client]) -> Client:
    return tenants["alpha"]


@pytest.fixture
def tenant_b(tenants: dict[str, Client]) -> Client:
    return tenants["beta"]


@pytest.fixture
def in_tenant_a(tenant_a: Client) -> Iterator[Client]:
    """Run the test body with the connection in client A's schema."""
    connection.set_tenant(tenant_a)
    yield tenant_a
    connection.set_schema_to_public()


@pytest.fixture(autouse=True)
def _public_schema_after_test() -> Iterator[None]:
    yield
    if connection.connection is not None or connection.schema_name != settings.PUBLIC_SCHEMA_NAME:
        connection.set_schema_to_public()


@pytest.fixture
def clean_tenant_tables(transactional_db: None) -> Iterator[None]:
    """For committing tests: empty the client schemas' tables afterwards."""
    yield
    from django.apps import apps

    tables = [
        model._meta.db_table
        for app in settings.TENANT_APPS
        if (label := app.rsplit(".", 1)[-1]) in {"clients", "kpis", "reports"}
        for model in apps.get_app_config(label).get_models()
    ]
    with connection.cursor() as cursor:
        for schema in TENANTS:
            if tables:
                cursor.execute("TRUNCATE " + ", ".join(f'"{schema}"."{table}"' for table in tables) + " CASCADE")
    # What Redis holds about those rows goes with them: a sync's pending recompute left behind kept the
    # next test's close "updating" (Approve disabled), and cached pages would show the emptied data.
    from django.core.cache import cache

    cache.clear()


# --- people --------------------------------------------------------------------------------


@pytest.fixture
def admin_user(tenants: dict[str, Client]) -> User:
    return UserFactory(username="ada-admin", role=User.Role.ADMIN)


@pytest.fixture
def staff_a(tenant_a: Client) -> User:
    return UserFactory(username="sam-staff", role=User.Role.STAFF, clients=[tenant_a])


@pytest.fixture
def staff_ab(tenant_a: Client, tenant_b: Client) -> User:
    return UserFactory(username="sol-staff", role=User.Role.STAFF, clients=[tenant_a, tenant_b])


@pytest.fixture
def client_user_a(tenant_a: Client) -> User:
    return UserFactory(username="ann-alpha", role=User.Role.CLIENT, clients=[tenant_a])


@pytest.fixture
def client_user_b(tenant_b: Client) -> User:
    return UserFactory(username="bob-beta", role=User.Role.CLIENT, clients=[tenant_b])


@pytest.fixture
def march_with_leads(tenant_a: Client) -> Client:
    """alpha with three leads created in March 2026 and March's snapshot: a month the scorecard,
    its targets and its exports show (modules take it as ``march``)."""
    import datetime as dt

    from django_tenants.utils import schema_context

    from clients.models import Lead
    from kpis.services import snapshot_compute

    with schema_context("alpha"):
        Lead.objects.bulk_create([Lead(id=f"n{i}", created_at=dt.datetime(2026, 3, 5, tzinfo=dt.UTC)) for i in range(3)])
    snapshot_compute(client=tenant_a, months=[dt.date(2026, 3, 1)])
    return tenant_a


def host_of(client: Client | None) -> str:
    return f"{client.slug}.{settings.PORTAL_BASE_HOST}" if client else settings.PORTAL_BASE_HOST


def signed_in(user: User | None, tenant: Client | None = None, **defaults: Any) -> HttpClient:
    """A test client at ``tenant``'s host (None: the console), signed in as ``user`` (None: a
    visitor); ``defaults`` go to the client (HTTP_ACCEPT_LANGUAGE="es", raise_request_exception=False)."""
    http = HttpClient(HTTP_HOST=host_of(tenant), **defaults)
    if user is not None:
        http.force_login(user)
    return http


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path_factory) -> None:
    """Files a test writes (report PDFs, logos, uploads) go to a folder of its own."""
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def _no_platform_on_the_network(settings) -> None:
    """No test reaches a real platform: connectors point at a closed local port (tried once) unless a
    test's fake platforms' server (tests/clients/connectors/conftest.py) points them at itself."""
    closed = "http://127.0.0.1:9"
    settings.PORTAL_CONNECTOR_URLS = dict.fromkeys(("hubspot", "ga4", "mailchimp", "google_ads", "meta_ads",
                                                    "linkedin_ads"), closed)
    settings.PORTAL_OAUTH_URLS = dict(settings.PORTAL_CONNECTOR_URLS)
    settings.PORTAL_CONNECTOR_RETRIES = 1


@pytest.fixture(autouse=True)
def _no_brand_cached() -> None:
    """The agency's brand is cached in Redis (AgencyBrand.current), which outlives a test's rolled
    back row: a brand one test saved was the next test's sender name. Every test starts with none."""
    from django.core.cache import cache

    cache.delete(AgencyBrand.BRAND_CACHE_KEY)


@pytest.fixture(autouse=True)
def _language_reset() -> Iterator[None]:
    """A request in Spanish leaves Spanish active in the thread: every test starts in English."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.activate("en")


@pytest.fixture(autouse=True)
def _approval_emails_at_once(request, monkeypatch) -> None:
    """The month page's Approve leaves the report's PDF and email to a task (reports.tasks.
    approval_emails_task): here a worker that takes it at once, so the tests of what an approval sends
    read the outbox right after Approve, as before. The tests of the background path itself
    (``@pytest.mark.emails_background``, and the real-worker tests) send it to the queue."""
    if request.node.get_closest_marker("emails_background") or request.node.get_closest_marker("worker"):
        return
    from agency.months import Month
    from reports import services

    def at_once(task, *, client, month: str, number: int, **_kwargs) -> None:
        services.approval_emails_build(client=client, month=Month.parse(month).first_day, number=number)

    monkeypatch.setattr(services, "enqueue_for_client", at_once)
