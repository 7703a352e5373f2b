"""Words a Spanish reader of the close frowned at: the report's header offered staff "Revisar la
revisión" (review the review) for a revision waiting; it says "Revisar los cambios". A client's card on
the close board read "Esperando: No espera" (waiting: does not wait): "En espera: No"."""

from __future__ import annotations

import datetime as dt

import time_machine

from clients.outbox import outbox_send_due
from reports.services import month_approve, month_reviews_start
from tests.reports.conftest import MARCH, browser_for, late_spend


def test_a_revision_waiting_is_offered_as_the_changes_to_review(march, staff_a) -> None:
    month_approve(client=march, month=MARCH, user=staff_a)
    outbox_send_due(client=march)
    late_spend(march)
    card = browser_for(staff_a, march).get("/scorecard/?month=2026-03").content.decode()
    assert '<a href="/reports/2026-03/">Revisar los cambios</a>' in card and "Revisar la revisión" not in card
    english = browser_for(staff_a, march, language="en")
    staff_a.language = "en"
    staff_a.save()
    assert '<a href="/reports/2026-03/">Review the revision</a>' in english.get("/scorecard/?month=2026-03").content.decode()


def test_the_boards_waiting_column_reads_as_spanish(march, staff_a) -> None:
    board = browser_for(staff_a, None).get("/board/?month=2026-03").content.decode()
    assert 'data-label="En espera"><span class="hint said">No</span>' in board, board
    assert "Esperando" not in board and "No espera" not in board
    month_reviews_start(client=march, at=dt.datetime(2026, 4, 5, 12, tzinfo=dt.UTC))
    with time_machine.travel(dt.datetime(2026, 4, 5, 13, tzinfo=dt.UTC)):
        board = browser_for(staff_a, None).get("/board/?month=2026-03").content.decode()
    assert 'data-label="En espera"><span class="said">Desde hoy</span></td>' in board
