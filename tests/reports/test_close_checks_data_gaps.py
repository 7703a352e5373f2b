"""The two checks of data that makes a figure meaningless, end to end: a funnel that skips the MQL
stage (SQLs without MQLs: the criteria score no lead) and leads that never carry a first-contact
time. Computed with the snapshots, stored, and listed on the month's close page in both languages
with their Look links; a normal month raises neither."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django_tenants.utils import schema_context

from kpis.models import CheckResult
from kpis.services import snapshot_compute
from tests.kpis.test_checks_stored import MONTHS, OCT, seed
from tests.reports.conftest import browser_for

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _november():
    with time_machine.travel(dt.datetime(2026, 11, 10, 9, tzinfo=dt.UTC), tick=False):
        yield


def _october_keys() -> set[str]:
    with schema_context("alpha"):
        return set(CheckResult.objects.filter(month=OCT.first_day).values_list("key", flat=True))


def test_sqls_without_mqls_are_stored_and_shown_with_the_criteria_editor(tenant_a, staff_a) -> None:
    with schema_context("alpha"):
        seed(sqls=16, mqls=False)
    snapshot_compute(client=tenant_a, months=MONTHS)
    assert _october_keys() == {"tracking.mql_stage_skipped"}
    with schema_context("alpha"):
        found = CheckResult.objects.get(month=OCT.first_day, key="tracking.mql_stage_skipped")
        assert found.link == reverse("criteria_edit", urlconf="agency.urls_tenant") == "/criteria/new/"
        assert (found.severity, found.figures["sqls"], found.figures["customers"]) == ("high", 16, 0)
    english = browser_for(staff_a, tenant_a, language="en").get("/reports/2026-10/").content.decode()
    assert "This month has SQLs (16) and customers (0) but not one MQL" in english
    assert 'href="/criteria/new/"' in english and 'name="checks_reason"' in english  # high: approving asks why
    spanish = browser_for(staff_a, tenant_a, language="es").get("/reports/2026-10/").content.decode()
    assert "Este mes tiene SQL (16) y clientes (0) pero ni un solo MQL" in spanish


def test_leads_never_carrying_a_contact_time_are_stored_and_shown_with_the_imports(tenant_a, staff_a) -> None:
    with schema_context("alpha"):
        seed(contacted=False)
    snapshot_compute(client=tenant_a, months=MONTHS)
    assert _october_keys() == {"coverage.no_contact_times"}
    with schema_context("alpha"):
        found = CheckResult.objects.get(month=OCT.first_day, key="coverage.no_contact_times")
        assert found.link == reverse("imports", urlconf="agency.urls_tenant") == "/imports/"
        assert (found.severity, found.figures["leads"]) == ("medium", 60)
    english = browser_for(staff_a, tenant_a, language="en").get("/reports/2026-10/").content.decode()
    assert "None of the 60 new leads of the month has a first-contact time" in english
    assert 'href="/imports/"' in english
    spanish = browser_for(staff_a, tenant_a, language="es").get("/reports/2026-10/").content.decode()
    assert "Ninguno de los 60 leads nuevos del mes tiene hora de primer contacto" in spanish
    assert "«Sin contactar» no se pueden valorar" in spanish


def test_a_normal_month_with_mqls_and_contact_times_raises_neither(tenant_a, staff_a) -> None:
    with schema_context("alpha"):
        seed(sqls=16)
    snapshot_compute(client=tenant_a, months=MONTHS)
    assert _october_keys() == set()
    body = browser_for(staff_a, tenant_a, language="en").get("/reports/2026-10/").content.decode()
    assert "not one MQL" not in body and "first-contact time" not in body
