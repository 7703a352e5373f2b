"""A month whose checks never ran (its figures computed before the checks existed) is not "clean" on the
close board, and its own page no longer says "The checks found nothing to look at" either: nobody looked.
It says so, and how to run them."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django_tenants.utils import schema_context

from clients.models import Lead
from kpis.models import CheckResult
from kpis.services import snapshot_compute
from portfolio.models import ClientMonthChecks
from tests.reports.conftest import MARCH, browser_for

pytestmark = pytest.mark.django_db
APRIL_5 = dt.datetime(2026, 4, 5, 12, tzinfo=dt.UTC)


def _checks_card(user, tenant, language: str) -> str:
    with time_machine.travel(APRIL_5):
        page = browser_for(user, tenant, language=language).get("/reports/2026-03/").content.decode()
    return page[page.index('id="close-checks"'):].split("</section>")[0]


@pytest.mark.parametrize(("language", "not_run", "clean"), [
    ("en", "The checks have not run on this month", "The checks found nothing to look at"),
    ("es", "Las comprobaciones aún no se han ejecutado", "Las comprobaciones no encontraron nada"),
])
def test_a_month_whose_checks_never_ran_says_so_not_that_they_found_nothing(
    tenant_a, admin_user, language, not_run, clean
) -> None:
    with schema_context("alpha"):
        Lead.objects.create(id="l1", created_at=dt.datetime(2026, 3, 10, tzinfo=dt.UTC))
    snapshot_compute(client=tenant_a, months=[MARCH])
    with schema_context("alpha"):  # as a month computed before the checks existed left it
        CheckResult.objects.all().delete()
    ClientMonthChecks.objects.filter(client=tenant_a).delete()

    card = _checks_card(admin_user, tenant_a, language)
    assert "data-checks-not-run" in card and not_run in card, card
    assert clean not in card, card

    ClientMonthChecks.objects.create(client=tenant_a, month=MARCH)  # the checks ran and found nothing
    card = _checks_card(admin_user, tenant_a, language)
    assert "data-checks-not-run" not in card and clean in card, card
