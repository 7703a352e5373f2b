"""The portfolio at 390 px in Spanish, as an agency admin: each client a card of labelled figures
(it scrolled sideways, the KPIs out of sight), the sort links above, amounts grouped by currency
when sorted by one, and a client's name opening that client's month."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from agency.months import Month
from portfolio.models import ClientMonthClose, ClientMonthSummary
from tests.browser.conftest import new_page, screenshot, sign_in_home
from tests.browser.test_report import _no_overflow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [390, 1440])
def test_the_portfolio_reads_as_cards_on_a_phone_and_opens_a_clients_month(browser, portal, admin_user, tenants, width) -> None:
    month = (Month.of(timezone.now().date().replace(day=1)) - 1).first_day
    for slug, spend in (("alpha", 48_867.87), ("beta", 39_641.17)):  # EUR, USD
        ClientMonthSummary.objects.create(
            client=tenants[slug], month=month, computed_at=timezone.now(), has_spend=True, new_leads=170,
            marketing_spend=spend, cpl=spend / 170,
        )
    ClientMonthClose.objects.create(client=tenants["alpha"], month=month, state="in_review", in_review_since=timezone.now())
    admin_user.language = "es"
    admin_user.save()
    context, page = new_page(browser, locale="es-ES", viewport={"width": width, "height": 900})
    try:
        sign_in_home(page, portal.console, admin_user.username)
        page.goto(portal.console + "/portfolio/?sort=marketing_spend&dir=desc")
        queue = page.locator(".close-queue .table-wrap")  # the months waiting: every column on screen
        assert queue.evaluate("e => e.scrollWidth <= e.clientWidth"), "the close queue scrolls sideways"
        assert queue.get_by_text("Desde hoy").is_visible()
        table = page.locator("#portfolio-table")
        table.locator("tbody tr").first.wait_for()
        assert table.evaluate("e => e.scrollWidth <= e.clientWidth"), "the portfolio scrolls sideways"
        assert "Importes en EUR, ordenados solo entre sí" in table.inner_text()
        assert "Importes en USD, ordenados solo entre sí" in table.inner_text()
        if width == 390:
            labels = table.locator("tbody tr td[data-label]").evaluate_all(
                "cells => cells.filter(c => c.offsetParent).map(c => getComputedStyle(c, '::before').content)")
            assert '"Inversión en marketing"' in labels and '"Costo por lead"' in labels, labels
            spend = table.locator("td[data-label='Inversión en marketing']").first
            assert spend.is_visible() and "48 867,87 €" in re.sub(r"\s", " ", spend.inner_text())
            assert table.get_by_role("link", name="Inversión en marketing", exact=True).is_visible()  # sort links above the cards
        _no_overflow(page)
        screenshot(page, f"portfolio-es-{width}")
        table.get_by_role("link", name="Alpha Analytics").click()
        page.wait_for_url(re.compile(rf"http://alpha\.localhost:\d+/reports/{Month.of(month)}/"))
    finally:
        context.close()


def test_the_changes_under_the_figures_still_fit_1440_px_in_spanish(browser, portal, admin_user, tenants) -> None:
    """Each figure's change against the month before sits under it: with large figures both months
    and Spanish labels the fifteen columns still fit at 1440 px, and no figure or change splits."""
    from tests.browser.test_scorecard import WRAP_WIDTHS

    month = (Month.of(timezone.now().date().replace(day=1)) - 1).first_day
    big = {key: 987_654.32 for key in ClientMonthSummary.FIGURES if hasattr(ClientMonthSummary, key)}
    for slug in ("alpha", "beta"):
        for when, factor in ((month, 1.0), ((Month.of(month) - 1).first_day, 0.37)):
            figures = {k: v * factor for k, v in big.items()} | {"romi": 12.345 * factor, "gross_mrr_churn_rate": 0.123 * factor}
            ClientMonthSummary.objects.create(client=tenants[slug], month=when, computed_at=timezone.now(), **figures)
    admin_user.language = "es"
    admin_user.save()
    context, page = new_page(browser, locale="es-ES", viewport={"width": 1440, "height": 900})
    try:
        sign_in_home(page, portal.console, admin_user.username)
        page.goto(portal.console + "/portfolio/")
        page.locator("#portfolio-table tbody tr").first.wait_for()
        assert page.locator("#portfolio-table .change").count() >= 20
        widths = page.evaluate(WRAP_WIDTHS)
        assert widths[0] <= widths[1], widths
        assert page.evaluate(SPLIT_FIGURES) == []  # "987 654,32 €" and "+170,3 %" never split
        screenshot(page, "portfolio-changes-1440-es")
    finally:
        context.close()


# A figure (the cell's first text) or its change (the first text of its .change) on two lines.
SPLIT_FIGURES = """[...document.querySelectorAll('#portfolio-table td.num')].flatMap(td => [td.firstChild,
    td.querySelector('.change') && td.querySelector('.change').firstChild]).filter(n => n && n.nodeType === 3).filter(n => {
  const range = document.createRange(); range.selectNodeContents(n);
  return new Set([...range.getClientRects()].map(r => Math.round(r.top))).size > 1;
}).map(n => n.textContent)"""
