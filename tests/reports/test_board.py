"""The close board's reads and its bulk approval, without a browser: the mirror's board columns,
the filters, the confirmation, and a month refused because its figures changed meanwhile."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.utils import timezone
from django_tenants.utils import schema_context

from clients.models import OutboxEmail
from portfolio.models import ClientMonthClose
from reports.board import board_counts, board_months, board_page
from reports.models import ReportVersion
from reports.services import commentary_save, month_reviews_start, months_approve
from tests.factories import checks_ran
from tests.reports.conftest import MARCH, browser_for, late_spend

APRIL_5 = dt.datetime(2026, 4, 5, 12, tzinfo=dt.UTC)


@pytest.fixture
def in_review(march):
    month_reviews_start(client=march, at=APRIL_5)
    return march


def test_the_mirror_carries_the_commentary_state_and_when_the_figures_were_computed(in_review, staff_a) -> None:
    row = ClientMonthClose.objects.get(client=in_review, month=MARCH)
    assert row.commentary_state == "none" and row.figures_at is not None
    commentary_save(client=in_review, month=MARCH, section="summary", text="Buen mes", user=staff_a)
    assert ClientMonthClose.objects.get(client=in_review, month=MARCH).commentary_state == "draft"
    before = row.figures_at
    late_spend(in_review)
    assert ClientMonthClose.objects.get(client=in_review, month=MARCH).figures_at > before


def test_filters_waiting_and_clean_and_mine(in_review, tenant_b, staff_a, admin_user) -> None:
    months = board_months(now=APRIL_5)
    assert months[0] == MARCH and len(months) == 13
    _page, rows = board_page(user=admin_user, month=MARCH, months=months)
    by_slug = {row.client.slug: row for row in rows}
    assert by_slug["alpha"].clean and by_slug["alpha"].cell.status == "in_review"
    assert not by_slug["beta"].clean and by_slug["beta"].cell.status == "none"
    assert [c.status for c in by_slug["alpha"].history][:2] == ["in_review", "none"]
    assert board_counts(user=admin_user, month=MARCH) == {"all": 2, "waiting": 1, "clean": 1, "unchecked": 0}
    _page, clean = board_page(user=admin_user, month=MARCH, months=months, show="clean")
    assert [row.client.slug for row in clean] == ["alpha"]
    # "mine": the admin is assigned to no client; staff_a sees only alpha anyway
    assert board_page(user=admin_user, month=MARCH, months=months, mine=True)[1] == []
    assert [row.client.slug for row in board_page(user=staff_a, month=MARCH, months=months)[1]] == ["alpha"]


def test_a_client_question_makes_a_month_not_clean(in_review, admin_user) -> None:
    ClientMonthClose.objects.filter(client=in_review, month=MARCH).update(open_questions=1, updated_at=timezone.now())
    assert board_counts(user=admin_user, month=MARCH) == {"all": 2, "waiting": 1, "clean": 0, "unchecked": 0}


def test_bulk_approval_refuses_a_month_whose_figures_changed_after_the_confirmation(in_review, staff_a) -> None:
    shown = ClientMonthClose.objects.get(client=in_review, month=MARCH).figures_at
    late_spend(in_review)  # a recompute after the board was read
    (outcome,) = months_approve(items=[(in_review, MARCH, shown)], user=staff_a)
    assert not outcome.approved and "changed" in outcome.message
    with schema_context("alpha"):
        assert not ReportVersion.objects.exists() and not OutboxEmail.objects.exists()
    fresh = ClientMonthClose.objects.get(client=in_review, month=MARCH).figures_at
    (outcome,) = months_approve(items=[(in_review, MARCH, fresh)], user=staff_a)
    assert outcome.approved
    with schema_context("alpha"):
        assert ReportVersion.objects.get().number == 1 and OutboxEmail.objects.filter(kind="report_approved").exists()


def test_the_board_page_confirms_then_approves_through_the_single_approval(in_review, staff_a, bulk_inline) -> None:
    console = browser_for(staff_a, None)
    with time_machine.travel(APRIL_5 + dt.timedelta(days=2)):
        page = console.get("/board/?month=2026-03").content.decode()
    assert "Tablero de cierre" in page and "2 días" in page
    pick = re.search(r'name="pick" id="pick-alpha" value="([^"]+)"', page).group(1)
    confirm = console.post("/board/approve/", {"pick": [pick], "back": "month=2026-03"}).content.decode()
    assert "Alpha Analytics" in confirm and "marzo de 2026" in confirm.lower()
    assert "en el comentario del mes que nadie escribió" in confirm  # one month: not "del 1 mes"
    with schema_context("alpha"):
        assert not ReportVersion.objects.exists()  # nothing approved before the confirmation
    done = console.post("/board/approve/", {"pick": [pick], "confirm": "1", "back": "month=2026-03"})
    assert done.status_code == 302 and re.search(r"/board/\?month=2026-03&bulk=\d+$", done["Location"])
    assert [slug for slug, _kwargs in bulk_inline] == ["alpha"]  # one task per client, naming it
    page = console.get(done["Location"]).content.decode()
    assert "Aprobación de 1 mes: terminada" in page and "Aprobados: 1 de 1" in page
    assert "Aprobado y enviado al cliente:</strong> Alpha Analytics (marzo de 2026)" in page
    assert "hx-trigger=\"every" not in page  # done: the board no longer polls
    assert ClientMonthClose.objects.get(client=in_review, month=MARCH).state == "approved"


def test_the_bulk_approvals_progress_polls_until_done_then_reloads_the_board(in_review, staff_a, admin_user, monkeypatch) -> None:
    """44 months were one request of a minute: now the confirmation only queues them, and the board
    shows how far the background has got, polling a small partial, kept after a reload."""
    from portfolio.models import BulkApprovalItem
    from reports.services_bulk import bulk_approve_client

    sent = []
    monkeypatch.setattr("reports.services_bulk.enqueue_for_client", lambda task, *, client, **kw: sent.append((client, kw)))
    console = browser_for(staff_a, None, language="en")
    board = console.get("/board/?month=2026-03").content.decode()
    pick = re.search(r'name="pick" id="pick-alpha" value="([^"]+)"', board).group(1)
    done = console.post("/board/approve/", {"pick": [pick], "confirm": "1", "back": "month=2026-03"})
    bulk_id = sent[0][1]["bulk_id"]
    page = console.get(done["Location"]).content.decode()
    assert "Approving 1 month…" in page and "Approved so far: 0 of 1" in page
    assert f'hx-get="/board/approvals/{bulk_id}/?poll=1" hx-trigger="every 2s"' in page
    with schema_context("alpha"):
        assert not ReportVersion.objects.exists()  # nothing approved in the request
    assert bulk_approve_client(client=in_review, bulk_id=bulk_id) == 1  # the worker's run
    assert bulk_approve_client(client=in_review, bulk_id=bulk_id) == 0  # run twice (a redelivery): nothing twice
    with schema_context("alpha"):
        assert ReportVersion.objects.count() == 1 and OutboxEmail.objects.filter(kind="report_approved").count() == 1
    poll = console.get(f"/board/approvals/{bulk_id}/?poll=1", HTTP_HX_REQUEST="true")
    assert poll["HX-Refresh"] == "true" and "Approval of 1 month: done" in poll.content.decode()
    assert BulkApprovalItem.objects.get().state == "approved"
    # Someone else's approval is not theirs to read.
    assert browser_for(admin_user, None).get(f"/board/approvals/{bulk_id}/").status_code == 404


def test_with_the_queue_unreachable_the_bulk_approval_says_so_and_approves_nothing(in_review, staff_a, monkeypatch) -> None:
    from redis.exceptions import ConnectionError as RedisConnectionError

    def down(task, *, client, **kw) -> None:
        raise RedisConnectionError("Connection refused")

    monkeypatch.setattr("reports.services_bulk.enqueue_for_client", down)
    console = browser_for(staff_a, None, language="en")
    board = console.get("/board/?month=2026-03").content.decode()
    pick = re.search(r'name="pick" id="pick-alpha" value="([^"]+)"', board).group(1)
    confirmed = {"pick": [pick], "confirm": "1", "back": "month=2026-03"}
    page = console.post("/board/approve/", confirmed, follow=True).content.decode()
    assert "the background queue is unreachable): nothing was approved" in page
    assert "The approval could not be queued" in page and "hx-trigger=\"every" not in page
    with schema_context("alpha"):
        assert not ReportVersion.objects.exists() and not OutboxEmail.objects.exists()
    assert ClientMonthClose.objects.get(client=in_review, month=MARCH).state == "in_review"


def test_bulk_approval_can_write_the_draft_into_the_commentary_nobody_wrote(in_review, staff_a, bulk_inline) -> None:
    """Fifty clean months approved from the board went out with no commentary at all: the
    confirmation offers the month page's "Draft from the figures" for those nobody wrote."""
    in_review.language = "es"  # the client is written to in Spanish; the account manager reads English
    in_review.save(update_fields=["language"])
    console = browser_for(staff_a, None, language="en")
    page = console.get("/board/?month=2026-03").content.decode()
    pick = re.search(r'name="pick" id="pick-alpha" value="([^"]+)"', page).group(1)
    confirm = console.post("/board/approve/", {"pick": [pick], "back": "month=2026-03"}).content.decode()
    assert 'name="draft_empty"' in confirm and "into the commentary of the month nobody wrote (in its client" in confirm
    console.post("/board/approve/", {"pick": [pick], "confirm": "1", "draft_empty": "1", "back": "month=2026-03"})
    with schema_context("alpha"):
        version = ReportVersion.objects.get()
    assert "Marzo de 2026" in version.commentary.get("summary", "")  # the client's language (Spanish)
    assert ClientMonthClose.objects.get(client=in_review, month=MARCH).state == "approved"


def test_without_the_option_nothing_is_drafted_and_written_text_is_never_replaced(in_review, staff_a, bulk_inline) -> None:
    commentary_save(client=in_review, month=MARCH, section="summary", text="Nuestro resumen.", user=staff_a)
    console = browser_for(staff_a, None)
    page = console.get("/board/?month=2026-03").content.decode()
    pick = re.search(r'name="pick" id="pick-alpha" value="([^"]+)"', page).group(1)
    confirm = console.post("/board/approve/", {"pick": [pick], "back": "month=2026-03"}).content.decode()
    assert 'name="draft_empty"' not in confirm  # nothing unwritten: no option
    console.post("/board/approve/", {"pick": [pick], "confirm": "1", "draft_empty": "1", "back": "month=2026-03"})
    with schema_context("alpha"):
        version = ReportVersion.objects.get()
    assert version.commentary.get("summary") == "Nuestro resumen."


def test_a_pick_of_a_client_the_user_cannot_open_is_refused(in_review, tenant_b, staff_a) -> None:
    console = browser_for(staff_a, None)
    response = console.post("/board/approve/", {"pick": ["beta|2026-03|"], "confirm": "1"}, follow=True)
    assert "no se pudieron leer" in response.content.decode()


def test_a_client_user_gets_404_at_the_board(in_review, client_user_a) -> None:
    assert browser_for(client_user_a, None).get("/board/").status_code == 404


def test_monthly_reports_lists_months_that_never_entered_the_close(in_review, staff_a) -> None:
    """A new client's import of past months: October computed, November in review; October is
    still one click away on Monthly reports (it had to be typed before)."""
    from kpis.services import snapshot_compute

    snapshot_compute(client=in_review, months=[dt.date(2026, 2, 1)])
    with time_machine.travel(APRIL_5):
        page = browser_for(staff_a, in_review).get("/reports/").content.decode()
    assert 'href="/reports/2026-02/"' in page and "Anterior al primer informe de este cliente" in page
    assert 'href="/reports/2026-03/"' in page


def test_close_month_approves_after_import_and_compute_without_a_worker(
    tenant_a, client_user_a, tmp_path, django_capture_on_commit_callbacks
) -> None:
    """import_data asks for a debounced recompute (no worker runs here); compute_snapshots computes
    the months itself, so they no longer wait and close_month --approve is not refused."""
    import io

    from django.core.cache import cache
    from django.core.management import call_command

    from kpis.recompute import recompute_pending

    cache.clear()
    leads = tmp_path / "leads.csv"
    leads.write_text("id,created_at\nL1,2026-03-03T10:00:00Z\nL2,2026-03-04T10:00:00Z\n")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_data", "alpha", "leads", str(leads), stdout=io.StringIO())
    assert recompute_pending(client=tenant_a) == ["2026-03"]
    call_command("compute_snapshots", "alpha", "--month", "2026-03", stdout=io.StringIO())
    assert recompute_pending(client=tenant_a) == []
    out = io.StringIO()
    call_command("close_month", "alpha", month="2026-03", approve=True, stdout=out)
    assert "approved version 1" in out.getvalue()


def test_the_scorecard_says_figures_are_updating_while_a_recompute_waits(
    march, staff_a, django_capture_on_commit_callbacks
) -> None:
    from unittest import mock

    from django.core.cache import cache

    from kpis import recompute

    cache.clear()
    http = browser_for(staff_a, march)
    assert "Cifras actualizándose" not in http.get("/scorecard/?month=2026-03").content.decode()
    with mock.patch.object(recompute, "enqueue_for_client"), django_capture_on_commit_callbacks(execute=True):
        recompute.months_recompute_request(client=march, months={"2026-03"})
    try:
        page = http.get("/scorecard/?month=2026-03").content.decode()
    finally:
        cache.clear()  # the pending month lives in Redis, which the test's rollback does not undo
    assert "Cifras actualizándose (unos 30 s)" in page and 'id="figures-updating"' in page


def test_a_month_with_an_open_check_is_not_clean_and_the_board_says_so(in_review, admin_user) -> None:
    from portfolio.models import ClientMonthChecks

    ClientMonthChecks.objects.update_or_create(client=in_review, month=MARCH, defaults={"total": 3, "open": 2, "open_high": 1})
    _page, rows = board_page(user=admin_user, month=MARCH, months=board_months(now=APRIL_5))
    alpha = next(row for row in rows if row.client.slug == "alpha")
    assert (alpha.checks_open, alpha.checks_high, alpha.clean) == (2, 1, False)
    assert board_counts(user=admin_user, month=MARCH)["clean"] == 0
    with time_machine.travel(APRIL_5):
        page = browser_for(admin_user, None).get("/board/?month=2026-03").content.decode()
    assert "2 abiertas · 1 alta" in page
    ClientMonthChecks.objects.filter(client=in_review, month=MARCH).update(open=0, open_high=0)
    assert board_counts(user=admin_user, month=MARCH)["clean"] == 1


def test_a_month_whose_checks_never_ran_is_not_clean_and_has_its_own_filter(in_review, admin_user) -> None:
    """ "Not run yet" read beside a Clean badge and a tick box: nobody knew the month was clean."""
    from portfolio.models import ClientMonthChecks

    ClientMonthChecks.objects.filter(client=in_review, month=MARCH).delete()  # a month computed before the checks existed
    months = board_months(now=APRIL_5)
    _page, rows = board_page(user=admin_user, month=MARCH, months=months)
    alpha = next(row for row in rows if row.client.slug == "alpha")
    assert alpha.checks_total is None and not alpha.clean
    assert board_counts(user=admin_user, month=MARCH) == {"all": 2, "waiting": 1, "clean": 0, "unchecked": 1}
    assert board_page(user=admin_user, month=MARCH, months=months, show="clean")[1] == []
    assert [row.client.slug for row in board_page(user=admin_user, month=MARCH, months=months, show="unchecked")[1]] == ["alpha"]
    with time_machine.travel(APRIL_5):
        page = browser_for(admin_user, None).get("/board/?month=2026-03").content.decode()
    assert "Aún sin ejecutar" in page and 'id="pick-alpha"' not in page and ">Limpio</span>" not in page
    assert "1 con sus comprobaciones aún sin ejecutar" in page and '<option value="unchecked"' in page
    # Once they ran (nothing found), the month is clean again.
    checks_ran(client=in_review, month=MARCH)
    assert board_counts(user=admin_user, month=MARCH)["clean"] == 1


def test_a_month_that_went_to_review_today_waits_since_today_not_for_0_days(in_review, staff_a, admin_user) -> None:
    with time_machine.travel(APRIL_5 + dt.timedelta(hours=2)):
        board = browser_for(admin_user, None).get("/board/?month=2026-03").content.decode()
        page = browser_for(staff_a, in_review).get("/reports/2026-03/").content.decode()
    assert "Desde hoy" in board and "0 días" not in board
    assert "pendiente de revisión desde hoy" in page and "0 días" not in page
    with time_machine.travel(APRIL_5 + dt.timedelta(days=2, hours=1)):
        board = browser_for(admin_user, None).get("/board/?month=2026-03").content.decode()
    assert "2 días" in board


def test_the_board_puts_the_month_that_ended_in_the_close_without_waiting_for_beat(march, tenant_b, staff_a) -> None:
    """Opened before beat's hourly run, the board does that run for the viewer's clients: the
    month that ended is in review (and clean), not a column of "Not in the close"."""
    assert not ClientMonthClose.objects.exists()
    console = browser_for(staff_a, None)
    with time_machine.travel(APRIL_5):
        page = console.get("/board/?month=2026-03").content.decode()
    row = ClientMonthClose.objects.get(client=march, month=MARCH)
    assert row.state == ClientMonthClose.State.IN_REVIEW
    assert 'id="pick-alpha"' in page  # clean, so it can be ticked at once
    assert not ClientMonthClose.objects.filter(client=tenant_b).exists()  # not staff_a's client


def test_a_revision_waiting_counts_its_days_from_the_restated_figures_not_not_waiting(in_review, staff_a, admin_user) -> None:
    (outcome,) = months_approve(
        items=[(in_review, MARCH, ClientMonthClose.objects.get(client=in_review, month=MARCH).figures_at)], user=staff_a
    )
    assert outcome.approved
    late_spend(in_review)  # restated data: a revision to approve
    restated = ClientMonthClose.objects.get(client=in_review, month=MARCH).figures_at
    with time_machine.travel(restated + dt.timedelta(days=2)):
        _page, rows = board_page(user=admin_user, month=MARCH, months=board_months(now=APRIL_5))
        (row,) = [r for r in rows if r.client.slug == "alpha"]
        assert row.cell.status == "revision" and row.cell.waiting_days == 2


def test_a_filter_left_empty_by_the_approvals_says_why_not_no_client_matches(in_review, staff_a) -> None:
    shown = ClientMonthClose.objects.get(client=in_review, month=MARCH).figures_at
    (outcome,) = months_approve(items=[(in_review, MARCH, shown)], user=staff_a)
    assert outcome.approved
    console = browser_for(staff_a, None)
    with time_machine.travel(APRIL_5 + dt.timedelta(days=1)):
        clean = console.get("/board/?month=2026-03&show=clean").content.decode()
        waiting = console.get("/board/?month=2026-03&show=waiting").content.decode()
    assert "Ningún mes de marzo de 2026 está limpio ahora" in clean and "No hay cliente" not in clean
    assert "Nada de marzo de 2026 está pendiente de la agencia." in waiting


def test_a_board_cached_under_an_older_markup_version_is_not_served_after_a_deploy(in_review, staff_a, monkeypatch) -> None:
    """The table is cached an hour under a stamp of its data; a deploy changing its markup (the
    board's month square as static/js/board.js's tab stop) bumps BOARD_LAYOUT, and the old entry
    is no longer read."""
    from django.core.cache import cache

    from reports import views_board

    cache.clear()
    console = browser_for(staff_a, None)
    monkeypatch.setattr(views_board, "BOARD_LAYOUT", "old")
    with time_machine.travel(APRIL_5):
        assert "data-board-month" in console.get("/board/?month=2026-03").content.decode()
        # The entry the old deploy wrote, made recognisable: found in Redis by its key's name.
        redis = cache._cache.get_client(write=True)
        raw_keys = [k.decode() for k in redis.keys("*reports:board-page:*")]
        assert raw_keys
        old = {"table": "<p>OLD BOARD MARKUP</p>", "switcher": ([], False)}
        for raw in raw_keys:
            cache.set("reports:board-page:" + raw.rsplit(":", 1)[1], old, 3600)
        assert "OLD BOARD MARKUP" in console.get("/board/?month=2026-03").content.decode()  # served while the version holds
        monkeypatch.undo()
        page = console.get("/board/?month=2026-03").content.decode()
    cache.clear()
    assert "OLD BOARD MARKUP" not in page and "data-board-month" in page


def test_a_month_not_in_the_close_shows_when_its_figures_were_computed_not_no_figures_yet(march, staff_a) -> None:
    """February is computed (the client reads it) but never entered the close: the board dates its
    figures from the portfolio's summary instead of saying there are none."""
    from kpis.services import snapshot_compute
    from portfolio.models import ClientMonthSummary

    february = dt.date(2026, 2, 1)
    snapshot_compute(client=march, months=[february])
    summary = ClientMonthSummary.objects.get(client=march, month=february)
    assert not ClientMonthClose.objects.filter(client=march, month=february).exists()
    _page, rows = board_page(user=staff_a, month=february, months=board_months(now=APRIL_5))
    (row,) = rows
    assert row.cell.status == "none" and row.cell.figures_at == summary.computed_at
    page = browser_for(staff_a, None).get("/board/?month=2026-02").content.decode()
    assert "No figures yet" not in page and "Not yet" not in page


def test_a_month_with_nobody_to_email_is_said_published_in_the_portal_not_sent(
    in_review, client_user_a, staff_a, bulk_inline
) -> None:
    """The confirmation said "Nobody: published in the portal only"; the message after approving
    said "Approved and sent to the client" all the same (the demo's Wayne Outdoor, 7 Dec 2026)."""
    client_user_a.monthly_email = False  # nobody at the client receives the monthly email
    client_user_a.save(update_fields=["monthly_email"])
    console = browser_for(staff_a, None)
    page = console.get("/board/?month=2026-03").content.decode()
    pick = re.search(r'name="pick" id="pick-alpha" value="([^"]+)"', page).group(1)
    done = console.post("/board/approve/", {"pick": [pick], "confirm": "1", "back": "month=2026-03"}, follow=True)
    done = done.content.decode()
    assert "Aprobado y publicado solo en el portal del cliente" in done and "Alpha Analytics (marzo de 2026)" in done
    assert "enviado al cliente" not in done
    with schema_context("alpha"):
        assert ReportVersion.objects.get().number == 1 and not OutboxEmail.objects.filter(kind="report_approved").exists()


@pytest.mark.fault
def test_with_redis_stopped_the_bulk_approval_approves_nothing_and_says_so(in_review, staff_a) -> None:
    """The queue really down (not a stub): Celery's send fails, the board says so, nothing approved."""
    from portfolio.models import BulkApprovalItem
    from tests.redis_control import redis_down

    console = browser_for(staff_a, None, language="en")
    board = console.get("/board/?month=2026-03").content.decode()
    pick = re.search(r'name="pick" id="pick-alpha" value="([^"]+)"', board).group(1)
    with redis_down():
        done = console.post("/board/approve/", {"pick": [pick], "confirm": "1", "back": "month=2026-03"})
    assert done.status_code == 302
    item = BulkApprovalItem.objects.get()
    assert item.state == "refused" and item.bulk.failure == "queue-unreachable"
    with schema_context("alpha"):
        assert not ReportVersion.objects.exists()
    assert ClientMonthClose.objects.get(client=in_review, month=MARCH).state == "in_review"
