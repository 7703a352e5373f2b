"""A month with nothing recorded in it (a new client before its first import) is not ready for review:
it read "In review" on the board and its page, beside an Approve that sent a report of zeros. It now
stays open, reads "Waiting for data" ("Sin datos aún"), and Approve says why there is nothing to
approve; once its data is in, it goes to review by itself."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django_tenants.utils import schema_context

from clients.models import Lead
from kpis.services import snapshot_compute
from portfolio.models import ClientMonthClose
from reports.models import MonthReport
from reports.services import ApprovalRefused, month_approve, month_reviews_start
from tests.reports.conftest import MARCH, browser_for

pytestmark = pytest.mark.django_db
APRIL_5 = dt.datetime(2026, 4, 5, 12, tzinfo=dt.UTC)  # past alpha's three settling days after March


def _state(tenant) -> str:
    with schema_context(tenant.schema_name):
        return MonthReport.objects.get(month=MARCH).state


def test_a_month_with_nothing_recorded_stays_open_and_goes_to_review_once_its_data_is_in(tenant_a) -> None:
    assert month_reviews_start(client=tenant_a, at=APRIL_5) is None  # not moved to review
    assert _state(tenant_a) == "open"
    snapshot_compute(client=tenant_a, months=[MARCH])  # figures of nothing: still nothing recorded
    assert _state(tenant_a) == "open"
    with schema_context("alpha"):
        Lead.objects.create(id="l1", created_at=dt.datetime(2026, 3, 10, tzinfo=dt.UTC))
    snapshot_compute(client=tenant_a, months=[MARCH])  # its data is in: to review at once, not at beat's next run
    assert _state(tenant_a) == "in_review"
    assert ClientMonthClose.objects.get(client=tenant_a, month=MARCH).state == "in_review"


def test_approving_a_month_with_nothing_recorded_is_refused_and_says_why(tenant_a, admin_user) -> None:
    month_reviews_start(client=tenant_a, at=APRIL_5)
    snapshot_compute(client=tenant_a, months=[MARCH])
    with pytest.raises(ApprovalRefused, match="Nothing is recorded in this month yet"):
        month_approve(client=tenant_a, month=MARCH, user=admin_user)


@pytest.mark.parametrize(("language", "badge", "square", "approve_said"), [
    ("en", "Waiting for data", "March 2026: waiting for data", "Nothing is recorded in March 2026 yet"),
    ("es", "Sin datos aún", "marzo de 2026: sin datos aún", "Aún no hay nada registrado en marzo de 2026"),
])
def test_the_board_and_the_month_page_say_the_month_waits_for_its_data(
    tenant_a, admin_user, language, badge, square, approve_said
) -> None:
    snapshot_compute(client=tenant_a, months=[MARCH])
    with time_machine.travel(APRIL_5):
        board = browser_for(admin_user, None, language=language).get("/board/?month=2026-03").content.decode()
        page = browser_for(admin_user, tenant_a, language=language).get("/reports/2026-03/").content.decode()
    table = board.split('id="board-table"', 1)[1].split('class="legend"')[0]
    assert f'<span class="badge state-no_data">{badge}</span>' in table, table
    assert set(re.findall(r'class="sq sq-no_data"[^>]*title="([^"]+)"', table)) == {square}  # alpha's and beta's March
    assert {"en": "In review", "es": "En revisión"}[language] not in table
    assert f'data-state="no_data">{badge}</span>' in page
    approve = page[page.index('id="close-approve"'):].split("</section>")[0]
    assert "data-waiting-data" in approve and "<form" not in approve, approve
    assert approve_said in approve, approve
    assert "Approve and send to the client" not in page and "Aprobar y enviar al cliente" not in page
    # The checks card does not call a month without data clean ("found nothing to look at").
    checks = page[page.index('id="close-checks"'):].split("</section>")[0]
    assert "data-checks-waiting" in checks and "nothing to look at" not in checks and "nada que revisar" not in checks, checks
