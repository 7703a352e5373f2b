"""The account manager's month, client after client, without a browser: the month's page offers the
next client waiting (one click, no way back through the console and the board), a check is resolved
in place (no page reload), and Approve says what it will do (who gets the email; a month going out
without commentary)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
import time_machine
from django_tenants.utils import schema_context

from clients.models import Lead, Spend
from kpis.services import snapshot_compute
from reports.board import board_next_waiting
from reports.services import month_reviews_start
from tests.reports.conftest import MARCH, browser_for

APRIL_5 = dt.datetime(2026, 4, 5, 12, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _april():
    with time_machine.travel(APRIL_5 + dt.timedelta(hours=2), tick=False):
        yield


@pytest.fixture
def both_in_review(march, tenant_b):
    """alpha's and beta's March, both in review."""
    with schema_context("beta"):
        Lead.objects.bulk_create([Lead(id=f"b{i}", created_at=dt.datetime(2026, 3, 12, tzinfo=dt.UTC)) for i in range(5)])
        Spend.objects.create(id="bs1", date=dt.date(2026, 3, 6), category="media", amount=Decimal("900"))
    snapshot_compute(client=tenant_b, months=[MARCH])
    month_reviews_start(client=march, at=APRIL_5)
    month_reviews_start(client=tenant_b, at=APRIL_5)
    return march, tenant_b


def _next_link(page: str) -> str | None:
    found = re.search(r'<a href="([^"]+)" data-next-client="[^"]*"[^>]*>', page)
    return found.group(1) if found else None


def test_the_month_page_offers_the_next_client_waiting_then_says_when_none_is_left(both_in_review, staff_ab) -> None:
    alpha, beta = both_in_review
    page = browser_for(staff_ab, alpha, language="en").get("/reports/2026-03/").content.decode()
    # one click to beta's March, through the sign-in hand-off; and back to the board's month
    assert _next_link(page) == "/accounts/switch/beta/?next=/reports/2026-03/"
    assert "Next client waiting: Beta Brands" in page and "(1 client's month waiting)" in page
    assert re.search(r'href="http://[^"]+/board/\?month=2026-03">← Close board', page)
    # on a phone Approve is four screens down, past the draft, the checks and the commentary: one jump
    assert '<a href="#approve-title" data-jump-approve>To Approve ↓</a>' in page and 'id="approve-title"' in page
    # after the last client, the first again
    assert board_next_waiting(user=staff_ab, client=beta, month=MARCH) == (alpha, 1)
    # approved: beta's page has nobody left to go to, and says so
    assert browser_for(staff_ab, alpha).post("/reports/2026-03/approve/").status_code == 302
    assert "data-jump-approve" not in browser_for(staff_ab, alpha).get("/reports/2026-03/").content.decode()
    page = browser_for(staff_ab, beta).get("/reports/2026-03/").content.decode()
    assert _next_link(page) is None
    assert "Ningún otro cliente tiene marzo de 2026 pendiente de revisión." in page


def test_the_next_client_is_one_the_viewer_may_open(both_in_review, staff_a) -> None:
    alpha, _beta = both_in_review
    assert board_next_waiting(user=staff_a, client=alpha, month=MARCH) == (None, 0)


def test_a_check_opens_from_the_board_and_is_resolved_in_place(tenant_a, staff_a) -> None:
    """Resolving from the page (HTMX) answers the checks to swap in, Approve out of band: no redirect,
    no reload, the page stays where it was read."""
    from kpis.models import CheckResult
    from tests.kpis.test_checks_stored import GAP, MONTHS, OCT, seed

    with time_machine.travel(dt.datetime(2026, 11, 10, 9, tzinfo=dt.UTC), tick=False):
        with schema_context("alpha"):
            seed(gap=GAP, twins=False)
        snapshot_compute(client=tenant_a, months=MONTHS)
        with schema_context("alpha"):
            check = CheckResult.objects.get(month=OCT.first_day, key="coverage.source_gap")
        # the board's open checks open the month's checks, through the hand-off, in one click
        board = browser_for(staff_a, None, language="en").get("/board/?month=2026-10").content.decode()
        assert re.search(r'<a class="badge alert" data-checks-link href="/accounts/switch/alpha/\?next=/reports/2026-10/#checks"'
                         r'[^>]*>1 open · 1 high</a>', board)
        staff = browser_for(staff_a, tenant_a, language="en")
        page = staff.get("/reports/2026-10/").content.decode()
        assert f'hx-post="/reports/2026-10/checks/{check.pk}/resolve/" hx-target="#close-checks"' in page
        response = staff.post(f"/reports/2026-10/checks/{check.pk}/resolve/", {"note": "Feed restated on the 9th"},
                              HTTP_HX_REQUEST="true")
        assert response.status_code == 200
        body = response.content.decode()
        assert body.startswith('<div id="close-checks">')
        assert "Check resolved: your note is kept in the month&#x27;s history." in body
        assert "Resolved by" in body and "Feed restated on the 9th" in body
        approve = body[body.index('<div id="close-approve" hx-swap-oob="true">'):]
        assert "Approve and send to the client" in approve and 'name="checks_reason"' not in approve
        # an empty note: said in the checks, nothing resolved
        with schema_context("alpha"):
            CheckResult.objects.filter(pk=check.pk).update(resolved_at=None)
        body = staff.post(f"/reports/2026-10/checks/{check.pk}/resolve/", {"note": " "}, HTTP_HX_REQUEST="true").content.decode()
        assert 'class="message error"' in body and 'name="checks_reason"' in body


def test_approve_says_whom_it_emails_and_that_the_commentary_is_empty(both_in_review, staff_ab) -> None:
    alpha, _beta = both_in_review
    staff = browser_for(staff_ab, alpha, language="en")
    page = staff.get("/reports/2026-03/").content.decode()
    assert ("emails the report with its PDF to 1 person at the client: ann@alpha.example.") in page
    assert 'id="no-commentary"' in page and "Nobody has written the commentary: the report goes out without it." in page
    # typing in a box takes the notice away at once (out of band with the autosave's "Saved at")
    saved = staff.post("/reports/2026-03/commentary/", {"section": "summary", "text": "A good month"}, HTTP_HX_REQUEST="true")
    assert saved.content.decode().endswith('<span id="no-commentary" hx-swap-oob="true"></span>')
    page = staff.get("/reports/2026-03/").content.decode()
    assert 'id="no-commentary"' not in page
    spanish = browser_for(staff_ab, _beta, language="es").get("/reports/2026-03/").content.decode()
    assert "Nadie ha escrito el comentario" in spanish and "Aprobar congela estas cifras" in spanish


def test_the_draft_fills_the_boxes_in_place(both_in_review, staff_ab) -> None:
    """"Draft from the figures" from the page (HTMX): the draft and the filled boxes swapped in where
    they are read, what was filled said above the boxes, Approve's empty-commentary notice gone; no
    reload back to the top of a long page."""
    alpha, _beta = both_in_review
    staff = browser_for(staff_ab, alpha, language="en")
    page = staff.get("/reports/2026-03/").content.decode()
    assert 'hx-post="/reports/2026-03/draft/" hx-target="#close-draft"' in page
    response = staff.post("/reports/2026-03/draft/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    body = response.content.decode()
    assert body.startswith('<div id="close-draft">')
    boxes = body[body.index('<div id="close-commentary" hx-swap-oob="true">'):body.index('<div id="close-approve"')]
    assert "Drafted from the figures: Summary" in boxes
    summary = re.search(r'<textarea id="c-summary"[^>]*>([^<]*)</textarea>', boxes).group(1)
    assert "March 2026" in summary or "marzo de 2026" in summary.lower()
    approve = body[body.index('<div id="close-approve" hx-swap-oob="true">'):]
    assert "Approve and send to the client" in approve and 'id="no-commentary"' not in approve
    # again: nothing changed, and it says so in place
    again = staff.post("/reports/2026-03/draft/", HTTP_HX_REQUEST="true").content.decode()
    assert "The draft is already in the commentary: nothing changed." in again


def test_a_revision_waiting_is_one_jump_away_and_its_month_waits_on_the_board(both_in_review, staff_ab) -> None:
    from tests.reports.conftest import late_spend

    alpha, beta = both_in_review
    browser_for(staff_ab, alpha).post("/reports/2026-03/approve/")
    late_spend(alpha)
    page = browser_for(staff_ab, alpha, language="en").get("/reports/2026-03/").content.decode()
    assert '<a href="#pending-title" data-jump-approve>' in page and 'id="pending-title"' in page
    # from beta, alpha's revision is the next client waiting
    assert board_next_waiting(user=staff_ab, client=beta, month=MARCH) == (alpha, 1)


def test_the_board_says_draft_once_the_draft_fills_the_commentary(both_in_review, staff_ab) -> None:
    """The draft written from the figures is commentary like any other: the board's Commentary
    column and the bulk confirmation read "Draft", not "Not written" (which offered to draft it again)."""
    from portfolio.models import ClientMonthClose

    alpha, _beta = both_in_review
    assert ClientMonthClose.objects.get(client=alpha, month=MARCH).commentary_state == "none"
    browser_for(staff_ab, alpha).post("/reports/2026-03/draft/", HTTP_HX_REQUEST="true")
    assert ClientMonthClose.objects.get(client=alpha, month=MARCH).commentary_state == "draft"


def test_the_bulk_confirmation_says_whom_each_month_is_emailed_to(both_in_review, staff_ab) -> None:
    """"Emailed to the client's users" said nothing of a client with none: each month's row names
    its recipients, or says it is published in the portal only."""
    console = browser_for(staff_ab, None, language="en")
    page = console.get("/board/?month=2026-03").content.decode()
    picks = re.findall(r'name="pick" id="pick-\w+" value="([^"]+)"', page)
    assert len(picks) == 2
    confirm = console.post("/board/approve/", {"pick": picks, "back": "month=2026-03"}).content.decode()
    cells = re.findall(r"<td data-label=\"Emailed to\" data-recipients>(.*?)</td>", confirm)
    assert cells[0] == "ann@alpha.example"  # Alpha Analytics
    assert "Nobody: published in the portal only" in cells[1]  # Beta Brands has no client user
    spanish = browser_for(staff_ab, None, language="es").post("/board/approve/", {"pick": picks}).content.decode()
    assert "Nadie: solo se publica en el portal" in spanish and "Se envía a" in spanish


def test_an_approved_month_with_a_question_opens_on_it_not_on_the_draft(both_in_review, staff_ab, client_user_a) -> None:
    """A month waits on the board for a client's question: its page, six screens long, jumps to the
    question in one click, and the draft from the figures (nothing to write on an approved month)
    is folded away."""
    alpha, _beta = both_in_review
    browser_for(staff_ab, alpha).post("/reports/2026-03/approve/")
    browser_for(client_user_a, alpha).post("/reports/2026-03/questions/", {"text": "¿Por qué subió el CPL?"})
    page = browser_for(staff_ab, alpha, language="en").get("/reports/2026-03/").content.decode()
    assert '<a href="#questions-title" data-jump-questions>To the client\'s question ↓</a>' in page
    assert 'id="questions-title"' in page and "data-draft-folded" in page
    spanish = browser_for(staff_ab, alpha, language="es").get("/reports/2026-03/").content.decode()
    assert "A la pregunta del cliente ↓" in spanish
    # a month in review keeps its draft open
    assert "data-draft-folded" not in browser_for(staff_ab, _beta).get("/reports/2026-03/").content.decode()


def test_a_revision_says_which_figures_the_commentary_still_quotes_and_the_draft_writes_them_again(
    both_in_review, staff_ab
) -> None:
    """Acme's November restated by late spend (walk of 7 Dec 2026): the summary drafted from the
    figures said "€287.46 a lead" and went out with the revision beside €291.22, unsaid. The
    revision box names the figures the commentary still quotes; "Draft from the figures" writes
    the drafted boxes again (a person's text is theirs to correct) and the notice follows, in place."""
    from reports.services import commentary_save
    from tests.reports.conftest import late_spend

    alpha, _beta = both_in_review
    alpha.language = "en"  # the client reads English: its commentary writes "€1,725.76"
    alpha.save(update_fields=["language"])
    staff = browser_for(staff_ab, alpha, language="en")
    staff.post("/reports/2026-03/draft/", HTTP_HX_REQUEST="true")  # the summary quotes €1,725.76 of spend
    commentary_save(client=alpha, month=MARCH, section="concerns", text="Each lead cost €215.72.", user=staff_ab)
    commentary_save(client=alpha, month=MARCH, section="wins", text="Leads at €1215.72 each last year.", user=staff_ab)
    staff.post("/reports/2026-03/approve/")
    assert "data-stale-commentary" not in staff.get("/reports/2026-03/").content.decode()  # nothing restated yet
    late_spend(alpha)  # spend 1,725.76 → 1,755.20 EUR, cost per lead 215.72 → 219.40 EUR
    page = staff.get("/reports/2026-03/").content.decode()
    notice = re.search(r'<p class="message warning" data-stale-commentary>(.*?)</p>', page, re.S).group(1)
    assert "Marketing spend €1,725.76 (now €1,755.20)" in notice and "Cost per lead €215.72 (now €219.40)" in notice
    assert "1215.72" not in notice  # a figure inside a longer number is not the figure
    body = staff.post("/reports/2026-03/draft/", HTTP_HX_REQUEST="true").content.decode()
    revision = body[body.index('<div id="close-revision" hx-swap-oob="true">'):]
    assert 'id="pending-title"' in revision
    notice = re.search(r'data-stale-commentary>(.*?)</p>', revision, re.S).group(1)
    assert "Cost per lead €215.72" in notice and "Marketing spend" not in notice  # the person's sentence is left to them
    commentary_save(client=alpha, month=MARCH, section="concerns", text="Each lead cost €219.40.", user=staff_ab)
    assert "data-stale-commentary" not in staff.get("/reports/2026-03/").content.decode()


def test_the_figures_the_commentary_still_quotes_are_named_in_the_readers_language(both_in_review, staff_ab) -> None:
    """Acme's revision read by a Spanish account manager (walk of 7 Dec 2026, 50 clients): the notice
    said "Marketing spend €48,867.87 (ahora €49,507.87), Cost per lead …": English names inside a
    Spanish sentence. The figures stay as the commentary quotes them; their names are the reader's."""
    from tests.reports.conftest import late_spend

    alpha, _beta = both_in_review
    alpha.language = "en"
    alpha.save(update_fields=["language"])
    browser_for(staff_ab, alpha, language="en").post("/reports/2026-03/draft/", HTTP_HX_REQUEST="true")
    browser_for(staff_ab, alpha).post("/reports/2026-03/approve/")
    late_spend(alpha)
    page = browser_for(staff_ab, alpha, language="es").get("/reports/2026-03/").content.decode()
    notice = re.search(r'<p class="message warning" data-stale-commentary>(.*?)</p>', page, re.S).group(1)
    assert "Inversión en marketing €1,725.76 (ahora €1,755.20)" in notice
    assert "Marketing spend" not in notice


def test_a_revision_approved_with_its_form_as_offered_never_sends_the_drafts_old_figures(both_in_review, staff_ab) -> None:
    """Acme's revision approved in the walk of 7 Dec 2026 (50 clients): the notice said the commentary
    still quoted €48,867.87, but Approve sent it so, beside a table of €49,507.87. The revision's form
    now offers, ticked, to write the drafted boxes again first; a person's box is left to them."""
    from reports.models import ReportVersion
    from reports.services import commentary_save
    from tests.reports.conftest import late_spend

    alpha, _beta = both_in_review
    alpha.language = "en"
    alpha.save(update_fields=["language"])
    staff = browser_for(staff_ab, alpha, language="en")
    staff.post("/reports/2026-03/draft/", HTTP_HX_REQUEST="true")  # the summary quotes €1,725.76 of spend
    commentary_save(client=alpha, month=MARCH, section="wins", text="Each lead cost €215.72.", user=staff_ab)
    staff.post("/reports/2026-03/approve/")
    late_spend(alpha)  # spend 1,725.76 → 1,755.20 EUR
    page = staff.get("/reports/2026-03/").content.decode()
    assert re.search(r'<input type="checkbox" name="redraft" value="1" checked data-redraft>', page)
    staff.post("/reports/2026-03/approve/", {"reason": "late Google Ads spend", "redraft": "1", "notify": "1"})
    with schema_context("alpha"):
        latest = ReportVersion.objects.filter(month=MARCH).order_by("-number").first()
    assert latest.number == 2
    assert "€1,755.20" in latest.commentary["summary"] and "€1,725.76" not in latest.commentary["summary"]
    assert latest.commentary["wins"] == "Each lead cost €215.72."  # a person's words: theirs to correct


def test_a_platform_that_arrived_after_the_approval_is_said_so_not_dash_to_its_figures(both_in_review, staff_ab) -> None:
    """Acme's late Google Ads spend (walk of 7 Dec 2026): the revision box said "Google Ads cambió
    noviembre…: la inversión — → 640,00 €" under "Inversión en anuncios 0,00 € → 640,00 €" — the
    same spend unknown in one line, zero in the next. A platform with no data at approval is said so."""
    alpha, _beta = both_in_review
    browser_for(staff_ab, alpha).post("/reports/2026-03/approve/")
    with schema_context("alpha"):
        Spend.objects.create(id="gads-late", date=dt.date(2026, 3, 20), category="media", amount=Decimal("640"),
                             platform="google_ads", clicks=40)
    snapshot_compute(client=alpha, months=[MARCH])
    page = browser_for(staff_ab, alpha, language="es").get("/reports/2026-03/").content.decode()
    line = re.search(r'<li data-platform="google_ads"><strong>(.*?)</strong>', page).group(1)
    assert line.startswith("Google Ads no tenía datos en marzo de 2026 cuando se aprobó; ahora: ")
    assert "la inversión 640,00\xa0€; clics 40" in line and "—" not in line and "→" not in line


def test_the_bulk_confirmation_button_does_not_say_sent_for_a_month_nobody_is_emailed(both_in_review, staff_ab) -> None:
    """"Approve and send 44 reports" when 10 of the 44 clients have nobody to email: the button says
    "Approve 2 months" and, beside it, how many are emailed and how many published in the portal only."""
    console = browser_for(staff_ab, None, language="en")
    page = console.get("/board/?month=2026-03").content.decode()
    picks = re.findall(r'name="pick" id="pick-\w+" value="([^"]+)"', page)
    confirm = console.post("/board/approve/", {"pick": picks, "back": "month=2026-03"}).content.decode()
    assert "Approve and send 2 reports" not in confirm and ">Approve 2 months</button>" in confirm
    assert "<h1>Approve 2 months?</h1>" in confirm  # not "… and send them to the clients?"
    assert ("Emailed to the client: 1 · published in the portal only, with nobody at the client to email: 1") in confirm
    alpha_only = console.post("/board/approve/", {"pick": [p for p in picks if p.startswith("alpha|")]}).content.decode()
    assert ">Approve and send 1 report</button>" in alpha_only and "data-sent-split" not in alpha_only
    spanish = browser_for(staff_ab, None, language="es").post("/board/approve/", {"pick": picks}).content.decode()
    assert ">Aprobar 2 meses</button>" in spanish and "Por correo al cliente: 1" in spanish
    assert "<h1>¿Aprobar 2 meses?</h1>" in spanish


def test_needs_a_look_shows_the_months_waiting_that_are_not_clean_and_next_goes_through_them(both_in_review, staff_ab) -> None:
    """With 46 clean months among 50 waiting, the four with a check open were scattered down the
    board, and "Next client waiting" went through the clean ones the bulk approval does at once.
    "Needs a look" (waiting, not clean) lists those four, the counts link to it, and the month
    pages opened from it go from one to the next of them only."""
    from reports.board import board_months, board_page
    from tests.factories import checks_ran

    alpha, beta = both_in_review
    checks_ran(client=alpha, month=MARCH)  # clean
    checks_ran(client=beta, month=MARCH, open=2, open_high=1)  # a check open: needs a look
    months = board_months(now=APRIL_5)
    assert [row.client.slug for row in board_page(user=staff_ab, month=MARCH, months=months, show="attention")[1]] == ["beta"]
    board = browser_for(staff_ab, None).get("/board/?month=2026-03").content.decode()
    assert '<option value="attention"' in board and "Requiere atención" in board
    assert re.search(r'<a href="\?[^"]*show=attention[^"]*" data-attention>1 requiere atención</a>', board)
    filtered = browser_for(staff_ab, None).get("/board/?month=2026-03&show=attention").content.decode()
    assert "Beta" in filtered and 'id="pick-alpha"' not in filtered
    # The month page opened from that filter goes on only through months needing a look: none left.
    assert board_next_waiting(user=staff_ab, client=beta, month=MARCH, show="attention") == (None, 0)
    assert board_next_waiting(user=staff_ab, client=beta, month=MARCH) == (alpha, 1)
    page = browser_for(staff_ab, beta).get("/reports/2026-03/?show=attention").content.decode()
    assert _next_link(page) is None
    # Once beta's check is resolved (clean), nothing needs a look, and the filter says why.
    with time_machine.travel(APRIL_5 + dt.timedelta(hours=3), tick=False):  # a later change time: the board's stamp moves
        checks_ran(client=beta, month=MARCH)
        empty = browser_for(staff_ab, None).get("/board/?month=2026-03&show=attention").content.decode()
    assert "Ningún mes de marzo de 2026 requiere atención" in empty
