"""The account manager closing the month from the board: the month page's "Next client waiting"
keeps the board's filters (Only my clients, Show, Find a client) through the hand-off and the
approval; the bulk Approve is offered only when a month can be ticked; Monthly reports says what a
month outside the close is instead of "Not approved yet"."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from urllib.parse import unquote

import pytest
import time_machine
from django_tenants.utils import schema_context

from agency.models import User
from agency.views.auth import handoff_next
from clients.models import Lead, Spend
from kpis.services import snapshot_compute
from reports.board import board_next_waiting
from reports.services import month_reviews_start
from tests.factories import UserFactory
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


@pytest.fixture
def admin_of_alpha(tenant_a) -> User:
    """An agency admin (sees every client) assigned to alpha only: "Only my clients" is alpha."""
    return UserFactory(username="ada-alpha", first_name="Ada", last_name="Lovelace", role=User.Role.ADMIN, clients=[tenant_a])


def _next_link(page: str) -> str | None:
    found = re.search(r'<a href="([^"]+)" data-next-client="[^"]*"[^>]*>', page)
    return found.group(1) if found else None


@pytest.mark.parametrize(("language", "none_left"), [
    # "among those the board's filters show": beta waits, outside "Only my clients"
    ("en", "No other client's March 2026 among those the board's filters show is waiting for review."),
    ("es", "Ningún otro de los clientes que muestran los filtros del tablero tiene marzo de 2026 pendiente de revisión."),
])
def test_only_my_clients_is_kept_by_the_next_client_link(both_in_review, admin_of_alpha, language, none_left) -> None:
    alpha, _beta = both_in_review
    # The board with "Only my clients" links to alpha's month with the filter after the path
    board = browser_for(admin_of_alpha, None, language=language).get("/board/?month=2026-03&mine=1").content.decode()
    links = set(re.findall(r'href="(/accounts/switch/alpha/\?next=/reports/2026-03/[^"#]*)', board))
    assert links == {"/accounts/switch/alpha/?next=/reports/2026-03/%3Fmine%3D1"}  # name, square (and checks)
    assert "/accounts/switch/alpha/?next=/reports/2026-02/%3Fmine%3D1" in board  # every month's square
    assert "/accounts/switch/beta/" not in board.split('id="board-table"', 1)[1]
    # the hand-off keeps that path and its query
    assert handoff_next(unquote(links.pop().split("next=", 1)[1])) == "/reports/2026-03/?mine=1"
    # on alpha's month page, the admin's next client waiting is among *their* clients: none
    staff = browser_for(admin_of_alpha, alpha, language=language)
    page = staff.get("/reports/2026-03/?mine=1").content.decode()
    assert _next_link(page) is None and none_left in page
    assert re.search(r'href="http://[^"]+/board/\?month=2026-03&amp;mine=1"', page)  # back to the same board
    assert 'action="/reports/2026-03/approve/?mine=1"' in page
    # without the filter, every client: beta waits
    assert _next_link(staff.get("/reports/2026-03/").content.decode()) == "/accounts/switch/beta/?next=/reports/2026-03/"


def test_the_next_client_link_carries_the_filters_on_after_an_approval(both_in_review, admin_user) -> None:
    alpha, beta = both_in_review
    staff = browser_for(admin_user, alpha, language="en")
    page = staff.get("/reports/2026-03/?show=waiting&q=a").content.decode()
    assert _next_link(page) == "/accounts/switch/beta/?next=/reports/2026-03/%3Fshow%3Dwaiting%26q%3Da"
    # a search that only alpha matches leaves nobody next
    assert board_next_waiting(user=admin_user, client=alpha, month=MARCH, query="alph") == (None, 0)
    assert board_next_waiting(user=admin_user, client=alpha, month=MARCH, query="bet") == (beta, 1)
    # approving comes back to the page with the filters, whose next link still has them
    response = staff.post("/reports/2026-03/approve/?show=waiting&q=a&junk=1")
    assert response.status_code == 302 and response["Location"] == "/reports/2026-03/?show=waiting&q=a"


def test_the_filters_outlive_the_draft_and_a_check_resolved_in_place(both_in_review, admin_user) -> None:
    """"Draft from the figures" (and Resolve) redraw Approve in place: its form lost the board's
    filters, so after a draft the approval came back without them, and "Next client waiting" went
    through every client instead of the ones the board showed (and "← Close board" forgot them)."""
    alpha, _beta = both_in_review
    staff = browser_for(admin_user, alpha, language="en")
    page = staff.get("/reports/2026-03/?show=waiting&mine=1").content.decode()
    assert 'hx-post="/reports/2026-03/draft/?show=waiting&amp;mine=1"' in page
    body = staff.post("/reports/2026-03/draft/?show=waiting&mine=1", HTTP_HX_REQUEST="true").content.decode()
    approve = body[body.index('<div id="close-approve" hx-swap-oob="true">'):]
    assert 'action="/reports/2026-03/approve/?show=waiting&amp;mine=1"' in approve
    # without JavaScript: the page again, with them
    response = staff.post("/reports/2026-03/draft/?show=waiting&mine=1")
    assert response["Location"] == "/reports/2026-03/?show=waiting&mine=1"


def test_a_next_path_keeps_a_plain_query_and_nothing_else() -> None:
    path = "/reports/2026-03/?mine=1&show=waiting&q=pe%C3%B1a+co"
    assert handoff_next(path) == path
    for bad in ("//evil.example/", "/reports/?next=//evil", "/reports/?q=<script>", "https://evil.example/", "/a?b?c"):
        assert handoff_next(bad) == "", bad


@pytest.mark.parametrize(("language", "why"), [
    ("en", "No month of March 2026 here is clean, so there is nothing to tick and approve together"),
    ("es", "Ningún mes de marzo de 2026 de esta lista está limpio, así que no hay nada que marcar y aprobar junto"),
])
def test_approve_the_ticked_months_shows_only_when_a_month_can_be_ticked(both_in_review, admin_user, language, why) -> None:
    from portfolio.models import ClientMonthClose

    console = browser_for(admin_user, None, language=language)
    button = {"en": "Approve the ticked months…", "es": "Aprobar los meses marcados…"}[language]
    page = console.get("/board/?month=2026-03").content.decode()
    assert button in page and why not in page and 'name="pick"' in page
    # a client question on each: nothing clean, nothing to tick; the board says why instead of the button
    ClientMonthClose.objects.filter(month=MARCH).update(open_questions=1, updated_at=APRIL_5 + dt.timedelta(hours=3))
    page = console.get("/board/?month=2026-03").content.decode()
    assert 'name="pick"' not in page and button not in page and why in page
    # the filters swap the table (htmx): the button and the reason go with it
    partial = console.get("/board/?month=2026-03&show=waiting", HTTP_HX_REQUEST="true").content.decode()
    assert partial.lstrip().startswith('<div id="board-table">') and why in partial
    # every month approved: nothing waits, and it says that (not "open a month waiting for review")
    later = APRIL_5 + dt.timedelta(hours=4)
    ClientMonthClose.objects.filter(month=MARCH).update(state="approved", open_questions=0, updated_at=later)
    page = console.get("/board/?month=2026-03").content.decode()
    nothing = {"en": "Nothing of March 2026 waits for the agency.", "es": "Nada de marzo de 2026 está pendiente de la agencia."}
    assert button not in page and why not in page and nothing[language] in page


@pytest.mark.parametrize(("language", "before", "never", "in_progress", "enters"), [
    ("en", "Before this client&#x27;s first report", "No approval pending", "Month in progress",
     "Enters the close when it ends"),
    ("es", "Anterior al primer informe de este cliente", "Ninguna aprobación pendiente", "Mes en curso",
     "Entra en el cierre cuando termine"),
])
def test_months_outside_the_close_say_what_they_are_not_not_approved_yet(
    both_in_review, staff_a, language, before, never, in_progress, enters
) -> None:
    alpha, _beta = both_in_review
    with schema_context("alpha"):
        Lead.objects.create(id="f1", created_at=dt.datetime(2026, 2, 10, tzinfo=dt.UTC))
        Lead.objects.create(id="a1", created_at=dt.datetime(2026, 4, 2, tzinfo=dt.UTC))
    snapshot_compute(client=alpha, months=[dt.date(2026, 2, 1), dt.date(2026, 4, 1)])
    page = browser_for(staff_a, alpha, language=language).get("/reports/").content.decode()
    rows = {m: row for m, row in re.findall(r'href="/reports/(\d{4}-\d{2})/">.*?</th>(.*?)</tr>', page, re.S)}
    assert set(rows) == {"2026-04", "2026-03", "2026-02"}
    assert in_progress in rows["2026-04"] and enters in rows["2026-04"]
    assert before in rows["2026-02"] and never in rows["2026-02"]
    pending = {"en": "Not approved yet", "es": "Aún sin aprobar"}[language]
    assert pending in rows["2026-03"]  # in review: its approval is what is pending
    assert pending not in rows["2026-04"] and pending not in rows["2026-02"]


@pytest.mark.parametrize(("language", "running", "before"), [
    ("en", "April 2026 is still running", "Before this client&#x27;s first report"),
    ("es", "abril de 2026 aún está en curso", "Anterior al primer informe de este cliente"),
])
def test_the_month_in_progress_is_not_offered_for_approval_and_says_what_it_is(
    both_in_review, admin_user, language, running, before
) -> None:
    from reports.services import ApprovalRefused, month_approve

    alpha, _beta = both_in_review
    snapshot_compute(client=alpha, months=[dt.date(2026, 2, 1), dt.date(2026, 4, 1)])
    staff = browser_for(admin_user, alpha, language=language)
    page = staff.get("/reports/2026-04/").content.decode()
    assert 'data-state="outside"' in page and {"en": "Month in progress", "es": "Mes en curso"}[language] in page
    assert "data-jump-approve" not in page and "data-in-progress" in page and running in page
    assert 'action="/reports/2026-04/approve/' not in page
    assert 'id="draft-title"' not in page  # no draft setting 5 days against whole months
    # a form left open (or the command line) is refused too: a part of a month is not the month's report
    with pytest.raises(ApprovalRefused):
        month_approve(client=alpha, month=dt.date(2026, 4, 1), user=admin_user)
    assert staff.post("/reports/2026-04/approve/").status_code == 302
    # February, before alpha's first report: said so, and still approvable (a past month sent on purpose)
    page = staff.get("/reports/2026-02/").content.decode()
    assert before in page and 'data-state="outside"' in page and 'action="/reports/2026-02/approve/' in page
    # March, in the close: its state and its draft as ever
    page = staff.get("/reports/2026-03/").content.decode()
    assert 'data-state="in_review"' in page and 'id="draft-title"' in page


@pytest.mark.parametrize(("language", "why"), [
    ("en", "No client is assigned to you: untick “Only my clients” to see every client."),
    ("es", "No tienes ningún cliente asignado: desmarca «Solo mis clientes» para ver todos."),
])
def test_only_my_clients_with_none_assigned_says_so_not_no_client_matches(both_in_review, admin_user, language, why) -> None:
    page = browser_for(admin_user, None, language=language).get("/board/?month=2026-03&mine=1").content.decode()
    assert why in page and {"en": "No client matches.", "es": "Ningún cliente coincide."}[language] not in page


@pytest.mark.parametrize(("language", "before", "in_review", "square"), [
    ("en", "Before this client&#x27;s first report", "March 2026: in review",
     "February 2026: before this client&#x27;s first report"),
    ("es", "Anterior al primer informe de este cliente", "marzo de 2026: en revisión",
     "febrero de 2026: anterior al primer informe de este cliente"),
])
def test_the_board_says_a_month_came_before_the_clients_first_report(
    both_in_review, admin_user, language, before, in_review, square
) -> None:
    page = browser_for(admin_user, None, language=language).get("/board/?month=2026-02").content.decode()
    table = page.split('id="board-table"', 1)[1]
    assert f'<span class="hint" data-state="outside">{before}</span>' in table  # February's state, for both clients
    assert f'title="{in_review}"' in table and f'title="{square}"' in table  # and its squares
    assert {"en": "Not in the close</span>", "es": "Fuera del cierre</span>"}[language] not in table.split('class="legend"')[0]


@pytest.mark.parametrize(("language", "hint", "generic"), [
    ("en", ("1 month here cannot be ticked because its checks have not run yet", "“Recompute this month”"),
     "nothing to tick and approve together"),
    ("es", ("1 mes de esta lista no se puede marcar porque sus comprobaciones aún no se han ejecutado",
            "«Recalcular este mes»"), "nada que marcar y aprobar junto"),
])
def test_a_month_whose_checks_never_ran_says_how_to_run_them_not_nothing_to_tick(
    both_in_review, admin_user, language, hint, generic
) -> None:
    """Beta's March has a client question (not clean, the generic reason); alpha's never had its checks
    run: the board says that, and how to run them, and its "Not run yet" opens the month."""
    from portfolio.models import ClientMonthChecks, ClientMonthClose

    ClientMonthClose.objects.filter(client__slug="beta", month=MARCH).update(open_questions=1, updated_at=APRIL_5)
    ClientMonthChecks.objects.filter(client__slug="alpha", month=MARCH).delete()  # computed before the checks existed
    page = browser_for(admin_user, None, language=language).get("/board/?month=2026-03").content.decode()
    found = re.search(r'<p class="hint board-unchecked" data-unchecked-hint>([^<]+)</p>', page)
    assert found and all(words in found.group(1) for words in hint), page
    assert generic not in page and 'name="pick"' not in page
    link = re.search(r'<a class="hint" data-unchecked-link href="([^"]+)"', page)
    assert link and unquote(link.group(1)).startswith("/accounts/switch/alpha/?next=/reports/2026-03/"), link
    assert page.count("data-unchecked-link") == 1  # beta's checks ran: no link
    # Alpha's checks run (nothing found): clean, tickable, and no hint any more.
    ClientMonthChecks.objects.create(client_id=both_in_review[0].pk, month=MARCH, total=0, high=0, open=0, open_high=0)
    page = browser_for(admin_user, None, language=language).get("/board/?month=2026-03").content.decode()
    assert "data-unchecked-hint" not in page and 'id="pick-alpha"' in page


@pytest.mark.parametrize(("language", "words"), [
    ("en", {"1": "Approve the ticked month…", "2": "Approve the 2 ticked months…"}),
    ("es", {"1": "Aprobar el mes marcado…", "2": "Aprobar los 2 meses marcados…"}),
])
def test_the_bulk_button_has_its_words_for_each_number_of_months_ticked(both_in_review, admin_user, language, words) -> None:
    """static/js/board.js swaps them in as boxes are ticked ("Approve the 2 ticked months…"), with the
    language's plural forms; none ticked, the button keeps its words."""
    import json
    from html import unescape

    page = browser_for(admin_user, None, language=language).get("/board/?month=2026-03").content.decode()
    button = r'<button type="submit" class="primary" data-approve-ticked data-words="([^"]*)" data-words-none="([^"]*)">([^<]*)<'
    found = re.search(button, page)
    none = {"en": "Approve the ticked months…", "es": "Aprobar los meses marcados…"}[language]
    assert found and json.loads(unescape(found.group(1))) == words and found.group(2) == found.group(3) == none
