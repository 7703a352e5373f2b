"""One platform outage flags the same check for several clients: staff resolve it for all of them with
one note, after a confirmation listing them; all of them or none; the note is on each client's month
as if written there."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import translation
from django_tenants.utils import schema_context

from kpis.models import CheckResult
from kpis.services import snapshot_compute
from portfolio.models import ClientMonthChecks
from reports.models import CheckNote
from reports.services import checks_resolve_together, month_review_start
from tests.conftest import signed_in
from tests.kpis.test_checks_stored import GAP, MONTHS, OCT, seed
from tests.reports.conftest import browser_for

pytestmark = pytest.mark.django_db
GAP_KEY = "coverage.source_gap"
NOTE = "Google Ads export outage of 6–8 Oct, restated by the platform"


@pytest.fixture(autouse=True)
def _november():
    with time_machine.travel(dt.datetime(2026, 11, 10, 9, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def outage(tenant_a, tenant_b):
    """Alpha's and beta's October each with the same three days of spend missing (a high check) and
    campaigns named twice (low)."""
    for tenant in (tenant_a, tenant_b):
        with schema_context(tenant.schema_name):
            seed(gap=GAP, twins=True)
        snapshot_compute(client=tenant, months=MONTHS)
        month_review_start(client=tenant, month=OCT.first_day, at=dt.datetime(2026, 11, 10, 9, tzinfo=dt.UTC))  # waiting
    return tenant_a, tenant_b


def _gap(tenant) -> CheckResult:
    with schema_context(tenant.schema_name):
        return CheckResult.objects.get(month=OCT.first_day, key=GAP_KEY)


def _notes(tenant) -> list[CheckNote]:
    with schema_context(tenant.schema_name):
        return list(CheckNote.objects.all())


def test_one_note_resolves_the_same_check_of_several_clients(outage, staff_ab) -> None:
    alpha, beta = outage
    assert ClientMonthChecks.objects.get(client=beta, month=OCT.first_day).open == 2
    checks_resolve_together(items=[(alpha, _gap(alpha).pk), (beta, _gap(beta).pk)], month=OCT.first_day, note=NOTE,
                            user=staff_ab)
    for tenant in outage:
        gap = _gap(tenant)
        assert gap.resolved_at is not None and gap.resolution_note == NOTE
        (note,) = _notes(tenant)  # in each client's month history, under who wrote it
        assert (note.key, note.note, note.author) == (GAP_KEY, NOTE, staff_ab.pk)
        assert ClientMonthChecks.objects.get(client=tenant, month=OCT.first_day).open == 1  # the console's count follows
    page = browser_for(staff_ab, beta, language="en").get("/reports/2026-10/").content.decode()
    assert NOTE in page.split("Checks resolved, and the notes", 1)[1]  # as if written on beta's page


def test_one_check_recomputed_meanwhile_resolves_none_and_says_which(outage, staff_ab) -> None:
    alpha, beta = outage
    gone = _gap(beta).pk
    with schema_context("beta"):
        CheckResult.objects.filter(pk=gone).delete()  # a recompute no longer finds it
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        checks_resolve_together(items=[(alpha, _gap(alpha).pk), (beta, gone)], month=OCT.first_day, note=NOTE,
                                user=staff_ab)
    assert "Beta" in refused.value.messages[0] and "Nothing was resolved." in refused.value.messages[0]
    assert _gap(alpha).resolved_at is None and _notes(alpha) == []  # alpha's, resolved first, was rolled back
    assert ClientMonthChecks.objects.get(client=alpha, month=OCT.first_day).open == 2


def test_a_client_the_user_may_not_open_is_refused_and_nothing_is_resolved(outage, staff_a) -> None:
    alpha, beta = outage
    with pytest.raises(ValidationError):
        checks_resolve_together(items=[(alpha, _gap(alpha).pk), (beta, _gap(beta).pk)], month=OCT.first_day,
                                note=NOTE, user=staff_a)
    assert _gap(alpha).resolved_at is None and _gap(beta).resolved_at is None


def test_the_console_lists_the_check_its_clients_then_a_confirmation_then_resolves_them(outage, staff_ab, staff_a) -> None:
    alpha, beta = outage
    console = signed_in(staff_ab, None, HTTP_ACCEPT_LANGUAGE="es")
    listed = console.get("/board/checks/?month=2026-10").content.decode()
    assert f'data-check-key="{GAP_KEY}"' in listed and "2 clientes" in listed
    page = console.get(f"/board/checks/?month=2026-10&key={GAP_KEY}").content.decode()
    picks = [f"alpha|{_gap(alpha).pk}", f"beta|{_gap(beta).pk}"]
    for pick in picks:
        assert f'value="{pick}" checked' in page
    assert "Resolver en los clientes marcados…" in page
    for english in ("Resolve for", "Resolve a check", "The clients it is open at", "What you found", "open at", "Another check"):
        assert english not in page, english  # no English left on the Spanish page
    # no note: the form again, the ticks as they were
    again = console.post("/board/checks/", {"month": "2026-10", "key": GAP_KEY, "pick": picks[:1], "note": " "})
    text = again.content.decode()
    assert 'class="message error" role="alert"' in text
    assert f'value="{picks[0]}" checked' in text and f'value="{picks[1]}" checked' not in text
    confirm = console.post("/board/checks/", {"month": "2026-10", "key": GAP_KEY, "pick": picks, "note": NOTE})
    text = confirm.content.decode()
    assert "¿Resolver 2 comprobaciones con una sola nota?" in text and NOTE in text
    assert 'data-together-client="alpha"' in text and 'data-together-client="beta"' in text
    for english in ("Resolve 2", "with one note", "Your note", "What the check found", "Each is resolved"):
        assert english not in text, english
    assert _gap(alpha).resolved_at is None  # nothing before the confirmation
    done = console.post("/board/checks/", {"month": "2026-10", "key": GAP_KEY, "pick": picks, "note": NOTE, "confirm": "1"},
                        follow=True)
    assert "Comprobación resuelta en 2 clientes" in done.content.decode()
    assert _gap(alpha).resolved_at is not None and _gap(beta).resolved_at is not None
    # staff of alpha alone see alpha's only
    mine = signed_in(staff_a, None, HTTP_ACCEPT_LANGUAGE="en").get("/board/checks/?month=2026-10").content.decode()
    assert "Beta" not in mine


def test_the_month_page_and_the_boards_needs_a_look_lead_there(outage, staff_ab) -> None:
    alpha, _beta = outage
    page = browser_for(staff_ab, alpha, language="en").get("/reports/2026-10/").content.decode()
    assert f"/board/checks/?month=2026-10&amp;key={GAP_KEY}" in page and "data-check-together" in page
    board = signed_in(staff_ab, None, HTTP_ACCEPT_LANGUAGE="en").get("/board/?month=2026-10&show=attention").content.decode()
    assert 'href="/board/checks/?month=2026-10" data-checks-together' in board
