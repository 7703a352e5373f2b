"""The client's report in a real browser, with screenshots a person looks at (docs/scorecards.md):
the summary, the details, a drill-down, phone width, Spanish, print, and the PDF's first pages.
Also: no horizontal overflow at 360 px, and axe-core finds no serious violation."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command
from django_tenants.utils import schema_context

from agency.months import Month
from kpis.models import Annotation
from kpis.services import snapshot_compute
from portfolio.models import Target
from tests.browser.conftest import ARTIFACTS, screenshot
from tests.browser.test_portal_shell import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NOW = dt.datetime(2026, 11, 29, 11, 0, tzinfo=dt.UTC)  # day 29 of 30: the month in progress
CLOSED = dt.date(2026, 10, 1)
AXE = Path(__file__).resolve().parents[1] / "vendor" / "axe-4.10.3.min.js"


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=True):
        yield


@pytest.fixture
def report_data(tenants, clock):
    alpha = tenants["alpha"]
    call_command("generate_demo_data", "alpha", "--months", "14", "--leads-per-month", "90", "--seed", "7")
    months = [(Month(2026, 11) - i).first_day for i in range(14)]
    snapshot_compute(client=alpha, months=months)
    with schema_context("alpha"):
        Annotation.objects.create(month=dt.date(2026, 6, 1), text="Site redesign launched", author_name="Sam")
        Annotation.objects.create(month=dt.date(2026, 9, 1), text="Paid search budget doubled", author_name="Sam")
    Target.objects.create(client=alpha, month=CLOSED, kpi="new_leads", value=80)
    Target.objects.create(client=alpha, month=CLOSED, kpi="cpl", value=120)
    return alpha


def _no_overflow(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    viewport = page.evaluate("window.innerWidth")
    culprits = page.evaluate(
        """(limit) => {
          const clipped = (e) => { for (let a = e.parentElement; a; a = a.parentElement) {
            if (['auto', 'scroll', 'hidden'].includes(getComputedStyle(a).overflowX)) return true; } return false; };
          return [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > limit + 1 && !clipped(e))
            .slice(0, 6).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right));
        }""",
        viewport,
    )
    assert width <= viewport, f"{page.url}: the page is {width}px wide on a {viewport}px screen: {culprits}"


def test_the_report_opens_on_the_last_complete_month_with_its_summary(page, portal, client_user_a, report_data) -> None:
    page.set_viewport_size({"width": 1440, "height": 1000})
    sign_in(page, portal.client("alpha"), client_user_a.username)
    page.wait_for_url(portal.client("alpha") + "/")
    page.goto(portal.client("alpha") + "/scorecard/")
    assert page.locator("#month").input_value() == "2026-10"  # the last complete month, not November
    summary = page.locator("[data-summary]")
    assert 6 <= summary.count() <= 8
    assert page.locator("[data-summary] svg.chart:visible").count() == summary.count()
    assert page.locator('[data-summary][data-kpi="new_leads"] .target').inner_text().startswith("Target 80")
    page.locator("#summary-title").scroll_into_view_if_needed()
    screenshot(page, "report-summary-desktop")
    # the details fold away: every group closed until opened
    groups = page.locator("details.group")
    assert groups.count() >= 3 and page.locator("details.group[open]").count() == 0
    page.locator("details.group summary").first.click()
    page.locator("details.group[open] .tile").first.wait_for()
    page.locator("details.group[open]").first.screenshot(path=str(ARTIFACTS / "report-details.png"))
    # a drill-down, with campaigns by name and channels in words
    page.get_by_role("button", name="Channel", exact=True).click()
    page.get_by_role("row", name="Paid search").first.wait_for()
    page.locator("#drilldown").screenshot(path=str(ARTIFACTS / "report-drilldown.png"))
    page.get_by_role("button", name="Campaign", exact=True).click()
    page.locator("#drilldown tbody th").first.wait_for()
    assert "_" not in page.locator("#drilldown tbody th").first.inner_text()
    # the month in progress: labelled, paced, never compared as if complete
    option = page.locator('#month option[value="2026-11"]').inner_text()
    assert option == "November 2026, month to date (day 29 of 30)"
    page.locator("#month").select_option("2026-11")
    page.locator(".in-progress").wait_for()
    assert page.locator("[data-summary] .change").count() == 0
    assert "on pace for" in page.locator('[data-summary][data-kpi="new_leads"]').inner_text()
    screenshot(page, "report-month-to-date")
    # leads per working day divides the leads so far by all the month's working days: it has its pace too
    tile = page.locator("#kpi-leads_per_working_day")
    tile.locator("xpath=ancestor::details[1]/summary").click()
    tile.scroll_into_view_if_needed()
    assert "on pace for" in tile.inner_text(), tile.inner_text()
    tile.screenshot(path=str(ARTIFACTS / "report-month-to-date-leads-per-working-day.png"))


def test_phone_spanish_and_print(page, portal, client_user_a, report_data) -> None:
    client_user_a.language = "es"
    client_user_a.save()
    sign_in(page, portal.client("alpha"), client_user_a.username)
    page.wait_for_url(portal.client("alpha") + "/")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(portal.client("alpha") + "/scorecard/?month=2026-10")
    page.get_by_role("heading", name="Resumen").wait_for()
    _no_overflow(page)
    assert "octubre de 2026" in page.locator("[data-verdict]").inner_text().lower()  # did marketing pay off, first
    screenshot(page, "report-phone-es")
    # A drill-down's ten columns: a card of labelled lines per row, nothing scrolled out of sight.
    page.get_by_role("button", name="Canal", exact=True).click()
    page.locator("#drilldown td[data-label]").first.wait_for()
    assert page.locator("#drilldown .table-wrap").evaluate("w => w.scrollWidth <= w.clientWidth + 1")
    # A "—" says why beside it (organic channels have no spend, so no ROI), not only in the note after the last card.
    why = page.locator("#drilldown td[title] .visually-hidden").first
    assert why.is_visible() and why.evaluate("e => e.getBoundingClientRect().width > 20"), why.inner_text()
    page.locator("#drilldown").screenshot(path=str(ARTIFACTS / "report-drilldown-phone-es.png"))
    page.set_viewport_size({"width": 1440, "height": 1000})
    page.goto(portal.client("alpha") + "/scorecard/?month=2026-10")
    screenshot(page, "report-desktop-es")
    page.emulate_media(media="print")
    page.set_viewport_size({"width": 794, "height": 1123})
    # A4 is narrower than the bar's phone layout: the printed report's bar said "Menú", a button on paper.
    assert not page.locator(".nav-toggle-label").is_visible()
    assert page.locator(".topbar .brand").is_visible()  # the client's name stays
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")  # as printing does: every group open
    screenshot(page, "report-print")


def test_the_pdf_is_the_report(page, portal, client_user_a, report_data) -> None:
    """The PDF's speed is bench/report_pdf.py's (docs/performance.md), not a timed assertion here."""
    import pypdfium2

    from kpis.services import report_pdf_build

    pdf = report_pdf_build(client=report_data, month=CLOSED, language="en")
    assert pdf.startswith(b"%PDF")
    document = pypdfium2.PdfDocument(pdf)
    assert len(document) >= 2
    text = document[0].get_textpage().get_text_range()
    assert "Summary" in text and "October 2026" in text and "Page 1 of" in text
    for index in (0, 1):
        image = document[index].render(scale=1.6).to_pil()
        image.save(ARTIFACTS / f"report-pdf-page-{index + 1}.png")


def test_no_page_is_wider_than_a_small_phone(page, portal, admin_user, report_data) -> None:
    from django.urls import reverse

    from tests.agency.test_access_matrix import MATRIX

    page.set_viewport_size({"width": 360, "height": 780})
    sign_in(page, portal.console, admin_user.username)
    page.wait_for_url(portal.console + "/")
    sign_in(page, portal.client("alpha"), admin_user.username)
    seen = set()
    for host, name, kwargs, statuses in MATRIX:
        if statuses["admin"] != 200 or host == "beta":
            continue
        urlconf = "agency.urls_public" if host == "console" else "agency.urls_tenant"
        path = reverse(name, kwargs=kwargs, urlconf=urlconf)
        base = portal.console if host == "console" else portal.client(host)
        if (base, path) in seen or path.endswith((".csv", ".pdf", ".json")):
            continue
        seen.add((base, path))
        response = page.goto(base + path)
        if response is None or "attachment" in (response.headers.get("content-disposition") or ""):
            continue
        _no_overflow(page)
    assert len(seen) > 10


@pytest.mark.parametrize("where", ["scorecard", "portfolio"])
def test_axe_finds_no_serious_violation(page, portal, admin_user, report_data, where) -> None:
    if where == "scorecard":
        sign_in(page, portal.client("alpha"), admin_user.username)
        page.goto(portal.client("alpha") + "/scorecard/?month=2026-10")
        page.locator("details.group summary").first.click()
    else:
        sign_in(page, portal.console, admin_user.username)
        page.goto(portal.console + "/portfolio/")
    # Evaluated through the DevTools protocol, not an inline <script> the page's CSP would block.
    page.evaluate(AXE.read_text())
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    serious = [
        (v["id"], v["help"], [n["target"] for n in v["nodes"]][:3])
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert not serious, serious
