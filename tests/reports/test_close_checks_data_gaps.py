"""A funnel that skips the MQL stage (SQLs without MQLs: the criteria score no lead), end to end:
computed with the snapshots, stored, and listed on the month's close page in both languages with its
Look link; a normal month does not raise it (nor leads without a first-contact time, which are not a
check: see docs/monthly-close.md "Where the spec is silent")."""

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


def test_a_normal_month_with_mqls_and_contact_times_raises_neither(tenant_a, staff_a) -> None:
    with schema_context("alpha"):
        seed(sqls=16)
    snapshot_compute(client=tenant_a, months=MONTHS)
    assert _october_keys() == set()
    body = browser_for(staff_a, tenant_a, language="en").get("/reports/2026-10/").content.decode()
    assert "not one MQL" not in body and "first-contact time" not in body
