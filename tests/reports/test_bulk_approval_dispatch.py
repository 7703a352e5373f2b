"""A bulk approval is all or nothing: no task approves a month before every client's task was sent
(the approval marked dispatched), and one abandoned — the queue failed part-way, or the request
sending the tasks died — approves nothing, even through the tasks already sent."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django_tenants.utils import schema_context
from redis.exceptions import ConnectionError as RedisConnectionError

from portfolio.models import BulkApproval, BulkApprovalItem, ClientMonthClose
from reports.models import ReportVersion
from reports.services import month_reviews_start
from reports.services_bulk import (
    DISPATCH_LOST,
    QUEUE_FAILED,
    UNDISPATCHED_AFTER,
    bulk_approval_stale_sweep,
    bulk_approval_start,
    bulk_approve_client,
)
from reports.tasks import bulk_approve_task
from tests.reports.conftest import MARCH, browser_for

APRIL_5 = dt.datetime(2026, 4, 5, 12, tzinfo=dt.UTC)
NO_WAIT = dt.timedelta(0)


@pytest.fixture
def in_review(march):
    month_reviews_start(client=march, at=APRIL_5)
    return march


def _figures(client) -> dt.datetime:
    return ClientMonthClose.objects.get(client=client, month=MARCH).figures_at


def test_a_task_run_before_every_task_was_sent_waits_and_approves_nothing_if_the_dispatch_never_ends(
    in_review, staff_a, monkeypatch
) -> None:
    """The worker takes alpha's task while the request is still sending (here: before it marked the
    approval dispatched). Waiting in vain (no wait here), the task abandons it: nothing approved,
    and the request, ending after, cannot mark it dispatched any more."""
    runs: list[int] = []

    def send(task, *, client, bulk_id) -> None:
        runs.append(bulk_approve_client(client=client, bulk_id=bulk_id, wait=NO_WAIT, sleep=lambda _s: None))

    monkeypatch.setattr("reports.services_bulk.enqueue_for_client", send)
    items = [(in_review, MARCH, _figures(in_review))]
    bulk = bulk_approval_start(task=bulk_approve_task, items=items, user=staff_a, language="en")
    assert runs == [0] and bulk.failure == DISPATCH_LOST and bulk.dispatched_at is None
    item = BulkApprovalItem.objects.get(bulk=bulk)
    assert item.state == "refused" and "nothing was approved" in item.message
    with schema_context("alpha"):
        assert not ReportVersion.objects.exists()
    assert ClientMonthClose.objects.get(client=in_review, month=MARCH).state == "in_review"


def test_a_task_waits_for_the_dispatch_then_approves(in_review, staff_a, monkeypatch) -> None:
    """The other way round: the request marks it dispatched while the task waits (its second read)."""
    bulk = BulkApproval.objects.create(user=staff_a, language="en", created_at=APRIL_5)
    BulkApprovalItem.objects.create(bulk=bulk, client=in_review, month=MARCH, figures_at=_figures(in_review))
    reads: list[float] = []

    def sleep(seconds: float) -> None:
        reads.append(seconds)
        BulkApproval.objects.filter(pk=bulk.pk).update(dispatched_at=APRIL_5)

    assert bulk_approve_client(client=in_review, bulk_id=bulk.pk, sleep=sleep) == 1
    assert len(reads) == 1 and BulkApprovalItem.objects.get(bulk=bulk).state == "approved"
    assert bulk_approve_client(client=in_review, bulk_id=bulk.pk) == 0  # run twice: nothing twice


def test_a_task_of_an_abandoned_approval_approves_nothing_even_with_its_month_still_queued(in_review, staff_a) -> None:
    """Its task reached the worker before the request marked the months refused: it reads the
    approval's mark, not the months' state."""
    bulk = BulkApproval.objects.create(user=staff_a, language="en", created_at=APRIL_5, failure=QUEUE_FAILED)
    BulkApprovalItem.objects.create(bulk=bulk, client=in_review, month=MARCH, figures_at=_figures(in_review))
    assert bulk_approve_client(client=in_review, bulk_id=bulk.pk) == 0
    assert BulkApprovalItem.objects.get(bulk=bulk).state == "queued"
    with schema_context("alpha"):
        assert not ReportVersion.objects.exists()


def test_a_task_of_an_approval_deleted_since_approves_nothing(in_review) -> None:
    assert bulk_approve_client(client=in_review, bulk_id=987654) == 0  # delivered again after KEEP_FOR


def test_the_queue_failing_after_the_first_client_abandons_the_whole_approval(in_review, tenant_b, staff_ab, monkeypatch) -> None:
    sent: list[str] = []

    def send(task, *, client, bulk_id) -> None:
        if sent:
            raise RedisConnectionError("Connection refused")
        sent.append(client.slug)

    monkeypatch.setattr("reports.services_bulk.enqueue_for_client", send)
    figures = _figures(in_review)
    items = [(in_review, MARCH, figures), (tenant_b, MARCH, figures)]
    bulk = bulk_approval_start(task=bulk_approve_task, items=items, user=staff_ab, language="es")
    assert sent == ["alpha"] and bulk.failure == QUEUE_FAILED and bulk.dispatched_at is None
    messages = set(BulkApprovalItem.objects.filter(bulk=bulk).values_list("state", "message"))
    assert messages == {("refused", "La cola de tareas en segundo plano no responde: no se aprobó nada.")}
    assert bulk_approve_client(client=in_review, bulk_id=bulk.pk) == 0  # alpha's task, sent before the failure


def test_the_sweep_abandons_an_approval_its_request_never_finished_sending(in_review, staff_a) -> None:
    now = APRIL_5 + dt.timedelta(hours=1)
    dead = BulkApproval.objects.create(user=staff_a, language="en", created_at=now - UNDISPATCHED_AFTER - dt.timedelta(seconds=1))
    BulkApprovalItem.objects.create(bulk=dead, client=in_review, month=MARCH)
    sending = BulkApproval.objects.create(user=staff_a, language="en", created_at=now - dt.timedelta(seconds=20))
    BulkApprovalItem.objects.create(bulk=sending, client=in_review, month=MARCH)
    assert bulk_approval_stale_sweep(now=now) == 1
    dead.refresh_from_db()
    assert dead.failure == DISPATCH_LOST and BulkApprovalItem.objects.get(bulk=dead).state == "refused"
    assert BulkApproval.objects.get(pk=sending.pk).failure == ""  # still being sent, perhaps
    assert bulk_approve_client(client=in_review, bulk_id=dead.pk) == 0


def test_the_board_says_nothing_was_approved_and_why_and_lists_the_months(in_review, staff_a, monkeypatch) -> None:
    def down(task, *, client, **kw) -> None:
        raise RedisConnectionError("Connection refused")

    monkeypatch.setattr("reports.services_bulk.enqueue_for_client", down)
    for language, words, listed in (
        ("en", "Nothing was approved: the background queue stopped answering", "Alpha Analytics (March 2026)"),
        ("es", "No se aprobó nada: la cola de tareas en segundo plano dejó de responder", "Alpha Analytics (marzo de 2026)"),
    ):
        console = browser_for(staff_a, None, language=language)
        board = console.get("/board/?month=2026-03").content.decode()
        pick = re.search(r'name="pick" id="pick-alpha" value="([^"]+)"', board).group(1)
        page = console.post("/board/approve/", {"pick": [pick], "confirm": "1", "back": "month=2026-03"}, follow=True)
        box = page.content.decode().split('id="bulk-progress"', 1)[1].split("</section>", 1)[0]
        assert words in box and 'data-bulk-abandoned' in box and listed in box, box
        assert "all or nothing" in box or "todo o nada" in box
        assert "data-bulk-finished" not in box, box  # not "Done: the board below shows…" after "Nothing was approved"
