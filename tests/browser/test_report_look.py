"""The client's approved monthly report as a client reads it beside an agency-reporting tool's:
its cards apart from one another, its drill-down's figures in a right-aligned column on a phone.
Measured boxes, not words (English and Spanish, 1440 px and 390 px)."""

from __future__ import annotations

import pytest

from reports.services import month_approve
from tests.browser.conftest import new_page, screenshot, sign_in_home
from tests.reports.conftest import MARCH, march  # noqa: F401 -- alpha's closed March

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DESKTOP, PHONE = {"width": 1440, "height": 1000}, {"width": 390, "height": 844}


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_reports_cards_stand_apart(browser, portal, march, client_user_a, staff_a, viewport) -> None:  # noqa: F811
    """"Read and questions", "Questions", "Versions" and each group of figures were boxes touching one
    another (no margin between two cards): a page of one long box cut by lines. A gap as the
    scorecard's tiles have."""
    month_approve(client=march, month=MARCH, user=staff_a)
    context, page = new_page(browser, locale="es-ES", viewport=viewport)
    try:
        base = portal.client("alpha")
        sign_in_home(page, base, client_user_a.username)
        page.goto(base + "/reports/2026-03/")
        gaps = page.evaluate(
            """() => [...document.querySelectorAll('main > .card + .card')].map(c =>
                 [c.id || c.getAttribute('aria-labelledby'),
                  Math.round(c.getBoundingClientRect().top - c.previousElementSibling.getBoundingClientRect().bottom)])"""
        )
        screenshot(page, f"report-look-cards-{viewport['width']}")
        assert len(gaps) >= 3, gaps
        assert all(gap >= 12 for _, gap in gaps), f"cards touching: {gaps}"
    finally:
        context.close()

