"""A big client's two passes over its leads run at once, on two connections, and agree with one after the other.

Only outside a transaction (another connection cannot see uncommitted rows), so these tests commit.
"""

from __future__ import annotations

import datetime as dt
import threading
from zoneinfo import ZoneInfo

import pytest
from django.db import connection, transaction
from django_tenants.utils import tenant_context

from clients.models import Lead
from kpis import selectors

MADRID = ZoneInfo("Europe/Madrid")
MONTHS = [dt.date(2026, month, 1) for month in (1, 2, 3, 4)]

pytestmark = pytest.mark.django_db(transaction=True)


def _leads() -> None:
    Lead.objects.bulk_create(
        Lead(id=f"q{n}", created_at=dt.datetime(2026, 1 + n % 4, 1 + n % 27, 9, tzinfo=MADRID),
             first_contacted_at=dt.datetime(2026, 1 + n % 4, 1 + n % 27, 10 + n % 9, tzinfo=MADRID) if n % 3 else None,
             channel="email", unsubscribed_at=dt.datetime(2026, 4, 20, tzinfo=MADRID) if n % 11 == 0 else None)
        for n in range(80)
    )


def _inputs_recording(monkeypatch: pytest.MonkeyPatch) -> tuple[selectors.Inputs, list[tuple[str, str]]]:
    ran: list[tuple[str, str]] = []
    original = selectors._in_schema

    def recording(schema, work, *args):
        ran.append((threading.current_thread().name, schema))
        return original(schema, work, *args)

    monkeypatch.setattr(selectors, "_in_schema", recording)
    return selectors.snapshot_inputs(months=MONTHS, timezone="Europe/Madrid"), ran


def test_the_passes_at_once_give_the_serial_inputs_in_the_callers_schema(
    tenant_a, tenant_b, clean_tenant_tables, settings, monkeypatch
) -> None:
    with tenant_context(tenant_b):
        Lead.objects.create(id="other", created_at=dt.datetime(2026, 2, 2, tzinfo=MADRID),
                            first_contacted_at=dt.datetime(2026, 2, 9, tzinfo=MADRID))
    with tenant_context(tenant_a):
        _leads()
        settings.QUALIFICATION_PARALLEL_FROM = 10**9
        serial, ran = _inputs_recording(monkeypatch)
        assert ran == []
        assert serial.new_lead_stats[MONTHS[1]]["median_response_hours"] is not None  # the fixture has response times
        settings.QUALIFICATION_PARALLEL_FROM = 0
        at_once, ran = _inputs_recording(monkeypatch)
    assert [(name.startswith("lead-pass"), schema) for name, schema in ran] == [(True, "alpha")]
    assert at_once == serial


def test_inside_a_transaction_the_passes_run_on_the_callers_connection(
    tenant_a, clean_tenant_tables, settings, monkeypatch
) -> None:
    settings.QUALIFICATION_PARALLEL_FROM = 0
    with tenant_context(tenant_a), transaction.atomic():
        _leads()  # uncommitted: only this connection sees them
        inputs, ran = _inputs_recording(monkeypatch)
        assert connection.in_atomic_block
    assert ran == []
    assert inputs.lead_counts[MONTHS[0]]["new"]["count"] == 20
