"""A big client's passes over its leads run at once, on several connections sharing one snapshot,
and agree with one after the other.

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
IN_SNAPSHOT = selectors._in_snapshot


def _leads() -> None:
    leads = []
    for n in range(80):
        created = dt.datetime(2026, 1 + n % 4, 1 + n % 27, 9, tzinfo=MADRID)
        leads.append(
            Lead(id=f"q{n}", created_at=created, channel="email" if n % 5 else "", device="mobile" if n % 3 else "desktop",
                 first_contacted_at=created + dt.timedelta(hours=1 + n % 9) if n % 3 else None,
                 mql_at=created + dt.timedelta(days=n % 40) if n % 2 else None,
                 customer_at=created + dt.timedelta(days=20) if n % 7 == 0 else None, deal_value=100 + n if n % 7 == 0 else None,
                 unsubscribed_at=dt.datetime(2026, 4, 20, tzinfo=MADRID) if n % 11 == 0 else None)
        )  # fmt: skip
    Lead.objects.bulk_create(leads)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE clients_lead")  # the histogram of created_at the ranges are cut from


def _inputs_recording(monkeypatch: pytest.MonkeyPatch) -> tuple[selectors.Inputs, list[tuple[str, ...]]]:
    ran: list[tuple[str, ...]] = []
    original = IN_SNAPSHOT  # not an earlier call's recording

    def recording(schema, snapshot, local, work, *args):
        def reading_settings(*args):
            with connection.cursor() as cursor:
                cursor.execute("SELECT current_setting('enable_sort'), current_setting('transaction_isolation')")
                ran.append((threading.current_thread().name, schema, work.__name__, *cursor.fetchone()))
            return work(*args)

        return original(schema, snapshot, local, reading_settings, *args)

    monkeypatch.setattr(selectors, "_in_snapshot", recording)
    return selectors.snapshot_inputs(months=MONTHS, timezone="Europe/Madrid"), ran


def test_the_passes_at_once_give_the_serial_inputs_in_the_callers_schema(
    tenant_a, tenant_b, clean_tenant_tables, settings, monkeypatch
) -> None:
    with tenant_context(tenant_b):
        Lead.objects.create(
            id="other",
            created_at=dt.datetime(2026, 2, 2, tzinfo=MADRID),
            first_contacted_at=dt.datetime(2026, 2, 9, tzinfo=MADRID),
        )
    with tenant_context(tenant_a):
        _leads()
        settings.QUALIFICATION_PARALLEL_FROM = 10**9
        serial, ran = _inputs_recording(monkeypatch)
        assert ran == []
        assert serial.new_lead_stats[MONTHS[1]]["median_response_hours"] is not None  # the fixture has response times
        settings.QUALIFICATION_PARALLEL_FROM = 0
        settings.QUALIFICATION_WORKERS = 3
        at_once, ran = _inputs_recording(monkeypatch)
        settings.QUALIFICATION_WORKERS = 2
        two, ran_two = _inputs_recording(monkeypatch)
    assert sorted((name.startswith("lead-pass"), *rest) for name, *rest in ran) == [
        (True, "alpha", "_lead_scan_rows", "off", "repeatable read"),  # hashing its groups, in the shared snapshot
        (True, "alpha", "_percentiles_and_range", "on", "repeatable read"),
    ]  # three connections: the scan in two ranges of creation time (the caller's runs the first), the percentiles alone
    assert [(name.startswith("lead-pass"), *rest) for name, *rest in ran_two] == [
        (True, "alpha", "_percentiles_and_range", "on", "repeatable read")
    ]  # two: the caller's connection scans ¾ of the leads, the other runs the percentiles, then the last ¼
    assert at_once == serial
    assert two == serial


def test_the_connections_share_the_work_out_evenly(tenant_a, clean_tenant_tables) -> None:
    assert selectors._shares(1) == [1.0]
    assert selectors._shares(2) == [0.75, 0.25]  # the percentile pass costs about half a scan
    assert selectors._shares(3) == [0.5, 0.5, 0.0]
    assert selectors._shares(4) == pytest.approx([1 / 3, 1 / 3, 1 / 3, 0.0])  # the percentiles are more than a share
    with tenant_context(tenant_a):
        _leads()
        with connection.cursor() as cursor:
            cursor.execute("SELECT histogram_bounds::text::timestamptz[] FROM pg_stats WHERE tablename = 'clients_lead' "
                           "AND attname = 'created_at' AND schemaname = current_schema()")  # fmt: skip
            ((histogram,),) = cursor.fetchall()
        (cut,) = selectors._cuts(histogram, [0.75, 0.25])
        earlier = Lead.objects.filter(created_at__lt=cut).count()
        assert len(selectors._cuts(histogram, [0.5, 0.5, 0.0])) == 1  # no empty range at the end
    assert 50 <= earlier <= 70  # of 80
    assert selectors._cuts(histogram, [1.0]) == [] and selectors._cuts([], [0.75, 0.25]) == []


def test_the_connections_read_the_callers_snapshot_not_what_commits_meanwhile(
    tenant_a, clean_tenant_tables, settings, monkeypatch
) -> None:
    """A lead committed after the caller took its snapshot is counted by no range and no percentile,
    even by a connection that starts reading after that commit."""
    settings.QUALIFICATION_PARALLEL_FROM = 10**9
    with tenant_context(tenant_a):
        _leads()
        serial = selectors.snapshot_inputs(months=MONTHS, timezone="Europe/Madrid")
    committed = threading.Event()

    def commit_a_lead() -> None:
        try:
            connection.set_schema(tenant_a.schema_name)
            Lead.objects.create(
                id="late",
                created_at=dt.datetime(2026, 4, 27, 9, tzinfo=MADRID),
                first_contacted_at=dt.datetime(2026, 4, 27, 9, 5, tzinfo=MADRID),
                channel="email",
            )
        finally:
            connection.close()

    scan_rows, in_snapshot = selectors._lead_scan_rows, selectors._in_snapshot

    def first_range_after_a_commit(span, bounds, created=(None, None)):
        if threading.current_thread() is threading.main_thread() and not committed.is_set():
            writer = threading.Thread(target=commit_a_lead)
            writer.start()
            writer.join()
            committed.set()
        return scan_rows(span, bounds, created)

    def after_the_commit(*args):
        assert committed.wait(10)
        return in_snapshot(*args)

    monkeypatch.setattr(selectors, "_lead_scan_rows", first_range_after_a_commit)
    monkeypatch.setattr(selectors, "_in_snapshot", after_the_commit)
    settings.QUALIFICATION_PARALLEL_FROM = 0
    settings.QUALIFICATION_WORKERS = 3  # the pool's connection scanning the later range, with the late lead
    with tenant_context(tenant_a):
        at_once = selectors.snapshot_inputs(months=MONTHS, timezone="Europe/Madrid")
        assert Lead.objects.filter(id="late").exists()
        later = selectors.snapshot_inputs(months=MONTHS, timezone="Europe/Madrid")
    assert committed.is_set()
    assert at_once == serial
    assert later.lead_counts[MONTHS[3]]["new"]["count"] == serial.lead_counts[MONTHS[3]]["new"]["count"] + 1


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
