"""A closed March for alpha (EUR, Europe/Madrid): leads and Google Ads spend, its snapshot computed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client as HttpClient
from django_tenants.utils import schema_context

from clients.models import Lead, Spend
from kpis.services import snapshot_compute
from reports.services_bulk import bulk_approval_start
from tests.conftest import signed_in

MARCH = dt.date(2026, 3, 1)


@pytest.fixture
def march(tenant_a, client_user_a, staff_a):
    """March 2026 with 8 leads and 1,725.76 EUR of spend: a cost per lead of 215.72 EUR."""
    client_user_a.email, client_user_a.language = "ann@alpha.example", "es"
    client_user_a.save()
    staff_a.email = "sam@agency.example"
    staff_a.save()
    with schema_context("alpha"):
        Lead.objects.bulk_create([Lead(id=f"m{i}", created_at=dt.datetime(2026, 3, 10, tzinfo=dt.UTC)) for i in range(8)])
        Spend.objects.create(id="s1", date=dt.date(2026, 3, 5), category="media", amount=Decimal("1725.76"))
    snapshot_compute(client=tenant_a, months=[MARCH])
    return tenant_a


def late_spend(tenant, amount: str = "29.44") -> None:
    """Google Ads restates March after approval: cost per lead 215.72 → 219.40 EUR."""
    with schema_context(tenant.schema_name):
        Spend.objects.create(id="s-late", date=dt.date(2026, 3, 31), category="media", amount=Decimal(amount))
    snapshot_compute(client=tenant, months=[MARCH])


def browser_for(user, tenant, *, language: str = "es") -> HttpClient:
    return signed_in(user, tenant, HTTP_ACCEPT_LANGUAGE=language)


@pytest.fixture
def bulk_inline(monkeypatch) -> list[tuple[str, dict]]:
    """The bulk approval's tasks run at once, in the request (as the worker would, after it): the
    tests without a worker read the outcome the board shows. They run once the confirmation has sent
    them all and marked the approval dispatched (before, a task waits: reports.services_bulk).
    Returns what was queued."""
    queued: list[tuple[str, dict]] = []
    sent: list[tuple] = []

    def record(task, *, client, **kwargs) -> None:
        queued.append((client.slug, kwargs))
        sent.append((task, client, kwargs))

    def start(**kwargs):
        bulk = bulk_approval_start(**kwargs)
        while sent:
            task, client, task_kwargs = sent.pop(0)
            task.apply(kwargs={"client_slug": client.slug, **task_kwargs}, throw=True)
        return bulk

    monkeypatch.setattr("reports.services_bulk.enqueue_for_client", record)
    monkeypatch.setattr("reports.views_board.bulk_approval_start", start)
    return queued
