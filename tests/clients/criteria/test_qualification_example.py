"""The qualification engine on the worked example: its monthly MQLs, sales-ready leads and personas."""

from __future__ import annotations

import json

import pytest
from django.db import connection

from clients.criteria.services import criteria_version_create, leads_requalify, personas_set
from clients.models import Lead
from clients.services import data_import
from tests.example import EXAMPLE


def expected(month: str) -> dict:
    return json.loads((EXAMPLE / "expected" / f"{month}.json").read_text())


@pytest.fixture
def example_in_alpha(tenant_a):
    """The worked example (Europe/Madrid, like alpha) loaded through the documented services."""
    assert tenant_a.timezone == "Europe/Madrid"
    criteria_version_create(
        criteria=json.loads((EXAMPLE / "criteria.json").read_text()),
        effective_from=__import__("datetime").date(2025, 1, 1),
        client=tenant_a,
    )
    personas_set(personas=json.loads((EXAMPLE / "personas.json").read_text()), client=tenant_a)
    for kind in ("campaigns", "spend", "leads", "activities"):
        result = data_import(kind=kind, path_or_file=str(EXAMPLE / f"{kind}.csv"), client=tenant_a)
        assert result.ok, result.errors[:3]
    connection.set_tenant(tenant_a)
    yield tenant_a
    connection.set_schema_to_public()


MONTH_SQL = """
SELECT to_char(t AT TIME ZONE 'Europe/Madrid', 'YYYY-MM') AS month, count(*)
FROM (SELECT {column} AS t FROM clients_lead WHERE {column} IS NOT NULL) x GROUP BY 1
"""


def monthly(column: str) -> dict[str, int]:
    with connection.cursor() as cursor:
        cursor.execute(MONTH_SQL.format(column=column))
        return dict(cursor.fetchall())


MONTHS = [f"2025-{m:02d}" for m in range(9, 13)] + [f"2026-{m:02d}" for m in range(1, 5)]


def test_monthly_mqls_and_sales_ready_leads_match_the_example(example_in_alpha) -> None:
    mqls, ready = monthly("mql_at"), monthly("sales_ready_at")
    for month in MONTHS:
        kpis = expected(month)["kpis"]
        assert (month, mqls.get(month, 0)) == (month, kpis["mqls"])
        assert (month, ready.get(month, 0)) == (month, kpis["sales_ready_leads"])


def test_persona_breakdown_matches_the_example(example_in_alpha) -> None:
    for month in MONTHS:
        with connection.cursor() as cursor:
            cursor.execute(
                """SELECT persona, count(*) FROM clients_lead
                   WHERE persona <> '' AND to_char(created_at AT TIME ZONE 'Europe/Madrid', 'YYYY-MM') = %s
                   GROUP BY 1""",
                [month],
            )
            new_leads = dict(cursor.fetchall())
        for code, figures in expected(month)["breakdowns"]["persona"].items():
            assert (month, code, new_leads.get(code, 0)) == (month, code, figures["new_leads"])


def test_judging_again_changes_nothing(example_in_alpha) -> None:
    before = list(Lead.objects.order_by("id").values_list("id", "mql_at", "sales_ready_at", "persona", "criteria_version"))
    assert leads_requalify(client=example_in_alpha) == set()
    after = list(Lead.objects.order_by("id").values_list("id", "mql_at", "sales_ready_at", "persona", "criteria_version"))
    assert before == after


def test_the_explanation_of_each_lead_agrees_with_the_engine(example_in_alpha) -> None:
    from clients.records.selectors import lead_qualification_explain

    checked = fast_tracked = by_score = 0
    for lead in Lead.objects.select_related("campaign").prefetch_related("activities"):
        explained = lead_qualification_explain(lead=lead, timezone="Europe/Madrid")
        assert (explained["mql_at"], explained["ready_at"]) == (lead.mql_at, lead.sales_ready_at), lead.id
        checked += 1
        fast_tracked += explained["mql_at"] is not None and explained["fast_tracked"]
        by_score += explained["mql_at"] is not None and not explained["fast_tracked"]
    assert checked > 300 and fast_tracked > 0 and by_score > 0
