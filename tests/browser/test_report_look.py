"""The client's approved monthly report as a client reads it beside an agency-reporting tool's:
its cards apart from one another, its drill-down's figures in a right-aligned column on a phone.
Measured boxes, not words (English and Spanish, 1440 px and 390 px)."""

from __future__ import annotations

import datetime as dt

import pytest

from reports.services import month_approve
from tests.browser.conftest import opened, screenshot
from tests.reports.conftest import MARCH, march  # noqa: F401 -- alpha's closed March

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DESKTOP, PHONE = {"width": 1440, "height": 1000}, {"width": 390, "height": 844}


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_reports_cards_stand_apart(browser, portal, march, client_user_a, staff_a, viewport) -> None:  # noqa: F811
    """ "Read and questions", "Questions", "Versions" and each group of figures were boxes touching one
    another (no margin between two cards): a page of one long box cut by lines. A gap as the
    scorecard's tiles have."""
    month_approve(client=march, month=MARCH, user=staff_a)
    with opened(browser, portal, client_user_a, "/reports/2026-03/", locale="es-ES", viewport=viewport) as page:
        gaps = page.evaluate(
            """() => [...document.querySelectorAll('main > .card + .card')].map(c =>
                 [c.id || c.getAttribute('aria-labelledby'),
                  Math.round(c.getBoundingClientRect().top - c.previousElementSibling.getBoundingClientRect().bottom)])"""
        )
        screenshot(page, f"report-look-cards-{viewport['width']}")
        assert len(gaps) >= 3, gaps
        assert all(gap >= 12 for _, gap in gaps), f"cards touching: {gaps}"


@pytest.mark.parametrize("locale", ["en-US", "es-ES"])
def test_a_drilldowns_figures_line_up_at_the_right_on_a_phone(browser, portal, march, client_user_a, locale) -> None:  # noqa: F811
    """On a phone each breakdown row is a card of "label: value" lines: the values followed their labels,
    so "Sessions: 1,548" and "Marketing spend: $9,676.33" started and ended anywhere. A reporting tool
    puts the figures in one column at the right (tabular digits), the labels at the left; a "—"'s reason
    under it, still in words (no hover on a phone)."""
    client_user_a.language = locale[:2]
    client_user_a.save()
    with opened(
        browser, portal, client_user_a, "/scorecard/breakdowns/channel/?month=2026-03",
        locale=locale, viewport=PHONE,
    ) as page:
        cells = page.evaluate(
            """() => [...document.querySelectorAll('.drilldown td[data-label]')].map(td => {
                 const text = [...td.childNodes].find(n => n.nodeType === 3 && n.textContent.trim());
                 const range = document.createRange(); range.selectNodeContents(text);
                 const box = td.getBoundingClientRect(), style = getComputedStyle(td);
                 return {label: td.dataset.label, text: text.textContent.trim(),
                         right: range.getBoundingClientRect().right,
                         edge: box.right - parseFloat(style.paddingRight),
                         digits: style.fontVariantNumeric};
               })"""
        )
        screenshot(page, f"report-look-drilldown-phone-{locale}")
        assert len(cells) >= 5, cells
        off = [c for c in cells if abs(c["right"] - c["edge"]) > 1.5]
        assert not off, f"figures not at the card's right edge: {off}"
        assert all("tabular-nums" in c["digits"] for c in cells), cells
        reasons = page.locator(".drilldown td[data-label] > .visually-hidden")
        if reasons.count():
            assert reasons.first.is_visible() and reasons.first.bounding_box()["width"] > 100


@pytest.mark.parametrize(("locale", "width"), [("es-ES", 1024), ("en-US", 1440)])
def test_the_summary_tiles_of_a_row_line_up(browser, portal, march, client_user_a, locale, width) -> None:  # noqa: F811
    """A summary tile whose name takes two lines ("Costo de adquisición de cliente (CAC)") or whose figure
    has a reason under it pushed its figure and chart below its neighbours': a row of tiles read as a
    staircase. Tiles side by side have their figures, changes, charts and definitions on the same lines."""
    client_user_a.language = locale[:2]
    client_user_a.save()
    with opened(
        browser, portal, client_user_a, "/scorecard/?month=2026-03",
        locale=locale, viewport={"width": width, "height": 1000},
    ) as page:
        tiles = page.evaluate(
            """() => [...document.querySelectorAll('[data-summary]')].map(t => {
                 const top = (s) => {
                   const e = t.querySelector(s); return e ? Math.round(e.getBoundingClientRect().top) : null; };
                 const label = t.querySelector('h3');
                 return {kpi: t.dataset.kpi, row: Math.round(t.getBoundingClientRect().top),
                         label_height: Math.round(label.getBoundingClientRect().height),
                         value: top('.value'), chart: top('.chart-box'), definition: top('.definition')};
               })"""
        )
        page.locator("#summary-title").scroll_into_view_if_needed()
        screenshot(page, f"report-look-summary-{locale}-{width}")
        rows: dict[int, list[dict]] = {}
        for tile in tiles:
            rows.setdefault(tile["row"], []).append(tile)
        assert any(len(r) > 1 for r in rows.values()), tiles
        for part in ("value", "chart", "definition"):
            for row in rows.values():
                tops = {t[part] for t in row if t[part] is not None}
                assert len(tops) <= 1, f"{part} not on one line in a row of tiles: {row}"


def test_customer_value_against_its_cost_puts_its_figures_in_a_right_aligned_column(
    browser, portal, client_user_a, tenants
) -> None:
    """ "Customer value against its cost" (the lifetime value panel) listed "€56,070.52", "—", "5.68" each where
    its label ended: figures a client compares, so one right-aligned column of tabular digits, as every table's."""
    from django.core.management import call_command

    from agency.months import Month
    from kpis.services import snapshot_compute

    alpha = tenants["alpha"]
    call_command("generate_demo_data", "alpha", "--months", "4", "--leads-per-month", "40", "--seed", "7")
    month = Month.of(dt.datetime.now(tz=dt.UTC).date()) - 1
    snapshot_compute(client=alpha, months=[(month - i).first_day for i in range(4)])
    with opened(browser, portal, client_user_a, f"/scorecard/?month={month}", locale="en-US", viewport=DESKTOP) as page:
        page.locator('details[data-group="lifetime-value"] summary').click()
        figures = page.evaluate(
            """() => [...document.querySelectorAll('.ltv-side > dd')].map(dd => {
                 const e = dd.classList.contains('has-why') ? dd.querySelector('span') : dd;
                 const range = document.createRange(); range.selectNodeContents(e);
                 return {text: e.textContent.trim(), right: Math.round(range.getBoundingClientRect().right),
                         digits: getComputedStyle(e).fontVariantNumeric};
               })"""
        )
        page.locator("#ltv-title").scroll_into_view_if_needed()
        screenshot(page, "report-look-ltv-side-1440")
        assert len(figures) >= 4, figures
        assert len({f["right"] for f in figures}) == 1, f"figures not right-aligned: {figures}"
        assert all("tabular-nums" in f["digits"] for f in figures), figures


@pytest.mark.parametrize(("locale", "width"), [("es-ES", 1024), ("en-US", 1440)])
def test_the_details_tiles_of_a_row_show_their_figures_on_one_line(browser, portal, march, client_user_a, locale, width) -> None:  # noqa: F811
    """A details tile's name and definition take one to four lines: its figure came lower than its
    neighbours' ("6,462" beside "20.6 %" a line down), a row read as a staircase. The figures of tiles side
    by side are on one line, and so are their trend lines."""
    client_user_a.language = locale[:2]
    client_user_a.save()
    with opened(
        browser, portal, client_user_a, "/scorecard/?month=2026-03",
        locale=locale, viewport={"width": width, "height": 1000},
    ) as page:
        page.evaluate("document.querySelectorAll('details.group').forEach(d => d.open = true)")
        tiles = page.evaluate(
            """() => [...document.querySelectorAll('.tiles > .tile')].map(t => {
                 const top = (s) => {
                   const e = t.querySelector(s); return e ? Math.round(e.getBoundingClientRect().top) : null; };
                 return {kpi: t.dataset.kpi, group: t.closest('details').dataset.group,
                         row: Math.round(t.getBoundingClientRect().top), value: top('.value'), spark: top('.spark')};
               })"""
        )
        page.locator("details.group").first.scroll_into_view_if_needed()
        screenshot(page, f"report-look-details-{locale}-{width}")
        rows: dict[tuple, list[dict]] = {}
        for tile in tiles:
            rows.setdefault((tile["group"], tile["row"]), []).append(tile)
        assert any(len(r) > 1 for r in rows.values()), tiles
        for part in ("value", "spark"):
            for row in rows.values():
                tops = {t[part] for t in row if t[part] is not None}
                assert len(tops) <= 1, f"{part} not on one line in a row of tiles: {row}"
