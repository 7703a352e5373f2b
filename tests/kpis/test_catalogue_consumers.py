"""The snapshot document, the CSV and PDF exports, the monthly email and the benchmark screens read
the KPI catalogue (kpis/catalogue.py): its order, labels, headline figures, units and benchmark fit."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client as HttpClient
from django.utils import translation
from django_tenants.utils import schema_context

from clients.outbox import outbox_send_due
from kpis.catalogue import BREAKDOWN_KEYS, GROUPS, KPI_KEYS, KPIS, Unit, kpi, kpis_in
from kpis.models import Snapshot
from portfolio.forms import BenchmarkForm
from portfolio.models import Benchmark
from portfolio.seed import BENCHMARKS
from portfolio.services import benchmark_save
from reports.services import month_approve
from tests.conftest import host_of, march_with_leads

MARCH = dt.date(2026, 3, 1)
march = march_with_leads  # the fixture (alpha, three March leads, the snapshot) under the name these tests use


def get(user, path: str, tenant):
    http = HttpClient()
    http.force_login(user)
    response = http.get(path, HTTP_HOST=host_of(tenant))
    assert response.status_code == 200
    return response


def test_the_exported_snapshot_document_has_the_catalogues_keys_in_its_order(march) -> None:
    out = io.StringIO()
    call_command("export_snapshot", "alpha", "--month", "2026-03", stdout=out)
    document = json.loads(out.getvalue())
    # the monthly close's keys (#13), the month's checks (#21) and the CRM leads no campaign matches
    # (null here: this month's leads name their campaigns), after the document
    close = ["state", "approved_at", "revision_pending", "revisions", "checks", "crm_leads_unmatched", "spend_not_loaded",
             "first_contact_not_sent", "figures_not_facts"]
    assert list(document) == ["client", "month", "computed_at", "criteria_version", "kpis", "breakdowns", *close]
    assert document["crm_leads_unmatched"] is None
    assert list(document["kpis"]) == list(KPI_KEYS)  # jsonb stores keys sorted by length; the export restores the order
    assert list(document["breakdowns"]) == list(BREAKDOWN_KEYS)
    with schema_context("alpha"):
        stored = Snapshot.objects.get(month=MARCH).document
    assert {key: value for key, value in document.items() if key not in close} == stored  # the same document, only ordered


def test_the_csv_export_lists_the_catalogue_group_by_group_with_its_labels(client_user_a, march) -> None:
    rows = list(csv.reader(io.StringIO(get(client_user_a, "/scorecard/export.csv?month=2026-03", march).content.decode())))
    with translation.override("en"):
        expected = [[str(g.title), k.key, str(k.label)] for g in GROUPS for k in kpis_in(g.key)]
    assert [[row[0], row[-1], row[1]] for row in rows[1:]] == expected  # group, key (last), label
    assert next(row[:3] for row in rows if row[-1] == "new_leads") == ["Leads and funnel", "New leads", "3"]


def test_the_pdf_export_carries_the_catalogues_labels(client_user_a, march) -> None:
    pdf = get(client_user_a, "/scorecard/export.pdf?month=2026-03", march).content
    assert pdf.startswith(b"%PDF")


def test_the_monthly_email_lists_the_headline_kpis_in_the_catalogues_order(tenant_a, client_user_a, march) -> None:
    from kpis.selectors_report import report_summary_keys

    client_user_a.email = "ann@alpha.example"
    client_user_a.save()
    month_approve(client=tenant_a, month=MARCH, user=None)  # the monthly email is the approved report's
    assert outbox_send_due(client=tenant_a) == 1
    body = mail.outbox[0].body
    with translation.override("en"), schema_context("alpha"):
        labels = [str(kpi(key).label) for key in report_summary_keys(client=tenant_a)]  # the report's summary, in its order
    positions = [body.find(f"{label}: ") for label in labels]
    assert -1 not in positions and positions == sorted(positions), body
    assert "New leads: 3" in body and f"{kpi('working_days').label}:" not in body  # headline figures only


def test_the_scorecard_tile_says_what_the_kpi_means(client_user_a, march) -> None:
    body = get(client_user_a, "/scorecard/?month=2026-03", march).content.decode()
    assert 'title="Leads created in the month."' in body and 'id="def-new_leads"' in body


@pytest.fixture
def admin_http(admin_user):
    http = HttpClient()
    http.force_login(admin_user)
    return http


def test_the_benchmark_form_offers_the_benchmarkable_kpis_by_label_and_asks_no_unit(admin_user) -> None:
    with translation.override("en"):
        form = BenchmarkForm()
        offered = [key for _title, options in form.fields["kpi"].choices for key, _label in options]
        labels = {key: str(label) for _title, options in form.fields["kpi"].choices for key, label in options}
    assert offered == [k.key for k in KPIS if k.benchmarkable]
    assert labels["cpl"] == "Cost per lead" and "sessions" not in offered and "unit" not in form.fields


def test_a_benchmark_takes_its_kpis_unit_and_only_a_benchmarkable_kpi(admin_user) -> None:
    values = {"label": "Study", "low": 0.1, "high": 0.2, "source_name": "A study"}
    band = benchmark_save(benchmark=None, values={**values, "kpi": "open_rate"}, user=admin_user)
    assert band.unit == Unit.RATE == kpi("open_rate").unit
    band = benchmark_save(benchmark=band, values={"kpi": "median_response_hours", "low": 1, "high": 4}, user=admin_user)
    assert Benchmark.objects.get(pk=band.pk).unit == "hours"
    with pytest.raises(ValidationError) as error:
        benchmark_save(benchmark=None, values={**values, "kpi": "sessions"}, user=admin_user)  # a client-sized total
    assert "kpi" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        benchmark_save(benchmark=None, values={**values, "kpi": "cpl", "unit": "count", "currency": "EUR"}, user=admin_user)
    assert "unit" in error.value.message_dict
    assert not Benchmark.objects.filter(label="Study", kpi__in=["sessions", "cpl"]).exists()


def test_the_shipped_benchmarks_are_in_their_kpis_catalogue_unit() -> None:
    assert [(b["kpi"], b["unit"]) for b in BENCHMARKS] == [(b["kpi"], kpi(b["kpi"]).unit.value) for b in BENCHMARKS]
    assert all(kpi(b["kpi"]).benchmarkable for b in BENCHMARKS)


def test_the_migration_renames_the_old_fraction_unit_to_rate(db) -> None:
    from importlib import import_module
    from types import SimpleNamespace

    from django.apps import apps
    from django.db import connection

    migration = import_module("portfolio.migrations.0004_benchmark_catalogue_units")
    band = Benchmark.objects.create(kpi="open_rate", label="Old", low=0.2, unit="fraction", source_name="s")
    migration.fraction_to_rate(apps, SimpleNamespace(connection=connection))
    band.refresh_from_db()
    assert band.unit == "rate"
    migration.rate_to_fraction(apps, SimpleNamespace(connection=connection))
    band.refresh_from_db()
    assert band.unit == "fraction"
