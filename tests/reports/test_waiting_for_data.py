"""A month with nothing recorded in it (a new client before its first import) is not ready for review:
it read "In review" on the board and its page, beside an Approve that sent a report of zeros. It now
stays open, reads "Waiting for data" ("Sin datos aún"), and Approve says why there is nothing to
approve; once its data is in, it goes to review by itself."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.core.cache import cache
from django.db import transaction
from django.utils import translation
from django_tenants.utils import schema_context, tenant_context

from agency.models import Client
from clients.models import Campaign, EmailRow, Lead
from kpis.services import snapshot_compute
from portfolio.models import ClientMonthClose, ClientMonthSummary
from portfolio.selectors import month_closes_waiting
from reports.models import MonthReport
from reports.services import ApprovalRefused, month_approve, month_close_mirror, month_reviews_start
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


APRIL_2 = dt.datetime(2026, 4, 2, 12, tzinfo=dt.UTC)  # March has ended; alpha's three settling days have not


def _emails_only(tenant) -> None:
    """March's only data: a newsletter's email results (no lead, session, spend or contract)."""
    with schema_context(tenant.schema_name):
        campaign = Campaign.objects.create(id="news", name="Newsletter", channel="email")
        EmailRow.objects.create(date=dt.date(2026, 3, 12), campaign=campaign, sent=900, delivered=880, unique_opens=300,
                                unique_clicks=40, unsubscribes=2)
    snapshot_compute(client=tenant, months=[MARCH])


def _board_cell(user, tenant, language: str = "en") -> tuple[str, set[str]]:
    """The chosen month's badge of ``tenant``'s row and its March squares' words, as the board shows them."""
    board = browser_for(user, None, language=language).get("/board/?month=2026-03").content.decode()
    table = board.split('id="board-table"', 1)[1].split('class="legend"')[0]
    row = table[table.index(f"/{tenant.slug}/"):]
    row = table[: table.index(f"/{tenant.slug}/")].rsplit("<tr", 1)[1] + row.split("</tr>", 1)[0]
    badge = re.search(r'<span class="said"><span class="badge state-([a-z_]+)">', row).group(1)
    return badge, set(re.findall(r'title="(March 2026: [^"]+)"', row))


def test_a_month_whose_only_data_is_email_results_is_not_waiting_for_data_on_the_board(tenant_a, admin_user) -> None:
    """The month's page counts email results as data (reports.selectors.month_has_data); the board read
    the public summary, which has no count of emails, and said "Waiting for data" beside it."""
    _emails_only(tenant_a)
    summary = ClientMonthSummary.objects.get(client=tenant_a, month=MARCH)
    assert summary.has_data is True and summary.new_leads == 0 and summary.sessions == 0
    with time_machine.travel(APRIL_2):
        assert _board_cell(admin_user, tenant_a) == ("open", {"March 2026: open"})
    assert month_reviews_start(client=tenant_a, at=APRIL_5) == MARCH  # beat: its data is in, to review
    with time_machine.travel(APRIL_5):
        assert _board_cell(admin_user, tenant_a) == ("in_review", {"March 2026: in review"})


def test_a_truly_empty_month_still_waits_for_data_and_its_summary_says_so(tenant_a, admin_user) -> None:
    snapshot_compute(client=tenant_a, months=[MARCH])
    assert ClientMonthSummary.objects.get(client=tenant_a, month=MARCH).has_data is False
    with time_machine.travel(APRIL_5):
        assert _board_cell(admin_user, tenant_a) == ("no_data", {"March 2026: waiting for data"})


def test_a_summary_row_from_before_has_data_is_judged_from_its_figures(tenant_a, admin_user) -> None:
    """Rows the migration could not fill (null) read as before: data when a lead, session or spend shows."""
    with schema_context("alpha"):
        Lead.objects.create(id="l1", created_at=dt.datetime(2026, 3, 10, tzinfo=dt.UTC))
    snapshot_compute(client=tenant_a, months=[MARCH])
    ClientMonthSummary.objects.filter(client=tenant_a).update(has_data=None)
    with time_machine.travel(APRIL_2):
        assert _board_cell(admin_user, tenant_a)[0] == "open"
    ClientMonthSummary.objects.filter(client=tenant_a).update(has_data=None, new_leads=0, mqls=0, sqls=0, customers=0)
    cache.clear()
    with time_machine.travel(APRIL_2):
        assert _board_cell(admin_user, tenant_a)[0] == "no_data"


def _put_in_review_empty(tenant) -> None:
    """What a database from before "Waiting for data" holds: a month of nothing put in review."""
    snapshot_compute(client=tenant, months=[MARCH])  # figures of nothing
    with tenant_context(tenant), transaction.atomic():
        MonthReport.objects.update_or_create(
            month=MARCH, defaults={"state": "in_review", "in_review_since": dt.datetime(2026, 4, 4, tzinfo=dt.UTC)})
        month_close_mirror(client=tenant, month=MARCH)


@pytest.mark.parametrize(("language", "badge", "square", "in_review"), [
    ("en", "Waiting for data", "March 2026: waiting for data", "In review"),
    ("es", "Sin datos aún", "marzo de 2026: sin datos aún", "En revisión"),
])
def test_a_month_put_in_review_with_nothing_recorded_waits_for_data_on_the_board_as_on_its_page(
    tenant_a, tenant_b, admin_user, language, badge, square, in_review
) -> None:
    """Its page says "Waiting for data" and refuses Approve (never approved, nothing recorded): the board
    said "In review", counted it as waiting, offered its tick box as a clean month and counted its days."""
    _put_in_review_empty(tenant_a)
    with schema_context("beta"):  # beta's March has data and is in review: waiting, clean
        Lead.objects.create(id="b1", created_at=dt.datetime(2026, 3, 10, tzinfo=dt.UTC))
    snapshot_compute(client=tenant_b, months=[MARCH])
    month_reviews_start(client=tenant_b, at=APRIL_5)
    with time_machine.travel(APRIL_5):
        http = browser_for(admin_user, None, language=language)
        board = http.get("/board/?month=2026-03").content.decode()
        waiting = http.get("/board/?month=2026-03&show=waiting").content.decode()
        clean = http.get("/board/?month=2026-03&show=clean").content.decode()
        page = browser_for(admin_user, tenant_a, language=language).get("/reports/2026-03/").content.decode()
    table = board.split('id="board-table"', 1)[1].split('class="legend"')[0]
    alpha = table[: table.index("/alpha/")].rsplit("<tr", 1)[1] + table[table.index("/alpha/"):].split("</tr>", 1)[0]
    assert f'<span class="said"><span class="badge state-no_data">{badge}</span>' in alpha, alpha
    assert set(re.findall(r'title="((?:March 2026|marzo de 2026): [^"]+)"', alpha)) == {square}
    assert in_review not in alpha and 'name="pick"' not in alpha  # not clean: nothing to tick
    assert re.search(r'class="num" data-label="[^"]+"><span class="hint said">No</span>', alpha), alpha  # not "N days"
    assert {"en": "2 clients · 1 waiting for review · 1 clean", "es": "2 clientes · 1 pendiente de revisión · 1 limpio"}[
        language] in table, table[:400]
    for filtered in (waiting, clean):
        assert "/alpha/" not in filtered.split('id="board-table"', 1)[1] and "/beta/" in filtered
    assert f'data-state="no_data">{badge}</span>' in page  # the month's page, as before
    with translation.override("en"), pytest.raises(ApprovalRefused, match="Nothing is recorded in this month yet"):
        month_approve(client=tenant_a, month=MARCH, user=admin_user)


def test_the_portfolio_does_not_list_a_month_put_in_review_with_nothing_recorded_as_waiting(tenant_a, tenant_b) -> None:
    _put_in_review_empty(tenant_a)
    with schema_context("beta"):
        Lead.objects.create(id="b1", created_at=dt.datetime(2026, 3, 10, tzinfo=dt.UTC))
    snapshot_compute(client=tenant_b, months=[MARCH])
    month_reviews_start(client=tenant_b, at=APRIL_5)
    waiting = month_closes_waiting(clients=Client.objects.all())
    assert [(row.client.slug, row.state) for row in waiting] == [("beta", "in_review")]


def test_a_month_whose_figures_are_being_computed_says_so_not_that_nothing_is_recorded(
    tenant_a, staff_a, django_capture_on_commit_callbacks
) -> None:
    """The walk of 2026-12-07 (walk13): right after importing a new client's files, the home's panel
    read "Sin datos aún: todavía no hay nada registrado en noviembre" for the half minute the figures
    took to be computed — beside 840 leads of November just imported. While the month's recompute
    waits, the panel says the figures are being computed (and asks again by itself), the month's page
    too."""
    from unittest import mock

    from kpis import recompute

    snapshot_compute(client=tenant_a, months=[MARCH])  # figures of nothing: the month waits for data
    with mock.patch.object(recompute, "enqueue_for_client"), django_capture_on_commit_callbacks(execute=True):
        recompute.months_recompute_request(client=tenant_a, months=["2026-03"])  # as an import asks
    try:
        with time_machine.travel(APRIL_5):
            panel = browser_for(staff_a, tenant_a).get("/panels/report/").content.decode()
            page = browser_for(staff_a, tenant_a).get("/reports/2026-03/").content.decode()
    finally:
        recompute.recompute_pending_forget(client=tenant_a, months=["2026-03"])
    assert "Calculando las cifras de marzo de 2026 con los datos que acaban de llegar" in panel, panel
    assert "todavía no hay nada registrado" not in panel
    assert 'hx-trigger="every 5s"' in panel  # it asks again until the figures are in
    state = page[page.index('class="report-state"'):].split("</p>")[0]
    assert "sus cifras se están calculando con los datos que acaban de llegar" in state, state
    assert "Aún no hay nada registrado en este mes" not in state
    with time_machine.travel(APRIL_5):  # computed: what is true again
        panel = browser_for(staff_a, tenant_a).get("/panels/report/").content.decode()
    assert "Sin datos aún: todavía no hay nada registrado en marzo de 2026." in panel and "Calculando" not in panel
