"""The monthly close's pages and the scorecard on a phone (390 px) and a desktop (1440 px), in English
and Spanish, as staff and as the client, with a month's worth of real figures: no page scrolls
sideways on the phone, and each is kept as a screenshot a person looks at (docs/monthly-close.md)."""

from __future__ import annotations

import datetime as dt
import itertools
import re

import pytest
from django_tenants.utils import schema_context

from agency.models import Client
from agency.redis_client import redis_client
from clients.models import OutboxEmail
from kpis.recompute import _keys as recompute_keys
from reports.services import commentary_save, month_approve, question_ask, share_link_create
from tests.browser.conftest import ARTIFACTS, new_page, screenshot, sign_in_home
from tests.browser.test_report import AXE, CLOSED, _no_overflow, clock, report_data  # noqa: F401 -- fixtures

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WIDTHS = {"1440": {"width": 1440, "height": 1000}, "390": {"width": 390, "height": 844}}


@pytest.fixture
def approved_october(report_data, staff_a, client_user_a):  # noqa: F811
    """October 2026 reviewed, commented, approved; a question asked; an email whose sending stopped midway."""
    alpha = report_data
    client_user_a.email = "ann@alpha.example"
    client_user_a.save()
    for section, text in [
        # staff write in the client's language
        ("summary", "Octubre cerró **bien**: más leads cualificados con el mismo gasto, y bajó el coste por lead."),
        ("wins", "- La búsqueda de pago trajo un tercio de los leads nuevos\n- El webinar se llenó dos veces"),
        ("next_steps", "- Pasar presupuesto de display a búsqueda\n- Probar el formulario corto en móviles"),
    ]:
        commentary_save(client=alpha, month=CLOSED, section=section, text=text, user=staff_a)
    # the demo data's debounced recompute is not the point here: its snapshots are computed already
    redis_client().delete(*recompute_keys(alpha))
    month_approve(client=alpha, month=CLOSED, user=staff_a)
    question_ask(client=alpha, month=CLOSED, user=client_user_a, text="Why did the cost per customer go up?")
    _link, token = share_link_create(client=alpha, month=CLOSED, user=staff_a, label="The CEO")
    with schema_context("alpha"):
        OutboxEmail.objects.filter(kind="report_approved").update(
            state="sending", claimed_at=dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
        )
    yield token
    # Redis outlives the test's database: leave no pending recompute of alpha to the next test
    # (it would find its months "being recomputed" and refuse to approve them).
    redis_client().delete(*recompute_keys(alpha))


def _figures_on_screen(page) -> None:
    """Every KPI's value and change, and every share link's cell, lies inside the screen: not only
    does the page not scroll sideways, no table hides its numbers in a scrolling box either."""
    limit = page.evaluate("document.documentElement.clientWidth")
    outside = page.evaluate(
        """(limit) => [...document.querySelectorAll('.report-group td, .report-group tbody th, [aria-labelledby=links-title] td')]
            .filter(e => e.getClientRects().length && e.getBoundingClientRect().right > limit + 0.5)
            .slice(0, 5).map(e => e.textContent.trim() + ' ' + Math.round(e.getBoundingClientRect().right))""",
        limit,
    )
    assert not outside, f"{page.url}: cut off on a {limit}px screen: {outside}"
    assert page.evaluate("document.documentElement.scrollWidth") <= limit


def _words_whole(page) -> None:
    """No word split across two lines in a table that wraps (Spanish "Estado" read "Esta do" on a
    phone, "noviembre" "noviemb re"), and no badge broken over two lines."""
    split = page.evaluate(
        """() => {
            const split = [...document.querySelectorAll('.badge')].filter(e => e.getClientRects().length > 1)
                .map(e => e.textContent.trim());
            for (const table of document.querySelectorAll('table.fits')) {
                const walker = document.createTreeWalker(table, NodeFilter.SHOW_TEXT);
                for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                    for (const word of node.textContent.matchAll(/\\S+/g)) {
                        const range = document.createRange();
                        range.setStart(node, word.index);
                        range.setEnd(node, word.index + word[0].length);
                        if (range.getClientRects().length > 1) split.push(word[0]);
                    }
                }
            }
            return split.slice(0, 5);
        }"""
    )
    assert not split, f"{page.url}: split over two lines: {split}"


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_close_pages_and_the_scorecard_fit_a_phone(
    browser, portal, staff_a, client_user_a, approved_october, language
) -> None:
    alpha = portal.client("alpha")
    month = f"{CLOSED:%Y-%m}"
    pages = {
        "staff": ["/reports/", f"/reports/{month}/", f"/scorecard/?month={month}"],
        "client": ["/reports/", f"/reports/{month}/", f"/reports/{month}/versions/1/", f"/scorecard/?month={month}"],
    }
    seen = 0
    for who, user in (("staff", staff_a), ("client", client_user_a)):
        user.language = language
        user.save()
        context, page = new_page(browser, locale=language)
        try:
            sign_in_home(page, alpha, user.username)
            for width, viewport in WIDTHS.items():
                page.set_viewport_size(viewport)
                for path in pages[who]:
                    assert page.goto(alpha + path).status == 200, path
                    if width == "390":
                        _no_overflow(page)
                        _figures_on_screen(page)
                        _words_whole(page)
                    name = re.sub(r"[^a-z0-9]+", "-", path.strip("/").split("?")[0]) or "home"
                    screenshot(page, f"close-pages-{who}-{name}-{language}-{width}")
                    seen += 1
        finally:
            context.close()
    # the read-only link, opened without an account: the whole report, in the client's language
    # whatever the browser's (here the other one)
    Client.objects.filter(slug="alpha").update(language=language)
    context = browser.new_context(locale="es" if language == "en" else "en")
    page = context.new_page()
    try:
        for width, viewport in WIDTHS.items():
            page.set_viewport_size(viewport)
            assert page.goto(f"{alpha}/shared/{month}/{approved_october}/").status == 200
            assert page.locator("html").get_attribute("lang") == language
            assert page.locator("[data-summary] svg.chart").count() >= 6  # the summary's charts
            if width == "390":
                _no_overflow(page)
                _figures_on_screen(page)
                _words_whole(page)
            screenshot(page, f"close-pages-shared-{language}-{width}")
        # axe-core finds no serious violation (evaluated through DevTools, not an inline script)
        page.evaluate(AXE.read_text())
        result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
        serious = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]
                   if v["impact"] in ("serious", "critical")]
        assert not serious, serious
        # a drill-down through the link (HTMX): the approved breakdown, sortable, without a sign-in
        page.locator(".drill nav button").nth(2).click()
        page.locator("#drilldown table tbody tr").first.wait_for()
        assert page.locator("#drilldown .sort-by").is_visible()  # a phone sorts the cards from a row of links
        page.locator("#drilldown thead button").nth(1).click()
        page.locator("#drilldown th[aria-sort]").wait_for()
        _no_overflow(page)
        screenshot(page, f"close-pages-shared-breakdown-{language}-390")
        with page.expect_download() as download:
            page.locator(".freshness a[download]").click()
        assert download.value.suggested_filename == f"alpha-{'informe' if language == 'es' else 'report'}-{month}.pdf"
        download.value.save_as(ARTIFACTS / f"shared-report-{language}.pdf")  # looked at as images (pdftoppm)
        # a dead link: a page that says so, in the client's language, nothing of the report
        assert page.goto(f"{alpha}/shared/{month}/{approved_october}x/").status == 404
        assert page.locator("[data-summary]").count() == 0 and page.locator("h1").inner_text()
        _no_overflow(page)
        screenshot(page, f"close-pages-shared-gone-{language}-390")
    finally:
        context.close()
    assert seen == 14


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_home_pages_report_button_and_links_stand_apart_each_on_one_line(
    browser, portal, client_user_a, approved_october, language
) -> None:
    """The client's first page after signing in: "Read the report" touched "Download PDF", and "Every
    monthly report" broke over two lines beside them (Todos / los informes mensuales) on a desktop's card."""
    alpha = portal.client("alpha")
    client_user_a.language = language
    client_user_a.save()
    context, page = new_page(browser, locale=language)
    try:
        sign_in_home(page, alpha, client_user_a.username)
        for width, viewport in WIDTHS.items():
            page.set_viewport_size(viewport)
            page.goto(alpha + "/")
            page.locator("a.button[href^='/scorecard/?month=']").wait_for()  # the report panel, loaded
            boxes = page.evaluate("""() => {
                const button = document.querySelector("a.button[href^='/scorecard/?month=']");
                return [...button.parentElement.querySelectorAll('a')].map(a => {
                    const r = a.getBoundingClientRect(); return {left: r.left, right: r.right, top: r.top,
                    lines: a.getClientRects().length}; }); }""")
            assert len(boxes) == 3
            assert all(box["lines"] == 1 for box in boxes), (width, boxes)
            for before, after in itertools.pairwise(boxes):
                if abs(before["top"] - after["top"]) < 8:  # side by side: a gap between them
                    assert after["left"] - before["right"] >= 6, (width, boxes)
            screenshot(page, f"home-report-links-{language}-{width}")
    finally:
        context.close()


def test_a_period_on_the_homes_data_panel_takes_two_lines_at_most_on_a_phone(
    browser, portal, client_user_a, approved_october
) -> None:
    """At 390 px "01/11/2025 – 07/12/2026" (now "1 nov 2025 – 7 dic 2026") broke in three: each date on
    its line, the dash alone between them. The dash now goes with the first date."""
    alpha = portal.client("alpha")
    client_user_a.language = "es"
    client_user_a.save()
    context, page = new_page(browser, locale="es-ES", viewport=WIDTHS["390"])
    try:
        sign_in_home(page, alpha, client_user_a.username)
        page.goto(alpha + "/")
        page.locator("td.num").first.wait_for()  # the data panel, loaded
        lines = page.evaluate("""() => [...document.querySelectorAll('td')].filter(td => td.textContent.includes('–'))
            .map(td => { const range = document.createRange(); range.selectNodeContents(td);
                         return new Set([...range.getClientRects()].filter(r => r.width > 0)
                                          .map(r => Math.round(r.top))).size; })""")
        overflow = page.evaluate("""() => [...document.querySelectorAll('td')].filter(td => td.textContent.includes('–'))
            .map(td => td.closest('table').parentElement).map(box => box.scrollWidth - box.clientWidth)""")
        screenshot(page, "home-data-periods-es-390")
        assert lines and max(lines) <= 2, lines
        assert max(overflow) <= 0, f"the data table scrolls sideways: {overflow}"
    finally:
        context.close()
