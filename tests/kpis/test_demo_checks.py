"""The demo's checks: Acme's incident month shows a source gap, a tracking break and a reconciliation
gap; a client generated the same way without the incident shows none."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command
from django_tenants.utils import schema_context

from kpis.demo import demo_incident
from kpis.models import CheckResult
from kpis.selectors import data_months
from kpis.services import snapshot_compute

pytestmark = pytest.mark.django_db
OCTOBER = dt.date(2026, 10, 1)


@pytest.fixture(autouse=True)
def _december():
    with time_machine.travel(dt.datetime(2026, 12, 6, 9, tzinfo=dt.UTC), tick=False):
        yield


def generate(tenant, slug: str) -> list[dt.date]:
    """The demo's data as seed_demo makes it (14 months, 120 leads a month, the client's seed)."""
    call_command("generate_demo_data", tenant.slug, months=14, leads_per_month=120, seed=sum(map(ord, slug)))
    with schema_context(tenant.schema_name):
        months = data_months(timezone=tenant.timezone)
    snapshot_compute(client=tenant, months=months)
    return months


def checks(tenant, month: dt.date) -> set[str]:
    with schema_context(tenant.schema_name):
        return set(CheckResult.objects.filter(month=month).values_list("key", flat=True))


def test_the_incident_month_shows_a_gap_a_tracking_break_and_a_reconciliation_gap(tenant_a) -> None:
    generate(tenant_a, "acme")
    assert checks(tenant_a, OCTOBER) == set()
    demo_incident(client=tenant_a, month=OCTOBER)
    assert checks(tenant_a, OCTOBER) == {"coverage.source_gap", "tracking.leads_unattributed", "reconciliation.revenue_zero"}
    assert checks(tenant_a, dt.date(2026, 11, 1)) == set()


def test_the_clean_demo_client_has_no_check_in_any_month(tenant_b) -> None:
    months = generate(tenant_b, "globex")
    with schema_context(tenant_b.schema_name):
        found = list(CheckResult.objects.filter(month__in=months).values_list("month", "key", "subject"))
    assert found == []


def test_the_demo_client_fed_by_export_files_has_mqls_and_a_clean_month(tenant_b, settings, tmp_path) -> None:
    """Umbrella's contacts export carries no website activity: its criteria score what HubSpot knows
    of the company, so its months have MQLs before their SQLs and customers (no skipped MQL stage,
    which the checks would rightly flag in every month), and its last complete month is clean for
    the board's bulk approval."""
    from clients.sources.demo import demo_sources_seed
    from kpis.models import Snapshot

    settings.MEDIA_ROOT = tmp_path / "media"
    demo_sources_seed(client=tenant_b, months=3, seed=sum(map(ord, "umbrella")), leads_per_month=60, directory=tmp_path)
    with schema_context(tenant_b.schema_name):
        months = data_months(timezone=tenant_b.timezone)
    snapshot_compute(client=tenant_b, months=months)
    with schema_context(tenant_b.schema_name):
        for month in (OCTOBER, dt.date(2026, 11, 1)):
            kpis = Snapshot.objects.get(month=month).document["kpis"]
            assert kpis["mqls"] >= 10 and kpis["sqls"] >= 3, (month, kpis["mqls"], kpis["sqls"])
            assert kpis["mqls"] > kpis["sqls"] >= kpis["customers"]
    for month in (OCTOBER, dt.date(2026, 11, 1)):
        assert not checks(tenant_b, month) & {"tracking.mql_stage_skipped", "tracking.no_mqls"}
    assert checks(tenant_b, dt.date(2026, 11, 1)) == set()
