"""The close board in a real browser, in Spanish: the filters, a month opened in one click (through
the hand-off to the client's host), and two clean months approved together after the confirmation —
one refused because its figures changed after the confirmation listed them, then approved once
looked at. Screenshots at 1440 and 390 px."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
import time_machine
from celery.contrib.testing.worker import start_worker
from django.utils import timezone
from django_tenants.utils import schema_context
from playwright.sync_api import expect

from agency.celery import app
from clients.models import Lead, Spend
from kpis.services import snapshot_compute
from portfolio.models import ClientMonthClose
from reports.services import month_reviews_start
from tests.browser.conftest import new_page, screenshot, sign_in_home
from tests.reports.conftest import MARCH, late_spend, march  # noqa: F401 -- alpha's closed March

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DESKTOP, PHONE = {"width": 1440, "height": 1000}, {"width": 390, "height": 844}
APRIL_5 = dt.datetime(2026, 4, 5, 12, tzinfo=dt.UTC)


def _beta_march(tenant_b) -> None:
    with schema_context("beta"):
        Lead.objects.bulk_create([Lead(id=f"b{i}", created_at=dt.datetime(2026, 3, 12, tzinfo=dt.UTC)) for i in range(5)])
        Spend.objects.create(id="bs1", date=dt.date(2026, 3, 6), category="media", amount=Decimal("900"))
    snapshot_compute(client=tenant_b, months=[MARCH])


ROWS = "table.board tbody th[scope=row] > a"


def _rows(page) -> list[str]:
    return [name.strip() for name in page.locator(ROWS).all_inner_texts()]


@pytest.mark.worker
def test_filters_one_click_and_bulk_approval_with_one_refused(browser, portal, march, tenant_b, staff_ab) -> None:  # noqa: F811
    _beta_march(tenant_b)
    # alpha's March is in review; beta's too; alpha's February is open
    month_reviews_start(client=march, at=APRIL_5)
    month_reviews_start(client=tenant_b, at=APRIL_5)
    context, page = new_page(browser, locale="es-ES", viewport=DESKTOP)
    traveller = time_machine.travel(APRIL_5 + dt.timedelta(days=1), tick=True)
    traveller.start()
    worker = start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10)  # the bulk approval's tasks
    worker.__enter__()
    try:
        sign_in_home(page, portal.console, staff_ab.username)
        page.get_by_role("link", name="Tablero de cierre").click()
        page.get_by_role("heading", name="Tablero de cierre").wait_for()
        assert _rows(page) == ["Alpha Analytics", "Beta Brands"]
        # a question of beta's client: beta is waiting but not clean
        ClientMonthClose.objects.filter(client=tenant_b, month=MARCH).update(open_questions=1, updated_at=timezone.now())
        page.reload()
        page.get_by_label("Mostrar").select_option("clean")
        expect(page.locator(ROWS)).to_have_count(1)
        assert _rows(page) == ["Alpha Analytics"]
        page.get_by_label("Mostrar").select_option("waiting")
        expect(page.locator(ROWS)).to_have_count(2)
        ClientMonthClose.objects.filter(client=tenant_b, month=MARCH).update(open_questions=0, updated_at=timezone.now())
        page.get_by_label("Mostrar").select_option("clean")
        page.wait_for_url(re.compile("show=clean"))
        expect(page.locator(ROWS)).to_have_count(2)
        expect(page.locator(".board-counts")).to_have_text("2 clientes · 2 pendientes de revisión · 2 limpios")
        screenshot(page, "board-1-clean-1440-es")

        # keyboard: tick both with the space bar, submit with Enter
        page.get_by_label("Aprobar Alpha Analytics, marzo de 2026").focus()
        page.keyboard.press("Space")
        page.get_by_label("Aprobar Beta Brands, marzo de 2026").focus()
        page.keyboard.press("Space")
        page.get_by_role("button", name="Aprobar los 2 meses marcados…").press("Enter")
        page.get_by_role("heading", name="¿Aprobar 2 meses?").wait_for()  # beta has nobody to email
        listed = page.locator("table tbody").inner_text()
        assert "Alpha Analytics" in listed and "Beta Brands" in listed and "marzo de 2026" in listed
        screenshot(page, "board-2-confirm-1440-es")
        # on a phone the list is cards, the commentary column in sight (it scrolled out of view), and
        # the months nobody wrote can get the draft before approving
        page.set_viewport_size(PHONE)
        wrap = page.locator("main .table-wrap")
        assert wrap.evaluate("e => e.scrollWidth <= e.clientWidth")
        expect(page.locator('main td[data-label="Comentario"]').first).to_be_visible()
        expect(page.locator("main table tbody")).to_contain_text("Sin escribir")
        expect(page.get_by_label(re.compile("Antes de aprobar, escribir el borrador"))).to_be_visible()
        screenshot(page, "board-2-confirm-390-es")
        page.set_viewport_size(DESKTOP)
        # beta's Google Ads restate March while the confirmation is on the screen
        late_spend(tenant_b, "50")
        page.get_by_role("button", name="Aprobar 2 meses", exact=True).click()
        # The months are approved in the background: the board shows the progress, polling it, and
        # reloads itself once the last month is decided (the result stays: ?bulk= in the address).
        page.wait_for_url(re.compile(r"/board/\?.*bulk=\d+"))
        progress = page.locator("#bulk-progress")
        expect(progress).to_be_visible()
        screenshot(page, "board-3a-progress-1440-es")
        expect(progress).to_have_attribute("data-done", "1", timeout=60_000)
        sent = "Aprobado y enviado al cliente: Alpha Analytics (marzo de 2026)"
        expect(progress.locator("[data-bulk-emailed]")).to_contain_text(sent)
        expect(progress).to_contain_text("Aprobados: 1 de 2 · 1 sin aprobar")
        refused = progress.locator("[data-bulk-refused]").inner_text()
        assert re.search(r"Beta Brands, marzo de 2026 no se aprobó: Las cifras cambiaron después de que las vieras", refused)
        expect(page.get_by_label("Aprobar Alpha Analytics, marzo de 2026")).to_have_count(0)  # the board reloaded
        screenshot(page, "board-3-one-refused-1440-es")
        assert ClientMonthClose.objects.get(client=march, month=MARCH).state == "approved"
        assert ClientMonthClose.objects.get(client=tenant_b, month=MARCH).state == "in_review"
        page.reload()  # the result is still there
        expect(page.locator("#bulk-progress [data-bulk-refused]")).to_contain_text("Beta Brands")

        # beta's month, opened in one click from its square: its close page at beta's host
        page.get_by_label("Mostrar").select_option("all")
        expect(page.locator(ROWS)).to_have_count(2)
        page.locator("tr", has_text="Beta Brands").get_by_role("link", name="marzo de 2026: en revisión").click()
        page.wait_for_url(re.compile(r"http://beta\.localhost:\d+/reports/2026-03/"))
        page.get_by_text("En revisión", exact=True).first.wait_for()
        # looked at: approved from the board with the new figures
        page.goto(portal.console + "/board/?month=2026-03&show=clean")
        page.get_by_label("Aprobar Beta Brands, marzo de 2026").check()
        page.get_by_role("button", name="Aprobar el mes marcado…").click()
        page.get_by_role("button", name="Aprobar 1 mes", exact=True).click()
        # beta has no client user: its month is published, not emailed, and the progress says so
        expect(page.locator("#bulk-progress")).to_have_attribute("data-done", "1", timeout=60_000)
        expect(page.locator("#bulk-progress [data-bulk-published]")).to_contain_text(
            "Aprobado y publicado solo en el portal del cliente, sin nadie del cliente a quien enviarlo por correo: Beta Brands "
            "(marzo de 2026)")
        screenshot(page, "board-3b-published-1440-es")
        page.set_viewport_size(PHONE)  # the progress on a phone: no sideways scroll
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        screenshot(page, "board-3c-progress-390-es")
        page.set_viewport_size(DESKTOP)
        assert ClientMonthClose.objects.get(client=tenant_b, month=MARCH).state == "approved"
        page.goto(portal.console + "/board/?month=2026-03")
        screenshot(page, "board-4-all-approved-1440-es")
        page.set_viewport_size(PHONE)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        screenshot(page, "board-5-390-es")
    finally:
        worker.__exit__(None, None, None)
        traveller.stop()
        context.close()


WIDTHS = {"1440": {"width": 1440, "height": 900}, "1280": {"width": 1280, "height": 800}, "390": {"width": 390, "height": 844}}


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_month_strip_fits_at_1440_1280_and_390(browser, portal, march, tenant_b, staff_ab, language) -> None:  # noqa: F811
    """The 13 squares of every row are on the screen, none behind a scroll bar, in either language:
    with a long client name, a question, a failing source and open checks widening the columns, and
    a month whose checks never ran (its own count and filter, no tick)."""
    from portfolio.models import ClientMonthChecks

    _beta_march(tenant_b)
    tenant_b.name = "Ferretería Industrial del Cantábrico S.L."
    tenant_b.save()
    month_reviews_start(client=march, at=APRIL_5)
    month_reviews_start(client=tenant_b, at=APRIL_5)
    ClientMonthClose.objects.filter(client=tenant_b, month=MARCH).update(open_questions=2, updated_at=timezone.now())
    ClientMonthChecks.objects.update_or_create(
        client=tenant_b, month=MARCH, defaults={"total": 4, "high": 1, "open": 3, "open_high": 1}
    )
    ClientMonthChecks.objects.filter(client=march, month=MARCH).delete()  # alpha's checks never ran: not clean
    staff_ab.language = language
    staff_ab.save()
    for size, viewport in WIDTHS.items():
        context = browser.new_context(locale="es-ES" if language == "es" else "en-GB", viewport=viewport)
        page = context.new_page()
        try:
            sign_in_home(page, portal.console, staff_ab.username)
            page.goto(portal.console + "/board/?month=2026-03")
            expect(page.locator(ROWS)).to_have_count(2)
            screenshot(page, f"board-strip-{size}-{language}")
            expect(page.locator("#pick-alpha")).to_have_count(0)  # "Not run yet": no tick
            expect(page.locator("[data-unchecked]")).to_be_visible()
            # its own hint (how to run the checks), not "nothing to tick"; its "Not run yet" opens the month
            expect(page.locator("[data-unchecked-hint]")).to_be_visible()
            expect(page.locator("[data-nothing-to-approve]")).to_have_count(0)
            expect(page.locator("tr", has_text="Alpha Analytics").locator("[data-unchecked-link]")).to_be_visible()
            assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"], size
            wrap = page.locator("#board-table .table-wrap")
            assert wrap.evaluate("el => el.scrollWidth <= el.clientWidth"), f"the table scrolls sideways at {size}"
            for more in page.locator("[data-row-more]:visible").all():
                more.click()  # a phone folds each client's squares under "More" (BOARD_LAYOUT 18)
            for strip in page.locator(".month-strip").all():
                squares = strip.locator("a.sq")
                expect(squares).to_have_count(13)
                last = squares.last.bounding_box()
                assert last["x"] + last["width"] <= viewport["width"], (size, last)
                if size != "390":  # one line of 13 on a desktop
                    assert squares.first.bounding_box()["y"] == last["y"], size
        finally:
            context.close()


TAB_STOPS = """() => [...document.querySelectorAll('table.board tbody tr')].map(row =>
    [...row.querySelectorAll('a[href], input, button, select, [tabindex]')]
        .filter(e => e.tabIndex >= 0 && !e.disabled && e.getClientRects().length).length)"""


def _focused_title(page) -> str:
    return page.evaluate("document.activeElement.getAttribute('title') || document.activeElement.getAttribute('aria-label') "
                         "|| document.activeElement.textContent.trim()")


def test_the_board_from_the_keyboard(browser, portal, march, tenant_b, staff_ab) -> None:  # noqa: F811
    """A row is at most three tab stops (its tick box, the client, its months) instead of fifteen;
    the arrows move between a client's months and to the client below, Enter opens the month, and
    two clean months are ticked and sent to the confirmation with Tab, Space and Enter alone."""
    _beta_march(tenant_b)
    month_reviews_start(client=march, at=APRIL_5)
    month_reviews_start(client=tenant_b, at=APRIL_5)
    context, page = new_page(browser, locale="es-ES", viewport=DESKTOP)
    traveller = time_machine.travel(APRIL_5 + dt.timedelta(days=1), tick=True)
    traveller.start()
    try:
        sign_in_home(page, portal.console, staff_ab.username)
        page.goto(portal.console + "/board/?month=2026-03")
        expect(page.locator(ROWS)).to_have_count(2)
        expect(page.locator(".month-strip a.sq[tabindex='0']")).to_have_count(2)  # board.js ran
        assert page.evaluate(TAB_STOPS) == [3, 3]
        assert "Intro abre el mes" in page.locator("#board-keys").inner_text()
        from tests.browser.test_choose_file import _axe_serious

        assert _axe_serious(page) == []

        # Tab, Space and Enter alone: tick both clean months and reach the confirmation.
        page.locator("#board-q").focus()
        order = []
        for _ in range(8):
            page.keyboard.press("Tab")
            order.append(_focused_title(page))
            if order[-1].startswith("Aprobar ") and order[-1].endswith(", marzo de 2026"):
                page.keyboard.press("Space")
        assert order == [
            "Marcar todos los meses limpios de esta página",  # the header's box: every clean month at once
            "Aprobar Alpha Analytics, marzo de 2026", "Alpha Analytics", "marzo de 2026: en revisión",
            "Aprobar Beta Brands, marzo de 2026", "Beta Brands", "marzo de 2026: en revisión",
            "Aprobar los 2 meses marcados…",  # the button counts the months ticked
        ], order
        screenshot(page, "board-keyboard-1-1440-es")
        page.keyboard.press("Enter")
        page.get_by_role("heading", name="¿Aprobar 2 meses?").wait_for()  # beta has nobody to email
        expect(page.get_by_role("button", name="Aprobar 2 meses", exact=True)).to_be_focused()
        page.keyboard.press("Tab")  # from the autofocused "Approve and send" to Cancel
        expect(page.get_by_role("link", name="Cancelar")).to_be_focused()
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(r"/board/\?"))
        expect(page.locator(ROWS)).to_have_count(2)
        assert ClientMonthClose.objects.get(client=march, month=MARCH).state == "in_review"  # nothing approved
        # A filter swaps the table in (htmx): its rows are one stop each again.
        page.evaluate("window.boardBefore = document.getElementById('board-table')")
        page.get_by_label("Mostrar").select_option("clean")
        page.wait_for_function("() => document.getElementById('board-table') !== window.boardBefore")
        expect(page.locator(".month-strip a.sq[tabindex='0']")).to_have_count(2)
        assert page.evaluate(TAB_STOPS) == [3, 3]

        # The arrows: along alpha's months, back, then down to beta's March; Enter opens it.
        page.get_by_role("link", name="Alpha Analytics").focus()
        page.keyboard.press("Tab")
        assert _focused_title(page) == "marzo de 2026: en revisión"
        page.keyboard.press("ArrowRight")
        assert _focused_title(page).startswith("febrero de 2026: ")
        page.keyboard.press("End")
        assert _focused_title(page).startswith("marzo de 2025: ") or _focused_title(page).startswith("abril de 2025: ")
        page.keyboard.press("Home")
        page.keyboard.press("ArrowLeft")
        assert _focused_title(page) == "marzo de 2026: en revisión"  # the newest square: nothing before it
        page.keyboard.press("ArrowRight")
        page.keyboard.press("Shift+Tab")
        assert _focused_title(page) == "Alpha Analytics"
        page.keyboard.press("Tab")
        assert _focused_title(page).startswith("febrero de 2026: ")  # the square last reached is the row's stop now
        page.keyboard.press("Home")
        page.keyboard.press("ArrowDown")
        assert _focused_title(page) == "marzo de 2026: en revisión"
        assert page.evaluate("document.activeElement.closest('tr').querySelector('th > a').textContent.trim()") == "Beta Brands"
        page.set_viewport_size(PHONE)
        screenshot(page, "board-keyboard-2-390-es")
        page.set_viewport_size(DESKTOP)
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(r"http://beta\.localhost:\d+/reports/2026-03/"))
    finally:
        traveller.stop()
        context.close()
