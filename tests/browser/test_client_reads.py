"""A client reading its report beside an agency-reporting tool's, at 1440 px and 390 px, in English and
Spanish: what it frowned at, measured (boxes and sizes, not words)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.browser.conftest import new_page, opened, screenshot, sign_in_home
from tests.reports.conftest import MARCH, march  # noqa: F401 -- alpha's closed March

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DESKTOP, PHONE = {"width": 1440, "height": 1000}, {"width": 390, "height": 844}


@pytest.fixture
def demo_month(tenants) -> str:
    """Alpha with four months of demo data (contracts in several segments) and their snapshots: the last
    complete month, "YYYY-MM"."""
    from django.core.management import call_command

    from agency.months import Month
    from kpis.services import snapshot_compute

    call_command("generate_demo_data", "alpha", "--months", "4", "--leads-per-month", "40", "--seed", "7")
    month = Month.of(dt.datetime.now(tz=dt.UTC).date()) - 1
    snapshot_compute(client=tenants["alpha"], months=[(month - i).first_day for i in range(4)])
    return str(month)


def test_the_lifetime_value_table_fits_a_1440_px_page(browser, portal, client_user_a, demo_month) -> None:
    """ "Contract lifetime value, explained": eleven figures by segment scrolled sideways at 1440 px, the
    last ones behind the edge, six of them the same "28.6 %" or "0.80" down every row. As the PDF does, a
    figure the same for every segment and all contracts is said once under the table, whose columns fit."""
    with opened(browser, portal, client_user_a, f"/scorecard/?month={demo_month}", locale="en-US",
                 viewport=DESKTOP) as page:
        page.locator('details[data-group="lifetime-value"] summary').click()
        wrap = page.locator('details[data-group="lifetime-value"] .table-wrap')
        sizes = wrap.evaluate("w => [w.scrollWidth, w.clientWidth]")
        total = page.locator('details[data-group="lifetime-value"] tbody tr:last-child td').all_inner_texts()
        said = page.locator("[data-same-columns]")
        wrap.scroll_into_view_if_needed()
        screenshot(page, "client-reads-ltv-table-1440")
        assert sizes[0] <= sizes[1], f"the table scrolls sideways: {sizes}"
        assert said.count() == 1, "no figure said once under the table"
        assert 1 <= len(total) < 11, total
        assert "The same for every segment and for all contracts: " in said.inner_text()


def test_on_a_phone_a_pages_title_is_its_largest_heading(browser, portal, march, client_user_a, staff_a) -> None:  # noqa: F811
    """On a phone the page's title shrinks (1.3rem) and its sections' headings did not (the browser's
    1.5em): "Tu informe mensual" read larger than "Globex Foods: el marketing de un vistazo" above it,
    "¿Ya lo leíste?" larger than "Informe de noviembre de 2026". Every section heading is smaller than
    the page's title, and a sub-heading no larger than a section's."""
    from reports.services import month_approve

    month_approve(client=march, month=MARCH, user=staff_a)
    client_user_a.language = "es"
    client_user_a.save()
    context, page = new_page(browser, locale="es-ES", viewport=PHONE)
    try:
        base = portal.client("alpha")
        sign_in_home(page, base, client_user_a.username)
        for path in ("/", "/reports/2026-03/", "/scorecard/?month=2026-03", "/glossary/", "/accounts/password/change/"):
            page.goto(base + path)
            page.locator("main h1").first.wait_for()
            page.evaluate("document.querySelectorAll('details.group').forEach(d => d.open = true)")
            sizes = page.evaluate(
                """() => Object.fromEntries(['h1', 'h2', 'h3'].map(tag => [tag,
                     [...document.querySelectorAll('main ' + tag)].filter(h => h.offsetParent)
                       .map(h => [h.textContent.trim().slice(0, 40), parseFloat(getComputedStyle(h).fontSize)])]))"""
            )
            screenshot(page, f"client-reads-headings{path.split('?')[0].replace('/', '-').rstrip('-')}-390-es")
            title = max(size for _text, size in sizes["h1"])
            larger = [h for h in sizes["h2"] + sizes["h3"] if h[1] >= title]
            assert not larger, f"{path}: headings as large as the title ({title}px): {larger}"
            if sizes["h2"] and sizes["h3"]:
                smallest = min(size for _text, size in sizes["h2"])
                assert all(size <= smallest for _text, size in sizes["h3"]), f"{path}: {sizes}"
    finally:
        context.close()


@pytest.mark.parametrize("locale", ["en-US", "es-ES"])
def test_the_glossarys_columns_line_up_from_one_group_to_the_next(browser, portal, client_user_a, tenants, locale) -> None:
    """ "What each figure means" at 1440 px: each group's table took the widths of its own words, so "What it
    measures" started at 278 px under Traffic and 315 px under Leads and funnel, "Good news is" at 480 and
    803: five tables read as a page that jumps. One set of columns for every group, as the report's figures
    have; and the note above the first group stands apart from it (it touched the card's border)."""
    client_user_a.language = locale[:2]
    client_user_a.save()
    with opened(browser, portal, client_user_a, "/glossary/", locale=locale, viewport=DESKTOP) as page:
        columns = page.evaluate(
            """() => [...document.querySelectorAll('table.glossary')].map(t =>
                 [...t.querySelectorAll('thead th')].map(th => Math.round(th.getBoundingClientRect().left)))"""
        )
        gap = page.evaluate(
            """() => { const card = document.querySelector('main > section.card');
                       return Math.round(card.getBoundingClientRect().top
                                         - card.previousElementSibling.getBoundingClientRect().bottom); }"""
        )
        screenshot(page, f"client-reads-glossary-1440-{locale}")
        assert len(columns) >= 4, columns
        assert all(c == columns[0] for c in columns), f"columns at different places: {columns}"
        assert gap >= 12, f"the note touches the first group: {gap}px"


@pytest.mark.parametrize("locale", ["en-US", "es-ES"])
def test_a_breakdowns_columns_fit_a_1440_px_page(browser, portal, client_user_a, demo_month, locale) -> None:
    """The channel breakdown scrolled sideways at 1440 px: its last column (ROI) behind the card's edge, for
    headings kept on one line ("Traffic → lead rate", "Marketing spend"). A reporting tool's table fits its
    page: the headings wrap, each figure stays whole on one line ("-100.0 %", never "-100.0" over "%")."""
    client_user_a.language = locale[:2]
    client_user_a.save()
    with opened(browser, portal, client_user_a, f"/scorecard/?month={demo_month}", locale=locale,
                 viewport=DESKTOP) as page:
        for dimension in ("channel", "campaign"):
            page.locator(f"nav.toolbar button[hx-get*='/breakdowns/{dimension}/']").click()
            table = page.locator("#drilldown table.data")
            table.wait_for()
            sizes = page.locator("#drilldown .table-wrap").evaluate("w => [w.scrollWidth, w.clientWidth]")
            columns = table.locator("thead th").count()
            broken = table.evaluate(
                """t => [...t.querySelectorAll('td.num')].filter(td => {
                     const text = [...td.childNodes].find(n => n.nodeType === 3 && n.textContent.trim());
                     const range = document.createRange(); range.selectNodeContents(text);
                     return range.getClientRects().length > 1;
                   }).map(td => td.textContent.trim())"""
            )
            page.locator("#drilldown").scroll_into_view_if_needed()
            screenshot(page, f"client-reads-breakdown-{dimension}-1440-{locale}")
            assert columns >= 6, columns
            assert sizes[0] <= sizes[1], f"{dimension}: the table scrolls sideways: {sizes}"
            assert not broken, f"{dimension}: figures broken over two lines: {broken}"


@pytest.mark.parametrize("locale", ["en-US", "es-ES"])
def test_the_lifetime_value_table_is_a_card_per_segment_on_a_phone(browser, portal, client_user_a, demo_month, locale) -> None:
    """On a phone the lifetime value table by segment scrolled sideways in a box of 332 px (1,411 px of
    columns): a card per segment, as a drill-down's, each figure on a line under its name, the figures in
    one column at the card's right."""
    client_user_a.language = locale[:2]
    client_user_a.save()
    with opened(browser, portal, client_user_a, f"/scorecard/?month={demo_month}", locale=locale,
                 viewport=PHONE) as page:
        page.locator('details[data-group="lifetime-value"] summary').click()
        wrap = page.locator('details[data-group="lifetime-value"] .table-wrap')
        sizes = wrap.evaluate("w => [w.scrollWidth, w.clientWidth]")
        cells = wrap.evaluate(
            """w => [...w.querySelectorAll('td[data-label]')].map(td => {
                 const text = [...td.childNodes].find(n => n.nodeType === 3 && n.textContent.trim());
                 const range = document.createRange(); range.selectNodeContents(text);
                 const box = td.getBoundingClientRect(), style = getComputedStyle(td);
                 return {label: getComputedStyle(td, '::before').content, text: text.textContent.trim(),
                         right: range.getBoundingClientRect().right, edge: box.right - parseFloat(style.paddingRight),
                         lines: range.getClientRects().length};
               })"""
        )
        wrap.scroll_into_view_if_needed()
        screenshot(page, f"client-reads-ltv-table-390-{locale}")
        assert sizes[0] <= sizes[1], f"the table scrolls sideways: {sizes}"
        assert len(cells) >= 6, cells
        assert all(c["label"] not in ("none", "normal", "") for c in cells), cells
        off = [c for c in cells if abs(c["right"] - c["edge"]) > 1.5]
        assert not off, f"figures not at the card's right edge: {off}"
        broken = [c["text"] for c in cells if c["lines"] > 1]
        assert not broken, f"figures broken over two lines ('24 653,07' over '€'): {broken}"


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_reports_sections_are_headed_alike(browser, portal, march, client_user_a, viewport) -> None:  # noqa: F811
    """The report's sections, one under the other: "Summary" and "Details" in 19 px, "Paid media" and
    "Breakdowns" in the browser's 24 px, the page read as two sizes of sections. One size for all four."""
    with opened(browser, portal, client_user_a, "/scorecard/?month=2026-03", locale="en-US", viewport=viewport) as page:
        sizes = page.evaluate(
            """() => Object.fromEntries(['#summary-title', '#paid-title', '.details-title', '#drill-title'].map(s =>
                 [s, parseFloat(getComputedStyle(document.querySelector(s)).fontSize)]))"""
        )
        page.locator("#paid-title").scroll_into_view_if_needed()
        screenshot(page, f"client-reads-sections-{viewport['width']}")
        assert len(set(sizes.values())) == 1, sizes
