"""Issue #24 point 2: the monthly close degrades like the scorecard while Redis is down.

The month's page, its close-status poll and Approve answer (Approve refuses with a sentence when
it cannot know whether the month is being recomputed), and a change accepted during the outage
reaches its snapshot after Redis returns (the real-worker test below repeats the outage).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django_tenants.utils import schema_context

from reports.models import ReportVersion
from reports.services import month_reviews_start
from tests.redis_control import redis_down
from tests.reports.conftest import browser_for
from tests.reports.conftest import march as march


def test_the_close_pages_poll_and_approve_answer_with_redis_down(march, staff_a, client_user_a) -> None:
    month_reviews_start(client=march, at=dt.datetime(2026, 4, 5, tzinfo=dt.UTC))
    staff = browser_for(staff_a, march, language="en")
    staff.raise_request_exception = False
    with redis_down():
        page = staff.get("/reports/2026-03/")
        assert page.status_code == 200
        poll = staff.get("/reports/2026-03/close-status/", HTTP_HX_REQUEST="true")
        assert poll.status_code in {200, 204}
        approve = staff.post("/reports/2026-03/approve/", follow=True)
        assert approve.status_code == 200
        assert "cannot be checked" in approve.content.decode()
        client = browser_for(client_user_a, march, language="en")
        client.raise_request_exception = False
        assert client.get("/reports/").status_code == 200
        assert client.get("/reports/2026-03/").status_code in {200, 404}
    with schema_context(march.schema_name):
        assert not ReportVersion.objects.exists()
    # Redis back: the same Approve goes through.
    assert staff.post("/reports/2026-03/approve/").status_code == 302
    with schema_context(march.schema_name):
        assert ReportVersion.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_recompute_asked_for_during_an_outage_shows_that_it_failed(clean_tenant_tables, march, staff_a) -> None:
    """Not "Recomputing… 0/1" while its job could not even be queued (issue #24 item 12). Committing:
    the queuing runs when the request's job commits, as in production."""
    staff = browser_for(staff_a, march, language="en")
    with redis_down():
        response = staff.post("/scorecard/recompute/", {"month": "2026-03"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    body = response.content.decode()
    assert "The recompute failed." in body and "Try again" in body and "<progress" not in body
