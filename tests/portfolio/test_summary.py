"""The public portfolio summary mirrors each snapshot's headline figures, in the same transaction."""

from __future__ import annotations

import datetime as dt
import importlib
from unittest import mock

import pytest
from django.apps import apps as django_apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import tenant_context

from agency.models import Client
from clients.models import Campaign, EmailRow, Lead, Spend
from kpis.models import Snapshot
from kpis.portfolio import portfolio_rows
from kpis.services import snapshot_compute
from portfolio.models import ClientMonthSummary

MARCH = dt.date(2026, 3, 1)


def _leads(client: Client, count: int) -> None:
    with tenant_context(client):
        Lead.objects.bulk_create(
            [Lead(id=f"{client.slug}-{i}", created_at=dt.datetime(2026, 3, 10, 12, tzinfo=dt.UTC)) for i in range(count)]
        )


def test_each_clients_snapshot_lands_in_the_public_summary(tenant_a, tenant_b, admin_user) -> None:
    _leads(tenant_a, 4)
    _leads(tenant_b, 2)
    with tenant_context(tenant_a):
        Spend.objects.create(id="s", date=dt.date(2026, 3, 2), category="media", amount=200)
    snapshot_compute(client=tenant_a, months=[MARCH])
    snapshot_compute(client=tenant_b, months=[MARCH])
    connection.set_schema_to_public()
    rows = {row.slug: row for row in portfolio_rows(user=admin_user, month=MARCH)}  # the portfolio reads the summary
    assert (rows["alpha"].new_leads, rows["alpha"].marketing_spend, rows["alpha"].cpl) == (4, 200.0, 50.0)
    assert (rows["beta"].new_leads, rows["beta"].cpl, rows["beta"].cac) == (2, 0.0, None)  # no spend: 0 per lead, no customers
    with tenant_context(tenant_a):
        snapshot = Snapshot.objects.get(month=MARCH)
    assert rows["alpha"].computed_at == snapshot.computed_at


def test_recomputing_updates_the_one_summary_row(tenant_a) -> None:
    _leads(tenant_a, 1)
    snapshot_compute(client=tenant_a, months=[MARCH])
    with tenant_context(tenant_a):
        Lead.objects.create(id="late", created_at=dt.datetime(2026, 3, 20, tzinfo=dt.UTC))
    snapshot_compute(client=tenant_a, months=[MARCH])
    assert list(ClientMonthSummary.objects.filter(client=tenant_a).values_list("month", "new_leads")) == [(MARCH, 2)]


def test_a_failing_summary_write_leaves_no_snapshot_either(tenant_a) -> None:
    _leads(tenant_a, 1)
    with mock.patch("kpis.services.client_month_summary_upsert", side_effect=RuntimeError("boom")), pytest.raises(RuntimeError):
        snapshot_compute(client=tenant_a, months=[MARCH])
    with tenant_context(tenant_a):
        assert not Snapshot.objects.exists()


def test_the_portfolio_month_is_one_query_for_any_number_of_clients(tenant_a, tenant_b, admin_user) -> None:
    for client in (tenant_a, tenant_b):
        _leads(client, 1)
        snapshot_compute(client=client, months=[MARCH])
    connection.set_schema_to_public()
    with CaptureQueriesContext(connection) as queries:
        rows = [(row.name, row.new_leads) for row in portfolio_rows(user=admin_user, month=MARCH)]
    selects = [q for q in queries.captured_queries if not q["sql"].startswith("SET search_path")]
    assert len(rows) == 2 and len(selects) == 1


def test_the_summary_upsert_stores_every_value_as_given(tenant_a) -> None:
    """agency.upsert sends the rows as one JSON parameter: floats come back bit for bit, None stays
    NULL where the column allows it, an aware datetime keeps its microseconds; a second write updates."""
    from portfolio.services import client_month_summary_upsert

    at = dt.datetime(2026, 4, 1, 9, 30, 15, 123456, tzinfo=dt.UTC)
    figures = {"sessions": 12, "new_leads": 3, "marketing_spend": 0.1 + 0.2, "revenue": 1e-300, "cpl": 2.8306891181623515,
               "cac": None, "romi": -123456789.98765432, "contract_ltv": 23383.88763637598, "mrr": 124500}
    snapshot = Snapshot(month=MARCH, computed_at=at, criteria_version=None, document={"kpis": figures})
    client_month_summary_upsert(client=tenant_a, snapshots=[snapshot])
    row = ClientMonthSummary.objects.get(client=tenant_a, month=MARCH)
    assert (row.marketing_spend, row.revenue, row.cpl, row.romi, row.contract_ltv) == (
        0.1 + 0.2, 1e-300, 2.8306891181623515, -123456789.98765432, 23383.88763637598
    )
    assert (row.cac, row.gross_mrr_churn_rate, row.mqls, row.mrr, row.computed_at) == (None, None, 0, 124500.0, at)
    snapshot.document = {"kpis": {**figures, "new_leads": 4, "cac": 7.5}}
    client_month_summary_upsert(client=tenant_a, snapshots=[snapshot])
    assert list(ClientMonthSummary.objects.filter(client=tenant_a).values_list("new_leads", "cac")) == [(4, 7.5)]


def test_the_snapshots_typed_columns_are_its_documents_figures(tenant_a) -> None:
    """kpis.services reads the headline columns from the stored document in SQL: they must be the
    figures ``Snapshot.figures_from`` takes from it (a float to the last bit, 0 or NULL when undefined)."""
    _leads(tenant_a, 3)
    with tenant_context(tenant_a):
        Spend.objects.create(id="s", date=dt.date(2026, 3, 2), category="media", amount="100.10")
    snapshot_compute(client=tenant_a, months=[MARCH, dt.date(2026, 4, 1)])
    with tenant_context(tenant_a):
        snapshots = list(Snapshot.objects.order_by("month"))
    assert [s.month for s in snapshots] == [MARCH, dt.date(2026, 4, 1)]
    for snapshot in snapshots:
        stored = {name: getattr(snapshot, name) for name in Snapshot.HEADLINE}
        assert stored == Snapshot.figures_from(snapshot.document["kpis"], Snapshot.HEADLINE)
        assert snapshot.criteria_version == snapshot.document["criteria_version"]
    assert (snapshots[0].new_leads, snapshots[0].cpl, snapshots[0].cac) == (3, 100.1 / 3, None)
    assert (snapshots[1].new_leads, snapshots[1].cpl) == (0, None)


def test_the_migration_fills_has_data_of_existing_rows_from_each_clients_snapshots(tenant_a, tenant_b) -> None:
    """Rows written before the column say what the month's page says at once, not after a recompute:
    email results alone are data (the summary has no count of them), a month of nothing is not."""
    with tenant_context(tenant_a):
        campaign = Campaign.objects.create(id="news", name="Newsletter", channel="email")
        EmailRow.objects.create(date=dt.date(2026, 3, 12), campaign=campaign, sent=900, delivered=880)
    snapshot_compute(client=tenant_a, months=[MARCH])
    snapshot_compute(client=tenant_b, months=[MARCH])
    connection.set_schema_to_public()
    ClientMonthSummary.objects.update(has_data=None)  # as the column's AddField leaves them
    migration = importlib.import_module("portfolio.migrations.0017_clientmonthsummary_has_data")
    with connection.schema_editor() as editor:
        migration.fill(django_apps, editor)
    assert dict(ClientMonthSummary.objects.filter(month=MARCH).values_list("client__slug", "has_data")) == {
        "alpha": True, "beta": False,
    }
