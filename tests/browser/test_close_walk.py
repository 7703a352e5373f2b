"""The account manager's month in a real browser, client after client: from the board's open checks
to the month's checks in one click, a check resolved and the draft written in place (the page is
never reloaded: it stays where it is read), Approve saying whom it emails, then the next client
waiting in one click — no way back through the console and the board. Screenshots at 1440 and 390 px."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django_tenants.utils import schema_context
from playwright.sync_api import expect

from clients.models import Lead
from kpis.services import snapshot_compute
from portfolio.models import ClientMonthClose
from reports.services import month_reviews_start
from tests.browser.conftest import new_page, screenshot, sign_in_home
from tests.kpis.test_checks_stored import GAP, MONTHS, seed

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
OCTOBER = dt.date(2026, 10, 1)
NOVEMBER_10 = dt.datetime(2026, 11, 10, 9, tzinfo=dt.UTC)


def test_from_the_board_through_a_month_to_the_next_client(browser, portal, tenant_a, tenant_b, staff_ab) -> None:
    traveller = time_machine.travel(NOVEMBER_10, tick=True)
    traveller.start()
    context, page = new_page(browser, locale="es-ES", viewport={"width": 1440, "height": 900})
    try:
        with schema_context("alpha"):
            seed(gap=GAP)  # three days of spend missing in October: a high check
        snapshot_compute(client=tenant_a, months=MONTHS)
        with schema_context("beta"):
            Lead.objects.bulk_create([Lead(id=f"b{i}", created_at=dt.datetime(2026, 10, 12, tzinfo=dt.UTC)) for i in range(5)])
        snapshot_compute(client=tenant_b, months=[OCTOBER])
        for tenant in (tenant_a, tenant_b):
            month_reviews_start(client=tenant, at=NOVEMBER_10 - dt.timedelta(days=5))

        sign_in_home(page, portal.console, staff_ab.username)
        page.goto(portal.console + "/board/?month=2026-10")
        # the open checks are a link to them: one click, through the hand-off, to the month's checks
        page.locator("tr", has_text="Alpha Analytics").locator("a[data-checks-link]").click()
        page.wait_for_url(re.compile(r"http://alpha\.localhost:\d+/reports/2026-10/#checks"))
        page.evaluate("window.__samePage = true")  # gone if anything below reloads the page
        check = page.locator("#close-checks li.check-item").first
        check.get_by_placeholder("Lo que encontraste").fill("El feed de gasto se reenvió el día 9")
        check.get_by_role("button", name="Resolver").click()
        expect(page.locator("#close-checks .message.success")).to_contain_text("Comprobación resuelta")
        expect(page.locator("#close-checks")).to_contain_text("El feed de gasto se reenvió el día 9")
        expect(page.locator("#checks-reason-approve")).to_have_count(0)  # Approve no longer asks why
        # the keyboard goes on from there, not from the top of the page
        # (htmx moves the focus to the autofocus element once the swap settles: wait for it, up to 5 s;
        # Playwright's expect polls without eval, which the page's CSP refuses to wait_for_function)
        expect(page.locator("#close-checks .message.success:focus")).to_have_count(1, timeout=5000)
        # the draft fills the boxes where they are read
        page.locator("#close-draft").get_by_role("button", name="Redactar a partir de las cifras").click()
        expect(page.locator("#close-commentary .message.success")).to_contain_text("Borrador escrito a partir de las cifras")
        assert page.locator("#c-summary").input_value().strip()
        expect(page.locator("#close-commentary .message.success:focus")).to_have_count(1, timeout=5000)
        expect(page.locator("#no-commentary")).to_have_count(0)
        assert page.evaluate("window.__samePage === true"), "the page was reloaded"
        says = page.locator("[data-approve-says]").inner_text()
        assert "Aprobar congela estas cifras" in says
        page.locator("a[data-jump-approve]").click()
        screenshot(page, "close-walk-1-approve-1440-es")
        page.get_by_role("button", name="Aprobar y enviar al cliente").click()
        page.locator("#messages .message.success").wait_for()
        assert ClientMonthClose.objects.get(client=tenant_a, month=OCTOBER).state == "approved"
        # the next client waiting, one click away, in sight at the top of the page
        nxt = page.locator("a[data-next-client]")
        expect(nxt).to_have_text("Siguiente cliente pendiente: Beta Brands →")
        assert nxt.bounding_box()["y"] < 900
        screenshot(page, "close-walk-2-approved-next-1440-es")
        nxt.click()
        page.wait_for_url(re.compile(r"http://beta\.localhost:\d+/reports/2026-10/"))
        none_left = "Ningún otro cliente tiene octubre de 2026 pendiente de revisión."
        expect(page.locator("[data-next-client]")).to_have_text(none_left)
        page.set_viewport_size({"width": 390, "height": 844})
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        screenshot(page, "close-walk-3-last-client-390-es")
    finally:
        context.close()
        traveller.stop()
