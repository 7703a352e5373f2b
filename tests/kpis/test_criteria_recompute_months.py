"""A criteria version asks again for the stored snapshots from its effective month on, and for no
month before the client's data: the demo's version effective from 2020 computed an empty January 2020."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.core.cache import cache
from django_tenants.utils import tenant_context

from clients.criteria.services import criteria_version_create
from kpis import recompute
from kpis.models import Snapshot

CRITERIA = {"fit": {"all": [{"field": "employees", "op": "gte", "value": 10}]}, "threshold": 10, "points": []}


@pytest.fixture(autouse=True)
def _nothing_left_pending():
    """The requests go to the test's Redis: no task queued, no month left pending for the next test
    (a month left pending refuses its approval there)."""
    cache.clear()
    with mock.patch.object(recompute, "enqueue_for_client"):
        yield
    cache.clear()


def _stored(*months: str) -> None:
    for month in months:
        Snapshot.objects.create(
            month=dt.date.fromisoformat(f"{month}-01"), document={"kpis": {}}, computed_at=dt.datetime(2026, 4, 1, tzinfo=dt.UTC)
        )


def test_a_version_from_before_the_data_asks_for_the_stored_months_only(tenant_a, django_capture_on_commit_callbacks) -> None:
    with tenant_context(tenant_a), django_capture_on_commit_callbacks(execute=True):
        _stored("2026-01", "2026-03")
        criteria_version_create(criteria=CRITERIA, effective_from="2020-01-01", client=tenant_a)
    with tenant_context(tenant_a):
        assert recompute.recompute_pending(client=tenant_a) == ["2026-01", "2026-02", "2026-03"]


def test_a_version_on_a_client_with_nothing_stored_asks_for_no_month(tenant_a, django_capture_on_commit_callbacks) -> None:
    with tenant_context(tenant_a), django_capture_on_commit_callbacks(execute=True):
        criteria_version_create(criteria=CRITERIA, effective_from="2020-01-01", client=tenant_a)
    with tenant_context(tenant_a):
        assert recompute.recompute_pending(client=tenant_a) == []


def test_contracts_still_ask_for_their_months_and_every_later_stored_one(tenant_a, django_capture_on_commit_callbacks) -> None:
    from clients.signals import data_changed

    with tenant_context(tenant_a), django_capture_on_commit_callbacks(execute=True):
        _stored("2026-03")
        data_changed(client=tenant_a, kind="contracts", months={"2025-12"})
    with tenant_context(tenant_a):
        assert recompute.recompute_pending(client=tenant_a) == ["2025-12", "2026-01", "2026-02", "2026-03"]
