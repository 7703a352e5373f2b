"""Judging a big client in slices on parallel connections gives the serial answer, in the caller's schema.

The slices only run in parallel outside a transaction (other connections cannot see uncommitted
rows), so these tests commit.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.db import connection, transaction
from django_tenants.utils import tenant_context

from clients.criteria import qualification
from clients.criteria.qualification import leads_judge
from clients.models import Activity, CriteriaVersion, Lead

MADRID = ZoneInfo("Europe/Madrid")
START = dt.datetime(2025, 11, 3, 9, 0, tzinfo=MADRID)
CRITERIA = {
    "fit": {"field": "employees", "op": "gte", "value": 10},
    "threshold": 30,
    "points": [{"action": "webinar_signup", "points": 20}, {"field": "vertical", "op": "eq", "value": "saas", "points": 10}],
    "sales_ready_actions": ["demo_request"],
}
OUTCOME = ("id", "mql_at", "sales_ready_at", "persona", "criteria_version")

pytestmark = pytest.mark.django_db(transaction=True)


def _leads_over_a_year() -> None:
    """60 leads, one every ~6 days; every other one earns its points from two webinars, every fifth asks for a demo."""
    leads, activities = [], []
    for n in range(60):
        created = START + dt.timedelta(days=6 * n, hours=n % 7)
        leads.append(Lead(id=f"p{n}", created_at=created, employees=5 if n % 9 == 0 else 40, vertical="saas" if n % 3 else ""))
        if n % 2 == 0:
            activities += [
                Activity(id=f"p{n}-w1", lead_id=f"p{n}", action="webinar_signup", occurred_at=created + dt.timedelta(days=1)),
                Activity(id=f"p{n}-w2", lead_id=f"p{n}", action="webinar_signup", occurred_at=created + dt.timedelta(days=40)),
            ]
        if n % 5 == 0:
            demo = created + dt.timedelta(days=3)
            activities.append(Activity(id=f"p{n}-d", lead_id=f"p{n}", action="demo_request", occurred_at=demo))
    Lead.objects.bulk_create(leads)
    Activity.objects.bulk_create(activities)
    CriteriaVersion.objects.create(version=1, effective_from=dt.date(2025, 1, 1), criteria=CRITERIA)
    CriteriaVersion.objects.create(version=2, effective_from=dt.date(2026, 5, 1), criteria={**CRITERIA, "threshold": 20})


def _outcomes() -> list[tuple]:
    return list(Lead.objects.order_by("id").values_list(*OUTCOME))


def _forget() -> None:
    Lead.objects.update(mql_at=None, sales_ready_at=None, persona="", criteria_version=None)


def _judge_recording_slices(monkeypatch: pytest.MonkeyPatch, *, workers: int) -> tuple[set[str], list[str]]:
    """Judge; return the months touched and the schema each parallel slice ran in (none: not sliced)."""
    ran_in: list[str] = []
    original = qualification._run_in_schema
    monkeypatch.setattr(qualification, "_run_in_schema", lambda schema, sql: ran_in.append(schema) or original(schema, sql))
    try:
        return leads_judge(timezone="Europe/Madrid", workers=workers), ran_in
    finally:
        monkeypatch.setattr(qualification, "_run_in_schema", original)


def test_slices_on_parallel_connections_give_the_serial_outcome(
    tenant_a, tenant_b, clean_tenant_tables, settings, monkeypatch
) -> None:
    settings.QUALIFICATION_PARALLEL_FROM = 0
    with tenant_context(tenant_b):
        Lead.objects.create(id="p2", created_at=START, employees=40)  # same id, other client, no criteria
    with tenant_context(tenant_a):
        _leads_over_a_year()
        serial_months = leads_judge(timezone="Europe/Madrid", workers=1)
        serial = _outcomes()
        assert sum(1 for row in serial if row[1]) >= 20  # the fixture really qualifies leads, in both versions
        assert {row[4] for row in serial} == {1, 2}
        _forget()
        parallel_months, ran_in = _judge_recording_slices(monkeypatch, workers=3)
        assert _outcomes() == serial
        assert parallel_months == serial_months
        assert len(ran_in) >= 3 and set(ran_in) == {"alpha"}  # sliced, every slice in the caller's schema
    with tenant_context(tenant_b):
        assert Lead.objects.get(id="p2").criteria_version is None  # the other client's same-named lead is untouched


def test_inside_a_transaction_the_slices_run_on_the_callers_connection(tenant_a, clean_tenant_tables, settings) -> None:
    settings.QUALIFICATION_PARALLEL_FROM = 0
    with tenant_context(tenant_a):
        _leads_over_a_year()
        leads_judge(timezone="Europe/Madrid", workers=1)
        expected = _outcomes()
        _forget()
        with transaction.atomic():
            Lead.objects.filter(id="p0").update(employees=40)  # uncommitted: only this connection sees it
            leads_judge(timezone="Europe/Madrid", workers=3)
            assert Lead.objects.get(id="p0").mql_at is not None
            assert [row for row in _outcomes() if row[0] != "p0"] == [row for row in expected if row[0] != "p0"]


def test_slicing_starts_at_the_configured_number_of_leads(tenant_a, clean_tenant_tables, settings, monkeypatch) -> None:
    with tenant_context(tenant_a):
        with connection.cursor() as cursor:  # analyzed while empty, as autovacuum may: the estimate says 0
            cursor.execute("ANALYZE clients_lead")
        _leads_over_a_year()
        assert qualification._lead_estimate() == 60  # a stale (or never made, -1) small estimate: counted
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE clients_lead")
        assert qualification._lead_estimate() == 60  # analyzed: the planner's figure
        for threshold, sliced in ((61, False), (60, True)):
            settings.QUALIFICATION_PARALLEL_FROM = threshold
            assert bool(_judge_recording_slices(monkeypatch, workers=2)[1]) is sliced
