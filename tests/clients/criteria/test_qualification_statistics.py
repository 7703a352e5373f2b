"""The judge refreshes the planner's row counts of leads and activities when an import has left them
stale: with a table believed empty the planner joined the per-lead outcome by a nested loop and one
demo client's judge ran for minutes (a CI run stuck in tests/kpis/test_demo_checks.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django_tenants.utils import tenant_context

from clients.criteria.qualification import leads_judge, statistics_refresh
from clients.models import Activity, CriteriaVersion, Lead

pytestmark = pytest.mark.django_db
START = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)
CRITERIA = {"fit": {}, "threshold": 10, "points": [{"action": "webinar_signup", "points": 10}], "sales_ready_actions": []}


def _believed(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass", [table])
        return cursor.fetchone()[0]


def _believe_empty() -> None:
    """What an import leaves before autovacuum: the planner's counts from before its rows."""
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE pg_class SET reltuples = 0, relpages = 0 "
            "WHERE oid IN ('clients_lead'::regclass, 'clients_activity'::regclass)"
        )


def _leads(count: int) -> None:
    Lead.objects.bulk_create(Lead(id=f"s{n}", created_at=START + dt.timedelta(hours=n)) for n in range(count))
    Activity.objects.bulk_create(
        Activity(id=f"s{n}-w", lead_id=f"s{n}", action="webinar_signup", occurred_at=START + dt.timedelta(hours=n, minutes=5))
        for n in range(0, count, 2)
    )
    CriteriaVersion.objects.create(version=1, effective_from=dt.date(2025, 1, 1), criteria=CRITERIA)


def test_the_judge_analyzes_tables_an_import_left_believed_empty(tenant_a) -> None:
    with tenant_context(tenant_a):
        _leads(1200)
        _believe_empty()
        leads_judge(timezone="UTC", months=["2026-01", "2026-02"])
        assert _believed("clients_lead") == 1200
        assert _believed("clients_activity") == 600
        assert Lead.objects.filter(mql_at__isnull=False).count() == 600  # and judged them as before


def test_counts_near_the_truth_are_left_alone(tenant_a) -> None:
    with tenant_context(tenant_a):
        _leads(1200)
        _believe_empty()
        assert statistics_refresh() == ["clients_lead", "clients_activity"]
        Lead.objects.create(id="one-more", created_at=START)
        assert statistics_refresh() == []  # one row more is no reason to ANALYZE again


def test_a_small_table_off_by_a_few_rows_is_not_analyzed(tenant_a) -> None:
    with tenant_context(tenant_a):
        _leads(40)
        _believe_empty()
        assert statistics_refresh() == []  # 40 rows: no plan goes wrong enough to matter
