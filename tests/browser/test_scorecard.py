"""The scorecard in a real browser: swaps without reloading, drill-downs, CSV, Spanish, phone width."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django_tenants.utils import schema_context

from clients.models import Campaign, Lead, Spend
from kpis.services import snapshot_compute
from tests.browser.conftest import screenshot
from tests.browser.test_portal_shell import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def scorecard_data(tenants):
    alpha = tenants["alpha"]
    with schema_context("alpha"):
        Campaign.objects.create(id="ads", name="Search ads", channel="paid_search")
        Lead.objects.bulk_create(
            [Lead(id=f"f{i}", created_at=dt.datetime(2026, 2, 10, tzinfo=dt.UTC), campaign_id="ads") for i in range(4)]
            + [Lead(id=f"m{i}", created_at=dt.datetime(2026, 3, 10, tzinfo=dt.UTC), channel="referral") for i in range(9)]
        )
        Spend.objects.create(id="s1", date=dt.date(2026, 3, 5), category="media", amount=Decimal("12345.60"), campaign_id="ads")
    snapshot_compute(client=alpha, months=[dt.date(2026, m, 1) for m in (1, 2, 3)])
    return alpha


def test_month_changes_swap_the_tiles_without_a_full_page_load(page, portal, client_user_a, scorecard_data) -> None:
    sign_in(page, portal.client("alpha"), client_user_a.username)
    page.wait_for_url(portal.client("alpha") + "/")
    page.get_by_role("link", name="Report", exact=True).click()
    page.wait_for_url(portal.client("alpha") + "/scorecard/")
    new_leads = page.locator('[data-summary][data-kpi="new_leads"] .value')
    assert new_leads.inner_text() == "9"
    page.evaluate("window.__sameDocument = true")
    page.get_by_label("Month", exact=True).select_option("2026-02")
    page.wait_for_url("**/scorecard/?month=2026-02**")
    page.locator('[data-summary][data-kpi="new_leads"] .value', has_text="4").wait_for()
    assert page.evaluate("window.__sameDocument") is True  # no reload: the marker survived
    screenshot(page, "scorecard-desktop")
    page.go_back()
    page.locator('[data-summary][data-kpi="new_leads"] .value', has_text="9").wait_for()

    page.get_by_role("button", name="Channel", exact=True).click()
    page.get_by_role("row", name="Paid search").wait_for()
    page.get_by_role("button", name="New leads").click()
    page.locator('th[aria-sort="descending"]').wait_for()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download CSV").first.click()
    assert download.value.suggested_filename == "alpha-scorecard-2026-03.csv"

    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "scorecard-phone")


def test_spanish_shows_spanish_labels_and_number_formats(page, portal, client_user_a, scorecard_data) -> None:
    client_user_a.language = "es"
    client_user_a.save()
    sign_in(page, portal.client("alpha"), client_user_a.username)
    page.goto(portal.client("alpha") + "/scorecard/?month=2026-03")
    page.get_by_role("heading", name="Informe", exact=True).wait_for()
    assert page.locator('[data-summary][data-kpi="marketing_spend"] h3').inner_text() == "Inversión en marketing"
    assert page.locator('[data-summary][data-kpi="marketing_spend"] .value').inner_text().replace("\xa0", " ") == "12 345,60 €"
    screenshot(page, "scorecard-es")


def test_another_client_cannot_reach_this_scorecard(page, portal, client_user_b, scorecard_data) -> None:
    sign_in(page, portal.client("beta"), client_user_b.username)
    page.wait_for_url(portal.client("beta") + "/")
    # carry beta's session to alpha's host: refused and ended (sign-in page), no figures
    cookies = page.context.cookies(portal.client("beta"))
    page.context.add_cookies([{**c, "domain": "alpha.localhost"} for c in cookies if c["name"] == "sessionid"])
    page.goto(portal.client("alpha") + "/scorecard/?month=2026-03")
    assert "/accounts/login/" in page.url and "12,345.60" not in page.content()
    # the session is ended: back at its own host it no longer signs anyone in
    page.goto(portal.client("beta") + "/")
    assert "/accounts/login/" in page.url


def test_the_portfolio_sorts_and_filters(page, portal, admin_user, tenants) -> None:
    from django.utils import timezone

    from agency.months import Month
    from portfolio.models import ClientMonthSummary

    month = (Month.of(timezone.now().date().replace(day=1)) - 1).first_day
    ClientMonthSummary.objects.create(client=tenants["alpha"], month=month, computed_at=timezone.now(), new_leads=40, cpl=55.5)
    ClientMonthSummary.objects.create(client=tenants["beta"], month=month, computed_at=timezone.now(), new_leads=90, cpl=20.0)
    sign_in(page, portal.console, admin_user.username)
    page.wait_for_url(portal.console + "/")
    page.get_by_role("link", name="Portfolio").click()
    rows = page.locator("#portfolio-table tbody tr")
    rows.first.wait_for()
    page.evaluate("window.__sameDocument = true")
    page.get_by_role("link", name="New leads").click()  # sort: most leads first
    page.locator('th[aria-sort="descending"]').wait_for()
    assert rows.nth(0).inner_text().startswith("Beta Brands")
    page.get_by_label("Find a client").fill("alpha")
    page.wait_for_url("**q=alpha**")
    rows.filter(has_text="Beta Brands").wait_for(state="detached")
    assert rows.count() == 1 and page.evaluate("window.__sameDocument") is True
    screenshot(page, "portfolio")


WRAP_WIDTHS = "(() => { const w = document.querySelector('#portfolio-table'); return [w.scrollWidth, w.clientWidth]; })()"
FIGURES_ON_TWO_LINES = """[...document.querySelectorAll('#portfolio-table td.num')].filter(td => {
  const range = document.createRange(); range.selectNodeContents(td);
  return new Set([...range.getClientRects()].map(r => Math.round(r.top))).size > 1;
}).map(td => td.innerText)"""


def test_the_portfolio_fits_1440_px_in_spanish_without_a_sideways_scroll(browser, portal, admin_user, tenants) -> None:
    """An account manager reads every client's headline KPIs at once: at 1440 px the fifteen columns
    fit (headers wrap, figures never do), even with large figures, long names and Spanish labels."""
    from django.utils import timezone

    from agency.months import Month
    from portfolio.models import ClientMonthSummary
    from tests.browser.conftest import new_page, sign_in_home

    month = (Month.of(timezone.now().date().replace(day=1)) - 1).first_day
    big = {key: 987_654.32 for key in ClientMonthSummary.FIGURES}
    big.update(romi=12.345, gross_mrr_churn_rate=0.123)
    for slug in ("alpha", "beta"):
        figures = {k: v for k, v in big.items() if hasattr(ClientMonthSummary, k)}
        ClientMonthSummary.objects.create(client=tenants[slug], month=month, computed_at=timezone.now(), **figures)
    context, page = new_page(browser, locale="es-ES", viewport={"width": 1440, "height": 900})
    try:
        admin_user.language = "es"
        admin_user.save()
        sign_in_home(page, portal.console, admin_user.username)
        page.goto(portal.console + "/portfolio/")
        page.locator("#portfolio-table tbody tr").first.wait_for()
        widths = page.evaluate(WRAP_WIDTHS)
        assert widths[0] <= widths[1], widths
        assert page.evaluate(FIGURES_ON_TWO_LINES) == []  # "197,6 %" never split over two lines
        screenshot(page, "portfolio-1440-es")
    finally:
        context.close()


def test_staff_annotate_a_month_and_set_a_target_and_see_both(page, portal, staff_a, scorecard_data) -> None:
    sign_in(page, portal.client("alpha"), staff_a.username)
    page.wait_for_url(portal.client("alpha") + "/")
    page.goto(portal.client("alpha") + "/scorecard/?month=2026-03")
    page.get_by_text("Staff: annotate, set a target, recompute").click()
    page.get_by_label("A note on March 2026").fill("Site redesign launched")
    page.get_by_role("button", name="Add note").click()
    page.get_by_text("Note added.").wait_for()
    page.get_by_text("Staff: annotate, set a target, recompute").click()
    page.get_by_label("KPI", exact=True).select_option("new_leads")
    page.get_by_label("Target for March 2026").fill("8")
    page.get_by_role("button", name="Set target").click()
    page.get_by_text("Target saved.").wait_for()
    assert "Site redesign launched" in page.locator(".annotations").inner_text()
    assert page.locator('[data-summary][data-kpi="new_leads"] .target').inner_text() == "Target 8 — met"
    note = page.locator('[data-summary][data-kpi="new_leads"] svg.chart:visible line[stroke-dasharray="2 2"]:has(title)')
    assert note.count() == 1  # the note, on the drawing shown (the legend's sample has no text to show)
    screenshot(page, "scorecard-staff-context")


def test_a_failed_swap_shows_a_message(page, portal, client_user_a, scorecard_data) -> None:
    sign_in(page, portal.client("alpha"), client_user_a.username)
    page.wait_for_url(portal.client("alpha") + "/")
    page.goto(portal.client("alpha") + "/scorecard/?month=2026-03")
    page.evaluate("htmx.ajax('GET', '/scorecard/breakdowns/no-such-dimension/', '#drilldown')")
    alert = page.locator("#htmx-error")
    alert.wait_for(state="visible")
    assert "could not be loaded (error 404)" in alert.inner_text()


def test_a_failed_swap_speaks_spanish_on_a_mexican_spanish_page(page, portal, client_user_a, scorecard_data) -> None:
    """The page says lang="es-mx" in Spanish (Mexico): the message was in English there."""
    client_user_a.language = "es-mx"
    client_user_a.save()
    sign_in(page, portal.client("alpha"), client_user_a.username)
    page.wait_for_url(portal.client("alpha") + "/")
    page.goto(portal.client("alpha") + "/scorecard/?month=2026-03")
    page.evaluate("htmx.ajax('GET', '/scorecard/breakdowns/no-such-dimension/', '#drilldown')")
    alert = page.locator("#htmx-error")
    alert.wait_for(state="visible")
    assert alert.inner_text() == "No se pudo cargar esta parte de la página (error 404)."
