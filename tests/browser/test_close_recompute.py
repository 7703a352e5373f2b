"""The close page follows a recompute by itself: Approve is disabled while the month recomputes,
and enabled without a reload once it has finished (htmx polling, no inline script: CSP)."""

from __future__ import annotations

import datetime as dt

import pytest
from django_tenants.utils import schema_context

from clients.models import Job
from reports.services import month_reviews_start
from tests.browser.conftest import sign_in_home
from tests.browser.test_monthly_close import DESKTOP, _page
from tests.reports.conftest import march  # noqa: F401 -- the fixture of a closed March

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_approve_is_enabled_without_a_reload_when_the_recompute_ends(browser, portal, march, staff_a) -> None:  # noqa: F811
    alpha = portal.client("alpha")
    month_reviews_start(client=march, at=dt.datetime(2026, 4, 5, tzinfo=dt.UTC))
    with schema_context("alpha"):
        job = Job.objects.create(kind="recompute", params={"months": ["2026-03"]}, total=1)
    context, page = _page(browser, DESKTOP)
    try:
        sign_in_home(page, alpha, staff_a.username)
        page.goto(alpha + "/reports/2026-03/")
        approve = page.get_by_role("button", name="Aprobar y enviar al cliente")
        assert approve.is_disabled()
        page.evaluate("window.__notReloaded = true")  # gone if the page were loaded again
        with schema_context("alpha"):
            Job.objects.filter(pk=job.pk).update(status=Job.Status.DONE)
        page.get_by_text("El recálculo ha terminado", exact=False).wait_for(timeout=10_000)
        assert approve.is_enabled()
        assert page.evaluate("window.__notReloaded") is True
        assert page.locator("#close-status[hx-trigger]").count() == 0  # polling stopped
    finally:
        context.close()
